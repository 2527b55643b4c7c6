import EventStore
import Foundation
import Testing

@Suite("Event store contract")
struct EventStoreContractTests {
    @Test(arguments: StoreKind.available)
    func appendsToANewStreamAndReadsItBack(_ kind: StoreKind) throws {
        let store = try kind.make()
        let outcome = try store.append(AppendRequest(writes: [
            StreamWrite(stream: "show-a", expected: .noStream, events: [event("ShowCreated", #"{"showId":"a"}"#), event("ShowSubmitted")]),
        ], recordedAt: t0))
        #expect(outcome == .appended(positions: [1, 2]))
        let events = try store.read(stream: "show-a")
        #expect(events.map(\.streamVersion) == [1, 2])
        #expect(events.map(\.position) == [1, 2])
        #expect(events[0].type == "ShowCreated")
        #expect(String(decoding: events[0].payload, as: UTF8.self) == #"{"showId":"a"}"#)
        #expect(events[0].metadata == EventMetadata(correlationId: "C-1", causationId: nil, actor: "ana", commandId: nil))
        #expect(events[0].recordedAt == Timestamp.rounded(t0))
        #expect(try store.version(of: "show-a") == 2)
        #expect(try store.version(of: "show-b") == 0)
        #expect(try store.headPosition() == 2)
    }

    @Test(arguments: StoreKind.available)
    func refusesAWrongExpectedVersionAndWritesNothing(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .noStream, events: [event("A")])], recordedAt: t0))
        #expect(throws: EventStoreError.wrongExpectedVersion(stream: "s", expected: .noStream, actual: 1)) {
            try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .noStream, events: [event("B")])], recordedAt: t0))
        }
        #expect(throws: EventStoreError.wrongExpectedVersion(stream: "s", expected: .exact(3), actual: 1)) {
            try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .exact(3), events: [event("B")])], recordedAt: t0))
        }
        #expect(try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .exact(1), events: [event("B")])], recordedAt: t0))
            == .appended(positions: [2]))
        #expect(try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .any, events: [event("C")])], recordedAt: t0))
            == .appended(positions: [3]))
        #expect(try store.read(stream: "s").map(\.type) == ["A", "B", "C"])
    }

    @Test(arguments: StoreKind.available)
    func appliesAllStreamsOfARequestOrNone(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "show-a", expected: .noStream, events: [event("A")])], recordedAt: t0))
        let request = AppendRequest(writes: [
            StreamWrite(stream: "inventory-a", expected: .noStream, events: [event("SeatsHeld")]),
            StreamWrite(stream: "show-a", expected: .noStream, events: []),
        ], recordedAt: t0)
        #expect(throws: EventStoreError.self) { try store.append(request) }
        #expect(try store.version(of: "inventory-a") == 0)
        #expect(try store.headPosition() == 1)
    }

    @Test(arguments: StoreKind.available)
    func aConditionOnlyWriteChecksAStreamThatWasRead(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "show-a", expected: .noStream, events: [event("A")])], recordedAt: t0))
        let ok = try store.append(AppendRequest(writes: [
            StreamWrite(stream: "show-a", expected: .exact(1), events: []),
            StreamWrite(stream: "inventory-a", expected: .noStream, events: [event("SeatsHeld")]),
        ], recordedAt: t0))
        #expect(ok == .appended(positions: [2]))
        #expect(try store.version(of: "show-a") == 1)
    }

    @Test(arguments: StoreKind.available)
    func aTransactionSeesItsOwnAppendsAndCommitsThemTogether(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "show-a", expected: .noStream, events: [event("A")])], recordedAt: t0))
        let positions = try store.transaction { tx throws(EventStoreError) in
            #expect(try tx.headPosition() == 1)
            #expect(try tx.streams(writtenAfter: 0) == ["show-a"])
            let first = try tx.append(AppendRequest(writes: [StreamWrite(stream: "show-a", expected: .exact(1), events: [event("B")])], commandId: "c1", recordedAt: t0))
            let second = try tx.append(AppendRequest(writes: [StreamWrite(stream: "inventory-a", expected: .noStream, events: [event("C"), event("D")])], recordedAt: t0))
            #expect(try tx.headPosition() == 4)
            #expect(try tx.streams(writtenAfter: 1) == ["show-a", "inventory-a"])
            #expect(try tx.read(stream: "show-a", fromVersion: 2).map(\.type) == ["B"])
            #expect(try tx.recordedCommand("c1") == [2])
            try tx.saveSnapshot(Snapshot(stream: "show-a", version: 2, type: "S", schemaVersion: 1, payload: Data("{}".utf8)))
            return first + second
        }
        #expect(positions == [2, 3, 4])
        #expect(try store.readAll(after: 0, limit: 10).map(\.type) == ["A", "B", "C", "D"])
        #expect(try store.recordedCommand("c1") == [2])
        #expect(try store.loadSnapshot(stream: "show-a")?.version == 2)
    }

    /// What the command writer reads under the lock: the streams others moved since it last
    /// looked, then their new events; a snapshot, then the events after it. A store may answer
    /// the second read of each pair from what it fetched for the first; the answers must not
    /// change, nor go stale after the transaction's own appends.
    @Test(arguments: StoreKind.available)
    func insideATransactionWhatOthersWroteAndWhatFollowsASnapshotAreReadInFull(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "show-a", expected: .noStream, events: [event("A"), event("B"), event("C")])], recordedAt: t0))
        try store.saveSnapshot(Snapshot(stream: "show-a", version: 2, type: "S", schemaVersion: 1, payload: Data("{}".utf8)))
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "inventory-a", expected: .noStream, events: [event("X")])], recordedAt: t0))
        let known = try store.headPosition()
        _ = try store.append(AppendRequest(writes: [
            StreamWrite(stream: "inventory-a", expected: .exact(1), events: [event("Y")]), StreamWrite(stream: "show-a", expected: .exact(3), events: [event("D")]),
        ], recordedAt: t0))
        try store.transaction { tx throws(EventStoreError) in
            #expect(try tx.streams(writtenAfter: known) == ["inventory-a", "show-a"])
            #expect(try tx.read(stream: "inventory-a", fromVersion: 2).map(\.type) == ["Y"])
            #expect(try tx.read(stream: "inventory-a", fromVersion: 1).map(\.type) == ["X", "Y"])
            #expect(try tx.loadSnapshot(stream: "show-a")?.version == 2)
            #expect(try tx.read(stream: "show-a", fromVersion: 3).map(\.type) == ["C", "D"])
            #expect(try tx.loadSnapshot(stream: "inventory-a") == nil)
            #expect(try tx.read(stream: "inventory-a", fromVersion: 1).map(\.type) == ["X", "Y"])
            #expect(try tx.loadSnapshot(stream: "nobody") == nil)
            #expect(try tx.read(stream: "nobody", fromVersion: 1).isEmpty)
            _ = try tx.append(AppendRequest(writes: [StreamWrite(stream: "show-a", expected: .exact(4), events: [event("E")])], recordedAt: t0))
            #expect(try tx.read(stream: "show-a", fromVersion: 3).map(\.type) == ["C", "D", "E"])
            #expect(try tx.streams(writtenAfter: try tx.headPosition() - 1) == ["show-a"])
        }
        // Fetched ahead for a batch, the same answers.
        try store.transaction { tx throws(EventStoreError) in
            try tx.prefetch(streams: ["show-a", "inventory-a", "nobody"])
            #expect(try tx.loadSnapshot(stream: "show-a")?.version == 2)
            #expect(try tx.read(stream: "show-a", fromVersion: 3).map(\.type) == ["C", "D", "E"])
            #expect(try tx.loadSnapshot(stream: "inventory-a") == nil)
            #expect(try tx.read(stream: "inventory-a", fromVersion: 1).map(\.type) == ["X", "Y"])
            #expect(try tx.loadSnapshot(stream: "nobody") == nil)
            #expect(try tx.read(stream: "nobody", fromVersion: 1).isEmpty)
            #expect(try tx.loadSnapshot(stream: "show-a")?.version == 2)
        }
    }

    @Test(arguments: StoreKind.available)
    func aTransactionThatThrowsLeavesNoTrace(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "show-a", expected: .noStream, events: [event("A")])], recordedAt: t0))
        #expect(throws: EventStoreError.wrongExpectedVersion(stream: "show-a", expected: .exact(0), actual: 1)) {
            try store.transaction { tx throws(EventStoreError) in
                _ = try tx.append(AppendRequest(writes: [StreamWrite(stream: "inventory-a", expected: .noStream, events: [event("B")])], commandId: "c1", recordedAt: t0))
                try tx.saveSnapshot(Snapshot(stream: "inventory-a", version: 1, type: "S", schemaVersion: 1, payload: Data("{}".utf8)))
                // A version already taken: the store refuses it even though the caller vouched for it.
                _ = try tx.append(AppendRequest(writes: [StreamWrite(stream: "show-a", expected: .exact(0), events: [event("C")])], recordedAt: t0))
            }
        }
        #expect(try store.headPosition() == 1)
        #expect(try store.recordedCommand("c1") == nil)
        #expect(try store.loadSnapshot(stream: "inventory-a") == nil)
    }

    @Test(arguments: StoreKind.available)
    func aBatchCommitsEachRequestOnItsOwn(_ kind: StoreKind) throws {
        let store = try kind.make()
        let results = try store.append([
            AppendRequest(writes: [StreamWrite(stream: "a", expected: .noStream, events: [event("A1")])], recordedAt: t0),
            AppendRequest(writes: [StreamWrite(stream: "b", expected: .exact(5), events: [event("B1")])], recordedAt: t0),
            AppendRequest(writes: [StreamWrite(stream: "a", expected: .exact(1), events: [event("A2")])], recordedAt: t0),
            AppendRequest(writes: [StreamWrite(stream: "c", expected: .noStream, events: [event("C1"), event("C2")])], recordedAt: t0),
        ])
        #expect(try results[0].get() == .appended(positions: [1]))
        #expect(throws: EventStoreError.wrongExpectedVersion(stream: "b", expected: .exact(5), actual: 0)) { try results[1].get() }
        #expect(try results[2].get() == .appended(positions: [2]))
        #expect(try results[3].get() == .appended(positions: [3, 4]))
        #expect(try store.readAll(after: 0, limit: 10).map(\.type) == ["A1", "A2", "C1", "C2"])
    }

    @Test(arguments: StoreKind.available)
    func aRequestAfterAFailedOneOnTheSameStreamFailsToo(_ kind: StoreKind) throws {
        let store = try kind.make()
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .noStream, events: [event("A")])], recordedAt: t0))
        // Another writer appended B; this batch staged X (fails) then Y on top of X: Y's expected
        // version matches the store's only by coincidence, and Y must not land.
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .exact(1), events: [event("B")])], recordedAt: t0))
        let results = try store.append([
            AppendRequest(writes: [StreamWrite(stream: "s", expected: .exact(1), events: [event("X")])], recordedAt: t0),
            AppendRequest(writes: [StreamWrite(stream: "s", expected: .exact(2), events: [event("Y")])], recordedAt: t0),
            AppendRequest(writes: [StreamWrite(stream: "t", expected: .noStream, events: [event("Z")])], recordedAt: t0),
        ])
        #expect(throws: EventStoreError.self) { try results[0].get() }
        #expect(throws: EventStoreError.wrongExpectedVersion(stream: "s", expected: .exact(2), actual: 2)) { try results[1].get() }
        #expect(try results[2].get() == .appended(positions: [3]))
        #expect(try store.read(stream: "s").map(\.type) == ["A", "B"])
    }

    @Test(arguments: StoreKind.available)
    func theSameCommandIDAppendsOnce(_ kind: StoreKind) throws {
        let store = try kind.make()
        func request(_ stream: String) -> AppendRequest {
            AppendRequest(writes: [StreamWrite(stream: stream, expected: .any, events: [event("X"), event("Y")])], commandId: "cmd-1", recordedAt: t0)
        }
        #expect(try store.append(request("s")) == .appended(positions: [1, 2]))
        #expect(try store.append(request("s")) == .duplicate(positions: [1, 2]))
        #expect(try store.append(request("other")) == .duplicate(positions: [1, 2]))
        #expect(try store.headPosition() == 2)
        #expect(try store.recordedCommand("cmd-1") == [1, 2])
        #expect(try store.recordedCommand("cmd-2") == nil)
        let inOneBatch = try store.append([
            AppendRequest(writes: [StreamWrite(stream: "t", expected: .any, events: [event("Z")])], commandId: "cmd-3", recordedAt: t0),
            AppendRequest(writes: [StreamWrite(stream: "t", expected: .any, events: [event("Z")])], commandId: "cmd-3", recordedAt: t0),
        ])
        #expect(try inOneBatch.map { try $0.get() } == [.appended(positions: [3]), .duplicate(positions: [3])])
    }

    @Test(arguments: StoreKind.available)
    func readsTheLogInPositionOrderInBatches(_ kind: StoreKind) throws {
        let store = try kind.make()
        for index in 0..<25 {
            _ = try store.append(AppendRequest(writes: [
                StreamWrite(stream: "s\(index % 3)", expected: .any, events: [event("E\(index)")]),
            ], recordedAt: t0))
        }
        var seen: [Int64] = []
        var after: Int64 = 0
        while true {
            let batch = try store.readAll(after: after, limit: 10)
            if batch.isEmpty { break }
            seen += batch.map(\.position)
            after = batch.last?.position ?? after
        }
        #expect(seen == Array(1...25))
        #expect(try store.read(stream: "s1", fromVersion: 3).map(\.type) == ["E7", "E10", "E13", "E16", "E19", "E22"])
        #expect(try store.readAll(after: 25, limit: 10).isEmpty)
    }

    @Test(arguments: StoreKind.available)
    func savesAndLoadsSnapshotsKeepingTheNewest(_ kind: StoreKind) throws {
        let store = try kind.make()
        #expect(try store.loadSnapshot(stream: "inventory-a") == nil)
        let snapshot = Snapshot(stream: "inventory-a", version: 200, type: "InventoryState", schemaVersion: 1, payload: Data("{}".utf8))
        try store.saveSnapshot(snapshot)
        try store.saveSnapshot(Snapshot(stream: "inventory-a", version: 100, type: "InventoryState", schemaVersion: 1, payload: Data("old".utf8)))
        #expect(try store.loadSnapshot(stream: "inventory-a") == snapshot)
    }

    @Test(arguments: StoreKind.available)
    func keepsCheckpoints(_ kind: StoreKind) throws {
        let store = try kind.make()
        #expect(try store.checkpoint(of: "holds") == 0)
        try store.saveCheckpoint(42, of: "holds")
        try store.saveCheckpoint(43, of: "holds")
        #expect(try store.checkpoint(of: "holds") == 43)
    }

    @Test func timestampsRoundTripToTheMillisecond() {
        let date = Date(timeIntervalSince1970: 1_764_379_243.250)
        #expect(Timestamp.string(date) == "2025-11-29T01:20:43.250Z")
        #expect(Timestamp.date("2025-11-29T01:20:43.250Z") == date)
        #expect(Timestamp.date("2025-11-29T01:20:43Z") == Date(timeIntervalSince1970: 1_764_379_243))
        #expect(Timestamp.string(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59.000Z")
        #expect(Timestamp.string(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp.date("not a time") == nil)
        #expect(Timestamp.date("2025-13-01T00:00:00Z") == nil)
    }
}
