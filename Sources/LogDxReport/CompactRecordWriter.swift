import LogDxModel

/// Writes a `DiagnosisRecord` as `JSONEncoder` with `[.sortedKeys, .withoutEscapingSlashes]`
/// writes it, byte for byte, without going through `Encodable`: a scan stores every diagnosis
/// as this JSON, and the encoder took 220 µs a diagnosis (a tenth of the corpus scan, on both
/// cores). The keys of the record types are written in their sorted order; the bindings' keys,
/// which come from the rules, are sorted as the encoder sorts them (`precedes`). A record whose
/// binding names hold anything but ASCII letters, digits, `.`, `_` and `-` is left to the
/// encoder (`write` answers false). `CompactRecordWriterTests` compares both on every fixture's
/// diagnoses and on generated strings and keys.
package struct CompactRecordWriter {
    private(set) var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(2048)
    }

    /// `values` as the encoder writes a `[String]`: how the scan database keeps a diagnosis's
    /// jobs and docs (a large pipeline has thousands of diagnoses, each made an encoder's
    /// round trip).
    package static func json(_ values: [String]) -> String {
        var writer = CompactRecordWriter()
        writer.strings(values)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Each fix's summary and detail, as the encoder writes `[["summary": …, "detail": …]]`:
    /// how the scan database keeps a diagnosis's fixes (their patches live in its document).
    package static func json(summaries fixes: [Fix]) -> String {
        var writer = CompactRecordWriter()
        writer.raw("[")
        for (index, fix) in fixes.enumerated() {
            if index > 0 { writer.raw(",") }
            writer.member("{\"detail\":", fix.detail)
            writer.member(",\"summary\":", fix.summary, then: "}")
        }
        writer.raw("]")
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Appends the record; false (and nothing appended) when it is not one this writer can
    /// promise to write as the encoder does.
    mutating func write(_ record: DiagnosisRecord) -> Bool {
        guard Self.canWrite(record) else { return false }
        append(record)
        return true
    }

    private static func canWrite(_ record: DiagnosisRecord) -> Bool {
        record.bindings.keys.allSatisfy { key in key.utf8.allSatisfy(isKeyByte) } && record.symptoms.allSatisfy(canWrite)
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (byte | 0x20) &- 0x61 < 26 || byte &- 0x30 < 10 || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }

    private mutating func append(_ record: DiagnosisRecord) {
        raw("{\"bindings\":{")
        for (index, key) in record.bindings.keys.sorted(by: Self.precedes).enumerated() {
            if index > 0 { raw(",") }
            string(key)
            raw(":")
            strings(record.bindings[key] ?? [])
        }
        raw("},\"docs\":")
        strings(record.docs)
        raw(",\"evidence\":[")
        for (index, evidence) in record.evidence.enumerated() {
            if index > 0 { raw(",") }
            member("{\"event\":", evidence.event)
            member(",\"job\":", evidence.job)
            raw(",\"line\":")
            integer(evidence.line)
            member(",\"origin\":", evidence.origin)
            member(",\"source\":", evidence.source)
            member(",\"text\":", evidence.text)
            raw("}")
        }
        member("],\"explanation\":", record.explanation)
        raw(",\"fixes\":[")
        for (index, fix) in record.fixes.enumerated() {
            if index > 0 { raw(",") }
            member("{\"detail\":", fix.detail)
            if let patch = fix.patch { member(",\"patch\":", patch) }
            member(",\"summary\":", fix.summary)
            raw("}")
        }
        raw("],\"jobs\":")
        strings(record.jobs)
        if let ranked = record.rankedBy {
            raw(",\"ranked_by\":{")
            if let first = ranked.firstEvidence { member("\"first_evidence\":", first, then: ",") }
            raw("\"priority\":")
            integer(ranked.priority)
            member(",\"severity\":", ranked.severity)
            raw(ranked.survivedByJob ? ",\"survived_by_job\":true}" : ",\"survived_by_job\":false}")
        }
        if let repeats = record.repeats {
            raw(",\"repeats\":")
            integer(repeats)
        }
        member(",\"rule\":", record.rule)
        member(",\"severity\":", record.severity)
        raw(",\"symptoms\":[")
        for (index, symptom) in record.symptoms.enumerated() {
            if index > 0 { raw(",") }
            append(symptom)
        }
        member("],\"title\":", record.title, then: "}")
    }

    /// `prefix` (punctuation and a key, as written), the string value, then `suffix`.
    private mutating func member(_ prefix: StaticString, _ value: String, then suffix: StaticString = "") {
        raw(prefix)
        string(value)
        raw(suffix)
    }

    /// The order the encoder gives dictionary keys made of `isKeyByte` bytes.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    private mutating func strings(_ values: [String]) {
        bytes.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            string(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: quote and backslash escaped, the C0 controls as `\b \t \n \f \r` or
    /// `\u00XX`, everything else (slashes, DEL, non-ASCII) as it is.
    private mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { text in
            var start = 0
            for index in 0..<text.count {
                let byte = text[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<index]))
                start = index + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0x0a: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0c: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0x0d: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                default:
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                                              Self.hexDigits[Int(byte >> 4)], Self.hexDigits[Int(byte & 0x0f)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<text.count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
