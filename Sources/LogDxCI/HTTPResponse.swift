import Foundation

/// A final answer from the API (after redirects and retries): its status, headers and, for calls
/// read into memory, its body.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names in lower case.
    public var headers: [String: String]
    public var body: Data
    public var url: URL
    /// For downloads: the bytes received, the length the server announced, and why the transfer
    /// stopped early when it did (the log then holds what arrived).
    public var bytesWritten = 0
    public var expectedLength: Int?
    public var cutOff: String?

    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The API's own error text: GitLab's and GitHub's `message` (or `error`) field, else the
    /// start of the body.
    public var errorMessage: String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            for key in ["message", "error_description", "error"] {
                if let text = object[key] as? String { return text }
                if let nested = object[key] as? [String: Any], let text = nested.values.first as? String { return text }
            }
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.contains("<html") ? "" : text
    }
}
