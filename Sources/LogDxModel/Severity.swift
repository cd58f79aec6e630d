/// How much a diagnosis matters. Ordered so that `error` sorts first.
public enum Severity: String, Codable, Sendable, CaseIterable, Comparable {
    case error
    case warning
    case info

    package var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .info: 2
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}
