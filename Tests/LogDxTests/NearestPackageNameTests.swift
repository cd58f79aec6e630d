import Foundation
import Testing
@testable import LogDx
import TestSupport

/// "Did you mean …?": the distance, the registries' spelling rules, and the search over the
/// pipeline's names and the shipped lists.
@Suite struct NearestPackageNameTests {
    @Test func aSwapOfNeighboursIsOneEdit() {
        #expect(NameDistance.distance("reqeusts", "requests", limit: 2) == 1)
        #expect(NameDistance.distance("djnago", "django", limit: 2) == 1)
        // Plain Levenshtein counts a swap as two.
        #expect(editDistance("reqeusts", "requests") == 2)
    }

    @Test func insertionsDeletionsAndSubstitutionsCountOneEach() {
        #expect(NameDistance.distance("expresss", "express", limit: 2) == 1)
        #expect(NameDistance.distance("numpy", "numpi", limit: 2) == 1)
        #expect(NameDistance.distance("sparqlwraper", "sparqlwrapper", limit: 2) == 1)
        #expect(NameDistance.distance("kitten", "sitting", limit: 3) == 3)
        #expect(NameDistance.distance("same", "same", limit: 0) == 0)
        #expect(NameDistance.distance("", "abc", limit: 3) == 3)
    }

    @Test func distancesPastTheLimitAreNil() {
        #expect(NameDistance.distance("kitten", "sitting", limit: 2) == nil)
        #expect(NameDistance.distance("a", "abcd", limit: 2) == nil)
        #expect(NameDistance.distance("flask", "django", limit: 2) == nil)
    }

    @Test func shortNamesGetNoSuggestion() {
        #expect(NameDistance.allowedEdits(forLength: 3) == 0)
        #expect(NameDistance.allowedEdits(forLength: 4) == 1)
        #expect(NameDistance.allowedEdits(forLength: 7) == 1)
        #expect(NameDistance.allowedEdits(forLength: 8) == 2)
        let finder = NearestPackageName(pipelineNames: ["six"], listFiles: [], registry: .pypi)
        #expect(finder.suggestion(for: "sic") == nil)
    }

    @Test func pypiNamesFollowPEP503() {
        #expect(PackageRegistry.pypi.normalized("Zope.Interface") == "zope-interface")
        #expect(PackageRegistry.pypi.normalized("python__dateutil") == "python-dateutil")
        #expect(PackageRegistry.pypi.normalized("a-_.b") == "a-b")
        #expect(PackageRegistry.crates.normalized("Serde_JSON") == "serde-json")
        #expect(PackageRegistry.npm.normalized("@Acme/UI_kit") == "@acme/ui_kit")
    }

    /// The byte-wise path for ASCII names against PEP 503's own definition
    /// (`re.sub(r"[-_.]+", "-", name).lower()`) and plain lowercasing, on every shipped name and
    /// on names made of every ASCII character.
    @Test func everyShippedNameNormalizesAsTheRegistryDefines() throws {
        var names: [String] = []
        for registry in [PackageRegistry.pypi, .npm] {
            let text = try String(contentsOfFile: Repo.rules + "/" + registry.dataFile, encoding: .utf8)
            names += text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map(String.init)
        }
        #expect(names.count > 20_000)
        let ascii = (0x20..<0x7f).map { String(UnicodeScalar(UInt8($0))) }
        for (index, character) in ascii.enumerated() {
            names.append("Pkg" + character + "_-." + ascii[(index * 7) % ascii.count] + "X")
        }
        names += ["Ünïcode_Pkg", "ZOPE..interface", "", "-", "a_b-c.d"]
        for name in names {
            #expect(PackageRegistry.pypi.normalized(name) == name.replacing(/[-_.]+/, with: "-").lowercased(), "\(name)")
            #expect(PackageRegistry.crates.normalized(name) == name.lowercased().replacing("_", with: "-"), "\(name)")
            #expect(PackageRegistry.npm.normalized(name) == name.lowercased(), "\(name)")
            #expect(PackageRegistry.rubygems.normalized(name) == name.lowercased(), "\(name)")
        }
    }

    /// A list's names are normalized straight from the file's bytes, end to end in one buffer:
    /// each as the string it decodes to would be, ASCII or not, even when not UTF-8.
    @Test func namesNormalizedFromBytesMatchTheirStrings() {
        let names: [[UInt8]] = [
            Array("Zope..Interface".utf8), Array("Ünïcode__Pkg".utf8), [0x61, 0xff, 0x5f, 0x2e, 0x42], [], Array("@Acme/UI_kit".utf8),
        ]
        for registry in PackageRegistry.allCases {
            var buffer = Array("kept".utf8)
            for name in names {
                let before = buffer.count
                name.withUnsafeBufferPointer { registry.appendNormalized($0, to: &buffer) }
                #expect(Array(buffer[before...]) == registry.normalizedBytes(String(decoding: name, as: UTF8.self)), "\(registry) \(name)")
            }
            #expect(buffer.starts(with: Array("kept".utf8)))
        }
    }

    @Test func aListSuggestsItsNameAsWrittenPastNamesThatAreNotASCII() {
        let (folder, path) = list(["Ünïcode-Pkg", "", "Flask_Login"])
        _ = folder
        let finder = NearestPackageName(pipelineNames: [], listFiles: [RuleFile(path: path)], registry: .pypi)
        #expect(finder.suggestion(for: "flask-logn") == "Flask_Login")
        #expect(finder.suggestion(for: "ünïcode-pkgs") == "Ünïcode-Pkg")
    }

    func list(_ names: [String]) -> (TemporaryDirectory, String) {
        let folder = TemporaryDirectory()
        let path = folder.write("data/pypi-names.txt", "# a test list\n" + names.joined(separator: "\n") + "\n")
        return (folder, path)
    }

    @Test func suggestsTheListedNameOneEditAway() {
        let (folder, path) = list(["boto3", "requests", "urllib3"])
        _ = folder
        let finder = NearestPackageName(pipelineNames: [], listFiles: [RuleFile(path: path)], registry: .pypi)
        #expect(finder.suggestion(for: "reqeusts") == "requests")
        #expect(finder.suggestion(for: "urlib3") == "urllib3")
        #expect(finder.suggestion(for: "tensorflow") == nil)
    }

    @Test func aNameOnTheListIsNotATypo() {
        // Spelt differently but the same name to PyPI: the failure is a version or an index.
        let (folder, path) = list(["python-dateutil", "python-dateutils"])
        _ = folder
        let finder = NearestPackageName(pipelineNames: [], listFiles: [RuleFile(path: path)], registry: .pypi)
        #expect(finder.suggestion(for: "Python_DateUtil") == nil)
    }

    @Test func theMoreUsedNameWinsATie() {
        let (folder, path) = list(["pandas", "pandab"])
        _ = folder
        let finder = NearestPackageName(pipelineNames: [], listFiles: [RuleFile(path: path)], registry: .pypi)
        #expect(finder.suggestion(for: "pandaz") == "pandas")
    }

    @Test func theMoreUsedNameWinsATieWhateverItsLength() {
        // Both one edit from `reqests`: the list's order decides, not which length is looked at first.
        let (folder, path) = list(["requests", "reqest"])
        _ = folder
        let finder = NearestPackageName(pipelineNames: [], listFiles: [RuleFile(path: path)], registry: .pypi)
        #expect(finder.suggestion(for: "reqests") == "requests")
        let (reversedFolder, reversedPath) = list(["reqest", "requests"])
        _ = reversedFolder
        #expect(NearestPackageName(pipelineNames: [], listFiles: [RuleFile(path: reversedPath)], registry: .pypi).suggestion(for: "reqests") == "reqest")
    }

    @Test func namesFromThePipelineComeFirst() {
        let (folder, path) = list(["acme-billing-clients"])
        _ = folder
        // The failing line names the misspelt package too: that exact match must not hide the rest.
        let finder = NearestPackageName(pipelineNames: ["acme-biling-client", "acme-billing-client"], listFiles: [RuleFile(path: path)], registry: .pypi)
        #expect(finder.suggestion(for: "acme-biling-client") == "acme-billing-client")
    }

    @Test func theShippedListsKnowThePopularNames() throws {
        let pypi = NearestPackageName.listFiles(for: .pypi, in: [.folder(Repo.rules)])
        let npm = NearestPackageName.listFiles(for: .npm, in: [.folder(Repo.rules)])
        try #require(pypi.count == 1 && npm.count == 1)
        #expect(NearestPackageName(pipelineNames: [], listFiles: pypi, registry: .pypi).suggestion(for: "reqeusts") == "requests")
        #expect(NearestPackageName(pipelineNames: [], listFiles: pypi, registry: .pypi).suggestion(for: "requests") == nil)
        #expect(NearestPackageName(pipelineNames: [], listFiles: npm, registry: .npm).suggestion(for: "expresss") == "express")
        #expect(NearestPackageName.listFiles(for: .crates, in: [.folder(Repo.rules)]).isEmpty)
    }

    @Test func aFilteredPlaceholderKeepsItsPath() throws {
        let template = try Template("{{#m.name|nearest:pypi}}did you mean {{m.name|nearest:pypi}}?{{/m.name|nearest:pypi}}")
        let reference = try #require(template.references.first)
        #expect(reference.path == "m.name|nearest:pypi")
        #expect(reference.filter == Template.Filter("nearest:pypi"))
        #expect(reference.unfiltered.path == "m.name")
        let shown = template.render { $0.filter == nil ? ["reqeusts"] : ["requests"] }
        #expect(shown == "did you mean requests?")
        #expect(template.render { _ in [] } == "")
    }

    func loadErrors(title: String, condition: String = "") -> [String] {
        let folder = TemporaryDirectory()
        folder.write("events/demo.yaml", """
        events:
          - id: demo-missing
            kind: demo.missing
            pattern: '^missing: (?<package>\\S+)$'
            examples: ['missing: x']
        """)
        folder.write("demo-rule.yaml", """
        id: demo-rule
        ecosystem: demo
        severity: error
        summary: A demo rule.
        title: '\(title)'
        explanation: '{{m.package}} is missing.'
        fixes:
          - summary: Install it.
        match:
          - as: m
            event: demo.missing
        \(condition)
        """)
        do {
            _ = try RuleSet.load(from: [folder.path])
            return []
        } catch {
            return error.errors.map(\.message)
        }
    }

    @Test func theValidatorKnowsTheFilters() {
        #expect(loadErrors(title: "{{m.package}} is missing{{#m.package|nearest:npm}}: {{m.package|nearest:npm}}?{{/m.package|nearest:npm}}").isEmpty)
        #expect(loadErrors(title: "{{m.package|closest:npm}} is missing").contains { $0.contains("unknown filter 'closest'") })
        #expect(loadErrors(title: "{{m.package|nearest:maven}} is missing").contains { $0.contains("needs one of pypi, npm") })
        #expect(loadErrors(title: "{{m.package|nearest}} is missing").contains { $0.contains("needs one of") })
        let inCondition = loadErrors(title: "{{m.package}} is missing", condition: """
              - as: n
                event: demo.missing
                where:
                  package: { equals: '{{m.package|nearest:pypi}}' }
            """)
        #expect(inCondition.contains { $0.contains("only work in titles, explanations and fixes") })
    }
}
