import CVectorscan

/// One thread's scratch space for scanning a `Database`, and the scan itself.
///
/// Not thread-safe: libhs forbids two scans with one scratch at once. Reuse it across scans.
public final class Scratch {
    private let handle: OpaquePointer
    /// Kept alive as long as the scratch: a scan needs both.
    public let database: Database

    init(handle: OpaquePointer, database: Database) {
        self.handle = handle
        self.database = database
    }

    deinit {
        // Nothing scans with it any more: the next scanner of the database may.
        database.recycle(handle)
    }

    /// Scans `data` in block mode and calls `onMatch(id, end)` for each match libhs reports, where
    /// `end` is the offset just past the match. Return `false` to stop the scan early.
    ///
    /// Databases compiled with `.utf8` need valid UTF-8 here. Buffers over 4 GiB are refused
    /// (libhs takes a 32-bit length).
    public func scan(_ data: UnsafeBufferPointer<UInt8>, onMatch: (_ id: UInt32, _ end: Int) -> Bool) throws(VectorscanError) {
        guard data.count <= Int(UInt32.max) else {
            throw VectorscanError(code: HS_INVALID, message: "buffer of \(data.count) bytes is too large for one libhs scan")
        }
        let status = withoutActuallyEscaping(onMatch) { handler -> hs_error_t in
            var context = MatchContext(handler: handler)
            return withUnsafeMutablePointer(to: &context) { contextPointer in
                // SAFETY: `data` is valid for `data.count` bytes for the call (a nil base only with a
                // zero count, which libhs accepts); `contextPointer` outlives the scan, and the
                // handler below is the only reader of it.
                data.withMemoryRebound(to: CChar.self) { chars in
                    hs_scan(database.handle, chars.baseAddress ?? emptyBase, UInt32(chars.count), 0, handle, { id, _, to, _, context in
                        guard let context else { return 1 }
                        let matchContext = context.assumingMemoryBound(to: MatchContext.self)
                        return matchContext.pointee.handler(id, Int(to)) ? 0 : 1
                    }, contextPointer)
                }
            }
        }
        guard status == HS_SUCCESS || status == HS_SCAN_TERMINATED else { throw VectorscanError(code: status) }
    }
}

extension Scratch {
    /// Scans `data` in block mode and appends the id of each match libhs reports to `ids`, in
    /// the order reported. No closure goes through libhs, so nothing is allocated per scan: the
    /// closure of `scan(_:onMatch:)`, made escaping for the C callback, cost an allocation and
    /// its release on every call, which for a scan per log line was 2–3% of reading a log.
    /// Keep `ids` between scans (emptied, with its capacity) and nothing is allocated at all.
    public func scan(_ data: UnsafeBufferPointer<UInt8>, appendingIDsTo ids: inout [UInt32]) throws(VectorscanError) {
        guard data.count <= Int(UInt32.max) else {
            throw VectorscanError(code: HS_INVALID, message: "buffer of \(data.count) bytes is too large for one libhs scan")
        }
        let status = withUnsafeMutablePointer(to: &ids) { idsPointer in
            // SAFETY: as in `scan(_:onMatch:)`; the context is `ids`, alive and written only by the
            // callback for the duration of the scan.
            data.withMemoryRebound(to: CChar.self) { chars in
                hs_scan(database.handle, chars.baseAddress ?? emptyBase, UInt32(chars.count), 0, handle, { id, _, _, _, context in
                    guard let context else { return 1 }
                    context.assumingMemoryBound(to: [UInt32].self).pointee.append(id)
                    return 0
                }, idsPointer)
            }
        }
        guard status == HS_SUCCESS else { throw VectorscanError(code: status) }
    }
}

extension Scratch {
    /// Scans `data` in block mode and writes the id of each match libhs reports into `ids`, in
    /// the order reported; returns how many it wrote, or nil when they did not fit (the scan
    /// stops there: scan again with `scan(_:appendingIDsTo:)`). Nothing is allocated, and no
    /// Swift array is grown or emptied per scan: for a scan per log line, emptying and
    /// appending to an array was a few percent of reading a log.
    public func scan(_ data: UnsafeBufferPointer<UInt8>, into ids: UnsafeMutableBufferPointer<UInt32>) throws(VectorscanError) -> Int? {
        guard data.count <= Int(UInt32.max) else {
            throw VectorscanError(code: HS_INVALID, message: "buffer of \(data.count) bytes is too large for one libhs scan")
        }
        var context = FixedIDs(ids: ids)
        let status = withUnsafeMutablePointer(to: &context) { contextPointer in
            // SAFETY: as in `scan(_:onMatch:)`; the context is `context`, alive and written only
            // by the callback for the duration of the scan, which writes `ids` only below its count.
            data.withMemoryRebound(to: CChar.self) { chars in
                hs_scan(database.handle, chars.baseAddress ?? emptyBase, UInt32(chars.count), 0, handle, { id, _, _, _, context in
                    guard let context else { return 1 }
                    let fixed = context.assumingMemoryBound(to: FixedIDs.self)
                    guard fixed.pointee.count < fixed.pointee.ids.count else {
                        fixed.pointee.overflowed = true
                        return 1
                    }
                    fixed.pointee.ids[fixed.pointee.count] = id
                    fixed.pointee.count += 1
                    return 0
                }, contextPointer)
            }
        }
        if context.overflowed { return nil }
        guard status == HS_SUCCESS else { throw VectorscanError(code: status) }
        return context.count
    }
}

private struct FixedIDs {
    let ids: UnsafeMutableBufferPointer<UInt32>
    var count = 0
    var overflowed = false
}

private struct MatchContext {
    let handler: (UInt32, Int) -> Bool
}

/// libhs wants a non-null pointer even for an empty buffer.
nonisolated(unsafe) private let emptyBase: UnsafePointer<CChar> = {
    let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: 1)
    pointer.initialize(to: 0)
    return UnsafePointer(pointer)
}()
