import Foundation

/// The dates reports show and accept: ISO 8601 in UTC, and weeks starting on Monday.
public enum ReportDates {
    public static func iso(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    public static func day(_ seconds: Double) -> String { String(iso(seconds).prefix(10)) }

    /// The Monday (00:00 UTC) of the week holding `seconds`.
    public static func weekStart(_ seconds: Double) -> Double {
        let days = (seconds / 86_400).rounded(.down)
        // 1970-01-01 was a Thursday: shift so Monday is day 0 of the week.
        let weekday = (Int(days) + 3) % 7
        return (days - Double((weekday + 7) % 7)) * 86_400
    }

    /// Parses `YYYY-MM-DD` (midnight UTC) or a full ISO 8601 time.
    public static func parse(_ text: String) throws(ScanError) -> Double {
        let full = ISO8601DateFormatter()
        if let date = full.date(from: text) { return date.timeIntervalSince1970 }
        let dateOnly = ISO8601DateFormatter()
        dateOnly.formatOptions = [.withFullDate]
        if let date = dateOnly.date(from: text) { return date.timeIntervalSince1970 }
        throw .badDate(text)
    }
}
