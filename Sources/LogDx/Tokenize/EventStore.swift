/// The events of a pipeline, indexed by kind in pipeline order.
///
/// Bounded: a job keeps at most `capPerJobAndKind` events of one kind, so a log that prints a
/// million `+ package==1.0` lines costs a counter, not a million events.
public struct EventStore: Sendable {
    public static let defaultCap = 5_000

    public private(set) var events: [Event] = []
    private var counts: [Key: Int] = [:]
    public let capPerJobAndKind: Int
    /// Events not kept because of the cap, by job and kind.
    public private(set) var dropped: [Key: Int] = [:]

    public struct Key: Hashable, Sendable {
        public var job: Int
        public var kind: String
    }

    public init(capPerJobAndKind: Int = EventStore.defaultCap) {
        self.capPerJobAndKind = capPerJobAndKind
    }

    /// Whether another event of `kind` in `job` would be kept; counts it as dropped when not, so
    /// callers can skip building events that would be thrown away.
    mutating func admits(job: Int, kind: String) -> Bool {
        let key = Key(job: job, kind: kind)
        if counts[key, default: 0] < capPerJobAndKind { return true }
        dropped[key, default: 0] += 1
        return false
    }

    /// Adds an event; returns its index, or `nil` when the cap dropped it.
    @discardableResult
    public mutating func append(_ event: Event) -> Int? {
        let key = Key(job: event.job, kind: event.kind)
        let count = counts[key, default: 0]
        guard count < capPerJobAndKind else {
            dropped[key, default: 0] += 1
            return nil
        }
        counts[key] = count + 1
        events.append(event)
        return events.count - 1
    }

    /// Takes over another store's events and drop counts, its jobs renumbered by `jobOffset`.
    mutating func absorb(_ other: EventStore, jobOffset: Int) {
        for var event in other.events {
            event.job += jobOffset
            append(event)
        }
        for (key, count) in other.dropped {
            dropped[Key(job: key.job + jobOffset, kind: key.kind), default: 0] += count
        }
    }

    mutating func appendText(_ text: String, toEventAt index: Int) {
        events[index].text += "\n" + text
    }

    /// The events of each kind, sorted by pipeline order of their job, then line.
    public func byKind(in pipeline: Pipeline) -> [String: [Event]] {
        var result: [String: [Event]] = [:]
        for event in events { result[event.kind, default: []].append(event) }
        for (kind, list) in result {
            result[kind] = list.sorted {
                let a = pipeline.jobs[$0.job].order, b = pipeline.jobs[$1.job].order
                return a != b ? a < b : $0.line < $1.line
            }
        }
        return result
    }
}
