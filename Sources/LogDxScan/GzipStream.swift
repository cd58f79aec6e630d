import Foundation

/// Decompresses `.gz` logs for the engine without writing them out: each one is streamed by
/// `gzip -dc` into a named pipe that carries the original file name (minus `.gz`), so the engine
/// reads it like any log file and names the job after it.
final class GzipStreams {
    /// A running decompression: the pipe the engine reads and the process filling it.
    struct Stream {
        var original: String
        var fifo: String
        var errorFile: String
        var pid: pid_t
    }

    private let directory: String
    private(set) var streams: [Stream] = []

    init() throws(ScanError) {
        let template = NSTemporaryDirectory() + "logdx-gz-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else {
            throw .unreadable(path: template, reason: "cannot create a temporary folder for decompression: \(String(cString: strerror(errno)))")
        }
        directory = String(cString: made)
    }

    deinit { finish() }

    /// Starts decompressing `file` and returns the path the engine should read instead.
    func open(_ file: ScanFile) throws(ScanError) -> String {
        var relative = file.relative
        if relative.lowercased().hasSuffix(".gz") { relative.removeLast(3) }
        // `test.log.gz` reads as `test.log`; a bare `trace.gz` becomes `trace.log`.
        if (relative as NSString).pathExtension.isEmpty { relative += ".log" }
        let fifo = directory + "/\(streams.count)/" + relative
        let folder = (fifo as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw .unreadable(path: folder, reason: "cannot create a temporary folder for decompression")
        }
        guard mkfifo(fifo, 0o600) == 0 else {
            throw .unreadable(path: fifo, reason: "cannot create a pipe for decompression: \(String(cString: strerror(errno)))")
        }
        let errorFile = directory + "/\(streams.count).err"
        // The shell opens the pipe for writing in the child, after the spawn returned: opening it
        // in posix_spawn's file actions would block this thread until the engine opens it.
        let arguments = ["/bin/sh", "-c", "exec gzip -dc -- \"$1\" >\"$2\" 2>\"$3\"", "logdx-gunzip", file.path, fifo, errorFile]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
        argv.append(nil)
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/bin/sh", nil, nil, argv, environ)
        guard status == 0 else {
            throw .unreadable(path: file.path, reason: "cannot start gzip: \(String(cString: strerror(status)))")
        }
        streams.append(Stream(original: file.path, fifo: fifo, errorFile: errorFile, pid: pid))
        return fifo
    }

    /// Waits for every decompression and returns the damaged files with gzip's complaint.
    /// Unblocks a gzip whose pipe the engine never opened (it stopped at an earlier error).
    @discardableResult
    func finish() -> [(path: String, detail: String)] {
        var problems: [(String, String)] = []
        for stream in streams {
            // Opening the read end without blocking lets a writer still waiting in open() go on;
            // closing it right away makes its writes fail, so it exits.
            let fd = Foundation.open(stream.fifo, O_RDONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
            var status: Int32 = 0
            while waitpid(stream.pid, &status, 0) < 0 && errno == EINTR {}
            let exited = (status & 0x7f) == 0
            let code = (status >> 8) & 0xff
            if !exited || code != 0 {
                let message = (try? String(contentsOfFile: stream.errorFile, encoding: .utf8))?
                    .split(separator: "\n").first.map { String($0).replacingOccurrences(of: "gzip: ", with: "").replacingOccurrences(of: stream.original + ": ", with: "") }
                problems.append((stream.original, message ?? "gzip exited with status \(exited ? code : 128 + (status & 0x7f))"))
            }
        }
        streams.removeAll()
        try? FileManager.default.removeItem(atPath: directory)
        return problems
    }
}
