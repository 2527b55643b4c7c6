import BoxOffice
import ConsoleClient
import EventStore
import Foundation
import Logging
import Ticketing

/// One line per operator command for the log file: `ana approveShow grand-hall-sun: done at #1042`.
/// Text from the store or the keyboard (customer names, reasons) has its control characters
/// shown as `\u{…}`, so a name cannot forge or break a line of the log.
enum CommandLog {
    /// Logs every command `box` answers: a line for a person (`ana approveShow grand-hall-sun:
    /// done at #1042`; a saga step says so) and the same as `key=value` fields: `command`, `id`,
    /// `actor`, `correlation`, `outcome` (done, duplicate, refused, failed), `positions`, `ms`,
    /// and a saga step's `causation` (the position it answered).
    static func install(on box: BoxOffice, _ logger: Logger) {
        box.onCommand { trace in
            let step = trace.context.actor == ReservationSaga.actor
            var fields: Logger.Metadata = [
                "command": .string(name(of: trace.command)), "id": .string(trace.context.commandId ?? "-"), "actor": .string(trace.context.actor),
                "correlation": .string(trace.correlationId ?? "-"), "ms": .string(String(format: "%.2f", trace.milliseconds)),
            ]
            if step { fields["causation"] = .string(trace.context.causationId ?? "-") }
            let level: Logger.Level
            let outcome: String
            switch trace.result {
            case .success(let result):
                (level, fields["outcome"]) = (.info, .string(result.duplicate ? "duplicate" : "done"))
                if let first = result.positions.first, let last = result.positions.last { fields["positions"] = .string(first == last ? "\(first)" : "\(first)-\(last)") }
                outcome = result.duplicate ? "already done" : result.positions.isEmpty ? "done"
                    : "done at #\(result.positions.first!)" + (result.positions.count > 1 ? "…#\(result.positions.last!)" : "")
            case .failure(let error) where error.isRefusal:
                (level, fields["outcome"]) = (.info, .string("refused"))
                outcome = "refused: \(text(error.description))"
            case .failure(let error):
                (level, fields["outcome"]) = (.error, .string("failed"))
                outcome = "failed: \(text(error.description))"
            }
            logger.log(level: level, "\(step ? "saga step" : text(trace.context.actor)) \(describe(trace.command)): \(outcome)", metadata: fields)
        }
    }

    /// The command's case name (`reserveSeats`).
    static func name(of command: Command) -> String {
        Mirror(reflecting: command).children.first?.label ?? String(describing: command)
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
