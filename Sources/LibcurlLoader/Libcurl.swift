import CLibcurl

/// libcurl, which Foundation's URLSession runs on. logdx is not linked with it: the first request
/// loads it (Sources/CLibcurl), so that only `logdx ci` pays for it, and a machine without it still
/// diagnoses logs.
public enum Libcurl {
    /// Loads libcurl unless it is already: nil when it is there, else why it cannot be. Call it
    /// before making a URLSession, which without libcurl would get no handles to work with.
    public static func load() -> String? {
        var reason = [CChar](repeating: 0, count: 512)
        let loaded = reason.withUnsafeMutableBufferPointer { logdx_libcurl_load($0.baseAddress, $0.count) }
        guard loaded == 0 else { return nil }
        let message = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return message.isEmpty ? "libcurl.so.4 could not be loaded" : message
    }
}
