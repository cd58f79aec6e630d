import Foundation
import Yams

/// Where a laptop keeps its CI tokens when none is in the environment: the GitHub CLI's
/// (`gh auth token`) and the GitLab CLI's (glab's `config.yml`). Used only when `logdx ci` is
/// given a pipeline URL, so a developer who is logged in to either CLI needs no other set-up.
public struct CITokenLookup: Sendable {
    public struct Found: Sendable, Equatable {
        public var token: String
        /// Named in messages instead of a variable ("the token in glab's config … was refused").
        public var source: String
    }

    public var environment: [String: String]
    /// How long `gh auth token` may take: it may ask a keyring, which can hang without a desktop.
    public var timeout: TimeInterval = 5

    public init(environment: [String: String]) {
        self.environment = environment
    }

    public func token(for provider: CIProvider, host: String) -> Found? {
        switch provider {
        case .github: return ghToken(host: host)
        case .gitlab: return glabToken(host: host)
        }
    }

    /// glab's config: `$GLAB_CONFIG_DIR/config.yml`, else `$XDG_CONFIG_HOME/glab-cli/config.yml`,
    /// else `~/.config/glab-cli/config.yml`; the token is `hosts.<host>.token`.
    func glabConfigPath() -> String? {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let folder = value("GLAB_CONFIG_DIR") { return folder + "/config.yml" }
        if let folder = value("XDG_CONFIG_HOME") { return folder + "/glab-cli/config.yml" }
        if let home = value("HOME") { return home + "/.config/glab-cli/config.yml" }
        return nil
    }

    func glabToken(host: String) -> Found? {
        guard let path = glabConfigPath(),
              let text = try? String(contentsOfFile: path, encoding: .utf8),
              let document = (try? Yams.load(yaml: text)) as? [String: Any],
              let hosts = document["hosts"] as? [String: Any] else { return nil }
        // glab names a host without its port unless the port was part of what was logged in to.
        let bare = host.split(separator: ":").first.map(String.init) ?? host
        for key in [host, bare] {
            if let entry = hosts[key] as? [String: Any], let token = entry["token"] as? String, !token.isEmpty {
                return Found(token: token, source: "glab's config (\(path))")
            }
        }
        return nil
    }

    /// `gh auth token --hostname HOST`, only when `gh` is on PATH, and only for `timeout` seconds.
    func ghToken(host: String) -> Found? {
        guard let gh = executable("gh") else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gh)
        process.arguments = ["auth", "token", "--hostname", host]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        do {
            try process.run()
        } catch {
            return nil
        }
        // Read on another thread: a full pipe must not keep gh from ending.
        nonisolated(unsafe) var data = Data()
        let read = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            data = output.fileHandleForReading.readDataToEndOfFile()
            read.signal()
        }
        guard ended.wait(timeout: .now() + timeout) == .success else {
            process.terminate()
            return nil
        }
        guard read.wait(timeout: .now() + 1) == .success, process.terminationStatus == 0 else { return nil }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty, !token.contains(where: \.isWhitespace) else { return nil }
        return Found(token: token, source: "gh's login (gh auth token)")
    }

    private func executable(_ name: String) -> String? {
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let path = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
