import Foundation

/// The `metadata` column's JSON: every key present, null when absent, keys in a fixed order.
package enum MetadataCoding {
    private static let decoder = JSONDecoder()

    package static func encode(_ metadata: EventMetadata) -> String {
        "{\"actor\":\(JSONText.quoted(metadata.actor)),\"causationId\":\(JSONText.quoted(metadata.causationId)),"
            + "\"commandId\":\(JSONText.quoted(metadata.commandId)),\"correlationId\":\(JSONText.quoted(metadata.correlationId))}"
    }

    package static func decode(_ text: String, position: Int64) throws -> EventMetadata {
        try decode(Data(text.utf8), position: position)
    }

    /// Reads the fixed shape by hand; anything else goes through `JSONDecoder`.
    package static func decode(_ data: Data, position: Int64) throws -> EventMetadata {
        if let fast = fastDecode(data) { return fast }
        do {
            return try decoder.decode(EventMetadata.self, from: data)
        } catch {
            throw EventStoreError.storage("event at position \(position) has unreadable metadata: \(String(decoding: data.prefix(80), as: UTF8.self))")
        }
    }

    /// The fixed shape read by hand; nil for anything else (then `JSONDecoder` decides).
    static func fastDecode(_ data: Data) -> EventMetadata? {
        let fast = try? JSONScanner.read(data) { scanner -> EventMetadata? in
            var metadata = EventMetadata()
            try scanner.object { key, scanner in
                switch key {
                case "actor": metadata.actor = try scanner.optionalString()
                case "causationId": metadata.causationId = try scanner.optionalString()
                case "commandId": metadata.commandId = try scanner.optionalString()
                case "correlationId": metadata.correlationId = try scanner.optionalString()
                default: throw JSONScanner.Unexpected()
                }
            }
            return scanner.atEnd() ? metadata : nil
        }
        return fast ?? nil
    }
}

/// Small pieces of JSON written by hand where key order and explicit nulls matter.
public enum JSONText {
    /// A JSON string literal (or `null`), escaping quotes, backslashes and control characters.
    public static func quoted(_ value: String?) -> String {
        guard let value else { return "null" }
        // Most text (ids, names) needs no escape: one pass over the bytes says so.
        if !value.utf8.contains(where: JSONBytes.needsEscape) { return "\"" + value + "\"" }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// JSON written straight into bytes: for rows written many times a second (a section's seats),
/// where building a `String` piece by piece costs more than the rest of the write.
public struct JSONBytes {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Whether a UTF-8 byte must be escaped in a JSON string (as `JSONText.quoted` does).
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func raw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    public mutating func int(_ value: Int) { raw(String(value)) }

    /// A JSON string literal, escaped exactly as `JSONText.quoted` escapes it.
    public mutating func quoted(_ text: String) {
        bytes.append(0x22)
        for byte in text.utf8 {
            guard Self.needsEscape(byte) else {
                bytes.append(byte)
                continue
            }
            switch byte {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            default:
                let hex = String(byte, radix: 16)
                raw("\\u")
                raw(String(repeating: "0", count: 4 - hex.count) + hex)
            }
        }
        bytes.append(0x22)
    }

    public var data: Data { Data(bytes) }
}
