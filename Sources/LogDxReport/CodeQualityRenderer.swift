import Foundation
import LogDxConfig
import LogDxDiagnose
import LogDxModel

/// GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of issues with a stable
/// fingerprint, so merge requests show what a pipeline introduced.
public struct CodeQualityRenderer: Renderer {
    public init() {}

    public func render(_ analysis: Analysis) -> String {
        let issues: [[String: Any]] = analysis.diagnoses.map { d in
            let location = Self.location(of: d, config: analysis.config)
            return [
                "description": d.title,
                "check_name": d.rule,
                "fingerprint": Self.fingerprint(d.rule + "\u{0}" + d.title),
                "severity": d.severity == .error ? "critical" : d.severity == .warning ? "major" : "info",
                "location": ["path": location.path, "lines": ["begin": location.line]],
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: issues, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// GitLab shows an issue on the merge request's diff at a file of the repository. A job log is
    /// not one, so with a CI config the issue points into it: the config line among the
    /// evidence, else where the failing job is defined, else the config's first line.
    package static func location(of diagnosis: Diagnosis, config: CIConfig?) -> (path: String, line: Int) {
        if let config {
            if let line = diagnosis.evidence.first(where: { $0.origin == .config }) {
                return (line.source, line.line)
            }
            let matcher = JobNameMatcher(jobs: config.jobs)
            for name in diagnosis.jobs.reversed() {
                if let job = matcher.match(name) { return (job.file, job.line) }
            }
            if let file = config.files.first { return (file, 1) }
        }
        let anchor = diagnosis.anchor ?? diagnosis.evidence.first
        return (anchor?.source ?? "", anchor?.line ?? 1)
    }

    /// FNV-1a, 64 bits, in hex: stable across runs and machines.
    package static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
