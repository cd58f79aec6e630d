/// What a framer made of one raw line: which job it belongs to, the text to tokenize, and any
/// structural events (a command, a section, the job's result) the framing itself revealed.
struct FrameOutput {
    struct Structural {
        var kind: String
        var fields: [String: String]
    }

    /// The job the line belongs to; `nil` for pipeline-level lines (a summary, a banner).
    var job: Int?
    /// The cleaned text to tokenize, when the line has any.
    var text: ArraySlice<UInt8>?
    var structural: [Structural] = []
    /// The line opens a message of its own (an annotation, a step header): it continues no other.
    var startsMessage = false

    mutating func reset() {
        job = nil
        text = nil
        structural.removeAll(keepingCapacity: true)
        startsMessage = false
    }

    mutating func emit(_ kind: String, _ fields: [String: String]) {
        structural.append(Structural(kind: kind, fields: fields))
    }
}
