import LogDx

/// The redactor: a secret of a random format, with a random value of its shape, planted at a
/// random place in random text, must not survive — not in the redacted text, not in a prefix cut
/// at a random length, not in a random field cut out of the line. A survivor traps.
///
/// Input: byte 0 picks the format, bytes 1…8 seed the value, byte 9 the separators around it,
/// bytes 10…11 where it goes and 12…13 the cut; the rest is the text.
let fuzzRedactor = SecretRedactor()
let fuzzSeparators: [String] = [" ", "\n", "\t", " \"", "\" ", "'", "(", ")", ",", ";", "=", ": ", "\r\n", "`"]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRedact(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 14 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let formats = SecretFormat.all
    let format = formats[Int(bytes[0]) % formats.count]
    var seed: UInt64 = 0
    for byte in bytes[1...8] { seed = seed << 8 | UInt64(byte) }
    let instance = format.example.instance(seed: seed)
    // A secret that depends on its context (`password=`) keeps it whole; a token stands anywhere a
    // delimiter can stand.
    let needsContext = !format.example.before.isEmpty
    let before = needsContext ? [" ", "\n", "\t"][Int(bytes[9] % 3)] : fuzzSeparators[Int(bytes[9] >> 4) % fuzzSeparators.count]
    let after = needsContext ? [" ", "\n", "\t"][Int(bytes[9] >> 4) % 3] : fuzzSeparators[Int(bytes[9] & 0x0f) % fuzzSeparators.count]
    let text = Array(String(decoding: UnsafeBufferPointer(rebasing: bytes[14...]), as: UTF8.self))
    let at = text.isEmpty ? 0 : (Int(bytes[10]) << 8 | Int(bytes[11])) % (text.count + 1)
    let planted = String(text[..<at]) + before + instance.text + after + String(text[at...])

    func check(_ output: String, _ what: String) {
        for piece in instance.distinctive where output.contains(piece) {
            fatalError("\(format.id) secret survived \(what): \(piece)\n--- input ---\n\(planted)\n--- output ---\n\(output)")
        }
    }
    check(fuzzRedactor.redact(planted), "redaction")

    var utf8 = Array(planted.utf8)
    utf8.withUnsafeMutableBufferPointer { buffer in
        let line = UnsafeBufferPointer(buffer)
        let cut = (Int(bytes[12]) << 8 | Int(bytes[13])) % (line.count + 1)
        check(fuzzRedactor.redactedPrefix(of: line, maxBytes: cut), "a prefix of \(cut) bytes")
        // A field as the tokenizer cuts one: from the cut to the end, on character boundaries.
        var start = cut
        while start < line.count && (line[start] & 0xc0) == 0x80 { start += 1 }
        let secrets = fuzzRedactor.secretRanges(in: line)
        check(fuzzRedactor.redact(line, range: start..<line.count, secrets: secrets), "a field from byte \(start)")
    }
    return 0
}
