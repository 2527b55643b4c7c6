@testable import BoxOffice
import ConsoleClient
import EventStore
import Foundation
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

    /// Creates `show` and puts it on sale.
    @discardableResult
    func onSale(_ show: ShowID = ShowID("tiny-sat"), venue: Venue = venue) async throws -> ShowID {
        _ = try await box.execute(.createShow(show, name: "Saturday", venue: venue, startsAt: clock.now().addingTimeInterval(86_400)), Self.ana)
        _ = try await box.execute(.submitShow(show), Self.ana)
        _ = try await box.execute(.approveShow(show), Self.ana)
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
