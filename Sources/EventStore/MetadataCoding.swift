import Foundation

/// The `metadata` column's JSON: every key present, null when absent, keys in a fixed order.
enum MetadataCoding {
    private static let decoder = JSONDecoder()

    static func encode(_ metadata: EventMetadata) -> String {
        "{\"actor\":\(JSONText.quoted(metadata.actor)),\"causationId\":\(JSONText.quoted(metadata.causationId)),"
            + "\"commandId\":\(JSONText.quoted(metadata.commandId)),\"correlationId\":\(JSONText.quoted(metadata.correlationId))}"
    }

    static func decode(_ text: String, position: Int64) throws -> EventMetadata {
        do {
            return try decoder.decode(EventMetadata.self, from: Data(text.utf8))
        } catch {
            throw EventStoreError.storage("event at position \(position) has unreadable metadata: \(text.prefix(80))")
        }
    }
}

/// Small pieces of JSON written by hand where key order and explicit nulls matter.
public enum JSONText {
    /// A JSON string literal (or `null`), escaping quotes, backslashes and control characters.
    public static func quoted(_ value: String?) -> String {
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
