import Foundation
import LogDx

/// One file of a scan, as found on disk.
public struct ScanFile: Sendable, Equatable {
    /// Absolute, standardised path: the file's identity in the database, whatever folder the scan
    /// was started from.
    public var path: String
    /// Path relative to the scanned folder, used for grouping and for job names.
    public var relative: String
    public var size: Int64
    /// Seconds since 1970.
    public var mtime: Double

    public var isGzip: Bool { path.lowercased().hasSuffix(".gz") }
}

/// A set of files diagnosed together as one pipeline.
public struct ScanPipeline: Sendable, Equatable {
    /// Unique and stable across scans: the folder's absolute path, or the scanned folder and the
    /// `--group-by` capture.
    public var key: String
    /// What people read: the folder relative to the scanned one, or the capture.
    public var name: String
    public var files: [ScanFile]

    public var bytes: Int64 { files.reduce(0) { $0 + $1.size } }
}

/// Walks the scanned paths and groups their log files into pipelines.
public struct ScanPlan: Sendable {
    public var pipelines: [ScanPipeline]
    /// Files `--group-by` did not match, relative to their scanned folder; they are not scanned.
    public var ungrouped: [String]

    static let extensions: Set<String> = ["log", "txt", "gz"]

    /// Default grouping: the files of one folder are one pipeline. With `groupBy`, its first
    /// capture group over the path relative to the scanned folder names the pipeline.
    public static func make(paths: [String], groupBy: String? = nil) throws(ScanError) -> ScanPlan {
        var regex: NSRegularExpression?
        if let groupBy {
            do {
                regex = try NSRegularExpression(pattern: groupBy)
            } catch {
                throw .badGroupPattern(pattern: groupBy, reason: "it does not compile")
            }
            if let regex, regex.numberOfCaptureGroups < 1 {
                throw .badGroupPattern(pattern: groupBy, reason: "it has no capture group")
            }
        }
        var groups: [String: ScanPipeline] = [:]
        var ungrouped: [String] = []
        for argument in paths {
            let root = absolute(argument)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else { throw .notFound(path: argument) }
            let files: [ScanFile]
            let base: String
            if isDirectory.boolValue {
                base = root
                files = try walk(root)
            } else {
                base = (root as NSString).deletingLastPathComponent
                files = [try file(root, relativeTo: base)]
            }
            for file in files {
                let key: String, name: String
                if let regex {
                    let range = NSRange(file.relative.startIndex..., in: file.relative)
                    guard let match = regex.firstMatch(in: file.relative, range: range),
                          let capture = Range(match.range(at: 1), in: file.relative) else {
                        ungrouped.append(file.relative)
                        continue
                    }
                    name = String(file.relative[capture])
                    key = base + "#" + name
                } else {
                    let folder = (file.relative as NSString).deletingLastPathComponent
                    name = folder.isEmpty ? (base as NSString).lastPathComponent : folder
                    key = folder.isEmpty ? base : base + "/" + folder
                }
                groups[key, default: ScanPipeline(key: key, name: name, files: [])].files.append(file)
            }
        }
        var pipelines = Array(groups.values)
        for index in pipelines.indices { pipelines[index].files.sort { $0.relative < $1.relative } }
        pipelines.sort { $0.key < $1.key }
        return ScanPlan(pipelines: pipelines, ungrouped: ungrouped.sorted())
    }

    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var standard = (full as NSString).standardizingPath
        while standard.count > 1 && standard.hasSuffix("/") { standard.removeLast() }
        return standard
    }

    private static func walk(_ root: String) throws(ScanError) -> [ScanFile] {
        guard let walk = FolderWalker.walk(root) else { throw .unreadable(path: root, reason: "cannot list the folder") }
        var result: [ScanFile] = []
        for path in walk.files where extensions.contains((path as NSString).pathExtension.lowercased()) {
            result.append(try file(path, relativeTo: root))
        }
        return result
    }

    static func file(_ path: String, relativeTo base: String) throws(ScanError) -> ScanFile {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        #if os(Linux)
        let mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #else
        let mtime = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #endif
        let relative = path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : (path as NSString).lastPathComponent
        return ScanFile(path: path, relative: relative, size: Int64(info.st_size), mtime: mtime)
    }
}
