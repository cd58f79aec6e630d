/// Whether a variable, flag or key name says its value is a credential, and whether that value is
/// a real one rather than a placeholder.
///
/// The patterns find `name = value` where the name merely contains a secret word; this decides on
/// the name's words (split at `_ - . /` and camelCase), the way gitleaks' generic-api-key rule is
/// narrowed by its allow-lists: `DB_PASSWORD`, `npmAuthToken`, `X-Api-Key`, `aws_secret_access_key`
/// are secret; `keyboard`, `authors`, `cache_key`, `auth-type`, `token_url`, `credential.helper`,
/// `max_tokens` are not.
enum SecretName {
    /// The name holds a secret (for `name=value`, `name: value`, `set name value`).
    static func isSecret(_ name: Substring) -> Bool {
        let words = self.words(name)
        guard let last = words.last, !descriptors.contains(last) else { return false }
        return words.indices.contains { isSecretWord(words, at: $0) }
    }

    /// A command-line flag whose next argument is a secret: its last word must be the secret word
    /// (`--api-key X`, not `--password-stdin`), and it must not ask for one (`--ask-vault-pass`).
    static func isSecretFlag(_ name: Substring) -> Bool {
        let words = self.words(name)
        guard let first = words.first, !askingWords.contains(first) else { return false }
        return isSecretWord(words, at: words.count - 1)
    }

    /// A value that is a reference, a placeholder or an ordinary word rather than a credential.
    static func isPlaceholder(_ value: Substring) -> Bool {
        var bare = value
        var quoted = false
        if let first = bare.first, first == "\"" || first == "'" {
            bare = bare.dropFirst()
            if bare.last == first { bare = bare.dropLast() }
            quoted = true
        }
        guard bare.count >= 3 else { return true }
        if let first = bare.first, "$%<@".contains(first) { return true }
        if bare.hasPrefix("{{") || bare.hasPrefix(SecretRedactor.mask) || bare.hasPrefix("[MASKED]") { return true }
        if bare.allSatisfy({ $0 == "*" || $0 == "x" || $0 == "X" || $0 == "." || $0 == "…" }) { return true }
        let lower = bare.lowercased()
        if placeholderWords.contains(lower) { return true }
        return !quoted && ordinaryWords.contains(lower)
    }

    /// An unquoted run of letters too short to be a generated secret: a word of a sentence.
    static func isProse(_ value: Substring) -> Bool {
        guard let first = value.first, first != "\"" && first != "'" else { return false }
        return value.count < 16 && value.allSatisfy { $0.isASCII && $0.isLetter || $0 == "." || $0 == "," }
    }

    /// The lower-cased words of a name: `npmAuthToken` → npm auth token, `X-API-Key` → x api key.
    static func words(_ name: Substring) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(name)
        for (index, character) in characters.enumerated() {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(current.lowercased()); current = "" }
                continue
            }
            if character.isUppercase, let previous = current.last {
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    words.append(current.lowercased())
                    current = ""
                }
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current.lowercased()) }
        return words
    }

    private static func isSecretWord(_ words: [String], at index: Int) -> Bool {
        let word = words[index]
        let isLast = index == words.count - 1
        if word.contains("secret") { return word != "secrets" && !word.hasPrefix("secretar") }
        if word.contains("token") { return word != "tokens" && !word.contains("tokeniz") }
        if word.contains("passw") || word.contains("passphrase") || word.contains("passcode") { return true }
        // `DB_PASS`, `SMTP_PWD`: short forms only as the last word of a longer name (alone, `PASS:`
        // is a test result and `PWD` the working directory).
        if word == "pass" || word == "pwd" || word == "pw" { return isLast && words.count > 1 }
        if word.hasSuffix("pass") { return passCompounds.contains(String(word.dropLast(4))) }
        if word.contains("credential") || word == "creds" { return true }
        if word == "auth" || word == "authorization" { return true }
        if word.hasSuffix("auth") { return ["o", "basic", "proxy", "http", "bearer", "npm", "registry"].contains(String(word.dropLast(4))) }
        if word == "key" {
            // `key` alone, `cache_key`, `primary key` name no secret; `api_key`, `AccountKey` do.
            return index > 0 && !keyQualifiersThatAreNotSecret.contains(words[index - 1])
        }
        if word.hasSuffix("key") { return keyCompounds.contains(String(word.dropLast(3))) }
        return false
    }

    /// Last words that describe a secret rather than hold it (`token_url`, `password_file`, `key_id`).
    static let descriptors: Set<String> = [
        "type", "types", "method", "mode", "url", "uri", "urls", "file", "files", "path", "paths", "dir", "directory",
        "id", "ids", "name", "names", "header", "length", "len", "size", "count", "expiry", "expires", "expiration",
        "ttl", "timeout", "endpoint", "provider", "providers", "enabled", "enable", "disabled", "required", "version",
        "format", "algorithm", "alg", "strategy", "plugin", "scheme", "helper", "env", "var", "variable", "prefix",
        "suffix", "hint", "policy", "source", "location", "stdin", "fd", "cmd", "command", "field", "label", "ref",
        "arn", "scope", "scopes", "kind", "host", "port", "user", "username", "login", "at", "in", "status", "state",
        "valid", "error", "errors", "used", "usage", "limit", "min", "max", "store", "manager", "service", "rotation",
        "fingerprint", "server", "region", "hash", "generation", "check",
    ]

    private static let askingWords: Set<String> = [
        "ask", "no", "skip", "prompt", "use", "require", "disable", "enable", "allow", "show", "print", "with",
        "without", "generate", "rotate", "reset", "revoke", "list", "read", "save", "check", "verify", "validate",
    ]

    private static let keyQualifiersThatAreNotSecret: Set<String> = [
        "cache", "primary", "sort", "partition", "foreign", "public", "pub", "restore", "hot", "lookup", "hash", "map",
        "index", "idx", "idempotency", "unique", "composite", "row", "group", "routing", "shard", "object", "dedup",
        "dedupe", "cluster", "host", "gpg", "pgp", "trusted", "search", "dict", "translation", "i18n", "message",
        "feature", "flag", "state", "natural", "sequence", "schema", "bucket", "issuer", "range",
        "metadata", "label", "annotation", "config", "setting", "json", "yaml", "env", "column", "field", "dictionary",
    ]

    private static let keyCompounds: Set<String> = [
        "api", "secret", "access", "private", "signing", "auth", "master", "license", "licence", "encryption", "enc",
        "client", "app", "account", "shared", "sharedaccess", "deploy", "ssh", "service", "storage", "webhook",
        "session", "subscription", "consumer", "integration", "admin", "root", "user", "x-api", "xapi", "sign",
        "crypt", "decrypt", "encrypt", "cipher", "hmac", "jwt", "signature", "write", "ingest", "install", "sdk",
    ]

    /// `keypass`, `storepass` (keytool), `rootpass`: the secret word glued to what it protects.
    private static let passCompounds: Set<String> = [
        "key", "store", "srcstore", "deststore", "srckey", "destkey", "root", "admin", "db", "user", "vault", "sudo",
    ]

    private static let placeholderWords: Set<String> = [
        "true", "false", "null", "nil", "none", "yes", "no", "on", "off", "undefined", "empty", "inherit", "enabled",
        "disabled", "unset", "default", "auto", "required", "optional", "masked", "redacted", "hidden", "changeme",
        "<redacted>", "[masked]", "[redacted]", "secret", "password", "token", "string", "value", "bearer", "basic",
        "bot", "digest", "negotiate",
    ]

    /// Words that follow `token:` or `password` in messages, not in assignments.
    private static let ordinaryWords: Set<String> = [
        "for", "is", "was", "did", "does", "not", "must", "cannot", "can", "will", "should", "has", "have", "had",
        "the", "and", "invalid", "expired", "missing", "revoked", "provided", "found", "present", "absent", "error",
        "failed", "unknown", "authentication", "incorrect", "wrong", "mismatch", "changed", "reset", "prompt", "from",
        "with", "set", "used", "ok",
    ]
}
