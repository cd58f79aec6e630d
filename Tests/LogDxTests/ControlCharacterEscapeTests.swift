import Testing
@testable import LogDxReport

/// `escapingControlCharacters` answers plain printable ASCII from its bytes and everything else
/// from its scalars; every ASCII byte, alone and inside text, must come out as the rule says:
/// tab and printable characters as they are, newline kept only when asked, other C0 controls and
/// DEL escaped; non-ASCII text is still checked (C1 controls, separators, bidi overrides).
@Suite struct ControlCharacterEscapeTests {
    static func expected(_ byte: UInt8, keepingNewlines: Bool) -> String {
        switch byte {
        case 0x09, 0x20..<0x7F: return String(UnicodeScalar(byte))
        case 0x0A: return keepingNewlines ? "\n" : "\\n"
        case 0x0D: return "\\r"
        default: return "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
        }
    }

    @Test(arguments: [false, true])
    func everyASCIIByteIsWrittenAsTheRuleSays(keepingNewlines: Bool) {
        for byte in UInt8(0)..<0x80 {
            let text = "job " + String(UnicodeScalar(byte)) + " name"
            let want = "job " + Self.expected(byte, keepingNewlines: keepingNewlines) + " name"
            #expect(text.escapingControlCharacters(keepingNewlines: keepingNewlines) == want, "byte \(byte)")
        }
    }

    @Test func nonASCIITextIsStillChecked() {
        #expect("café ok".escapingControlCharacters() == "café ok")
        #expect("a\u{85}b".escapingControlCharacters() == "a\\u{85}b")
        #expect("a\u{2028}b".escapingControlCharacters() == "a\\u{2028}b")
        #expect("name\u{202E}gpj.exe".escapingControlCharacters() == "name\\u{202e}gpj.exe")
        #expect("日本\n語".escapingControlCharacters(keepingNewlines: true) == "日本\n語")
    }
}
