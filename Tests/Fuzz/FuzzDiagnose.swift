import Foundation
import LogDx

/// The whole flow with the built-in rules: tokenizer, correlation, excerpts and every renderer.
let fuzzDiagnoser: Diagnoser = {
    let rules = ProcessInfo.processInfo.environment["LOGDX_RULES_DIR"] ?? "Rules"
    do {
        return Diagnoser(rules: try RuleSet.load(from: [rules]))
    } catch {
        fatalError("fuzz-diagnose needs the rules (LOGDX_RULES_DIR): \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDiagnose(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzFile.write(data, size)
    guard let analysis = try? fuzzDiagnoser.diagnose([FuzzFile.path]) else { return 0 }
    for format in OutputFormat.allCases { _ = format.renderer(color: true).render(analysis) }
    return 0
}
