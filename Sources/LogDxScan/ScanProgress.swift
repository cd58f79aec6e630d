import Foundation

/// One status line on standard error while a scan runs — pipelines done of all, read speed, time
/// left — redrawn at most ten times a second. Only for a terminal: a log file or CI would get
/// hundreds of carriage-return frames.
public final class ScanProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let totalPipelines: Int
    private let totalBytes: Int64
    private var done = 0
    private var skipped = 0
    private var doneBytes: Int64 = 0
    private var readBytes: Int64 = 0
    private let start = Date()
    private var lastDraw = Date.distantPast
    private let write: @Sendable (String) -> Void

    /// `write` puts a frame on standard error (or wherever the caller shows progress).
    public init(pipelines: Int, bytes: Int64, write: @escaping @Sendable (String) -> Void) {
        totalPipelines = pipelines
        totalBytes = bytes
        self.write = write
    }

    func advance(bytes: Int64, skipped wasSkipped: Bool) {
        lock.withLock {
            done += 1
            doneBytes += bytes
            if wasSkipped { skipped += 1 } else { readBytes += bytes }
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 || done == totalPipelines else { return }
            lastDraw = now
            write("\r\u{1B}[K" + line(now))
        }
    }

    func end() {
        lock.withLock {
            if done > 0 { write("\r\u{1B}[K" + line(Date()) + "\n") }
        }
    }

    private func line(_ now: Date) -> String {
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Double(readBytes) / elapsed
        var text = "logdx scan: \(done)/\(totalPipelines) pipelines"
        if skipped > 0 { text += " (\(skipped) unchanged)" }
        text += String(format: " · %.1f MB/s", rate / 1_000_000)
        let left = Double(totalBytes - doneBytes)
        if done < totalPipelines, rate > 0 {
            let seconds = Int(left / rate)
            text += String(format: " · ETA %d:%02d", seconds / 60, seconds % 60)
        }
        return text
    }
}
