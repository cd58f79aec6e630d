import Foundation
import Testing
@testable import LogDx
import TestSupport

@Suite struct TokenizerTests {
    func events(_ path: String) throws -> (Pipeline, [Event]) {
        var tokenizer = Tokenizer(rules: Repo.builtInRules)
        let pipeline = try PipelineReader().read([path], into: &tokenizer)
        return (pipeline, tokenizer.store.events)
    }

    @Test func installsInheritTheEnvironmentOfTheirCommand() throws {
        let (pipeline, events) = try events(Repo.seed)
        let installs = events.filter { $0.kind == "package.installed" }
        #expect(installs.map { $0.fields["package"] } == ["pyparsing", "rdflib"])
        #expect(installs.allSatisfy { $0.fields["location"] == "/usr/local" && $0.fields["version"] != nil })
        #expect(installs.allSatisfy { pipeline.jobs[$0.job].name == "uv-install" })
        // The environment line the location came from travels with the event, as evidence.
        #expect(installs[0].provenance.map(\.line) == [13])
    }

    @Test func listsAreSplitIntoOneEventPerItem() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("show.log", "$ uv pip show rdflib pyparsing owlrl\nwarning: Package(s) not found for: rdflib, pyparsing, owlrl\n")
        let (_, events) = try events(file)
        #expect(events.filter { $0.kind == "package.missing" }.map { $0.fields["package"] } == ["rdflib", "pyparsing", "owlrl"])
    }

    @Test func splitItemsCanCarryTheirOwnFields() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("pip.log", "$ pip install --user rdflib\nSuccessfully installed pyparsing-3.2.1 rdflib-7.1.1\n")
        let (_, events) = try events(file)
        let installs = events.filter { $0.kind == "package.installed" }
        #expect(installs.map { $0.fields["package"] } == ["pyparsing", "rdflib"])
        #expect(installs.map { $0.fields["version"] } == ["3.2.1", "7.1.1"])
        #expect(installs.allSatisfy { $0.fields["location"] == "~/.local" })
    }

    @Test func continuationLinesJoinTheirEvent() throws {
        let (_, events) = try events(Repo.seed)
        let warning = try #require(events.first { $0.kind == "uv.link-mode-fallback" })
        #expect(warning.text.value.split(separator: "\n").count == 3)
        #expect(warning.text.value.contains("UV_LINK_MODE=copy"))
    }

    @Test func inheritanceWithinCommandDoesNotLeakIntoTheNextCommand() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("two.log", """
        $ uv pip install --system ruff
        Using Python 3.12.8 environment at: /usr/local
         + ruff==0.8.6
        $ uv pip install pytest
         + pytest==8.3.4
        """)
        let (_, events) = try events(file)
        let installs = events.filter { $0.kind == "package.installed" }
        #expect(installs.map { $0.fields["location"] } == ["/usr/local", nil])
    }

    @Test func sectionConditionsSeparateCacheFromArtifactPaths() throws {
        let (_, events) = try events(Repo.fixtures + "/pipelines/seed-uv-system-python-runner/uv-install.log")
        let saved = events.filter { $0.kind == "cache.saved" }
        #expect(saved.map { $0.fields["path"] } == [".uv-cache"])
        #expect(saved.first?.fields["key"] == "test-protected")
        #expect(events.filter { $0.kind == "artifact.uploaded" }.isEmpty)
        #expect(events.first { $0.kind == "project.dir" }?.fields["path"] == "/builds/kg-lab/rdf-tools")
    }

    @Test func commandScopedDefinitionsOnlyFireUnderTheirCommand() throws {
        let folder = TemporaryDirectory()
        // "  path: …" is a cache path only inside an actions/cache step.
        let file = folder.write("gh.log", """
        2025-01-07T10:00:00.0000000Z ##[group]Run actions/upload-artifact@v4
        2025-01-07T10:00:00.0000000Z with:
        2025-01-07T10:00:00.0000000Z   path: dist/
        2025-01-07T10:00:00.0000000Z ##[endgroup]
        2025-01-07T10:00:01.0000000Z ##[group]Run actions/cache@v4
        2025-01-07T10:00:01.0000000Z with:
        2025-01-07T10:00:01.0000000Z   path: ~/.cache/uv
        2025-01-07T10:00:01.0000000Z ##[endgroup]
        """)
        let (_, events) = try events(file)
        #expect(events.filter { $0.kind == "cache.path" }.map { $0.fields["path"] } == ["~/.cache/uv"])
    }

    @Test func secretsNeverReachEventText() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("secret.log", """
        $ pip install --index-url https://deploy:glpat-AbCdEfGhIjKlMnOpQrSt@gitlab.example.com/api/v4/projects/1/packages/pypi/simple rdflib
        ModuleNotFoundError: No module named 'rdflib'
        """)
        let (_, events) = try events(file)
        let command = try #require(events.first { $0.kind == StructuralEvent.command })
        #expect(!command.text.value.contains("glpat-AbCdEfGhIjKlMnOpQrSt"))
        #expect(!command.fields["command"]!.contains("glpat-"))
        #expect(command.text.value.contains("[REDACTED]"))
    }

    @Test func eventsAreCappedPerJobAndKind() throws {
        let folder = TemporaryDirectory()
        let lines = (0..<20).map { " + package\($0)==1.0" }.joined(separator: "\n")
        let file = folder.write("many.log", "$ uv pip install -r requirements.txt\n" + lines + "\n")
        var tokenizer = Tokenizer(rules: Repo.builtInRules, store: EventStore(headCap: 3, tailCap: 2))
        _ = try PipelineReader().read([file], into: &tokenizer)
        let kept = tokenizer.store.events.filter { $0.kind == "package.installed" }.compactMap { $0.fields["package"] }
        #expect(kept == ["package0", "package1", "package2", "package18", "package19"])
        #expect(tokenizer.store.dropped.values.reduce(0, +) == 15)
    }

    @Test func mostLinesRunNoRegexAtAll() throws {
        // The prefilter finds which definitions can match; a line with none runs no regex.
        let compiled = CompiledEvents(rules: Repo.builtInRules)
        let prefilter = compiled.prefilter
        var scanner = prefilter.makeScanner()
        #expect(scanner.usesVectorscan, "libhs is installed, so the Vectorscan prefilter must be in use")
        var lines = 0
        var touched = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: Repo.fixtures + "/green") where name.hasSuffix(".log") {
            let text = try String(contentsOfFile: Repo.fixtures + "/green/" + name, encoding: .utf8)
            for line in text.split(separator: "\n") {
                var bytes = Array(line.utf8)
                var hit = !prefilter.unfiltered.isEmpty
                var companions = LiteralHits()
                bytes.withUnsafeMutableBufferPointer {
                    _ = scanner.forEachCandidate(in: UnsafeBufferPointer($0), companions: &companions) { _ in hit = true }
                }
                lines += 1
                if hit { touched += 1 }
            }
        }
        #expect(lines > 1_000)
        #expect(Double(touched) / Double(lines) < 0.25, "\(touched) of \(lines) passing-log lines reach a regex")
        // A pattern no prefilter can take must at least be scoped to a command or section.
        let unscoped = prefilter.unfiltered.map { compiled.lineDefinitions[$0] }.filter { $0.whenCommand == nil && $0.whenSection == nil }
        #expect(unscoped.isEmpty, "patterns that would run on every line: \(unscoped.map(\.id))")
    }
}

@Suite struct AhoCorasickTests {
    @Test func findsOverlappingLiteralsCaseInsensitively() {
        let automaton = AhoCorasick([Array("he".utf8), Array("she".utf8), Array("hers".utf8), Array("his".utf8)])
        var found: Set<Int> = []
        var text = Array("USHERS".utf8)
        text.withUnsafeMutableBufferPointer { automaton.scan(UnsafeBufferPointer($0)) { found.insert($0) } }
        #expect(found == [0, 1, 2])
    }

    /// Against a plain search, on random literals and texts over a few letters (so literals
    /// overlap and nest) with every byte value among them: the automaton is built over byte
    /// classes, and a literal set using all 256 bytes has more classes than a byte can count.
    @Test func findsWhatAPlainSearchFinds() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        let alphabet: [UInt8] = Array("abAB.".utf8) + [0xC3, 0xA9]
        func randomBytes(_ length: Int) -> [UInt8] { (0..<length).map { _ in alphabet[next(alphabet.count)] } }
        let fold: (UInt8) -> UInt8 = { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }
        for round in 0..<40 {
            var literals = (0..<(1 + next(12))).map { _ in randomBytes(1 + next(4)) }
            if round == 0 { literals += (0...255).map { [UInt8($0)] } }
            let automaton = AhoCorasick(literals)
            for _ in 0..<20 {
                var text = randomBytes(next(40))
                var found: Set<Int> = []
                text.withUnsafeMutableBufferPointer { automaton.scan(UnsafeBufferPointer($0)) { found.insert($0) } }
                let folded = text.map(fold)
                let expected = Set(literals.indices.filter { index in
                    let literal = literals[index].map(fold)
                    return literal.count <= folded.count && (0...(folded.count - literal.count)).contains { folded[$0..<($0 + literal.count)].elementsEqual(literal) }
                })
                #expect(found == expected, "literals \(literals) text \(text)")
            }
        }
    }
}

@Suite struct RequiredLiteralsTests {
    @Test(arguments: [
        (#"^warning: Package\(s\) not found for: (?<package>.+?)\s*$"#, ["warning: package(s) not found for: "]),
        (#"^Using Python (?<version>\S+) environment at: (?<path>.+?)\s*$"#, [" environment at: "]),
        (#"^ \+ (?<package>[A-Za-z0-9]+)==(?<version>\S+)"#, [" + "]),
        (#"^ ?\+ (?<package>\S+)"#, []),
        (#"Cache saved with key: (?<key>.+)"#, ["cache saved with key: "]),
        (#"^(?:Initialized empty|Reinitialized existing) Git repository in"#, [" git repository in"]),
        (#"colou?r scheme"#, ["r scheme"]),
        (#"(?:ERROR|FATAL): x"#, [": x"]),
        (#"(?:ERROR|FATAL)"#, []),
        (#"npm ERR! code E404|npm error code E404"#, ["npm err! code e404", "npm error code e404"]),
        (#"abc|d"#, []),
        (#"(?i)Job Failed"#, ["job failed"]),
    ] as [(String, [String])])
    func extraction(pattern: String, expected: [String]) {
        #expect(RequiredLiterals.extract(pattern) == expected)
    }
}

@Suite struct RequiredLiteralsGroupTests {
    @Test(arguments: [
        (#"^(?<key>cache) hit for (?<what>\S+)"#, [" hit for "]),
        (#"^(?<key>cache restored from) k"#, ["cache restored from"]),
        (#"^(?<pkg>.*?)no required module provides package (?<p>\S+)"#, ["no required module provides package "]),
        (#"^\S+? in the cache$"#, [" in the cache"]),
        (#"(?:foo|bar) baz qux"#, [" baz qux"]),
        (#"(?=lookahead)x"#, []),
        (#"(?<=behind)abc"#, ["abc"]),
        (#"^(?:[|]) literal here"#, [" literal here"]),
        (#"a(?:long literal)?b"#, []),
    ] as [(String, [String])])
    func groups(pattern: String, expected: [String]) {
        #expect(RequiredLiterals.extract(pattern) == expected)
    }
}
