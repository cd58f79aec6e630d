import LogDx

/// Ingest: every format's framer, the cleaner and the line reader on arbitrary bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzFile.write(data, size)
    let formats: [InputFormat?] = [nil] + InputFormat.allCases
    let choice = size > 0 ? Int(data![0]) % formats.count : 0
    var sink = CountingSink()
    _ = try? PipelineReader(forcedFormat: formats[choice], maxLineBytes: 512).read([FuzzFile.path], into: &sink)
    return 0
}

struct CountingSink: IngestSink {
    var lines = 0
    mutating func structural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String]) {}
    mutating func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>) {
        // The sink contract: text is valid UTF-8.
        if String(validating: Array(text), as: UTF8.self) == nil { fatalError("ingest delivered invalid UTF-8") }
        lines += 1
    }
}
