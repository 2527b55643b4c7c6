import Foundation

/// The `metadata` column's JSON: every key present, null when absent, keys in a fixed order.
enum MetadataCoding {
    static func encode(_ metadata: EventMetadata) -> String {
        "{\"actor\":\(quoted(metadata.actor)),\"causationId\":\(quoted(metadata.causationId)),"
            + "\"commandId\":\(quoted(metadata.commandId)),\"correlationId\":\(quoted(metadata.correlationId))}"
    }

    static func decode(_ text: String, position: Int64) throws -> EventMetadata {
        do {
            return try JSONDecoder().decode(EventMetadata.self, from: Data(text.utf8))
        } catch {
            throw EventStoreError.storage("event at position \(position) has unreadable metadata: \(text.prefix(80))")
        }
    }

    /// A JSON string literal (or `null`), escaping quotes, backslashes and control characters.
    static func quoted(_ value: String?) -> String {
        guard let value else { return "null" }
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
