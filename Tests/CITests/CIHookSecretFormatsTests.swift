import Foundation
import TestSupport
import LogDx
import Testing

/// `logdx ci` on a failed GitLab job whose trace plants a secret of every format the redactor
/// knows: nothing the hook writes — standard output and error, the JUnit and Code Quality files,
/// the JSON and Markdown reports, the merge-request note — may show one.
@Suite struct CIHookSecretFormatsTests {
    static let token = "glpat-LgdxFakeEveryFmt9Qz"

    /// The planted trace and a scenario serving it, written to a scratch folder: the values are
    /// generated at test time, so no file of the repository holds them.
    static func scenario(in folder: ScratchFolder) throws -> (PlantedSecrets, name: String) {
        let template = try String(contentsOfFile: FakeCIServer.root + "/Fixtures/secrets/deploy-every-format.log.template", encoding: .utf8)
        let planted = try PlantedSecrets(template: template)
        try planted.text.write(toFile: folder.path + "/deploy.log", atomically: true, encoding: .utf8)
        let scenario: [String: Any] = [
            "provider": "gitlab", "token": token, "visibility": "private",
            "project_id": 64209871, "project_path": "kg-lab/rdf-portal", "pipeline_id": 1615240077,
            "pipeline": ["iid": 231, "ref": "main", "sha": "4c1d9e2a7b3f5e6d708192a3b4c5d6e7f8091a2b", "source": "push"],
            "merge_requests": [["iid": 23, "id": 356781299]],
            "jobs": [["id": 8791240199, "name": "deploy", "stage": "deploy", "status": "failed",
                      "failure_reason": "script_failure", "log": "deploy.log"]],
        ]
        try JSONSerialization.data(withJSONObject: scenario).write(to: URL(fileURLWithPath: folder.path + "/scenario.json"))
        // FakeCIServer looks under Fixtures/ci-api/<name>/; the name climbs out of there to the scratch folder.
        let base = FakeCIServer.root + "/Fixtures/ci-api"
        let depth = URL(fileURLWithPath: base).standardizedFileURL.pathComponents.count - 1
        return (planted, String(repeating: "../", count: depth) + String(folder.path.drop { $0 == "/" }))
    }

    @Test func noPlantedSecretReachesAnyOutputOfTheHook() throws {
        let served = ScratchFolder()
        let (planted, name) = try Self.scenario(in: served)
        let server = try FakeCIServer(scenario: name)
        let project = ScratchFolder()
        let environment = [
            "GITLAB_CI": "true", "CI_API_V4_URL": server.baseURL + "/api/v4", "CI_PROJECT_ID": "64209871",
            "CI_PIPELINE_ID": "1615240077", "LOGDX_GITLAB_TOKEN": Self.token, "CI_PROJECT_DIR": project.path,
            "CI_JOB_ID": "8791240999", "CI_JOB_NAME": "logdx", "CI_MERGE_REQUEST_IID": "23",
        ]
        let result = try LogDxProcess.run(
            ["ci", "--mr-note", "--json", "d.json", "--markdown", "d.md", "--excerpt-lines", "1000"],
            environment: environment, in: project.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("deploy (failed"), "the job was not diagnosed: \(result.stderr)")
        var outputs = ["stdout": result.stdout, "stderr": result.stderr]
        for file in ["logdx-junit.xml", "logdx-codequality.json", "d.json", "d.md"] {
            let written = try #require(project.read(file), "\(file) was not written")
            outputs[file] = written
        }
        outputs["merge-request note"] = try #require(try server.requests().first { $0.method == "POST" }?.body)
        // The server served the secrets: the outputs show the lines that held them, masked.
        let trace = try #require(try server.requests().first { $0.path.hasSuffix("/trace") })
        #expect(trace.status == 200)
        #expect((outputs["d.json"] ?? "").components(separatedBy: SecretRedactor.mask).count > 40)
        for (output, text) in outputs.sorted(by: { $0.key < $1.key }) {
            if let leak = planted.leak(in: text) {
                Issue.record("\(output) shows a planted \(leak.format) secret: \(leak.piece)")
            }
            #expect(!text.contains(Self.token), "\(output) shows the API token")
        }
    }
}
