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
        /// What went wrong, in words, for ZIPFoundation's terse errors.
        var reason: String {
            switch self {
            case .unreadable(let reason): reason
            }
        }
    }

    /// ZIPFoundation's errors say which check failed; the user needs to know what that means.
    static func explain(_ error: any Error) -> String {
        if let failure = error as? MemoryLogFile.Failure { return failure.description }
        guard let archiveError = error as? Archive.ArchiveError else {
            // Inflate's own errors (ZIPFoundation keeps their type internal).
            return "an entry cannot be decompressed: its data is damaged or cut short"
        }
        switch archiveError {
        case .missingEndOfCentralDirectoryRecord:
            return "the zip's index at its end is missing: the file is cut short (an unfinished download?) or not a zip"
        case .unreadableArchive:
            return "the file cannot be opened as a zip"
        case .invalidCRC32:
            return "an entry's checksum does not match its data: the archive is damaged"
        case .invalidCentralDirectoryOffset, .invalidCentralDirectorySize, .invalidCentralDirectoryEntryCount:
            return "the zip's index is damaged"
        case .invalidLocalHeaderDataOffset, .invalidLocalHeaderSize, .invalidEntrySize, .invalidBufferSize:
            return "an entry's header is damaged or points past the end of the file"
        case .invalidCompressionMethod:
            return "an entry uses a compression method other than deflate or none"
        default:
            return "\(archiveError)"
        }
    }

    /// Reads each job's log into memory, within the caps, and returns job name → log, and
    /// whether the caps left logs out.
    func extractJobLogs(limits: FetchLimits) throws(ArchiveError) -> (logs: [String: LogCapture], capped: Bool) {
        let extracted = try extractJobs(limits: limits)
        return (Dictionary(extracted.jobs.map { ($0.name, $0.log) }, uniquingKeysWith: { first, _ in first }), extracted.capped)
    }

    /// Each job's log in the archive's order (the number GitHub puts before each job's file).
    func extractJobs(limits: FetchLimits) throws(ArchiveError) -> (jobs: [(name: String, log: LogCapture)], capped: Bool) {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw .unreadable(Self.explain(error))
        }
        var whole: [String: Entry] = [:]
        var ordinal: [String: Int] = [:]
        var steps: [String: [(number: Int, entry: Entry)]] = [:]
        for entry in archive where entry.type == .file {
            let parts = entry.path.split(separator: "/", omittingEmptySubsequences: true)
            guard let file = parts.last, file.hasSuffix(".txt") else { continue }
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let number = Int(stem[..<underscore]) else { continue }
            if parts.count == 1 {
                let name = String(stem[stem.index(after: underscore)...])
                whole[name] = entry
                ordinal[name] = number
            } else if parts.count == 2 {
                steps[String(parts[0]), default: []].append((number, entry))
            }
        }
        var result: [(name: String, log: LogCapture)] = []
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
                throw .unreadable("\(name): \(Self.explain(error))")
            }
            held += capture.kept
            result.append((name, capture))
        }
        for (name, entry) in whole.sorted(by: { (ordinal[$0.key] ?? 0, $0.key) < (ordinal[$1.key] ?? 0, $1.key) }) {
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
