@testable import BoxOffice
import EventStore
import Foundation
import Synchronization
import Testing
import Ticketing

/// A store whose disk fills up and later has room again: while full, every write fails as
/// SQLite reports a full disk; reads go on.
final class FillingDisk: ReadModelStore {
    let inner = InMemoryEventStore()
    let full = Mutex(false)
    /// Calls made so far: events read in position order, read-model transactions.
    let calls = Mutex((readAll: 0, eventsRead: 0, commits: 0))

    private func room() throws(EventStoreError) {
        if full.withLock({ $0 }) { throw .full(path: "filling.sqlite") }
    }

    func append(_ requests: [AppendRequest]) throws(EventStoreError) -> [Result<AppendOutcome, EventStoreError>] { try room(); return try inner.append(requests) }
    func transaction<T>(_ body: (any EventStoreTransaction) throws(EventStoreError) -> T) throws(EventStoreError) -> T { try room(); return try inner.transaction(body) }
    func read(stream: String, fromVersion version: Int64) throws(EventStoreError) -> [RecordedEvent] { try inner.read(stream: stream, fromVersion: version) }
    func readAll(after position: Int64, limit: Int) throws(EventStoreError) -> [RecordedEvent] {
        let events = try inner.readAll(after: position, limit: limit)
        calls.withLock { $0.readAll += 1; $0.eventsRead += events.count }
        return events
    }
    func headPosition() throws(EventStoreError) -> Int64 { try inner.headPosition() }
    func version(of stream: String) throws(EventStoreError) -> Int64 { try inner.version(of: stream) }
    func statistics(since: Date) throws(EventStoreError) -> StoreStatistics { try inner.statistics(since: since) }
    func recordedCommand(_ commandId: String) throws(EventStoreError) -> [Int64]? { try inner.recordedCommand(commandId) }
    func saveSnapshot(_ snapshot: Snapshot) throws(EventStoreError) { try room(); try inner.saveSnapshot(snapshot) }
    func loadSnapshot(stream: String) throws(EventStoreError) -> Snapshot? { try inner.loadSnapshot(stream: stream) }
    func info(_ key: String) throws(EventStoreError) -> String? { try inner.info(key) }
    func setInfoIfAbsent(_ key: String, _ value: String) throws(EventStoreError) -> String { try room(); return try inner.setInfoIfAbsent(key, value) }
    func checkpoint(of subscriber: String) throws(EventStoreError) -> Int64 { try inner.checkpoint(of: subscriber) }
    func saveCheckpoint(_ position: Int64, of subscriber: String) throws(EventStoreError) { try room(); try inner.saveCheckpoint(position, of: subscriber) }
    func loadRows(of model: String) throws(EventStoreError) -> (rows: [String: Data], checkpoint: Int64) { try inner.loadRows(of: model) }
    func loadRows(of model: String, leavingInTable history: HistoryRows) throws(EventStoreError) -> (rows: [String: Data], history: Set<String>, checkpoint: Int64) {
        try inner.loadRows(of: model, leavingInTable: history)
    }
    func commitTogether(_ parts: [ReadModelPart], ifGeneration generation: Int64?) throws(EventStoreError) -> [(any Error)?] {
        try room()
        calls.withLock { $0.commits += 1 }
        return try inner.commitTogether(parts, ifGeneration: generation)
    }
    func writeShadow(of model: String, rows: [String: Data], deleted: Set<String>, fresh: Bool) throws(EventStoreError) {
        try room()
        try inner.writeShadow(of: model, rows: rows, deleted: deleted, fresh: fresh)
    }
    func swapShadows(_ checkpoints: [String: Int64], catchingUp: ShadowCatchUp?) throws(EventStoreError) -> ShadowSwap {
        try room()
        return try inner.swapShadows(checkpoints, catchingUp: catchingUp)
    }
    func dropShadows(of models: [String]) throws(EventStoreError) { try room(); try inner.dropShadows(of: models) }
    func readModelGeneration() throws(EventStoreError) -> Int64 { try inner.readModelGeneration() }
    func recordFailure(_ failure: FailureRecord) throws(EventStoreError) -> FailureRecord { try room(); return try inner.recordFailure(failure) }
    func failures(includeResolved: Bool) throws(EventStoreError) -> [FailureRecord] { try inner.failures(includeResolved: includeResolved) }
    func resolveFailure(id: Int64, resolution: String, at: Date) throws(EventStoreError) { try room(); try inner.resolveFailure(id: id, resolution: resolution, at: at) }
    func skip(subscriber: String, position: Int64, failureId: Int64, at: Date) throws(EventStoreError) {
        try room()
        try inner.skip(subscriber: subscriber, position: position, failureId: failureId, at: at)
    }
}

/// A box office, a synchronous bus and the read models on one `FillingDisk`.
struct DiskRig {
    let disk = FillingDisk()
    let clock = ManualClock()
    let box: BoxOffice
    let bus: EventBus
    let read: ReadSide

    init() {
        box = BoxOffice(store: disk, clock: clock)
        bus = EventBus(store: disk, clock: clock, dispatch: .synchronous)
        read = ReadSide(storage: disk)
        read.register(on: bus)
    }
}

@Suite("A full disk")
struct FullDiskTests {
    @Test func givenAFullDisk_whenTheFailureCannotBeRecorded_thenTheSubscriberKeepsRetryingAndCatchesUpOnItsOwn() async throws {
        let rig = DiskRig()
        let (disk, clock, box, bus, read) = (rig.disk, rig.clock, rig.box, rig.bus, rig.read)
        defer { box.close() }
        let heard = Mutex(0)
        bus.onAdvance { heard.withLock { $0 += 1 } }
        try bus.start()
        _ = try await box.execute(.createShow(ShowID("s"), name: "S", venue: Harness.venue, startsAt: clock.now()), Harness.ana)
        disk.full.withLock { $0 = true }
        // Every attempt to commit fails, then the failure record cannot be written either.
        for _ in 0..<(bus.policy.maxAttempts + 3) {
            bus.drain()
            clock.advance(by: bus.policy.maxDelay)
        }
        #expect(try disk.failures(includeResolved: true).isEmpty)
        #expect(bus.statuses.allSatisfy { $0.state.name == "retrying" }, "\(bus.statuses.map(\.state))")
        if case .retrying(_, let next, let error) = bus.statuses[0].state {
            #expect(error.contains("could not be recorded") && error.contains("keeps retrying"))
            #expect(next.timeIntervalSince(clock.now()) <= EventBus.unrecordedRetryCap)
        }
        #expect(bus.notices.contains { $0.message.contains("could not be recorded") })
        // The console hears of it although nobody moved forward.
        #expect(heard.withLock { $0 } > 0)
        let before = heard.withLock { $0 }

        disk.full.withLock { $0 = false }
        clock.advance(by: EventBus.unrecordedRetryCap)
        bus.drain()
        let head = try disk.headPosition()
        #expect(head > 0)
        #expect(bus.statuses.allSatisfy { $0.state == .running && $0.checkpoint == head }, "\(bus.statuses)")
        #expect(read.snapshot().shows["s"] != nil)
        #expect(heard.withLock { $0 } > before)
    }

    @Test func givenSubscribersStoppedOnOneEvent_thenListenersHearOfItAndTheFailuresAreShared() async throws {
        let h = try Harness()
        let bus = EventBus(store: h.store, clock: h.clock, dispatch: .synchronous)
        let first = Flaky(name: "one", failOn: ["ShowSubmitted"], store: h.store)
        let second = Flaky(name: "two", failOn: ["ShowSubmitted"], store: h.store)
        bus.add(first)
        bus.add(second)
        let heard = Mutex(0)
        bus.onAdvance { heard.withLock { $0 += 1 } }
        try bus.start()
        _ = try await h.box.execute(.createShow(ShowID("s"), name: "S", venue: Harness.venue, startsAt: h.clock.now()), Harness.ana)
        _ = try await h.box.execute(.submitShow(ShowID("s")), Harness.ana)
        bus.drain()
        let afterFirstEvent = heard.withLock { $0 }
        for _ in 0..<bus.policy.maxAttempts {
            h.clock.advance(by: bus.policy.maxDelay)
            bus.drain()
        }
        #expect(bus.statuses.allSatisfy { $0.state.name == "stopped" })
        #expect(bus.failures.count == 2)
        // Nobody advanced after the first event, yet every stop was announced.
        #expect(heard.withLock { $0 } > afterFirstEvent)
        _ = try await h.box.execute(.blockSeats(ShowID("s"), seats: [SeatID("Stalls-A-1")]), Harness.ana)
        let beforeGrowth = heard.withLock { $0 }
        bus.drain()
        #expect(bus.statuses.allSatisfy { $0.lag == 2 })
        #expect(heard.withLock { $0 } > beforeGrowth)
    }
}
