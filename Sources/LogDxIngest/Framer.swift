/// Reads one input format: assigns each raw line to a job, strips the format's own decoration and
/// reports what the framing says (commands, sections, job results).
///
/// A framer sees raw bytes so it can read markers that cleaning would erase (GitLab's
/// `section_start:…\r\e[0K`); it cleans the text itself.
protocol Framer {
    mutating func frame(_ raw: UnsafeBufferPointer<UInt8>, into output: inout FrameOutput, jobs: inout JobTable)
    /// Called after the last line, for results the log implies only by its end.
    mutating func finish(jobs: inout JobTable)
}

extension Framer {
    package mutating func finish(jobs: inout JobTable) {}
}
