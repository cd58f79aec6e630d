#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small byte-level helpers: ingest works on UTF-8 bytes so a line never becomes a `String` unless
/// it ends up in an event.
package enum Bytes {
    static func hasPrefix(_ bytes: ArraySlice<UInt8>, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        return prefix.withUTF8Buffer { p in
            var i = bytes.startIndex
            for byte in p {
                if bytes[i] != byte { return false }
                i += 1
            }
            return true
        }
    }

    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Drops ASCII spaces and tabs from both ends.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = bytes.startIndex, e = bytes.endIndex
        while s < e && (bytes[s] == 0x20 || bytes[s] == 0x09) { s += 1 }
        while e > s && (bytes[e - 1] == 0x20 || bytes[e - 1] == 0x09) { e -= 1 }
        return bytes[s..<e]
    }

    /// Parses leading ASCII digits; `nil` when there are none.
    static func integer(_ bytes: ArraySlice<UInt8>) -> Int? {
        var value = 0
        var any = false
        for byte in bytes {
            guard (0x30...0x39).contains(byte) else { break }
            value = value &* 10 &+ Int(byte - 0x30)
            any = true
        }
        return any ? value : nil
    }

    /// A text searched for, with the byte its search looks for first: asked of every line, the
    /// choice is made once, not per search.
    package struct Needle: Sendable {
        let text: StaticString
        let anchor: Int

        package init(_ text: StaticString) {
            self.text = text
            anchor = text.withUTF8Buffer { Bytes.anchorIndex($0) }
        }
    }

    /// The index of the first occurrence of `needle`, searching from `from`.
    package static func firstIndex(of needle: StaticString, in bytes: ArraySlice<UInt8>, from: Int? = nil) -> Int? {
        firstIndex(of: Needle(needle), in: bytes, from: from)
    }

    /// The same, for a needle whose anchor is chosen already.
    package static func firstIndex(of needle: Needle, in bytes: ArraySlice<UInt8>, from: Int? = nil) -> Int? {
        let n = needle.text.utf8CodeUnitCount
        let start = from ?? bytes.startIndex
        guard n > 0 else { return start }
        guard start + n <= bytes.endIndex else { return nil }
        // Candidates by memchr on the needle's rarest-looking byte, confirmed by memcmp: format
        // detection asks four of these of every line, and a byte-by-byte loop was most of it
        // (a needle starting with a space stopped at every word).
        return needle.text.withUTF8Buffer { p -> Int? in
            bytes.withUnsafeBufferPointer { buffer -> Int? in
                guard let base = buffer.baseAddress, let wanted = p.baseAddress else { return nil }
                let anchor = needle.anchor
                let offset = bytes.startIndex
                var at = start - offset + anchor
                let last = buffer.count - n
                while let found = firstIndex(of: p[anchor], in: buffer, from: at) {
                    let candidate = found - anchor
                    guard candidate <= last else { return nil }
                    if memcmp(base + candidate, wanted, n) == 0 { return candidate + offset }
                    at = found + 1
                }
                return nil
            }
        }
    }

    /// The needle's first byte of the rarest kind (`rarity`): a byte of the rarest kind ends the
    /// look at once, so most needles are read only up to their first one.
    private static func anchorIndex(_ needle: UnsafeBufferPointer<UInt8>) -> Int {
        var best = 0
        var bestRarity = -1
        for index in 0..<needle.count {
            let value = rarity(needle[index])
            if value > bestRarity {
                best = index
                bestRarity = value
                if value == 4 { break }
            }
        }
        return best
    }

    /// How seldom a byte occurs in log text, roughly: spaces and common lowercase letters are
    /// everywhere; digits and the punctuation of paths, times and messages (`.` `:` `/` `-` `_`
    /// `=` `,`) nearly as much; capitals and other marks less; `q` `j` `x` `z` seldom. An anchor
    /// of `.` (`hudson.`) or `:` stopped at most lines' every few bytes.
    private static func rarity(_ byte: UInt8) -> Int {
        switch byte {
        case 0x20: return 0
        case UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"),
             UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "r"): return 1
        case UInt8(ascii: "q"), UInt8(ascii: "j"), UInt8(ascii: "x"), UInt8(ascii: "z"): return 4
        case 0x61...0x7a, 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "-"),
             UInt8(ascii: "_"), UInt8(ascii: "="), UInt8(ascii: ","): return 2
        default: return 3
        }
    }

    /// The index of the first `byte` at or after `from` (memchr).
    package static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + from, Int32(byte), bytes.count - from)
        else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }

    /// The index of the last `byte`: memchr forward from each one found (Glibc's module does not
    /// offer memrchr), which for a byte most lines lack is one vectorised call.
    static func lastIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var last: Int?
        while let found = firstIndex(of: byte, in: bytes, from: (last ?? -1) + 1) { last = found }
        return last
    }
}
