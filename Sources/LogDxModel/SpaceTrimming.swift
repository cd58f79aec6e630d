extension Substring {
    /// The text without leading and trailing spaces and tabs. Foundation's
    /// `trimmingCharacters(in:)` bridges through NSString, and comparing `Character`s walks
    /// grapheme clusters; spaces and tabs are single bytes, so the UTF-8 view is trimmed instead
    /// (both are ASCII, so no cut can split a character).
    package func trimmingSpaces() -> String {
        let bytes = utf8
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start = bytes.index(after: start) }
        while end > start {
            let last = bytes.index(before: end)
            guard bytes[last] == 0x20 || bytes[last] == 0x09 else { break }
            end = last
        }
        return String(self[start..<end])
    }
}

extension String {
    package func trimmingSpaces() -> String {
        Substring(self).trimmingSpaces()
    }
}
