@testable import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Testing
import Ticketing

/// A temp-file store, a manual clock and seeded ids: a deterministic box office per test.
struct Harness {
    let path: String
    let store: SQLiteEventStore
    let clock: ManualClock
    let box: BoxOffice

    init(snapshotEvery: Int = 100, ids: any IdentifierSource = SeededIdentifiers(seed: 7)) throws {
        let folder = NSTemporaryDirectory() + "marquee-box-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        path = folder + "/store.sqlite"
        store = try SQLiteEventStore(path: path)
        clock = ManualClock()
        var options = BoxOffice.Options()
        options.snapshotEvery = snapshotEvery
        box = BoxOffice(store: store, clock: clock, ids: ids, options: options)
    }

    /// Another box office on the same file, with its own connections and cache: a second process
    /// in all but the OS process.
    func sibling(snapshotEvery: Int = 100) throws -> BoxOffice {
        var options = BoxOffice.Options()
        options.snapshotEvery = snapshotEvery
        return BoxOffice(store: try SQLiteEventStore(path: path), clock: clock, ids: RandomIdentifiers(), options: options)
    }

    static let venue = Venue(
        id: "tiny", name: "Tiny Room", currency: "EUR",
        tiers: [.init(id: "std", name: "Standard", priceMinor: 2500)],
        sections: [.init(name: "Stalls", rows: [.init(label: "A", seats: 6, tier: "std"), .init(label: "B", seats: 6, tier: "std")])]
    )

    static let ana = CommandContext(actor: "ana")
    /// Another operator: approves what ana submits (separation of duties).
    static let bo = CommandContext(actor: "bo")

    /// Each box office sends twelve one-seat reservations over the twelve seats of `venue` at
    /// once: exactly twelve are accepted, every other one refused for a domain reason (taken),
    /// never for a store reason.
    static func race(_ boxes: [BoxOffice], _ show: ShowID, sourceLocation: SourceLocation = #_sourceLocation) async {
        let outcomes = await withTaskGroup(of: Result<CommandResult, BoxOfficeError>.self) { group in
            for (index, box) in boxes.enumerated() {
                for attempt in 0..<12 {
                    group.addTask {
                        let seat = SeatID("Stalls-\(attempt % 2 == 0 ? "A" : "B")-\((attempt + index) % 6 + 1)")
                        do throws(BoxOfficeError) {
                            return .success(try await box.reserveSeats(show, seats: [seat], customer: "c\(index)", CommandContext(actor: "b\(index)")))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let refusals = outcomes.compactMap { if case .failure(let error) = $0 { error } else { nil } }
        let environmental = refusals.filter { !$0.isRefusal }
        #expect(environmental.isEmpty, "\(environmental)", sourceLocation: sourceLocation)
        #expect(outcomes.count - refusals.count == 12, sourceLocation: sourceLocation)
    }

    /// Creates `show` and puts it on sale.
    @discardableResult
    func onSale(_ show: ShowID = ShowID("tiny-sat"), venue: Venue = venue) async throws -> ShowID {
        _ = try await box.execute(.createShow(show, name: "Saturday", venue: venue, startsAt: clock.now().addingTimeInterval(86_400)), Self.ana)
        _ = try await box.execute(.submitShow(show), Self.ana)
        _ = try await box.execute(.approveShow(show), Self.bo)
        return show
    }

    /// Every event in the log, decoded.
    func log() throws -> [(RecordedEvent, DomainEvent)] {
        let codec = EventCodec()
        return try store.readAll(after: 0, limit: 1_000_000).map { ($0, try codec.decode($0)) }
    }

    /// The inventory folded from the log alone.
    func replayedInventory(_ show: ShowID) throws -> InventoryState? {
        try log().filter { $0.0.streamId == StreamRef.inventory(show).name }.reduce(nil) { InventoryState.evolve($0, $1.1) }
    }
}

/// Ids from a fixed list (then random), to force a reservation id clash.
final class ScriptedIdentifiers: IdentifierSource, @unchecked Sendable {
    private var script: [String]
    private let lock = NSLock()
    init(_ script: [String]) { self.script = script }
    func next(_ count: Int) -> String {
        lock.lock()
        defer { lock.unlock() }
        if count == 8, !script.isEmpty { return script.removeFirst() }
        return RandomIdentifiers().next(count)
    }
}

/// A harness plus the read side on a synchronous bus: `drain()` brings every read model up to date.
struct ReadHarness {
    let h: Harness
    let read: ReadSide
    let bus: EventBus

    init(feedLimit: Int = 500, policy: EventBus.RetryPolicy = .init(), extra: [any EventSubscriber] = []) throws {
        h = try Harness()
        read = ReadSide(storage: h.store, feedLimit: feedLimit)
        bus = EventBus(store: h.store, clock: h.clock, dispatch: .synchronous, policy: policy)
        read.register(on: bus)
        for subscriber in extra { bus.add(subscriber) }
        try bus.start()
    }

    var box: BoxOffice { h.box }
    var clock: ManualClock { h.clock }

    func models() -> ReadModels {
        bus.drain()
        return read.snapshot()
    }
}
