import Foundation
import LogDx

/// The analysis in every form the hook writes, each passed through the output redactor.
struct CIReports {
    let analysis: Analysis
    let redactor: OutputRedactor

    func render(_ format: OutputFormat, color: Bool = false) -> String {
        redactor.redact(format.renderer(color: color).render(analysis))
    }

    var hasFindings: Bool {
        !analysis.diagnoses.isEmpty || analysis.excerpts.contains { !$0.explained }
    }

    /// What goes into the job log. GitLab: the text report in a collapsible section, open so the
    /// cause is visible without a click. GitHub: annotations, then the text report in a group.
    func logOutput(for provider: CIProvider, color: Bool) -> String {
        let text = render(.text, color: color)
        let now = Int(Date().timeIntervalSince1970)
        switch provider {
        case .gitlab:
            return "\u{1B}[0Ksection_start:\(now):logdx_diagnosis[collapsed=false]\r\u{1B}[0Klogdx diagnosis\n"
                + text
                + "\u{1B}[0Ksection_end:\(now):logdx_diagnosis\r\u{1B}[0K\n"
        case .github:
            // Quoted log lines could hold workflow commands (`::add-mask::`, `::error::`); the
            // runner ignores commands between stop-commands and its one-time token.
            let pause = UUID().uuidString.lowercased()
            return render(.github) + "::group::logdx diagnosis\n::stop-commands::\(pause)\n" + text
                + "::\(pause)::\n::endgroup::\n"
        }
    }
}
