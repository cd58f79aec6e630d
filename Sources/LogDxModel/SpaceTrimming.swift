extension Substring {
    /// The text without leading and trailing spaces and tabs. Foundation's
    /// `trimmingCharacters(in:)` bridges through NSString, which showed up in the start-up profile
    /// of rule loading; spaces and tabs are all that rule text and log fields are padded with.
    package func trimmingSpaces() -> String {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}

extension String {
    package func trimmingSpaces() -> String {
        Substring(self).trimmingSpaces()
    }
}
