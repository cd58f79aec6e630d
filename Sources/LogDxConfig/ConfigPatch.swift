/// The result of applying edits: each changed file before and after, and a diff to review or
/// apply with `git apply` / `patch -p1` from the configuration's root.
public struct ConfigPatch: Sendable, Equatable {
    public struct FileChange: Sendable, Equatable {
        /// Relative to the configuration's root.
        public var path: String
        public var original: String
        public var patched: String

        public init(path: String, original: String, patched: String) {
            self.path = path
            self.original = original
            self.patched = patched
        }
    }

    public var changes: [FileChange]
    /// Unified diff (`--- a/PATH` / `+++ b/PATH`, 3 lines of context).
    public var diff: String

    public init(changes: [FileChange], diff: String) {
        self.changes = changes
        self.diff = diff
    }
}
