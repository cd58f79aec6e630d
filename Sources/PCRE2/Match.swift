/// The result of a successful match: byte ranges into the subject that was searched.
public struct Match: Sendable, Equatable {
    /// Group 0 is the whole match; `nil` for a group that did not participate.
    public let groups: [Range<Int>?]
    /// The names of the pattern's groups.
    let names: NameTable

    public var range: Range<Int> { groups[0]! }

    /// The byte range of the named group, or `nil` when it did not participate or does not exist.
    /// With `(?J)`, the first group of that name that took part in the match.
    public func range(named name: String) -> Range<Int>? {
        range(of: names.indices[name] ?? [])
    }

    /// The byte range of the first of the groups `indices` (a `Pattern.NamedGroup`'s) that took
    /// part in the match.
    public func range(of indices: [Int]) -> Range<Int>? {
        for index in indices where index < groups.count {
            if let range = groups[index] { return range }
        }
        return nil
    }

    public static func == (lhs: Match, rhs: Match) -> Bool {
        lhs.groups == rhs.groups && lhs.names === rhs.names
    }
}

/// What one match attempt produced. A limit hit is not a match, but it is worth reporting.
public enum MatchOutcome: Sendable, Equatable {
    case matched(Match)
    case noMatch
    /// The attempt stopped at a resource limit (match, depth, heap or JIT stack).
    case limitExceeded(PCRE2Error)
}
