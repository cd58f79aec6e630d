import Foundation
import LogDx

/// The rule loader on arbitrary YAML: as a rule file and as an event file, next to the real
/// event definitions so that references resolve; errors are fine, crashes are not.
let fuzzFolder: String = {
    let folder = "/dev/shm/logdx-fuzz-rules-\(getpid())"
    try? FileManager.default.createDirectory(atPath: folder + "/events", withIntermediateDirectories: true)
    return folder
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let asEvents = size > 0 && data![0] & 1 == 1
    let target = fuzzFolder + (asEvents ? "/events/fuzz.yaml" : "/fuzz-rule.yaml")
    try? FileManager.default.removeItem(atPath: fuzzFolder + (asEvents ? "/fuzz-rule.yaml" : "/events/fuzz.yaml"))
    FuzzFile.write(data, size, to: target)
    if let rules = try? RuleSet.load(from: [fuzzFolder]) {
        for rule in rules.rules { _ = RuleExplanation(rule: rule, rules: rules).render() }
    }
    return 0
}
