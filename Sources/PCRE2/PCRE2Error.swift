import CPCRE2

/// A failure reported by libpcre2, with the library's own message.
public struct PCRE2Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// The libpcre2 error code (negative for match errors, positive for compile errors).
    public let code: Int32
    /// libpcre2's text for `code`.
    public let message: String
    /// For compile errors: the byte offset in the pattern where compilation stopped.
    public let patternOffset: Int?

    init(code: Int32, patternOffset: Int? = nil) {
        self.code = code
        self.message = PCRE2Error.message(for: code)
        self.patternOffset = patternOffset
    }

    public var description: String {
        if let patternOffset {
            return "\(message) (at offset \(patternOffset) of the pattern)"
        }
        return message
    }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        // SAFETY: the buffer outlives the call and its length is passed, so libpcre2 writes within it
        // and always zero-terminates (it truncates long messages, returning PCRE2_ERROR_NOMEMORY).
        let written = buffer.withUnsafeMutableBufferPointer { buf in
            pcre2_get_error_message_8(code, buf.baseAddress, buf.count)
        }
        guard written >= 0 || written == PCRE2_ERROR_NOMEMORY else {
            return "unknown PCRE2 error \(code)"
        }
        let end = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<end], as: UTF8.self)
    }
}
