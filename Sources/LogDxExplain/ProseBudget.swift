import Foundation

/// How much of a placeholder's values prose may show, so every finding has a size a person reads
/// in seconds: a job with 280 compile errors gets a title naming one or two and a count, not a
/// 13,000-character line. Patches are not prose and take every value.
package struct ProseBudget: Sendable {
    /// The most values of one placeholder named before "N more".
    package var values: Int
    /// The characters the named values of one placeholder may take together (the first is always
    /// named, shortened if need be).
    package var characters: Int
    /// The longest one value may be. A name (a cache key, a path, an image: no spaces) loses its
    /// middle, since its ends tell it from another; a message loses its end, as a sentence does.
    var longestValue: Int
    /// The longest the whole rendered text may be; nil for no limit.
    package var total: Int?

    package static let title = ProseBudget(values: 3, characters: 70, longestValue: 60, total: 120)
    package static let body = ProseBudget(values: 5, characters: 320, longestValue: 200, total: nil)

    /// The values prose names: the first few that fit, then how many more there are.
    package func shown(_ all: [String]) -> [String] {
        var shown: [String] = []
        var used = 0
        for (index, value) in all.enumerated() {
            let cut = value.utf8.contains(UInt8(ascii: " ")) ? Self.shortened(value, to: longestValue) : Self.middleCut(value, to: longestValue)
            // "and 1 more" takes the place the last value would: name it instead.
            let isLast = index == all.count - 1
            guard shown.isEmpty || ((shown.count < values || isLast) && used + cut.count <= characters) else { break }
            shown.append(cut)
            used += cut.count
        }
        if shown.count < all.count { shown.append("\(all.count - shown.count) more") }
        return shown
    }

    /// The rendered text within `total`, cut at a word boundary.
    func fitted(_ text: String) -> String {
        guard let total else { return text }
        return Self.shortened(text, to: total)
    }

    /// `value` within `limit` characters, its middle replaced by "…".
    package static func middleCut(_ value: String, to limit: Int) -> String {
        guard value.count > limit, limit > 2 else { return value }
        let tail = (limit - 1) / 3
        return value.prefix(limit - 1 - tail) + "…" + value.suffix(tail)
    }

    /// `text` within `limit` characters: cut at the last space that keeps at least half of it, else
    /// mid-word, and marked with "…".
    package static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit, limit > 1 else { return text }
        let head = text.prefix(limit - 1)
        if let space = head.lastIndex(of: " "), head.distance(from: head.startIndex, to: space) >= limit / 2 {
            return head[..<space].trimmingCharacters(in: [",", ";", ":", " "]) + "…"
        }
        return head + "…"
    }
}
