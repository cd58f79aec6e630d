#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the files under a folder, the one way `diagnose FOLDER` and `scan` both walk: hidden
/// entries (`.git`, `.cache`) skipped, symbolic links to files followed, links to folders not — a
/// `..` link would otherwise read the same logs again and again, or forever. A folder reached
/// twice (a bind mount of an ancestor) is read once.
public enum FolderWalker {
    public struct Walk: Sendable, Equatable {
        /// Regular files (or links to one), by path, sorted.
        public var files: [String] = []
        /// Each file's size and modification time (a link's target's), in the order of `files`:
        /// the walk has them already, and a scan of 100,000 files asking again spent a second.
        public var attributes: [Attributes] = []
        /// Links to folders that were not followed, by path.
        public var unfollowedLinks: [String] = []
    }

    public struct Attributes: Sendable, Equatable {
        public var size: Int64
        /// Seconds since 1970.
        public var mtime: Double

        public init(_ info: stat) {
            size = Int64(info.st_size)
            #if os(Linux)
            mtime = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
            #else
            mtime = Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
            #endif
        }
    }

    /// Walks `root`; `nil` when it cannot be opened as a folder.
    public static func walk(_ root: String) -> Walk? {
        var found = Walk()
        var visited: Set<FileIdentity> = []
        guard visit(root, into: &found, visited: &visited) else { return nil }
        let order = found.files.indices.sorted { found.files[$0] < found.files[$1] }
        var walk = Walk()
        walk.files = order.map { found.files[$0] }
        walk.attributes = order.map { found.attributes[$0] }
        walk.unfollowedLinks = found.unfollowedLinks.sorted()
        return walk
    }

    private struct FileIdentity: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    private static func visit(_ directory: String, into walk: inout Walk, visited: inout Set<FileIdentity>) -> Bool {
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR,
              visited.insert(FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))).inserted,
              let dir = opendir(directory)
        else { return false }
        var folders: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.isEmpty || name.hasPrefix(".") { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var link = stat()
            guard lstat(path, &link) == 0 else { continue }
            switch link.st_mode & S_IFMT {
            case S_IFDIR:
                folders.append(path)
            case S_IFREG:
                walk.files.append(path)
                walk.attributes.append(Attributes(link))
            case S_IFLNK:
                var target = stat()
                guard stat(path, &target) == 0 else { continue }
                if (target.st_mode & S_IFMT) == S_IFREG {
                    walk.files.append(path)
                    walk.attributes.append(Attributes(target))
                } else if (target.st_mode & S_IFMT) == S_IFDIR {
                    walk.unfollowedLinks.append(path)
                }
            default:
                continue
            }
        }
        closedir(dir)
        for folder in folders {
            _ = visit(folder, into: &walk, visited: &visited)
        }
        return true
    }
}
