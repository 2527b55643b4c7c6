@testable import BoxOffice
import EventStore
import Foundation
import Testing
import Ticketing

/// A console leaves closed shows' sections and sales in their tables: opening a store reads what
/// the first frame draws. Events that still reach those rows (a cancelled show's refunds) are
/// folded into the stored rows at commit — never twice, never lost.
@Suite("History left in the table")
struct HistoryResidencyTests {
    /// A store with two shows: one closed after selling two seats (history), one still on sale.
    func closedAndOnSale() async throws -> (path: String, clock: ManualClock, closed: ShowID, open: ShowID, sold: [ReservationID]) {
        let first = try SagaHarness()
        let closed = try await first.onSale()
        var sold: [ReservationID] = []
        for seat in ["Stalls-A-1", "Stalls-A-2"] {
            let reservation = try await first.hold(closed, [seat])
            try await first.pay(reservation)
            sold.append(reservation)
        }
        await first.run(for: 5)
        _ = try await first.box.execute(.closeSales(closed), Harness.ana)
        let open = ShowID("later-show")
        _ = try await first.box.execute(.createShow(open, name: "Later", venue: Harness.venue, startsAt: first.clock.now().addingTimeInterval(86_400)), Harness.ana)
        _ = try await first.box.execute(.submitShow(open), Harness.ana)
        _ = try await first.box.execute(.approveShow(open), Harness.bo)
        await first.run(for: 5)
        first.runtime.shutdown()
        return (first.path, first.clock, closed, open, sold)
    }

    @Test func aConsoleOpensWithoutAClosedShowsRowsAndReadsThemWhenAsked() async throws {
        let store = try await closedAndOnSale()
        let console = try SagaHarness(path: store.path, clock: store.clock, leavingHistory: true)
        let models = console.runtime.read.snapshot()
        #expect(models.seats.historyShows == [store.closed.rawValue])
        #expect(models.sales.historyShows == [store.closed.rawValue])
        #expect(models.seats.sections(of: store.closed).isEmpty && models.sales[store.closed.rawValue] == nil)
        #expect(models.seats.totals(store.open).capacity == 12 && models.sales[store.open.rawValue] != nil)
        let history = try console.runtime.read.history()
        #expect(history.seats.totals(store.closed).sold == 2)
        #expect(history.sales[store.closed.rawValue]?.sold == 2)
        #expect(history.seats.sections(of: store.open).isEmpty, "only what was left in the table")
        // A process that loads everything sees the same rows.
        let headless = try SagaHarness(path: store.path, clock: store.clock)
        #expect(headless.runtime.read.snapshot().sales[store.closed.rawValue] == history.sales[store.closed.rawValue])
    }

    @Test func givenAClosedShowLeftInTheTable_whenItIsCancelled_thenItsRefundsReachTheStoredRowsOnce() async throws {
        let store = try await closedAndOnSale()
        let console = try SagaHarness(path: store.path, clock: store.clock, leavingHistory: true)
        _ = try await console.box.execute(.cancelShow(store.closed, reason: "Storm damage"), Harness.ana)
        await console.run(for: 5)
        for reservation in store.sold { #expect(try console.types(reservation).last == "ReservationRefunded") }
        // Activity on the open show goes on in memory beside it.
        let held = try await console.hold(store.open, ["Stalls-B-1"])
        await console.run(for: 1)
        #expect(console.runtime.read.snapshot().holds[held.rawValue] != nil)
        let history = try console.runtime.read.history()
        #expect(history.seats.totals(store.closed).sold == 0)
        #expect(history.sales[store.closed.rawValue].map { ($0.sold, $0.refunded, $0.revenueMinor) } ?? (-1, -1, -1) == (0, 2, 0))
        // Folding the whole log again gives exactly the stored rows: nothing lost, nothing twice.
        let differing = try Rebuild.run(storage: console.runtime.store, mode: .verify).filter { !$0.matches }
        #expect(differing.isEmpty, "\(differing)")
    }

    @Test func aRebuildSwappedInBesideAConsoleLeavesItsHistoryExact() async throws {
        let store = try await closedAndOnSale()
        let console = try SagaHarness(path: store.path, clock: store.clock, leavingHistory: true)
        _ = try Rebuild.run(storage: try SQLiteEventStore(path: store.path), mode: .write)
        // The console reloads the swapped rows (history again left in the table), then the
        // cancelled show's refunds reach the new stored rows.
        _ = try await console.box.execute(.cancelShow(store.closed, reason: "Flood"), Harness.ana)
        await console.run(for: 5)
        #expect(console.runtime.read.snapshot().seats.historyShows == [store.closed.rawValue])
        #expect(try console.runtime.read.history().sales[store.closed.rawValue]?.refunded == 2)
        let differing = try Rebuild.run(storage: console.runtime.store, mode: .verify).filter { !$0.matches }
        #expect(differing.isEmpty, "\(differing)")
    }
}
