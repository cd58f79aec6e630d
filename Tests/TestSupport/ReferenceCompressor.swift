import Foundation

/// Compresses with the reference command-line tools (`gzip`, `zstd`), so tests of logdx's
/// decompression read data an independent encoder wrote.
public enum ReferenceCompressor {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes `path` compressed by `tool` to `target`.
    public static func compress(_ path: String, with tool: String, into target: String) throws {
        let result = try ChildProcess.run("/bin/sh", ["-c", "\"$0\" -c -q -- \"$1\" > \"$2\"", tool, path, target])
        guard result.status == 0 else {
            throw Failure(description: "\(tool) could not compress \(path): \(result.stderr)")
        }
    }
}
