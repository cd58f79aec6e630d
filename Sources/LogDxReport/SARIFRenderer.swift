import Foundation
import LogDxDiagnose
import LogDxModel

/// SARIF 2.1.0, for code-scanning views (GitHub code scanning, IDEs): one result per diagnosis,
/// located at its first evidence line.
public struct SARIFRenderer: Renderer {
    public init() {}

    public func render(_ analysis: Analysis) -> String {
        var rules: [[String: Any]] = []
        var seen: Set<String> = []
        for d in analysis.diagnoses where seen.insert(d.rule).inserted {
            var rule: [String: Any] = ["id": d.rule, "shortDescription": ["text": d.rule]]
            if let help = d.docs.first { rule["helpUri"] = help }
            rules.append(rule)
        }
        let results: [[String: Any]] = analysis.diagnoses.map { d in
            var result: [String: Any] = [
                "ruleId": d.rule,
                "level": d.severity == .error ? "error" : d.severity == .warning ? "warning" : "note",
                "message": ["text": d.title + "\n\n" + d.explanation + Self.fixes(d)],
            ]
            if let anchor = d.anchor ?? d.evidence.first {
                result["locations"] = [["physicalLocation": [
                    "artifactLocation": ["uri": anchor.source],
                    "region": ["startLine": anchor.line, "snippet": ["text": anchor.text.value]],
                ]]]
            }
            return result
        }
        let document: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": ["name": "logdx", "version": LogDxVersion.current, "rules": rules]],
                "results": results,
            ]],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    package static func fixes(_ d: Diagnosis) -> String {
        guard !d.fixes.isEmpty else { return "" }
        return "\n\nFix:\n" + d.fixes.enumerated().map { "\($0.offset + 1). \($0.element.summary)" }.joined(separator: "\n")
    }
}
