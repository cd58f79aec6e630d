/// Path reasoning for rules: whether a path lies in a job's project directory, and whether a cache
/// or artifact path carries another path. Paths come from logs, so this works on text, not on a
/// file system.
package struct ProjectPaths {
    /// The job's checkout directories as the log revealed them (`/builds/group/project`),
    /// normalised, each once: a job can name its directory on hundreds of lines, and every path
    /// a rule tests was compared with each of them, normalised again each time.
    package let projectDirectories: [String]

    package init(projectDirectories: [String]) {
        var seen: Set<String> = []
        self.projectDirectories = projectDirectories.map(Self.normalise).filter { seen.insert($0).inserted }
    }

    /// Where CI systems check projects out when the log does not say.
    static let knownBuildRoots = [
        "/builds/", "/gcl-builds", "/home/runner/work/", "/github/workspace", "/__w/",
        "/var/lib/jenkins/workspace/", "/var/jenkins_home/workspace/", "/home/jenkins/agent/workspace/",
    ]
    /// Each root with and without its trailing slash.
    static let knownBuildRootsTrimmed = knownBuildRoots.map { ($0, $0.trimmingSlash()) }
    /// Relative paths are written `./x` or `x`; both mean the project directory.
    static let projectPlaceholder = "$CI_PROJECT_DIR"

    /// `true` for a path that a CI cache or artifact cannot hold because it is outside the checkout:
    /// an absolute path not under the project directory, or one under the home directory.
    package func isOutsideProject(_ path: String) -> Bool {
        let path = Self.normalise(path)
        if path.isEmpty { return false }
        if path.hasPrefix("~") || path.hasPrefix("$HOME") || path.hasPrefix("${HOME}") { return true }
        guard path.hasPrefix("/") else { return false }
        for directory in projectDirectories where Self.isSameOrInside(path, directory) {
            return false
        }
        for (root, trimmed) in Self.knownBuildRootsTrimmed where path.hasPrefix(root) || path == trimmed {
            return false
        }
        return true
    }

    /// `true` when `container` (a cache or artifact path, maybe relative, maybe a glob) includes
    /// `target`.
    package func covers(_ container: String, _ target: String) -> Bool {
        guard let containerPath = absolute(Self.stripGlob(container)), let targetPath = absolute(target) else { return false }
        return Self.isSameOrInside(targetPath, containerPath)
    }

    /// Resolves relative paths against the project directory (or a placeholder for it), so that
    /// `.venv` and `/builds/g/p/.venv` compare equal when the directory is known.
    private func absolute(_ path: String) -> String? {
        var path = Self.normalise(path)
        if path.isEmpty { return nil }
        let project = projectDirectories.first ?? Self.projectPlaceholder
        for variable in ["${CI_PROJECT_DIR}", "$CI_PROJECT_DIR", "${GITHUB_WORKSPACE}", "$GITHUB_WORKSPACE"] where path.hasPrefix(variable) {
            path = project + path.dropFirst(variable.count)
        }
        if path.hasPrefix("/") || path.hasPrefix("~") || path.hasPrefix("$") { return path }
        return project + "/" + path
    }

    static func normalise(_ path: String) -> String {
        var path = path.trimming(" \t\"'")
        while path.hasPrefix("./") { path.removeFirst(2) }
        while path.utf8.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path == "." { return "" }
        return path
    }

    static func stripGlob(_ path: String) -> String {
        guard let index = path.firstIndex(where: { "*?[".contains($0) }) else { return path }
        let prefix = path[..<index]
        guard let slash = prefix.lastIndex(of: "/") else { return "." }
        return String(prefix[..<slash])
    }

    static func isSameOrInside(_ path: String, _ directory: String) -> Bool {
        path == directory || path.hasPrefix(directory == "/" ? "/" : directory + "/")
    }
}

extension String {
    func trimmingSlash() -> String {
        hasSuffix("/") ? String(dropLast()) : self
    }

    func trimming(_ set: String) -> String {
        var s = Substring(self)
        while let first = s.first, set.contains(first) { s = s.dropFirst() }
        while let last = s.last, set.contains(last) { s = s.dropLast() }
        return String(s)
    }
}
