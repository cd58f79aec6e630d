import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Correlate binds values, Explain writes prose from them, and the values stay on the diagnosis
/// (`bindings`) for JSON, the scan database and clusters.
@Suite struct FindingBindingsTests {
    @Test func theSeedsDiagnosisCarriesThePackageTheJobsAndThePath() throws {
        let analysis = try diagnose([Repo.seed])
        let cause = try #require(analysis.diagnoses.first { $0.rule == "python-packages-not-carried" })
        #expect(cause.bindings["missing.package"] == ["rdflib"])
        #expect(cause.bindings["installed.job"] == ["uv-install"])
        #expect(cause.bindings["missing.job"] == ["test"])
        #expect(cause.bindings["installed.location"] == ["/usr/local"])
        // What the prose says is what the values are.
        for value in ["rdflib", "uv-install"] { #expect(cause.title.contains(value) || cause.explanation.contains(value)) }
        // Only field references, never a filter's guess or a whole binding.
        #expect(cause.bindings.keys.allSatisfy { $0.contains(".") && !$0.contains("|") })
        #expect(cause.bindings.values.allSatisfy { !$0.isEmpty && !$0.contains("") })
    }

    @Test func jsonCarriesTheBindingsOfEveryDiagnosis() throws {
        let analysis = try diagnose([Repo.seed])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(analysis).utf8)) as? [String: Any])
        let diagnoses = try #require(json["diagnoses"] as? [[String: Any]])
        #expect(diagnoses.count == analysis.diagnoses.count)
        for (object, diagnosis) in zip(diagnoses, analysis.diagnoses) {
            #expect(object["bindings"] as? [String: [String]] == diagnosis.bindings, "\(diagnosis.rule)")
        }
    }

    @Test func mergedRepeatsListTheValuesOfEveryRepeatOnce() {
        func finding(_ test: String) -> Diagnosis {
            var diagnosis = Diagnosis(
                rule: "jest-test-failed", severity: .error, title: "\(test) failed", explanation: "x", jobs: ["test"],
                evidence: [], fixes: [], docs: [])
            diagnosis.bindings = ["failed.test": [test], "failed.job": ["test"]]
            return diagnosis
        }
        let merged = DiagnosisRanker.mergingRepeats([finding("a"), finding("b"), finding("a")])
        #expect(merged.count == 1)
        #expect(merged.first?.bindings["failed.test"] == ["a", "b"])
        #expect(merged.first?.bindings["failed.job"] == ["test"])
    }
}
