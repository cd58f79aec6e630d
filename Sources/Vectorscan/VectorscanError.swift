import CVectorscan

/// A failure reported by libhs: a pattern it rejects (with the id of that pattern), a serialized
/// database it cannot read, or a scan it could not run.
public struct VectorscanError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The libhs status code (`HS_COMPILER_ERROR`, `HS_DB_VERSION_ERROR`, …).
    public let code: Int32
    /// libhs's message for compile errors, or a description of `code`.
    public let message: String
    /// The id of the expression the compiler rejected, when the error is about one expression.
    public let expressionID: UInt32?

    init(code: Int32, message: String? = nil, expressionID: UInt32? = nil) {
        self.code = code
        self.message = message ?? VectorscanError.describe(code)
        self.expressionID = expressionID
    }

    public var description: String {
        if let expressionID { return "\(message) (pattern \(expressionID))" }
        return message
    }

    /// Whether a serialized database was made by another libhs version or for another CPU: the
    /// caller should compile again rather than report it.
    public var isIncompatibleDatabase: Bool {
        code == HS_DB_VERSION_ERROR || code == HS_DB_PLATFORM_ERROR || code == HS_DB_MODE_ERROR
    }

    static func describe(_ code: Int32) -> String {
        switch code {
        case HS_INVALID: return "invalid parameter to libhs"
        case HS_NOMEM: return "libhs could not allocate memory"
        case HS_SCAN_TERMINATED: return "scan stopped by the match handler"
        case HS_COMPILER_ERROR: return "libhs could not compile the patterns"
        case HS_DB_VERSION_ERROR: return "the database was built by another libhs version"
        case HS_DB_PLATFORM_ERROR: return "the database was built for another platform"
        case HS_DB_MODE_ERROR: return "the database was built for another scan mode"
        case HS_BAD_ALIGN: return "misaligned libhs data"
        case HS_BAD_ALLOC: return "libhs allocator returned misaligned memory"
        case HS_SCRATCH_IN_USE: return "libhs scratch space used by two scans at once"
        case HS_ARCH_ERROR: return "this CPU lacks the instructions libhs needs"
        case HS_INSUFFICIENT_SPACE: return "buffer too small for libhs"
        default: return "libhs error \(code)"
        }
    }
}
