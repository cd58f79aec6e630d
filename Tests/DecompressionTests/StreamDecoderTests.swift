import Decompression
import Foundation
import Testing

/// The decoders against the reference command-line tools' output (`gzip`, `zstd`): an independent
/// encoder, so a decoder that only reads its own test data cannot pass.
struct StreamDecoderTests {
    /// A log-shaped text of about 600 KB: larger than a read chunk, so streams span several steps.
    static let text: [UInt8] = Array((0..<12_000).map { "\($0): Collecting rdflib==7.0.0 ... done in \($0 % 97) ms\n" }.joined().utf8)

    static func compress(_ bytes: [UInt8], with tool: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool, "-c", "-q"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Written from another thread: the tool's output pipe would fill while we still write.
        let writer = Thread { input.fileHandleForWriting.write(Data(bytes)); try? input.fileHandleForWriting.close() }
        writer.start()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) failed")
        return Array(data)
    }

    /// Decodes `compressed` feeding `inputStep` bytes at a time into a buffer of `outputSize`.
    static func decode(_ compressed: [UInt8], _ format: CompressionFormat, inputStep: Int, outputSize: Int) throws -> (bytes: [UInt8], ended: Bool) {
        let decoder = try format.makeDecoder()
        var result: [UInt8] = []
        var output = [UInt8](repeating: 0, count: outputSize)
        var position = 0
        var stalled = 0
        while position < compressed.count || stalled == 0 {
            let end = min(compressed.count, position + inputStep)
            let step = try compressed.withUnsafeBytes { raw in
                try output.withUnsafeMutableBytes { out in
                    try decoder.step(input: UnsafeRawBufferPointer(rebasing: raw[position..<end]), output: out)
                }
            }
            position += step.consumed
            result += output[0..<step.produced]
            if step.consumed == 0 && step.produced == 0 {
                stalled += 1
                if stalled > 1 || position >= compressed.count { break }
            } else {
                stalled = 0
            }
        }
        return (result, decoder.isAtStreamEnd)
    }

    @Test(arguments: [CompressionFormat.gzip, .zstd])
    func decodesTheToolsOutputExactlyWhateverTheBufferSizes(_ format: CompressionFormat) throws {
        let compressed = try Self.compress(Self.text, with: format.rawValue)
        #expect(CompressionFormat.detect(compressed) == format)
        for (inputStep, outputSize) in [(1 << 20, 256 * 1024), (7, 13), (4096, 1)] {
            let decoded = try Self.decode(compressed, format, inputStep: inputStep, outputSize: outputSize)
            #expect(decoded.bytes == Self.text, "input step \(inputStep), output \(outputSize)")
            #expect(decoded.ended)
        }
    }

    @Test(arguments: [CompressionFormat.gzip, .zstd])
    func concatenatedStreamsDecodeAsOneAsTheToolsDo(_ format: CompressionFormat) throws {
        let first = Array("job one\n".utf8), second = Array("job two\n".utf8)
        let joined = try Self.compress(first, with: format.rawValue) + Self.compress(second, with: format.rawValue)
        let decoded = try Self.decode(joined, format, inputStep: 5, outputSize: 64)
        #expect(decoded.bytes == first + second)
        #expect(decoded.ended)
    }

    @Test(arguments: [CompressionFormat.gzip, .zstd])
    func aCutOffStreamGivesWhatArrivedAndSaysItDidNotEnd(_ format: CompressionFormat) throws {
        let compressed = try Self.compress(Self.text, with: format.rawValue)
        let decoded = try Self.decode(Array(compressed.prefix(compressed.count / 2)), format, inputStep: 4096, outputSize: 65536)
        #expect(!decoded.ended)
        #expect(decoded.bytes.count > 1000)
        #expect(decoded.bytes == Array(Self.text.prefix(decoded.bytes.count)))
    }

    @Test(arguments: [CompressionFormat.gzip, .zstd])
    func damagedBytesAreAnErrorThatNamesTheFormat(_ format: CompressionFormat) throws {
        var compressed = try Self.compress(Self.text, with: format.rawValue)
        // Past the header, into the compressed blocks.
        for index in stride(from: 20, to: min(compressed.count, 400), by: 3) { compressed[index] ^= 0x5a }
        #expect {
            _ = try Self.decode(compressed, format, inputStep: 4096, outputSize: 65536)
        } throws: { error in
            (error as? DecompressionError)?.format == format
        }
    }

    @Test func plainTextIsNotTakenForACompressedFormat() {
        #expect(CompressionFormat.detect(Array("$ gzip -c build.log\n".utf8)) == nil)
        #expect(CompressionFormat.detect([UInt8]()) == nil)
        #expect(CompressionFormat.detect([0x1f]) == nil)
    }
}
