import Foundation
import Vectorscan
import LogDxRules

/// A Vectorscan database over a list of event definitions, with which of them it holds and how.
package struct CompiledDatabase: Sendable {
    package let database: Database?
    /// Definition indices in the database, and those it could not take.
    package let included: [Int]
    package let rejected: [Int]
    package let exact: Int
    package let prefilterMode: Int
}

/// Compiles prefilter databases (the tokenizer's events, the excerpt scorer's words), once per
/// pattern list in the process.
package final class PrefilterDatabases: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): `built` is read and written only under `lock`; `disk` is
    // immutable.
    /// By the cache key, which names the expressions (hashing them all again as a dictionary key
    /// cost a start as much as working out the key).
    private var built: [String: CompiledDatabase] = [:]
    private let lock = NSLock()
    private let disk: PrefilterCache

    package init(disk: PrefilterCache = .fromEnvironment()) {
        self.disk = disk
    }

    package func database(for definitions: [EventDefinition]) -> CompiledDatabase {
        database(for: EventPrefilter.expressions(for: definitions))
    }

    /// The database of any pattern list (ids are positions in it), from memory, the disk cache or
    /// a compile, in that order.
    package func database(for expressions: [Vectorscan.Expression]) -> CompiledDatabase {
        lock.lock()
        defer { lock.unlock() }
        let key = PrefilterCache.key(for: expressions)
        if let known = built[key] { return known }
        let compiled: CompiledDatabase
        if let cached = disk.load(key, expressionCount: expressions.count) {
            compiled = cached
        } else {
            compiled = Self.compile(expressions)
            disk.store(compiled, key: key)
        }
        built[key] = compiled
        return compiled
    }

    /// Puts each pattern in exactly if libhs can, else in prefilter mode, else leaves it out.
    package static func compile(_ expressions: [Vectorscan.Expression]) -> CompiledDatabase {
        guard !expressions.isEmpty, Database.isPlatformSupported else {
            return CompiledDatabase(database: nil, included: [], rejected: expressions.map { Int($0.id) }, exact: 0, prefilterMode: 0)
        }
        var candidates: [Vectorscan.Expression] = []
        var rejected: [Int] = []
        for var expression in expressions {
            if (try? Database.check(expression)) == nil {
                expression.flags.insert(.prefilter)
                if (try? Database.check(expression)) == nil {
                    rejected.append(Int(expression.id))
                    continue
                }
            }
            candidates.append(expression)
        }
        // The check parses; compiling can still refuse a pattern (too large, empty matches): move it
        // a step down and try again, as often as there are patterns at most.
        var database: Database?
        for _ in 0...candidates.count where !candidates.isEmpty {
            do throws(VectorscanError) {
                database = try Database(compiling: candidates)
                break
            } catch {
                guard let id = error.expressionID, let position = candidates.firstIndex(where: { $0.id == id }) else {
                    rejected += candidates.map { Int($0.id) }
                    candidates = []
                    break
                }
                if candidates[position].flags.contains(.prefilter) {
                    rejected.append(Int(id))
                    candidates.remove(at: position)
                } else {
                    candidates[position].flags.insert(.prefilter)
                }
            }
        }
        guard let database else {
            return CompiledDatabase(database: nil, included: [], rejected: expressions.map { Int($0.id) }, exact: 0, prefilterMode: 0)
        }
        let prefilterMode = candidates.filter { $0.flags.contains(.prefilter) }.count
        return CompiledDatabase(
            database: database, included: candidates.map { Int($0.id) }, rejected: rejected.sorted(),
            exact: candidates.count - prefilterMode, prefilterMode: prefilterMode)
    }
}
