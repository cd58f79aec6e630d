import LogDxModel

/// What reading the inputs of one pipeline came to, input by input, under one rule, whether they
/// were read one after another or on all cores: an input that cannot be read, or holds nothing, is
/// skipped with a notice, and only when every input failed is the first problem the answer.
struct InputOutcomes {
    private(set) var notices: [Notice]
    private var formats: Set<InputFormat> = []
    private var damaged: [String: String] = [:]
    private var hashes: [String: UInt64] = [:]
    private var firstError: (any Error)?
    private var failures = 0
    private var readable = 0
    private let plan: InputPlan

    init(_ plan: InputPlan) {
        self.plan = plan
        notices = plan.skipped
    }

    /// An input read to its end: what reading it noticed, its format, how many lines it gave.
    mutating func read(
        lines: Int, format: InputFormat?, notices more: [Notice], damaged inputs: [String: String],
        hashes read: [String: UInt64], name: String
    ) {
        notices += more
        damaged.merge(inputs) { first, _ in first }
        hashes.merge(read) { first, _ in first }
        if let format { formats.insert(format) }
        if lines > 0 {
            readable += 1
        } else {
            notices.append(Notice(source: name, message: "skipped: the file is empty"))
        }
    }

    /// An input that could not be read (or broke off before its first line).
    mutating func failed(_ name: String, _ error: any Error) {
        let inputError = error as? InputError
        if case .empty? = inputError {
            notices.append(Notice(source: name, message: "skipped: the file is empty"))
            return
        }
        if case .damaged(let path, let detail)? = inputError { damaged[path] = detail }
        firstError = firstError ?? error
        failures += 1
        notices.append(Notice(source: name, message: "skipped: \(inputError?.description ?? "\(error)")"))
    }

    /// The pipeline of `jobs`, or the reason there is none.
    func pipeline(_ jobs: [Job]) throws -> Pipeline {
        guard readable > 0 else {
            if let firstError, failures == plan.inputs.count { throw firstError }
            throw InputError.empty(sources: plan.names)
        }
        var pipeline = Pipeline(format: formats.count == 1 ? formats.first : nil, jobs: jobs, notices: notices)
        pipeline.damagedInputs = damaged
        pipeline.contentHashes = hashes
        return pipeline
    }
}
