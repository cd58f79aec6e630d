#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file or standard input, read with `read(2)`; a descriptor the input opened itself is closed
/// with it.
final class FileDescriptorBytes: ByteSource {
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let name: String

    /// Opens `path` for reading.
    init(path: String) throws(InputError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { throw .notFound(path: path) }
            throw .unreadable(path: path, reason: String(cString: strerror(code)))
        }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw .unreadable(path: path, reason: "it is a folder; pass it as an argument of its own to read its logs")
        }
        descriptor = fd
        ownsDescriptor = true
        name = path
    }

    /// Standard input, left open for whoever else uses it.
    init(standardInputNamed name: String) {
        descriptor = 0
        ownsDescriptor = false
        self.name = name
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            let got = systemRead(descriptor, buffer.baseAddress, buffer.count)
            if got >= 0 { return got }
            if errno == EINTR { continue }
            throw .unreadable(path: name, reason: String(cString: strerror(errno)))
        }
    }
}

/// `read(2)`, named apart from `ByteSource.read`, which would shadow it inside the class.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(descriptor, buffer, count)
    #else
    return Darwin.read(descriptor, buffer, count)
    #endif
}
