import CPCRE2
import Synchronization

/// A compiled PCRE2 pattern, JIT-compiled before its first match.
///
/// One instance serves every thread; per-thread state lives in `MatchScratch`. Subjects are bytes:
/// offsets are UTF-8 code units, never `String` indices.
///
/// The JIT runs on first use rather than in `init` because a rule set holds hundreds of patterns
/// and most runs (a pasted fragment, a small log) match only a few of them: JIT-compiling them all
/// was a fifth of start-up. A pattern known to compile (one read back from the rule-set cache,
/// compiled when the set was first loaded) can defer compiling too (`init(compiledBefore:)`).
public final class Pattern: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): the compiled code is made once, under `lock`, and
    // published through `published` with release ordering; every use loads it with acquire
    // ordering first. The JIT writes into the code once, under the same lock, before `jitState`
    // is published the same way, and every match reads `jitState` first. Afterwards libpcre2 only
    // reads the code, and the PCRE2 documentation states that a compiled pattern, once
    // JIT-compiled, may be used by several threads at once with separate match data.
    private let published: Atomic<Unmanaged<Compiled>?>
    private let jitState = Atomic<UInt8>(JITState.pending)
    private let lock = Mutex<Void>(())

    private enum JITState {
        static let pending: UInt8 = 0
        static let compiled: UInt8 = 1
        /// libpcre2 was built without JIT support, or the JIT failed: the interpreter matches.
        static let unavailable: UInt8 = 2
    }

    /// The compiled code and what it tells about its groups.
    private final class Compiled {
        let code: OpaquePointer
        /// Number of capturing groups, not counting group 0.
        let captureCount: Int
        let groupNames: [String]
        /// Group numbers of each name; several when `(?J)` lets alternatives share a name.
        let names: NameTable
        /// `groupNames` with their group numbers, in the same order.
        let namedGroups: [NamedGroup]

        init(_ source: String, _ options: Options) throws(PCRE2Error) {
            // Not PCRE2_MATCH_INVALID_UTF: with the JIT, libpcre2 10.42 misses real matches in that
            // mode (`ür (\S+)$` against `xür Jörg`; see PatternTests). Subjects are validated once
            // instead and matched with PCRE2_NO_UTF_CHECK, which also spares a validation pass per
            // pattern.
            let flags = PCRE2_UTF | options.rawValue
            var errorCode: Int32 = 0
            var errorOffset: Int = 0
            let utf8 = Array(source.utf8)
            // SAFETY: the pattern bytes are alive for the call and their length is passed
            // explicitly; libpcre2 copies what it needs into the compiled code.
            let compiled = utf8.withUnsafeBufferPointer { buf in
                pcre2_compile_8(buf.baseAddress, buf.count, flags, &errorCode, &errorOffset, nil)
            }
            guard let compiled else {
                throw PCRE2Error(code: errorCode, patternOffset: errorOffset)
            }
            code = compiled
            var count: UInt32 = 0
            pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
            captureCount = Int(count)
            let names = Pattern.readNameTable(compiled)
            groupNames = names.sorted { $0.value[0] < $1.value[0] }.map(\.key)
            self.names = NameTable(names)
            namedGroups = groupNames.map { NamedGroup(name: $0, indices: names[$0] ?? []) }
        }

        deinit {
            pcre2_code_free_8(code)
        }
    }

    /// The source text of the pattern, as given.
    public let source: String
    /// The options it was compiled with (another engine running the same pattern needs them).
    public let options: Options
    /// Whether the JIT compiled the pattern (false only where libpcre2 has no JIT support);
    /// asking compiles it.
    public var isJITCompiled: Bool {
        guard let compiled = compiled() else { return false }
        return jitReadyState(code: compiled.code) == JITState.compiled
    }
    /// Number of capturing groups, not counting group 0.
    public var captureCount: Int { compiled()?.captureCount ?? 0 }
    /// Named groups in the order of their group numbers (a name repeated under `(?J)` once).
    public var groupNames: [String] { knownGroupNames ?? compiled()?.groupNames ?? [] }
    /// The group names given by `init(compiledBefore:options:groupNames:)`.
    private let knownGroupNames: [String]?

    /// A named group and its group numbers (several under `(?J)`).
    public struct NamedGroup: Sendable {
        public let name: String
        public let indices: [Int]
    }

    /// `groupNames` with their numbers: reading every named group of a match by number, as the
    /// tokenizer does for each event, spares a dictionary lookup of each name
    /// (`Match.range(named:)`), a twentieth of the tokenizer's instructions.
    public var namedGroups: [NamedGroup] { readCompiled(\.namedGroups) ?? [] }

    public struct Options: OptionSet, Sendable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }
        public static let caseInsensitive = Options(rawValue: PCRE2_CASELESS)
    }

    /// Compiles `source` in UTF mode; the JIT follows on first match.
    public init(_ source: String, options: Options = []) throws(PCRE2Error) {
        self.source = source
        self.options = options
        knownGroupNames = nil
        let compiled = try Compiled(source, options)
        published = Atomic(Unmanaged.passRetained(compiled))
    }

    /// A pattern that compiled with this libpcre2 before (`libraryVersion` is part of what a
    /// cache of such patterns is keyed by), compiled on first use. Should it fail after all, the
    /// pattern matches nothing.
    ///
    /// `groupNames`, when given, are the names that compile found (`groupNames` of the pattern
    /// then): asking for them then compiles nothing. Checking a rule set asks every event
    /// pattern for its names, and compiling all 500 of them for that was a fifth of a paste.
    public init(compiledBefore source: String, options: Options = [], groupNames: [String]? = nil) {
        self.source = source
        self.options = options
        knownGroupNames = groupNames
        published = Atomic(nil)
    }

    deinit {
        published.load(ordering: .acquiring)?.release()
    }

    /// libpcre2's version, for keys of caches that hold patterns compiled with it.
    public static let libraryVersion: String = {
        var buffer = [UInt8](repeating: 0, count: 64)
        // SAFETY: PCRE2_CONFIG_VERSION writes a zero-terminated string of at most 24 code units
        // into the buffer it is given, which is larger.
        let written = buffer.withUnsafeMutableBytes { pcre2_config_8(UInt32(PCRE2_CONFIG_VERSION), $0.baseAddress) }
        guard written > 0 else { return "unknown" }
        return String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    }()

    /// The compiled code, compiling it first if no thread has yet; nil only if a deferred compile
    /// failed.
    @inline(__always)
    private func compiled() -> Compiled? {
        if let ready = published.load(ordering: .acquiring) { return ready.takeUnretainedValue() }
        return lock.withLock { _ in
            if let ready = published.load(ordering: .acquiring) { return ready.takeUnretainedValue() }
            guard let made = try? Compiled(source, options) else { return nil }
            published.store(Unmanaged.passRetained(made), ordering: .releasing)
            return made
        }
    }

    /// What `read` takes from the compiled code (compiling it first if no thread has yet), read
    /// without retaining the compiled object: every thread's tokenizer matches the same
    /// patterns, and a retain and release per match on the one shared reference count made the
    /// cores take its cache line from each other (a fifth of the retain and release time of
    /// reading a corpus on two cores). `self` owns the object until deinit, and a caller holds
    /// `self`. Nil only if a deferred compile failed.
    @inline(__always)
    private func readCompiled<Value>(_ read: (Compiled) -> Value) -> Value? {
        if let ready = published.load(ordering: .acquiring) { return ready._withUnsafeGuaranteedRef(read) }
        return compiled().map(read)
    }

    /// The JIT state of the compiled code, JIT-compiling it first if no thread has yet.
    @inline(__always)
    private func jitReadyState(code: OpaquePointer) -> UInt8 {
        let state = jitState.load(ordering: .acquiring)
        if state != JITState.pending { return state }
        return lock.withLock { _ in
            let current = jitState.load(ordering: .acquiring)
            guard current == JITState.pending else { return current }
            let jit = pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE) == 0
            let state = jit ? JITState.compiled : JITState.unavailable
            jitState.store(state, ordering: .releasing)
            return state
        }
    }

    /// The group number of a named group (the first, when the name is shared).
    public func groupIndex(named name: String) -> Int? { compiled()?.names.indices[name]?.first }

    /// Finds the first match in `subject`, using `scratch` for per-call memory and limits.
    ///
    /// Invalid UTF-8 in the subject is matched as if each bad byte were `?`, so offsets stay those
    /// of the original bytes.
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, scratch: MatchScratch) -> MatchOutcome {
        if UTF8Validation.isValid(subject) {
            return firstMatch(inValidUTF8: subject, scratch: scratch)
        }
        return scratch.withSanitizedCopy(of: subject) { firstMatch(inValidUTF8: $0, scratch: scratch) }
    }

    /// Like `firstMatch(in:scratch:)` without validating: for subjects already known to be valid
    /// UTF-8 (cleaned log lines, Swift strings). Passing invalid UTF-8 here is a programming error.
    ///
    /// `start` is where the search begins; unlike searching a slice, lookbehinds and `\b` still see
    /// the bytes before it.
    public func firstMatch(inValidUTF8 subject: UnsafeBufferPointer<UInt8>, from start: Int = 0, scratch: MatchScratch) -> MatchOutcome {
        guard start >= 0, start <= subject.count, let (code, captureCount) = readCompiled({ ($0.code, $0.captureCount) }) else {
            return .noMatch
        }
        scratch.ensureCapacity(pairs: captureCount + 1)
        let options = UInt32(PCRE2_NO_UTF_CHECK)
        // SAFETY: `subject` is valid for `subject.count` bytes for the duration of the call (the caller
        // holds it) and is well-formed UTF-8, as PCRE2_NO_UTF_CHECK requires (`start` too must be on a
        // character boundary, which callers keep by starting at ends of earlier matches); a zero-length subject
        // may have a nil base, so an empty static buffer stands in for it.
        let jit = jitReadyState(code: code) == JITState.compiled
        let rc: Int32 = withNonNullBase(subject) { base in
            if jit {
                return pcre2_jit_match_8(code, base, subject.count, start, options, scratch.matchData, scratch.context)
            }
            return pcre2_match_8(code, base, subject.count, start, options, scratch.matchData, scratch.context)
        }
        if rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL {
            return .noMatch
        }
        if rc < 0 {
            switch rc {
            case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT,
                PCRE2_ERROR_JIT_STACKLIMIT:
                return .limitExceeded(PCRE2Error(code: rc))
            default:
                // No other error can come from an offset inside a valid subject; if one does, a log line
                // must not bring the process down.
                return .noMatch
            }
        }
        return .matched(Match(groups: scratch.readGroups(count: captureCount + 1), names: readCompiled(\.names) ?? NameTable([:])))
    }

    /// `text` with every match replaced by `replacement`, taken literally (no `$1`), by libpcre2's
    /// own global substitution; nil when a match stopped at a resource limit.
    public func replacingMatches(in text: String, with replacement: String, scratch: MatchScratch) -> String? {
        // pcre2_substitute uses the JIT code when there is some: it must not be half-written.
        guard let compiled = compiled() else { return nil }
        _ = jitReadyState(code: compiled.code)
        let code = compiled.code
        scratch.ensureCapacity(pairs: compiled.captureCount + 1)
        let subject = Array(text.utf8)
        let literal = Array(replacement.utf8)
        let options = UInt32(PCRE2_SUBSTITUTE_GLOBAL) | UInt32(PCRE2_SUBSTITUTE_LITERAL)
            | UInt32(PCRE2_SUBSTITUTE_OVERFLOW_LENGTH) | UInt32(PCRE2_NO_UTF_CHECK)
        var capacity = subject.count + subject.count / 2 + 64
        // At most twice: the first call says how long the result is when the guess was short.
        for _ in 0..<2 {
            var output = [UInt8](repeating: 0, count: capacity)
            var length = capacity
            // SAFETY: every buffer is alive for the call and passed with its length; the subject and
            // the replacement come from Swift strings, so they are valid UTF-8 as PCRE2_NO_UTF_CHECK requires.
            let rc: Int32 = subject.withUnsafeBufferPointer { source in
                literal.withUnsafeBufferPointer { with in
                    withNonNullBase(source) { sourceBase in
                        withNonNullBase(with) { withBase in
                            output.withUnsafeMutableBufferPointer { out in
                                pcre2_substitute_8(
                                    code, sourceBase, source.count, 0, options, scratch.matchData, scratch.context,
                                    withBase, with.count, out.baseAddress, &length)
                            }
                        }
                    }
                }
            }
            if rc >= 0 { return String(decoding: output[0..<length], as: UTF8.self) }
            guard rc == PCRE2_ERROR_NOMEMORY else { return nil }
            capacity = length
        }
        return nil
    }

    /// `literal` as a pattern that matches exactly it: `\Q…\E` quoting, with any `\E` inside it
    /// matched as a literal between two quoted parts.
    public static func escaped(_ literal: String) -> String {
        "\\Q" + literal.split(separator: "\\E", omittingEmptySubsequences: false).joined(separator: "\\E\\\\E\\Q") + "\\E"
    }

    /// Convenience for tests and one-off checks on Swift strings.
    public func firstMatch(in text: String, scratch: MatchScratch) -> MatchOutcome {
        var text = text
        // A Swift string is always well-formed UTF-8.
        return text.withUTF8 { firstMatch(inValidUTF8: $0, scratch: scratch) }
    }

    private static func readNameTable(_ code: OpaquePointer) -> [String: [Int]] {
        var count: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>?
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &count)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard count > 0, let table else { return [:] }
        var result: [String: [Int]] = [:]
        for entry in 0..<Int(count) {
            // SAFETY: libpcre2 documents the table as `count` entries of `entrySize` bytes: a big-endian
            // 16-bit group number, then the zero-terminated name, inside the compiled code we own.
            let start = table + entry * Int(entrySize)
            let group = Int(start[0]) << 8 | Int(start[1])
            let name = String(cString: start + 2)
            result[name, default: []].append(group)
        }
        for key in result.keys { result[key]?.sort() }
        return result
    }
}

/// A pattern is stored as its source and options and compiled again when read.
extension Pattern: Codable {
    private enum CodingKeys: String, CodingKey {
        case source, options
    }

    public convenience init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let source = try container.decode(String.self, forKey: .source)
        let options = Options(rawValue: try container.decode(UInt32.self, forKey: .options))
        do {
            try self.init(source, options: options)
        } catch {
            throw DecodingError.dataCorruptedError(forKey: .source, in: container, debugDescription: "pattern: \(error)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(source, forKey: .source)
        try container.encode(options.rawValue, forKey: .options)
    }
}

private let emptySubject: [UInt8] = [0]

private func withNonNullBase<R>(_ buffer: UnsafeBufferPointer<UInt8>, _ body: (UnsafePointer<UInt8>) -> R) -> R {
    if let base = buffer.baseAddress { return body(base) }
    return emptySubject.withUnsafeBufferPointer { body($0.baseAddress!) }
}
