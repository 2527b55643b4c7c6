import ConsoleClient
import Foundation
import TerminalUI
import Ticketing

/// Small text formats the screens share, computed by hand so snapshots never depend on the
/// machine's locale.
enum Format {
    /// `20:14:03` in the given zone.
    static func clock(_ date: Date, _ zone: TimeZone) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: date)
        let day = ((seconds % 86_400) + 86_400) % 86_400
        return two(day / 3600) + ":" + two(day / 60 % 60) + ":" + two(day % 60)
    }

    /// `12-03 20:14` (month-day and minute) in the given zone: for times that may be days apart.
    static func stamp(_ date: Date, _ zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.month, .day, .hour, .minute], from: date)
        return two(parts.month ?? 0) + "-" + two(parts.day ?? 0) + " " + two(parts.hour ?? 0) + ":" + two(parts.minute ?? 0)
    }

    /// `text` in exactly `columns` columns: cut where it is wider, padded with spaces where narrower.
    static func padded(_ text: String, to columns: Int) -> String {
        var width = CharacterWidth.of(text)
        var shown = text
        if width > columns {
            shown = ""
            width = 0
            for character in text {
                let next = CharacterWidth.of(character)
                if width + next > columns { break }
                shown.append(character)
                width += next
            }
        }
        return shown + String(repeating: " ", count: columns - width)
    }

    /// `4:07`, never negative.
    static func countdown(_ seconds: TimeInterval) -> String {
        let total = max(0, Int(seconds.rounded(.up)))
        return "\(total / 60):" + two(total % 60)
    }

    /// A show status as an operator says it: an approved show is on sale, `salesClosed` is
    /// `sales closed`.
    static func status(_ stage: ShowStatus.Stage) -> String {
        switch stage {
        case .approved: "on sale"
        case .salesClosed: "sales closed"
        case .draft, .submitted, .rejected, .cancelled: stage.rawValue
        }
    }

    /// Who last moved a show along, in the words of its current status.
    static func provenance(_ show: ShowQueue.Show) -> String {
        switch show.status {
        case .rejected: return "rejected: \(sanitize(show.rejectionReason ?? ""))"
        case .submitted: return show.submittedBy.map { "submitted by \(sanitize($0))" } ?? "created by \(sanitize(show.createdBy))"
        case .draft: return "created by \(sanitize(show.createdBy))"
        case .approved, .salesClosed, .cancelled: return show.approvedBy.map { "approved by \(sanitize($0))" } ?? "created by \(sanitize(show.createdBy))"
        }
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    static func percent(_ ratio: Double) -> String { "\(Int((ratio * 100).rounded())) %" }

    /// `A4 A5` for seats in one section, `Stalls-A-4 …` otherwise; at most `limit` shown.
    static func seats(_ seats: [SeatID], limit: Int = 3) -> String {
        let short = seats.map { id -> String in
            id.parts.map { "\($0.row)\($0.number)" } ?? id.rawValue
        }
        let shown = short.prefix(limit).joined(separator: " ")
        return short.count > limit ? shown + " +\(short.count - limit)" : shown
    }

    static func money(_ minor: Int64, _ currency: String) -> String { Money(minor: minor, currency: currency).description }

    /// Whole currency units (`€21,690`), for headline figures.
    static func wholeMoney(_ minor: Int64, _ currency: String) -> String {
        let text = money(minor, currency)
        guard let dot = text.lastIndex(of: "."), let end = text.index(dot, offsetBy: 3, limitedBy: text.endIndex) else { return text }
        return String(text[..<dot]) + String(text[end...])
    }
}
