import Decompression
import LogDxModel

/// A compressed source decompressed as it is read: one compressed chunk and the caller's buffer in
/// memory, whatever the sizes. Damage does not lose what came before it: the log ends where the
/// data stops being readable, and `damage` says why, for a notice.
final class DecompressedBytes: ByteSource {
    private let compressed: any ByteSource
    private let decoder: any StreamDecoder
    private let format: CompressionFormat
    private var pending: [UInt8]
    private var pendingStart = 0
    private var compressedEnded = false
    private var finished = false
    /// Bytes of log handed out so far, to say how much was read when the data is damaged.
    private var produced = 0
    /// Why the log ended early, when it did: a file cut off mid-stream or damaged bytes.
    private(set) var damage: String?

    static let chunkSize = 256 * 1024

    /// Decompresses `head` (the bytes already read from `compressed`, which start with the
    /// format's magic number) and then the rest of `compressed`.
    init(_ compressed: any ByteSource, head: [UInt8], format: CompressionFormat, name: String) throws(InputError) {
        self.compressed = compressed
        self.format = format
        do {
            decoder = try format.makeDecoder()
        } catch {
            throw .unreadable(path: name, reason: error.description)
        }
        pending = head
        pending.reserveCapacity(max(head.count, Self.chunkSize))
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        while true {
            if pendingStart == pending.count && !compressedEnded { try refill() }
            if pendingStart == pending.count && compressedEnded {
                finished = true
                if !decoder.isAtStreamEnd {
                    damage = "the \(format.rawValue) data ends early (the file is cut off); the \(ByteCount.text(produced)) of log before the cut were read"
                }
                return 0
            }
            // `withUnsafeBytes` rethrows untyped errors: the decoder's is carried out as a value.
            let outcome = pending.withUnsafeBytes { raw in
                Result { () throws(DecompressionError) in
                    try decoder.step(input: UnsafeRawBufferPointer(rebasing: raw[pendingStart...]), output: buffer)
                }
            }
            let step: DecodeStep
            switch outcome {
            case .success(let done):
                step = done
            case .failure(let error):
                finished = true
                damage = "\(error.description); the \(ByteCount.text(produced)) of log before the damage were read"
                return 0
            }
            pendingStart += step.consumed
            produced += step.produced
            if step.produced > 0 { return step.produced }
            // Neither side moved with input left: the decoder needs more than what is pending.
            if step.consumed == 0 && pendingStart < pending.count {
                if compressedEnded {
                    pendingStart = pending.count
                } else {
                    try refill()
                }
            }
        }
    }

    /// Replaces the consumed input with the next compressed chunk, keeping any unconsumed tail.
    private func refill() throws(InputError) {
        if pendingStart > 0 {
            pending.removeSubrange(0..<pendingStart)
            pendingStart = 0
        }
        let kept = pending.count
        pending.append(contentsOf: repeatElement(0, count: Self.chunkSize))
        let got = try pending.withUnsafeMutableBytes { raw in
            Result { () throws(InputError) in try compressed.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[kept...])) }
        }.get()
        pending.removeLast(Self.chunkSize - got)
        if got == 0 { compressedEnded = true }
    }
}
