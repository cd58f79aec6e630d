import Decompression

/// Which files of a folder are job logs, the same for `diagnose FOLDER` and `scan`: `.log`,
/// `.txt`, `.trace`, `.out` and files without an extension (the GitLab trace API and `gh` write
/// logs without one), each also gzip- or zstd-compressed (`test.log.gz`, `trace.zst`).
public enum LogFileNames {
    static let logExtensions: Set<String> = ["log", "txt", "trace", "out"]
    static let compressedExtensions: Set<String> = Set(CompressionFormat.allCases.map(\.fileExtension))

    /// Whether a file with this name (the last path component) is read as a log.
    public static func isLog(_ fileName: String) -> Bool {
        let name = withoutCompression(fileName)
        guard let ext = fileExtension(name) else { return true }
        return logExtensions.contains(ext)
    }

    /// The name without a `.gz` or `.zst` ending: what the log is called once decompressed.
    public static func withoutCompression(_ fileName: String) -> String {
        guard let ext = fileExtension(fileName), compressedExtensions.contains(ext) else { return fileName }
        return String(fileName.dropLast(ext.count + 1))
    }

    /// The lowercased extension, nil when there is none (a leading dot is a hidden file's, not one).
    static func fileExtension(_ fileName: String) -> String? {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return nil }
        let ext = fileName[fileName.index(after: dot)...]
        return ext.isEmpty ? nil : ext.lowercased()
    }
}
