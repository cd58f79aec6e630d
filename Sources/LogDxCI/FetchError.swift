import Foundation

/// Why the CI's API could not be read. Every message names the request, what went wrong and what
/// to change; none contains a token (requests carry them in headers, which are never printed).
public enum FetchError: Error, Equatable, CustomStringConvertible {
    /// No answer: DNS, refused connection, TLS, timeout, a connection cut mid-way.
    case network(request: String, reason: String)
    /// 401: the token is missing, expired or wrong.
    case unauthorized(request: String, tokenVariable: String, provider: CIProvider)
    /// 403 that is not a rate limit: the token lacks a scope or the project is out of reach.
    case forbidden(request: String, tokenVariable: String, provider: CIProvider, message: String)
    case notFound(request: String, message: String)
    /// Still rate-limited after waiting as long as allowed.
    case rateLimited(request: String, retryAfter: Int?)
    /// Any other status.
    case status(request: String, code: Int, message: String)
    /// An answer that is not what the API documents (not JSON, missing fields, too large).
    case invalidResponse(request: String, reason: String)
    /// The hook's deadline passed before the answer came.
    case pastDeadline(request: String)

    public var description: String {
        switch self {
        case .network(let request, let reason):
            return "\(request): no answer (\(reason)). Check that the runner can reach the API and that the API URL is right."
        case .unauthorized(let request, let variable, let provider):
            return "\(request): 401 Unauthorized — the token in \(variable) was refused (missing, expired or revoked). " + provider.tokenAdvice(variable)
        case .forbidden(let request, let variable, let provider, let message):
            return "\(request): 403 Forbidden\(message.isEmpty ? "" : " (\(message))") — the token in \(variable) may not read this pipeline. " + provider.tokenAdvice(variable)
        case .notFound(let request, let message):
            return "\(request): 404 Not Found\(message.isEmpty ? "" : " (\(message))"). Check the project or repository and pipeline or run ids; a token without access also gets 404 for private projects."
        case .rateLimited(let request, let retryAfter):
            let wait = retryAfter.map { " (the API asked to wait \($0) s, longer than logdx waits)" } ?? ""
            return "\(request): rate limited\(wait). Run the hook again later, or use a token with a higher limit."
        case .status(let request, let code, let message):
            return "\(request): HTTP \(code)\(message.isEmpty ? "" : " (\(message))")."
        case .invalidResponse(let request, let reason):
            return "\(request): unexpected answer (\(reason)). Is the API URL that of the CI's REST API?"
        case .pastDeadline(let request):
            return "\(request): no answer before the deadline (--deadline)."
        }
    }
}
