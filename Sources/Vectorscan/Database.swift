import CVectorscan
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled block-mode pattern database: many patterns scanned in one pass.
///
/// Immutable after `init`, so one instance serves every thread; each thread scans with its own
/// `Scratch` from `makeScratch()`.
public final class Database: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): the database is written only by the compiler or the
    // deserializer in init; libhs documents a compiled database as read-only during scans and safe to
    // share between threads, each with its own scratch. `prototype` is only read (by
    // hs_clone_scratch, which copies it) after init. `idle` is only touched under its mutex.
    let handle: OpaquePointer
    private let prototype: OpaquePointer
    /// Scratch spaces given back by scans that ended, for the next `makeScratch`. A scratch for
    /// hundreds of patterns is about a megabyte, which malloc maps and unmaps each time: a scan of
    /// many small logs made one per log and reader, and spent a quarter of its time in the kernel
    /// unmapping them (and shooting down the other core's TLB entries).
    /// (Addresses, which are Sendable where the pointers are not.)
    private let idle = Mutex<[UInt]>([])
    /// Idle scratch spaces kept at most: a pipeline of many jobs holds a reader's worth per job
    /// until it is diagnosed, so several per core.
    static let maxIdleScratches = 64

    /// Compiles `expressions` into one database. A pattern libhs rejects throws, naming its id.
    public convenience init(compiling expressions: [Expression]) throws(VectorscanError) {
        guard !expressions.isEmpty else {
            throw VectorscanError(code: HS_INVALID, message: "a database needs at least one pattern")
        }
        if let pattern = expressions.first(where: { $0.pattern.utf8.contains(0) }) {
            throw VectorscanError(code: HS_COMPILER_ERROR, message: "pattern contains a NUL byte", expressionID: pattern.id)
        }
        let sources = expressions.map { strdup($0.pattern) }
        defer { sources.forEach { free($0) } }
        let flags = expressions.map(\.flags.rawValue)
        let ids = expressions.map(\.id)
        var database: OpaquePointer?
        var compileError: UnsafeMutablePointer<hs_compile_error_t>?
        // SAFETY: the three arrays hold `expressions.count` elements each and live for the call; the
        // C strings are NUL-terminated copies freed after it. libhs allocates the database or the
        // error, and we own whichever it returns.
        let status = sources.map { UnsafePointer($0) }.withUnsafeBufferPointer { patterns in
            flags.withUnsafeBufferPointer { flags in
                ids.withUnsafeBufferPointer { ids in
                    hs_compile_multi(
                        patterns.baseAddress, flags.baseAddress, ids.baseAddress, UInt32(expressions.count),
                        UInt32(HS_MODE_BLOCK), nil, &database, &compileError)
                }
            }
        }
        if status != HS_SUCCESS {
            var message: String?
            var expressionID: UInt32?
            if let compileError {
                message = compileError.pointee.message.map { String(cString: $0) }
                let index = Int(compileError.pointee.expression)
                if index >= 0, index < expressions.count { expressionID = expressions[index].id }
                hs_free_compile_error(compileError)
            }
            throw VectorscanError(code: status, message: message, expressionID: expressionID)
        }
        guard let database else { throw VectorscanError(code: HS_INVALID) }
        try self.init(owning: database)
    }

    /// Reads a database written by `serialized()`. Another libhs version or CPU gives an error
    /// whose `isIncompatibleDatabase` is true.
    public convenience init(deserializing bytes: [UInt8]) throws(VectorscanError) {
        var database: OpaquePointer?
        // SAFETY: the bytes live for the call and their length is passed; libhs copies what it needs
        // into a database it allocates, which we then own.
        let status = bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                hs_deserialize_database(chars.baseAddress, chars.count, &database)
            }
        }
        guard status == HS_SUCCESS, let database else { throw VectorscanError(code: status == HS_SUCCESS ? HS_INVALID : status) }
        try self.init(owning: database)
    }

    private init(owning database: OpaquePointer) throws(VectorscanError) {
        var scratch: OpaquePointer?
        let status = hs_alloc_scratch(database, &scratch)
        guard status == HS_SUCCESS, let scratch else {
            hs_free_database(database)
            throw VectorscanError(code: status == HS_SUCCESS ? HS_NOMEM : status)
        }
        handle = database
        prototype = scratch
    }

    deinit {
        idle.withLock { $0.forEach { hs_free_scratch(OpaquePointer(bitPattern: $0)) } }
        hs_free_scratch(prototype)
        hs_free_database(handle)
    }

    /// The database as bytes, for a cache on disk; valid for this libhs version and CPU kind.
    public func serialized() throws(VectorscanError) -> [UInt8] {
        var bytes: UnsafeMutablePointer<CChar>?
        var length = 0
        let status = hs_serialize_database(handle, &bytes, &length)
        guard status == HS_SUCCESS, let bytes else { throw VectorscanError(code: status == HS_SUCCESS ? HS_NOMEM : status) }
        // SAFETY: libhs allocated `length` bytes with its misc allocator (malloc by default); we copy
        // them out and free them.
        defer { free(bytes) }
        return bytes.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    /// Scratch space for one thread's scans of this database.
    public func makeScratch() throws(VectorscanError) -> Scratch {
        if let reused = idle.withLock({ $0.popLast() }).flatMap(OpaquePointer.init(bitPattern:)) {
            return Scratch(handle: reused, database: self)
        }
        var clone: OpaquePointer?
        let status = hs_clone_scratch(prototype, &clone)
        guard status == HS_SUCCESS, let clone else { throw VectorscanError(code: status == HS_SUCCESS ? HS_NOMEM : status) }
        return Scratch(handle: clone, database: self)
    }

    /// Takes back the scratch of a `Scratch` that is gone, or frees it when enough are idle.
    func recycle(_ scratch: OpaquePointer) {
        let address = UInt(bitPattern: scratch)
        let kept = idle.withLock { idle in
            guard idle.count < Self.maxIdleScratches else { return false }
            idle.append(address)
            return true
        }
        if !kept { hs_free_scratch(scratch) }
    }

    /// Whether libhs can compile `expression` (with its flags) at all, without building a database:
    /// a cheap first sort before `init(compiling:)`, which fails on the first pattern it rejects.
    public static func check(_ expression: Expression) throws(VectorscanError) {
        guard !expression.pattern.utf8.contains(0) else {
            throw VectorscanError(code: HS_COMPILER_ERROR, message: "pattern contains a NUL byte", expressionID: expression.id)
        }
        var info: UnsafeMutablePointer<hs_expr_info_t>?
        var compileError: UnsafeMutablePointer<hs_compile_error_t>?
        // SAFETY: the pattern is a NUL-terminated copy alive for the call; libhs allocates the info
        // (with malloc) or the error, and we free whichever it returns.
        let status = expression.pattern.withCString { hs_expression_info($0, expression.flags.rawValue, &info, &compileError) }
        if let info { free(info) }
        guard status == HS_SUCCESS else {
            let message = compileError?.pointee.message.map { String(cString: $0) }
            if let compileError { hs_free_compile_error(compileError) }
            throw VectorscanError(code: status, message: message, expressionID: expression.id)
        }
    }

    /// The libhs version string, part of any cache key for serialized databases.
    public static var libraryVersion: String { String(cString: hs_version()) }

    /// Whether this CPU can run libhs at all (it needs SSE4.2 or NEON).
    public static var isPlatformSupported: Bool { hs_valid_platform() == HS_SUCCESS }
}
