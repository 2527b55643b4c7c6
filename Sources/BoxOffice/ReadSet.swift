import EventStore
import Foundation
import Ticketing

/// What deciding a command read: each stream's state and the version it was at, in the order
/// loaded. Shared by the command writer and by tools that decide commands in bulk (the
/// benchmark's store generator), so both read and write streams the same way.
public struct ReadSet: Sendable {
    public var state = Aggregates()
    public var versions: [StreamRef: Int64] = [:]
    public var order: [StreamRef] = []

    /// Loads every stream `command` reads. Which streams it reads can depend on what was
    /// loaded (a payment's reservation names its show), so it asks again until none is missing.
    public static func load<E: Error>(
        for command: Command, _ load: (StreamRef) throws(E) -> (version: Int64, state: Aggregates)
    ) throws(E) -> ReadSet {
        var read = ReadSet()
        for _ in 0..<3 {
            let missing = command.reads(given: read.state).filter { read.versions[$0] == nil }
            if missing.isEmpty { break }
            for ref in missing {
                let loaded = try load(ref)
                read.state.take(ref, from: loaded.state)
                read.versions[ref] = loaded.version
                read.order.append(ref)
            }
        }
        return read
    }

    /// One write per stream read, conditional on the version it was read at, carrying the
    /// decided events for it (none: a pure condition that the stream has not moved).
    public func writes(_ decided: [Decided], metadata: EventMetadata, codec: EventCodec) throws -> [StreamWrite] {
        try order.map { ref in
            let version = versions[ref] ?? 0
            let events = try decided.filter { $0.stream == ref }.map { try codec.encode($0.event, metadata: metadata) }
            return StreamWrite(stream: ref.name, expected: version == 0 ? .noStream : .exact(version), events: events)
        }
    }
}
