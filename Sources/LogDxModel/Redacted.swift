/// Text from a log or a CI config that has been through the secret redactor. Evidence, excerpts,
/// events and config facts hold this type, not `String`, so that text read from the outside can
/// reach no renderer and no database row without having been redacted: the one way to make one
/// is `SecretRedactor` (`LogDxRedaction`); a string literal is logdx's own words; and
/// `alreadyRedacted:` is for the few places that build a value from parts already redacted (a
/// mask on a cleaned line, a stored row), which `RedactionBoundaryTests` lists by file.
public struct Redacted: Sendable, Hashable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The redacted text.
    public private(set) var value: String

    package init(alreadyRedacted value: String) {
        self.value = value
    }

    /// A literal is logdx's own words, never text read from outside.
    public init(stringLiteral value: String) {
        self.value = value
    }

    public var description: String { value }

    /// Another redacted text on a line of its own (an event's continuation lines).
    public mutating func appendLine(_ other: Redacted) {
        value += "\n" + other.value
    }

    /// The text after a presentation change that only escapes or removes (control characters made
    /// visible): what was masked stays masked.
    package func presented(_ change: (String) -> String) -> Redacted {
        Redacted(alreadyRedacted: change(value))
    }
}
