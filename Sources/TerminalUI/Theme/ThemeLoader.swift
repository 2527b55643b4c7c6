import Foundation

/// Reads theme files (TOML): a palette of named colours and slots mapping roles to palette
/// names and attributes, decoded over complete defaults so a partial theme works.
public enum ThemeLoader {
    static let colorNames = [
        "black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
        "bright-black", "bright-red", "bright-green", "bright-yellow", "bright-blue", "bright-magenta", "bright-cyan", "bright-white",
    ]
    static let expectedColor = "a number 0–255, a colour name (red, bright-green, …), #rrggbb, or \"default\""

    /// Finds a theme by name in `folder` (`default` → `folder/default.toml`) or by path.
    public static func load(_ nameOrPath: String, folder: URL, defaults: Theme, knownPrefixes: [String] = []) throws(ThemeError) -> Theme {
        let isPath = nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml")
        let url = isPath ? URL(fileURLWithPath: nameOrPath) : folder.appendingPathComponent(nameOrPath + ".toml")
        guard let data = FileManager.default.contents(atPath: url.path) else {
            if isPath { throw ThemeError(file: url.path, line: nil, problem: "the file cannot be read") }
            throw ThemeError(file: nameOrPath, line: nil, problem: "no such theme; available: \(available(in: folder).joined(separator: ", "))")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: isPath ? url.path : "Themes/\(nameOrPath).toml", defaults: defaults, knownPrefixes: knownPrefixes)
    }

    /// Theme names in a folder.
    public static func available(in folder: URL) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Parses theme text; every error names the file, the line and what was expected.
    public static func parse(_ text: String, file: String, defaults: Theme, knownPrefixes: [String] = []) throws(ThemeError) -> Theme {
        let table: ThemeTOML.Table
        do {
            table = try ThemeTOML.parse(text)
        } catch {
            throw ThemeError(file: file, line: error.line, problem: "not valid TOML: \(error.problem)")
        }
        func line(of key: String) -> Int? { Self.line(of: key, in: text) }
        for key in table.keys where !["name", "description", "monochrome", "palette", "slots"].contains(key) {
            throw ThemeError(file: file, line: line(of: key), problem: "unknown key \"\(key)\"; a theme has name, description, monochrome, [palette] and [slots]")
        }
        if let value = table["monochrome"], value.bool == nil {
            throw ThemeError(file: file, line: line(of: "monochrome"), problem: "monochrome must be true or false")
        }
        let monochrome = table["monochrome"]?.bool ?? false
        var palette: [String: Color] = [:]
        if let entries = table["palette"]?.table {
            for key in entries.keys {
                guard let value = entries[key], let color = color(value, palette: [:]) else {
                    throw ThemeError(file: file, line: line(of: key), problem: "palette colour \"\(key)\" is not a colour; expected \(expectedColor)")
                }
                palette[key] = color
            }
        } else if table["palette"] != nil {
            throw ThemeError(file: file, line: line(of: "palette"), problem: "palette must be a table: [palette]")
        }
        var theme = defaults
        theme.name = table["name"]?.string ?? defaults.name
        guard let slots = table["slots"]?.table else {
            if table["slots"] != nil { throw ThemeError(file: file, line: line(of: "slots"), problem: "slots must be a table: [slots]") }
            return monochrome ? theme.mapped(to: .none) : theme
        }
        for key in slots.keys {
            let role = StyleRole(key)
            guard defaults.styles[role] != nil || knownPrefixes.contains(where: { key.hasPrefix($0) }) else {
                let known = defaults.styles.keys.map(\.name).sorted().prefix(8).joined(separator: ", ")
                throw ThemeError(file: file, line: line(of: key), problem: "unknown slot \"\(key)\"; slots include \(known), …")
            }
            guard let attributes = slots[key]?.table else {
                throw ThemeError(file: file, line: line(of: key), problem: "slot \"\(key)\" must be an inline table such as { fg = \"accent\", bold = true }")
            }
            var style = TextStyle()
            for attribute in attributes.keys {
                guard let value = attributes[attribute] else { continue }
                switch attribute {
                case "fg", "bg":
                    guard let color = color(value, palette: palette) else {
                        throw ThemeError(file: file, line: line(of: key), problem: "slot \"\(key)\": \(attribute) \(value.shown) is not a palette name or colour; expected \(expectedColor)")
                    }
                    if attribute == "fg" { style.foreground = color } else { style.background = color }
                case "bold", "dim", "underline", "reverse":
                    guard let flag = value.bool else {
                        throw ThemeError(file: file, line: line(of: key), problem: "slot \"\(key)\": \(attribute) must be true or false")
                    }
                    switch attribute {
                    case "bold": style.bold = flag
                    case "dim": style.dim = flag
                    case "underline": style.underline = flag
                    default: style.reverse = flag
                    }
                default:
                    throw ThemeError(file: file, line: line(of: key), problem: "slot \"\(key)\" has unknown attribute \"\(attribute)\"; use fg, bg, bold, dim, underline, reverse")
                }
            }
            theme.styles[role] = style
        }
        // A monochrome theme drops every colour, the defaults' included: only attributes remain.
        return monochrome ? theme.mapped(to: .none) : theme
    }

    static func color(_ value: ThemeTOML.Value, palette: [String: Color]) -> Color? {
        if let number = value.int { return (0...255).contains(number) ? .indexed(UInt8(number)) : nil }
        guard let text = value.string?.lowercased() else { return nil }
        if text == "default" { return .default }
        if let named = palette[text] { return named }
        if let index = colorNames.firstIndex(of: text) { return .indexed(UInt8(index)) }
        if text.hasPrefix("#"), text.count == 7, let rgb = UInt32(text.dropFirst(), radix: 16) {
            return .rgb(UInt8(rgb >> 16 & 0xFF), UInt8(rgb >> 8 & 0xFF), UInt8(rgb & 0xFF))
        }
        return nil
    }

    /// The first line defining `key` (as `key =` or `"key" =` or `[key]`), 1-based.
    static func line(of key: String, in text: String) -> Int? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("\"\(key)\"") || trimmed.hasPrefix("\(key) ") || trimmed.hasPrefix("\(key)=") || trimmed == "[\(key)]" {
                return index + 1
            }
        }
        return nil
    }
}

/// A theme that cannot be used: which file, which line, what was expected.
public struct ThemeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var problem: String

    public var description: String { "\(file)\(line.map { ":\($0)" } ?? ""): \(problem)" }
}
