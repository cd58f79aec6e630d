/// Lines collected and written in blocks, one system call per block rather than per line, for
/// commands that print one line per item (events, rule listings).
struct BufferedLines {
    let stream: StandardStream
    private var pending = ""
    private let blockSize = 64 * 1024

    init(_ stream: StandardStream) {
        self.stream = stream
    }

    mutating func append(_ line: String) throws(StandardStreamError) {
        pending += line
        pending += "\n"
        if pending.utf8.count >= blockSize { try flush() }
    }

    mutating func flush() throws(StandardStreamError) {
        guard !pending.isEmpty else { return }
        let block = pending
        pending = ""
        try stream.write(block)
    }
}
