@testable import BoxOffice
import EventStore
import Foundation
import GRDB
import Testing
import Ticketing

@Suite("Rebuild and verify")
struct RebuildTests {
    let ana = Harness.ana

    /// A store with a little of everything, its read models caught up.
    func busyStore() async throws -> ReadHarness {
        let r = try ReadHarness()
        let show = try await r.h.onSale()
        for (index, customer) in ["Ben", "Cy", "Dee", "Eve"].enumerated() {
            let held = try await r.box.reserveSeats(show, seats: [SeatID("Stalls-A-\(index + 1)")], customer: customer, ana)
            let id = try #require(held.reservationID)
            if index.isMultiple(of: 2) { _ = try await r.box.execute(.confirmReservation(id), CommandContext(actor: "saga")) }
        }
        _ = try await r.box.execute(.blockSeats(show, seats: [SeatID("Stalls-B-6")]), ana)
        r.clock.advance(by: 301)
        for hold in r.models().holds.byExpiry() {
            _ = try await r.box.execute(.expireHold(hold.reservationId), CommandContext(actor: "saga"))
        }
        r.bus.drain()
        return r
    }

    /// Another process keeps folding while this one rebuilds: the swap must never set a
    /// checkpoint back, and catching up to where the other got must leave exact rows — the
    /// feed, which keeps its last N entries, included.
    @Test func givenAWriterFoldingAheadDuringARebuild_whenItSwaps_thenItCatchesUpAndEveryModelIsExact() async throws {
        let r = try ReadHarness(feedLimit: 5)
        let show = try await r.h.onSale()
        r.bus.drain()
        let codec = EventCodec()
        var toggles = 0
        func appendBeside(_ count: Int) throws {
            for _ in 0..<count {
                let seat = [SeatID("Stalls-B-1")]
                let event: DomainEvent = toggles.isMultiple(of: 2)
                    ? .seatsBlocked(SeatsBlocked(showId: show, reservationId: nil, seats: seat, by: "other", at: r.clock.now()))
                    : .seatsUnblocked(SeatsUnblocked(showId: show, reservationId: nil, seats: seat, by: "other", at: r.clock.now()))
                toggles += 1
                _ = try r.h.store.append(AppendRequest(writes: [StreamWrite(stream: StreamRef.inventory(show).name, expected: .any, events: [
                    try codec.encode(event, metadata: EventMetadata(correlationId: "C-OTHER", actor: "other")),
                ])], recordedAt: r.clock.now()))
            }
            // The other process's bus folds them and commits its rows past the rebuild's head.
            r.bus.drain()
        }
        var appended = false
        let written = try Rebuild.run(storage: r.h.store, mode: .write, feedLimit: 5, batchSize: 1) { _ in
            guard !appended else { return }
            appended = true
            try? appendBeside(12)
        }
        let head = try r.h.store.headPosition()
        #expect(written.allSatisfy { $0.checkpoint == head }, "\(written.map(\.checkpoint)) vs \(head)")
        let verified = try Rebuild.run(storage: r.h.store, mode: .verify, feedLimit: 5)
        #expect(verified.allSatisfy { $0.matches }, "\(verified.filter { !$0.matches })")
        #expect(try r.h.store.loadRows(of: "eventFeed").rows.count == 5)
    }

    @Test func aRebuildEqualsTheLiveReadModels() async throws {
        let r = try await busyStore()
        let live = r.read.snapshot()
        let verified = try Rebuild.run(storage: r.h.store, mode: .verify)
        #expect(verified.count == ReadSide.projectionNames.count)
        #expect(verified.allSatisfy { $0.matches }, "\(verified.filter { !$0.matches })")
        var progress: [Rebuild.Progress] = []
        let written = try Rebuild.run(storage: r.h.store, mode: .write, batchSize: 5) { progress.append($0) }
        let head = try r.h.store.headPosition()
        #expect(written.allSatisfy { $0.checkpoint == head })
        #expect(progress.last?.done == progress.last?.total)
        #expect(progress.count > 2)
        // A fresh read side loads exactly what the live one had.
        let reloaded = ReadSide(storage: r.h.store)
        for subscriber in reloaded.subscribers { _ = try subscriber.start() }
        #expect(reloaded.snapshot() == live)
    }

    @Test func verifyFindsADeliberatelyCorruptedRowAndLeavesLiveTablesAlone() async throws {
        let r = try await busyStore()
        try await r.h.store.database.write { db in
            try db.execute(sql: "UPDATE rm_sales_analytics SET value = json_set(value, '$.sold', 99) WHERE key = 'tiny-sat'")
            try db.execute(sql: "DELETE FROM rm_show_queue WHERE key = 'tiny-sat'")
        }
        let before = try r.h.store.loadRows(of: "salesAnalytics")
        let reports = try Rebuild.run(storage: r.h.store, mode: .verify)
        let sales = try #require(reports.first { $0.projection == "salesAnalytics" })
        #expect(!sales.matches)
        #expect(sales.updated == 1)
        #expect(sales.differingKeys == ["tiny-sat"])
        let shows = try #require(reports.first { $0.projection == "showQueue" })
        #expect(shows.inserted == 1 && shows.differingKeys == ["tiny-sat"])
        #expect(reports.filter(\.matches).count == ReadSide.projectionNames.count - 2)
        #expect(try r.h.store.loadRows(of: "salesAnalytics").rows == before.rows)
    }

    @Test func aDryRunCountsInsertsUpdatesAndDeletesAndWritesNothing() async throws {
        let r = try await busyStore()
        try await r.h.store.database.write { db in
            try db.execute(sql: "DELETE FROM rm_event_feed WHERE key = '000000000003'")
            try db.execute(sql: "INSERT INTO rm_holds (key, value) VALUES ('R-GHOST', '{}')")
            try db.execute(sql: "UPDATE rm_available_seats SET value = json_set(value, '$.held', 7)")
        }
        let reports = try Rebuild.run(storage: r.h.store, names: ["eventFeed", "holds", "availableSeats"], mode: .dryRun)
        #expect(reports.map(\.projection) == ["availableSeats", "holds", "eventFeed"])
        #expect(reports.map { [$0.inserted, $0.updated, $0.deleted] } == [[0, 1, 0], [0, 0, 1], [1, 0, 0]])
        #expect(try r.h.store.loadRows(of: "holds").rows["R-GHOST"] != nil)
    }

    /// `replay --from P` once emptied every model and folded P…head alone ("no shows yet").
    /// It restores each model to just before P from the log, never from live rows, and so
    /// repairs damaged rows without applying any event twice.
    @Test func repairingFromAPositionRestoresDamagedRowsAndCountsEveryEventOnce() async throws {
        let r = try await busyStore()
        let live = r.read.snapshot()
        try await r.h.store.database.write { db in
            try db.execute(sql: "DELETE FROM rm_show_queue")
            try db.execute(sql: "UPDATE rm_sales_analytics SET value = json_set(value, '$.sold', 99)")
        }
        let head = try r.h.store.headPosition()
        let reports = try Rebuild.run(storage: r.h.store, from: head - 2, mode: .write)
        #expect(reports.allSatisfy { $0.restoredThrough == head - 3 && $0.checkpoint == head })
        let shows = try #require(reports.first { $0.projection == "showQueue" })
        #expect(shows.inserted == 1 && shows.rows == 1)
        let sales = try #require(reports.first { $0.projection == "salesAnalytics" })
        #expect(sales.updated == 1 && sales.inserted == 0 && sales.deleted == 0)
        #expect(try Rebuild.run(storage: r.h.store, mode: .verify).allSatisfy(\.matches))
        // The running read side reloads what was swapped in: the same as before the damage.
        #expect(r.models() == live)
    }

    /// A console holds its rows in memory: after a rebuild swaps new rows in, it draws those,
    /// without a restart, and goes on folding from where it was.
    @Test func givenARunningReadSideOnDamagedRows_whenARebuildSwaps_thenItDrawsTheRebuiltRowsAndFoldsOn() async throws {
        let r = try await busyStore()
        let truth = r.read.snapshot()
        try await r.h.store.database.write { db in
            try db.execute(sql: "UPDATE rm_show_queue SET value = json_set(value, '$.name', 'DAMAGED')")
        }
        // A console opened on the damaged store.
        let console = ReadSide(storage: r.h.store)
        let bus = EventBus(store: r.h.store, clock: r.clock, dispatch: .synchronous)
        console.register(on: bus)
        try bus.start()
        #expect(console.snapshot().shows["tiny-sat"]?.name == "DAMAGED")
        let written = try Rebuild.run(storage: r.h.store, mode: .write)
        #expect(written.first { $0.projection == "showQueue" }?.updated == 1)
        // Until its bus looks, it draws the old rows; then the new ones.
        #expect(console.snapshot().shows["tiny-sat"]?.name == "DAMAGED")
        bus.drain()
        #expect(console.snapshot().shows["tiny-sat"]?.name == "Saturday")
        #expect(console.snapshot().sales == truth.sales)
        // It folds on from there, as does every other process on the store.
        _ = try await r.box.reserveSeats(ShowID("tiny-sat"), seats: [SeatID("Stalls-A-6")], customer: "Fay", ana)
        bus.drain()
        #expect(console.snapshot().holds.values.contains { $0.customer == "Fay" })
        #expect(try Rebuild.run(storage: r.h.store, mode: .verify).allSatisfy(\.matches))
    }

    /// The console above, but it commits before it looks for a swap (it looks once a poll
    /// interval): that commit would write rows folded onto the damaged ones over the rebuilt
    /// ones. It is refused, the console reloads, and what it then commits is exact.
    @Test func aCommitFoldedOntoReplacedRowsIsRefusedAndRedoneOnTheRebuiltRows() async throws {
        let r = try await busyStore()
        try await r.h.store.database.write { db in
            try db.execute(sql: "UPDATE rm_sales_analytics SET value = json_set(value, '$.sold', 99)")
        }
        let console = ReadSide(storage: r.h.store)
        let bus = EventBus(store: r.h.store, clock: r.clock, dispatch: .synchronous, pollInterval: 3_600)
        console.register(on: bus)
        try bus.start()
        bus.drain()
        #expect(console.snapshot().sales["tiny-sat"]?.sold == 99)
        _ = try Rebuild.run(storage: r.h.store, mode: .write)
        _ = try await r.box.reserveSeats(ShowID("tiny-sat"), seats: [SeatID("Stalls-A-6")], customer: "Hal", ana)
        bus.drain()
        #expect(console.snapshot().sales["tiny-sat"]?.sold == 2)
        #expect(try Rebuild.run(storage: r.h.store, mode: .verify).allSatisfy(\.matches))
    }

    /// Rows swapped in at a checkpoint behind a runner's position: the runner folds the events
    /// in between onto them, once.
    @Test func aReloadBehindTheRunnersPositionFoldsTheGapOnce() async throws {
        let r = try await busyStore()
        _ = try Rebuild.run(storage: r.h.store, mode: .write)
        let swapped = try r.h.store.checkpoint(of: "salesAnalytics")
        // A read-only console folds in memory only, so the table stays at the swap's checkpoint.
        let console = ReadSide(storage: r.h.store, persists: false)
        let bus = EventBus(store: r.h.store, clock: r.clock, dispatch: .synchronous)
        console.register(on: bus)
        try bus.start()
        let before = console.snapshot().sales["tiny-sat"]?.requested ?? 0
        _ = try await r.box.reserveSeats(ShowID("tiny-sat"), seats: [SeatID("Stalls-A-5")], customer: "Gus", ana)
        bus.drain()
        #expect(console.snapshot().sales["tiny-sat"]?.requested == before + 1)
        #expect(try r.h.store.checkpoint(of: "salesAnalytics") == swapped)
        try console.sales.reload()
        #expect(console.snapshot().sales["tiny-sat"]?.requested == before + 1)
        #expect(console.snapshot().position > swapped)
    }
}
