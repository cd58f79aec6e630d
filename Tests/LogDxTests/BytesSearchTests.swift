import Testing
@testable import LogDx

/// `Bytes.firstIndex(of:in:from:)` finds candidates by memchr on one byte of the needle and
/// confirms them with memcmp; this compares it with a plain scan on generated lines that put
/// the needles (whole, cut short, repeated) at every offset of slices that do not start at 0.
@Suite struct BytesSearchTests {
    static let needles: [StaticString] = [
        " is still in the queue: ", "Waiting for next available executor", "hudson.", "](https://github.com/", "#step:", "a",
    ]

    static func reference(_ needle: StaticString, _ bytes: ArraySlice<UInt8>, from: Int) -> Int? {
        let pattern = needle.withUTF8Buffer { Array($0) }
        var i = from
        while i + pattern.count <= bytes.endIndex {
            if bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    @Test func findsWhatAPlainScanFinds() {
        var generator = SystemRandomNumberGenerator()
        let fillers = [" ", "a", "e ", "hudson", "](https://github.co", "#step", "is still in", "Waiting for next"]
        var checked = 0
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                if Bool.random(using: &generator), let needle = Self.needles.randomElement(using: &generator) {
                    text += needle.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
                } else {
                    text += fillers.randomElement(using: &generator) ?? ""
                }
            }
            let whole = Array(("xy" + text).utf8)
            let slice = whole[2...]
            for needle in Self.needles {
                for from in [slice.startIndex, slice.startIndex + min(3, slice.count)] {
                    #expect(Bytes.firstIndex(of: needle, in: slice, from: from) == Self.reference(needle, slice, from: from),
                            "\(needle) in \(text) from \(from)")
                    checked += 1
                }
            }
        }
        #expect(checked == 3_000 * Self.needles.count * 2)
    }
}
