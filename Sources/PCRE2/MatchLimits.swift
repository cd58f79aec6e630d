/// Bounds on one match attempt, so a pathological pattern cannot hang a scan.
///
/// The JIT honours `matchLimit` but not `depthLimit` or `heapLimit`; those bound the interpreter,
/// which runs when JIT compilation is unavailable.
public struct MatchLimits: Sendable, Equatable {
    public var matchLimit: UInt32
    public var depthLimit: UInt32
    /// In kibibytes, as libpcre2 counts it.
    public var heapLimitKiB: UInt32

    public init(matchLimit: UInt32 = 1_000_000, depthLimit: UInt32 = 10_000, heapLimitKiB: UInt32 = 20_000) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
        self.heapLimitKiB = heapLimitKiB
    }

    public static let `default` = MatchLimits()
}
