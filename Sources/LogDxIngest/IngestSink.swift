/// Receives the pipeline as ingest reads it, line by line, in input order.
///
/// Lines are lent, not given: the bytes are valid only during the call, which is what lets ingest
/// stream a log of any size through a fixed buffer. Text is always well-formed UTF-8: the cleaner
/// replaced whatever was not.
///
/// A sink's type (not its values) may be named across threads: `PipelineReader.readEach` makes one
/// sink per input on its own core.
public protocol IngestSink: SendableMetatype {
    /// A structural event the framing revealed; delivered before the text of the same line.
    mutating func structural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String])
    /// The cleaned text of one line of a job.
    mutating func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>)
}
