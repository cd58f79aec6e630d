/// The package registries whose names logdx can compare: how each one spells a name the same way
/// twice, and which shipped list of its most used names (`Rules/data/<registry>-names.txt`) holds
/// candidates for a suggestion.
public enum PackageRegistry: String, Sendable, CaseIterable {
    case pypi
    case npm
    case crates
    case rubygems

    /// The name as the registry compares it. PyPI (PEP 503): case-insensitive, and any run of
    /// `-`, `_`, `.` is one `-`. npm, crates.io and RubyGems names are compared as written, less
    /// case (crates.io treats `-` and `_` alike too).
    public func normalized(_ name: String) -> String {
        let lower = name.lowercased()
        switch self {
        case .pypi:
            var result = ""
            var inSeparatorRun = false
            for character in lower {
                if character == "-" || character == "_" || character == "." {
                    if !inSeparatorRun { result.append("-") }
                    inSeparatorRun = true
                } else {
                    result.append(character)
                    inSeparatorRun = false
                }
            }
            return result
        case .crates:
            return String(lower.map { $0 == "_" ? "-" : $0 })
        case .npm, .rubygems:
            return lower
        }
    }

    /// The shipped list's file name inside a rules folder.
    public var dataFile: String { "data/\(rawValue)-names.txt" }
}
