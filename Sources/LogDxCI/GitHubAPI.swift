import Foundation
import LogDx

/// GitHub's REST API: a workflow run, its jobs, and their logs (one zip for a finished run, or
/// one text file per finished job).
struct GitHubAPI: Sendable {
    let settings: CISettings
    let requester: APIRequester

    init(settings: CISettings, client: HTTPClient) {
        self.settings = settings
        requester = APIRequester(client: client, provider: .github, headers: [
            "Authorization": "Bearer \(settings.token)",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        ], tokenVariable: settings.tokenVariable)
    }

    struct Run: Decodable {
        var status: String?
    }

    struct Job: Decodable {
        var id: Int
        var name: String
        var status: String
        var conclusion: String?
        var started_at: String?
        var html_url: String?
    }

    private struct JobsPage: Decodable {
        var total_count: Int
        var jobs: [Job]
    }

    private var repositoryURL: String {
        // owner/repo stays two segments; each is escaped on its own.
        settings.apiURL.absoluteString + "/repos/" + settings.project.split(separator: "/").map { APIRequester.segment(String($0)) }.joined(separator: "/")
    }

    func run() async throws(FetchError) -> Run {
        let url = try makeURL("\(repositoryURL)/actions/runs/\(APIRequester.segment(settings.pipeline))")
        return try requester.decode(Run.self, from: try await requester.getJSON(url))
    }

    /// The run's jobs, latest attempt only, up to the caps; `cap` says which one stopped a list
    /// that went on.
    func jobs(limits: FetchLimits) async throws(FetchError) -> (jobs: [Job], cap: FetchLimits.ListCap?) {
        var url: URL? = try makeURL("\(repositoryURL)/actions/runs/\(APIRequester.segment(settings.pipeline))/jobs?per_page=100&filter=latest")
        var all: [Job] = []
        var pages = 0
        while let current = url {
            if all.count >= limits.maxJobs { return (Array(all.prefix(limits.maxJobs)), .jobs) }
            if pages >= limits.maxPages { return (all, .pages) }
            let response = try await requester.getJSON(current)
            let page = try requester.decode(JobsPage.self, from: response)
            all += page.jobs
            pages += 1
            url = APIRequester.nextLink(response.header("link"))
            if page.jobs.isEmpty || all.count >= page.total_count { break }
        }
        guard all.count > limits.maxJobs else { return (all, nil) }
        return (Array(all.prefix(limits.maxJobs)), .jobs)
    }

    /// The finished run's logs as GitHub's zip (a redirect to blob storage).
    func downloadRunLogs(into capture: LogCapture) async throws(FetchError) -> HTTPResponse {
        try await requester.download(try makeURL("\(repositoryURL)/actions/runs/\(APIRequester.segment(settings.pipeline))/logs"), into: capture)
    }

    func downloadJobLog(_ job: Job, into capture: LogCapture) async throws(FetchError) -> HTTPResponse {
        try await requester.download(try makeURL("\(repositoryURL)/actions/jobs/\(job.id)/logs"), into: capture)
    }

    private func makeURL(_ text: String) throws(FetchError) -> URL {
        guard let url = URL(string: text) else { throw .invalidResponse(request: text, reason: "cannot form the URL") }
        return url
    }

    /// The status logdx gives a job; nil when it has no log to read (skipped, still running).
    static func status(_ job: Job) -> JobStatus? {
        guard job.status == "completed" else { return nil }
        switch job.conclusion {
        case "success": return .success
        case "failure", "timed_out", "startup_failure": return .failed
        case "cancelled": return .canceled
        case "skipped": return nil
        default: return .unknown
        }
    }
}
