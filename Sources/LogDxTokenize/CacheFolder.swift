import Foundation
import LogDxIngest
#if canImport(Glibc)
import Glibc
#endif

/// The folder where logdx keeps what it can rebuild but would rather not on every run: compiled
/// prefilter databases, parsed rule sets. Entries are named by a hash of everything they depend
/// on, so a change simply misses. Every operation is best effort: no home, a read-only or full
/// disk, a damaged or vanished file — the caller rebuilds in memory as if there were no cache.
package struct CacheFolder: Sendable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// `LOGDX_CACHE_DIR` (empty or `off` turns caching off), else `$XDG_CACHE_HOME/logdx`, else
    /// `~/.cache/logdx`; nil when caching is off or there is nowhere to put it.
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> CacheFolder? {
        if let chosen = environment["LOGDX_CACHE_DIR"] {
            return chosen.isEmpty || chosen == "off" ? nil : CacheFolder(path: chosen)
        }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") { return CacheFolder(path: xdg + "/logdx") }
        if let home = environment["HOME"], !home.isEmpty { return CacheFolder(path: home + "/.cache/logdx") }
        return nil
    }

    /// The entry's bytes, marked as used now (pruning keeps the entries used last).
    ///
    /// Read straight into the array the caller decodes: read as `Data` and then copied into an
    /// array, the rule set's 800 kB were two fresh buffers to fault in and a copy, a tenth of
    /// loading the rules on every start.
    package func read(_ name: String) -> [UInt8]? {
        let descriptor = open(path + "/" + name, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        let size = Int(info.st_size)
        var complete = true
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let got = Glibc.read(descriptor, buffer.baseAddress! + count, size - count)
                if got > 0 {
                    count += got
                } else if got < 0 && errno == EINTR {
                    continue
                } else {
                    // An error, or a file cut short while being read (another process replacing
                    // the entry renames a whole new file into place, so this one is damaged).
                    complete = false
                    return
                }
            }
        }
        guard complete else { return nil }
        // The modification time is when the entry was last used (nil: now).
        _ = futimens(descriptor, nil)
        return bytes
    }

    /// Writes the entry aside and renames it into place, so a reader never sees half an entry,
    /// even when two logdx processes fill the cache at once; then keeps only the `keep` entries
    /// with the same prefix and suffix used last.
    package func write(_ bytes: Data, as name: String, prefix: String, suffix: String, keep: Int) {
        let file = path + "/" + name
        let temporary = path + "/." + prefix + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try bytes.write(to: URL(fileURLWithPath: temporary))
            _ = try? FileManager.default.removeItem(atPath: file)
            try FileManager.default.moveItem(atPath: temporary, toPath: file)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
        }
        prune(prefix: prefix, suffix: suffix, keep: keep)
    }

    /// Removes all but the `keep` entries used last; another process may be removing the same
    /// ones, which is harmless.
    private func prune(prefix: String, suffix: String, keep: Int) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
        let entries = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(suffix) }.map { path + "/" + $0 }
        guard entries.count > keep else { return }
        let byUse = entries.map { entry in
            (entry, (try? FileManager.default.attributesOfItem(atPath: entry)[.modificationDate] as? Date) ?? .distantPast)
        }.sorted { $0.1 > $1.1 }
        for (entry, _) in byUse.dropFirst(keep) { try? FileManager.default.removeItem(atPath: entry) }
    }
}
