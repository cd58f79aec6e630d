#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LogDxModel

/// One log to read: where its bytes come from, the name evidence and messages give it, and what a
/// CI's API knows about its job. Every way in (a path, standard input, a download held in memory)
/// is one of these, so the reader has one path for all of them; gzip and zstd are recognised by
/// their first bytes and decompressed as they stream, whatever the origin.
public struct LogInput: Sendable {
    public enum Origin: Sendable {
        /// A file on disk.
        case file(path: String)
        /// The process's standard input (a paste, a pipe).
        case standardInput
        /// Bytes already in memory (an API body, a test's log).
        case bytes([UInt8])
        /// An open descriptor the input reads from its start with `pread`, without moving its
        /// offset or closing it: a download held in anonymous memory by its owner.
        case descriptor(Int32)
    }

    public var origin: Origin
    /// The name shown in evidence (`build.log.gz:12`) and messages: the path as given, `-` for
    /// standard input, or the name the caller chose.
    public var name: String
    /// What the CI's API said about the job this log is of; applied to the job read from it.
    public var hint: JobHint?

    public init(origin: Origin, name: String, hint: JobHint? = nil) {
        self.origin = origin
        self.name = name
        self.hint = hint
    }

    /// A path as given on a command line: `-` is standard input.
    public static func path(_ path: String) -> LogInput {
        path == "-" ? LogInput(origin: .standardInput, name: "-") : LogInput(origin: .file(path: path), name: path)
    }

    /// How many bytes the input holds as stored (compressed, for a `.gz`), when that is known
    /// before reading it: not for standard input, nor for a path that cannot be examined.
    package var storedSize: Int? {
        var status = stat()
        switch origin {
        case .standardInput: return nil
        case .bytes(let bytes): return bytes.count
        case .file(let path): return stat(path, &status) == 0 ? Int(status.st_size) : nil
        case .descriptor(let descriptor): return fstat(descriptor, &status) == 0 ? Int(status.st_size) : nil
        }
    }

    package var isStandardInput: Bool {
        if case .standardInput = origin { return true }
        return false
    }
}
