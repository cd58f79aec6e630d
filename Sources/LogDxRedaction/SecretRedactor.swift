#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LogDxModel
import PCRE2

/// Removes credentials from text before it can reach any output: every format of
/// `SecretFormat.all` (provider tokens, JWTs, passwords in URLs and on command lines, private keys,
/// values assigned to secret-looking names).
///
/// One Aho-Corasick pass over the text finds which formats' literals occur; only those formats run
/// their pattern, so text without any costs that one pass. Secrets are found on the original text
/// and masked together, which also lets a caller mask the part of a secret that falls inside a
/// field cut out of a longer line.
public struct SecretRedactor {
    public static let mask = "[REDACTED]"
    package static let maskBytes = Array(mask.utf8)

    private static let table: [SecretPattern] = SecretFormat.all.map(SecretPattern.init)
    private static let literalOwners: [Int] = table.enumerated().flatMap { index, entry in entry.format.literals.map { _ in index } }
    private static let prefilter = AhoCorasick(table.flatMap { $0.format.literals.map { Array($0.utf8) } })

    /// The formats whose pattern libpcre2 refused, with its reason (a test requires none).
    public static var unavailableFormats: [String] {
        table.compactMap { entry in
            guard case .failure(let error) = entry.pattern else { return nil }
            return "\(entry.format.id): \(error)"
        }
    }

    private let scratch = MatchScratch()

    public init() {}

    /// `text` with every secret replaced by `[REDACTED]`, as the type evidence, excerpts and the
    /// database take.
    public func redacted(_ text: String) -> Redacted {
        Redacted(alreadyRedacted: redact(text))
    }

    /// `text` with every secret replaced by `[REDACTED]`.
    public func redact(_ text: String) -> String {
        var text = text
        return text.withUTF8 { redact($0) }
    }

    /// The bytes (valid UTF-8) as text, every secret replaced by `[REDACTED]`.
    public func redact(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        redactedPrefix(of: bytes, maxBytes: bytes.count).value
    }

    /// At most the first `maxBytes` bytes of `bytes` as text, cut on a character boundary and ended
    /// with `…` when cut. Secrets are found in the whole text first: a token cut in half by the
    /// limit would no longer look like one.
    public func redactedPrefix(of bytes: UnsafeBufferPointer<UInt8>, maxBytes: Int) -> Redacted {
        redactedPrefix(of: bytes, maxBytes: maxBytes, secrets: secretRanges(in: bytes))
    }

    /// The same, with the secrets `secretRanges(in: bytes)` already found: an event's line is
    /// searched once for its fields and its text.
    public func redactedPrefix(of bytes: UnsafeBufferPointer<UInt8>, maxBytes: Int, secrets: [Range<Int>]) -> Redacted {
        var limit = min(max(0, maxBytes), bytes.count)
        while limit < bytes.count && limit > 0 && (bytes[limit] & 0xc0) == 0x80 { limit -= 1 }
        if secrets.isEmpty {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<limit]), as: UTF8.self)
            return Redacted(alreadyRedacted: limit < bytes.count ? text + "…" : text)
        }
        var output: [UInt8] = []
        output.reserveCapacity(limit + 16)
        var position = 0
        for secret in secrets where secret.lowerBound < limit && position < limit {
            output.append(contentsOf: bytes[position..<max(position, secret.lowerBound)])
            output.append(contentsOf: Self.maskBytes)
            position = max(position, secret.upperBound)
        }
        if position < limit { output.append(contentsOf: bytes[position..<limit]) }
        let text = String(decoding: output, as: UTF8.self)
        return Redacted(alreadyRedacted: max(position, limit) < bytes.count ? text + "…" : text)
    }

    /// `subject[range]` as text with the parts inside `secrets` (from `secretRanges(in: subject)`)
    /// masked, then redacted on its own: a field cut out of a line loses the context (`password=`)
    /// that made its value a secret.
    public func redact(_ subject: UnsafeBufferPointer<UInt8>, range: Range<Int>, secrets: [Range<Int>]) -> String {
        var output: [UInt8] = []
        var position = range.lowerBound
        for secret in secrets where secret.upperBound > range.lowerBound && secret.lowerBound < range.upperBound {
            let start = max(secret.lowerBound, position), end = min(secret.upperBound, range.upperBound)
            output.append(contentsOf: subject[position..<start])
            output.append(contentsOf: Self.maskBytes)
            position = end
        }
        guard position > range.lowerBound else {
            return redact(UnsafeBufferPointer(rebasing: subject[range]))
        }
        if position < range.upperBound { output.append(contentsOf: subject[position..<range.upperBound]) }
        return redact(String(decoding: output, as: UTF8.self))
    }

    /// The byte ranges of every secret in `bytes` (valid UTF-8), sorted, merged where they touch.
    public func secretRanges(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        secrets(in: bytes).ranges
    }

    /// What one search of a text found.
    package struct Secrets {
        /// As `secretRanges` gives them.
        package var ranges: [Range<Int>]
        /// Whether the text holds any format's literal. Without one, no part of the text holds a
        /// secret either (a format matches only text with its literal), so a field cut out of
        /// it needs no search of its own.
        package var holdsLiteral: Bool
    }

    /// The secrets of `bytes` (valid UTF-8), and whether it holds any literal.
    package func secrets(in bytes: UnsafeBufferPointer<UInt8>) -> Secrets {
        var candidates: [UInt64] = []
        Self.prefilter.scan(bytes) { literal in
            let owner = Self.literalOwners[literal]
            if candidates.isEmpty { candidates = [UInt64](repeating: 0, count: (Self.table.count + 63) / 64) }
            candidates[owner / 64] |= 1 << UInt64(owner % 64)
        }
        guard !candidates.isEmpty else { return Secrets(ranges: [], holdsLiteral: false) }
        var found: [Range<Int>] = []
        for (index, entry) in Self.table.enumerated() where candidates[index / 64] & (1 << UInt64(index % 64)) != 0 {
            guard Self.holdsAll(entry.format.requiredBytes, bytes) else { continue }
            guard case .success(let pattern) = entry.pattern else { return Secrets(ranges: [0..<bytes.count], holdsLiteral: true) }
            collect(entry.format, pattern, in: bytes, into: &found)
        }
        return Secrets(ranges: Self.merged(found), holdsLiteral: true)
    }

    private static func holdsAll(_ required: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return required.isEmpty }
        return required.allSatisfy { memchr(base, Int32($0), bytes.count) != nil }
    }

    private func collect(_ format: SecretFormat, _ pattern: Pattern, in bytes: UnsafeBufferPointer<UInt8>, into found: inout [Range<Int>]) {
        var from = 0
        // Each pass starts strictly after the previous one, so this ends; with the patterns'
        // bounded repeats each pass costs about the distance it advances.
        while from <= bytes.count {
            let match: Match
            switch pattern.firstMatch(inValidUTF8: bytes, from: from, scratch: scratch) {
            case .noMatch:
                return
            case .limitExceeded:
                // Whatever the pattern could not decide on may hold the secret.
                found.append(from..<bytes.count)
                return
            case .matched(let matched):
                match = matched
            }
            let whole = match.range
            let secret = match.range(named: "secret") ?? match.range(named: "secret2") ?? whole
            if let masked = Self.confirmed(format.check, match, secret, bytes) {
                if !masked.isEmpty { found.append(masked) }
                from = whole.upperBound > whole.lowerBound ? whole.upperBound : Self.nextCharacter(after: whole.lowerBound, in: bytes)
            } else {
                // A rejected name (`auth_type=`) may still be followed by a real one in its value.
                from = secret.lowerBound > whole.lowerBound ? secret.lowerBound : Self.nextCharacter(after: whole.lowerBound, in: bytes)
            }
        }
    }

    /// The range to mask when the match is a secret, `nil` when its name or value says it is not.
    private static func confirmed(_ check: SecretFormat.Check, _ match: Match, _ secret: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        func text(_ range: Range<Int>) -> Substring {
            Substring(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        }
        switch check {
        case .none:
            return secret
        case .value:
            guard !SecretName.isPlaceholder(text(secret)) else { return nil }
        case .assignment, .colonAssignment, .flag:
            guard let name = match.range(named: "name"), !SecretName.isPlaceholder(text(secret)) else { return nil }
            let accepted = check == .flag ? SecretName.isSecretFlag(text(name)) : SecretName.isSecret(text(name))
            guard accepted else { return nil }
            if check == .colonAssignment && !startsLine(match.range.lowerBound, bytes) && SecretName.isProse(text(secret)) {
                return nil
            }
            // `let token = session();` assigns what a call returns: code, not a credential.
            if secret.upperBound < bytes.count && bytes[secret.upperBound] == UInt8(ascii: "(") { return nil }
        }
        return unquoted(secret, bytes)
    }

    /// Whether only indentation, a list dash or `export` comes before `offset` on its line (looked
    /// at backwards, a few bytes at most).
    private static func startsLine(_ offset: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        func skipBlanks(_ index: Int) -> Int {
            var index = index
            while index > 0 && [0x20, 0x09, 0x0d, 0x2d].contains(bytes[index - 1]) { index -= 1 }
            return index
        }
        var index = skipBlanks(offset)
        let export = Array("export".utf8)
        if index >= export.count && Array(bytes[(index - export.count)..<index]) == export {
            index = skipBlanks(index - export.count)
        }
        return index == 0 || bytes[index - 1] == 0x0a
    }

    /// A quoted value's content: the quotes are syntax, and keeping them keeps the line readable.
    private static func unquoted(_ range: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        guard range.count >= 2 else { return range }
        let first = bytes[range.lowerBound], last = bytes[range.upperBound - 1]
        guard first == UInt8(ascii: "\"") || first == UInt8(ascii: "'") else { return range }
        return (range.lowerBound + 1)..<(last == first ? range.upperBound - 1 : range.upperBound)
    }

    private static func nextCharacter(after offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var next = offset + 1
        while next < bytes.count && (bytes[next] & 0xc0) == 0x80 { next += 1 }
        return next
    }

    package static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        guard ranges.count > 1 else { return ranges }
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }
}
