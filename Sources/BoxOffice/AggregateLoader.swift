import EventStore
import Foundation
import Ticketing

/// Loads aggregates for the writer: cached by stream and version, rebuilt from the latest
/// snapshot plus the events after it. The writer tells it which streams another process moved.
///
/// - Important: confined to the writer thread; it is not synchronised.
final class AggregateLoader {
    struct Loaded {
        var version: Int64
        var state: Aggregates
    }

    private let codec = EventCodec()
    private var cache: [StreamRef: Loaded] = [:]
    private let capacity: Int
    let snapshotEvery: Int64
    /// Events read from the store while loading, for tests that prove snapshots are used.
    private(set) var eventsRead = 0

    init(snapshotEvery: Int, capacity: Int = 4_096) {
        self.snapshotEvery = Int64(max(snapshotEvery, 1))
        self.capacity = capacity
    }

    /// The cached state of a stream, else its latest snapshot plus the events after it.
    func load(_ ref: StreamRef, from source: any StreamSource) throws(BoxOfficeError) -> Loaded {
        if let cached = cache[ref] { return cached }
        var loaded = Loaded(version: 0, state: Aggregates())
        if let snapshot = try wrap({ () throws(EventStoreError) in try source.loadSnapshot(stream: ref.name) }),
           let state = Self.decodeSnapshot(snapshot, for: ref) {
            loaded = Loaded(version: snapshot.version, state: state)
        }
        loaded = try catchUp(loaded, ref, from: source)
        remember(ref, loaded)
        return loaded
    }

    /// Applies the events a stream gained after `start`'s version.
    private func catchUp(_ start: Loaded, _ ref: StreamRef, from source: any StreamSource) throws(BoxOfficeError) -> Loaded {
        var loaded = start
        let events = try wrap { () throws(EventStoreError) in try source.read(stream: ref.name, fromVersion: start.version + 1) }
        eventsRead += events.count
        for recorded in events {
            let event: DomainEvent
            do { event = try codec.decode(recorded) } catch { throw .unreadable(error) }
            loaded.state.apply(event, on: ref)
            loaded.version = recorded.streamVersion
        }
        return loaded
    }

    func remember(_ ref: StreamRef, _ loaded: Loaded) {
        if cache.count >= capacity, cache[ref] == nil {
            // Finished reservations and payments are the bulk and are rarely touched again.
            cache = cache.filter { key, _ in if case .reservation = key { false } else if case .payment = key { false } else { true } }
            if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
        }
        cache[ref] = loaded
    }

    /// Brings cached streams someone else wrote up to date with the events they gained (a hot
    /// show's inventory moves under every batch of every process: reading its snapshot again
    /// each time would cost far more than the few events since).
    func refresh(streamsNamed names: Set<String>, from source: any StreamSource) throws(BoxOfficeError) {
        for name in names {
            guard let ref = StreamRef(name: name), let cached = cache[ref] else { continue }
            cache[ref] = try catchUp(cached, ref, from: source)
        }
    }

    /// Those of `refs` not in the cache, each once.
    func uncached(_ refs: [StreamRef]) -> [StreamRef] {
        var seen: Set<StreamRef> = []
        return refs.filter { cache[$0] == nil && seen.insert($0).inserted }
    }

    func forgetAll() { cache.removeAll(keepingCapacity: true) }

    /// Saves a snapshot with the transaction when a stream's version crossed a multiple of
    /// `snapshotEvery`.
    func snapshotIfDue(_ ref: StreamRef, from oldVersion: Int64, to loaded: Loaded, in transaction: any EventStoreTransaction) throws(EventStoreError) {
        guard loaded.version / snapshotEvery > oldVersion / snapshotEvery,
              let payload = Self.encodeSnapshot(loaded.state, for: ref) else { return }
        try transaction.saveSnapshot(Snapshot(
            stream: ref.name, version: loaded.version, type: Self.snapshotType(ref),
            schemaVersion: Self.snapshotSchema, payload: payload
        ))
    }

    static let snapshotSchema = 1

    static func snapshotType(_ ref: StreamRef) -> String {
        switch ref {
        case .show: "ShowState"
        case .inventory: "InventoryState"
        case .reservation: "ReservationState"
        case .payment: "PaymentState"
        }
    }

    static func encodeSnapshot(_ state: Aggregates, for ref: StreamRef) -> Data? {
        let encoder = EventCodec.makeEncoder()
        switch ref {
        case .show: return state.show.flatMap { try? encoder.encode($0) }
        case .inventory: return state.inventory.flatMap { inventory in fastInventorySnapshot(inventory) ?? (try? encoder.encode(inventory)) }
        case .reservation: return state.reservation.flatMap { try? encoder.encode($0) }
        case .payment: return state.payment.flatMap { try? encoder.encode($0) }
        }
    }

    /// A snapshot of another schema or type is ignored (the stream is replayed instead).
    static func decodeSnapshot(_ snapshot: Snapshot, for ref: StreamRef) -> Aggregates? {
        guard snapshot.schemaVersion == snapshotSchema, snapshot.type == snapshotType(ref) else { return nil }
        let decoder = EventCodec.makeDecoder()
        var state = Aggregates()
        switch ref {
        case .show: state.show = try? decoder.decode(ShowState.self, from: snapshot.payload)
        case .inventory: state.inventory = fastInventory(snapshot.payload) ?? (try? decoder.decode(InventoryState.self, from: snapshot.payload))
        case .reservation: state.reservation = try? decoder.decode(ReservationState.self, from: snapshot.payload)
        case .payment: state.payment = try? decoder.decode(PaymentState.self, from: snapshot.payload)
        }
        return state == Aggregates() ? nil : state
    }

    /// An inventory snapshot written by hand, in the JSON `Codable` gives (every taken seat of a
    /// venue, saved every hundred seat events).
    static func fastInventorySnapshot(_ inventory: InventoryState) -> Data? {
        guard let venue = try? EventCodec.makeEncoder().encode(inventory.layout.venue) else { return nil }
        var out = "{\"showId\":\(JSONText.quoted(inventory.showId.rawValue)),\"taken\":["
        for (index, (seat, state)) in inventory.taken.sorted(by: { $0.seat < $1.seat }).enumerated() {
            if index > 0 { out += "," }
            out += "{\"seat\":\(JSONText.quoted(seat.rawValue)),\"state\":"
            switch state {
            case .available: out += "{\"available\":{}}"
            case .blocked: out += "{\"blocked\":{}}"
            case .sold(let reservation): out += "{\"sold\":{\"_0\":\(JSONText.quoted(reservation.rawValue))}}"
            case .held(let reservation, let until): out += "{\"held\":{\"_0\":\(JSONText.quoted(reservation.rawValue)),\"until\":\"\(Timestamp.string(until))\"}}"
            }
            out += "}"
        }
        out += "],\"venue\":"
        var data = Data(out.utf8)
        data.append(venue)
        data.append(UInt8(ascii: "}"))
        return data
    }

    /// An inventory snapshot read by hand (thousands of taken seats); nil leaves it to Codable.
    static func fastInventory(_ data: Data) -> InventoryState? {
        let decoded = try? JSONScanner.read(data) { scanner -> InventoryState? in
            var show: String?, venue: Venue?, taken: [SeatID: SeatState] = [:], sawTaken = false
            try scanner.object { key, scanner in
                switch key {
                case "showId": show = try scanner.string()
                case "venue": venue = try EventCodec.makeDecoder().decode(Venue.self, from: scanner.rawValue())
                case "taken":
                    sawTaken = true
                    try scanner.array { scanner in
                        var seat: String?, state: SeatState?
                        try scanner.object { key, scanner in
                            switch key {
                            case "seat": seat = try scanner.string()
                            case "state":
                                try scanner.object { kind, scanner in
                                    var reservation: String?, until: Date?
                                    try scanner.object { field, scanner in
                                        switch field {
                                        case "_0": reservation = try scanner.string()
                                        case "until": until = try scanner.date()
                                        default: throw JSONScanner.Unexpected()
                                        }
                                    }
                                    switch (kind, reservation, until) {
                                    case ("held", let r?, let u?): state = .held(ReservationID(r), until: u)
                                    case ("sold", let r?, nil): state = .sold(ReservationID(r))
                                    case ("blocked", nil, nil): state = .blocked
                                    case ("available", nil, nil): state = .available
                                    default: throw JSONScanner.Unexpected()
                                    }
                                }
                            default: throw JSONScanner.Unexpected()
                            }
                        }
                        guard let seat, let state else { throw JSONScanner.Unexpected() }
                        taken[SeatID(seat)] = state
                    }
                default: throw JSONScanner.Unexpected()
                }
            }
            guard scanner.atEnd(), sawTaken, let show, let venue else { return nil }
            return InventoryState(showId: ShowID(show), layout: VenueLayout(venue), taken: taken)
        }
        return decoded ?? nil
    }

    private func wrap<T>(_ body: () throws(EventStoreError) -> T) throws(BoxOfficeError) -> T {
        do { return try body() } catch { throw .store(error) }
    }
}

extension BoxOffice {
    /// The snapshot the command writer would save for a stream at `version` (for tools that
    /// write streams in bulk, such as the benchmark's store generator).
    public static func snapshot(of ref: StreamRef, state: Aggregates, version: Int64) -> Snapshot? {
        AggregateLoader.encodeSnapshot(state, for: ref).map { payload in
            Snapshot(stream: ref.name, version: version, type: AggregateLoader.snapshotType(ref), schemaVersion: AggregateLoader.snapshotSchema, payload: payload)
        }
    }
}

extension InventoryState {
    /// A show's inventory as the log has it now: the latest snapshot plus the events after it,
    /// loaded the way the command writer loads it (nil when the show has none).
    public static func current(of show: ShowID, in store: any EventStore) throws(BoxOfficeError) -> InventoryState? {
        try AggregateLoader(snapshotEvery: 100).load(.inventory(show), from: store).state.inventory
    }
}
