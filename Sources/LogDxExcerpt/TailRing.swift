/// The last lines of a job in fixed slots of one buffer: keeping them costs a copy, not an
/// allocation, per line. Slots are added as lines arrive, so a ten-line job costs ten slots, not
/// `capacity`; once its input is read, `compact` packs the lines end to end, so a pipeline of
/// thousands of finished jobs keeps what they printed, not 400 bytes a line.
struct TailRing {
    static let slotSize = 400
    private static let emptySlot = [UInt8](repeating: 0, count: slotSize)

    let capacity: Int
    private var bytes: [UInt8] = []
    /// Where each slot's line starts in `bytes`: `slot * slotSize`, or packed once compacted.
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var numbers: [Int] = []
    /// Each line's word score, taken when the line arrived, so reading the tail back does not scan
    /// its lines again; nil where the slot holds only the start of a longer line, whose score
    /// must be taken of what the slot holds.
    private var wordScores: [LineScorer.Score?] = []
    private var next = 0
    private(set) var count = 0
    private var isCompact = false

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func append(line: Int, text: UnsafeBufferPointer<UInt8>, wordScore: LineScorer.Score) {
        if isCompact { expand() }
        var length = min(text.count, Self.slotSize)
        // Never cut a UTF-8 sequence in half.
        while length < text.count && length > 0 && (text[length] & 0xc0) == 0x80 { length -= 1 }
        if next == lengths.count {
            // Doubling, but never past the full ring.
            let needed = bytes.count + Self.slotSize
            if bytes.capacity < needed { bytes.reserveCapacity(min(capacity * Self.slotSize, max(needed, 2 * bytes.capacity))) }
            // From a zeroed slot's worth of memory: a `repeatElement` went through the generic
            // sequence path a byte at a time, most of keeping a line of a short job.
            bytes.append(contentsOf: Self.emptySlot)
            starts.append(next * Self.slotSize)
            lengths.append(0)
            numbers.append(0)
            wordScores.append(nil)
        }
        let base = starts[next]
        bytes.withUnsafeMutableBufferPointer { buffer in
            if let source = text.baseAddress, length > 0 {
                UnsafeMutableRawPointer(buffer.baseAddress! + base).copyMemory(from: source, byteCount: length)
            }
        }
        lengths[next] = length
        numbers[next] = line
        wordScores[next] = length == text.count ? wordScore : nil
        next = (next + 1) % capacity
        count = min(count + 1, capacity)
    }

    /// Packs the lines end to end, oldest first, in storage of exactly their size. For a job
    /// whose input is finished; a later `append` lays the slots out again.
    mutating func compact() {
        guard !isCompact else { return }
        var packed: [UInt8] = []
        packed.reserveCapacity((0..<count).reduce(0) { $0 + lengths[slot(ofOldest: $1)] })
        var newStarts: [Int] = [], newLengths: [Int] = [], newNumbers: [Int] = [], newScores: [LineScorer.Score?] = []
        newStarts.reserveCapacity(count)
        newLengths.reserveCapacity(count)
        newNumbers.reserveCapacity(count)
        newScores.reserveCapacity(count)
        forEach { number, text, score in
            newStarts.append(packed.count)
            newLengths.append(text.count)
            newNumbers.append(number)
            newScores.append(score)
            packed.append(contentsOf: text)
        }
        bytes = packed
        starts = newStarts
        lengths = newLengths
        numbers = newNumbers
        wordScores = newScores
        // Oldest at slot 0: the ring's invariant holds with `next` just past the newest.
        next = count % capacity
        isCompact = true
    }

    /// Back to one fixed slot per line, the oldest first.
    private mutating func expand() {
        var slotted = [UInt8](repeating: 0, count: lengths.count * Self.slotSize)
        for slot in lengths.indices {
            slotted.replaceSubrange(slot * Self.slotSize..<(slot * Self.slotSize + lengths[slot]),
                                    with: bytes[starts[slot]..<(starts[slot] + lengths[slot])])
            starts[slot] = slot * Self.slotSize
        }
        bytes = slotted
        isCompact = false
    }

    private func slot(ofOldest k: Int) -> Int {
        (next - count + k + capacity) % capacity
    }

    /// Up to `n` lines stored before the newest one, with their word scores.
    func forEachBeforeNewest(_ n: Int, _ body: (Int, UnsafeBufferPointer<UInt8>, LineScorer.Score?) -> Void) {
        let available = min(n, count - 1)
        guard available > 0 else { return }
        bytes.withUnsafeBufferPointer { buffer in
            for back in stride(from: available, through: 1, by: -1) {
                let slot = (next - 1 - back + 2 * capacity) % capacity
                body(numbers[slot], UnsafeBufferPointer(rebasing: buffer[starts[slot]..<(starts[slot] + lengths[slot])]), wordScores[slot])
            }
        }
    }

    /// The stored lines, oldest first, with their word scores.
    func forEach(_ body: (Int, UnsafeBufferPointer<UInt8>, LineScorer.Score?) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            for k in 0..<count {
                let slot = slot(ofOldest: k)
                body(numbers[slot], UnsafeBufferPointer(rebasing: buffer[starts[slot]..<(starts[slot] + lengths[slot])]), wordScores[slot])
            }
        }
    }
}
