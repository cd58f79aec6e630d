/// Small byte-level helpers: ingest works on UTF-8 bytes so a line never becomes a `String` unless
/// it ends up in an event.
enum Bytes {
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

    /// The index of the first occurrence of `needle`, searching from `from`.
    static func firstIndex(of needle: StaticString, in bytes: ArraySlice<UInt8>, from: Int? = nil) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard n > 0 else { return from ?? bytes.startIndex }
        return needle.withUTF8Buffer { p -> Int? in
            var i = from ?? bytes.startIndex
            while i + n <= bytes.endIndex {
                if bytes[i] == p[0] {
                    var j = 1
                    while j < n && bytes[i + j] == p[j] { j += 1 }
                    if j == n { return i }
                }
                i += 1
            }
            return nil
        }
    }
}
