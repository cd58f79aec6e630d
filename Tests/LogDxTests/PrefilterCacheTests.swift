import Foundation
import Testing
import Vectorscan
@testable import LogDx
import TestSupport

/// The compiled prefilter kept on disk: the same database as a fresh compile, and never a reason
/// to fail — a damaged entry or a folder that cannot be written compiles in memory instead.
@Suite struct PrefilterCacheTests {
    static let definitions = Repo.builtInRules.events.filter { $0.target == .line }

    /// Which database ids match each line of the seed pipeline and a fixture of every ecosystem.
    static func matches(_ compiled: CompiledDatabase) throws -> [[UInt32]] {
        let database = try #require(compiled.database)
        let scratch = try database.makeScratch()
        let logs = [Repo.seed, Repo.fixtures + "/rules/javascript/jest-test-failed/gitlab-two-failures.log"]
        var result: [[UInt32]] = []
        for log in logs {
            for line in try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n") {
                var ids: [UInt32] = []
                var bytes = Array(line.utf8)
                if bytes.isEmpty { bytes = [0x20] }
                try bytes.withUnsafeBufferPointer { buffer in
                    try scratch.scan(buffer) { id, _ in ids.append(id); return false }
                }
                result.append(ids.sorted())
            }
        }
        return result
    }

    @Test func aStoredDatabaseLoadsAsTheSameDatabase() throws {
        let folder = TemporaryDirectory()
        let first = PrefilterDatabases(disk: PrefilterCache(folder: folder.path)).database(for: Self.definitions)
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".hsdb") }
        #expect(entries.count == 1)
        let cache = PrefilterCache(folder: folder.path)
        let key = String(try #require(entries.first).dropFirst("prefilter-".count).dropLast(".hsdb".count))
        let loaded = try #require(cache.load(key, expressionCount: Self.definitions.count))
        #expect(loaded.included == first.included)
        #expect(loaded.rejected == first.rejected)
        #expect(loaded.exact == first.exact && loaded.prefilterMode == first.prefilterMode)
        let expected = try Self.matches(first)
        #expect(expected.contains { !$0.isEmpty })
        #expect(try Self.matches(loaded) == expected)
    }

    @Test func aDamagedEntryIsCompiledAgainAndReplaced() throws {
        let folder = TemporaryDirectory()
        _ = PrefilterDatabases(disk: PrefilterCache(folder: folder.path)).database(for: Self.definitions)
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".hsdb") })
        let path = folder.path + "/" + name
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        // Headers that lie about the database after them: a list longer than the header, an id
        // past the patterns.
        let headerLength = Int(good[0]) | Int(good[1]) << 8 | Int(good[2]) << 16 | Int(good[3]) << 24
        let database = good.dropFirst(4 + headerLength)
        let overlong = Data([8, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0]) + database
        let outOfRange = Data([20, 0, 0, 0, 1, 0, 0, 0, 0x9F, 0x86, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]) + database
        for damage in [Data(), Data([1, 2, 3]), good.prefix(good.count / 2), Data(repeating: 0xFF, count: 4096), overlong, outOfRange] {
            try damage.write(to: URL(fileURLWithPath: path))
            let key = String(name.dropFirst("prefilter-".count).dropLast(".hsdb".count))
            #expect(PrefilterCache(folder: folder.path).load(key, expressionCount: Self.definitions.count) == nil)
            let rebuilt = PrefilterDatabases(disk: PrefilterCache(folder: folder.path)).database(for: Self.definitions)
            #expect(rebuilt.database != nil)
            // Replaced by a whole entry again, which loads as what was compiled.
            let reloaded = try #require(PrefilterCache(folder: folder.path).load(key, expressionCount: Self.definitions.count))
            #expect(reloaded.included == rebuilt.included && reloaded.rejected == rebuilt.rejected)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == good.count)
        }
    }

    @Test func theFolderKeepsOnlyTheEntriesUsedLast() throws {
        let folder = TemporaryDirectory()
        let databases = PrefilterDatabases(disk: PrefilterCache(folder: folder.path))
        // A rule set edited again and again: each version is a pattern list of its own.
        let lists = (0..<(PrefilterCache.maxEntries + 3)).map { Array(Self.definitions.prefix(2 + $0)) }
        _ = databases.database(for: lists[0])
        Thread.sleep(forTimeInterval: 0.02)
        for list in lists.dropFirst() {
            _ = PrefilterDatabases(disk: PrefilterCache(folder: folder.path)).database(for: list)
            // The first version is still in use: loading it keeps it.
            _ = PrefilterDatabases(disk: PrefilterCache(folder: folder.path)).database(for: lists[0])
            Thread.sleep(forTimeInterval: 0.02)
        }
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".hsdb") }
        #expect(entries.count == PrefilterCache.maxEntries)
        let firstKey = PrefilterCache.key(for: EventPrefilter.expressions(for: lists[0]))
        #expect(entries.contains("prefilter-\(firstKey).hsdb"))
        let secondKey = PrefilterCache.key(for: EventPrefilter.expressions(for: lists[1]))
        #expect(!entries.contains("prefilter-\(secondKey).hsdb"))
    }

    @Test func aFolderThatCannotBeWrittenStillCompiles() throws {
        let folder = TemporaryDirectory()
        // A file where the cache folder should be: creating it fails as on a read-only disk.
        let blocked = folder.write("not-a-folder", "x")
        let compiled = PrefilterDatabases(disk: PrefilterCache(folder: blocked + "/logdx")).database(for: Self.definitions)
        #expect(compiled.database != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["not-a-folder"])
    }

    @Test func theFolderComesFromTheEnvironment() {
        #expect(PrefilterCache.fromEnvironment(["LOGDX_CACHE_DIR": "/srv/cache", "HOME": "/home/kim"]).folder == "/srv/cache")
        #expect(PrefilterCache.fromEnvironment(["LOGDX_CACHE_DIR": "off", "HOME": "/home/kim"]).folder == nil)
        #expect(PrefilterCache.fromEnvironment(["LOGDX_CACHE_DIR": ""]).folder == nil)
        #expect(PrefilterCache.fromEnvironment(["XDG_CACHE_HOME": "/var/xdg", "HOME": "/home/kim"]).folder == "/var/xdg/logdx")
        #expect(PrefilterCache.fromEnvironment(["HOME": "/home/kim"]).folder == "/home/kim/.cache/logdx")
        #expect(PrefilterCache.fromEnvironment([:]).folder == nil)
    }

    @Test func aChangedPatternIsAnotherEntry() {
        let a = [Vectorscan.Expression("npm ERR! code E404", id: 0)]
        let b = [Vectorscan.Expression("npm ERR! code E403", id: 0)]
        #expect(PrefilterCache.key(for: a) != PrefilterCache.key(for: b))
        #expect(PrefilterCache.key(for: a) == PrefilterCache.key(for: a))
        #expect(PrefilterCache.key(for: a).count == 32)
    }
}
