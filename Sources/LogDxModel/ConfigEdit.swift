/// A change to a CI configuration that a fix asks for. The patcher turns edits into text edits
/// of the files where the values are written.
public enum ConfigEdit: Sendable, Equatable {
    /// Remove NAME from every `variables:` (GitLab: global and each job, templates included) or
    /// `env:` (GitHub: workflow, job and step).
    case unsetVariable(name: String)
    /// Set or replace NAME in the global `variables:` (GitLab) or the workflow `env:` (GitHub),
    /// creating the block when there is none.
    case setVariable(name: String, value: String)
    /// Add a path to the cache the job uses (GitLab: its own, inherited through `extends`,
    /// `default:` or top-level `cache:`, else a new `cache:` on the job; GitHub: the `path:` of the
    /// job's actions/cache step, not applicable without one).
    case addCachePath(path: String, job: String)
    /// Like `addCachePath`, for `artifacts: paths:` (GitLab) or actions/upload-artifact (GitHub).
    case addArtifactPath(path: String, job: String)
    /// Insert a command before the first script item (GitLab) or `run:` step (GitHub) containing
    /// `before`; nothing happens when the identical command is already there.
    case addScriptLine(job: String, line: String, before: String?)
    /// Let `job` download the artifacts of job `from` (GitLab): added to its `dependencies:` list
    /// when it has one, else to its `needs:` list. Not applicable when neither list is written
    /// (the job then downloads from every earlier stage already), nor on GitHub.
    case addDependency(job: String, from: String)
    /// Set input `input` of the job's first step that uses `action` (GitHub; `actions/cache` also
    /// names its `restore` and `save` parts) to `value`. With `replacing`, only a step whose input
    /// reads that value now is changed. Not applicable on GitLab, which has no steps.
    case setStepInput(job: String, action: String, input: String, value: String, replacing: String?)
    /// Append `text` to the one-line script item (GitLab) or `run:` step (GitHub) of the job that
    /// reads exactly `command`, as the log showed it.
    case appendToCommand(job: String, command: String, text: String)
}
