import Foundation

/// Who caused an event and why: the ids that let a seat's story be followed through the log.
public struct EventMetadata: Sendable, Hashable, Codable {
    public var correlationId: String?
    public var causationId: String?
    public var actor: String?
    public var commandId: String?

    public init(correlationId: String? = nil, causationId: String? = nil, actor: String? = nil, commandId: String? = nil) {
        self.correlationId = correlationId
        self.causationId = causationId
        self.actor = actor
        self.commandId = commandId
    }

    // Keys are never omitted: an absent id is written as null.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(correlationId, forKey: .correlationId)
        try container.encode(causationId, forKey: .causationId)
        try container.encode(actor, forKey: .actor)
        try container.encode(commandId, forKey: .commandId)
    }
}

/// An event about to be appended: its type, payload schema version, encoded payload and metadata.
public struct NewEvent: Sendable, Hashable {
    public var type: String
    public var schemaVersion: Int
    public var payload: Data
    public var metadata: EventMetadata

    public init(type: String, schemaVersion: Int = 1, payload: Data, metadata: EventMetadata) {
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.metadata = metadata
    }
}

/// An event as the log holds it: with its global position and its version within its stream.
public struct RecordedEvent: Sendable, Hashable {
    public var position: Int64
    public var streamId: String
    public var streamVersion: Int64
    public var type: String
    public var schemaVersion: Int
    public var payload: Data
    public var metadata: EventMetadata
    public var recordedAt: Date

    public init(
        position: Int64, streamId: String, streamVersion: Int64, type: String, schemaVersion: Int,
        payload: Data, metadata: EventMetadata, recordedAt: Date
    ) {
        self.position = position
        self.streamId = streamId
        self.streamVersion = streamVersion
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
        self.metadata = metadata
        self.recordedAt = recordedAt
    }
}

/// The version a stream must be at for an append to go through. Version n means n events.
public enum ExpectedVersion: Sendable, Hashable, CustomStringConvertible {
    /// The stream must not exist yet.
    case noStream
    /// The stream must hold exactly this many events (0 is the same as `noStream`).
    case exact(Int64)
    /// No check.
    case any

    package func admits(_ actual: Int64) -> Bool {
        switch self {
        case .noStream: actual == 0
        case .exact(let version): actual == version
        case .any: true
        }
    }

    public var description: String {
        switch self {
        case .noStream: "no stream"
        case .exact(let version): "version \(version)"
        case .any: "any version"
        }
    }
}

/// Events for one stream, appended only if the stream is at the expected version. With no
/// events it is a pure condition: the append fails if a stream that was read has moved on.
public struct StreamWrite: Sendable, Hashable {
    public var stream: String
    public var expected: ExpectedVersion
    public var events: [NewEvent]

    public init(stream: String, expected: ExpectedVersion, events: [NewEvent]) {
        self.stream = stream
        self.expected = expected
        self.events = events
    }
}

/// One command's writes: all of its streams go in together or not at all.
public struct AppendRequest: Sendable, Hashable {
    public var writes: [StreamWrite]
    /// When set, the request is recorded under this id and a second request with it appends
    /// nothing and reports `duplicate`.
    public var commandId: String?
    public var recordedAt: Date

    public init(writes: [StreamWrite], commandId: String? = nil, recordedAt: Date) {
        self.writes = writes
        self.commandId = commandId
        self.recordedAt = recordedAt
    }
}

/// What an append did.
public enum AppendOutcome: Sendable, Hashable {
    /// The events got these positions (empty when the request only checked conditions).
    case appended(positions: [Int64])
    /// A request with the same command id was appended before, at these positions.
    case duplicate(positions: [Int64])

    public var positions: [Int64] {
        switch self {
        case .appended(let positions), .duplicate(let positions): positions
        }
    }
}

/// A stream's state saved at a version so loading needs only the events after it.
public struct Snapshot: Sendable, Hashable {
    public var stream: String
    public var version: Int64
    public var type: String
    public var schemaVersion: Int
    public var payload: Data

    public init(stream: String, version: Int64, type: String, schemaVersion: Int, payload: Data) {
        self.stream = stream
        self.version = version
        self.type = type
        self.schemaVersion = schemaVersion
        self.payload = payload
    }
}

/// A command id as the log records it: the positions its events got, and when.
public struct RecordedCommand: Sendable, Hashable {
    public var id: String
    public var positions: [Int64]
    public var recordedAt: String

    public init(id: String, positions: [Int64], recordedAt: String) {
        self.id = id
        self.positions = positions
        self.recordedAt = recordedAt
    }
}
