import Foundation

/// Writes a downloaded log to a file line by line through the output redactor: what `--keep-logs`
/// leaves on disk holds no more secrets than the reports do. Memory stays at one chunk and one
/// line, whatever the log's size.
struct RedactedCopy {
    let redactor: OutputRedactor
    static let chunk = 1024 * 1024

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func write(_ log: MemoryLogFile, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw Failure(description: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        var pending: [UInt8] = []
        var output = Data()
        var offset = 0
        while offset < log.size {
            let bytes = log.read(at: offset, count: Self.chunk)
            guard !bytes.isEmpty else { break }
            offset += bytes.count
            var start = 0
            for index in bytes.indices where bytes[index] == 0x0A {
                pending += bytes[start...index]
                output.append(contentsOf: redactor.redact(String(decoding: pending, as: UTF8.self)).utf8)
                pending.removeAll(keepingCapacity: true)
                start = index + 1
            }
            pending += bytes[start...]
            try handle.write(contentsOf: output)
            output.removeAll(keepingCapacity: true)
        }
        if !pending.isEmpty {
            try handle.write(contentsOf: Data(redactor.redact(String(decoding: pending, as: UTF8.self)).utf8))
        }
    }
}
