/// Any other text log: one job; a line starting with `$ ` is taken as a command, as shells echo them.
struct PlainFramer: Framer {
    private let job: Int
    private var cleaner = LineCleaner()

    init(job: Int) {
        self.job = job
    }

    mutating func frame(_ raw: UnsafeBufferPointer<UInt8>, into output: inout FrameOutput, jobs: inout JobTable) {
        output.job = job
        let text = cleaner.clean(raw)
        output.text = text
        if Bytes.hasPrefix(text, "$ ") {
            output.emit(StructuralEvent.command, ["command": Bytes.string(text.dropFirst(2))])
        }
    }
}
