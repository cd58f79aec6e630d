import Foundation
import LogDx

/// Downloads the logs of a pipeline's jobs a few at a time, failed jobs first, into memory, and
/// records the outcome on every job: its log, or a note saying why it has none or why it is
/// incomplete. No job is left without one or the other. Both CIs' fetchers use it; only the
/// request differs.
struct JobLogDownloads {
    /// Parallel downloads: enough to hide latency, few enough not to trip rate limits.
    static let parallel = 4
    /// Jobs named in one note before "and N more".
    static let namedInNote = 20

    /// What the CI calls a job's log in messages ("trace" on GitLab).
    let noun: String
    let limits: FetchLimits

    typealias Fetch = @Sendable (FetchedJob, LogCapture) async throws(FetchError) -> HTTPResponse

    private enum Result: Sendable {
        case arrived(HTTPResponse, LogCapture)
        case failed(FetchError)
    }

    /// One download as a value. It is a function of its own, awaited into a constant before the
    /// child task returns `(index, result)`, because Swift 6.3's optimizer miscompiles
    /// `return (index, .arrived(try await …))` inside a `do`/`catch` in a task-group child: in
    /// -O builds the index came back as another job's, or as garbage, so a job was silently
    /// dropped or the hook trapped on an index out of range (issue 11, defect 1).
    private static func attempt(_ fetch: Fetch, _ job: FetchedJob, _ capture: LogCapture) async -> Result {
        do throws(FetchError) {
            let response = try await fetch(job, capture)
            return .arrived(response, capture)
        } catch {
            return .failed(error)
        }
    }

    /// Fetches the log of every job at `indices` with `fetch` and records the results on `jobs`.
    /// Throws the first authentication error when no log at all could be read: a token that
    /// lists jobs but may read no log is a setup problem, not a note.
    func run(_ indices: [Int], of jobs: inout [FetchedJob], notes: inout [String], fetch: @escaping Fetch) async throws(FetchError) {
        let snapshot = jobs
        // When the deadline or the size budget cuts the downloads short, the failed jobs are in.
        let ordered = indices.enumerated().sorted { a, b in
            let (pa, pb) = (Self.priority(snapshot[a.element]), Self.priority(snapshot[b.element]))
            return pa != pb ? pa < pb : a.offset < b.offset
        }.map(\.element)
        let maxTotal = limits.maxTotalLogBytes
        let maxLog = limits.maxLogBytes
        var overBudget: [Int] = []
        var unheld: [(Int, String)] = []
        var started: [Int] = []
        let results = await withTaskGroup(of: (Int, Result).self) { group in
            var pending = ordered[...]
            var collected: [(Int, Result)] = []
            var held = 0
            func startNext() {
                while let index = pending.popFirst() {
                    guard held < maxTotal else {
                        overBudget.append(index)
                        continue
                    }
                    let capture: LogCapture
                    do {
                        capture = LogCapture(file: try MemoryLogFile(), limit: maxLog)
                    } catch {
                        unheld.append((index, error.description))
                        continue
                    }
                    let job = snapshot[index]
                    started.append(index)
                    group.addTask {
                        let result = await Self.attempt(fetch, job, capture)
                        return (index, result)
                    }
                    return
                }
            }
            for _ in 0..<Self.parallel { startNext() }
            for await result in group {
                if case .arrived(_, let capture) = result.1 { held += capture.kept }
                collected.append(result)
                startNext()
            }
            return collected
        }
        var authError: FetchError?
        var pastDeadline: [String] = []
        // Each started download reports once; should a result ever come back under a wrong
        // index, it is left out and its job reported below rather than trusted.
        let expected = Set(started)
        var reported = Set<Int>()
        for (index, result) in results.sorted(by: { $0.0 < $1.0 }) where expected.contains(index) && reported.insert(index).inserted {
            let name = jobs[index].name
            switch result {
            case .arrived(let response, let capture):
                guard capture.received > 0 else {
                    notes.append("job \(name): the \(noun) is empty (erased, or the job printed nothing)")
                    continue
                }
                let omitted: Int
                do {
                    omitted = try capture.finish()
                } catch {
                    notes.append("job \(name): no \(noun) — \(error.description)")
                    continue
                }
                jobs[index].log = capture.file
                if omitted > 0 {
                    notes.append("job \(name): the \(noun) is larger than \(ByteCount.text(capture.limit)); diagnosed its first and last \(ByteCount.text(capture.limit / 2)) (--max-log-mb)")
                }
                if let cut = response.cutOff {
                    notes.append("job \(name): the \(noun) download was cut off — \(cut); diagnosed what arrived")
                }
            case .failed(let error):
                switch error {
                case .unauthorized, .forbidden: authError = authError ?? error
                case .pastDeadline:
                    pastDeadline.append(name)
                    continue
                default: break
                }
                notes.append("job \(name): no \(noun) — \(error.description)")
            }
        }
        for index in started where !reported.contains(index) {
            notes.append("job \(jobs[index].name): no \(noun) — its download ended without an outcome")
        }
        for (index, reason) in unheld {
            notes.append("job \(jobs[index].name): no \(noun) — \(reason)")
        }
        if !pastDeadline.isEmpty {
            notes.append("the deadline passed before the \(noun) of \(Self.list(pastDeadline)) could be downloaded (--deadline)")
        }
        if !overBudget.isEmpty {
            let names = overBudget.sorted().map { jobs[$0].name }
            notes.append("the logs downloaded reached \(ByteCount.text(maxTotal)); the \(noun) of \(Self.list(names)) was not downloaded (--max-total-mb)")
        }
        if let authError, !jobs.contains(where: { $0.log != nil }) { throw authError }
    }

    /// Failed jobs first, then those whose outcome the log must tell, then the rest.
    static func priority(_ job: FetchedJob) -> Int {
        switch job.status {
        case .failed?: 0
        case nil, .unknown?: 1
        default: 2
        }
    }

    /// "job a, job b and 3 more" — every job is named, up to a point.
    static func list(_ names: [String]) -> String {
        let shown = names.prefix(namedInNote).joined(separator: ", ")
        let rest = names.count - min(names.count, namedInNote)
        let jobs = names.count == 1 ? "job" : "\(names.count) jobs"
        return "\(jobs) \(shown)\(rest > 0 ? " and \(rest) more" : "")"
    }
}
