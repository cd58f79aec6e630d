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
        if let ascii = normalizedASCII(name) { return String(decoding: ascii, as: UTF8.self) }
        return normalizedCharacters(name)
    }

    /// `normalized(name)` as UTF-8 bytes, the form names are compared in.
    public func normalizedBytes(_ name: String) -> [UInt8] {
        normalizedASCII(name) ?? Array(normalizedCharacters(name).utf8)
    }

    private func normalizedCharacters(_ name: String) -> String {
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

    /// `normalized` on the bytes of an ASCII name (nearly every package name), nil for any other:
    /// the same result without walking grapheme clusters, which made normalizing the 15,000
    /// names of a shipped list a quarter of diagnosing a 1 MB pipeline.
    private func normalizedASCII(_ name: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(name.utf8.count)
        var inSeparatorRun = false
        for byte in name.utf8 {
            guard byte < 0x80 else { return nil }
            let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
            switch self {
            case .pypi:
                if lower == UInt8(ascii: "-") || lower == UInt8(ascii: "_") || lower == UInt8(ascii: ".") {
                    if !inSeparatorRun { result.append(UInt8(ascii: "-")) }
                    inSeparatorRun = true
                } else {
                    result.append(lower)
                    inSeparatorRun = false
                }
            case .crates:
                result.append(lower == UInt8(ascii: "_") ? UInt8(ascii: "-") : lower)
            case .npm, .rubygems:
                result.append(lower)
            }
        }
        return result
    }

    /// The shipped list's file name inside a rules folder.
    public var dataFile: String { "data/\(rawValue)-names.txt" }
}
