import Foundation

/// A folder of its own per test under the temporary directory, removed when the test lets go of it.
public final class ScratchFolder: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): `path` is a constant; the folder's contents are the
    // file system's, which every method reaches through FileManager, itself thread-safe.
    public let path: String

    public init(prefix: String = "logdx-test") {
        path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            // A test without its scratch folder cannot say anything meaningful.
            fatalError("cannot create \(path): \(error)")
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `content` to `name` (folders created as needed) and returns the file's path.
    @discardableResult
    public func write(_ name: String, _ content: String) -> String {
        write(name, Data(content.utf8))
    }

    @discardableResult
    public func write(_ name: String, _ data: Data) -> String {
        let file = path + "/" + name
        do {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: file))
        } catch {
            fatalError("cannot write \(file): \(error)")
        }
        return file
    }

    /// The text of `name`, nil when it is not there.
    public func read(_ name: String) -> String? {
        try? String(contentsOfFile: path + "/" + name, encoding: .utf8)
    }

    /// Copies `source`, a path relative to the checkout, to `name`.
    public func copy(_ source: String, to name: String) throws {
        let target = path + "/" + name
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: RepositoryPaths.root + "/" + source, toPath: target)
    }
}
