#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Follows a private key printed over several lines (`echo "$SSH_PRIVATE_KEY"`): its body lines
/// look like nothing in particular one at a time, so whoever sees a job's lines in order keeps one
/// of these per job and shows the lines it claims only as a mask.
///
/// A block opens on a `-----BEGIN … PRIVATE KEY-----` line without its END, and holds every
/// following line that can be part of a key (base64, a PEM or PGP header, blank) until the END
/// line. A line that cannot be part of one closes it: a log cut short in the middle of a key, or
/// a message that merely quotes the BEGIN marker, must not hide the rest of the job.
package struct PrivateKeyBlock {
    private(set) var isOpen = false
    private var sawBody = false

    package init() {}

    /// Whether `line` is part of a private key; call it with every line of the job, in order.
    package mutating func claims(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        if Self.contains(line, "PRIVATE KEY") {
            let begins = Self.contains(line, "-----BEGIN"), ends = Self.contains(line, "-----END")
            if begins && !ends {
                isOpen = true
                sawBody = false
                return true
            }
            if ends && isOpen {
                isOpen = false
                return true
            }
            // BEGIN and END on one line (an escaped key in JSON): the redactor masks it in place.
            return false
        }
        guard isOpen else { return false }
        if isKeyLine(line) { return true }
        isOpen = false
        return false
    }

    private mutating func isKeyLine(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        var start = 0, end = line.count
        while start < end && Self.isBlank(line[start]) { start += 1 }
        while end > start && Self.isBlank(line[end - 1]) { end -= 1 }
        if start == end { return true }
        var allBase64 = true, run = 0, longestRun = 0
        for index in start..<end {
            if Self.isBase64(line[index]) {
                run += 1
                longestRun = max(longestRun, run)
            } else {
                allBase64 = false
                run = 0
            }
        }
        if allBase64 || longestRun >= 40 {
            sawBody = true
            return true
        }
        // `Proc-Type: 4,ENCRYPTED`, `DEK-Info: …`, `Version: GnuPG v2` come before the body only.
        return !sawBody && Self.isHeader(UnsafeBufferPointer(rebasing: line[start..<end]))
    }

    /// The armour headers RFC 1421 (encrypted PEM) and RFC 4880 (PGP) put before a key's body.
    private static func isHeader(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        headers.contains { header in
            text.count > header.count && text[header.count] == UInt8(ascii: " ") && zip(header, text).allSatisfy { $0 == $1 }
        }
    }

    private static let headers: [[UInt8]] = ["Proc-Type:", "DEK-Info:", "Version:", "Comment:", "Hash:", "Charset:"].map { Array($0.utf8) }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0d }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) }

    private static func isBase64(_ byte: UInt8) -> Bool {
        isLetter(byte) || (0x30...0x39).contains(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "=")
    }

    package static func contains(_ text: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        guard let base = text.baseAddress, text.count >= needle.utf8CodeUnitCount else { return false }
        return needle.withUTF8Buffer { pattern in
            guard let patternBase = pattern.baseAddress else { return false }
            let n = pattern.count
            var offset = 0
            // SAFETY: every pointer stays inside `text`: memchr searches only the bytes from
            // `offset` that still leave room for the needle, and memcmp reads `n` bytes from a
            // position at most `count - n`.
            while offset <= text.count - n,
                  let found = memchr(base + offset, Int32(pattern[0]), text.count - n - offset + 1) {
                let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if memcmp(base + position, patternBase, n) == 0 { return true }
                offset = position + 1
            }
            return false
        }
    }
}
