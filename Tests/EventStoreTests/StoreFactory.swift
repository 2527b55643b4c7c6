import EventStore
import Foundation
import PostgresStore
import TestSupport

/// The implementations the contract suite runs against.
enum StoreKind: String, CaseIterable, CustomStringConvertible, Sendable {
    case memory, sqlite, postgres
    var description: String { rawValue }

    /// Every kind this machine can run: PostgreSQL only where its server binaries are installed
    /// (`PostgresClusterTests` reports the skip and how to install them).
    static var available: [StoreKind] { PostgresCluster.runs ? allCases : [.memory, .sqlite] }

    func make() throws -> any EventStore {
        switch self {
        case .memory: InMemoryEventStore()
        case .sqlite: try SQLiteEventStore(path: TempFolder.make().file("store.sqlite"))
        case .postgres: try PostgresEventStore(url: PostgresCluster.shared.get().database())
        }
    }
}

/// A fresh temporary folder per test.
struct TempFolder {
    let path: String

    static func make() -> TempFolder {
        let path = NSTemporaryDirectory() + "marquee-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return TempFolder(path: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

func event(_ type: String, _ payload: String = "{}", actor: String = "ana", correlation: String? = "C-1") -> NewEvent {
    NewEvent(type: type, schemaVersion: 1, payload: Data(payload.utf8), metadata: EventMetadata(correlationId: correlation, causationId: nil, actor: actor, commandId: nil))
}

let t0 = Date(timeIntervalSince1970: 1_800_000_000.123)
