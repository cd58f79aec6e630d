import Foundation

/// Lines read one at a time as they arrive (a pipe a caller keeps open and feeds), not the whole
/// input at once: `scan --paths-from -` starts on the first path before the last is written.
final class InputLines {
    private let file: UnsafeMutablePointer<FILE>
    private let owned: Bool

    /// Standard input.
    init?(standardInput: Void) {
        guard let file = fdopen(0, "r") else { return nil }
        self.file = file
        owned = false
    }

    init?(path: String) {
        guard let file = fopen(path, "r") else { return nil }
        self.file = file
        owned = true
    }

    deinit {
        if owned { fclose(file) }
    }

    /// The next line without its line ending; nil at the end of the input or on a read error.
    func next() -> String? {
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        guard getline(&buffer, &capacity, file) >= 0, let buffer else { return nil }
        var line = String(cString: buffer)
        while let last = line.unicodeScalars.last, last == "\n" || last == "\r" { line.unicodeScalars.removeLast() }
        return line
    }
}
