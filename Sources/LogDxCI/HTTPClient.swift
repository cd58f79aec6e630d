import Foundation
import LogDx
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one way logdx talks HTTP: GETs and POSTs with credentials in headers, redirects followed by
/// hand (credentials never go to another host: GitHub sends logs from blob storage), and retries
/// that honour the API's own pacing (429 Retry-After, GitHub's rate-limit reset, 502–504).
public final class HTTPClient: Sendable {
    public struct Policy: Sendable {
        /// Attempts per request, the first included.
        public var attempts = 4
        /// The longest the client waits in one pause before it gives up.
        public var longestWait: TimeInterval = 60
        /// Seconds without any byte before a request fails.
        public var idleTimeout: TimeInterval = 60
        /// Pauses between attempts after network errors and 5xx answers.
        public var backoff: [TimeInterval] = [1, 2, 4]

        public init() {}
    }

    /// Header names that carry credentials: dropped when a redirect leaves the API's host.
    static let credentialHeaders: Set<String> = ["authorization", "private-token", "job-token"]
    /// Bodies read into memory (JSON pages, error pages) are capped; logs go to files.
    static let memoryLimit = 64 * 1024 * 1024
    static let maxRedirects = 5

    public let policy: Policy
    private let session: URLSession
    private let delegate: TransferDelegate
    private let log: @Sendable (String) -> Void

    /// `log` receives one line per wait or retry, for the user to see why the hook is slow.
    public init(policy: Policy = Policy(), log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.policy = policy
        self.log = log
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.idleTimeout
        configuration.httpAdditionalHeaders = ["User-Agent": "logdx/\(LogDxVersion.current)"]
        delegate = TransferDelegate()
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// `GET url`, body in memory.
    public func get(_ url: URL, headers: [String: String]) async -> Result<HTTPResponse, TransportFailure> {
        await send(method: "GET", url: url, headers: headers, body: nil, downloadTo: nil)
    }

    /// `GET url` streamed into `path`; a transfer cut short leaves what arrived in the file and
    /// says so in `cutOff`.
    public func download(_ url: URL, headers: [String: String], to path: String) async -> Result<HTTPResponse, TransportFailure> {
        await send(method: "GET", url: url, headers: headers, body: nil, downloadTo: path)
    }

    /// `POST` or `PUT` a JSON body.
    public func send(_ method: String, _ url: URL, headers: [String: String], json: Data) async -> Result<HTTPResponse, TransportFailure> {
        var headers = headers
        headers["Content-Type"] = "application/json"
        return await send(method: method, url: url, headers: headers, body: json, downloadTo: nil)
    }

    /// Why no usable answer came: the request as shown to users, and the last reason.
    public struct TransportFailure: Error, Sendable {
        public var request: String
        public var reason: String
        /// The client gave up waiting for a rate limit; the seconds the server asked for.
        public var rateLimitedFor: Int?
        /// The last answer, when the failure is an answer (a 429 after the last attempt).
        public var lastStatus: Int?
    }

    private func send(method: String, url: URL, headers: [String: String], body: Data?, downloadTo path: String?) async -> Result<HTTPResponse, TransportFailure> {
        let shown = "\(method) \(Self.display(url))"
        var lastReason = ""
        var partial: HTTPResponse?
        for attempt in 0..<policy.attempts {
            let outcome = await follow(method: method, url: url, headers: headers, body: body, downloadTo: path)
            switch outcome {
            case .answer(let response):
                guard let wait = retryDelay(for: response, attempt: attempt) else { return .success(response) }
                if wait > policy.longestWait || attempt == policy.attempts - 1 {
                    if response.status == 429 || response.status == 403 {
                        return .failure(TransportFailure(request: shown, reason: "rate limited", rateLimitedFor: Int(wait.rounded(.up)), lastStatus: response.status))
                    }
                    return .success(response)
                }
                log("\(shown): HTTP \(response.status); retrying in \(Self.seconds(wait))")
                try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
            case .cutOff(let response, let reason):
                partial = response
                lastReason = reason
                guard attempt < policy.attempts - 1 else { break }
                let wait = policy.backoff[min(attempt, policy.backoff.count - 1)]
                log("\(shown): \(reason); retrying in \(Self.seconds(wait))")
                try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
            case .failed(let reason, let retryable):
                lastReason = reason
                guard retryable, attempt < policy.attempts - 1 else { break }
                let wait = policy.backoff[min(attempt, policy.backoff.count - 1)]
                log("\(shown): \(reason); retrying in \(Self.seconds(wait))")
                try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
                continue
            }
            if case .failed(_, let retryable) = outcome, !retryable { break }
        }
        // A download that kept being cut short: what arrived is worth diagnosing, marked as such.
        if let partial { return .success(partial) }
        return .failure(TransportFailure(request: shown, reason: lastReason))
    }

    private enum Outcome {
        case answer(HTTPResponse)
        /// The body stopped before its end; the response carries what was written.
        case cutOff(HTTPResponse, String)
        case failed(String, retryable: Bool)
    }

    /// One attempt, redirects included.
    private func follow(method: String, url: URL, headers: [String: String], body: Data?, downloadTo path: String?) async -> Outcome {
        var current = url
        var headers = headers
        var method = method
        var body = body
        for _ in 0...Self.maxRedirects {
            var request = URLRequest(url: current)
            request.httpMethod = method
            request.httpBody = body
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let result = await transfer(request, downloadTo: path)
            guard let http = result.response else {
                let reason = result.error.map(Self.reason) ?? "no response"
                return .failed(reason, retryable: !(result.error is DownloadWriteError))
            }
            var response = HTTPResponse(
                status: http.statusCode, headers: Self.headers(of: http), body: result.body, url: current,
                bytesWritten: result.bytesWritten)
            response.expectedLength = response.header("content-length").flatMap { Int($0) }
            if [301, 302, 303, 307, 308].contains(http.statusCode), let location = response.header("location"),
               let next = URL(string: location, relativeTo: current)?.absoluteURL {
                if !Self.sameOrigin(current, next) {
                    headers = headers.filter { !Self.credentialHeaders.contains($0.key.lowercased()) }
                }
                if http.statusCode == 303 { method = "GET"; body = nil }
                current = next
                continue
            }
            if let error = result.error {
                guard path != nil, (200..<300).contains(http.statusCode) else {
                    return .failed(Self.reason(error), retryable: true)
                }
                let expected = response.expectedLength.map { " of \($0)" } ?? ""
                response.cutOff = "the connection closed after \(result.bytesWritten)\(expected) bytes (\(Self.reason(error)))"
                return .cutOff(response, response.cutOff!)
            }
            return .answer(response)
        }
        return .failed("more than \(Self.maxRedirects) redirects", retryable: false)
    }

    private func transfer(_ request: URLRequest, downloadTo path: String?) async -> TransferDelegate.Outcome {
        await withCheckedContinuation { continuation in
            let task = session.dataTask(with: request)
            delegate.register(task, TransferDelegate.Transfer(filePath: path, memoryLimit: Self.memoryLimit) {
                continuation.resume(returning: $0)
            })
            task.resume()
        }
    }

    /// How long to wait before trying again, or nil when the answer is final.
    private func retryDelay(for response: HTTPResponse, attempt: Int) -> TimeInterval? {
        switch response.status {
        case 429:
            return Self.retryAfter(response) ?? policy.backoff[min(attempt, policy.backoff.count - 1)]
        case 403 where response.header("x-ratelimit-remaining") == "0":
            // GitHub's primary rate limit: a 403 with the reset time as epoch seconds.
            if let reset = response.header("x-ratelimit-reset").flatMap(Double.init) {
                return max(1, reset - Date().timeIntervalSince1970)
            }
            return Self.retryAfter(response) ?? 60
        case 502, 503, 504:
            return Self.retryAfter(response) ?? policy.backoff[min(attempt, policy.backoff.count - 1)]
        default:
            return nil
        }
    }

    /// `Retry-After` as seconds or as an HTTP date.
    static func retryAfter(_ response: HTTPResponse) -> TimeInterval? {
        guard let value = response.header("retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Double(value) { return max(0, seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max(0, $0.timeIntervalSinceNow) }
    }

    static func headers(of response: HTTPURLResponse) -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let name = name as? String, let value = value as? String { result[name.lowercased()] = value }
        }
        return result
    }

    static func sameOrigin(_ a: URL, _ b: URL) -> Bool {
        a.scheme?.lowercased() == b.scheme?.lowercased() && a.host?.lowercased() == b.host?.lowercased() && a.port == b.port
    }

    /// The URL as messages show it: without user info, which may hold a password.
    static func display(_ url: URL) -> String {
        guard var parts = URLComponents(url: url, resolvingAgainstBaseURL: true) else { return url.absoluteString }
        parts.user = nil
        parts.password = nil
        return parts.string ?? url.absoluteString
    }

    static func reason(_ error: any Error) -> String {
        if let write = error as? DownloadWriteError { return write.message }
        let ns = error as NSError
        if let text = ns.userInfo[NSLocalizedDescriptionKey] as? String, !text.isEmpty, text != "(null)" { return text }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError,
           let text = underlying.userInfo[NSLocalizedDescriptionKey] as? String { return text }
        switch ns.code {
        case NSURLErrorTimedOut: return "timed out"
        case NSURLErrorCannotConnectToHost: return "connection refused"
        case NSURLErrorCannotFindHost: return "unknown host"
        case NSURLErrorNetworkConnectionLost: return "connection lost"
        default: return ns.localizedDescription
        }
    }

    static func seconds(_ value: TimeInterval) -> String {
        value < 10 ? String(format: "%.1f s", value) : "\(Int(value.rounded())) s"
    }
}
