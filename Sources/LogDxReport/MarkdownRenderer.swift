import LogDxDiagnose
import LogDxModel

/// Markdown for merge-request notes, issue comments and GitHub step summaries.
public struct MarkdownRenderer: Renderer {
    public init() {}

    public func render(_ analysis: Analysis) -> String {
        let analysis = analysis.escapingControlCharacters()
        var out: [String] = []
        let p = analysis.pipeline
        out.append("## logdx diagnosis")
        out.append("")
        out.append("| job | stage | status |")
        out.append("|---|---|---|")
        for job in p.jobsInOrder {
            var status = job.status.rawValue
            if let code = job.exitCode, job.status == .failed { status += " (exit \(code))" }
            out.append("| \(escape(job.displayName)) | \(escape(job.stage ?? "")) | \(status) |")
        }
        let unexplained = analysis.excerpts.filter { !$0.explained }
        if analysis.diagnoses.isEmpty && unexplained.isEmpty {
            out.append("")
            out.append("No known failure pattern found.")
        }
        for d in analysis.diagnoses where d.severity != .info { out.append(contentsOf: section(d)) }
        for excerpt in unexplained {
            out.append("")
            let icon = UnexplainedJobTitle.failed(excerpt, in: p) ? "❌" : "❔"
            out.append("### \(icon) \(UnexplainedJobTitle.title(excerpt, job: escape(excerpt.job), in: p))")
            out.append("")
            out.append("The lines that matter most:")
            out.append("")
            out.append("```")
            for line in excerpt.lines { out.append("\(excerpt.job):\(line.line)  \(line.new == true ? "+ " : "")\(line.text)") }
            out.append("```")
        }
        for d in analysis.diagnoses where d.severity == .info { out.append(contentsOf: section(d)) }
        return out.joined(separator: "\n") + "\n"
    }

    private func section(_ d: Diagnosis) -> [String] {
        var out: [String] = []
        let icon = d.severity == .error ? "❌" : d.severity == .warning ? "⚠️" : "ℹ️"
        out.append("")
        out.append("### \(icon) \(escape(d.title))")
        out.append("")
        out.append(d.explanation)
        out.append("")
        out.append("<details><summary>Evidence</summary>")
        out.append("")
        out.append("```")
        for e in d.evidence { out.append("\(e.place)  \(e.text)") }
        out.append("```")
        out.append("</details>")
        if !d.fixes.isEmpty {
            out.append("")
            out.append("**Fix**")
            out.append("")
            for (n, fix) in d.fixes.enumerated() {
                out.append("\(n + 1). **\(escape(fix.summary))**" + (fix.detail.isEmpty ? "" : " — \(fix.detail)"))
                if let patch = fix.patch {
                    out.append("")
                    out.append("   ```diff")
                    for line in patch.split(separator: "\n", omittingEmptySubsequences: false).dropLast(patch.hasSuffix("\n") ? 1 : 0) {
                        out.append("   " + line)
                    }
                    out.append("   ```")
                }
            }
        }
        if !d.symptoms.isEmpty {
            out.append("")
            out.append("Also explains: " + d.symptoms.map { "\(escape($0.title)) (`\($0.rule)`)" }.joined(separator: "; "))
        }
        if !d.docs.isEmpty {
            out.append("")
            out.append("Docs: " + d.docs.map { "<\($0)>" }.joined(separator: " · "))
        }
        out.append("")
        out.append("<sub>rule `\(d.rule)`</sub>")
        return out
    }

    private func escape(_ text: String) -> String {
        text.replacingPipes()
    }
}

extension String {
    func replacingPipes() -> String {
        split(separator: "|", omittingEmptySubsequences: false).joined(separator: "\\|")
    }
}
