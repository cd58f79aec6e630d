import Foundation
import LogDxIngest
import LogDxRules
import PCRE2

/// Rule sets already parsed and validated, kept on disk beside the prefilter databases: parsing
/// 700 kB of YAML was most of what `logdx` on a two-line paste spent. An entry is named by a hash
/// of every rule file's path and bytes and of the logdx executable itself (its path, size, change
/// time and inode), so an edited rule, an added `--rules` folder or a rebuilt logdx misses and
/// parses again. Only sets that loaded without error are stored, so an entry never hides a
/// problem `rules lint` would report. Any failure to read, decode or write an entry parses as if
/// there were no cache.
package struct RuleSetCache: Sendable {
    package let folder: CacheFolder?

    package init(folder: CacheFolder?) {
        self.folder = folder
    }

    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> RuleSetCache {
        RuleSetCache(folder: CacheFolder.fromEnvironment(environment))
    }

    /// Entries kept: one per rule-set variant in use (built-in, with a team's `--rules`, a rule
    /// author's checkout), each a few hundred kilobytes.
    package static let maxEntries = 8

    /// Bumped when the stored form changes in a way decoding would not notice.
    static let formatVersion = 1

    /// The rule set of `sources`, from the cache when it holds exactly these files for this
    /// build of logdx, else parsed (and then stored).
    package func load(from sources: [RuleSource]) throws(RuleLoadErrors) -> RuleSet {
        guard let folder, let key = Self.key(for: sources) else { return try RuleSet.load(from: sources) }
        let name = "rules-" + key + ".bin"
        if let entry = folder.read(name), let archive = Self.verified(entry),
           let set = RuleSetArchive.decode(archive), set.sources == sources {
            return set
        }
        let set = try RuleSet.load(from: sources)
        folder.write(Data(Self.sealed(RuleSetArchive.encode(set))), as: name, prefix: "rules-", suffix: ".bin", keep: Self.maxEntries)
        return set
    }

    /// The archive followed by its XXH64: patterns in an entry are compiled only when first used,
    /// so a damaged entry must be recognised before it is read, not by a pattern failing later.
    package static func sealed(_ archive: [UInt8]) -> [UInt8] {
        archive + seal(of: archive)
    }

    /// The archive of a sealed entry, nil when its hash does not match.
    package static func verified(_ entry: consuming [UInt8]) -> [UInt8]? {
        guard entry.count > 8 else { return nil }
        // Checked in place and cut in place: the archive is hundreds of kilobytes.
        let sealOK = entry.withUnsafeBytes { bytes in
            seal(of: UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 8)])) == Array(bytes[(bytes.count - 8)...])
        }
        guard sealOK else { return nil }
        var archive = consume entry
        archive.removeLast(8)
        return archive
    }

    /// The archive's XXH64, little-endian.
    private static func seal(of archive: [UInt8]) -> [UInt8] {
        archive.withUnsafeBytes { seal(of: $0) }
    }

    private static func seal(of archive: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = ContentHash()
        hasher.update(archive)
        let value = hasher.finish()
        return (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// The entry name's key: everything a parsed rule set depends on (`CacheKey`); nil
    /// when a file cannot be read or the executable cannot be identified (then nothing is cached).
    package static func key(for sources: [RuleSource]) -> String? {
        guard let build = buildIdentity else { return nil }
        // Hashed file by file as read: gathering 700 kB of YAML into one buffer first (its
        // growth, copies and page faults) cost more than hashing it.
        var key = CacheKey()
        key.add("logdx rule set \(formatVersion)\n\(build)\npcre2 \(Pattern.libraryVersion)\n")
        for source in sources {
            key.add("source \(source)\n")
            // The built-in files are part of the executable, which `build` already identifies:
            // copying and hashing their 700 kB again was a sixth of loading the rules.
            guard source != .builtIn else { continue }
            for file in source.yamlFiles() {
                guard let data = file.data() else { return nil }
                key.add("\(file.relativePath) \(data.count)\n")
                data.withUnsafeBytes { key.add($0) }
            }
        }
        return key.name
    }

    /// The running executable's path, size, change time and inode: they change whenever logdx
    /// is rebuilt or replaced, and with it possibly how rule files are read.
    static let buildIdentity: String? = {
        let manager = FileManager.default
        guard let executable = try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              let attributes = try? manager.attributesOfItem(atPath: executable),
              let size = attributes[.size] as? NSNumber,
              let changed = attributes[.modificationDate] as? Date
        else { return nil }
        let inode = (attributes[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        return "\(executable) \(size.uint64Value) \(changed.timeIntervalSince1970) \(inode)"
    }()
}
