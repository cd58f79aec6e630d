import Foundation

/// Sizes as messages show them: MiB to a tenth (`64 MiB`, `1.5 MiB`) from half a MiB, whole KiB
/// below that, bytes below one KiB.
public enum ByteCount {
    public static let mebibyte = 1024 * 1024

    public static func text(_ bytes: Int) -> String {
        if bytes >= mebibyte / 2 {
            let tenths = String(format: "%.1f", Double(bytes) / Double(mebibyte))
            return (tenths.hasSuffix(".0") ? String(tenths.dropLast(2)) : tenths) + " MiB"
        }
        if bytes >= 1024 { return "\(bytes / 1024) KiB" }
        return "\(bytes) bytes"
    }
}
