import CVectorscan

/// One pattern of a database: its source, the id matches report, and how it is compiled.
public struct Expression: Sendable, Hashable {
    public var pattern: String
    public var id: UInt32
    public var flags: Flags

    public init(_ pattern: String, id: UInt32, flags: Flags = []) {
        self.pattern = pattern
        self.id = id
        self.flags = flags
    }

    /// libhs's per-expression compile flags.
    public struct Flags: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        public static let caseless = Flags(rawValue: UInt32(HS_FLAG_CASELESS))
        public static let dotAll = Flags(rawValue: UInt32(HS_FLAG_DOTALL))
        public static let multiline = Flags(rawValue: UInt32(HS_FLAG_MULTILINE))
        /// Report a pattern at most once per scan: enough for "can this pattern match here".
        public static let singleMatch = Flags(rawValue: UInt32(HS_FLAG_SINGLEMATCH))
        public static let allowEmpty = Flags(rawValue: UInt32(HS_FLAG_ALLOWEMPTY))
        /// The pattern and every scanned buffer are UTF-8 (buffers must then be valid UTF-8).
        public static let utf8 = Flags(rawValue: UInt32(HS_FLAG_UTF8))
        public static let unicodeProperties = Flags(rawValue: UInt32(HS_FLAG_UCP))
        /// Match a superset of what the pattern matches, for constructs libhs cannot match exactly
        /// (lookarounds, back references): the caller confirms every report with a full engine.
        public static let prefilter = Flags(rawValue: UInt32(HS_FLAG_PREFILTER))
    }
}
