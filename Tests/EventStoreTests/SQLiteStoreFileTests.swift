import EventStore
import Faults
import Foundation
import GRDB
import Testing

@Suite("SQLite store file")
struct SQLiteStoreFileTests {
    let folder = TempFolder.make()

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    @Test func createsTheFileWithMode0600() throws {
        let path = folder.file("new.sqlite")
        _ = try SQLiteEventStore(path: path)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }

    @Test func theSchemaHoldsTheStreamVersionUniqueConstraint() throws {
        let store = try SQLiteEventStore(path: folder.file("s.sqlite"))
        let sql = try store.database.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = 'events'") } ?? ""
        #expect(sql.contains("UNIQUE (stream_id, stream_version)"))
        _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .any, events: [event("A")])], recordedAt: t0))
        #expect(throws: DatabaseError.self) {
            try store.database.write { db in
                try db.execute(sql: "INSERT INTO events (stream_id, stream_version, type, schema_version, payload, metadata, recorded_at) VALUES ('s', 1, 'B', 1, '{}', '{}', 'x')")
            }
        }
        let commands = try store.database.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = 'commands'") } ?? ""
        #expect(commands.contains("id TEXT PRIMARY KEY"))
    }

    @Test func keepsEventsAcrossReopening() throws {
        let path = folder.file("persist.sqlite")
        do {
            let store = try SQLiteEventStore(path: path)
            _ = try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .noStream, events: [event("A")])], commandId: "c1", recordedAt: t0))
        }
        let reopened = try SQLiteEventStore(path: path)
        #expect(try reopened.read(stream: "s").map(\.type) == ["A"])
        #expect(try reopened.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .any, events: [event("A")])], commandId: "c1", recordedAt: t0))
            == .duplicate(positions: [1]))
    }

    /// R4: opening another program's SQLite database; returns what went wrong.
    func openingAnotherDatabase() throws -> [String] {
        let path = folder.file("other-\(UUID().uuidString).sqlite")
        let other = try DatabaseQueue(path: path)
        try other.write { try $0.execute(sql: "CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers(name) VALUES ('x')") }
        try other.close()
        let before = bytes(path)
        var found: [String] = []
        do {
            let store = try SQLiteEventStore(path: path)
            try store.database.close()
            found.append("another program's database was opened as a store")
        } catch EventStoreError.notAMarqueeStore(path) {
        } catch {
            found.append("refused with the wrong error: \(error)")
        }
        if bytes(path) != before { found.append("the file was changed") }
        if FileManager.default.fileExists(atPath: path + "-wal") { found.append("a write-ahead log was created beside it") }
        return found
    }

    @Test func refusesAnotherSQLiteDatabaseAndLeavesItUntouched() throws {
        let found = try openingAnotherDatabase()
        #expect(found.isEmpty, "\(found)")
    }

    #if DEBUG
    @Test func provenByAFault_withoutTheFileCheckAnotherDatabaseIsOpenedAndChanged() throws {
        let found = try Faults.$injected.withValue(.acceptForeignFile) { try openingAnotherDatabase() }
        #expect(found.contains("another program's database was opened as a store"), "\(found)")
        #expect(found.contains("the file was changed"), "\(found)")
    }
    #endif

    @Test(arguments: [Data("hello, this is not a database at all, just some text that is long enough".utf8), Data(repeating: 0xAB, count: 8192)])
    func refusesAFileThatIsNotADatabaseAndLeavesItUntouched(_ content: Data) throws {
        let path = folder.file("junk.sqlite")
        _ = FileManager.default.createFile(atPath: path, contents: content)
        #expect(throws: EventStoreError.notAMarqueeStore(path: path)) { try SQLiteEventStore(path: path) }
        #expect(bytes(path) == content)
    }

    @Test func refusesAStoreFromANewerMarqueeAndLeavesItUntouched() throws {
        let path = folder.file("newer.sqlite")
        do {
            let store = try SQLiteEventStore(path: path)
            try store.database.write { try $0.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99')") }
            try store.database.close()
        }
        let before = bytes(path)
        #expect(throws: EventStoreError.newerSchema(path: path, unknownMigrations: ["v99"])) { try SQLiteEventStore(path: path) }
        #expect(bytes(path) == before)
    }

    @Test func refusesAMissingFolderWithAMessageSayingWhatToDo() {
        let path = folder.file("no/such/folder/store.sqlite")
        #expect(throws: EventStoreError.missingFolder(path: path)) { try SQLiteEventStore(path: path) }
        #expect(EventStoreError.missingFolder(path: path).description.contains("create the folder"))
    }

    @Test func readOnlyRefusesAMissingFile() {
        let path = folder.file("absent.sqlite")
        #expect(throws: EventStoreError.notFound(path: path)) { try SQLiteEventStore(path: path, readOnly: true) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aReadOnlyStoreReadsButRefusesWrites() throws {
        let path = folder.file("ro.sqlite")
        _ = try SQLiteEventStore(path: path).append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .any, events: [event("A")])], recordedAt: t0))
        let readOnly = try SQLiteEventStore(path: path, readOnly: true)
        #expect(try readOnly.headPosition() == 1)
        #expect(throws: EventStoreError.self) {
            try readOnly.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .any, events: [event("B")])], recordedAt: t0))
        }
        #expect(try readOnly.headPosition() == 1)
    }

    @Test func aFullDiskFailsTheAppendCleanly() throws {
        let store = try SQLiteEventStore(path: folder.file("full.sqlite"))
        let pages = try store.database.read { try Int.fetchOne($0, sql: "PRAGMA page_count") } ?? 0
        try store.database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA max_page_count = \(pages + 1)") }
        let big = String(repeating: "x", count: 50_000)
        #expect(throws: EventStoreError.full(path: folder.file("full.sqlite"))) {
            try store.append(AppendRequest(writes: [StreamWrite(stream: "s", expected: .any, events: [event("A", "\"\(big)\"")])], recordedAt: t0))
        }
        #expect(try store.headPosition() == 0)
    }
}

@Suite("SQLite store creation races")
struct StoreCreationRaceTests {
    @Test func eightOpenersOfANewStoreAllSucceed() async throws {
        for round in 0..<10 {
            let path = TempFolder.make().file("race-\(round).sqlite")
            let errors = await withTaskGroup(of: String?.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        do {
                            _ = try SQLiteEventStore(path: path)
                            return nil
                        } catch {
                            return String(describing: error)
                        }
                    }
                }
                return await group.reduce(into: [String]()) { if let error = $1 { $0.append(error) } }
            }
            #expect(errors.isEmpty, "round \(round): \(errors)")
            #expect(try SQLiteEventStore(path: path).headPosition() == 0)
        }
    }
}
