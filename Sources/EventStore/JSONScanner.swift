import Foundation

/// A small forward-only JSON reader over UTF-8 bytes, for the hot paths that read the same few
/// shapes millions of times (event metadata and payloads). It allocates only the values it
/// returns. Anything it does not expect makes it throw, and callers then fall back to
/// Foundation's `JSONDecoder`, so it never has to be a complete parser to be correct.
public struct JSONScanner {
    public struct Unexpected: Error {
        public init() {}
    }

    private let bytes: UnsafeRawBufferPointer
    private var index = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Runs `body` on the bytes of `data`.
    public static func read<T>(_ data: Data, _ body: (inout JSONScanner) throws -> T) rethrows -> T {
        try data.withUnsafeBytes { raw in
            var scanner = JSONScanner(raw)
            let value = try body(&scanner)
            return value
        }
    }

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func expect(_ byte: UInt8) throws {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { throw Unexpected() }
        index += 1
    }

    /// Reads an object, calling `field` with each key; `field` must read (or skip) the value.
    ///
    /// - Important: a key given twice is unexpected (decoders disagree on which one wins, so the
    ///   fast path must not pick one); so are strings that are not valid UTF-8.
    public mutating func object(_ field: (String, inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "{"))
        skipSpace()
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        var seen = SeenKeys()
        while true {
            let key = try string()
            try seen.insert(key)
            try expect(UInt8(ascii: ":"))
            try field(key, &self)
            skipSpace()
            guard let next = peek() else { throw Unexpected() }
            index += 1
            if next == UInt8(ascii: "}") { return }
            guard next == UInt8(ascii: ",") else { throw Unexpected() }
        }
    }

    /// Reads an array, calling `element` for each element, which it must read.
    public mutating func array(_ element: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["))
        skipSpace()
        if peek() == UInt8(ascii: "]") {
            index += 1
            return
        }
        while true {
            try element(&self)
            skipSpace()
            guard let next = peek() else { throw Unexpected() }
            index += 1
            if next == UInt8(ascii: "]") { return }
            guard next == UInt8(ascii: ",") else { throw Unexpected() }
        }
    }

    public mutating func strings() throws -> [String] {
        var values: [String] = []
        try array { values.append(try $0.string()) }
        return values
    }

    /// Whether the next value is `null` (and if so, reads it).
    public mutating func null() -> Bool {
        skipSpace()
        guard index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
              bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
        index += 4
        return true
    }

    public mutating func optionalString() throws -> String? { null() ? nil : try string() }

    public mutating func string() throws -> String {
        try expect(UInt8(ascii: "\""))
        let start = index
        var nonASCII = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return try Self.text(raw, checked: nonASCII)
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw Unexpected() }
            if byte >= 0x80 { nonASCII = true }
            index += 1
        }
        throw Unexpected()
    }

    /// UTF-8 bytes as a string; invalid UTF-8 is unexpected (JSONDecoder refuses it too).
    private static func text(_ bytes: some Collection<UInt8>, checked: Bool) throws -> String {
        guard checked else { return String(decoding: bytes, as: UTF8.self) }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw Unexpected() }
        return text
    }

    /// The slow path of `string()`: a string with escapes, decoded byte by byte.
    private mutating func escapedString(from start: Int) throws -> String {
        var out: [UInt8] = Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return try Self.text(out, checked: true)
            case UInt8(ascii: "\\"):
                guard let escape = peek() else { throw Unexpected() }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        guard peek() == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else { throw Unexpected() }
                        index += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw Unexpected() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let value = Unicode.Scalar(scalar) else { throw Unexpected() }
                    out.append(contentsOf: Array(String(Character(value)).utf8))
                default: throw Unexpected()
                }
            default:
                if byte < 0x20 { throw Unexpected() }
                out.append(byte)
            }
        }
        throw Unexpected()
    }

    private mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw Unexpected() }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = value << 4 | UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = value << 4 | UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw Unexpected()
            }
        }
        return value
    }

    /// An integer (no fraction or exponent; anything else is unexpected).
    public mutating func int() throws -> Int64 {
        skipSpace()
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value: Int64 = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
            guard !overflowA, !overflowB else { throw Unexpected() }
            value = sum
            index += 1
        }
        guard index > start else { throw Unexpected() }
        // JSON has no leading zeros (`034000` is refused by JSONDecoder, so here too).
        if index - start > 1, bytes[start] == UInt8(ascii: "0") { throw Unexpected() }
        if let next = peek(), next == UInt8(ascii: ".") || next == UInt8(ascii: "e") || next == UInt8(ascii: "E") { throw Unexpected() }
        return negative ? -value : value
    }

    public mutating func bool() throws -> Bool {
        skipSpace()
        if index + 4 <= bytes.count, bytes[index] == UInt8(ascii: "t"), bytes[index + 1] == UInt8(ascii: "r"),
           bytes[index + 2] == UInt8(ascii: "u"), bytes[index + 3] == UInt8(ascii: "e") {
            index += 4
            return true
        }
        if index + 5 <= bytes.count, bytes[index] == UInt8(ascii: "f"), bytes[index + 1] == UInt8(ascii: "a"),
           bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "s"), bytes[index + 4] == UInt8(ascii: "e") {
            index += 5
            return false
        }
        throw Unexpected()
    }

    /// A time written by `Timestamp.string` (no escapes, so read in place).
    public mutating func date() throws -> Date {
        try expect(UInt8(ascii: "\""))
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += 1 }
        guard index < bytes.count, let date = Timestamp.date(utf8: UnsafeRawBufferPointer(rebasing: bytes[start..<index])) else { throw Unexpected() }
        index += 1
        return date
    }

    /// The bytes of the next value, whatever it is (for a part another decoder reads).
    public mutating func rawValue() throws -> Data {
        skipSpace()
        let start = index
        var depth = 0
        var inString = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if inString {
                if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                if depth == 0 && !inString { break }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 {
                    // The end of the enclosing object or array: a number or literal ended here.
                    index -= 1
                    return Data(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                }
                depth -= 1
            case UInt8(ascii: ","), 0x20, 0x0A, 0x0D, 0x09:
                if depth == 0 {
                    index -= 1
                    return Data(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                }
            default: break
            }
            if depth == 0 && (byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")) { break }
        }
        guard depth == 0, !inString, index > start else { throw Unexpected() }
        return Data(UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
    }

    /// Whether every byte was read (trailing spaces aside).
    public mutating func atEnd() -> Bool {
        skipSpace()
        return index == bytes.count
    }
}

/// Writes one flat JSON object byte by byte, in the form Foundation's `JSONEncoder` gives with
/// sorted keys and unescaped slashes: the caller adds keys in sorted order; strings escape
/// exactly what `JSONEncoder` escapes. For hot payloads; a test holds the bytes equal.
public struct JSONObjectWriter {
    private var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var first = true

    public init() { bytes.reserveCapacity(256) }

    private mutating func key(_ name: StaticString) {
        if first { first = false } else { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    private mutating func quoted(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func string(_ name: StaticString, _ value: String) {
        key(name)
        quoted(value)
    }

    public mutating func strings(_ name: StaticString, _ values: [String]) {
        key(name)
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            quoted(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    public mutating func int(_ name: StaticString, _ value: Int64) {
        key(name)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func bool(_ name: StaticString, _ value: Bool) {
        key(name)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    public mutating func date(_ name: StaticString, _ value: Date) {
        key(name)
        quoted(Timestamp.string(value))
    }

    /// A time, or `null` when there is none (keys are never omitted).
    public mutating func date(_ name: StaticString, _ value: Date?) {
        guard let value else {
            key(name)
            bytes.append(contentsOf: "null".utf8)
            return
        }
        date(name, value)
    }

    public mutating func finish() -> Data {
        bytes.append(UInt8(ascii: "}"))
        return Data(bytes)
    }
}

/// The keys of one object so far: a short list (objects here have a handful of keys), a set
/// once an object turns out to be a large map.
struct SeenKeys {
    private var few: [String] = []
    private var many: Set<String>?

    mutating func insert(_ key: String) throws {
        if many != nil {
            guard many?.insert(key).inserted == true else { throw JSONScanner.Unexpected() }
            return
        }
        guard !few.contains(key) else { throw JSONScanner.Unexpected() }
        // One allocation for the usual object, not one per doubling.
        if few.isEmpty { few.reserveCapacity(16) }
        few.append(key)
        if few.count > 16 { many = Set(few) }
    }
}
