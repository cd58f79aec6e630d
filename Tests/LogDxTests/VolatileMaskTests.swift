import Foundation
import Testing
@testable import LogDx
import TestSupport

/// `VolatileMask.hash` reads each word once, keeping the state from before it in case the word
/// is a hash; this compares it with the two-pass masking it replaced, written here from the
/// rules it documents, on every line of the fixtures and on generated words around the
/// thresholds (six characters, two digits, all digits).
@Suite struct VolatileMaskTests {
    /// Count a word's digits first, then mix `#` or the word with digit runs folded to `0`.
    static func reference(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ byte: UInt8) {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
        func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) }
        var i = 0
        while i < bytes.count {
            guard isAlphanumeric(bytes[i]) else {
                if bytes[i] != 0x20 && bytes[i] != 0x09 { mix(bytes[i]) }
                i += 1
                continue
            }
            var end = i
            while end < bytes.count, isAlphanumeric(bytes[end]) { end += 1 }
            let digits = bytes[i..<end].filter(isDigit).count
            if digits >= 2 && end - i >= 6 && digits != end - i {
                mix(UInt8(ascii: "#"))
            } else {
                var j = i
                while j < end {
                    if isDigit(bytes[j]) {
                        mix(UInt8(ascii: "0"))
                        while j < end, isDigit(bytes[j]) { j += 1 }
                    } else {
                        mix(bytes[j])
                        j += 1
                    }
                }
            }
            i = end
        }
        return hash
    }

    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { VolatileMask.hash($0) }
    }

    @Test func everyFixtureLineHashesAsTheTwoPassMask() throws {
        var lines = 0
        let enumerator = FileManager.default.enumerator(atPath: Repo.fixtures)
        while let name = enumerator?.nextObject() as? String {
            guard name.hasSuffix(".log") || name.hasSuffix(".txt") else { continue }
            let data = try Data(contentsOf: URL(fileURLWithPath: Repo.fixtures + "/" + name))
            for line in data.split(separator: 0x0a, omittingEmptySubsequences: false) {
                let bytes = Array(line)
                #expect(Self.hash(bytes) == Self.reference(bytes), "\(name): \(String(decoding: bytes, as: UTF8.self))")
                lines += 1
            }
        }
        #expect(lines > 10_000)
    }

    @Test func wordsAroundTheThresholdsHashAsTheTwoPassMask() {
        let pieces = ["a", "Z", "0", "12", "345", "abcdef", "a1", "a1b2c3", "123456", "x9y", " ", "\t", "-", "é", "/", ":"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let line = (0..<Int.random(in: 0...10, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
            let bytes = Array(line.utf8)
            #expect(Self.hash(bytes) == Self.reference(bytes), "\(line)")
        }
        // Equal once masked: what the mask is for.
        #expect(Self.hash(Array("took 12ms at 3f9a2c1b".utf8)) == Self.hash(Array("took 7ms at 0d4e5f6a".utf8)))
    }
}
