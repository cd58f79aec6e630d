import Foundation
import LogDx

/// GitLab's REST API v4: a pipeline's jobs, their traces, merge-request notes.
struct GitLabAPI: Sendable {
    let settings: CISettings
    let requester: APIRequester

    init(settings: CISettings, client: HTTPClient) {
        self.settings = settings
        // CI_JOB_TOKEN authenticates with its own header; every other token is a private token.
        let header = settings.tokenVariable == "CI_JOB_TOKEN" ? "JOB-TOKEN" : "PRIVATE-TOKEN"
        requester = APIRequester(client: client, provider: .gitlab, headers: [header: settings.token], tokenVariable: settings.tokenVariable)
    }

    struct Job: Decodable {
        var id: Int
        var name: String
        var stage: String?
        var status: String
        var allow_failure: Bool?
        var started_at: String?
        var created_at: String?
        var web_url: String?
    }

    private var projectURL: String {
        settings.apiURL.absoluteString + "/projects/" + APIRequester.segment(settings.project)
    }

    /// The pipeline's jobs (latest attempt of each), following `X-Next-Page` or `Link`, up to the
    /// caps; `cap` says which one stopped a list that went on.
    func jobs(limits: FetchLimits) async throws(FetchError) -> (jobs: [Job], cap: FetchLimits.ListCap?) {
        var url = URL(string: "\(projectURL)/pipelines/\(APIRequester.segment(settings.pipeline))/jobs?per_page=100")
        var all: [Job] = []
        var pages = 0
        while let current = url {
            if all.count >= limits.maxJobs { return (Array(all.prefix(limits.maxJobs)), .jobs) }
            if pages >= limits.maxPages { return (all, .pages) }
            let response = try await requester.getJSON(current)
            all += try requester.decode([Job].self, from: response)
            pages += 1
            if let next = response.header("x-next-page"), !next.isEmpty, let number = Int(next) {
                url = Self.page(number, of: current)
            } else {
                url = APIRequester.nextLink(response.header("link"))
            }
        }
        guard all.count > limits.maxJobs else { return (all, nil) }
        return (Array(all.prefix(limits.maxJobs)), .jobs)
    }

    static func page(_ number: Int, of url: URL) -> URL? {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return nil }
        var items = (parts.queryItems ?? []).filter { $0.name != "page" }
        items.append(URLQueryItem(name: "page", value: String(number)))
        parts.queryItems = items
        return parts.url
    }

    func downloadTrace(of job: Job, into capture: LogCapture) async throws(FetchError) -> HTTPResponse {
        guard let url = URL(string: "\(projectURL)/jobs/\(job.id)/trace") else {
            throw .invalidResponse(request: "trace of job \(job.id)", reason: "cannot form the URL")
        }
        return try await requester.download(url, into: capture)
    }

    /// Ends logdx's notes, so the next failed pipeline of the merge request updates its note
    /// instead of adding another.
    static let noteMarker = "<!-- logdx:diagnosis -->"

    struct Note: Decodable {
        var id: Int
        var body: String
        var system: Bool?
    }

    /// Shows `body` on the pipeline's merge request: updates logdx's earlier note (found by its
    /// marker among the newest notes) or posts a new one. Returns whether a note was updated.
    func upsertNote(_ body: String, mergeRequest iid: String) async throws(FetchError) -> Bool {
        let notes = "\(projectURL)/merge_requests/\(APIRequester.segment(iid))/notes"
        guard let list = URL(string: notes + "?sort=desc&order_by=updated_at&per_page=100"), let create = URL(string: notes) else {
            throw .invalidResponse(request: "merge request \(iid)", reason: "cannot form the URL")
        }
        let text = body + "\n" + Self.noteMarker + "\n"
        let json = (try? JSONSerialization.data(withJSONObject: ["body": text])) ?? Data()
        let existing = try requester.decode([Note].self, from: try await requester.getJSON(list))
            .first { $0.system != true && $0.body.contains(Self.noteMarker) }
        if let existing, let update = URL(string: "\(notes)/\(existing.id)") {
            _ = try await requester.send("PUT", update, json: json)
            return true
        }
        _ = try await requester.send("POST", create, json: json)
        return false
    }

    /// Whether a listed job has a trace to read, and the status logdx gives it.
    enum Readable: Equatable {
        /// Read its trace; the status is the API's, or nil to let the trace say (still running).
        case read(JobStatus?)
        /// It never ran (created, pending, manual, skipped …): there is no trace.
        case skip
    }

    static func readable(_ job: Job) -> Readable {
        if job.status == "running" { return .read(nil) }
        return status(word: job.status, allowFailure: job.allow_failure == true).map { .read($0) } ?? .skip
    }

    /// GitLab's status word (also `CI_JOB_STATUS`'s) as logdx's status; nil for a job that did
    /// not finish.
    static func status(word: String, allowFailure: Bool) -> JobStatus? {
        switch word {
        case "success": return .success
        case "failed": return allowFailure ? .warning : .failed
        case "canceled", "canceling": return .canceled
        default: return nil
        }
    }
}
