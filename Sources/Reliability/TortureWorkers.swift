import BoxOffice
import EventStore
import Foundation
import Synchronization
import Ticketing

/// The processes `marquee torture` starts: race workers (many processes fighting over one
/// small show) and crash workers (a busy box office that is killed at random instants).
public enum TortureWorkers {
    public static let raceShow = ShowID("torture-hall")

    /// A one-section hall of `seats` seats in rows of 25.
    public static func hall(seats: Int) -> Venue {
        let rows = stride(from: 0, to: seats, by: 25).enumerated().map { index, start in
            Venue.Row(label: rowLabel(index), seats: min(25, seats - start), tier: "std")
        }
        return Venue(
            id: "torture-hall", name: "Torture Hall", currency: "EUR",
            tiers: [Venue.PriceTier(id: "std", name: "Standard", priceMinor: 2_500)], sections: [Venue.Section(name: "Hall", rows: rows)]
        )
    }

    static func rowLabel(_ index: Int) -> String {
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return index < 26 ? String(letters[index]) : String(letters[index / 26 - 1]) + String(letters[index % 26])
    }

    /// Creates and approves the race show, once however many processes ask.
    public static func prepareRace(_ box: BoxOffice, seats: Int) async throws {
        try await openShow(raceShow, venue: hall(seats: seats), box)
    }

    /// Creates, submits and approves a show under fixed command ids (so once, however many
    /// processes ask, and again after a crash without harm).
    public static func openShow(_ show: ShowID, venue: Venue, _ box: BoxOffice) async throws {
        let steps: [(Command, String)] = [
            (.createShow(show, name: venue.name, venue: venue, startsAt: box.clock.now().addingTimeInterval(86_400)), "create"),
            (.submitShow(show), "submit"), (.approveShow(show), "approve"),
        ]
        for (command, step) in steps {
            // Approved by another operator than the one who submitted (separation of duties).
            let actor = step == "approve" ? "torture-approver" : "torture"
            _ = try await box.execute(command, CommandContext(actor: actor, commandId: "torture-\(show)-\(step)", correlationId: "C-TORTURE-\(show)"))
        }
    }

    /// What one race worker did.
    public struct RaceSummary: Sendable, Codable {
        public var attempts = 0
        public var held = 0
        public var refused = 0
        /// Gave up because other processes kept writing first (none since decisions are taken
        /// holding the write lock; counted to prove it).
        public var conflicts = 0
        /// Refused because the store's write lock stayed taken past the deadline.
        public var busy = 0
        public var otherFailures = 0
        public var paid = 0
        public var cancelled = 0

        public init() {}
    }

    /// `attempts` reservations on the race show from eight concurrent buyers in this process
    /// (half best-available, half chosen seats), each then paid, cancelled or left to expire
    /// (holds last one second); most paid ones are cancelled again, so seats keep changing
    /// hands and every process keeps fighting over the same few.
    public static func race(runtime: Runtime, attempts: Int, seats: Int, seed: UInt64) async -> RaceSummary {
        let summary = Shared(RaceSummary())
        let box = runtime.box
        let lanes = 8
        await withTaskGroup(of: Void.self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var random = SplitMix64(seed: seed &* 1_000 &+ UInt64(lane))
                    let context = CommandContext(actor: "racer-\(seed)-\(lane)")
                    for _ in stride(from: lane, to: attempts, by: lanes) {
                        let quantity = 1 + Int(random.next() % 4)
                        let result: Result<CommandResult, BoxOfficeError>
                        do throws(BoxOfficeError) {
                            if random.next() % 2 == 0 {
                                result = .success(try await box.reserveBestAvailable(raceShow, quantity: quantity, customer: "Racer \(seed)", context))
                            } else {
                                let first = Int(random.next() % UInt64(max(seats - quantity, 1)))
                                let chosen = (first..<(first + quantity)).map { index in SeatID(section: "Hall", row: rowLabel(index / 25), number: index % 25 + 1) }
                                result = .success(try await box.reserveSeats(raceShow, seats: chosen, customer: "Racer \(seed)", context))
                            }
                        } catch {
                            result = .failure(error)
                        }
                        summary.withLock { count(&$0, result) }
                        guard case .success(let outcome) = result, let reservation = outcome.reservationID else { continue }
                        let roll = random.next() % 100
                        if roll < 15 {
                            guard (try? await box.execute(.requestPayment(reservation, method: .card), context)) != nil else { continue }
                            summary.withLock { $0.paid += 1 }
                            try? await Task.sleep(for: .milliseconds(300))
                            if random.next() % 10 != 0, (try? await box.execute(.cancelReservation(reservation), context)) != nil {
                                summary.withLock { $0.cancelled += 1 }
                            }
                        } else if roll < 75, (try? await box.execute(.cancelReservation(reservation), context)) != nil {
                            summary.withLock { $0.cancelled += 1 }
                        }
                    }
                }
            }
        }
        return summary.withLock { $0 }
    }

    private static func count(_ summary: inout RaceSummary, _ result: Result<CommandResult, BoxOfficeError>) {
        summary.attempts += 1
        switch result {
        case .success: summary.held += 1
        case .failure(let error) where error.isRefusal: summary.refused += 1
        case .failure(.concurrencyConflict): summary.conflicts += 1
        case .failure(.store(.busy)): summary.busy += 1
        case .failure: summary.otherFailures += 1
        }
    }

    /// A crash worker's buyers: sixteen of them, as fast as the writer takes them, each command
    /// under its own id (`k<run>-<n>`); each success is appended to the acknowledgement file
    /// (one line, one `write`, so a kill never leaves half a line) before anything else happens.
    /// Runs until the process is killed (or `limit` commands were sent).
    public static func crash(runtime: Runtime, run: Int, acknowledgements: String, limit: Int = .max) async throws {
        let descriptor = open(acknowledgements, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw TortureError.cannotWrite(acknowledgements) }
        defer { close(descriptor) }
        let box = runtime.box
        let sent = Shared(0)
        await withTaskGroup(of: Void.self) { group in
            for lane in 0..<16 {
                group.addTask {
                    var random = SplitMix64(seed: UInt64(run) &* 7_919 &+ UInt64(lane))
                    let context = { (id: String) in CommandContext(actor: "buyer-\(run)-\(lane)", commandId: id) }
                    func next() -> String? {
                        sent.withLock { count in
                            guard count < limit else { return nil }
                            count += 1
                            return "k\(run)-\(count)"
                        }
                    }
                    func acknowledge(_ id: String) {
                        let line = Array("\(id)\n".utf8)
                        _ = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                    }
                    while let id = next() {
                        let shows = runtime.read.snapshot().shows.rows.values.filter { $0.status == .approved }.map(\.id).sorted()
                        guard !shows.isEmpty else {
                            try? await Task.sleep(for: .milliseconds(20))
                            continue
                        }
                        let show = shows[Int(random.next() % UInt64(shows.count))]
                        guard let held = try? await box.reserveBestAvailable(show, quantity: 1 + Int(random.next() % 3), customer: "Crash \(run)", context(id)),
                              let reservation = held.reservationID else { continue }
                        acknowledge(id)
                        let roll = random.next() % 10
                        guard roll < 7, let follow = next() else { continue }
                        let command: Command = roll < 5 ? .requestPayment(reservation, method: .card) : .cancelReservation(reservation)
                        if (try? await box.execute(command, context(follow))) != nil { acknowledge(follow) }
                    }
                }
            }
        }
    }
}

public enum TortureError: Error, CustomStringConvertible {
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .cannotWrite(let path): "cannot write \(path); check the folder exists and is writable"
        }
    }
}
