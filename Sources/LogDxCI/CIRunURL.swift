import Foundation

/// A pipeline's or run's web address, as copied from the browser, read as the API coordinates
/// `logdx ci` needs: `https://gitlab.com/GROUP/PROJECT/-/pipelines/ID` or
/// `https://github.com/OWNER/REPO/actions/runs/ID` (a job's page under the run works too).
public struct CIRunURL: Sendable, Equatable {
    public var provider: CIProvider
    /// The REST API root on the same host: `/api/v4` on GitLab; `api.github.com` for github.com,
    /// `/api/v3` on GitHub Enterprise Server.
    public var apiURL: String
    /// GitLab's project path (`group/sub/project`); GitHub's `owner/repo`.
    public var project: String
    public var pipeline: String
    /// `host` or `host:port`: whose token to look up in gh's and glab's settings.
    public var host: String

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var url: String
        public var reason: String
        public var description: String {
            "\(url): \(reason). Pass a GitLab pipeline URL (https://gitlab.com/GROUP/PROJECT/-/pipelines/ID) or a GitHub run URL (https://github.com/OWNER/REPO/actions/runs/ID)."
        }
    }

    public static func parse(_ text: String) throws(ParseError) -> CIRunURL {
        func fail(_ reason: String) -> ParseError { ParseError(url: text, reason: reason) }
        guard let components = URLComponents(string: text.trimmingCharacters(in: .whitespaces)),
              let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
              let hostName = components.host, !hostName.isEmpty else {
            throw fail("not a web address")
        }
        let host = components.port.map { "\(hostName):\($0)" } ?? hostName
        let origin = "\(scheme)://\(host)"
        let segments = components.path.split(separator: "/").map(String.init)
        if let dash = segments.firstIndex(of: "-"), dash > 0, dash + 1 < segments.count {
            let project = segments[..<dash].joined(separator: "/")
            switch segments[dash + 1] {
            case "pipelines":
                guard dash + 2 < segments.count, isNumber(segments[dash + 2]) else { throw fail("the pipeline id is missing after /-/pipelines/") }
                return CIRunURL(provider: .gitlab, apiURL: origin + "/api/v4", project: project, pipeline: segments[dash + 2], host: host)
            case "jobs":
                throw fail("a job's page; logdx reads the whole pipeline: open the job's pipeline and pass that URL")
            default:
                break
            }
        }
        if segments.count >= 5, segments[2] == "actions", segments[3] == "runs" {
            guard isNumber(segments[4]) else { throw fail("the run id is missing after /actions/runs/") }
            let api = hostName.lowercased() == "github.com" || hostName.lowercased() == "www.github.com"
                ? "https://api.github.com" : origin + "/api/v3"
            return CIRunURL(provider: .github, apiURL: api, project: segments[0] + "/" + segments[1], pipeline: segments[4], host: host)
        }
        throw fail("neither a GitLab pipeline nor a GitHub Actions run")
    }

    private static func isNumber(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
