/// Why a CI configuration could not be read. Each message says what went wrong, where, and what
/// to do about it, since it is shown to the user as is.
public enum CIConfigError: Error, Equatable, CustomStringConvertible {
    /// Nothing to read at `path`: no such file, or a folder without `.gitlab-ci.yml` or
    /// `.github/workflows/*.yml`.
    case notFound(path: String)
    /// The file exists but cannot be read as UTF-8 text.
    case unreadable(path: String, reason: String)
    /// The YAML parser rejected the file; line and column are 1-based.
    case notYAML(file: String, line: Int, column: Int, reason: String)
    /// Valid YAML, but neither GitLab jobs nor a GitHub workflow with `jobs:`.
    case notCIConfig(file: String, reason: String)

    public var description: String {
        switch self {
        case .notFound(let path):
            return "no CI configuration at \(path): pass a .gitlab-ci.yml, a GitHub workflow file, or a repository folder that holds .gitlab-ci.yml or .github/workflows/*.yml"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason); check that the file exists, is readable and is UTF-8 text"
        case .notYAML(let file, let line, let column, let reason):
            return "\(file):\(line):\(column): not valid YAML: \(reason); fix the file there (a YAML linter or GitLab's CI Lint shows the same place)"
        case .notCIConfig(let file, let reason):
            return "\(file) is not a CI configuration: \(reason); pass a .gitlab-ci.yml (jobs as top-level keys) or a GitHub workflow (a `jobs:` mapping)"
        }
    }
}
