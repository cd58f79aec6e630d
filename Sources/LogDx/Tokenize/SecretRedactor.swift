import PCRE2

/// Removes credentials from text before it can reach any output: tokens of the big CI and cloud
/// providers, passwords in URLs, private keys, and values assigned to secret-looking variables.
public struct SecretRedactor {
    public static let mask = "[REDACTED]"

    private struct Rule {
        let pattern: Pattern
        let literals: [String]
        /// The named group to mask; the whole match when `nil`.
        let group: String?
    }

    private static let rules: [Rule] = [
        // scheme://user:password@host — keep the user, drop the password.
        Rule(pattern: try! Pattern(#"://[^/\s:@]*:(?<secret>[^@\s/]+)@"#), literals: ["://"], group: "secret"),
        Rule(pattern: try! Pattern(#"\bglpat-[A-Za-z0-9_\-]{20,}"#), literals: ["glpat-"], group: nil),
        Rule(pattern: try! Pattern(#"\bgl(?:cbt|dt|ptt|ft|imt|agent|oas|rt|soat)-[A-Za-z0-9_\-]{16,}"#), literals: ["gl"], group: nil),
        Rule(pattern: try! Pattern(#"\bgh[pousr]_[A-Za-z0-9]{30,}"#), literals: ["gh"], group: nil),
        Rule(pattern: try! Pattern(#"\bgithub_pat_[A-Za-z0-9_]{22,}"#), literals: ["github_pat_"], group: nil),
        Rule(pattern: try! Pattern(#"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"#), literals: ["akia", "asia"], group: nil),
        Rule(pattern: try! Pattern(#"\bxox[abprs]-[A-Za-z0-9-]{10,}"#), literals: ["xox"], group: nil),
        Rule(pattern: try! Pattern(#"-----BEGIN [A-Z ]*PRIVATE KEY-----"#), literals: ["private key"], group: nil),
        Rule(pattern: try! Pattern(#"(?i)\b(?:authorization:\s*(?:bearer|basic|token)|bearer)\s+(?<secret>[A-Za-z0-9_\-\.=+/]{12,})"#), literals: ["bearer", "authorization"], group: "secret"),
        // Passwords on command lines: `docker login -p …`, `--password …`, `--token=…`, `mysql -p…`.
        // `--password-stdin` and `--token-env NAME` name no secret and are left alone.
        Rule(pattern: try! Pattern(#"(?i)\b(?:docker|podman|buildah|skopeo|helm|nerdctl|oras|crane)\b[^\n]*?\blogin\b[^\n]*?\s(?:-p|--password)(?:[ =]+)["']?(?<secret>[^\s'"]+)"#), literals: ["login"], group: "secret"),
        Rule(pattern: try! Pattern(#"(?i)(?:^|\s)--(?:password|passwd|pass|token|api-key|apikey|secret|client-secret|access-token|auth-token)(?:[ =]+)["']?(?<secret>[^\s'"-][^\s'"]{3,})"#), literals: ["--pass", "--token", "--api", "--secret", "--client-secret", "--access-token", "--auth-token"], group: "secret"),
        Rule(pattern: try! Pattern(#"\bmysql(?:dump|admin)?\b[^\n]*?\s-p(?<secret>[^\s'"]+)"#), literals: ["mysql"], group: "secret"),
        // token=…, password=… in query strings and key=value output.
        Rule(pattern: try! Pattern(#"(?i)\b(?:token|password|passwd|secret|api_?key|access_?token)=(?<secret>[^\s&"']{6,})"#), literals: ["token=", "passw", "secret=", "key=", "token="], group: "secret"),
        // NAME=value and NAME: value where an upper-case variable name says it holds a secret (it
        // contains TOKEN, SECRET, PASSWORD, KEY or CREDENTIAL);
        // lower-case `key:` is left alone, since cache keys are evidence.
        Rule(pattern: try! Pattern(#"\b[A-Z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|KEY|CREDENTIAL)[A-Z0-9_]*\s*[=:]\s*["']?(?<secret>[^\s"']{4,})"#), literals: ["token", "secret", "passw", "key", "credential"], group: "secret"),
    ]

    private let scratch = MatchScratch()

    /// Every rule's literals in one automaton, so text without any costs one pass over its bytes.
    private static let literalOwners: [Int] = rules.enumerated().flatMap { index, rule in rule.literals.map { _ in index } }
    private static let prefilter = AhoCorasick(rules.flatMap { $0.literals.map { Array($0.utf8) } })

    public init() {}

    /// `text` with every secret replaced by `[REDACTED]`.
    public func redact(_ text: String) -> String {
        var candidates = Set<Int>()
        var text = text
        text.withUTF8 { bytes in
            Self.prefilter.scan(bytes) { candidates.insert(Self.literalOwners[$0]) }
        }
        guard !candidates.isEmpty else { return text }
        var bytes = Array(text.utf8)
        for (index, rule) in Self.rules.enumerated() where candidates.contains(index) {
            var searchFrom = 0
            // Bounded: each pass masks at least one secret or stops.
            for _ in 0..<64 {
                let outcome = bytes.withUnsafeBufferPointer { buffer in
                    rule.pattern.firstMatch(in: UnsafeBufferPointer(rebasing: buffer[searchFrom...]), scratch: scratch)
                }
                guard case .matched(let match) = outcome else { break }
                let range = (rule.group.flatMap { match.range(named: $0) } ?? match.range)
                let absolute = (searchFrom + range.lowerBound)..<(searchFrom + range.upperBound)
                if absolute.isEmpty { break }
                let maskBytes = Array(Self.mask.utf8)
                if Array(bytes[absolute]) != maskBytes {
                    bytes.replaceSubrange(absolute, with: maskBytes)
                }
                searchFrom = absolute.lowerBound + maskBytes.count
                if searchFrom >= bytes.count { break }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
