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
        String(decoding: normalizedBytes(name), as: UTF8.self)
    }

    /// `normalized(name)` as UTF-8 bytes, the form names are compared in.
    public func normalizedBytes(_ name: String) -> [UInt8] {
        var name = name
        return name.withUTF8 { bytes in
            var result: [UInt8] = []
            result.reserveCapacity(bytes.count)
            appendNormalized(bytes, to: &result)
            return result
        }
    }

    /// Appends `normalizedBytes` of a name given as UTF-8 bytes (invalid ones read as U+FFFD) to
    /// `buffer`: a shipped list keeps its 15,000 names end to end in one buffer, normalized
    /// straight from the file's bytes (an array and a string per name were 1,700 instructions a
    /// name, most of reading a list). An ASCII name, nearly every one, is normalized byte by
    /// byte: walking grapheme clusters made the lists a quarter of diagnosing a 1 MB pipeline.
    public func appendNormalized(_ name: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
        guard name.allSatisfy({ $0 < 0x80 }) else {
            buffer.append(contentsOf: normalizedCharacters(String(decoding: name, as: UTF8.self)).utf8)
            return
        }
        // Copied in one go, then normalized in place: the result is never longer, so no write
        // overtakes a read. (An append per byte was two thirds of the cost.)
        let start = buffer.count
        buffer.append(contentsOf: name)
        let end = buffer.withUnsafeMutableBufferPointer { bytes in
            var write = start
            var inSeparatorRun = false
            for read in start..<bytes.count {
                let byte = bytes[read]
                let lower = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
                switch self {
                case .pypi:
                    let isSeparator = lower == UInt8(ascii: "-") || lower == UInt8(ascii: "_") || lower == UInt8(ascii: ".")
                    defer { inSeparatorRun = isSeparator }
                    if isSeparator && inSeparatorRun { continue }
                    bytes[write] = isSeparator ? UInt8(ascii: "-") : lower
                case .crates:
                    bytes[write] = lower == UInt8(ascii: "_") ? UInt8(ascii: "-") : lower
                case .npm, .rubygems:
                    bytes[write] = lower
                }
                write += 1
            }
            return write
        }
        buffer.removeLast(buffer.count - end)
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

    /// The shipped list's file name inside a rules folder.
    public var dataFile: String { "data/\(rawValue)-names.txt" }
}
