import Foundation
import LogDx
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Receives every transfer of the client's session: stops redirects (the client follows them
/// itself, to drop credentials when the host changes) and streams bodies into memory, within a
/// cap, or into a log capture.
///
/// Each transfer ends exactly once, whatever the session does: ending one means taking it out of
/// `transfers` under the lock, and only the caller that took it out calls its `finish`. A second
/// completion for the same task (swift-corelibs-foundation can deliver one when a server closes
/// the connection as it answers) or a deadline racing the real end finds nothing and does nothing.
final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): `transfers` is only touched under `lock`. A transfer's
    // buffers are written only on the session's serial delegate queue, where `stop` also runs.
    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]

    struct Outcome {
        var response: HTTPURLResponse?
        var body: Data
        var bytesReceived: Int
        var error: (any Error)?
        /// Why logdx itself ended the transfer early (the deadline), when it did.
        var stoppedBecause: String?
    }

    enum Destination {
        /// Read into memory; more than `limit` bytes fail the transfer.
        case memory(limit: Int)
        /// A successful body goes to the capture; an error page is read into memory.
        case capture(LogCapture)
    }

    final class Transfer {
        let destination: Destination
        var response: HTTPURLResponse?
        var body = Data()
        var capture: LogCapture?
        var bytesReceived = 0
        var failure: (any Error)?
        var stoppedBecause: String?
        let finish: (Outcome) -> Void

        init(destination: Destination, finish: @escaping (Outcome) -> Void) {
            self.destination = destination
            self.finish = finish
        }

        var outcome: Outcome {
            Outcome(response: response, body: body, bytesReceived: bytesReceived, error: failure, stoppedBecause: stoppedBecause)
        }
    }

    /// Error pages are read for their message only.
    static let errorPageLimit = 256 * 1024

    func register(_ task: URLSessionTask, _ transfer: Transfer) {
        lock.withLock { transfers[task.taskIdentifier] = transfer }
    }

    private func transfer(for task: URLSessionTask) -> Transfer? {
        lock.withLock { transfers[task.taskIdentifier] }
    }

    private func take(_ task: URLSessionTask) -> Transfer? {
        lock.withLock { transfers.removeValue(forKey: task.taskIdentifier) }
    }

    /// Ends the transfer now with what has arrived, saying why, and cancels its task. Call it on
    /// the session's delegate queue, so no body callback is half-way through.
    func stop(_ task: URLSessionTask, because reason: String) {
        guard let transfer = take(task) else { return }
        transfer.stoppedBecause = reason
        task.cancel()
        transfer.finish(transfer.outcome)
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        guard let transfer = transfer(for: dataTask) else { return completionHandler(.cancel) }
        let http = response as? HTTPURLResponse
        transfer.response = http
        if case .capture(let capture) = transfer.destination, let status = http?.statusCode, (200..<300).contains(status) {
            capture.reset()
            transfer.capture = capture
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let transfer = transfer(for: dataTask), transfer.failure == nil else { return }
        transfer.bytesReceived += data.count
        if let capture = transfer.capture {
            do {
                try capture.append(data)
            } catch {
                transfer.failure = DownloadWriteError(message: error.description)
                dataTask.cancel()
                return
            }
            if capture.overflowed, !capture.keepsTail {
                transfer.failure = BodyTooLarge(limit: capture.limit)
                dataTask.cancel()
            }
            return
        }
        let limit: Int
        switch transfer.destination {
        case .memory(let cap): limit = cap
        case .capture:
            // An error page instead of a log: its start holds the message.
            transfer.body.append(data.prefix(max(0, Self.errorPageLimit - transfer.body.count)))
            return
        }
        guard transfer.body.count + data.count <= limit else {
            transfer.failure = BodyTooLarge(limit: limit)
            dataTask.cancel()
            return
        }
        transfer.body.append(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let transfer = take(task) else { return }
        if transfer.response == nil { transfer.response = task.response as? HTTPURLResponse }
        // logdx's own reason (a write error, a body too large) says more than "cancelled".
        if transfer.failure == nil { transfer.failure = error }
        transfer.finish(transfer.outcome)
    }
}

/// The download could not be held locally (no memory, no space): not the server's fault, so it
/// is not retried.
struct DownloadWriteError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// An answer larger than logdx reads: a JSON page that never ends, an archive past the cap. Not
/// retried: the next attempt would be as large.
struct BodyTooLarge: Error, CustomStringConvertible {
    var limit: Int
    var description: String { "larger than \(ByteCount.text(limit))" }
}
