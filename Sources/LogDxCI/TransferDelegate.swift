import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Receives every transfer of the client's session: stops redirects (the client follows them
/// itself, to drop credentials when the host changes) and streams bodies to a file or to memory.
final class TransferDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): `transfers` is only touched under `lock`; a transfer is
    // registered before its task is resumed and removed once, when the task completes, and only
    // the session's delegate queue writes a transfer's buffers.
    private let lock = NSLock()
    private var transfers: [Int: Transfer] = [:]

    struct Outcome {
        var response: HTTPURLResponse?
        var body: Data
        var bytesWritten: Int
        var error: (any Error)?
    }

    final class Transfer {
        let filePath: String?
        let memoryLimit: Int
        var response: HTTPURLResponse?
        var body = Data()
        var file: FileHandle?
        var bytesWritten = 0
        var fileError: String?
        let finish: (Outcome) -> Void

        init(filePath: String?, memoryLimit: Int, finish: @escaping (Outcome) -> Void) {
            self.filePath = filePath
            self.memoryLimit = memoryLimit
            self.finish = finish
        }
    }

    func register(_ task: URLSessionTask, _ transfer: Transfer) {
        lock.withLock { transfers[task.taskIdentifier] = transfer }
    }

    private func transfer(for task: URLSessionTask) -> Transfer? {
        lock.withLock { transfers[task.taskIdentifier] }
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
        // Only a successful body goes to the file; an error page is read into memory for its message.
        if let path = transfer.filePath, let status = http?.statusCode, (200..<300).contains(status) {
            if FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) {
                transfer.file = handle
            } else {
                transfer.fileError = "cannot write \(path): \(String(cString: strerror(errno)))"
                return completionHandler(.cancel)
            }
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        guard let transfer = transfer(for: dataTask) else { return }
        if let file = transfer.file {
            do {
                try file.write(contentsOf: data)
                transfer.bytesWritten += data.count
            } catch {
                transfer.fileError = "cannot write \(transfer.filePath ?? "the download"): \(error.localizedDescription)"
                dataTask.cancel()
            }
        } else if transfer.body.count < transfer.memoryLimit {
            transfer.body.append(data.prefix(transfer.memoryLimit - transfer.body.count))
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        let finished = lock.withLock { transfers.removeValue(forKey: task.taskIdentifier) }
        guard let transfer = finished else { return }
        try? transfer.file?.close()
        var failure = error
        if let message = transfer.fileError { failure = DownloadWriteError(message: message) }
        transfer.finish(Outcome(
            response: transfer.response ?? (task.response as? HTTPURLResponse), body: transfer.body,
            bytesWritten: transfer.bytesWritten, error: failure))
    }
}

/// The download could not be written locally (disk full, no permission): not the server's fault,
/// so it is not retried.
struct DownloadWriteError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
