import Foundation
import LogDx
@testable import LogDxScan
import Testing

/// `scan` and `diagnose FOLDER` walk folders one way (`FolderWalker`): a link to a folder is not
/// followed, so a `..` link cannot multiply the files of a pipeline.
@Suite struct ScanFolderWalkTests {
    @Test func aLinkToAnAncestorAddsNoFiles() throws {
        let scratch = ScratchFolder()
        let folder = scratch.path + "/logs/pipeline"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data("$ make\nok\n".utf8).write(to: URL(fileURLWithPath: folder + "/build.log"))
        #expect(symlink("..", folder + "/up") == 0)
        #expect(symlink(scratch.path + "/logs", folder + "/root") == 0)
        let plan = try ScanPlan.make(paths: [scratch.path + "/logs"])
        #expect(plan.pipelines.count == 1)
        #expect(plan.pipelines.first?.files.map(\.relative) == ["pipeline/build.log"])
    }
}
