import Foundation

/// A show's start as an operator writes it and reads it: `2026-12-24T20:00` or
/// `2026-12-24 20:00` in the operator's time zone (seconds may follow), or ISO 8601 with a zone.
public enum ShowStart {
    public static func parse(_ text: String, timeZone: TimeZone = .current) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let zoned = ISO8601DateFormatter()
        if let date = zoned.date(from: trimmed) { return date }
        zoned.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = zoned.date(from: trimmed) { return date }
        for format in ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss"] {
            let local = DateFormatter()
            local.locale = Locale(identifier: "en_US_POSIX")
            local.timeZone = timeZone
            local.dateFormat = format
            if let date = local.date(from: trimmed) { return date }
        }
        return nil
    }

    /// `Wed 24 Dec 2026 20:00`, for messages.
    public static func shown(_ date: Date, timeZone: TimeZone = .current) -> String {
        format(date, "EEE d MMM yyyy HH:mm", timeZone)
    }

    /// `2026-12-24 20:00`: what `parse` reads back, for a field to edit.
    public static func editable(_ date: Date, timeZone: TimeZone = .current) -> String {
        format(date, "yyyy-MM-dd HH:mm", timeZone)
    }

    private static func format(_ date: Date, _ pattern: String, _ timeZone: TimeZone) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = timeZone
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
