import LogDxModel
import LogDxRules
import PCRE2

/// The event definitions a tokenizer runs, with their prefilter, built once and shared: building
/// it costs tens of milliseconds, which a batch scan would otherwise pay for every pipeline.
public final class CompiledEvents: Sendable {
    package let lineDefinitions: [EventDefinition]
    /// The line definitions, and the command ones, in memory never moved nor written after init,
    /// read through pointers (`Tokenizer`): an event copied its definition out of an array, a
    /// retain and a release of each of its dozen strings, patterns and tables, which all threads
    /// share.
    let lineDefinitionTable: DefinitionTable
    let commandDefinitionTable: DefinitionTable

    final class DefinitionTable: @unchecked Sendable {
        // SAFETY (for @unchecked Sendable): the buffer is initialized in init and never written
        // again; it is deinitialized in deinit, when no tokenizer holds the `CompiledEvents`.
        let definitions: UnsafeBufferPointer<EventDefinition>

        init(_ definitions: [EventDefinition]) {
            let buffer = UnsafeMutableBufferPointer<EventDefinition>.allocate(capacity: definitions.count)
            _ = buffer.initialize(from: definitions)
            self.definitions = UnsafeBufferPointer(buffer)
        }

        deinit {
            let buffer = UnsafeMutableBufferPointer(mutating: definitions)
            buffer.deinitialize()
            buffer.deallocate()
        }
    }
    /// Which line definitions can match a line.
    package let prefilter: EventPrefilter
    /// What the tokenizer's per-line loop reads of each line definition, by index.
    let lineCandidates: [LineCandidate]

    /// A line definition as the per-line loop sees it until its regex matches: a copy of the
    /// whole definition retained and released a dozen shared objects per candidate line (a tenth
    /// of the tokenizer's time). The pattern is held unretained; `lineDefinitions` keeps it alive
    /// as long as this `CompiledEvents`, which every tokenizer using it holds.
    struct LineCandidate {
        let pattern: Unmanaged<Pattern>
        /// Has a `when:` condition on the command or section.
        let isConditional: Bool
    }
    let inheritedKinds: Set<String>
    /// Structural kinds worth keeping; `nil` keeps all.
    let keptStructuralKinds: Set<String>?

    /// - Parameter kinds: keep only definitions of these kinds (and the kinds they inherit from);
    ///   `nil` for all.
    public convenience init(rules: RuleSet, kinds: Set<String>? = nil) {
        self.init(rules: rules, kinds: kinds, engine: .vectorscan)
    }

    /// - Parameter companions: literals the prefilter also finds, reported per line by
    ///   `Tokenizer.lastLineCompanions` (the excerpt scorer's words, so a line is scanned once).
    package init(rules: RuleSet, kinds: Set<String>?, engine: EventPrefilter.Engine, companions: [[UInt8]] = []) {
        var wanted = rules.events.filter { kinds?.contains($0.kind) ?? true }
        let inherited = Set(wanted.flatMap { $0.inherit.map(\.fromKind) })
        if let kinds {
            wanted = rules.events.filter { kinds.contains($0.kind) || inherited.contains($0.kind) }
        }
        lineDefinitions = wanted.filter { $0.target == .line }
        lineDefinitionTable = DefinitionTable(lineDefinitions)
        commandDefinitionTable = DefinitionTable(wanted.filter { $0.target == .command })
        inheritedKinds = inherited
        keptStructuralKinds = kinds.map { $0.union(inherited).intersection(StructuralEvent.all) }
        prefilter = EventPrefilter(lineDefinitions, engine: engine, companions: companions)
        lineCandidates = lineDefinitions.map { definition in
            LineCandidate(
                pattern: .passUnretained(definition.pattern),
                isConditional: definition.whenCommand != nil || definition.whenSection != nil)
        }
    }
}

extension UnsafeBufferPointer {
    /// The element at `index` in place, for reading one field of it without copying it whole.
    func pointer(at index: Int) -> UnsafePointer<Element> {
        precondition(indices.contains(index), "index \(index) out of \(indices)")
        // A buffer with an index has a base address.
        return baseAddress.unsafelyUnwrapped + index
    }
}
