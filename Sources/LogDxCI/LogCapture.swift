import Foundation

/// Receives one log download into a `MemoryLogFile` and keeps it within `limit` bytes. A log
/// over the limit keeps its first half and its last half, with one line between saying how much
/// was left out: a job's failure is at its end, its setup at its start. An archive (`keepsTail`
/// false) cannot be cut in the middle, so it stops at the limit instead.
final class LogCapture: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): a capture belongs to one transfer; the session's serial
    // delegate queue calls `append`, and `finish` runs after that transfer has completed.
    let file: MemoryLogFile
    let limit: Int
    let keepsTail: Bool
    /// Every byte the server sent, kept or not.
    private(set) var received = 0
    /// Set once more than `limit` bytes arrived.
    private(set) var overflowed = false
    /// The last bytes past the head, as a ring of `limit - headLimit` bytes.
    private var tail: [UInt8] = []
    private var tailEnd = 0
    private var tailFull = false
    private var headLimit: Int { limit / 2 }

    init(file: MemoryLogFile, limit: Int, keepsTail: Bool = true) {
        self.file = file
        self.limit = max(2, limit)
        self.keepsTail = keepsTail
    }

    /// Bytes held for this log (file and ring).
    var kept: Int { file.size + (tailFull ? tail.count : tailEnd) }

    /// Starts over: a retried download sends the log again from its first byte.
    func reset() {
        file.truncate(to: 0)
        received = 0
        overflowed = false
        tail = []
        tailEnd = 0
        tailFull = false
    }

    func append(_ data: Data) throws(MemoryLogFile.Failure) {
        received += data.count
        if !overflowed {
            let room = limit - file.size
            if data.count <= room {
                try file.append(data)
                return
            }
            overflowed = true
            guard keepsTail else { return }
            // From here on the file keeps the head; what followed it becomes the start of the tail.
            let pastHead = file.read(at: headLimit, count: file.size - headLimit)
            file.truncate(to: headLimit)
            tail = [UInt8](repeating: 0, count: limit - headLimit)
            push(pastHead[...])
            push([UInt8](data)[...])
            return
        }
        if keepsTail { push([UInt8](data)[...]) }
    }

    private func push(_ bytes: ArraySlice<UInt8>) {
        var bytes = bytes
        // Only the last ring-full of a long run can survive.
        if bytes.count >= tail.count {
            bytes = bytes.suffix(tail.count)
            tail.replaceSubrange(0..<tail.count, with: bytes)
            tailEnd = 0
            tailFull = true
            return
        }
        let first = min(bytes.count, tail.count - tailEnd)
        tail.replaceSubrange(tailEnd..<(tailEnd + first), with: bytes.prefix(first))
        let rest = bytes.dropFirst(first)
        tail.replaceSubrange(0..<rest.count, with: rest)
        if tailEnd + bytes.count >= tail.count { tailFull = true }
        tailEnd = (tailEnd + bytes.count) % tail.count
    }

    /// Joins head and tail once the download has ended; returns the bytes left out.
    func finish() throws(MemoryLogFile.Failure) -> Int {
        guard overflowed, keepsTail else { return overflowed ? received - file.size : 0 }
        var ordered = tailFull ? Array(tail[tailEnd...] + tail[..<tailEnd]) : Array(tail[..<tailEnd])
        // The tail starts at a line of its own, so no half line is diagnosed.
        if let newline = ordered.firstIndex(of: 0x0A) { ordered.removeFirst(newline + 1) }
        let omitted = received - file.size - ordered.count
        var marker = "[logdx: \(omitted) bytes of this log were left out here, over the limit of \(limit) bytes]\n"
        if file.size > 0, file.read(at: file.size - 1, count: 1) != [0x0A] { marker = "\n" + marker }
        try file.append(Data(marker.utf8))
        try file.append(Data(ordered))
        tail = []
        tailEnd = 0
        tailFull = false
        return omitted
    }
}
