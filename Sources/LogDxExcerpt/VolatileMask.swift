/// Reduces a line to what stays the same between two runs of a job — digits, hashes, temporary
/// names and timestamps are masked — and hashes it, so a failing run's lines can be compared with a
/// passing run's in constant memory per line.
package enum VolatileMask {
    /// FNV-1a over the masked bytes. In a word, each run of digits becomes one `0` (`12ms` and `3ms`
    /// agree); a word of six or more characters with two or more digits (a hash, a temporary name)
    /// becomes `#`. Blanks are ignored.
    package static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let prime: UInt64 = 0x100_0000_01b3
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = 0
        let count = bytes.count
        // One pass: a word is mixed as it is read, digit runs folded to one `0`, and the state
        // from before the word is kept, so a word that turns out to be a hash becomes `#`
        // without a second look at its bytes (every line of an excerpt's tail is hashed).
        while i < count {
            let byte = bytes[i]
            guard isAlphanumeric(byte) else {
                if byte != 0x20 && byte != 0x09 { hash = (hash ^ UInt64(byte)) &* prime }
                i += 1
                continue
            }
            let before = hash
            var length = 0
            var digits = 0
            var inDigits = false
            while i < count {
                let next = bytes[i]
                if next &- 0x30 < 10 {
                    digits += 1
                    if !inDigits { hash = (hash ^ UInt64(UInt8(ascii: "0"))) &* prime }
                    inDigits = true
                } else if (next | 0x20) &- 0x61 < 26 {
                    hash = (hash ^ UInt64(next)) &* prime
                    inDigits = false
                } else {
                    break
                }
                length += 1
                i += 1
            }
            if digits >= 2 && length >= 6 && digits != length {
                hash = (before ^ UInt64(UInt8(ascii: "#"))) &* prime
            }
        }
        return hash
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
    }
}
