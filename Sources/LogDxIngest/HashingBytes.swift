/// A byte source that hashes what passes through it (XXH64, `ContentHash`), so whoever needs a
/// file's content hash (a scan deciding whether a log changed) gets it from the one read the
/// analysis makes: reading each of 100,000 small logs a second time only to hash it cost a
/// tenth of the scan, most of it in the kernel.
final class HashingBytes: ByteSource {
    private let source: any ByteSource
    private var hasher = ContentHash()
    /// The hash of every byte, once the source said it had no more; nil before.
    private(set) var finished: UInt64?

    init(_ source: any ByteSource) {
        self.source = source
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let got = try source.read(into: buffer)
        if got > 0 {
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<got]))
        } else if finished == nil {
            finished = hasher.finish()
        }
        return got
    }
}
