/// Reads what `ArchiveWriter` wrote. Every read is bounds-checked and throws on a short or
/// malformed archive: the bytes come from a cache file anyone may have damaged.
struct ArchiveReader {
    struct Damaged: Error {}

    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func int() throws(Damaged) -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < bytes.count, shift < 64 else { throw Damaged() }
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        let decoded = Int64(bitPattern: value >> 1) ^ -Int64(bitPattern: value & 1)
        return Int(decoded)
    }

    mutating func count() throws(Damaged) -> Int {
        let value = try int()
        // A count can never exceed the bytes left: each item takes at least one.
        guard value >= 0, value <= bytes.count - offset else { throw Damaged() }
        return value
    }

    mutating func bool() throws(Damaged) -> Bool {
        guard offset < bytes.count, bytes[offset] <= 1 else { throw Damaged() }
        offset += 1
        return bytes[offset - 1] == 1
    }

    mutating func string() throws(Damaged) -> String {
        let length = try count()
        let text = String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
        offset += length
        return text
    }

    mutating func optional<Value>(_ read: (inout ArchiveReader) throws(Damaged) -> Value) throws(Damaged) -> Value? {
        try bool() ? try read(&self) : nil
    }

    mutating func list<Value>(_ read: (inout ArchiveReader) throws(Damaged) -> Value) throws(Damaged) -> [Value] {
        let count = try count()
        var values: [Value] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }

    mutating func strings() throws(Damaged) -> [String] {
        try list { reader throws(Damaged) in try reader.string() }
    }
}
