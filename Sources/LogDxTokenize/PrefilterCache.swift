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

    /// The entry name's key: everything the compile depends on (`CacheFolder.key`).
    package static func key(for expressions: [Vectorscan.Expression]) -> String {
        var text = "libhs " + Database.libraryVersion + "\n"
        for expression in expressions {
            text += "\(expression.id) \(expression.flags.rawValue) \(expression.pattern.utf8.count) \(expression.pattern)\n"
        }
        return CacheFolder.key(of: Array(text.utf8))
    }

    /// What a cache entry holds besides the database: which patterns went in and how.
    struct Header: Codable {
        var included: [Int]
        var rejected: [Int]
        var exact: Int
        var prefilterMode: Int
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

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
              let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[4..<(4 + headerLength)])),
              (header.included + header.rejected).allSatisfy({ (0..<expressionCount).contains($0) }),
              let database = try? Database(deserializing: Array(bytes[(4 + headerLength)...]))
        else { return nil }
        return CompiledDatabase(
            database: database, included: header.included, rejected: header.rejected, exact: header.exact,
            prefilterMode: header.prefilterMode)
    }

    package func store(_ compiled: CompiledDatabase, key: String) {
        guard let folder, let database = compiled.database,
              let serialized = try? database.serialized(),
              let header = try? Self.encoder.encode(Header(
                  included: compiled.included, rejected: compiled.rejected, exact: compiled.exact,
                  prefilterMode: compiled.prefilterMode))
        else { return }
        let length = UInt32(header.count)
        var bytes = [UInt8((length >> 0) & 0xFF), UInt8((length >> 8) & 0xFF), UInt8((length >> 16) & 0xFF), UInt8((length >> 24) & 0xFF)]
        bytes += header
        bytes += serialized
        CacheFolder(path: folder).write(Data(bytes), as: Self.name(key), prefix: "prefilter-", suffix: ".hsdb", keep: Self.maxEntries)
    }
}
