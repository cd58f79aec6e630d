import Testing
@testable import LogDxRules

/// Rendered explanations and summaries lose their trailing blanks, character by character as
/// Swift reads characters: a `\r\n` pair is one character and stays, as does a space that
/// carries a combining mark; and a long text costs the same as a short one to trim.
@Suite struct TrailingWhitespaceTests {
    @Test func trailingSpacesTabsAndNewlinesGo() {
        #expect("pip install foo \t\n\n".trimmingTrailingWhitespace() == "pip install foo")
        #expect("  indented stays".trimmingTrailingWhitespace() == "  indented stays")
        #expect(" \n\t ".trimmingTrailingWhitespace() == "")
        #expect("".trimmingTrailingWhitespace() == "")
        #expect("naïve café  ".trimmingTrailingWhitespace() == "naïve café")
    }

    @Test func aCharacterThatIsMoreThanABlankStays() {
        // "\r\n" is one Character, neither "\n" nor " ".
        #expect("line\r\n".trimmingTrailingWhitespace() == "line\r\n")
        // A space with a combining acute accent is one Character too.
        #expect("x \u{301}".trimmingTrailingWhitespace() == "x \u{301}")
        #expect("x \u{301} \n".trimmingTrailingWhitespace() == "x \u{301}")
    }

    @Test func aLongTextWithManyTrailingBlanksIsTrimmedWhole() {
        let text = String(repeating: "évidence ", count: 20_000) + String(repeating: " ", count: 5_000)
        #expect(text.trimmingTrailingWhitespace() == String(repeating: "évidence ", count: 20_000).dropLast())
    }
}
