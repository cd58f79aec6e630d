import Foundation
import Vectorscan
import LogDxIngest

/// Compiled prefilter databases kept on disk, so `logdx` on a two-line paste does not compile
/// 500 patterns (a second of libhs work) before it reads a byte. An entry is named by a hash of
/// everything the compile depends on — libhs's version and every pattern with its flags and id —
/// so a changed rule set simply misses; libhs itself refuses a database from another version or
/// CPU kind, and that also misses. The cache is an optimisation only: any failure to read or
/// write it (no home, a read-only or full disk, a damaged file) compiles in memory as before.
package struct PrefilterCache: Sendable {
    /// The folder entries live in; nil when caching is off.
    package let folder: String?

    package init(folder: String?) {
        self.folder = folder
    }

    /// The folder `CacheFolder.fromEnvironment` chooses.
    package static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> PrefilterCache {
        PrefilterCache(folder: CacheFolder.fromEnvironment(environment)?.path)
    }

    /// The entry name's key: everything the compile depends on (`CacheKey`), and the
    /// entry's layout. Fed to the hash part by part: one string of all the patterns, built by
    /// interpolation, was a tenth of starting on a two-line paste.
    package static func key(for expressions: [Vectorscan.Expression]) -> String {
        var key = CacheKey()
        key.add("libhs " + Database.libraryVersion + "\nheader binary 1\n")
        for expression in expressions {
            var numbers = (expression.id, expression.flags.rawValue, UInt32(truncatingIfNeeded: expression.pattern.utf8.count))
            withUnsafeBytes(of: &numbers) { key.add($0) }
            key.add(expression.pattern)
        }
        return key.name
    }

    /// What a cache entry holds besides the database: which patterns went in and how, as
    /// little-endian 32-bit counts and ids (JSON took a third of reading an entry back).
    struct Header {
        var included: [Int]
        var rejected: [Int]
        var exact: Int
        var prefilterMode: Int

        var bytes: [UInt8] {
            var words: [UInt32] = [UInt32(included.count)] + included.map { UInt32($0) }
            words += [UInt32(rejected.count)] + rejected.map { UInt32($0) } + [UInt32(exact), UInt32(prefilterMode)]
            return words.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
        }

        /// Nil unless `bytes` is exactly a header whose ids are below `expressionCount`.
        init?(_ bytes: ArraySlice<UInt8>, expressionCount: Int) {
            guard bytes.count % 4 == 0 else { return nil }
            var words: [Int] = []
            words.reserveCapacity(bytes.count / 4)
            var index = bytes.startIndex
            while index < bytes.endIndex {
                words.append(Int(bytes[index]) | Int(bytes[index + 1]) << 8 | Int(bytes[index + 2]) << 16 | Int(bytes[index + 3]) << 24)
                index += 4
            }
            var rest = words[...]
            func list() -> [Int]? {
                guard let count = rest.first, count <= rest.count - 1 else { return nil }
                let ids = Array(rest.dropFirst().prefix(count))
                rest = rest.dropFirst(1 + count)
                return ids.allSatisfy { (0..<expressionCount).contains($0) } ? ids : nil
            }
            guard let included = list(), let rejected = list(), rest.count == 2, let exact = rest.first, let mode = rest.last else { return nil }
            self.init(included: included, rejected: rejected, exact: exact, prefilterMode: mode)
        }

        init(included: [Int], rejected: [Int], exact: Int, prefilterMode: Int) {
            self.included = included
            self.rejected = rejected
            self.exact = exact
            self.prefilterMode = prefilterMode
        }
    }

    private static func name(_ key: String) -> String {
        "prefilter-" + key + ".hsdb"
    }

    /// Entries kept: a database is about a megabyte, and each edit of a rule set makes a new one,
    /// so without a bound the folder grows with every rule change ever tried.
    package static let maxEntries = 8

    package func load(_ key: String, expressionCount: Int) -> CompiledDatabase? {
        guard let folder, let bytes = CacheFolder(path: folder).read(Self.name(key)), bytes.count > 4 else { return nil }
        let headerLength = Int(bytes[0]) | Int(bytes[1]) << 8 | Int(bytes[2]) << 16 | Int(bytes[3]) << 24
        guard headerLength > 0, 4 + headerLength < bytes.count,
              let header = Header(bytes[4..<(4 + headerLength)], expressionCount: expressionCount),
              let database = try? Database(deserializing: Array(bytes[(4 + headerLength)...]))
        else { return nil }
        return CompiledDatabase(
            database: database, included: header.included, rejected: header.rejected, exact: header.exact,
            prefilterMode: header.prefilterMode)
    }

    package func store(_ compiled: CompiledDatabase, key: String) {
        guard let folder, let database = compiled.database, let serialized = try? database.serialized() else { return }
        let header = Header(
            included: compiled.included, rejected: compiled.rejected, exact: compiled.exact,
            prefilterMode: compiled.prefilterMode).bytes
        let length = UInt32(header.count)
        var bytes = [UInt8((length >> 0) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8((length >> 24) & 0xFF)]
        bytes += header
        bytes += serialized
        CacheFolder(path: folder).write(Data(bytes), as: Self.name(key), prefix: "prefilter-", suffix: ".hsdb", keep: Self.maxEntries)
    }
}
