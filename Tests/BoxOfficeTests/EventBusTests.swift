@testable import BoxOffice
import EventStore
import Foundation
import Testing
import Ticketing

/// A subscriber that fails on chosen event types until told to stop failing.
final class Flaky: EventSubscriber, @unchecked Sendable {
    let name: String
    var failOn: Set<String>
    var seen: [Int64] = []
    var committed: Int64 = 0
    let store: any EventStore

    init(name: String = "flaky", failOn: Set<String>, store: any EventStore) {
        self.name = name
        self.failOn = failOn
        self.store = store
    }

    func start() throws -> Int64 { try store.checkpoint(of: name) }
    func handle(_ event: DeliveredEvent) throws {
        if failOn.contains(event.recorded.type) { throw Boom(type: event.recorded.type) }
        seen.append(event.position)
    }
    func commit(through position: Int64) -> ReadModelPart? {
        let name = name
        return { try $0.setCheckpoint(position, of: name) }
    }
    func committed(through position: Int64, durable: Bool) {
        if durable { committed = position }
    }
    func skipped(through position: Int64) { committed = position }

    struct Boom: Error, CustomStringConvertible {
        let type: String
        var description: String { "cannot handle \(type)" }
    }
}

/// A subscriber whose writes fail (after writing a row) until told to stop failing.
final class FailingWrites: EventSubscriber, @unchecked Sendable {
    let name = "failingWrites"
    var failing = true
    var durable: Int64 = 0
    let store: any EventStore

    init(store: any EventStore) { self.store = store }

    func start() throws -> Int64 { try store.checkpoint(of: name) }
    func handle(_ event: DeliveredEvent) throws {}
    func commit(through position: Int64) -> ReadModelPart? {
        let (name, failing) = (name, failing)
        return { transaction in
            try transaction.write(name, rows: ["last": Data("\(position)".utf8)], deleted: [])
            try transaction.setCheckpoint(position, of: name)
            if failing { throw Flaky.Boom(type: "(commit)") }
        }
    }
    func committed(through position: Int64, durable: Bool) { if durable { self.durable = position } }
    func skipped(through position: Int64) {}
}

@Suite("Event bus")
struct EventBusTests {
    let ana = Harness.ana

    @Test func aFailingSubscriberIsRetriedWithExponentialBackoffOnTheInjectedClock() async throws {
        let h = try Harness()
        let flaky = Flaky(failOn: ["ShowSubmitted"], store: h.store)
        let bus = EventBus(store: h.store, clock: h.clock, dispatch: .synchronous)
        bus.add(flaky)
        try bus.start()
        _ = try await h.box.execute(.createShow(ShowID("s"), name: "S", venue: Harness.venue, startsAt: h.clock.now()), ana)
        _ = try await h.box.execute(.submitShow(ShowID("s")), ana)
        _ = try await h.box.execute(.blockSeats(ShowID("s"), seats: [SeatID("Stalls-A-1")]), ana)
        let start = h.clock.now()
        bus.drain()
        // The two events before the failing one are handled and committed; later ones wait.
        #expect(flaky.seen == [1, 2])
        #expect(flaky.committed == 2)
        var expectedDelays: [TimeInterval] = []
        for attempt in 1..<8 {
            guard case .retrying(let n, let next, let error) = bus.statuses[0].state else {
                Issue.record("expected retrying after attempt \(attempt), got \(bus.statuses[0].state)")
                return
            }
            #expect(n == attempt)
            #expect(error == "cannot handle ShowSubmitted")
            let delay = next.timeIntervalSince(h.clock.now())
            expectedDelays.append(delay)
            // Not yet due: nothing happens.
            h.clock.advance(by: delay / 2)
            bus.drain()
            #expect(bus.statuses[0].state.name == "retrying")
            h.clock.advance(by: delay - delay / 2)
            bus.drain()
        }
        #expect(expectedDelays.map { ($0 * 1000).rounded() } == [100, 200, 400, 800, 1_600, 3_200, 6_400])
        guard case .stopped(let position, let failureId, _) = bus.statuses[0].state else {
            Issue.record("expected stopped after 8 attempts")
            return
        }
        #expect(position == 3)
        let failure = try #require(try h.store.failures(includeResolved: false).first)
        #expect(failure.id == failureId)
        #expect((failure.subscriber, failure.position, failure.eventType, failure.attempts) == ("flaky", 3, "ShowSubmitted", 8))
        #expect(failure.error == "cannot handle ShowSubmitted")
        #expect(failure.firstAttemptAt == start)
        #expect(failure.lastAttemptAt == h.clock.now())
        #expect(flaky.seen == [1, 2])
        #expect(bus.statuses[0].lag == 2)
        #expect(bus.notices.last?.message.contains("stopped at #3") == true)
    }

    @Test func theBackoffIsCappedAndConfigurable() {
        var policy = EventBus.RetryPolicy()
        #expect(policy.delay(after: 1) == 0.1)
        #expect(policy.delay(after: 20) == 30)
        policy.initialDelay = 1
        policy.multiplier = 3
        #expect(policy.delay(after: 3) == 9)
    }

    func stoppedFlaky() async throws -> (Harness, Flaky, EventBus) {
        let h = try Harness()
        let flaky = Flaky(failOn: ["ShowSubmitted"], store: h.store)
        var policy = EventBus.RetryPolicy()
        policy.maxAttempts = 2
        let bus = EventBus(store: h.store, clock: h.clock, dispatch: .synchronous, policy: policy)
        bus.add(flaky)
        try bus.start()
        _ = try await h.box.execute(.createShow(ShowID("s"), name: "S", venue: Harness.venue, startsAt: h.clock.now()), ana)
        _ = try await h.box.execute(.submitShow(ShowID("s")), ana)
        _ = try await h.box.execute(.approveShow(ShowID("s")), Harness.bo)
        bus.drain()
        h.clock.advance(by: 1)
        bus.drain()
        return (h, flaky, bus)
    }

    @Test func anOperatorRetryResumesTheSubscriberAndClosesTheFailure() async throws {
        let (h, flaky, bus) = try await stoppedFlaky()
        #expect(bus.statuses[0].state.name == "stopped")
        flaky.failOn = []
        bus.retry("flaky")
        bus.drain()
        #expect(flaky.seen == [1, 2, 3, 4])
        #expect(bus.statuses[0].state == .running)
        #expect(try h.store.failures(includeResolved: false).isEmpty)
        #expect(try h.store.failures(includeResolved: true).first?.resolution == "retried")
    }

    @Test func anOperatorSkipMovesPastTheEventAndRecordsIt() async throws {
        let (h, flaky, bus) = try await stoppedFlaky()
        #expect(try bus.skip("flaky"))
        bus.drain()
        #expect(flaky.seen == [1, 2, 4])
        #expect(try h.store.checkpoint(of: "flaky") == 4)
        let failure = try #require(try h.store.failures(includeResolved: true).first)
        #expect(failure.resolution == "skipped")
        #expect(failure.resolvedAt == h.clock.now())
        #expect(try !bus.skip("flaky"))
    }

    @Test func aSkipOrRetryFromAnotherProcessIsPickedUp() async throws {
        let (h, flaky, bus) = try await stoppedFlaky()
        let failure = try #require(try h.store.failures(includeResolved: false).first)
        let elsewhere = try SQLiteEventStore(path: h.path)
        try elsewhere.skip(subscriber: "flaky", position: failure.position, failureId: failure.id, at: h.clock.now())
        bus.drain()
        #expect(flaky.seen == [1, 2, 4])
        #expect(bus.statuses[0].state == .running)

        let (h2, flaky2, bus2) = try await stoppedFlaky()
        flaky2.failOn = []
        let open = try #require(try h2.store.failures(includeResolved: false).first)
        try SQLiteEventStore(path: h2.path).resolveFailure(id: open.id, resolution: "retried", at: h2.clock.now())
        bus2.drain()
        #expect(flaky2.seen == [1, 2, 3, 4])
    }

    @Test func aSubscriberStoppedAtAFailureStaysStoppedAfterARestart() async throws {
        let (h, _, _) = try await stoppedFlaky()
        let again = Flaky(failOn: [], store: h.store)
        let bus = EventBus(store: h.store, clock: h.clock, dispatch: .synchronous)
        bus.add(again)
        try bus.start()
        bus.drain()
        #expect(bus.statuses[0].state.name == "stopped")
        #expect(again.seen.isEmpty)
        bus.retry("flaky")
        bus.drain()
        #expect(again.seen == [3, 4])
        #expect(try h.store.failures(includeResolved: false).isEmpty)
    }

    @Test func aStoppedSubscriberDoesNotHoldBackTheOthers() async throws {
        let (h, _, _) = try await stoppedFlaky()
        let read = ReadSide(storage: h.store)
        let flaky = Flaky(failOn: ["ShowSubmitted"], store: h.store)
        let bus = EventBus(store: h.store, clock: h.clock, dispatch: .synchronous)
        read.register(on: bus)
        bus.add(flaky)
        try bus.start()
        bus.drain()
        #expect(read.snapshot().shows["s"]?.status == .approved)
        let report = try MonitorReport.make(store: h.store, bus: bus, now: h.clock.now())
        #expect(report.subscribers.first { $0.name == "flaky" }?.state == "stopped")
        #expect(report.subscribers.filter { $0.name != "flaky" }.allSatisfy { $0.lag == 0 && $0.state == "running" })
        #expect(report.failures.count == 1)
        #expect(report.eventsByType["ShowSubmitted"] == 1)
        #expect(report.events == 4)
        #expect(report.eventsToday == 4)
        let offline = try MonitorReport.make(store: h.store, subscribers: ["flaky", "holds"], now: h.clock.now())
        #expect(offline.subscribers.map(\.state) == ["stopped", "running"])
        #expect(offline.subscribers.map(\.lag) == [2, 0])
    }

    @Test func anAsynchronousBusKeepsUpOnItsOwnAndIsWokenByLocalCommits() async throws {
        let h = try Harness()
        let read = ReadSide(storage: h.store)
        let bus = EventBus(store: h.store, clock: h.clock, dispatch: .asynchronous, pollInterval: 10)
        read.register(on: bus)
        h.box.onCommit { bus.offer($0) }
        try bus.start()
        defer { bus.stop() }
        _ = try await h.onSale()
        // The poll interval is 10 s, so only the commit notification can bring this in time.
        let deadline = Date().addingTimeInterval(5)
        while read.snapshot().shows["tiny-sat"]?.status != .approved, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(read.snapshot().shows["tiny-sat"]?.status == .approved)
        #expect(bus.drain(timeout: 5))
    }

    @Test func anotherProcessesAppendReachesThisProcessWithinAPoll() async throws {
        let h = try Harness()
        let read = ReadSide(storage: h.store)
        let bus = EventBus(store: h.store, clock: h.clock, dispatch: .asynchronous)
        read.register(on: bus)
        try bus.start()
        defer { bus.stop() }
        // A second box office with its own connections stands in for another process; the OS
        // process version of this lives in EndToEndTests.
        let other = try h.sibling()
        _ = try await other.execute(.createShow(ShowID("elsewhere"), name: "Elsewhere", venue: Harness.venue, startsAt: h.clock.now()), ana)
        let deadline = Date().addingTimeInterval(10)
        while read.snapshot().shows["elsewhere"] == nil, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(read.snapshot().shows["elsewhere"]?.status == .draft)
    }

    @Test func ownCommitsReachSubscribersWithoutAReadAndEachBatchCommitsOnce() async throws {
        let rig = DiskRig()
        let (store, clock, box, bus, read) = (rig.disk, rig.clock, rig.box, rig.bus, rig.read)
        defer { box.close() }
        box.onCommit { bus.offer($0) }
        try bus.start()
        let show = ShowID("own")
        for command in [Command.createShow(show, name: "Own", venue: Harness.venue, startsAt: clock.now()), .submitShow(show), .approveShow(show)] {
            _ = try await box.execute(command, command == .approveShow(show) ? Harness.bo : ana)
        }
        store.calls.withLock { $0 = (0, 0, 0) }
        bus.drain()
        #expect(read.snapshot().shows["own"]?.status == .approved)
        // Three events handed over by the writer: none read back, six read models in one transaction.
        #expect(store.calls.withLock { $0.eventsRead } == 0)
        #expect(store.calls.withLock { $0.commits } == 1)
        // Another process's event is read from the store, once for every subscriber.
        _ = try await BoxOffice(store: store, clock: clock).execute(.closeSales(show), ana)
        bus.drain()
        #expect(read.snapshot().shows["own"]?.status != .approved)
        #expect(store.calls.withLock { $0.eventsRead } == 1)
        #expect(store.calls.withLock { $0.commits } == 2)
    }

    @Test func aSubscriberWhoseWritesFailIsRolledBackAloneWhileTheOthersCommitInTheSameTransaction() async throws {
        let h = try Harness()
        let failing = FailingWrites(store: h.store)
        let bus = EventBus(store: h.store, clock: h.clock, dispatch: .synchronous)
        let read = ReadSide(storage: h.store)
        read.register(on: bus)
        bus.add(failing)
        try bus.start()
        _ = try await h.onSale()
        let head = try h.store.headPosition()
        bus.drain()
        // The read models committed; the failing part left neither its row nor its checkpoint.
        #expect(try h.store.checkpoint(of: "showQueue") == head)
        #expect(try h.store.loadRows(of: "showQueue").rows["tiny-sat"] != nil)
        #expect(try h.store.checkpoint(of: failing.name) == 0)
        #expect(try h.store.loadRows(of: failing.name).rows.isEmpty)
        #expect(failing.durable == 0)
        #expect(bus.statuses.first { $0.name == failing.name }?.state.name == "retrying")
        #expect(bus.statuses.filter { $0.name != failing.name }.allSatisfy { $0.state == .running && $0.lag == 0 })
        // Once it can write, it catches up by itself.
        failing.failing = false
        h.clock.advance(by: bus.policy.maxDelay)
        bus.drain()
        #expect(try h.store.checkpoint(of: failing.name) == head)
        #expect(failing.durable == head)
        #expect(bus.statuses.allSatisfy { $0.state == .running && $0.lag == 0 })
    }
}
