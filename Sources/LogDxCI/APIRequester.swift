import Foundation

/// Sends an API's requests with its credentials and turns its answers into results or
/// `FetchError`s that say what to do.
struct APIRequester: Sendable {
    let client: HTTPClient
    let provider: CIProvider
    let headers: [String: String]
    let tokenVariable: String

    func getJSON(_ url: URL) async throws(FetchError) -> HTTPResponse {
        try checked(await client.get(url, headers: headers), url: url)
    }

    func download(_ url: URL, into capture: LogCapture) async throws(FetchError) -> HTTPResponse {
        try checked(await client.download(url, headers: headers, into: capture), url: url)
    }

    func send(_ method: String, _ url: URL, json: Data) async throws(FetchError) -> HTTPResponse {
        try checked(await client.send(method, url, headers: headers, json: json), url: url, method: method)
    }

    func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponse) throws(FetchError) -> T {
        do {
            return try JSONDecoder().decode(type, from: response.body)
        } catch {
            throw .invalidResponse(request: "GET \(HTTPClient.display(response.url))", reason: Self.decodingReason(error))
        }
    }

    private func checked(_ result: Result<HTTPResponse, HTTPClient.TransportFailure>, url: URL, method: String = "GET") throws(FetchError) -> HTTPResponse {
        let request = "\(method) \(HTTPClient.display(url))"
        let response: HTTPResponse
        switch result {
        case .failure(let failure):
            if failure.rateLimitedFor != nil || failure.lastStatus == 429 {
                throw .rateLimited(request: request, retryAfter: failure.rateLimitedFor)
            }
            if failure.tooLarge { throw .invalidResponse(request: request, reason: failure.reason) }
            if failure.pastDeadline { throw .pastDeadline(request: request) }
            throw .network(request: request, reason: failure.reason)
        case .success(let answer):
            response = answer
        }
        switch response.status {
        case 200..<300:
            return response
        case 401:
            throw .unauthorized(request: request, tokenVariable: tokenVariable, provider: provider)
        case 403:
            throw .forbidden(request: request, tokenVariable: tokenVariable, provider: provider, message: response.errorMessage)
        case 404:
            throw .notFound(request: request, message: response.errorMessage)
        case 429:
            throw .rateLimited(request: request, retryAfter: HTTPClient.retryAfter(response).map { Int($0.rounded(.up)) })
        default:
            throw .status(request: request, code: response.status, message: response.errorMessage)
        }
    }

    static func decodingReason(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): return "no field '\(key.stringValue)'"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "unexpected value at \(context.codingPath.map(\.stringValue).joined(separator: "."))"
        case DecodingError.dataCorrupted: return "not JSON"
        default: return "\(error)"
        }
    }

    /// The next page from a `Link` header (`<…>; rel="next"`), as both APIs send it.
    static func nextLink(_ header: String?) -> URL? {
        guard let header else { return nil }
        for part in header.split(separator: ",") {
            let pieces = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard pieces.count >= 2, pieces.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" }) else { continue }
            let target = pieces[0]
            guard target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            return URL(string: String(target.dropFirst().dropLast()))
        }
        return nil
    }

    /// A path segment with `/` and everything else outside the unreserved set escaped
    /// (`group/project` → `group%2Fproject`).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
