import Foundation
import ZIPFoundation

/// GitHub's run-log zip: `N_<job name>.txt` at the top holds each job's whole log (older archives
/// have only `<job name>/N_<step>.txt`, which are joined in step order).
struct RunLogArchive {
    let path: String

    enum ArchiveError: Error, CustomStringConvertible {
        case unreadable(String)
        var description: String {
            switch self {
            case .unreadable(let reason): "the run's log archive is not a readable zip (\(reason))"
            }
        }
    }

    /// Reads each job's log into memory, within the caps, and returns job name → log, and
    /// whether the caps left logs out.
    func extractJobLogs(limits: FetchLimits) throws(ArchiveError) -> (logs: [String: LogCapture], capped: Bool) {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .unreadable("\(error)")
        }
        var whole: [String: Entry] = [:]
        var steps: [String: [(number: Int, entry: Entry)]] = [:]
        for entry in archive where entry.type == .file {
            let parts = entry.path.split(separator: "/", omittingEmptySubsequences: true)
            guard let file = parts.last, file.hasSuffix(".txt") else { continue }
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let number = Int(stem[..<underscore]) else { continue }
            if parts.count == 1 {
                whole[String(stem[stem.index(after: underscore)...])] = entry
            } else if parts.count == 2 {
                steps[String(parts[0]), default: []].append((number, entry))
            }
        }
        var result: [String: LogCapture] = [:]
        var held = 0
        var capped = false
        func read(_ name: String, _ entries: [Entry]) throws(ArchiveError) {
            guard result.count < limits.maxJobs, held < limits.maxTotalLogBytes else {
                capped = true
                return
            }
            let capture: LogCapture
            do {
                capture = LogCapture(file: try MemoryLogFile(), limit: limits.maxLogBytes)
                for entry in entries {
                    _ = try archive.extract(entry, skipCRC32: false) { chunk in try capture.append(chunk) }
                }
                _ = try capture.finish()
            } catch {
                throw .unreadable("\(name): \(error)")
            }
            held += capture.kept
            result[name] = capture
        }
        for (name, entry) in whole.sorted(by: { $0.key < $1.key }) {
            try read(name, [entry])
        }
        for (name, list) in steps.sorted(by: { $0.key < $1.key }) where whole[name] == nil {
            try read(name, list.sorted { $0.number < $1.number }.map(\.entry))
        }
        return (result, capped)
    }

    /// GitHub names archive entries after the job with characters unsafe in paths replaced, so
    /// names are compared without them.
    static func key(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}
