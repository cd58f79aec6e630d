import LogDxModel

/// The jobs found so far while reading, and the stages in the order they appeared.
package struct JobTable {
    package private(set) var jobs: [Job] = []
    private var stageOrder: [String: Int] = [:]

    package init() {}

    /// Jobs already read, kept as they are (indices and stages), to be ordered again.
    package init(jobs: [Job]) {
        self.jobs = jobs
    }

    /// The jobs of several inputs read apart, renumbered in input order; stages keep the order in
    /// which the inputs first name them.
    package init(merging parts: [[Job]]) {
        for part in parts {
            for var job in part {
                job.index = jobs.count
                job.order = job.index
                let stage = job.stage
                jobs.append(job)
                if let stage { setStage(stage, of: job.index) }
            }
        }
    }

    /// Adds a job and returns its index.
    package mutating func add(name: String, source: String, format: InputFormat) -> Int {
        let index = jobs.count
        jobs.append(Job(index: index, name: name, source: source, format: format))
        return index
    }

    mutating func setStage(_ stage: String, of job: Int) {
        let order: Int
        if let known = stageOrder[stage] {
            order = known
        } else {
            order = stageOrder.count
            stageOrder[stage] = order
        }
        jobs[job].stage = stage
        jobs[job].stageOrder = order
    }

    package mutating func finish(_ job: Int, status: JobStatus, exitCode: Int?) {
        jobs[job].status = status
        if let exitCode { jobs[job].exitCode = exitCode }
    }

    package mutating func rename(_ job: Int, to name: String) {
        jobs[job].name = name
    }

    mutating func noteTimestamp(_ seconds: Double, of job: Int) {
        if jobs[job].startedAt == nil { jobs[job].startedAt = seconds }
    }

    mutating func countLine(of job: Int) {
        jobs[job].lineCount += 1
    }

    package subscript(index: Int) -> Job { jobs[index] }

    /// Fixes pipeline order: by run, then by stage where every job has one, then by first timestamp
    /// where every job has one, else in the order the inputs introduced them.
    package mutating func assignOrder() {
        for (index, run) in RunRecognizer.runs(of: jobs).enumerated() {
            jobs[index].run = run?.run
            jobs[index].runLabel = run?.label
        }
        let allTimed = jobs.allSatisfy { $0.startedAt != nil }
        let sorted = jobs.sorted { a, b in
            if let ra = a.run, let rb = b.run, ra != rb { return ra < rb }
            if let sa = a.stageOrder, let sb = b.stageOrder, sa != sb { return sa < sb }
            if allTimed, let ta = a.startedAt, let tb = b.startedAt, ta != tb { return ta < tb }
            return a.index < b.index
        }
        for (position, job) in sorted.enumerated() {
            jobs[job.index].order = position
        }
    }
}
