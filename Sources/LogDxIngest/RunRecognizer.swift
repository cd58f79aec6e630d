import LogDxModel

/// Tells the runs apart when the input holds more than one run of a pipeline: the run that saved a
/// cache and the run that then failed, pasted or downloaded side by side. Jobs of one run keep the
/// names their CI gave them; the run says which of two `build` jobs ran first.
///
/// A run is recognised, in this order of trust:
/// 1. by the path a job was read from, when a folder or file name carries a run or attempt number
///    (`run-1042/test.log`, `01-run-1043-site.log`, `attempt_2/build`): the numbers order the runs;
/// 2. by a job name that comes back: the second `build` of the input starts run 2, the third run 3.
/// One run, or jobs of distinct names without run numbers, get no run: nothing changes for them.
package enum RunRecognizer {
    /// The run number a source path names, if any: digits after `run` or `attempt` at a word start.
    package static func runNumber(inPath path: String) -> Int? {
        let lower = Array(path.lowercased().utf8)
        var found: Int?
        for word in ["run", "attempt"] {
            let token = Array(word.utf8)
            var at = 0
            while at + token.count <= lower.count {
                defer { at += 1 }
                guard lower[at..<(at + token.count)].elementsEqual(token) else { continue }
                // A word start: `rerun-3` or `pruning2` name no run.
                if at > 0, isLetter(lower[at - 1]) { continue }
                var digit = at + token.count
                while digit < lower.count, lower[digit] == UInt8(ascii: "-") || lower[digit] == UInt8(ascii: "_")
                    || lower[digit] == UInt8(ascii: " ") || lower[digit] == UInt8(ascii: "#") {
                    digit += 1
                }
                var value = 0
                var digits = 0
                while digit < lower.count, lower[digit] >= UInt8(ascii: "0"), lower[digit] <= UInt8(ascii: "9"), digits < 12 {
                    value = value * 10 + Int(lower[digit] - UInt8(ascii: "0"))
                    digit += 1
                    digits += 1
                }
                // The number must end the word (`run-12a` is a name, not a run).
                guard digits > 0, digit == lower.count || !isLetter(lower[digit]) else { continue }
                // The innermost mention wins: `runs/run-2/…` is run 2.
                found = value
            }
        }
        return found
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }

    /// Run numbers (1-based) and labels for `jobs`, in input order; nil where the input holds one run.
    package static func runs(of jobs: [Job]) -> [(run: Int, label: String)?] {
        let numbers = jobs.map { runNumber(inPath: $0.source) }
        let distinct = Set(numbers.compactMap { $0 })
        if numbers.allSatisfy({ $0 != nil }), distinct.count > 1 {
            let ranks = Dictionary(uniqueKeysWithValues: distinct.sorted().enumerated().map { ($1, $0 + 1) })
            return numbers.map { number in number.flatMap { n in ranks[n].map { ($0, "run \(n)") } } }
        }
        var seen: [String: Int] = [:]
        let occurrences = jobs.map { job -> Int in
            seen[job.name, default: 0] += 1
            return seen[job.name, default: 1]
        }
        guard occurrences.contains(where: { $0 > 1 }) else { return jobs.map { _ in nil } }
        // Jobs of a name seen once belong to the run of the job read just before them: a paste
        // of run 1 (setup, build) then run 2 (setup, build, test) puts test in run 2. A name that
        // comes back within the current run starts the next one, so no run holds a name twice
        // (`build, build, test, test` is two runs of build and test, not a run 2 with two tests).
        var current = 1
        var namesInRun: Set<String> = []
        return zip(jobs, occurrences).map { job, occurrence in
            if occurrence > current || namesInRun.contains(job.name) {
                current = max(current + 1, occurrence)
                namesInRun = []
            }
            namesInRun.insert(job.name)
            return (current, "run \(current)")
        }
    }
}
