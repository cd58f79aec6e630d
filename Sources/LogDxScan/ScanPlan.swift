import Foundation
import LogDx
import PCRE2

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

    /// Default grouping: the files of one folder are one pipeline. With `groupBy`, its first
    /// capture group over the path relative to the scanned folder names the pipeline.
    public static func make(paths: [String], groupBy: String? = nil) throws(ScanError) -> ScanPlan {
        // PCRE2, the same engine and syntax as the rules' patterns.
        var regex: Pattern?
        if let groupBy {
            do {
                regex = try Pattern(groupBy)
            } catch {
                throw .badGroupPattern(pattern: groupBy, reason: "it does not compile (\(error.description))")
            }
            if let regex, regex.captureCount < 1 {
                throw .badGroupPattern(pattern: groupBy, reason: "it has no capture group")
            }
        }
        let scratch = MatchScratch()
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
                    guard case .matched(let match) = regex.firstMatch(in: file.relative, scratch: scratch),
                          let capture = match.groups[1] else {
                        ungrouped.append(file.relative)
                        continue
                    }
                    name = String(decoding: Array(file.relative.utf8)[capture], as: UTF8.self)
                    key = base + "#" + name
                } else {
                    let folder = Self.folder(of: file.relative)
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
        // Paths and their parts are cut on bytes: Foundation's path methods on each of 100,000
        // files were most of planning a scan, which no worker can start before.
        let prefix = root.utf8.count + (root.hasSuffix("/") ? 0 : 1)
        // The same files as `diagnose FOLDER` reads, extensionless GitLab traces included.
        for (path, attributes) in zip(walk.files, walk.attributes) where LogFileNames.isLog(lastComponent(of: path)) {
            let relative = String(decoding: path.utf8.dropFirst(prefix), as: UTF8.self)
            result.append(ScanFile(path: path, relative: relative, size: attributes.size, mtime: attributes.mtime))
        }
        return result
    }

    static func file(_ path: String, relativeTo base: String) throws(ScanError) -> ScanFile {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        let attributes = FolderWalker.Attributes(info)
        let relative = path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : (path as NSString).lastPathComponent
        return ScanFile(path: path, relative: relative, size: attributes.size, mtime: attributes.mtime)
    }

    /// What follows the last `/` of a path the walk made (no trailing or doubled slashes).
    static func lastComponent(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// What precedes the last `/` of a relative path the walk made; empty for a file at the top.
    static func folder(of relative: String) -> String {
        guard let slash = relative.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(relative[..<slash])
    }
}
