import Foundation
import Testing
@testable import LogDx
import TestSupport

/// The cause that failed the job comes first. The shape is the real Jenkins console of
/// `../shared/datasets/cidiff/guava_1947/fail.log`: a build script's `bc: command not found`
/// (bash's wording) that the script shrugged off, then Maven's compile errors, which failed it.
@Suite struct RankingTests {
    static func survivedThenFailed(gap: Int) -> String {
        var lines = [
            "Started by user Kim Gruber",
            "Running on agent-linux-2 in /var/lib/jenkins/workspace/geo-core",
            "+ curl https://ci.example.org/jenkins/build.sh",
            "+ bash build.sh",
            "bash: line 97: bc: command not found",
            "[INFO] Scanning for projects...",
        ]
        lines += (1...gap).map { "[INFO] Compiling module part \($0) of \(gap)" }
        lines += [
            "[ERROR] COMPILATION ERROR : ",
            "[INFO] -------------------------------------------------------------",
            "[ERROR] /var/lib/jenkins/workspace/geo-core/src/main/java/org/geo/Tiles.java:[155,27] cannot find symbol",
            "  symbol:   class TileCache",
            "  location: package org.geo.cache",
            "[INFO] BUILD FAILURE",
            "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.10.1:compile (default-compile) on project geo-core: Compilation failure",
            "Finished: FAILURE",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func theErrorTheJobFailedOnComesBeforeOneItSurvived() throws {
        let folder = TemporaryDirectory()
        let analysis = try diagnose([folder.write("build.log", Self.survivedThenFailed(gap: 40))])
        let rules = analysis.diagnoses.map(\.rule)
        let compile = try #require(rules.firstIndex(of: "maven-compilation-error"))
        let bc = try #require(rules.firstIndex(of: "shell-command-not-found"))
        #expect(compile < bc)
        #expect(analysis.diagnoses[bc].survived)
        #expect(!analysis.diagnoses[compile].survived)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(analysis).utf8)) as? [String: Any])
        let diagnoses = try #require(json["diagnoses"] as? [[String: Any]])
        let ranked = diagnoses.compactMap { $0["ranked_by"] as? [String: Any] }
        #expect(ranked.count == diagnoses.count)
        #expect(ranked.map { $0["survived_by_job"] as? Bool } == analysis.diagnoses.map { $0.survived })
        #expect(json["schema_version"] as? String == "1.5")
    }

    /// An error's consequences follow it at once: the job did not survive it, so the order stays
    /// by position (the earlier line first, at equal priority).
    @Test func aConsequenceRightAfterAnErrorDoesNotMakeItSurvived() throws {
        let folder = TemporaryDirectory()
        let analysis = try diagnose([folder.write("build.log", Self.survivedThenFailed(gap: 2))])
        // Both findings are there, so "none survived" is a judgement, not an empty list.
        #expect(Set(analysis.diagnoses.map(\.rule)).isSuperset(of: ["maven-compilation-error", "shell-command-not-found"]))
        #expect(!analysis.diagnoses.contains { $0.survived })
    }

    @Test func aCrossJobCauseIsNeverSurvived() throws {
        let analysis = try diagnose([Repo.seed])
        #expect(analysis.diagnoses.first?.rule == "python-packages-not-carried")
        #expect(!analysis.diagnoses.contains { $0.survived })
    }
}
