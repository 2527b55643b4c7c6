import BoxOffice
import EventStore
import Foundation
import Ticketing

/// `marquee bench --generate N`: a realistic store of N events, fast. Buyers rush many shows at
/// once (best available, 1–6 seats, some in a chosen section), think, then pay, cancel or walk
/// away; payments settle through the simulated gateway; the saga's work (confirm, compensate,
/// expire, refund) is done as the saga would do it. Every event comes from the real decision
/// code (`Command.decide`) and is encoded by the real codec; only the command writer is
/// skipped: events go to the store in large transactions. Simulated time ends at the moment
/// generation finishes, so the store's live holds count down when a console opens it.
public enum StoreGenerator {
    public struct Report: Sendable {
        public var events: Int64
        public var shows: Int
        public var reservations: Int
        public var seconds: Double
    }

    /// Builds the store at `path` (which must not exist) with about `events` events, then its
    /// read models and saga ledger, so that opening it starts from them.
    public static func generate(
        events target: Int, path: String, catalog: DemoCatalog, seed: UInt64 = 7, progress: (Int64, Int64) -> Void = { _, _ in }
    ) throws -> Report {
        guard !FileManager.default.fileExists(atPath: path) else { throw GeneratorError.exists(path) }
        let start = DispatchTime.now().uptimeNanoseconds
        let store = try SQLiteEventStore(path: path)
        var run = try GeneratorRun(store: store, catalog: catalog, seed: seed)
        try run.simulate(until: Int64(target), progress: progress)
        let end = Date()
        _ = try store.setInfoIfAbsent("clock", "\(Timestamp.string(run.now)) \(Timestamp.string(end)) 1")
        _ = try Rebuild.run(storage: store, names: Runtime.subscriberNames, mode: .write)
        // One self-contained file (no write-ahead log beside it), so it can be copied as is.
        _ = try store.database.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        return Report(
            events: try store.headPosition(), shows: run.showsCreated, reservations: run.reservations,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        )
    }
}

public enum GeneratorError: Error, CustomStringConvertible {
    case exists(String)
    case refusedSetup(String)

    public var description: String {
        switch self {
        case .exists(let path): "\(path) already exists; --generate builds a new store: choose a new path or remove that file"
        case .refusedSetup(let detail): "the generator's own setup was refused: \(detail)"
        }
    }
}

/// The state of one generation: aggregates by stream, the buyers' and saga's timers, and the
/// requests waiting to be written.
struct GeneratorRun {
    enum Action {
        case arrive
        case decide(ReservationID)
        case expire(ReservationID)
        case settle(PaymentID, succeeded: Bool, reason: String?)
        case cancelPaid(ReservationID)
    }

    let store: SQLiteEventStore
    let venues: [Venue]
    let codec = EventCodec()
    let gateway = SimulatedGateway(seed: 11)
    var random: SplitMix64
    var streams: [StreamRef: (version: Int64, state: Aggregates)] = [:]
    var timers = TimerQueue<Action>()
    var pending: [AppendRequest] = []
    var written: Int64 = 0
    var staged: Int64 = 0
    var now: Date
    var onSale: [ShowID] = []
    var showsCreated = 0
    var reservations = 0
    var nextId: UInt64 = 0

    /// Shows on sale at once, and buyer arrivals per simulated second across them.
    static let concurrentShows = 12
    static let arrivalsPerSecond = 25.0

    init(store: SQLiteEventStore, catalog: DemoCatalog, seed: UInt64, start: Date = Date().addingTimeInterval(-30 * 86_400)) throws {
        self.store = store
        venues = try ["arena", "theatre", "club"].map { try catalog.venue($0) }
        random = SplitMix64(seed: seed)
        now = start
    }

    /// P7's store: `count` one-seat holds on arena shows, all made now, with deadlines spread
    /// evenly from `lead` to `lead + spread` seconds from now. Returns each hold's deadline.
    mutating func holds(_ count: Int, lead: TimeInterval, spread: TimeInterval) throws -> [ReservationID: Date] {
        var deadlines: [ReservationID: Date] = [:]
        var seats: [SeatID] = []
        var show = ShowID("none")
        for index in 0..<count {
            if seats.isEmpty {
                try openShow(venue: venues[0])
                show = onSale[onSale.count - 1]
                seats = streams[.inventory(show)]?.state.inventory?.layout.seats.map(\.id).reversed() ?? []
            }
            let reservation = ReservationID(String(format: "R-P7%06d", index))
            let holdFor = lead + spread * Double(index) / Double(count)
            guard try execute(.reserveSeats(show, seats: [seats.removeLast()], customer: "Expiry \(index)", reservation: reservation, holdFor: holdFor), actor: "bench") else {
                throw GeneratorError.refusedSetup("hold \(reservation)")
            }
            deadlines[reservation] = now.addingTimeInterval(max(holdFor, 1))
            if pending.count >= 2_000 { try flush() }
        }
        try flush()
        return deadlines
    }

    mutating func simulate(until target: Int64, progress: (Int64, Int64) -> Void) throws {
        for _ in 0..<Self.concurrentShows { try openShow() }
        timers.schedule(.arrive, at: now)
        while written + staged < target, let due = timers.nextDue {
            now = max(now, due)
            for (_, action) in timers.takeDue(now, limit: 1) { try perform(action) }
            if pending.count >= 2_000 {
                try flush()
                progress(written, target)
            }
        }
        try flush()
        // As the command writer would have: a snapshot of each show's inventory, so loading
        // one does not replay thousands of seat events.
        for (ref, entry) in streams {
            guard case .inventory = ref, let snapshot = BoxOffice.snapshot(of: ref, state: entry.state, version: entry.version) else { continue }
            try store.saveSnapshot(snapshot)
        }
        progress(written, target)
    }

    // MARK: - Buyers and the saga

    mutating func perform(_ action: Action) throws {
        switch action {
        case .arrive:
            timers.schedule(.arrive, at: now.addingTimeInterval(-log(max(1 - random.unit(), 1e-12)) / Self.arrivalsPerSecond))
            try arrive()
        case .decide(let reservation):
            let roll = random.unit()
            if roll < 0.72 {
                guard try execute(.requestPayment(reservation, method: random.unit() < 0.9 ? .card : .boxOffice), actor: buyer(reservation)) else { return }
                let payment = reservation.paymentID
                let amount = streams[.reservation(reservation)]?.state.reservation?.amount ?? Money(minor: 0, currency: "EUR")
                let outcome = gateway.charge(payment, amount: amount, method: .card)
                timers.schedule(.settle(payment, succeeded: outcome.succeeded, reason: outcome.reason), at: now.addingTimeInterval(outcome.latency))
            } else if roll < 0.82 {
                try execute(.cancelReservation(reservation), actor: buyer(reservation))
            } else if roll < 0.87 {
                try execute(.extendHold(reservation, by: 60), actor: buyer(reservation))
                timers.schedule(.decide(reservation), at: now.addingTimeInterval(20 + random.unit() * 30))
            }
            // Otherwise the buyer walks away and the hold expires at its deadline.
        case .expire(let reservation):
            guard let held = streams[.reservation(reservation)]?.state.reservation, held.status == .held else { return }
            if held.expiresAt > now {
                timers.schedule(.expire(reservation), at: held.expiresAt)
                return
            }
            try execute(.expireHold(reservation), actor: "saga", commandId: "saga-expire-\(reservation)-\(Timestamp.milliseconds(held.expiresAt))")
        case .settle(let payment, let succeeded, let reason):
            let reservation = ReservationID("R-" + payment.rawValue.dropFirst(2))
            if succeeded {
                guard try execute(.recordPaymentSucceeded(payment), actor: "gateway", commandId: "saga-settle-\(payment)") else { return }
                if try execute(.confirmReservation(reservation), actor: "saga", commandId: "saga-confirm-\(reservation)"), random.unit() < 0.03 {
                    timers.schedule(.cancelPaid(reservation), at: now.addingTimeInterval(600 + random.unit() * 3_600))
                }
            } else {
                guard try execute(.recordPaymentFailed(payment, reason: reason ?? "declined"), actor: "gateway", commandId: "saga-settle-\(payment)") else { return }
                try execute(.compensateReservation(reservation, reason: reason ?? "payment failed"), actor: "saga", commandId: "saga-compensate-\(reservation)")
            }
        case .cancelPaid(let reservation):
            guard try execute(.cancelReservation(reservation), actor: buyer(reservation)) else { return }
            try execute(.refundPayment(reservation.paymentID), actor: "saga", commandId: "saga-refund-\(reservation.paymentID)")
            try execute(.refundReservation(reservation), actor: "saga", commandId: "saga-refund-\(reservation)")
        }
    }

    mutating func arrive() throws {
        let show = onSale[Int(random.next() % UInt64(onSale.count))]
        let quantity = [1, 2, 2, 2, 3, 4, 4, 6][Int(random.next() % 8)]
        let sections = streams[.inventory(show)]?.state.inventory?.layout.venue.sections.map(\.name) ?? []
        let section = random.unit() < 0.3 ? sections.randomElement(using: &random) : nil
        nextId += 1
        let reservation = ReservationID(String(format: "R-G%07llX", nextId))
        let customer = Self.customers[Int(random.next() % UInt64(Self.customers.count))]
        let reserved = try execute(
            .reserveBestAvailable(show, quantity: quantity, section: section, customer: customer, reservation: reservation, holdFor: 300),
            actor: "buyer-\(nextId)", correlation: "C-\(reservation)"
        )
        if reserved {
            reservations += 1
            timers.schedule(.decide(reservation), at: now.addingTimeInterval(15 + random.unit() * 150))
            timers.schedule(.expire(reservation), at: now.addingTimeInterval(300))
        } else if let inventory = streams[.inventory(show)]?.state.inventory, inventory.availableCount < 12 {
            // Sold out, or as good as: the next show goes on sale.
            try execute(.closeSales(show), actor: "operator-gen")
            onSale.removeAll { $0 == show }
            try openShow()
        }
    }

    mutating func openShow(venue chosen: Venue? = nil) throws {
        showsCreated += 1
        let show = ShowID(String(format: "gen-%05d", showsCreated))
        let venue = chosen ?? venues[[0, 0, 1, 1, 1, 2][Int(random.next() % 6)]]
        let actor = "operator-gen"
        let created = try execute(.createShow(show, name: "Generated Show \(showsCreated)", venue: venue, startsAt: now.addingTimeInterval(45 * 86_400)), actor: actor)
            && execute(.submitShow(show), actor: actor) && execute(.approveShow(show), actor: "approver-gen")
        guard created else { throw GeneratorError.refusedSetup("show \(show)") }
        onSale.append(show)
    }

    func buyer(_ reservation: ReservationID) -> String { "buyer-\(reservation.rawValue.dropFirst(3))" }

    // MARK: - Deciding and writing

    /// Decides one command against the current aggregates and stages its events; false when the
    /// domain refused it (normal traffic: sold out, expired already).
    @discardableResult
    mutating func execute(_ command: Command, actor: String, commandId: String? = nil, correlation: String? = nil) throws -> Bool {
        let read = ReadSet.load(for: command) { ref in streams[ref] ?? (version: 0, state: Aggregates()) }
        let decided: [Decided]
        do { decided = try command.decide(given: read.state, by: actor, now: now) } catch { return false }
        let metadata = EventMetadata(correlationId: correlation ?? "C-\(actor)", causationId: nil, actor: actor, commandId: commandId)
        let writes = try read.writes(decided, metadata: metadata, codec: codec)
        for ref in read.order {
            let mine = decided.filter { $0.stream == ref }
            guard !mine.isEmpty else { continue }
            var entry = streams.removeValue(forKey: ref) ?? (version: 0, state: Aggregates())
            entry.state.take(ref, from: read.state)
            for item in mine {
                entry.state.apply(item.event, on: ref)
                entry.version += 1
            }
            streams[ref] = entry
        }
        staged += Int64(decided.count)
        pending.append(AppendRequest(writes: writes, commandId: commandId, recordedAt: now))
        return true
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        for result in try store.append(pending) {
            if case .failure(let error) = result { throw error }
        }
        written += staged
        staged = 0
        pending.removeAll(keepingCapacity: true)
    }

    static let customers = [
        "Ada Byron", "Grace Hopper", "Alan Kay", "Barbara Liskov", "Edsger Dijkstra", "Frances Allen", "Ken Thompson",
        "Margaret Hamilton", "Donald Knuth", "Radia Perlman", "Leslie Lamport", "Karen Spärck Jones", "Niklaus Wirth",
        "Hedy Lamarr", "Tony Hoare", "Shafi Goldwasser", "Dennis Ritchie", "Sophie Wilson", "John Backus", "Jean Sammet",
    ]
}
