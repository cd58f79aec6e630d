import Foundation
import Testing
@testable import LogDx
import PCRE2
import TestSupport

/// The table of secret formats and the redactor over it: every format compiles, masks its own
/// generated examples wherever they stand, keeps the names, and leaves ordinary log lines alone.
@Suite struct SecretFormatTests {
    let redactor = SecretRedactor()

    @Test func everyPatternCompiles() {
        #expect(SecretRedactor.unavailableFormats.isEmpty)
    }

    @Test func theTableCoversTheFamiliesOfAMatureScanner() {
        let formats = SecretFormat.all
        #expect(formats.count >= 40)
        #expect(Set(formats.map(\.id)).count == formats.count, "format ids must be unique")
        for family in SecretFormat.Family.allCases {
            #expect(formats.contains { $0.family == family }, "no format of family \(family)")
        }
        for format in formats {
            #expect(!format.source.isEmpty && !format.literals.isEmpty, "\(format.id) needs a source and literals")
            // The prefilter folds ASCII case; a literal with an upper-case letter would still work,
            // but lower case is the convention that keeps the table readable.
            #expect(format.literals.allSatisfy { $0 == $0.lowercased() }, "\(format.id): literals are written in lower case")
        }
    }

    /// Each format's examples, alone and in the middle of a log line, with many generated values.
    @Test(arguments: SecretFormat.all.map(\.id))
    func examplesAreMaskedAndTheirContextKept(id: String) throws {
        let format = try #require(SecretFormat.all.first { $0.id == id })
        for seed in UInt64(1)...40 {
            let instance = format.example.instance(seed: seed)
            for text in [instance.text, "error: \(instance.text) rejected", "\t\(instance.text)\n"] {
                let redacted = redactor.redact(text)
                for piece in instance.distinctive {
                    #expect(!redacted.contains(piece), "\(id): \(piece) survived in \(redacted)")
                }
                #expect(redacted.contains(SecretRedactor.mask))
                #expect(redactor.redact(redacted) == redacted, "\(id): redacting twice changes \(redacted)")
            }
            // The name, the command, the URL's host: everything before the secret stays.
            #expect(redactor.redact(instance.text).hasPrefix(format.example.before), "\(id) lost its context")
        }
    }

    /// A format's required bytes are a shortcut, never a filter that lets a secret pass: its own
    /// examples hold every one of them, and without any one of them (each occurrence blanked)
    /// the format's own pattern finds nothing in those examples either.
    @Test(arguments: SecretFormat.all.filter { !$0.requiredBytes.isEmpty }.map(\.id))
    func requiredBytesAreOnesThePatternNeeds(id: String) throws {
        let format = try #require(SecretFormat.all.first { $0.id == id })
        let pattern = try Pattern(format.pattern)
        let scratch = MatchScratch()
        for seed in UInt64(1)...40 {
            let text = format.example.instance(seed: seed).text
            for byte in format.requiredBytes {
                #expect(text.utf8.contains(byte), "\(id): its example \(text) lacks \(UnicodeScalar(byte))")
                let blanked = String(decoding: text.utf8.map { $0 == byte ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
                if case .matched = pattern.firstMatch(in: blanked, scratch: scratch) {
                    Issue.record("\(id) matches \(blanked) without \(UnicodeScalar(byte)): it is not required")
                }
            }
        }
    }

    /// The lines of a test run are left alone, and a secret beside them is still found.
    @Test func testLogWordsDoNotHideASecret() {
        #expect(redactor.redact("==== 12 passed, 1 skipped in 3.02s ====") == "==== 12 passed, 1 skipped in 3.02s ====")
        #expect(redactor.redact("tests/test_auth.py::test_token_refresh PASSED [ 50%]") == "tests/test_auth.py::test_token_refresh PASSED [ 50%]")
        #expect(redactor.redact("12 passed; DB_PASSWORD=hunter2-Correct") == "12 passed; DB_PASSWORD=[REDACTED]")
        #expect(redactor.redact("<password>hunter2-Correct</password>") == "<password>[REDACTED]</password>")
    }

    /// The lines the probe of issue 11 showed leaking, in the wording it used.
    @Test(arguments: [
        ("aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
        ("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
        ("  aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI"),
        ("//registry.npmjs.org/:_authToken=npm_9f3KqLx0Vb7TzR2mWc5YdE8hJ1uN4sA6gP0i", "npm_9f3KqLx0"),
        ("//registry.npmjs.org/:_authToken=Xq9f3KqLx0Vb7TzR2mW", "Xq9f3KqLx0Vb"),
        ("npm error 401 token npm_9f3KqLx0Vb7TzR2mWc5YdE8hJ1uN4sA6gP0i rejected", "npm_9f3KqLx0"),
        ("$ twine upload -u __token__ -p pypi-AgEIcHlwaS5vcmcCJGI5ZjM0NzE2LWJhZWMtNGQ4OS05YmI1 dist/*", "CJGI5ZjM0NzE2"),
        ("kubectl: token eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQifQ.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA expired", "c2lnbmF0dXJlLXBh"),
        ("const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYWRtaW4ifQ.ZmFrZS1zaWduYXR1cmUtZm9yLXRlc3Q';", "ZmFrZS1zaWdu"),
        ("machine api.heroku.com login deploy@example.com password 8c1f3e9a0b7d", "8c1f3e9a0b7d"),
        ("  password 8c1f3e9a0b7d", "8c1f3e9a0b7d"),
        ("DB_PASSWORD: 'hunter2-Correct-Horse-42'", "hunter2-Correct"),
        ("  password: Bluebird", "Bluebird"),
        ("export SECRET_TOKEN: Bluebird", "Bluebird"),
        ("\"client_secret\": \"d8Jq3LxPz0Wv5Ty7Rb2N\",", "d8Jq3LxPz0Wv"),
        ("X-Api-Key: d8Jq3LxPz0Wv5Ty7Rb2N", "d8Jq3LxPz0Wv"),
        ("$ yarn config set npmAuthToken d8Jq3LxPz0Wv5Ty7Rb2N", "d8Jq3LxPz0Wv"),
        ("$ git config --global user.password d8Jq3LxPz0Wv5Ty7Rb2N", "d8Jq3LxPz0Wv"),
        ("$ keytool -genkey -keystore release.jks -storepass d8Jq3LxPz0Wv5Ty7Rb2N -alias portal", "d8Jq3LxPz0Wv"),
        ("export SMTP_PASS=d8Jq3LxPz0Wv5Ty7Rb2N", "d8Jq3LxPz0Wv"),
        ("Server=db;User Id=app;Password=d8Jq3LxPz0Wv5Ty7Rb2N;Encrypt=true", "d8Jq3LxPz0Wv"),
        ("\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\nd8Jq3LxPz0Wv5Ty7Rb2N\\n-----END PRIVATE KEY-----\\n\",", "MIIEvQIBADANBg"),
        ("\"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\\nd8Jq3LxPz0Wv5Ty7Rb2N", "d8Jq3LxPz0Wv"),
    ])
    func issueElevenLeaksAreMasked(line: String, secret: String) {
        let redacted = redactor.redact(line)
        #expect(!redacted.contains(secret), "\(secret) survived in \(redacted)")
    }

    /// Names are kept, values are masked: the line still says what was set.
    @Test func namesAreKeptValuesMasked() {
        #expect(redactor.redact("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY") == "aws_secret_access_key=[REDACTED]")
        #expect(redactor.redact("$ aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
                == "$ aws configure set aws_secret_access_key [REDACTED]")
        #expect(redactor.redact(#"  "password": "hunter2-Correct","#) == #"  "password": "[REDACTED]","#)
        #expect(redactor.redact("Authorization: Bearer d8Jq3LxPz0Wv5Ty7Rb2N") == "Authorization: Bearer [REDACTED]")
        #expect(redactor.redact("https://deploy:hunter2-Correct@registry.example.com/v2/") == "https://deploy:[REDACTED]@registry.example.com/v2/")
    }

    @Test(arguments: [
        "Cache restored from key: Linux-pip-3f1c2a9d",
        "Saving cache for successful job with key: test-protected",
        "restore-keys: |",
        "Primary key: id (integer)",
        "keyboard: us",
        "authors: Ada Lovelace, Grace Hopper",
        "$ ./configure --auth-type=none --with-keyring=no",
        "token_url: https://oauth2.googleapis.com/token",
        "max_tokens: 4096",
        "$ git config --global credential.helper store",
        "secrets: inherit",
        "password authentication failed for user \"deploy\"",
        "psql: error: FATAL:  password authentication failed for user \"deploy\"",
        "Enter passphrase for key '/root/.ssh/id_rsa':",
        "PASS: tests/test_parser.py::test_roundtrip",
        "PWD=/builds/kg-lab/rdf-portal",
        "GITHUB_TOKEN: ***",
        "CI_JOB_TOKEN=[MASKED]",
        "NPM_TOKEN=${NPM_TOKEN}",
        "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
        "token: ${{ secrets.GITHUB_TOKEN }}",
        "$ echo \"$CI_REGISTRY_PASSWORD\" | docker login -u \"$CI_REGISTRY_USER\" --password-stdin $CI_REGISTRY",
        "$ ansible-playbook --ask-vault-pass site.yml",
        "$ logdx ci --token-env READ_API_TOKEN --mr-note",
        "uses: docker://alpine:3.19@sha256:4bcff63911fcb4448bd4fdacec207030997caf25e9bea4045fa6c8c44de311d1",
        "error: Input required and not supplied: token",
        "npm error code E401",
        "Using SSH key: /root/.ssh/id_ed25519",
        "Saved the secret key to ~/.gnupg",
        "Downloading tokenizers-0.15.0-cp311-cp311-manylinux_2_17_x86_64.whl (3.6 MB)",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.2:test (default-test) on project token-cache: There are test failures.",
        "auth-service: Connection refused",
        "455|     let token = session.token();",
    ])
    func ordinaryLinesAreUntouched(line: String) {
        #expect(redactor.redact(line) == line)
    }

    /// A field cut out of a line is masked by what the whole line shows.
    @Test func fieldsAreMaskedByTheirLine() {
        var line = Array("$ aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".utf8)
        line.withUnsafeMutableBufferPointer { buffer in
            let bytes = UnsafeBufferPointer(buffer)
            let secrets = redactor.secretRanges(in: bytes)
            let valueStart = bytes.count - 40
            #expect(redactor.redact(bytes, range: valueStart..<bytes.count, secrets: secrets) == "[REDACTED]")
            // Half of the value still shows no part of it.
            #expect(redactor.redact(bytes, range: (valueStart + 20)..<bytes.count, secrets: secrets) == "[REDACTED]")
            #expect(redactor.redact(bytes, range: 2..<5, secrets: secrets) == "aws")
        }
    }

    /// A secret cut by the length limit is found before it is cut.
    @Test func aSecretAtTheCutIsMaskedNotHalved() {
        let line = String(repeating: "x", count: 490) + " ghp_" + String(repeating: "Ab1", count: 12) + " was revoked"
        var bytes = Array(line.utf8)
        let text = bytes.withUnsafeMutableBufferPointer { redactor.redactedPrefix(of: UnsafeBufferPointer($0), maxBytes: 500) }
        #expect(!text.value.contains("ghp_"))
        #expect(text.value.hasSuffix("[REDACTED]…"))
    }

    /// Pathological lines stay linear: every candidate literal, no secret.
    @Test func adversarialLinesAreFast() {
        let lines = [
            String(repeating: "key", count: 20_000),
            String(repeating: "token=", count: 10_000),
            String(repeating: "a_key: ", count: 9_000),
            String(repeating: "-----BEGIN RSA PRIVATE KEY-----", count: 2_000),
            String(repeating: "set config ", count: 6_000),
            "docker " + String(repeating: "login ", count: 10_000),
            String(repeating: "://a:b", count: 10_000),
        ]
        let clock = ContinuousClock()
        for line in lines {
            let elapsed = clock.measure { _ = redactor.redact(line) }
            #expect(elapsed < .seconds(2), "\(line.prefix(20))… took \(elapsed)")
        }
    }
}

/// The private key printed over several lines, through the engine's line-by-line consumers.
@Suite struct PrivateKeyBlockTests {
    static let key = """
        -----BEGIN RSA PRIVATE KEY-----
        Proc-Type: 4,ENCRYPTED
        DEK-Info: AES-128-CBC,2F8A1C0B7D3E9A4F6B5C8D7E9F0A1B2C

        MIIEpAIBAAKCAQEAvKq8Zr0n3Jt4H6pLw2Qm9Xc5Vb1Yd7Fs0Ge2Ui4Oa6Ek8Hn3Rt
        Jx9Lw2Qm5Vb1Yd7Fs0Ge2Ui4Oa6Ek8Hn3RtMIIEpAIBAAKCAQEAvKq8Zr0n3Jt4H6pL
        Zr0n3Jt4H6pLw2Q==
        -----END RSA PRIVATE KEY-----
        """

    func claimed(_ lines: [String]) -> [Bool] {
        var block = PrivateKeyBlock()
        return lines.map { line in
            var bytes = Array(line.utf8)
            return bytes.withUnsafeMutableBufferPointer { block.claims(UnsafeBufferPointer($0)) }
        }
    }

    @Test func theWholeBlockIsClaimedAndNothingAfter() {
        let lines = ["$ echo \"$SSH_DEPLOY_KEY\""] + Self.key.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            + ["Error loading key \"(stdin)\": error in libcrypto"]
        #expect(claimed(lines) == [false] + Array(repeating: true, count: lines.count - 2) + [false])
    }

    /// A log cut in the middle of a key, or a message quoting the marker, hides nothing after it.
    @Test func aLineThatCannotBeKeyClosesTheBlock() {
        #expect(claimed(["-----BEGIN OPENSSH PRIVATE KEY-----", "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtz",
                         "ERROR: Job failed: exit code 1"]) == [true, true, false])
        #expect(claimed(["error: expected \"-----BEGIN RSA PRIVATE KEY-----\" at the start of deploy.pem",
                         "hint: convert it with ssh-keygen -p -m PEM -f deploy.pem"]) == [true, false])
    }

    /// `logdx events` and excerpts show no body line of a printed key.
    @Test func noEventOrExcerptShowsTheKey() throws {
        let folder = TemporaryDirectory()
        let log = folder.write("deploy.log", """
            $ echo "$SSH_DEPLOY_KEY"
            \(Self.key)
            $ ssh-add - <<< "$SSH_DEPLOY_KEY"
            Error loading key "(stdin)": error in libcrypto
            ERROR: Job failed: exit code 1
            """)
        var tokenizer = Tokenizer(rules: Repo.builtInRules)
        _ = try PipelineReader().read([log], into: &tokenizer)
        let analysis = try diagnose([log])
        var shown = tokenizer.store.events.map { $0.text.value + " " + $0.fields.values.joined(separator: " ") }
        shown += analysis.excerpts.flatMap { $0.lines.map(\.text.value) }
        #expect(!analysis.excerpts.isEmpty)
        for body in ["MIIEpAIBAAKCAQEA", "Jx9Lw2Qm5Vb1Yd7F", "Zr0n3Jt4H6pLw2Q==", "2F8A1C0B7D3E9A4F"] {
            #expect(!shown.contains { $0.contains(body) }, "\(body) is shown")
        }
    }
}

/// The planted log of every format through the engine's two consumers of raw lines: every line
/// the excerpt collector keeps, and every event's text and fields.
@Suite struct PlantedLogTests {
    @Test func noLineOrEventKeepsAPlantedSecret() throws {
        let template = try String(contentsOfFile: Repo.fixtures + "/secrets/deploy-every-format.log.template", encoding: .utf8)
        let planted = try PlantedSecrets(template: template)
        let folder = TemporaryDirectory()
        let log = folder.write("deploy.log", planted.text)
        var sink = PipelineSink(tokenizer: Tokenizer(rules: Repo.builtInRules), excerpts: ExcerptCollector())
        let pipeline = try PipelineReader().read([log], into: &sink)
        #expect(pipeline.jobs.count == 1)
        // The collector's tail holds every line of a job this short: each one is checked.
        let lines = sink.excerpts.lines(ofJob: 0)
        #expect(lines.count >= planted.text.split(separator: "\n").count - 10)
        let redactor = SecretRedactor()
        for line in lines {
            let text = line.text(redactor)
            if let leak = planted.leak(in: text.value) { Issue.record("line \(line.line) keeps \(leak.format): \(text)") }
        }
        let events = sink.tokenizer.store.events
        #expect(events.count > 40)
        for event in events {
            let shown = ([event.text.value] + event.fields.values).joined(separator: "\n")
            if let leak = planted.leak(in: shown) { Issue.record("event \(event.kind) at line \(event.line) keeps \(leak.format): \(shown)") }
        }
    }
}
