import Foundation

/// Sizes as messages show them: whole or half MiB for the caps users set, bytes below one KiB.
enum ByteCount {
    static let mebibyte = 1024 * 1024

    static func text(_ bytes: Int) -> String {
        if bytes >= mebibyte / 2 {
            let mib = Double(bytes) / Double(mebibyte)
            return mib == mib.rounded() ? "\(Int(mib)) MiB" : String(format: "%.1f MiB", mib)
        }
        if bytes >= 1024 { return "\(bytes / 1024) KiB" }
        return "\(bytes) bytes"
    }
}
