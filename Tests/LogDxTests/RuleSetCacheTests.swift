import Foundation
import Testing
@testable import LogDx
import TestSupport

/// The parsed rule set kept on disk: what is read back is the set that was parsed (compared
/// through the Codable form, an encoding written independently of the archive), a damaged or
/// stale entry is parsed again, and an edited rule file never loads from an old entry.
@Suite struct RuleSetCacheTests {
    /// Every field of every definition and rule, through the synthesized Codable conformances.
    static func canonical(_ set: RuleSet) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(set), as: UTF8.self)
    }

    /// The built-in set as parsed without a cache (`Repo.builtInRules` reads the checkout's
    /// folder, whose file names differ).
    static func parsedBuiltIn() throws -> RuleSet {
        try RuleSet.load(from: [.builtIn])
    }

    /// Every template in a value, found by reflection: titles, explanations, fixes, patch and
    /// condition operands. The Codable form holds a template's source only; the archive also
    /// stores its parsed parts, which this compares.
    static func templates(in value: Any) -> [Template] {
        if let template = value as? Template { return [template] }
        return Mirror(reflecting: value).children.flatMap { templates(in: $0.value) }
    }

    @Test func theBuiltInSetDecodesToTheSetThatWasEncoded() throws {
        let set = Repo.builtInRules
        // The built-in rules use every condition operator and patch operation, so every case of
        // the archive's enums is exercised.
        #expect(set.rules.count > 100 && set.events.count > 300)
        let decoded = try #require(RuleSetArchive.decode(RuleSetArchive.encode(set)))
        #expect(try Self.canonical(decoded) == Self.canonical(set))
        #expect(decoded.sources == set.sources)
        let parsed = set.rules.flatMap { Self.templates(in: $0) }
        #expect(parsed.count > 1_000)
        #expect(parsed.contains { template in template.references.contains { $0.filter != nil } })
        let read = decoded.rules.flatMap { Self.templates(in: $0) }
        let differing = zip(read, parsed).filter { $0.0 != $0.1 }.map(\.1.source)
        #expect(read.count == parsed.count && differing.isEmpty, "\(differing.count) templates read back differently, e.g. \(differing.prefix(1))")
    }

    @Test func aDecodedSetDiagnosesTheSeedAsTheParsedOneDoes() throws {
        let decoded = try #require(RuleSetArchive.decode(RuleSetArchive.encode(Repo.builtInRules)))
        let parsed = try Diagnoser(rules: Repo.builtInRules).diagnose([Repo.seed])
        let fromArchive = try Diagnoser(rules: decoded).diagnose([Repo.seed])
        #expect(parsed.diagnoses.map(\.rule) == fromArchive.diagnoses.map(\.rule))
        #expect(parsed.diagnoses.map(\.title) == fromArchive.diagnoses.map(\.title))
        #expect(parsed.diagnoses.contains { $0.rule == "python-packages-not-carried" })
    }

    @Test func everyTruncationAndAForeignHeaderAreRefused() throws {
        let bytes = RuleSetArchive.encode(Repo.builtInRules)
        for length in stride(from: 0, to: bytes.count, by: max(1, bytes.count / 400)) {
            #expect(RuleSetArchive.decode(Array(bytes[0..<length])) == nil, "truncated to \(length) bytes")
        }
        var foreign = bytes
        foreign[5] ^= 0x20
        #expect(RuleSetArchive.decode(foreign) == nil)
        #expect(RuleSetArchive.decode(bytes + [0]) == nil)
        #expect(RuleSetArchive.decode([UInt8](repeating: 0xFF, count: 4096)) == nil)
    }

    @Test func aSecondLoadComesFromTheEntryTheFirstWrote() throws {
        let folder = ScratchFolder()
        let cache = RuleSetCache(folder: CacheFolder(path: folder.path))
        let first = try cache.load(from: [.builtIn])
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("rules-") }
        #expect(entries.count == 1)
        let entry = folder.path + "/" + (entries.first ?? "")
        let sealed = [UInt8](try Data(contentsOf: URL(fileURLWithPath: entry)))
        let stored = try #require(RuleSetCache.verified(sealed).flatMap(RuleSetArchive.decode))
        #expect(try Self.canonical(stored) == Self.canonical(first))
        #expect(try Self.canonical(try cache.load(from: [.builtIn])) == Self.canonical(try Self.parsedBuiltIn()))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix("rules-") } == entries)
    }

    @Test func aDamagedEntryIsParsedAgainAndReplaced() throws {
        let folder = ScratchFolder()
        let cache = RuleSetCache(folder: CacheFolder(path: folder.path))
        _ = try cache.load(from: [.builtIn])
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("rules-") })
        let path = folder.path + "/" + name
        let good = try Data(contentsOf: URL(fileURLWithPath: path))
        // A byte changed in the middle (inside some pattern or text) decodes as an archive; only
        // the seal tells it apart, which matters since patterns compile when first used.
        var flipped = good
        flipped[good.count / 2] ^= 0x01
        for damage in [Data(), Data([1, 2, 3]), good.prefix(good.count / 2), Data(repeating: 0xFF, count: 4096), flipped] {
            try damage.write(to: URL(fileURLWithPath: path))
            #expect(try Self.canonical(try cache.load(from: [.builtIn])) == Self.canonical(try Self.parsedBuiltIn()))
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == good)
        }
    }

    @Test func anEditedRuleFileIsReadAfreshNotFromTheCache() throws {
        let cacheFolder = ScratchFolder()
        let rules = ScratchFolder()
        let cache = RuleSetCache(folder: CacheFolder(path: cacheFolder.path))
        let original = try String(contentsOfFile: Repo.rules + "/python/pip-no-matching-distribution.yaml", encoding: .utf8)
        let file = rules.path + "/team-no-matching-distribution.yaml"
        func write(title: String) throws {
            let text = original
                .replacingOccurrences(of: "id: pip-no-matching-distribution", with: "id: team-no-matching-distribution")
                .split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.hasPrefix("title:") ? "title: '\(title)'" : String($0) }
                .joined(separator: "\n")
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        func title() throws -> String? {
            try cache.load(from: [.builtIn, .folder(rules.path)]).rules.first { $0.id == "team-no-matching-distribution" }?.title.source
        }
        try write(title: "first wording")
        #expect(try title() == "first wording")
        #expect(try title() == "first wording")
        try write(title: "second wording")
        #expect(try title() == "second wording")
        #expect(RuleSetCache.key(for: [.builtIn]) != RuleSetCache.key(for: [.builtIn, .folder(rules.path)]))
    }

    @Test func aRuleSetWithErrorsIsNeverStored() throws {
        let cacheFolder = ScratchFolder()
        let rules = ScratchFolder()
        try "id: broken\ntitle: [unclosed\n".write(toFile: rules.path + "/broken.yaml", atomically: true, encoding: .utf8)
        let cache = RuleSetCache(folder: CacheFolder(path: cacheFolder.path))
        #expect(throws: RuleLoadErrors.self) { try cache.load(from: [.builtIn, .folder(rules.path)]) }
        #expect(throws: RuleLoadErrors.self) { try cache.load(from: [.builtIn, .folder(rules.path)]) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cacheFolder.path).filter { $0.hasPrefix("rules-") }.isEmpty)
    }

    @Test func withCachingOffTheSetIsParsed() throws {
        let set = try RuleSetCache(folder: nil).load(from: [.builtIn])
        #expect(try Self.canonical(set) == Self.canonical(try Self.parsedBuiltIn()))
        #expect(RuleSetCache.fromEnvironment(["LOGDX_CACHE_DIR": "off", "HOME": "/home/kim"]).folder == nil)
        #expect(RuleSetCache.fromEnvironment(["LOGDX_CACHE_DIR": "/srv/cache"]).folder?.path == "/srv/cache")
    }
}
