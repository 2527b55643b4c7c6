import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Ticketing

/// One line per operator command for the log file: `ana approveShow grand-hall-sun: done at #1042`.
/// Text from the store or the keyboard (customer names, reasons) has its control characters
/// shown as `\u{…}`, so a name cannot forge or break a line of the log.
enum CommandLog {
    static func describe(_ request: CommandRequest) -> String {
        switch request {
        case .command(let command): describe(command)
        case .reserve(let show, let seats, let customer):
            "reserveSeats \(show.rawValue) \(seats.map(\.rawValue).joined(separator: ",")) for \(quoted(customer))"
        case .best(let show, let quantity, let section, let customer):
            "reserveBestAvailable \(show.rawValue) \(quantity)\(section.map { " in \(quoted($0))" } ?? "") for \(quoted(customer))"
        }
    }

    /// The command's case and its values: ids as they are, text quoted.
    static func describe(_ command: Command) -> String {
        guard let (name, payload) = Mirror(reflecting: command).children.first.map({ ($0.label ?? "", $0.value) }) else {
            return text(String(describing: command))
        }
        let values = Mirror(reflecting: payload).displayStyle != .tuple ? [value(payload)]
            : Mirror(reflecting: payload).children.map { child in
                (child.label.flatMap { $0.hasPrefix(".") ? nil : "\($0): " } ?? "") + value(child.value)
            }
        return ([name] + values).joined(separator: " ")
    }

    static func describe(_ outcome: CommandOutcome) -> String {
        switch outcome {
        case .accepted(let positions, _, let duplicate):
            duplicate ? "already done" : positions.isEmpty ? "done" : "done at #\(positions.first!)" + (positions.count > 1 ? "…#\(positions.last!)" : "")
        case .refused(let reason): "refused: \(text(reason.description))"
        case .failed(let problem): "failed: \(text(problem))"
        }
    }

    private static func value(_ value: Any) -> String {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.map { Self.value($0.value) } ?? "none"
        }
        return switch value {
        case let id as any RawRepresentable: text("\(id.rawValue)")
        case let string as String: quoted(string)
        case let date as Date: Timestamp.string(date)
        case let list as [SeatID]: list.map(\.rawValue).joined(separator: ",")
        default: text(String(describing: value))
        }
    }

    static func quoted(_ string: String) -> String { "\"" + text(string) + "\"" }

    /// `string` with control characters (newlines, escapes, bidi overrides) written as `\u{…}`.
    static func text(_ string: String) -> String {
        var out = ""
        for scalar in string.unicodeScalars {
            if StoreOptions.isControl(scalar) { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }
}
