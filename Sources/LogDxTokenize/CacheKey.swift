import LogDxIngest

/// The name of a cache entry being worked out: two independent 64-bit hashes (XXH64 with two
/// seeds) of everything the entry depends on, fed in parts as they are read. An accidental
/// collision of both would be needed to load the wrong entry.
package struct CacheKey {
    private var first = ContentHash(seed: 0)
    private var second = ContentHash(seed: 0x6C6F_6764_7821)

    package init() {}

    package mutating func add(_ bytes: UnsafeRawBufferPointer) {
        first.update(bytes)
        second.update(bytes)
    }

    package mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(UnsafeRawBufferPointer($0)) }
    }

    /// Both hashes as hex.
    package var name: String {
        Self.hex(first) + Self.hex(second)
    }

    private static func hex(_ hash: ContentHash) -> String {
        String(ContentHash.hex(hash.finish()).dropFirst("xxh64:".count))
    }
}
