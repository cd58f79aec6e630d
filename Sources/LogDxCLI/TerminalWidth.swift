import Foundation

/// How wide the text output's prose may be: `COLUMNS` when set (as `ls` and `git` honour it), else
/// the terminal's width; unwrapped when the output is not a terminal, since a pager, an editor or
/// a file wraps (or does not) by its own rules and pre-wrapped lines break twice.
enum TerminalWidth {
    /// Prose wider than this is hard to read, whatever the terminal.
    static let readable = 120
    /// Narrower than this, indentation would leave no room for words.
    static let narrowest = 40

    static func forOutput(_ descriptor: Int32, environment: [String: String] = ProcessInfo.processInfo.environment) -> Int? {
        if let columns = environment["COLUMNS"].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), columns > 0 {
            return clamp(columns)
        }
        guard isatty(descriptor) != 0 else { return nil }
        var size = winsize()
        guard ioctl(descriptor, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return clamp(Int(size.ws_col))
    }

    private static func clamp(_ columns: Int) -> Int {
        min(max(columns, narrowest), readable)
    }
}
