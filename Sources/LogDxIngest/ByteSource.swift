/// Where an input's bytes come from, read front to back in chunks. The reader above it never
/// knows whether they come from a file, memory or a decompressor.
protocol ByteSource: AnyObject {
    /// Fills the start of `buffer` and returns how many bytes it wrote; 0 at the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
}
