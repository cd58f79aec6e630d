import LogDxModel
import LogDxRules

/// What the filters after `|` in a rule's placeholders compute. They turn values from the log
/// into something the log does not say, such as `{{missing.package|nearest:pypi}}`: the real name
/// a misspelt package was probably meant to be.
package struct TemplateFilters {
    /// Package names from the pipeline's events: candidates besides the shipped lists.
    var pipelineNames: [String] = []
    /// The rule sources, where `data/<registry>-names.txt` lists are looked for.
    var sources: [RuleSource] = []
    /// One finder per registry, made on first use: it reads its lists once for every finding of
    /// the pipeline rather than once per name.
    private let finders = FinderCache()

    private final class FinderCache {
        var byRegistry: [PackageRegistry: NearestPackageName] = [:]
    }

    func apply(_ filter: Template.Filter, to values: [String]) -> [String] {
        switch filter.name {
        case "nearest":
            guard let registry = filter.argument.flatMap(PackageRegistry.init(rawValue:)) else { return [] }
            let finder = finders.byRegistry[registry] ?? NearestPackageName(
                pipelineNames: pipelineNames, listFiles: NearestPackageName.listFiles(for: registry, in: sources), registry: registry)
            finders.byRegistry[registry] = finder
            return values.compactMap { finder.suggestion(for: $0) }
        default:
            return []
        }
    }

    /// The event field whose values are package names.
    static let packageField = "package"

    /// The `package` values of every event: what the jobs installed, required or failed to find.
    /// With `concurrently`, each kind's names are gathered on any core and then merged in kind
    /// order: a pipeline of a million events spent a tenth of a second here on one core while
    /// the other waited for the rules to start. The `skipping` kinds, whose events have no
    /// `package` field, are not walked.
    package static func packageNames(in eventsByKind: [String: [Event]], skipping: Set<String> = [], concurrently: Bool = false) -> [String] {
        @Sendable func names(of kind: String) -> [String] {
            var seen: Set<String> = []
            var names: [String] = []
            for event in eventsByKind[kind] ?? [] {
                if let name = event.fields[packageField], !name.isEmpty, seen.insert(name).inserted { names.append(name) }
            }
            return names
        }
        let kinds = eventsByKind.keys.filter { !skipping.contains($0) }.sorted()
        let byKind = concurrently ? kinds.concurrentMap(names) : kinds.map(names)
        var seen: Set<String> = []
        return byKind.joined().filter { seen.insert($0).inserted }
    }
}
