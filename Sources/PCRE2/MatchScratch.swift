import CPCRE2
import Synchronization

/// Per-thread memory for matching: match data, match context with limits, and a JIT stack.
///
/// Not thread-safe: give each thread or task its own and reuse it across calls, since allocating
/// match data per call is the slow path.
public final class MatchScratch {
    private(set) var matchData: OpaquePointer
    let context: OpaquePointer
    private let jitStack: OpaquePointer?
    private var pairCapacity: Int
    public let limits: MatchLimits

    public init(limits: MatchLimits = .default) {
        self.limits = limits
        pairCapacity = 32
        // SAFETY: each object created here is owned by this instance and freed in deinit; none is
        // shared with another instance.
        matchData = pcre2_match_data_create_8(UInt32(pairCapacity), nil)
        context = pcre2_match_context_create_8(nil)
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        pcre2_set_heap_limit_8(context, limits.heapLimitKiB)
        // The default 32 KiB JIT stack is too small for some realistic patterns on long lines.
        jitStack = Self.idleJITStacks.withLock { $0.popLast() }.flatMap(OpaquePointer.init(bitPattern:))
            ?? pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack {
            pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack))
        }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack {
            let address = UInt(bitPattern: jitStack)
            let kept = Self.idleJITStacks.withLock { idle in
                guard idle.count < Self.maxIdleJITStacks else { return false }
                idle.append(address)
                return true
            }
            if !kept { pcre2_jit_stack_free_8(jitStack) }
        }
    }

    /// JIT stacks of scratches that are gone, for the next one. Each reserves a megabyte, which
    /// malloc maps and unmaps: scratches are made per reader, redactor and line normaliser, so a
    /// scan of many small logs spent a quarter of its time in the kernel on them. A stack serves
    /// one match at a time, and an idle one none; it maps its megabyte but touches only what a
    /// match uses, so idle ones cost address space, not memory. A pipeline of many jobs holds a
    /// reader's worth per job until it is diagnosed, hence the bound well above the cores.
    /// (Addresses: Sendable where pointers are not.)
    private static let idleJITStacks = Mutex<[UInt]>([])
    private static let maxIdleJITStacks = 64

    func ensureCapacity(pairs: Int) {
        guard pairs > pairCapacity else { return }
        pcre2_match_data_free_8(matchData)
        pairCapacity = pairs
        matchData = pcre2_match_data_create_8(UInt32(pairs), nil)
    }

    private var sanitized: [UInt8] = []

    /// Runs `body` on a copy of `subject` with every byte that is not part of well-formed UTF-8
    /// replaced by `?`, keeping byte offsets unchanged.
    func withSanitizedCopy<R>(of subject: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        sanitized.removeAll(keepingCapacity: true)
        sanitized.append(contentsOf: subject)
        var index = 0
        while index < subject.count {
            if let length = UTF8Validation.sequenceLength(subject, at: index) {
                index += length
            } else {
                sanitized[index] = UInt8(ascii: "?")
                index += 1
            }
        }
        return sanitized.withUnsafeBufferPointer(body)
    }

    func readGroups(count: Int) -> [Range<Int>?] {
        // SAFETY: the ovector holds `pairCapacity` pairs and `count <= pairCapacity` was ensured
        // before matching; it stays valid until the next match with this match data.
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let unset = cpcre2_unset()
        var groups: [Range<Int>?] = []
        groups.reserveCapacity(count)
        for group in 0..<count {
            let start = ovector[2 * group]
            let end = ovector[2 * group + 1]
            groups.append(start == unset || end < start ? nil : Int(start)..<Int(end))
        }
        return groups
    }
}
