import EventStore
import Foundation
import Ticketing

/// Turns domain events into store envelopes and back: camelCase JSON payloads with ISO 8601
/// millisecond times and sorted keys, so the same event always has the same bytes.
public struct EventCodec: Sendable {
    public static let schemaVersion = 1

    private let encoder = EventCodec.makeEncoder()
    private let decoder = EventCodec.makeDecoder()

    public init() {}

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
            type: event.typeName, schemaVersion: Self.schemaVersion,
            payload: try PayloadWriter.encode(event) ?? encoder.encode(event.payload), metadata: metadata
        )
    }

    /// Decodes a recorded event; an unknown type or schema version is an error naming its position.
    public func decode(_ event: RecordedEvent) throws(CodecError) -> DomainEvent {
        guard let decode = Self.decoders[event.type] else { throw .unknownType(event.type, position: event.position) }
        guard event.schemaVersion == Self.schemaVersion else {
            throw .unknownSchemaVersion(event.type, version: event.schemaVersion, position: event.position)
        }
        if let read = PayloadFields.readers[event.type], let fields = PayloadFields(event.payload), let fast = read(fields) {
            return fast
        }
        do {
            return try decode(event.payload, decoder)
        } catch {
            throw .unreadablePayload(event.type, position: event.position, detail: String(describing: error))
        }
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
