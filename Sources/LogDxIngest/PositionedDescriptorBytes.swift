#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A descriptor someone else owns (a download held in anonymous memory), read with `pread(2)` from
/// its start: its offset is not moved and it is not closed, so its owner can read it again.
final class PositionedDescriptorBytes: ByteSource {
    private let descriptor: Int32
    private let name: String
    private var offset: off_t = 0

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let got = pread(descriptor, buffer.baseAddress, buffer.count, offset)
            if got >= 0 {
                offset += off_t(got)
                return got
            }
            if errno == EINTR { continue }
            throw .unreadable(path: name, reason: String(cString: strerror(errno)))
        }
    }
}
