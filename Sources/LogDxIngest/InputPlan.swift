#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LogDxModel

/// The logs to read for one pipeline, with folders expanded into their log files (sorted by path,
/// so the order is stable), and a notice for each file of a folder that will not be read.
public struct InputPlan: Sendable {
    public var inputs: [LogInput] = []
    public var skipped: [Notice] = []

    public init(inputs: [LogInput] = [], skipped: [Notice] = []) {
        self.inputs = inputs
        self.skipped = skipped
    }

    /// Expands the file inputs that are folders; every other input is read as it is.
    public static func make(_ given: [LogInput]) throws(InputError) -> InputPlan {
        var plan = InputPlan()
        for input in given {
            guard case .file(let path) = input.origin else {
                plan.inputs.append(input)
                continue
            }
            var info = stat()
            guard stat(path, &info) == 0 else { throw .notFound(path: path) }
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                plan.inputs.append(input)
                continue
            }
            let folder = try logs(in: path)
            plan.inputs += folder.inputs
            plan.skipped += folder.skipped
        }
        return plan
    }

    /// Paths as given on a command line (`-` is standard input).
    public static func make(paths: [String]) throws(InputError) -> InputPlan {
        try make(paths.map(LogInput.path))
    }

    /// The display names of the inputs, in order.
    public var names: [String] { inputs.map(\.name) }

    private static func logs(in directory: String) throws(InputError) -> InputPlan {
        guard let walk = FolderWalker.walk(directory) else {
            throw .unreadable(path: directory, reason: "the folder cannot be listed")
        }
        var result = InputPlan()
        var empty: [String] = []
        for (path, attributes) in zip(walk.files, walk.attributes) {
            let name = path.split(separator: "/").last.map(String.init) ?? path
            guard LogFileNames.isLog(name) else { continue }
            if attributes.size == 0 {
                empty.append(path)
                result.skipped.append(Notice(source: path, message: "skipped: the file is empty"))
                continue
            }
            result.inputs.append(.path(path))
        }
        for link in walk.unfollowedLinks {
            result.skipped.append(Notice(source: link, message: "skipped: a link to a folder, not followed (pass the folder it points to, to read it)"))
        }
        if result.inputs.isEmpty {
            // Alone, the reason a folder gives nothing is the answer.
            if !empty.isEmpty { throw .empty(sources: empty) }
            throw .noLogFiles(directory: directory)
        }
        return result
    }
}
