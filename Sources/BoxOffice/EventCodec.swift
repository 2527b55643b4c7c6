import EventStore
import Foundation
import Ticketing

/// Turns domain events into store envelopes and back: camelCase JSON payloads with ISO 8601
/// millisecond times and sorted keys, so the same event always has the same bytes.
public struct EventCodec: Sendable {
    /// The schema version of a type that never changed its payload.
    public static let schemaVersion = 1
    /// Every payload change ever made, oldest first: none yet. When a payload changes, add the
    /// upcaster from the old version here and keep the old version's golden file beside the new.
    public static let upcasters: [Upcaster] = []

    private let encoder = EventCodec.makeEncoder()
    private let decoder = EventCodec.makeDecoder()
    /// Upcasters by type and the version they read.
    private let upcasting: [String: [Int: Upcaster]]

    public init(upcasters: [Upcaster] = EventCodec.upcasters) {
        var table: [String: [Int: Upcaster]] = [:]
        for upcaster in upcasters { table[upcaster.type, default: [:]][upcaster.from] = upcaster }
        upcasting = table
    }

    /// The version a type is written at today: one past its newest upcaster.
    public func currentVersion(of type: String) -> Int {
        (upcasting[type]?.keys.max() ?? 0) + 1
    }

    private static let decoders: [String: @Sendable (Data, JSONDecoder) throws -> DomainEvent] = {
        var table: [String: @Sendable (Data, JSONDecoder) throws -> DomainEvent] = [:]
        for type in DomainEvent.payloadTypes {
            table[DomainEvent.typeName(of: type)] = decoder(for: type)
        }
        return table
    }()

    private static func decoder<P: DomainEventPayload>(for type: P.Type) -> @Sendable (Data, JSONDecoder) throws -> DomainEvent {
        { data, decoder in
            guard let event = DomainEvent(payload: try decoder.decode(P.self, from: data)) else {
                throw CodecError.unknownType(DomainEvent.typeName(of: type), position: 0)
            }
            return event
        }
    }

    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(date))
        }
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not an ISO 8601 time")
            }
            return date
        }
        return decoder
    }

    public func encode(_ event: DomainEvent, metadata: EventMetadata) throws -> NewEvent {
        NewEvent(
            type: event.typeName, schemaVersion: currentVersion(of: event.typeName),
            payload: try PayloadWriter.encode(event) ?? encoder.encode(event.payload), metadata: metadata
        )
    }

    /// Decodes a recorded event; an unknown type or schema version is an error naming its position.
    public func decode(_ event: RecordedEvent) throws(CodecError) -> DomainEvent {
        guard let decode = Self.decoders[event.type] else { throw .unknownType(event.type, position: event.position) }
        let current = currentVersion(of: event.type)
        guard (1...current).contains(event.schemaVersion) else {
            throw .unknownSchemaVersion(event.type, version: event.schemaVersion, position: event.position)
        }
        var payload = event.payload
        do {
            // An older payload is rewritten step by step into today's shape.
            for version in event.schemaVersion..<current {
                guard let upcaster = upcasting[event.type]?[version] else {
                    throw CodecError.unknownSchemaVersion(event.type, version: event.schemaVersion, position: event.position)
                }
                payload = try upcaster.rewrite(payload)
            }
        } catch let error as CodecError {
            throw error
        } catch {
            throw .unreadablePayload(event.type, position: event.position, detail: "upcasting from version \(event.schemaVersion): \(error)")
        }
        if let read = PayloadFields.readers[event.type], let fields = PayloadFields(payload), let fast = read(fields) {
            return fast
        }
        do {
            return try decode(payload, decoder)
        } catch {
            throw .unreadablePayload(event.type, position: event.position, detail: String(describing: error))
        }
    }
}

/// Rewrites a payload stored at version `from` of a type into the shape of version `from + 1`
/// (a renamed field, a new field with its default), so old events read as today's.
public struct Upcaster: Sendable {
    public let type: String
    public let from: Int
    public let rewrite: @Sendable (Data) throws -> Data

    public init(type: String, from: Int, rewrite: @escaping @Sendable (Data) throws -> Data) {
        self.type = type
        self.from = from
        self.rewrite = rewrite
    }
}

/// Why a recorded event could not be read, naming its position in the log.
public enum CodecError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownType(String, position: Int64)
    case unknownSchemaVersion(String, version: Int, position: Int64)
    case unreadablePayload(String, position: Int64, detail: String)

    public var description: String {
        switch self {
        case .unknownType(let type, let position):
            "event at position \(position) has type \"\(type)\", which this Marquee does not know; upgrade marquee to read this store"
        case .unknownSchemaVersion(let type, let version, let position):
            "event at position \(position) (\(type)) has schema version \(version), which this Marquee does not know; upgrade marquee to read this store"
        case .unreadablePayload(let type, let position, let detail):
            "event at position \(position) (\(type)) has an unreadable payload: \(detail)"
        }
    }
}
