import Foundation
import LibcurlLoader
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
        /// When every request must have ended: transfers still running then are stopped (a log
        /// keeps what arrived), and no request or retry starts after it.
        public var deadline: Date?
        /// The largest answer read into memory (a JSON page, an error page).
        public var answerLimit = 8 * 1024 * 1024

        public init() {}
    }

    /// Header names that carry credentials: dropped when a redirect leaves the API's host.
    static let credentialHeaders: Set<String> = ["authorization", "private-token", "job-token"]
    static let maxRedirects = 5
    static let deadlineReason = "the deadline passed"

    public let policy: Policy
    private let session: URLSession
    private let delegate: TransferDelegate
    private let log: @Sendable (String) -> Void

    /// libcurl, which URLSession runs on, could not be loaded (it is loaded on first use, not
    /// linked: see `Libcurl`).
    public struct TransportMissing: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String {
            "libcurl could not be loaded (\(reason)); install it (Debian and Ubuntu: libcurl4, Fedora: libcurl)"
        }
    }

    /// `log` receives one line per wait or retry, for the user to see why the hook is slow.
    public init(policy: Policy = Policy(), log: @escaping @Sendable (String) -> Void = { _ in }) throws(TransportMissing) {
        if let reason = Libcurl.load() { throw TransportMissing(reason: reason) }
        self.policy = policy
        self.log = log
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = policy.idleTimeout
        configuration.httpAdditionalHeaders = ["User-Agent": "logdx/\(LogDxVersion.current)"]
        delegate = TransferDelegate()
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// `GET url`, body in memory (at most `policy.answerLimit` bytes).
    public func get(_ url: URL, headers: [String: String]) async -> Result<HTTPResponse, TransportFailure> {
        await send(method: "GET", url: url, headers: headers, body: nil, destination: .memory(limit: policy.answerLimit))
    }

    /// `GET url` streamed into `capture`; a transfer cut short leaves what arrived there and says
    /// so in `cutOff`.
    func download(_ url: URL, headers: [String: String], into capture: LogCapture) async -> Result<HTTPResponse, TransportFailure> {
        await send(method: "GET", url: url, headers: headers, body: nil, destination: .capture(capture))
    }

    /// `POST` or `PUT` a JSON body.
    public func send(_ method: String, _ url: URL, headers: [String: String], json: Data) async -> Result<HTTPResponse, TransportFailure> {
        var headers = headers
        headers["Content-Type"] = "application/json"
        return await send(method: method, url: url, headers: headers, body: json, destination: .memory(limit: policy.answerLimit))
    }

    /// Why no usable answer came: the request as shown to users, and the last reason.
    public struct TransportFailure: Error, Sendable {
        public var request: String
        public var reason: String
        /// The client gave up waiting for a rate limit; the seconds the server asked for.
        public var rateLimitedFor: Int?
        /// The last answer, when the failure is an answer (a 429 after the last attempt).
        public var lastStatus: Int?
        /// The answer was larger than logdx reads.
        public var tooLarge = false
        /// The deadline passed before an answer came.
        public var pastDeadline = false
    }

    private func send(method: String, url: URL, headers: [String: String], body: Data?, destination: TransferDelegate.Destination) async -> Result<HTTPResponse, TransportFailure> {
        let shown = "\(method) \(Self.display(url))"
        var failure = TransportFailure(request: shown, reason: "")
        var partial: HTTPResponse?
        attempts: for attempt in 0..<policy.attempts {
            guard !pastDeadline else {
                failure.reason = Self.deadlineReason
                failure.pastDeadline = true
                break
            }
            let outcome = await follow(method: method, url: url, headers: headers, body: body, destination: destination)
            let wait: TimeInterval
            switch outcome {
            case .answer(let response):
                guard let delay = retryDelay(for: response, attempt: attempt) else { return .success(response) }
                if delay > policy.longestWait || attempt == policy.attempts - 1 || !fitsDeadline(delay) {
                    if response.status == 429 || response.status == 403 {
                        failure.reason = "rate limited"
                        failure.rateLimitedFor = Int(delay.rounded(.up))
                        failure.lastStatus = response.status
                        return .failure(failure)
                    }
                    return .success(response)
                }
                log("\(shown): HTTP \(response.status); retrying in \(Self.seconds(delay))")
                wait = delay
            case .cutOff(let response, let reason, let retryable):
                partial = response
                failure.reason = reason
                guard retryable, attempt < policy.attempts - 1 else { break attempts }
                wait = policy.backoff[min(attempt, policy.backoff.count - 1)]
                guard fitsDeadline(wait) else { break attempts }
                log("\(shown): \(reason); retrying in \(Self.seconds(wait))")
            case .failed(let reason, let kind):
                failure.reason = reason
                failure.tooLarge = kind == .tooLarge
                failure.pastDeadline = kind == .pastDeadline
                guard kind == .retryable, attempt < policy.attempts - 1 else { break attempts }
                wait = policy.backoff[min(attempt, policy.backoff.count - 1)]
                guard fitsDeadline(wait) else { break attempts }
                log("\(shown): \(reason); retrying in \(Self.seconds(wait))")
            }
            try? await Task.sleep(nanoseconds: UInt64(wait * 1_000_000_000))
        }
        // A download that kept being cut short: what arrived is worth diagnosing, marked as such.
        if let partial { return .success(partial) }
        return .failure(failure)
    }

    private var pastDeadline: Bool { policy.deadline.map { Date() >= $0 } ?? false }

    /// Whether a pause of `seconds` still ends before the deadline.
    private func fitsDeadline(_ seconds: TimeInterval) -> Bool {
        policy.deadline.map { Date().addingTimeInterval(seconds) < $0 } ?? true
    }

    private enum Outcome {
        case answer(HTTPResponse)
        /// The body stopped before its end; the response carries what arrived.
        case cutOff(HTTPResponse, String, retryable: Bool)
        case failed(String, FailureKind)
    }

    private enum FailureKind {
        case retryable, final, tooLarge, pastDeadline
    }

    /// One attempt, redirects included.
    private func follow(method: String, url: URL, headers: [String: String], body: Data?, destination: TransferDelegate.Destination) async -> Outcome {
        var current = url
        var headers = headers
        var method = method
        var body = body
        for _ in 0...Self.maxRedirects {
            var request = URLRequest(url: current)
            request.httpMethod = method
            request.httpBody = body
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let result = await transfer(request, into: destination)
            if result.error is BodyTooLarge {
                return .failed(result.error.map(Self.reason) ?? "", .tooLarge)
            }
            guard let http = result.response else {
                if result.stoppedBecause != nil { return .failed(Self.deadlineReason, .pastDeadline) }
                let reason = result.error.map(Self.reason) ?? "no response"
                return .failed(reason, result.error is DownloadWriteError ? .final : .retryable)
            }
            var response = HTTPResponse(
                status: http.statusCode, headers: Self.headers(of: http), body: result.body, url: current,
                bytesWritten: result.bytesReceived)
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
            let isLog: Bool
            if case .capture = destination { isLog = (200..<300).contains(http.statusCode) } else { isLog = false }
            if let reason = result.stoppedBecause {
                guard isLog else { return .failed(reason, .pastDeadline) }
                let cut = "\(reason) after \(result.bytesReceived) bytes"
                response.cutOff = cut
                return .cutOff(response, cut, retryable: false)
            }
            if let error = result.error {
                if error is DownloadWriteError { return .failed(Self.reason(error), .final) }
                guard isLog else { return .failed(Self.reason(error), .retryable) }
                let expected = response.expectedLength.map { " of \($0)" } ?? ""
                let cut = "the connection closed after \(result.bytesReceived)\(expected) bytes (\(Self.reason(error)))"
                response.cutOff = cut
                return .cutOff(response, cut, retryable: true)
            }
            return .answer(response)
        }
        return .failed("more than \(Self.maxRedirects) redirects", .final)
    }

    /// One request on the session. The continuation is resumed by the transfer's `finish`,
    /// which the delegate calls exactly once; with a deadline, the transfer is stopped then if it
    /// has not ended, so no request can hold the hook past it.
    private func transfer(_ request: URLRequest, into destination: TransferDelegate.Destination) async -> TransferDelegate.Outcome {
        await withCheckedContinuation { continuation in
            let task = session.dataTask(with: request)
            delegate.register(task, TransferDelegate.Transfer(destination: destination) {
                continuation.resume(returning: $0)
            })
            if let deadline = policy.deadline {
                let delegate = self.delegate, queue = session.delegateQueue
                DispatchQueue.global().asyncAfter(deadline: .now() + max(0, deadline.timeIntervalSinceNow)) {
                    queue.addOperation { delegate.stop(task, because: Self.deadlineReason) }
                }
            }
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
        if let large = error as? BodyTooLarge { return large.description }
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
