import LogDxDiagnose

/// JUnit XML, for CI test-report views (GitLab `artifacts:reports:junit`): one test case per
/// diagnosis, failed for errors and warnings, passing with its text for notes.
public struct JUnitRenderer: Renderer {
    public init() {}

    public func render(_ analysis: Analysis) -> String {
        let failures = analysis.diagnoses.filter { $0.severity != .info }.count
        var out = [#"<?xml version="1.0" encoding="UTF-8"?>"#]
        out.append(#"<testsuites name="logdx" tests="\#(analysis.diagnoses.count)" failures="\#(failures)">"#)
        out.append(#"  <testsuite name="logdx diagnosis" tests="\#(analysis.diagnoses.count)" failures="\#(failures)">"#)
        for d in analysis.diagnoses {
            let body = XML.escape(d.explanation + "\n\nEvidence:\n" + d.evidence.map { "\($0.place)  \($0.text)" }.joined(separator: "\n")
                + SARIFRenderer.fixes(d))
            out.append(#"    <testcase classname="logdx.\#(XML.escape(d.rule))" name="\#(XML.escape(d.title))">"#)
            if d.severity == .info {
                out.append("      <system-out>\(body)</system-out>")
            } else {
                out.append(#"      <failure type="\#(d.severity.rawValue)" message="\#(XML.escape(d.title))">\#(body)</failure>"#)
            }
            out.append("    </testcase>")
        }
        out.append("  </testsuite>")
        out.append("</testsuites>")
        return out.joined(separator: "\n") + "\n"
    }
}

/// Escaping for XML and HTML text and attribute values.
public enum XML {
    public static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 cannot carry most control characters, even escaped.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" && scalar != "\r" { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
