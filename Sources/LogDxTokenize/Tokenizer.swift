import PCRE2
import Vectorscan
import LogDxIngest
import LogDxModel
import LogDxRedaction
import LogDxRules

/// Turns the lines ingest streams into typed events, using the definitions of a rule set.
///
/// Per line: one Vectorscan pass (see `EventPrefilter`) finds which definitions can match; only
/// those run their regex. Per job it remembers the current command and section (for `when:` and `on: command`)
/// and the latest fields of the kinds other definitions inherit from.
public struct Tokenizer: IngestSink {
    public internal(set) var store: EventStore

    /// Moves the events out, leaving the tokenizer an empty store: what a pipeline's stores are
    /// merged from, without sharing (and so copying) them.
    package mutating func takeStore() -> EventStore {
        var taken = EventStore(headCap: store.headCap, tailCap: store.tailCap)
        swap(&taken, &store)
        return taken
    }
    /// Pattern runs stopped by a match limit; reported, never fatal.
    public private(set) var limitHits: [LimitHit] = []

    public struct LimitHit: Sendable {
        public var job: Int
        public var line: Int
        public var definition: String
        public var reason: String
        /// The hit that made the definition stop running for the rest of its job.
        public var switchedOff = false
    }

    private let compiled: CompiledEvents
    // Read through pointers into `compiled`'s tables, which it keeps alive: read through the
    // shared `compiled` the array came back retained, and from an array of its own each event
    // still copied its definition out (a retain of each of its strings, patterns and tables,
    // which every thread's tokenizer shares).
    private let lineDefinitions: UnsafeBufferPointer<EventDefinition>
    private let commandDefinitions: UnsafeBufferPointer<EventDefinition>
    private var prefilter: EventPrefilter { compiled.prefilter }
    private var inheritedKinds: Set<String> { compiled.inheritedKinds }
    private var keptStructuralKinds: Set<String>? { compiled.keptStructuralKinds }
    private let scratch = MatchScratch()
    private let redactor = SecretRedactor()
    // What every line reads, in buffers of this tokenizer's own (see `PrefilterScanner`): the
    // shared `compiled` is not touched on a line without an event.
    private var scanner: PrefilterScanner
    private let unfiltered: [Int]
    private let lineCandidates: [CompiledEvents.LineCandidate]

    private var jobs = PerJobState { JobState() }
    private let candidates: CandidateSet
    /// Line definitions found by their literals whose PCRE2 run hit the match limit on a line,
    /// by index: their candidate lines are first asked of libhs running the pattern, which
    /// rejects a line the pattern cannot match without backtracking (see `PatternRecheck`).
    private var rechecks: [Int: PatternRecheck] = [:]
    /// The companion literals of the line just tokenized, when its scan found them.
    package private(set) var lastLineCompanions: LiteralHits?

    /// The longest text an event keeps of its line.
    static let maxEventText = 500
    static let maxLimitNotices = 20
    /// Match-limit hits after which a definition stops running for the rest of a job: a pattern
    /// that backtracks out of bounds on one line of a job usually does on thousands more, each
    /// costing the whole match limit.
    package static let limitHitsBeforeSwitchOff = 3

    package struct JobState {
        package var command: String?
        var commandGeneration = 0
        package var section: String?
        var sectionGeneration = 0
        /// `when:` results per line definition, valid while the command and section stay the same:
        /// the condition is a regex on the command or section name, and lines far outnumber them.
        var whenCache: [Int: (command: Int, section: Int, passes: Bool)] = [:]
        package var latest: [String: (event: Event, generation: Int)] = [:]
        /// The stored event whose continuation lines may follow, and the pattern.
        package var continuation: (event: EventStore.Handle, pattern: Pattern)?
        /// A private key being printed: its lines are tokenized as a mask.
        package var privateKey = PrivateKeyBlock()
        /// Match-limit hits so far, by definition id; at `limitHitsBeforeSwitchOff` it is off.
        package var limitHits: [String: Int] = [:]
    }

    /// - Parameters:
    ///   - kinds: keep only definitions of these kinds (and the kinds they inherit from); `nil` for all.
    public init(rules: RuleSet, kinds: Set<String>? = nil, store: EventStore = EventStore()) {
        self.init(compiled: CompiledEvents(rules: rules, kinds: kinds), store: store)
    }

    /// A tokenizer over definitions compiled once and shared by many pipelines.
    public init(compiled: CompiledEvents, store: EventStore = EventStore()) {
        self.compiled = compiled
        self.store = store
        scanner = compiled.prefilter.makeScanner()
        unfiltered = compiled.prefilter.unfiltered.withUnsafeBufferPointer { Array($0) }
        lineCandidates = compiled.lineCandidates.withUnsafeBufferPointer { Array($0) }
        lineDefinitions = compiled.lineDefinitionTable.definitions
        commandDefinitions = compiled.commandDefinitionTable.definitions
        candidates = CandidateSet(capacity: compiled.lineDefinitions.count)
    }

    public mutating func structural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String]) {
        var state = jobs.take(job)
        defer { jobs.put(state, for: job) }
        switch kind {
        case StructuralEvent.command:
            state.command = fields["command"]
            state.commandGeneration += 1
            state.continuation = nil
        case StructuralEvent.section:
            state.section = fields["name"]
            state.sectionGeneration += 1
        default:
            break
        }
        // Commands are a tenth of a log's lines; build their events only when something uses them.
        let inherited = inheritedKinds.contains(kind)
        let kept = keptStructuralKinds?.contains(kind) ?? true
        if kept || inherited {
            let redactedFields = fields.mapValues { redactor.redact($0) }
            let event = Event(kind: kind, definition: kind, job: job, line: line, text: eventText(text), fields: redactedFields)
            if kept {
                emit(event, state: &state, continuation: nil)
            } else {
                state.latest[kind] = (event, state.commandGeneration)
            }
        }
        if kind == StructuralEvent.command, let command = fields["command"] {
            var command = command
            command.withUTF8 { buffer in
                // By index: iterating copied each definition out, retaining all it holds.
                for index in commandDefinitions.indices where passesWhen(commandDefinitions.pointer(at: index), state) {
                    run(commandDefinitions.pointer(at: index), on: buffer, job: job, line: line, eventTextBytes: text, state: &state)
                }
            }
        }
    }

    public mutating func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>) {
        var state = jobs.take(job)
        lastLineCompanions = nil
        // A key's body lines carry no secret shape of their own: they are matched as the mask, so
        // no event can quote them.
        if state.privateKey.claims(text) {
            var mask = SecretRedactor.maskBytes
            mask.withUnsafeMutableBufferPointer { tokenize(job: job, number: number, text: UnsafeBufferPointer($0), state: &state) }
            // Found in the mask, not in the line the caller holds.
            lastLineCompanions = nil
        } else {
            tokenize(job: job, number: number, text: text, state: &state)
        }
        // Moved back, not copied: put from a `defer` (or without `consume`, since the mask's
        // closure takes its address) it was copied, a retain and release of each of its buffers
        // on every line; 4% of the 10 MB pipeline's instructions with the excerpt collector's.
        jobs.put(consume state, for: job)
    }

    private mutating func tokenize(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>, state: inout JobState) {
        if let pending = state.continuation {
            if case .matched = pending.pattern.firstMatch(inValidUTF8: text, scratch: scratch) {
                store.appendText(eventText(text), to: pending.event)
                return
            }
            state.continuation = nil
        }
        let candidates = candidates
        candidates.removeAll()
        var companions = LiteralHits()
        let complete = scanner.forEachCandidate(in: text, companions: &companions) { candidates.insert($0) }
        if complete { lastLineCompanions = companions }
        guard !candidates.isEmpty || !unfiltered.isEmpty else { return }
        for index in unfiltered { candidates.insert(index) }
        for index in candidates.sorted() {
            let candidate = lineCandidates[index]
            if candidate.isConditional {
                if let cached = state.whenCache[index], cached.command == state.commandGeneration,
                   cached.section == state.sectionGeneration {
                    guard cached.passes else { continue }
                } else {
                    let passes = passesWhen(lineDefinitions.pointer(at: index), state)
                    state.whenCache[index] = (state.commandGeneration, state.sectionGeneration, passes)
                    guard passes else { continue }
                }
            }
            if !rechecks.isEmpty, let recheck = rechecks[index], !recheck.mayMatch(text) { continue }
            // A definition with match-limit hits in this job is looked up by name first.
            guard state.limitHits.isEmpty else {
                run(lineDefinitions.pointer(at: index), lineIndex: index, on: text, job: job, line: number, eventTextBytes: text, state: &state)
                continue
            }
            // Most candidates do not match: only a match (or a limit) needs the whole definition.
            let outcome = candidate.pattern._withUnsafeGuaranteedRef { $0.firstMatch(inValidUTF8: text, scratch: scratch) }
            if case .noMatch = outcome { continue }
            record(outcome, of: lineDefinitions.pointer(at: index), lineIndex: index, hitsSoFar: 0, on: text, job: job, line: number,
                   eventTextBytes: text, state: &state)
        }
    }

    private func passesWhen(_ definition: UnsafePointer<EventDefinition>, _ state: JobState) -> Bool {
        if let pattern = definition.pointee.whenCommand {
            guard let command = state.command, matches(pattern, command) else { return false }
        }
        if let pattern = definition.pointee.whenSection {
            guard let section = state.section, matches(pattern, section) else { return false }
        }
        return true
    }

    private func matches(_ pattern: Pattern, _ text: String) -> Bool {
        if case .matched = pattern.firstMatch(in: text, scratch: scratch) { return true }
        return false
    }

    /// - Parameter lineIndex: the definition's index among the line definitions; nil for a
    ///   command definition.
    private mutating func run(
        _ definition: UnsafePointer<EventDefinition>, lineIndex: Int? = nil, on subject: UnsafeBufferPointer<UInt8>, job: Int, line: Int,
        eventTextBytes: UnsafeBufferPointer<UInt8>, state: inout JobState
    ) {
        // Nearly always empty: then no lookup by the definition's name.
        let hitsSoFar = state.limitHits.isEmpty ? 0 : state.limitHits[definition.pointee.id, default: 0]
        guard hitsSoFar < Self.limitHitsBeforeSwitchOff else { return }
        let outcome = definition.pointee.pattern.firstMatch(inValidUTF8: subject, scratch: scratch)
        record(outcome, of: definition, lineIndex: lineIndex, hitsSoFar: hitsSoFar, on: subject, job: job, line: line,
               eventTextBytes: eventTextBytes, state: &state)
    }

    /// Turns what the definition's regex found on the line into its events, or a limit hit.
    private mutating func record(
        _ outcome: MatchOutcome, of definition: UnsafePointer<EventDefinition>, lineIndex: Int?, hitsSoFar: Int,
        on subject: UnsafeBufferPointer<UInt8>, job: Int, line: Int, eventTextBytes: UnsafeBufferPointer<UInt8>,
        state: inout JobState
    ) {
        let match: Match
        switch outcome {
        case .noMatch:
            return
        case .limitExceeded(let error):
            // Reached through its literals alone, the line may be one the pattern cannot match:
            // libhs says so without backtracking, and then it is no hit, only no match.
            if let lineIndex, rechecks[lineIndex] == nil, let recheck = prefilter.recheck(lineIndex) {
                rechecks[lineIndex] = recheck
                if !recheck.mayMatch(subject) { return }
            }
            state.limitHits[definition.pointee.id] = hitsSoFar + 1
            let switchedOff = hitsSoFar + 1 == Self.limitHitsBeforeSwitchOff
            // Every switch-off is reported: it changes what the rest of the job can show.
            if switchedOff || limitHits.count < Self.maxLimitNotices {
                limitHits.append(LimitHit(
                    job: job, line: line, definition: definition.pointee.id, reason: error.message, switchedOff: switchedOff))
            }
            return
        case .matched(let found):
            match = found
        }
        var fields = definition.pointee.constants
        // Sized once: grown field by field, its resizing was a tenth of recording an event.
        fields.reserveCapacity(fields.count + definition.pointee.pattern.namedGroups.count + definition.pointee.inherit.count)
        // Secrets are found on the whole line: a field cut out of it (the value of
        // `aws configure set aws_secret_access_key VALUE`) no longer shows what made it one.
        var secrets: SecretRedactor.Secrets?
        for group in definition.pointee.pattern.namedGroups {
            if let range = match.range(of: group.indices) {
                let lineSecrets = secrets ?? redactor.secrets(in: subject)
                secrets = lineSecrets
                // A line without any secret's literal has none in any field either: searching
                // each field again was most of an event's redaction.
                fields[group.name] = lineSecrets.holdsLiteral
                    ? redactor.redact(subject, range: range, secrets: lineSecrets.ranges)
                    : String(decoding: UnsafeBufferPointer(rebasing: subject[range]), as: UTF8.self)
            }
        }
        var provenance: [Event.Provenance] = []
        for inherit in definition.pointee.inherit where fields[inherit.field] == nil {
            if let latest = state.latest[inherit.fromKind],
               !inherit.withinCommand || latest.generation == state.commandGeneration,
               let value = latest.event.fields[inherit.fromField] {
                fields[inherit.field] = value
                let source = Event.Provenance(line: latest.event.line, text: latest.event.text, kind: latest.event.kind)
                if !provenance.contains(source) { provenance.append(source) }
            }
        }
        // The line's secrets serve its text too (found now if no field needed them: the text
        // would have them searched anyway).
        let sameLine = subject.baseAddress == eventTextBytes.baseAddress && subject.count == eventTextBytes.count
        let text: Redacted
        if sameLine {
            let lineSecrets = secrets ?? redactor.secrets(in: subject)
            text = eventText(eventTextBytes, secretsOfWholeLine: lineSecrets)
        } else {
            text = eventText(eventTextBytes)
        }
        var eventFields = [fields]
        if let split = definition.pointee.split, let list = fields[split.field] {
            eventFields = Self.splitItems(list, split).map { item in
                var copy = fields
                copy.merge(item) { $1 }
                return copy
            }
        }
        for itemFields in eventFields {
            var event = Event(kind: definition.pointee.kind, definition: definition.pointee.id, job: job, line: line, text: text, fields: itemFields)
            event.provenance = provenance
            emit(event, state: &state, continuation: definition.pointee.continuation)
        }
    }

    static func splitItems(_ list: String, _ split: EventDefinition.Split) -> [[String: String]] {
        let scratch = MatchScratch()
        var result: [[String: String]] = []
        for part in list.split(separator: split.separator, omittingEmptySubsequences: true) {
            let item = part.trimmingSpaces()
            guard !item.isEmpty else { continue }
            var fields = [split.field: item]
            if let pattern = split.item {
                var bytes = Array(item.utf8)
                let outcome = bytes.withUnsafeMutableBufferPointer { pattern.firstMatch(in: UnsafeBufferPointer($0), scratch: scratch) }
                if case .matched(let match) = outcome {
                    for name in pattern.groupNames {
                        if let range = match.range(named: name) {
                            fields[name] = String(decoding: bytes[range], as: UTF8.self)
                        }
                    }
                }
            }
            result.append(fields)
        }
        return result
    }

    private mutating func emit(_ event: Event, state: inout JobState, continuation: Pattern?) {
        if inheritedKinds.contains(event.kind) {
            state.latest[event.kind] = (event, state.commandGeneration)
        }
        let handle = store.append(event)
        if let continuation { state.continuation = (handle, continuation) }
    }

    /// The line as an event shows it: trailing blanks dropped, redacted, cut. `secretsOfWholeLine`
    /// (the redactor's search of all of `bytes`) spares searching the line again when nothing was
    /// dropped, or at all when it met no secret's literal (then no part of the line has one).
    private func eventText(_ bytes: UnsafeBufferPointer<UInt8>, secretsOfWholeLine: SecretRedactor.Secrets? = nil) -> Redacted {
        var count = bytes.count
        while count > 0 && (bytes[count - 1] == 0x20 || bytes[count - 1] == 0x09) { count -= 1 }
        if let secretsOfWholeLine, !secretsOfWholeLine.holdsLiteral {
            return redactor.redactedPrefix(of: UnsafeBufferPointer(rebasing: bytes[0..<count]), maxBytes: Self.maxEventText, secrets: [])
        }
        if count == bytes.count, let secretsOfWholeLine {
            return redactor.redactedPrefix(of: bytes, maxBytes: Self.maxEventText, secrets: secretsOfWholeLine.ranges)
        }
        let bytes = UnsafeBufferPointer(rebasing: bytes[0..<count])
        return redactor.redactedPrefix(of: bytes, maxBytes: Self.maxEventText)
    }
}
