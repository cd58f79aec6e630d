import LogDxDiagnose
import LogDxIngest
import LogDxModel

/// The heading of a job no rule explains. Only a job whose log says it failed is called failed: a
/// pasted fragment often states no outcome, and "failed" would then be logdx's claim, not the log's.
enum UnexplainedJobTitle {
    static func failed(_ excerpt: Excerpt, in pipeline: Pipeline) -> Bool {
        pipeline.jobs.indices.contains(excerpt.jobIndex) && pipeline.jobs[excerpt.jobIndex].status == .failed
    }

    /// `No rule explains why job X failed`, or, when the log does not say, that it does not.
    static func title(_ excerpt: Excerpt, job: String, in pipeline: Pipeline) -> String {
        if failed(excerpt, in: pipeline) { return "No rule explains why \(named(job)) failed" }
        if pipeline.jobs.indices.contains(excerpt.jobIndex), pipeline.jobs[excerpt.jobIndex].status == .success {
            return "No rule fired, and \(named(job)) says it succeeded, but it printed error lines"
        }
        return "No rule explains \(named(job)), and its log does not say whether it failed"
    }

    /// "job build", but "the pasted log" for standard input, which is not a job's name.
    static func named(_ job: String) -> String {
        job == PipelineReader.pastedJobName ? job : "job \(job)"
    }

    /// How many failed jobs no rule explains, for a summary that must not read as all clear.
    static func unexplainedFailures(_ analysis: Analysis) -> Int {
        analysis.excerpts.filter { !$0.explained && failed($0, in: analysis.pipeline) }.count
    }
}
