import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Log and config text reaches output only as `Redacted`, which the redactor makes. The type has
/// two doors besides: `Redacted(alreadyRedacted:)` for values built from redacted parts, and
/// `presented(_:)` for changes that only escape. Each use is listed here with why it is safe, so a
/// new one is a decision someone reviews, not a shortcut.
@Suite struct RedactionBoundaryTests {
    /// File → why it may build a `Redacted` from a `String`.
    static let allowed: [String: String] = [
        "LogDxModel/Redacted.swift": "the type itself: joining and presenting redacted values",
        "LogDxRedaction/SecretRedactor.swift": "the redactor: its results are redacted by definition",
        "LogDxConfig/ConfigFactBuilder.swift": "masks secret variables' values in fact lines the redactor already cleaned",
        "LogDxReport/ControlCharacters.swift": "escapes control characters in redacted text (presented)",
        "LogDxScan/RedactedColumn.swift": "reads back from the database what was stored redacted",
    ]

    @Test func onlyTheListedFilesOpenTheTypesSideDoors() throws {
        let sources = RepositoryPaths.root + "/Sources"
        let files = try #require(FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") })
        #expect(files.count > 100)
        var users: Set<String> = []
        for file in files {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            let code = text.split(separator: "\n").filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            if code.contains("alreadyRedacted:") || code.contains(".presented(") { users.insert(file) }
        }
        #expect(users.subtracting(Self.allowed.keys).isEmpty, "new ways around the redactor: \(users.subtracting(Self.allowed.keys).sorted())")
        #expect(users == Set(Self.allowed.keys), "listed files that no longer need it: \(Set(Self.allowed.keys).subtracting(users).sorted())")
    }

    @Test func aSecretInALogReachesEvidenceAndExcerptsOnlyMasked() throws {
        let folder = TemporaryDirectory()
        let token = "glpat-" + "Zq8wR2tY6uI0oP4aS7dF"
        let log = folder.write("deploy.log", """
            $ curl -H "PRIVATE-TOKEN: \(token)" https://gitlab.example.com/api/v4/projects
            curl: (6) Could not resolve host: gitlab.example.com
            ERROR: Job failed: exit code 6
            """)
        let analysis = try diagnose([log])
        let texts = analysis.diagnoses.flatMap(\.evidence).map(\.text.value) + analysis.excerpts.flatMap(\.lines).map(\.text.value)
        #expect(!texts.isEmpty)
        #expect(texts.allSatisfy { !$0.contains(token) })
        #expect(texts.contains { $0.contains(SecretRedactor.mask) })
    }
}
