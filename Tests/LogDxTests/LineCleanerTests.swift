import Foundation
import Testing
@testable import LogDx

/// `LineCleaner` scans eight bytes at a time; this compares it with a byte-by-byte cleaner
/// written here from the rules it documents, on generated lines that put carriage returns,
/// escapes, control bytes, NULs and UTF-8 (valid and not) at every offset around the eight-byte
/// steps.
@Suite struct LineCleanerTests {
    /// The documented behaviour, one byte at a time.
    static func reference(_ raw: [UInt8]) -> [UInt8] {
        var end = raw.count
        while end > 0 && raw[end - 1] == 0x0d { end -= 1 }
        var start = (raw[0..<end].lastIndex(of: 0x0d) ?? -1) + 1
        if end - start >= 3 && raw[start] == 0xef && raw[start + 1] == 0xbb && raw[start + 2] == 0xbf { start += 3 }
        var out: [UInt8] = []
        var i = start
        while i < end {
            let byte = raw[i]
            if byte == 0x1b {
                i += 1
                guard i < end else { break }
                if raw[i] == 0x5b {
                    i += 1
                    while i < end && !(0x40...0x7e).contains(raw[i]) { i += 1 }
                    i = min(i + 1, end)
                } else if raw[i] == 0x5d {
                    i += 1
                    while i < end && raw[i] != 0x07 && !(raw[i] == 0x1b && i + 1 < end && raw[i + 1] == 0x5c) { i += 1 }
                    i = i < end ? (raw[i] == 0x07 ? i + 1 : i + 2) : end
                } else {
                    i = (0x20...0x2f).contains(raw[i]) ? min(i + 2, end) : i + 1
                }
            } else if byte < 0x80 {
                if byte != 0 { out.append(byte) }
                i += 1
            } else if let length = validSequenceLength(raw, i, end) {
                out.append(contentsOf: raw[i..<(i + length)])
                i += length
            } else {
                out.append(contentsOf: [0xef, 0xbf, 0xbd])
                i += 1
            }
        }
        return out
    }

    /// The length of the UTF-8 sequence at `i` when it is well formed, by decoding it with Swift.
    static func validSequenceLength(_ raw: [UInt8], _ i: Int, _ end: Int) -> Int? {
        for length in 2...4 where i + length <= end {
            let slice = Array(raw[i..<(i + length)])
            if String(validating: slice, as: UTF8.self) != nil { return length }
        }
        return nil
    }

    @Test func eightBytesAtATimeCleansAsByteByByteDoes() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [
            Array("plain text ".utf8), Array("x".utf8), [0x0d], [0x0d, 0x0d], [0x1b, 0x5b, 0x33, 0x31, 0x6d], [0x1b, 0x5d, 0x30, 0x3b, 0x74, 0x07],
            [0x1b, 0x28, 0x42], [0x00], [0x09], [0x7f], Array("é".utf8), Array("✓".utf8), Array("😀".utf8), [0xff], [0xc3], [0xef, 0xbb, 0xbf],
            Array(String(repeating: "a", count: 13).utf8),
        ]
        var cleaner = LineCleaner()
        for _ in 0..<20_000 {
            var line: [UInt8] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                line += pieces.randomElement(using: &generator) ?? []
            }
            let expected = Self.reference(line)
            let cleaned = line.withUnsafeBufferPointer { Array(cleaner.clean($0)) }
            #expect(cleaned == expected, "\(line)")
            if cleaned != expected { return }
        }
    }
}
