/// UTF-8 well-formedness, as PCRE2 defines it (RFC 3629: no overlong forms, no surrogates, nothing
/// above U+10FFFF), so that subjects can be checked once and matched with `PCRE2_NO_UTF_CHECK`.
public enum UTF8Validation {
    /// The length of the well-formed sequence starting at `index`, or `nil` when the byte there
    /// does not start one.
    @inline(__always)
    public static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
        let lead = bytes[index]
        if lead < 0x80 { return 1 }
        let remaining = bytes.count - index
        func continuation(_ offset: Int) -> Bool { (bytes[index + offset] & 0xc0) == 0x80 }
        switch lead {
        case 0xc2...0xdf:
            return remaining >= 2 && continuation(1) ? 2 : nil
        case 0xe0...0xef:
            guard remaining >= 3, continuation(1), continuation(2) else { return nil }
            let second = bytes[index + 1]
            if lead == 0xe0 && second < 0xa0 { return nil }   // overlong
            if lead == 0xed && second > 0x9f { return nil }   // surrogate
            return 3
        case 0xf0...0xf4:
            guard remaining >= 4, continuation(1), continuation(2), continuation(3) else { return nil }
            let second = bytes[index + 1]
            if lead == 0xf0 && second < 0x90 { return nil }   // overlong
            if lead == 0xf4 && second > 0x8f { return nil }   // above U+10FFFF
            return 4
        default:
            return nil
        }
    }

    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            if bytes[index] < 0x80 {
                index += 1
                continue
            }
            guard let length = sequenceLength(bytes, at: index) else { return false }
            index += length
        }
        return true
    }
}
