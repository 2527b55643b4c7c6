/// The part of TOML a theme file uses, read by hand: comments, `[table]` headers, and
/// `key = value` lines whose values are strings, integers, booleans or inline tables.
///
/// Anything else TOML allows (arrays, floats, dates, dotted keys, multi-line strings) is refused
/// with its line and a plain reason, as is every malformed line: a theme is a small file an
/// operator edits by hand, and a general TOML library asserted (and aborted) on some broken
/// files the fuzzer made. Duplicate keys and tables are refused, as TOML says.
public enum ThemeTOML {
    /// A value as a theme uses it.
    public indirect enum Value: Hashable, Sendable {
        case string(String)
        case integer(Int)
        case boolean(Bool)
        case table(Table)

        public var string: String? { if case .string(let text) = self { text } else { nil } }
        public var int: Int? { if case .integer(let number) = self { number } else { nil } }
        public var bool: Bool? { if case .boolean(let flag) = self { flag } else { nil } }
        public var table: Table? { if case .table(let table) = self { table } else { nil } }

        /// How the value reads in a message: strings quoted, as in the file.
        public var shown: String {
            switch self {
            case .string(let text): "\"\(text)\""
            case .integer(let number): String(number)
            case .boolean(let flag): String(flag)
            case .table: "a table"
            }
        }
    }

    /// Keys in the order the file gives them, each with the line it is on.
    public struct Table: Hashable, Sendable {
        public struct Entry: Hashable, Sendable {
            public var key: String
            public var value: Value
            public var line: Int
        }

        public private(set) var entries: [Entry] = []

        public var keys: [String] { entries.map(\.key) }

        public subscript(key: String) -> Value? { entries.first { $0.key == key }?.value }

        /// The line `key` is defined on (for messages).
        public func line(of key: String) -> Int? { entries.first { $0.key == key }?.line }

        mutating func insert(_ key: String, _ value: Value, line: Int) throws(Failure) {
            guard self[key] == nil else { throw Failure(line: line, problem: "\"\(key)\" is defined twice") }
            entries.append(Entry(key: key, value: value, line: line))
        }

        mutating func replace(_ key: String, with value: Value) {
            if let index = entries.firstIndex(where: { $0.key == key }) { entries[index].value = value }
        }
    }

    /// Why the text is not a theme's TOML: the line and what is wrong there.
    public struct Failure: Error, Hashable, Sendable {
        public var line: Int
        public var problem: String
    }

    /// Reads `text` into its top-level table (with one nested table per `[header]`).
    public static func parse(_ text: String) throws(Failure) -> Table {
        var reader = Reader(bytes: Array(text.utf8))
        return try reader.document()
    }
}

/// A cursor over the UTF-8 bytes of a theme, counting lines.
private struct Reader {
    typealias Failure = ThemeTOML.Failure
    typealias Value = ThemeTOML.Value
    typealias Table = ThemeTOML.Table

    let bytes: [UInt8]
    var index = 0
    var line = 1

    init(bytes: [UInt8]) { self.bytes = bytes }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private func fail(_ problem: String) -> Failure { Failure(line: line, problem: problem) }

    private mutating func skipSpaces() {
        while let byte = current, byte == 0x20 || byte == 0x09 { index += 1 }
    }

    /// Spaces, an optional comment, then the end of the line (or of the file).
    private mutating func endOfLine() throws(Failure) {
        skipSpaces()
        if current == UInt8(ascii: "#") {
            while let byte = current, byte != 0x0A {
                if byte < 0x20 && byte != 0x09 && byte != 0x0D { throw fail("a control character in a comment") }
                index += 1
            }
        }
        if current == 0x0D { index += 1 }
        guard let byte = current else { return }
        guard byte == 0x0A else { throw fail("expected the end of the line after the value") }
        index += 1
        line += 1
    }

    mutating func document() throws(Failure) -> Table {
        var root = Table()
        var section: String?
        var sectionTable = Table()
        func close(_ root: inout Table, _ section: String?, _ table: Table) {
            if let section { root.replace(section, with: .table(table)) }
        }
        while index < bytes.count {
            skipSpaces()
            guard let byte = current else { break }
            switch byte {
            case 0x0A, 0x0D, UInt8(ascii: "#"):
                try endOfLine()
            case UInt8(ascii: "["):
                index += 1
                if current == UInt8(ascii: "[") { throw fail("arrays of tables ([[…]]) are not used in themes") }
                skipSpaces()
                let name = try key()
                skipSpaces()
                guard current == UInt8(ascii: "]") else { throw fail("a table header needs a closing ], as in [slots]") }
                index += 1
                close(&root, section, sectionTable)
                if let existing = root[name] {
                    throw fail(existing.table == nil ? "\"\(name)\" is already a value; it cannot also be a table" : "table [\(name)] is defined twice")
                }
                try root.insert(name, .table(Table()), line: line)
                section = name
                sectionTable = Table()
                try endOfLine()
            default:
                let startLine = line
                let name = try key()
                skipSpaces()
                guard current == UInt8(ascii: "=") else {
                    throw fail(current == UInt8(ascii: ".") ? "dotted keys are not used in themes; quote the key, as in \"seat.free\"" : "expected = after the key \"\(name)\"")
                }
                index += 1
                skipSpaces()
                let value = try self.value(depth: 0)
                if section == nil { try root.insert(name, value, line: startLine) } else { try sectionTable.insert(name, value, line: startLine) }
                try endOfLine()
            }
        }
        close(&root, section, sectionTable)
        return root
    }

    /// A bare key (letters, digits, `_`, `-`) or a quoted one.
    private mutating func key() throws(Failure) -> String {
        guard let byte = current else { throw fail("expected a key") }
        if byte == UInt8(ascii: "\"") { return try basicString() }
        if byte == UInt8(ascii: "'") { return try literalString() }
        let start = index
        while let byte = current, isBare(byte) { index += 1 }
        guard index > start else { throw fail("expected a key (letters, digits, - and _, or a quoted key)") }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private func isBare(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
    }

    private mutating func value(depth: Int) throws(Failure) -> Value {
        guard let byte = current else { throw fail("expected a value after =") }
        switch byte {
        case UInt8(ascii: "\""): return .string(try basicString())
        case UInt8(ascii: "'"): return .string(try literalString())
        case UInt8(ascii: "{"): return .table(try inlineTable(depth: depth + 1))
        case UInt8(ascii: "["): throw fail("arrays are not used in themes")
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            for (word, flag) in [("true", true), ("false", false)] where bytes[index...].starts(with: word.utf8) {
                index += word.utf8.count
                if let next = current, isBare(next) { break }
                return .boolean(flag)
            }
            throw fail("expected true or false")
        default:
            return .integer(try integer())
        }
    }

    /// A decimal integer, with an optional sign and `_` between digits.
    private mutating func integer() throws(Failure) -> Int {
        var negative = false
        if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") {
            negative = current == UInt8(ascii: "-")
            index += 1
        }
        var value = 0
        var digits = 0
        var lastWasDigit = false
        while let byte = current {
            if (0x30...0x39).contains(byte) {
                if digits == 1 && value == 0 { throw fail("a number cannot start with 0") }
                let (product, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = product.addingReportingOverflow(Int(byte - 0x30))
                guard !overflow1 && !overflow2 else { throw fail("the number is too large") }
                value = sum
                digits += 1
                lastWasDigit = true
            } else if byte == UInt8(ascii: "_") && lastWasDigit {
                lastWasDigit = false
            } else {
                break
            }
            index += 1
        }
        guard digits > 0, lastWasDigit else { throw fail("expected a value: a \"string\", a whole number, true, false or { … }") }
        if let byte = current, [".", "e", "E", ":", "-", "T"].contains(Character(Unicode.Scalar(byte))) {
            throw fail("only whole numbers are used in themes")
        }
        return negative ? -value : value
    }

    /// `{ key = value, … }` on one line.
    private mutating func inlineTable(depth: Int) throws(Failure) -> Table {
        guard depth <= 8 else { throw fail("inline tables nest too deeply") }
        index += 1
        var table = Table()
        skipSpaces()
        if current == UInt8(ascii: "}") {
            index += 1
            return table
        }
        while true {
            skipSpaces()
            let name = try key()
            skipSpaces()
            guard current == UInt8(ascii: "=") else { throw fail("expected = after \"\(name)\" in the inline table") }
            index += 1
            skipSpaces()
            try table.insert(name, try value(depth: depth), line: line)
            skipSpaces()
            switch current {
            case UInt8(ascii: ","):
                index += 1
            case UInt8(ascii: "}"):
                index += 1
                return table
            default:
                throw fail("an inline table goes on one line: { fg = \"accent\", bold = true }")
            }
        }
    }

    /// `"…"` with TOML's escapes; one line only.
    private mutating func basicString() throws(Failure) -> String {
        index += 1
        if bytes[index...].starts(with: "\"\"".utf8) { throw fail("multi-line strings are not used in themes") }
        var scalars = String.UnicodeScalarView()
        var run = index
        func flush(_ reader: Reader, _ scalars: inout String.UnicodeScalarView, _ end: Int) {
            scalars.append(contentsOf: String(decoding: reader.bytes[run..<end], as: UTF8.self).unicodeScalars)
        }
        while let byte = current {
            switch byte {
            case UInt8(ascii: "\""):
                flush(self, &scalars, index)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(self, &scalars, index)
                index += 1
                scalars.append(try escape())
                run = index
            case 0x00...0x08, 0x0A...0x1F, 0x7F:
                throw fail(byte == 0x0A ? "a string is not closed on its line" : "a control character in a string; write it as an escape")
            default:
                index += 1
            }
        }
        throw fail("a string is not closed")
    }

    private mutating func escape() throws(Failure) -> Unicode.Scalar {
        guard let byte = current else { throw fail("a string ends in the middle of an escape") }
        index += 1
        switch byte {
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard index + count <= bytes.count, let code = UInt32(String(decoding: bytes[index..<(index + count)], as: UTF8.self), radix: 16),
                  let scalar = Unicode.Scalar(code) else { throw fail("\\\(Character(Unicode.Scalar(byte))) needs \(count) hex digits of a Unicode scalar") }
            index += count
            return scalar
        default:
            throw fail("unknown escape \\\(Character(Unicode.Scalar(byte))) in a string")
        }
    }

    /// `'…'`, taken as written; one line only.
    private mutating func literalString() throws(Failure) -> String {
        index += 1
        if bytes[index...].starts(with: "''".utf8) { throw fail("multi-line strings are not used in themes") }
        let start = index
        while let byte = current, byte != UInt8(ascii: "'") {
            if byte < 0x20 && byte != 0x09 || byte == 0x7F { throw fail(byte == 0x0A ? "a string is not closed on its line" : "a control character in a string") }
            index += 1
        }
        guard current != nil else { throw fail("a string is not closed") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return text
    }
}
