import Foundation
import LogDxRedaction

/// A CI configuration read into facts per job, so that diagnoses can point at the line of the
/// configuration that caused a failure and propose an edit to it.
public struct CIConfig: Sendable {
    public enum Provider: String, Sendable { case gitlab, github }

    public var provider: Provider
    /// Folder the paths in `files` are relative to (the repository root: the folder of
    /// .gitlab-ci.yml, or the folder containing .github/).
    public var root: String
    /// Every file read, main file first, relative to `root`.
    public var files: [String]
    public var stages: [String]
    public var jobs: [CIConfigJob]
    /// What could not be read or resolved and was skipped, as sentences for the user.
    public var notices: [String]

    /// What `load` was given, to read the configuration again from edited texts.
    package var loadPath = ""
    /// Each file's text as read.
    package var texts: [String: String] = [:]
    /// GitLab: the whole configuration after includes, `extends` and `!reference`.
    var resolvedRoot: ConfigNode?

    public init(provider: Provider, root: String, files: [String], stages: [String], jobs: [CIConfigJob], notices: [String]) {
        self.provider = provider
        self.root = root
        self.files = files
        self.stages = stages
        self.jobs = jobs
        self.notices = notices
    }

    /// `path` is a .gitlab-ci.yml (any name, e.g. CI_CONFIG_PATH), a GitHub workflow file, or a
    /// repository folder (then .gitlab-ci.yml, else every .github/workflows/*.yml|yaml is read;
    /// for GitHub read from a folder, jobs of all workflows are merged).
    ///
    /// `repository`, when given, is the checkout the file belongs to: a GitLab config kept in a
    /// subfolder (`CI_CONFIG_PATH: ci/pipeline.yml`) resolves its local includes from there, as
    /// GitLab does, and patches name paths relative to it.
    public static func load(path: String, repository: String? = nil) throws(CIConfigError) -> CIConfig {
        try load(path: path, overrides: [:], repository: repository)
    }

    /// `overrides` replaces file texts (relative to the root) without touching the disk.
    package static func load(path: String, overrides: [String: String], repository: String? = nil) throws(CIConfigError) -> CIConfig {
        var isFolder: ObjCBool = false
        guard !path.isEmpty, FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw .notFound(path: path)
        }
        var config: CIConfig
        if isFolder.boolValue {
            let root = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
            let source = ConfigSource(root: root, overrides: overrides)
            if source.exists(".gitlab-ci.yml") {
                config = try gitlab(source, main: ".gitlab-ci.yml")
            } else {
                let workflows = workflowFiles(in: root)
                guard !workflows.isEmpty else { throw .notFound(path: path) }
                config = try github(source, workflows: workflows, strict: false)
            }
        } else {
            let folder = (path as NSString).deletingLastPathComponent
            let name = (path as NSString).lastPathComponent
            if (folder as NSString).lastPathComponent == "workflows",
               ((folder as NSString).deletingLastPathComponent as NSString).lastPathComponent == ".github" {
                let repository = ((folder as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
                let source = ConfigSource(root: repository.isEmpty ? "." : repository, overrides: overrides)
                config = try github(source, workflows: [".github/workflows/" + name], strict: true)
            } else {
                let source = ConfigSource(root: folder.isEmpty ? "." : folder, overrides: overrides)
                if try isWorkflow(source, name) {
                    config = try github(source, workflows: [name], strict: true)
                } else if let repository, path.hasPrefix(repository.hasSuffix("/") ? repository : repository + "/") {
                    let root = repository.count > 1 && repository.hasSuffix("/") ? String(repository.dropLast()) : repository
                    config = try gitlab(ConfigSource(root: root, overrides: overrides), main: String(path.dropFirst(root.count + 1)))
                } else {
                    config = try gitlab(source, main: name)
                }
            }
        }
        config.loadPath = path
        return config
    }

    private static func gitlab(_ source: ConfigSource, main: String) throws(CIConfigError) -> CIConfig {
        var reader = GitLabConfigReader(source: source)
        let result = try reader.read(main: main)
        // Include URLs may carry credentials (`https://user:token@…`), and notices are printed.
        var config = CIConfig(provider: .gitlab, root: source.root, files: reader.files, stages: result.stages, jobs: result.jobs, notices: reader.notices.map(SecretRedactor().redact))
        config.texts = reader.texts
        config.resolvedRoot = result.root
        return config
    }

    private static func github(_ source: ConfigSource, workflows: [String], strict: Bool) throws(CIConfigError) -> CIConfig {
        var reader = GitHubWorkflowReader(source: source)
        let jobs = try reader.read(workflows, strict: strict)
        var config = CIConfig(provider: .github, root: source.root, files: reader.files, stages: [], jobs: jobs, notices: reader.notices.map(SecretRedactor().redact))
        config.texts = reader.texts
        return config
    }

    private static func isWorkflow(_ source: ConfigSource, _ file: String) throws(CIConfigError) -> Bool {
        let text = try source.read(file)
        guard let document = try ConfigYAML.document(text, file: file) else { return false }
        return GitHubWorkflowReader.isWorkflow(try ConfigYAML.semantic(document, file: file))
    }

    private static func workflowFiles(in root: String) -> [String] {
        let folder = (root as NSString).appendingPathComponent(".github/workflows")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { ".github/workflows/" + $0 }
    }

    /// The configured job a pipeline job came from: exact name; a GitLab parallel/matrix job
    /// "test 1/3" or "test: [3.11, alpine]" → "test"; a GitHub matrix job "test (3.11, ubuntu)" →
    /// job whose display name (name: or id) is "test"; also match the GitHub job id key.
    public func job(matching pipelineJobName: String) -> CIConfigJob? {
        JobNameMatcher(jobs: jobs).match(pipelineJobName)
    }
}
