@testable import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Synchronization
import Testing
import Ticketing

@Suite("Command handling")
struct CommandHandlingTests {
    /// Holds every seat but the last one, so racers fight over `Stalls-B-6`.
    func lastSeatLeft(_ h: Harness, _ show: ShowID) async throws {
        let all = (1...6).map { SeatID("Stalls-A-\($0)") } + (1...5).map { SeatID("Stalls-B-\($0)") }
        _ = try await h.box.execute(.blockSeats(show, seats: all), Harness.ana)
    }

    @Test func givenOneSeatLeft_whenTwentyTasksRaceForIt_thenExactlyOneHoldsIt() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        try await lastSeatLeft(h, show)
        let box = h.box
        let outcomes = await withTaskGroup(of: Result<CommandResult, BoxOfficeError>.self) { group in
            for index in 0..<20 {
                group.addTask {
                    do throws(BoxOfficeError) {
                        return .success(try await box.reserveSeats(show, seats: [SeatID("Stalls-B-6")], customer: "buyer \(index)", CommandContext(actor: "buyer-\(index)")))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let winners = outcomes.compactMap { try? $0.get() }
        #expect(winners.count == 1)
        for case .failure(let error) in outcomes {
            #expect(error == .refused(.seatsUnavailable([SeatID("Stalls-B-6")])))
        }
        let held = try h.log().filter { $0.0.type == "SeatsHeld" }
        #expect(held.count == 1)
        let replayed = try #require(try h.replayedInventory(show))
        #expect(replayed.availableCount == 0)
        #expect(replayed.state(of: SeatID("Stalls-B-6")) == .held(try #require(winners.first?.reservationID), until: h.clock.now().addingTimeInterval(300)))
    }

    @Test func givenTwoBoxOfficesOnOneFile_whenBothReserveTheLastSeat_thenOneWinsAndTheOtherIsToldClearly() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        try await lastSeatLeft(h, show)
        let other = try h.sibling()
        // Warm both caches so each decides on its own view before the race.
        _ = try? await other.execute(.unblockSeats(show, seats: [SeatID("Stalls-B-6")]), Harness.ana)
        func attempt(_ box: BoxOffice, _ customer: String) async -> Result<CommandResult, BoxOfficeError> {
            do throws(BoxOfficeError) {
                return .success(try await box.reserveSeats(show, seats: [SeatID("Stalls-B-6")], customer: customer, Harness.ana))
            } catch {
                return .failure(error)
            }
        }
        async let first = attempt(h.box, "A")
        async let second = attempt(other, "B")
        let results = await [first, second]
        #expect(results.filter { (try? $0.get()) != nil }.count == 1)
        for case .failure(let error) in results {
            #expect(error == .refused(.seatsUnavailable([SeatID("Stalls-B-6")])))
        }
        #expect(try h.log().filter { $0.0.type == "SeatsHeld" }.count == 1)
    }

    @Test func aStaleCacheNeverCausesAWrongRefusal() async throws {
        let h = try Harness()
        let show = ShowID("tiny-sat")
        _ = try await h.box.execute(.createShow(show, name: "Saturday", venue: Harness.venue, startsAt: h.clock.now()), Harness.ana)
        _ = try await h.box.execute(.submitShow(show), Harness.ana)
        // The first box office has cached the show as submitted; another process approves it.
        let other = try h.sibling()
        _ = try await other.execute(.approveShow(show), Harness.bo)
        let result = try await h.box.reserveSeats(show, seats: [SeatID("Stalls-A-1")], customer: "Ben", Harness.ana)
        #expect(result.reservationID != nil)
    }

    @Test func theSameCommandIDAppendsOnceAlsoAfterARestartAndFromAnotherProcess() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        let context = CommandContext(actor: "ana", commandId: "block-A1-once")
        let first = try await h.box.execute(.blockSeats(show, seats: [SeatID("Stalls-A-1")]), context)
        #expect(!first.duplicate)
        let again = try await h.box.execute(.blockSeats(show, seats: [SeatID("Stalls-A-1")]), context)
        #expect(again.duplicate && again.positions == first.positions)
        let restarted = try h.sibling()
        let fromElsewhere = try await restarted.execute(.blockSeats(show, seats: [SeatID("Stalls-A-1")]), context)
        #expect(fromElsewhere.duplicate && fromElsewhere.positions == first.positions)
        #expect(try h.log().filter { $0.0.type == "SeatsBlocked" }.count == 1)
    }

    @Test func aLoadAfterASnapshotReadsOnlyTheEventsAfterIt() async throws {
        let h = try Harness(snapshotEvery: 10)
        let show = try await h.onSale()
        for round in 0..<12 {
            let seat = [SeatID("Stalls-A-\(round % 6 + 1)")]
            _ = try await h.box.execute(.blockSeats(show, seats: seat), Harness.ana)
            _ = try await h.box.execute(.unblockSeats(show, seats: seat), Harness.ana)
        }
        // InventoryInitialized + 24 block/unblock events = version 25; snapshot at 20.
        let stream = StreamRef.inventory(show).name
        #expect(try h.store.version(of: stream) == 25)
        #expect(try h.store.loadSnapshot(stream: stream)?.version == 20)
        let fresh = try h.sibling(snapshotEvery: 10)
        _ = try await fresh.execute(.blockSeats(show, seats: [SeatID("Stalls-B-1")]), Harness.ana)
        // show stream (3 events, no snapshot) + inventory tail (5 events after the snapshot).
        #expect(fresh.eventsLoaded == 3 + 5)
        #expect(try h.replayedInventory(show)?.state(of: SeatID("Stalls-B-1")) == .blocked)
    }

    @Test func aReservationIDClashIsRetriedWithANewID() async throws {
        let h = try Harness(ids: ScriptedIdentifiers(["SAMEIDXX", "SAMEIDXX", "OTHERIDX"]))
        let show = try await h.onSale()
        let first = try await h.box.reserveSeats(show, seats: [SeatID("Stalls-A-1")], customer: "Ben", Harness.ana)
        let second = try await h.box.reserveSeats(show, seats: [SeatID("Stalls-A-2")], customer: "Cy", Harness.ana)
        #expect(first.reservationID == ReservationID("R-SAMEIDXX"))
        #expect(second.reservationID == ReservationID("R-OTHERIDX"))
    }

    @Test func aStreamReadButNotWrittenIsCheckedToo() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        // Warm this box office's cache of the show (on sale), then close sales from elsewhere:
        // the reservation writes only the inventory and the reservation, but depends on the show.
        _ = try await h.box.reserveSeats(show, seats: [SeatID("Stalls-A-1")], customer: "Ben", Harness.ana)
        _ = try await h.sibling().execute(.closeSales(show), Harness.ana)
        let error = await #expect(throws: BoxOfficeError.self) {
            try await h.box.reserveSeats(show, seats: [SeatID("Stalls-A-2")], customer: "Cy", Harness.ana)
        }
        guard case .refused(.notOnSale(show, _)) = error else { Issue.record("expected not on sale, got \(String(describing: error))"); return }
        #expect(try h.log().filter { $0.0.type == "SeatsHeld" }.count == 1)
    }

    @Test func boxOfficesRacingOnOneFileAreAcceptedOrRefusedForADomainReasonOnly() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        let boxes = [h.box] + (try (0..<3).map { _ in try h.sibling() })
        await Harness.race(boxes, show)
        #expect(try h.replayedInventory(show)?.availableCount == 0)
    }

    @Test func aCommandThatCannotGetTheLockInTimeIsRefusedAsStoreBusyAndWritesNothing() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        let impatient = BoxOffice(store: try SQLiteEventStore(path: h.path, busyTimeout: 0.2), clock: h.clock)
        let head = try h.store.headPosition()
        let holder = try SQLiteEventStore(path: h.path)
        let started = Date()
        // Another process holds the write lock for longer than the deadline.
        let refused: BoxOfficeError? = try holder.transaction { _ throws(EventStoreError) in
            let answered = DispatchSemaphore(value: 0)
            let outcome = Mutex<BoxOfficeError?>(nil)
            impatient.submit(.blockSeats(show, seats: [SeatID("Stalls-A-1")]), Harness.ana) { result in
                if case .failure(let error) = result { outcome.withLock { $0 = error } }
                answered.signal()
            }
            _ = answered.wait(timeout: .now() + 10)
            return outcome.withLock { $0 }
        }
        #expect(refused == .store(.busy(path: h.path)))
        #expect(refused?.description.hasPrefix("store busy") == true)
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(try h.store.headPosition() == head)
        // Once the lock is free the same command goes through.
        _ = try await impatient.execute(.blockSeats(show, seats: [SeatID("Stalls-A-1")]), Harness.ana)
    }

    @Test func oneRefusedCommandNeverFailsItsNeighbours() async throws {
        let h = try Harness()
        let show = try await h.onSale()
        let box = h.box
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 1...6 {
                group.addTask {
                    // Every other command names a seat that does not exist.
                    let seat = index.isMultiple(of: 2) ? "Stalls-Z-\(index)" : "Stalls-A-\(index)"
                    return (try? await box.reserveSeats(show, seats: [SeatID(seat)], customer: "c\(index)", Harness.ana)) != nil
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 3)
        #expect(try h.log().filter { $0.0.type == "SeatsHeld" }.count == 3)
    }

    @Test func aCommandAfterCloseIsRefusedAsStopped() async throws {
        let h = try Harness()
        h.box.close()
        await #expect(throws: BoxOfficeError.stopped) {
            try await h.box.execute(.submitShow(ShowID("x")), Harness.ana)
        }
    }
}

@Suite("Prices of a draft")
struct DraftPriceTests {
    @Test func aDraftsRepricedTierIsWhatItsSeatsThenCostAndOnlyChangedTiersAreRecorded() async throws {
        let h = try Harness()
        let show = ShowID("priced-sat")
        _ = try await h.box.execute(.createShow(show, name: "Priced", venue: Harness.venue, startsAt: h.clock.now().addingTimeInterval(86_400)), Harness.ana)
        let result = try await h.box.execute(.editShow(show, name: nil, startsAt: nil, prices: ["std": 3_125]), Harness.ana)
        #expect(result.events == [.tierPricesChanged(TierPricesChanged(
            showId: show, prices: [.init(tier: "std", priceMinor: 3_125)], by: "ana", at: h.clock.now()
        ))])
        await #expect(throws: BoxOfficeError.refused(.nothingToEdit(show))) {
            _ = try await h.box.execute(.editShow(show, name: nil, startsAt: nil, prices: ["std": 3_125]), Harness.ana)
        }
        await #expect(throws: BoxOfficeError.self) {
            _ = try await h.box.execute(.editShow(show, name: nil, startsAt: nil, prices: ["std": -5]), Harness.ana)
        }
        _ = try await h.box.execute(.submitShow(show), Harness.ana)
        await #expect(throws: BoxOfficeError.self) {
            _ = try await h.box.execute(.editShow(show, name: nil, startsAt: nil, prices: ["std": 10]), Harness.ana)
        }
        _ = try await h.box.execute(.approveShow(show), Harness.bo)
        let held = try await h.box.reserveSeats(show, seats: [SeatID("Stalls-A-1"), SeatID("Stalls-A-2")], customer: "Ann", Harness.ana)
        for case .reservationRequested(let requested) in held.events { #expect(requested.amountMinor == 6_250, "two seats at the new price") }
        // The same from a fresh box office, which folds the inventory from the store.
        let fresh = try h.sibling()
        let again = try await fresh.reserveSeats(show, seats: [SeatID("Stalls-B-1")], customer: "Bo", Harness.ana)
        for case .reservationRequested(let requested) in again.events { #expect(requested.amountMinor == 3_125) }
        fresh.close()
    }
}
