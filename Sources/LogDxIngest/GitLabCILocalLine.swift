/// The gitlab-ci-local lines that carry structure, read byte by byte (no pattern to compile, so
/// nothing that can fail at start-up):
/// - `uv-install starting ghcr.io/astral-sh/uv:0.5-python3.11-alpine (.pre)` — a job starts;
/// - `finished in 1.35 s  FAIL 1` (after the job prefix) — a job's result;
/// - ` PASS  uv-install` — a line of the closing summary.
///
/// Ranges are indices of the slice that was parsed.
package enum GitLabCILocalLine {
    package struct Starting {
        package var name: Range<Int>
        package var stage: Range<Int>
    }

    package struct Finished {
        /// `F` (FAIL) or `W` (WARN); `nil` when the job passed.
        package var result: UInt8?
        package var code: Int?
    }

    package struct Summary {
        /// `P`, `F` or `W`.
        package var result: UInt8
        package var name: Range<Int>
    }

    private static let space = UInt8(ascii: " ")

    /// `NAME +starting IMAGE (STAGE)` with the stage in the last parentheses, ending the line.
    package static func starting(_ line: ArraySlice<UInt8>) -> Starting? {
        guard let first = line.first, !isWhitespace(first), line.last == UInt8(ascii: ")"),
              let open = line.lastIndex(of: UInt8(ascii: "(")), open > line.startIndex,
              line[open - 1] == space
        else { return nil }
        let stage = (open + 1)..<(line.endIndex - 1)
        guard !stage.isEmpty, !line[stage].contains(UInt8(ascii: ")")),
              let keyword = Bytes.firstIndex(of: " starting ", in: line), keyword + 10 <= open - 1
        else { return nil }
        var nameEnd = keyword
        while nameEnd > line.startIndex && line[nameEnd - 1] == space { nameEnd -= 1 }
        return Starting(name: line.startIndex..<nameEnd, stage: stage)
    }

    /// `finished in TIME` optionally followed by `FAIL|WARN CODE` and padding.
    package static func finished(_ rest: ArraySlice<UInt8>) -> Finished? {
        guard Bytes.hasPrefix(rest, "finished in ") else { return nil }
        var end = rest.endIndex
        while end > rest.startIndex + 12 && isWhitespace(rest[end - 1]) { end -= 1 }
        var digits = end
        while digits > rest.startIndex + 12 && (0x30...0x39).contains(rest[digits - 1]) { digits -= 1 }
        let word = digits - 5
        guard digits < end, word > rest.startIndex + 12, rest[digits - 1] == space,
              isWhitespace(rest[word - 1]),
              Bytes.hasPrefix(rest[word...], "FAIL") || Bytes.hasPrefix(rest[word...], "WARN")
        else { return Finished(result: nil, code: nil) }
        return Finished(result: rest[word], code: Bytes.integer(rest[digits..<end]))
    }

    /// ` PASS  NAME`, ` FAIL  NAME` or ` WARN  NAME`.
    package static func summary(_ line: ArraySlice<UInt8>) -> Summary? {
        let b = line.startIndex
        guard line.count >= 8, line[b] == space, line[b + 5] == space, line[b + 6] == space,
              !isWhitespace(line[b + 7])
        else { return nil }
        let word = line[(b + 1)..<(b + 5)]
        guard word.elementsEqual("PASS".utf8) || word.elementsEqual("FAIL".utf8) || word.elementsEqual("WARN".utf8)
        else { return nil }
        var end = line.endIndex
        while end > b + 7 && isWhitespace(line[end - 1]) { end -= 1 }
        return Summary(result: line[b + 1], name: (b + 7)..<end)
    }

    /// PCRE2's `\s`: space, tab, and the line-break and feed controls.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0d).contains(byte)
    }
}
