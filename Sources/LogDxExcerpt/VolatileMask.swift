/// Reduces a line to what stays the same between two runs of a job — digits, hashes, temporary
/// names and timestamps are masked — and hashes it, so a failing run's lines can be compared with a
/// passing run's in constant memory per line.
package enum VolatileMask {
    /// FNV-1a over the masked bytes. In a word, each run of digits becomes one `0` (`12ms` and `3ms`
    /// agree); a word of six or more characters with two or more digits (a hash, a temporary name)
    /// becomes `#`. Blanks are ignored.
    package static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        var i = 0
        let count = bytes.count
        while i < count {
            let byte = bytes[i]
            if isAlphanumeric(byte) {
                var end = i
                var digits = 0
                while end < count, isAlphanumeric(bytes[end]) {
                    if bytes[end] >= 0x30 && bytes[end] <= 0x39 { digits += 1 }
                    end += 1
                }
                if digits >= 2 && end - i >= 6 && digits != end - i {
                    mix(UInt8(ascii: "#"))
                } else {
                    var j = i
                    while j < end {
                        if bytes[j] >= 0x30 && bytes[j] <= 0x39 {
                            mix(UInt8(ascii: "0"))
                            while j < end, bytes[j] >= 0x30 && bytes[j] <= 0x39 { j += 1 }
                        } else {
                            mix(bytes[j])
                            j += 1
                        }
                    }
                }
                i = end
            } else {
                if byte != 0x20 && byte != 0x09 { mix(byte) }
                i += 1
            }
        }
        return hash
    }

    @inline(__always)
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7a)
    }
}
