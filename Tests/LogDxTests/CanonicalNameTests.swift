import Testing
@testable import LogDx

/// `RuleMatcher.canonicalName` (how `same_name` compares package names) takes ASCII names byte
/// by byte: it must give what the Character-wise definition gives, for ASCII and for the rest.
@Suite struct CanonicalNameTests {
    static func reference(_ name: String) -> String {
        String(name.lowercased().map { $0 == "_" || $0 == "." ? "-" : $0 })
    }

    @Test func everyNameIsFoldedAsTheCharacterWiseDefinitionFoldsIt() {
        var names = ["Django", "typing_extensions", "ruamel.yaml", "PyYAML", "zope.interface", "", "_", "A.B_C-d",
                     "Ünïcode_Name", "ﬁle.Name", "name\r\nline", "İstanbul", "ǅ_x", "日本語.パッケージ", "a\u{301}_B"]
        // Every ASCII byte, alone and inside a name.
        names += (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        names += (0..<128).map { "Pkg" + String(UnicodeScalar(UInt8($0))) + "Name_1.0" }
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("abcXYZ019_.-@+ Éß")
        for _ in 0..<2_000 {
            names.append(String((0..<Int.random(in: 0...12, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for name in names {
            #expect(RuleMatcher.canonicalName(name) == Self.reference(name), "\(name.debugDescription)")
        }
    }
}
