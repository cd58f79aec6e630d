/// The files of the checkout's `Rules/` folder (rules, event definitions, JSON Schemas, package-name
/// lists), compiled into the binary by EmbedRulesPlugin so that logdx needs no `Rules/` on disk: a
/// binary copied alone into a CI image or an empty folder has its built-in rules.
///
/// This module holds only the text; LogDxRules reads it through `RuleSource.builtIn`, the same
/// loader as a rule folder on disk.
public enum BuiltInRuleFiles {
    /// One file: its path relative to `Rules/` (`python/pip-no-matching-distribution.yaml`) and its
    /// contents.
    public struct File: Sendable {
        public let path: String
        public let text: String
    }

    /// Every file, sorted by path.
    public static var all: [File] { generated }
}
