/// The heading of a job no rule explains. Only a job whose log says it failed is called failed: a
/// pasted fragment often states no outcome, and "failed" would then be logdx's claim, not the log's.
enum UnexplainedJobTitle {
    static func failed(_ excerpt: Excerpt, in pipeline: Pipeline) -> Bool {
        pipeline.jobs.indices.contains(excerpt.jobIndex) && pipeline.jobs[excerpt.jobIndex].status == .failed
    }

    /// `No rule explains why job X failed`, or, when the log does not say, that it does not.
    static func title(_ excerpt: Excerpt, job: String, in pipeline: Pipeline) -> String {
        failed(excerpt, in: pipeline)
            ? "No rule explains why job \(job) failed"
            : "No rule explains job \(job), and its log does not say whether it failed"
    }
}
