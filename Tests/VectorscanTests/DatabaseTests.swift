import Testing
import Vectorscan

@Suite struct DatabaseTests {
    func matches(_ database: Database, _ text: String) throws -> [(UInt32, Int)] {
        let scratch = try database.makeScratch()
        var found: [(UInt32, Int)] = []
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            try scratch.scan(UnsafeBufferPointer(buffer)) { id, end in
                found.append((id, end))
                return true
            }
        }
        return found
    }

    /// `scan(_:appendingIDsTo:)` reports what `scan(_:onMatch:)` reports, in the same order,
    /// into an array the caller keeps between scans; a match at every byte grows it past any
    /// first capacity.
    @Test func collectingIDsReportsWhatTheCallbackReports() throws {
        let database = try Database(compiling: [
            Expression("a", id: 1, flags: [.utf8]),
            Expression("ERROR", id: 2, flags: [.utf8, .caseless, .singleMatch]),
            Expression(#"\d+"#, id: 3, flags: [.utf8]),
        ])
        let scratch = try database.makeScratch()
        var ids: [UInt32] = []
        for text in ["", "no match here", "error 42 error", String(repeating: "a", count: 5_000) + " 7", "é a 1 ERROR"] {
            var bytes = Array(text.utf8)
            ids.removeAll(keepingCapacity: true)
            try bytes.withUnsafeMutableBufferPointer { buffer in
                try scratch.scan(UnsafeBufferPointer(buffer), appendingIDsTo: &ids)
            }
            #expect(ids == (try matches(database, text)).map(\.0), "\(text.prefix(20))")
        }
        #expect(ids == [1, 3, 2])
    }

    @Test func reportsEveryPatternWithItsIdAndEndOffset() throws {
        let database = try Database(compiling: [
            Expression(#"not found for: \w+"#, id: 7, flags: [.utf8, .singleMatch]),
            Expression("ERROR", id: 3, flags: [.utf8, .caseless, .singleMatch]),
            Expression("absent", id: 9, flags: [.utf8, .singleMatch]),
        ])
        let found = try matches(database, "error: Package(s) not found for: rdflib")
        #expect(found.map(\.0).sorted() == [3, 7])
        #expect(found.first { $0.0 == 3 }?.1 == 5)
        // Without single-match the end would move on as \w+ grows; with it the first end is kept.
        #expect(found.first { $0.0 == 7 }?.1 == 34)
    }

    @Test func offsetsAreUTF8Bytes() throws {
        let database = try Database(compiling: [Expression("für (\\S+)$", id: 1, flags: [.utf8, .singleMatch])])
        // "ü" and "ö" are two bytes each: 16 bytes, 14 characters.
        #expect(try matches(database, "Paket für Jörg").map(\.1) == [16])
    }

    @Test func withoutSingleMatchEveryEndIsReported() throws {
        let database = try Database(compiling: [Expression("ab", id: 1, flags: [.utf8])])
        #expect(try matches(database, "ab ab ab").map(\.1) == [2, 5, 8])
    }

    @Test func theHandlerCanStopTheScan() throws {
        let database = try Database(compiling: [Expression("ab", id: 1, flags: [.utf8])])
        let scratch = try database.makeScratch()
        var calls = 0
        var bytes = Array("ab ab ab".utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            try scratch.scan(UnsafeBufferPointer(buffer)) { _, _ in
                calls += 1
                return false
            }
        }
        #expect(calls == 1)
    }

    @Test func lookaroundsNeedPrefilterMode() throws {
        let pattern = #"(?<!no )module named '(?<name>[^']+)'"#
        do {
            _ = try Database(compiling: [Expression("fine", id: 1), Expression(pattern, id: 42, flags: [.utf8])])
            Issue.record("libhs matches no lookbehind exactly")
        } catch {
            #expect(error.expressionID == 42)
            #expect(!error.message.isEmpty)
        }
        // In prefilter mode it reports a superset: the lookbehind is dropped, so both lines match.
        let database = try Database(compiling: [Expression(pattern, id: 42, flags: [.utf8, .prefilter, .singleMatch])])
        #expect(try matches(database, "ModuleNotFoundError: No module named 'rdflib'").map(\.0) == [42])
        #expect(try matches(database, "there is no module named 'x'").map(\.0) == [42])
        #expect(try matches(database, "nothing here").isEmpty)
    }

    @Test func patternsMatchingTheEmptyStringAreRejectedWithTheirId() {
        do {
            _ = try Database(compiling: [Expression("a*", id: 5, flags: [.utf8])])
            Issue.record("an empty match must be refused without .allowEmpty")
        } catch {
            #expect(error.expressionID == 5)
        }
    }

    @Test func syntaxErrorsAreErrorsNotCrashes() {
        #expect(throws: VectorscanError.self) { try Database(compiling: [Expression("(unclosed", id: 1)]) }
        #expect(throws: VectorscanError.self) { try Database(compiling: []) }
        #expect(throws: VectorscanError.self) { try Database(compiling: [Expression("a\u{0}b", id: 2)]) }
    }

    @Test func aSerializedDatabaseScansTheSame() throws {
        let original = try Database(compiling: [
            Expression("Job failed: exit code (\\d+)", id: 11, flags: [.utf8, .singleMatch]),
            Expression("warning", id: 12, flags: [.utf8, .caseless, .singleMatch]),
        ])
        let bytes = try original.serialized()
        let copy = try Database(deserializing: bytes)
        let text = "WARNING: x\nERROR: Job failed: exit code 1"
        #expect(try matches(copy, text).map(\.0).sorted() == [11, 12])
        #expect(try matches(copy, text).map(\.1) == matches(original, text).map(\.1))
    }

    @Test func damagedSerializedBytesAreAnError() throws {
        let bytes = try Database(compiling: [Expression("abc", id: 1)]).serialized()
        #expect(throws: VectorscanError.self) { try Database(deserializing: Array(bytes.prefix(bytes.count / 2))) }
        #expect(throws: VectorscanError.self) { try Database(deserializing: [1, 2, 3]) }
    }

    @Test func eachThreadScansWithItsOwnScratch() async throws {
        let database = try Database(compiling: [Expression("needle", id: 1, flags: [.utf8, .singleMatch])])
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let scratch = try database.makeScratch()
                    var hits = 0
                    var bytes = Array("hay needle hay".utf8)
                    for _ in 0..<1_000 {
                        try bytes.withUnsafeMutableBufferPointer { buffer in
                            try scratch.scan(UnsafeBufferPointer(buffer)) { _, _ in hits += 1; return true }
                        }
                    }
                    return hits
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == [1_000, 1_000, 1_000, 1_000])
    }
}
