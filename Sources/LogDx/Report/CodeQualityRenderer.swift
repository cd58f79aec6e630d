import Foundation

/// GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of issues with a stable
/// fingerprint, so merge requests show what a pipeline introduced.
public struct CodeQualityRenderer: Renderer {
    public init() {}

    public func render(_ analysis: Analysis) -> String {
        let issues: [[String: Any]] = analysis.diagnoses.map { d in
            let anchor = d.anchor ?? d.evidence.first
            return [
                "description": d.title,
                "check_name": d.rule,
                "fingerprint": Self.fingerprint(d.rule + "\u{0}" + d.title),
                "severity": d.severity == .error ? "critical" : d.severity == .warning ? "major" : "info",
                "location": ["path": anchor?.source ?? "", "lines": ["begin": anchor?.line ?? 1]],
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: issues, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// FNV-1a, 64 bits, in hex: stable across runs and machines.
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
