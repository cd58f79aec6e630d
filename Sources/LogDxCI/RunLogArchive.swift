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

    /// Writes each job's log into `directory` and returns job name → file.
    func extractJobLogs(into directory: String) throws(ArchiveError) -> [String: String] {
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
        var result: [String: String] = [:]
        var written = 0
        func write(_ name: String, _ entries: [Entry]) throws(ArchiveError) {
            let target = directory + "/archive-\(written).log"
            written += 1
            guard FileManager.default.createFile(atPath: target, contents: nil), let handle = FileHandle(forWritingAtPath: target) else {
                throw .unreadable("cannot write \(target)")
            }
            defer { try? handle.close() }
            do {
                for entry in entries {
                    _ = try archive.extract(entry, skipCRC32: false) { chunk in try handle.write(contentsOf: chunk) }
                }
            } catch {
                throw .unreadable("\(name): \(error)")
            }
            result[name] = target
        }
        for (name, entry) in whole.sorted(by: { $0.key < $1.key }) {
            try write(name, [entry])
        }
        for (name, list) in steps.sorted(by: { $0.key < $1.key }) where whole[name] == nil {
            try write(name, list.sorted { $0.number < $1.number }.map(\.entry))
        }
        return result
    }

    /// GitHub names archive entries after the job with characters unsafe in paths replaced, so
    /// names are compared without them.
    static func key(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}
