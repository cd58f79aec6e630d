/// The event definitions a tokenizer runs, with their prefilter automaton, built once and shared:
/// building the automaton costs tens of milliseconds, which a batch scan would otherwise pay for
/// every pipeline.
public final class CompiledEvents: Sendable {
    let lineDefinitions: [EventDefinition]
    let commandDefinitions: [EventDefinition]
    /// Reports, for each literal found, the index of the line definition it belongs to.
    let prefilter: AhoCorasick
    /// Line definitions with no usable literal: they run on every line.
    let unfiltered: [Int]
    let inheritedKinds: Set<String>
    /// Structural kinds worth keeping; `nil` keeps all.
    let keptStructuralKinds: Set<String>?

    /// - Parameter kinds: keep only definitions of these kinds (and the kinds they inherit from);
    ///   `nil` for all.
    public init(rules: RuleSet, kinds: Set<String>? = nil) {
        var wanted = rules.events.filter { kinds?.contains($0.kind) ?? true }
        let inherited = Set(wanted.flatMap { $0.inherit.map(\.fromKind) })
        if let kinds {
            wanted = rules.events.filter { kinds.contains($0.kind) || inherited.contains($0.kind) }
        }
        lineDefinitions = wanted.filter { $0.target == .line }
        commandDefinitions = wanted.filter { $0.target == .command }
        inheritedKinds = inherited
        keptStructuralKinds = kinds.map { $0.union(inherited).intersection(StructuralEvent.all) }
        var literals: [[UInt8]] = []
        var owners: [Int] = []
        var always: [Int] = []
        for (index, definition) in lineDefinitions.enumerated() {
            if definition.literals.isEmpty { always.append(index) }
            for literal in definition.literals {
                literals.append(Array(literal.utf8))
                owners.append(index)
            }
        }
        prefilter = AhoCorasick(literals, ids: owners)
        unfiltered = always
    }
}
