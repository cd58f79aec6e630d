/// The last lines of a job in fixed slots of one buffer: keeping them costs a copy, not an
/// allocation, per line. Slots are added as lines arrive, so a ten-line job costs ten slots, not
/// `capacity`: a pipeline of thousands of short jobs keeps one ring each.
struct TailRing {
    static let slotSize = 400

    let capacity: Int
    private var bytes: [UInt8]
    private var lengths: [Int]
    private var numbers: [Int]
    private var next = 0
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        bytes = []
        lengths = []
        numbers = []
    }

    mutating func append(line: Int, text: UnsafeBufferPointer<UInt8>) {
        var length = min(text.count, Self.slotSize)
        // Never cut a UTF-8 sequence in half.
        while length < text.count && length > 0 && (text[length] & 0xc0) == 0x80 { length -= 1 }
        if next == lengths.count {
            // Doubling, but never past the full ring.
            let needed = bytes.count + Self.slotSize
            if bytes.capacity < needed { bytes.reserveCapacity(min(capacity * Self.slotSize, max(needed, 2 * bytes.capacity))) }
            bytes.append(contentsOf: repeatElement(0, count: Self.slotSize))
            lengths.append(0)
            numbers.append(0)
        }
        let base = next * Self.slotSize
        bytes.withUnsafeMutableBufferPointer { buffer in
            for i in 0..<length { buffer[base + i] = text[i] }
        }
        lengths[next] = length
        numbers[next] = line
        next = (next + 1) % capacity
        count = min(count + 1, capacity)
    }

    /// Up to `n` lines stored before the newest one.
    func forEachBeforeNewest(_ n: Int, _ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        let available = min(n, count - 1)
        guard available > 0 else { return }
        bytes.withUnsafeBufferPointer { buffer in
            for back in stride(from: available, through: 1, by: -1) {
                let slot = (next - 1 - back + 2 * capacity) % capacity
                let base = slot * Self.slotSize
                body(numbers[slot], UnsafeBufferPointer(rebasing: buffer[base..<(base + lengths[slot])]))
            }
        }
    }

    /// The stored lines, oldest first.
    func forEach(_ body: (Int, UnsafeBufferPointer<UInt8>) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            for k in 0..<count {
                let slot = (next - count + k + capacity) % capacity
                let base = slot * Self.slotSize
                body(numbers[slot], UnsafeBufferPointer(rebasing: buffer[base..<(base + lengths[slot])]))
            }
        }
    }
}
