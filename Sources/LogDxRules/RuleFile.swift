import Foundation

/// One file of a rule source: a rule, an event list, a JSON Schema or a package-name list, either
/// compiled into the binary or on disk.
public struct RuleFile: Sendable {
    /// The path inside the source (`python/pip-no-matching-distribution.yaml`), the same for the
    /// built-in copy of a file and for that file in the checkout's `Rules/`.
    public let relativePath: String
    /// How messages name the file: its path on disk, or `builtin:` and the relative path for the
    /// built-in set, which has no path to open.
    public let path: String
    /// The contents of a built-in file; nil for a file on disk, read when asked for.
    private let embedded: String?

    /// A file on disk outside any rule source (a package-name list a test writes).
    public init(path: String) {
        self.init(relativePath: (path as NSString).lastPathComponent, path: path, embedded: nil)
    }

    init(relativePath: String, path: String, embedded: String?) {
        self.relativePath = relativePath
        self.path = path
        self.embedded = embedded
    }

    /// The contents as UTF-8 text.
    public func text() throws(RuleError) -> String {
        if let embedded { return embedded }
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RuleError(file: path, message: "cannot read the file as UTF-8 text (\(error.localizedDescription))")
        }
    }

    /// The contents as bytes, or nil when the file cannot be read.
    public func data() -> Data? {
        if let embedded { return Data(embedded.utf8) }
        return FileManager.default.contents(atPath: path)
    }
}
