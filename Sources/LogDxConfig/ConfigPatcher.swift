import LogDxModel

/// Applies `ConfigEdit`s to the text of a CI configuration, in the files where the edited values
/// are written, and returns the result as texts and a diff.
public struct ConfigPatcher: Sendable {
    package let config: CIConfig

    public init(config: CIConfig) {
        self.config = config
    }

    /// All edits or nothing: nil when any edit is not applicable (job unknown, nothing to attach
    /// to) or when together they change nothing. Edits that are already satisfied (path already
    /// listed or covered by a listed parent, variable already unset/at that value) are fine and
    /// change nothing.
    public func patch(_ edits: [ConfigEdit]) -> ConfigPatch? {
        guard !edits.isEmpty, !config.loadPath.isEmpty else { return nil }
        var session = ConfigPatchSession(config: config)
        for edit in edits {
            guard session.apply(edit) else { return nil }
        }
        var changes: [ConfigPatch.FileChange] = []
        for file in config.files {
            guard let original = config.texts[file], let patched = session.texts[file], patched != original else { continue }
            changes.append(ConfigPatch.FileChange(path: file, original: original, patched: patched))
        }
        guard !changes.isEmpty else { return nil }
        let diff = changes.map { UnifiedDiff.make(path: $0.path, original: $0.original, patched: $0.patched) }.joined()
        return ConfigPatch(changes: changes, diff: diff)
    }
}
