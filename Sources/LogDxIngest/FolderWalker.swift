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
        /// Links to folders that were not followed, by path.
        public var unfollowedLinks: [String] = []
    }

    /// Walks `root`; `nil` when it cannot be opened as a folder.
    public static func walk(_ root: String) -> Walk? {
        var walk = Walk()
        var visited: Set<FileIdentity> = []
        guard visit(root, into: &walk, visited: &visited) else { return nil }
        walk.files.sort()
        walk.unfollowedLinks.sort()
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
            case S_IFLNK:
                var target = stat()
                guard stat(path, &target) == 0 else { continue }
                if (target.st_mode & S_IFMT) == S_IFREG {
                    walk.files.append(path)
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
