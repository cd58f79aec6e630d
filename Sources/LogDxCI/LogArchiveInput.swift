import Foundation
import LogDx

/// A GitHub run's log archive given to `logdx diagnose` as it was downloaded from the run's page
/// (`logs_NNN.zip`): each job's log is read out of it into memory, within the same caps as the
/// hook's, and handed to the engine as a file of its own with the job's name.
public final class LogArchiveInput: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): built once in `init`, read-only afterwards.
    public let archivePath: String
    /// The jobs' logs, in the archive's order.
    private let jobs: [(name: String, log: LogCapture)]
    /// Notes for the user: logs cut to the caps, jobs left out.
    public let notes: [String]

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Whether the file starts as a zip does (a local file header, or the end record of an empty
    /// zip), whatever its name.
    public static func isArchive(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4), head.count == 4 else { return false }
        return head.elementsEqual([0x50, 0x4B, 0x03, 0x04]) || head.elementsEqual([0x50, 0x4B, 0x05, 0x06])
    }

    public init(path: String, limits: FetchLimits = FetchLimits()) throws(Failure) {
        archivePath = path
        let extracted: (jobs: [(name: String, log: LogCapture)], capped: Bool)
        do {
            extracted = try RunLogArchive(path: path).extractJobs(limits: limits)
        } catch {
            throw Failure(description: "\(path): not a readable GitHub log archive: \(error.reason).")
        }
        guard !extracted.jobs.isEmpty else {
            throw Failure(description: "\(path): the zip holds no job logs (GitHub's run archive has `N_job.txt` files and `job/N_step.txt` folders). Pass the archive downloaded from the run's page, or its unzipped folder.")
        }
        jobs = extracted.jobs
        var notes: [String] = []
        for job in extracted.jobs where job.log.received > job.log.file.size {
            notes.append("\(path): job \(job.name): the log is larger than \(ByteCount.text(job.log.limit)); diagnosed its first and last \(ByteCount.text(job.log.limit / 2))")
        }
        if extracted.capped {
            notes.append("\(path): more logs than the caps allow (\(limits.maxJobs) jobs, \(ByteCount.text(limits.maxTotalLogBytes)) in all); the first were read")
        }
        self.notes = notes
    }

    /// The jobs' logs for the engine, read from memory, each shown as `archive.zip:job`.
    public var inputs: [LogInput] {
        jobs.map { job in
            LogInput(origin: .descriptor(job.log.file.descriptor), name: "\(archivePath):\(job.name)", hint: JobHint(name: job.name))
        }
    }
}
