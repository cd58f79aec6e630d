import Foundation
import Testing

/// The CI templates work as documented: no placeholder that fails without saying why, the system
/// packages the build needs, and a build cache that refreshes when logdx changes. Their shell
/// lines are run here as the runners would run them.
@Suite struct CITemplateTests {
    static let root = FakeCIServer.root
    static let gitlab = root + "/.ci/gitlab/logdx.gitlab-ci.yml"
    static let github = root + "/.ci/github/action.yml"

    static func sh(_ script: String, environment: [String: String], directory: String = root) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { first, _ in first }
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// The job's `before_script` block (`- |`, indented six spaces), as GitLab hands it to the shell.
    static func gitlabBeforeScript() throws -> String {
        let lines = try String(contentsOfFile: gitlab, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0 == "  before_script:" })
        #expect(lines[start + 1] == "    - |")
        return lines[(start + 2)...].prefix { $0.hasPrefix("      ") || $0.isEmpty }.map { $0.dropFirst(6) }.joined(separator: "\n")
    }

    /// Where logdx comes from is the user's to say; a missing or half-given choice stops the job
    /// with a message naming the variables, before anything is installed (no `apt-get` runs here:
    /// the messages come first, and PATH has no apt-get stand-in that would succeed).
    @Test(arguments: [
        ([:], "set the CI/CD variables LOGDX_BINARY_URL and LOGDX_BINARY_SHA256, or LOGDX_RELEASE_TAG and LOGDX_RELEASES, or LOGDX_REPOSITORY"),
        (["LOGDX_BINARY_URL": "https://example.org/logdx-0.1.0-linux-x86_64.tar.gz"], "LOGDX_BINARY_URL needs LOGDX_BINARY_SHA256"),
        (["LOGDX_RELEASE_TAG": "v0.1.0"], "LOGDX_RELEASE_TAG needs LOGDX_RELEASES"),
    ])
    func theGitLabJobNamesWhatIsMissingInsteadOfGuessing(variables: [String: String], message: String) throws {
        let template = try String(contentsOfFile: Self.gitlab, encoding: .utf8)
        #expect(!template.contains("OWNER"))
        let folder = NSTemporaryDirectory() + "logdx-gitlab-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // An apt-get that records being called, first on PATH: the checks must stop the job before it.
        let apt = folder + "/apt-get"
        try "#!/bin/sh\ntouch \(folder)/apt-get-ran\nexit 1\n".write(toFile: apt, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: apt)
        let script = "PATH=\(folder):$PATH\n" + (try Self.gitlabBeforeScript())
        let result = try Self.sh(script, environment: variables)
        #expect(result.status != 0)
        #expect(result.output.contains(message), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/apt-get-ran"))
    }

    @Test func theGitLabJobInstallsEverySystemPackageMakeDepsKnows() throws {
        let template = try String(contentsOfFile: Self.gitlab, encoding: .utf8)
        let makefile = try String(contentsOfFile: Self.root + "/Makefile", encoding: .utf8)
        // The build from source's apt-get line (the binary download's installs only curl).
        let apt = try #require(template.split(separator: "\n").first { $0.contains("apt-get install") && $0.contains(" git ") })
        let needed = try Regex(#"missing="\$\$missing ([a-z0-9-]+)"#)
        // The `deps` target only: the test and bench targets install their own tools.
        let deps = makefile.components(separatedBy: "\ndeps:").dropFirst().first?.components(separatedBy: "\n\n").first ?? ""
        let packages = deps.matches(of: needed).compactMap { $0.output[1].substring.map(String.init) }
        #expect(packages.contains("libvectorscan-dev"))
        for package in Set(packages) { #expect(apt.contains(package), "\(package) is missing from the GitLab job's apt-get line") }
    }

    @Test func theGitHubActionKeysItsCacheOnTheSourcesNotTheRef() throws {
        let action = try String(contentsOfFile: Self.github, encoding: .utf8)
        #expect(action.contains("key: logdx-${{ runner.os }}-${{ runner.arch }}-${{ steps.logdx-sources.outputs.hash }}"))
        #expect(!action.contains("- uses: OWNER/"))
        // The fingerprint step's script, as the runner runs it.
        let lines = action.split(separator: "\n", omittingEmptySubsequences: false)
        let start = try #require(lines.firstIndex { $0.contains("id: logdx-sources") })
        let run = try #require(lines[start...].firstIndex { $0.trimmingCharacters(in: .whitespaces) == "run: |" })
        let body = lines[(run + 1)...].prefix { $0.hasPrefix("        ") }.map { $0.dropFirst(8) }.joined(separator: "\n")
        let folder = NSTemporaryDirectory() + "logdx-action-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let environment = ["GITHUB_ACTION_PATH": Self.root + "/.ci/github", "GITHUB_OUTPUT": folder + "/output"]
        #expect(try Self.sh(body, environment: environment).status == 0)
        let first = try String(contentsOfFile: folder + "/output", encoding: .utf8)
        #expect(first.wholeMatch(of: try Regex(#"hash=[0-9a-f]{16}\n"#)) != nil, "\(first)")
        #expect(try Self.sh(body, environment: environment).status == 0)
        let both = try String(contentsOfFile: folder + "/output", encoding: .utf8)
        #expect(both == first + first, "the fingerprint of unchanged sources must not change")
    }
}
