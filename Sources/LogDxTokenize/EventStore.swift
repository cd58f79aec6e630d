import LogDxModel

/// The events of a pipeline, indexed by kind in pipeline order.
///
/// Bounded: a job keeps its first `headCap` and its last `tailCap` events of one kind and counts
/// the ones between, so a log that prints a million `+ package==1.0` lines costs a counter, not a
/// million events, and the rules still see how the job started and how it ended.
public struct EventStore: Sendable {
    public static let defaultHeadCap = 1_000
    public static let defaultTailCap = 200

    public let headCap: Int
    public let tailCap: Int
    private var buckets: [Key: Bucket] = [:]
    /// Insertion counter: gives `events` back in the order they were found.
    private var nextSequence = 0

    public struct Key: Hashable, Sendable {
        public var job: Int
        public var kind: String

        package init(job: Int, kind: String) {
            self.job = job
            self.kind = kind
        }
    }

    /// Where an appended event lives, for continuation lines that extend its text.
    package struct Handle {
        package var key: Key
        /// The event's position among all events of its job and kind, kept or not.
        var ordinal: Int
    }

    private struct Stored {
        var sequence: Int
        var event: Event
    }

    /// One job's events of one kind: the first ones, then a ring of the latest ones.
    private struct Bucket {
        var head: [Stored] = []
        var tail: [Stored] = []
        /// Index in `tail` of its oldest event once the ring is full.
        var tailStart = 0
        /// Events of this job and kind ever appended.
        var total = 0

        func stored(at ordinal: Int, tailCap: Int) -> (inHead: Bool, index: Int)? {
            if ordinal < head.count { return (true, ordinal) }
            let firstInTail = total - tail.count
            guard ordinal >= firstInTail, ordinal < total else { return nil }
            return (false, (tailStart + ordinal - firstInTail) % max(tail.count, 1))
        }
    }

    public init(headCap: Int = EventStore.defaultHeadCap, tailCap: Int = EventStore.defaultTailCap) {
        self.headCap = headCap
        self.tailCap = tailCap
    }

    /// Events appended so far, kept or not.
    package var appendedCount: Int { nextSequence }

    /// Events not kept because of the caps, by job and kind.
    public var dropped: [Key: Int] {
        var result: [Key: Int] = [:]
        for (key, bucket) in buckets where bucket.total > bucket.head.count + bucket.tail.count {
            result[key] = bucket.total - bucket.head.count - bucket.tail.count
        }
        return result
    }

    /// Every kept event, in the order they were appended.
    public var events: [Event] {
        var all: [Stored] = []
        for bucket in buckets.values {
            all += bucket.head
            all += bucket.tail
        }
        return all.sorted { $0.sequence < $1.sequence }.map(\.event)
    }

    /// Adds an event. Past the first `headCap` of its job and kind it replaces the oldest of the
    /// last `tailCap`; the return value finds it while it is kept.
    @discardableResult
    package mutating func append(_ event: Event) -> Handle {
        let key = Key(job: event.job, kind: event.kind)
        let stored = Stored(sequence: nextSequence, event: event)
        nextSequence += 1
        // One lookup of the bucket, not two: hashing the key (its kind is a string) was a tenth
        // of recording an event.
        let ordinal = Self.insert(stored, into: &buckets[key, default: Bucket()], headCap: headCap, tailCap: tailCap)
        return Handle(key: key, ordinal: ordinal)
    }

    /// Returns the event's ordinal in its bucket: how many came before it.
    private static func insert(_ stored: Stored, into bucket: inout Bucket, headCap: Int, tailCap: Int) -> Int {
        let ordinal = bucket.total
        bucket.total += 1
        if bucket.head.count < headCap {
            bucket.head.append(stored)
        } else if bucket.tail.count < tailCap {
            bucket.tail.append(stored)
        } else if tailCap > 0 {
            bucket.tail[bucket.tailStart] = stored
            bucket.tailStart = (bucket.tailStart + 1) % tailCap
        }
        return ordinal
    }

    /// Takes over another store's events and drop counts, its jobs renumbered by `jobOffset`; its
    /// events count as appended after this store's. `other` is left empty: its buckets are moved,
    /// not shared, so renumbering writes each event in place instead of copying it.
    package mutating func absorb(_ other: inout EventStore, jobOffset: Int) {
        var incoming: [Key: Bucket] = [:]
        swap(&incoming, &other.buckets)
        let otherSequences = other.nextSequence
        other.nextSequence = 0
        for key in Array(incoming.keys) {
            guard var moved = incoming.removeValue(forKey: key) else { continue }
            for index in moved.head.indices {
                moved.head[index].sequence += nextSequence
                moved.head[index].event.job += jobOffset
            }
            for index in moved.tail.indices {
                moved.tail[index].sequence += nextSequence
                moved.tail[index].event.job += jobOffset
            }
            buckets[Key(job: key.job + jobOffset, kind: key.kind)] = moved
        }
        nextSequence += otherSequences
    }

    /// Adds a continuation line to an event's text; nothing when the event is no longer kept.
    package mutating func appendText(_ text: Redacted, to handle: Handle) {
        guard let place = buckets[handle.key]?.stored(at: handle.ordinal, tailCap: tailCap) else { return }
        if place.inHead {
            buckets[handle.key]?.head[place.index].event.text.appendLine(text)
        } else {
            buckets[handle.key]?.tail[place.index].event.text.appendLine(text)
        }
    }

    /// The events of each kind, sorted by pipeline order of their job, then line, then the order
    /// they were found in.
    public func byKind(in pipeline: Pipeline) -> [String: [Event]] {
        // The buckets are grouped by kind first, which copies no event: each kind's events are
        // then gathered and sorted by themselves, on all cores when there are many (gathering
        // them all on one core was a tenth of a second of a 1,000-job pipeline while the other
        // core waited).
        var bucketsByKind: [String: [Bucket]] = [:]
        for (key, bucket) in buckets { bucketsByKind[key.kind, default: []].append(bucket) }
        // The sort keys are read once per event, not twice per comparison.
        @Sendable func inPipelineOrder(_ buckets: [Bucket]) -> [Event] {
            var list: [Stored] = []
            list.reserveCapacity(buckets.reduce(0) { $0 + $1.head.count + $1.tail.count })
            for bucket in buckets {
                list += bucket.head
                list += bucket.tail
            }
            let keys = list.map { (order: pipeline.jobs[$0.event.job].order, line: $0.event.line, sequence: $0.sequence) }
            return list.indices.sorted { keys[$0] < keys[$1] }.map { list[$0].event }
        }
        guard nextSequence >= Self.concurrentSortEvents else { return bucketsByKind.mapValues(inPipelineOrder) }
        let sorted = Array(bucketsByKind).concurrentMap { kind, buckets in (kind, inPipelineOrder(buckets)) }
        return Dictionary(uniqueKeysWithValues: sorted)
    }

    /// Events past which `byKind` sorts the kinds on all cores: as for solving the rules
    /// (`RuleEngine.parallelSolvingEvents`), a few thousand take longer than waking a thread.
    static let concurrentSortEvents = 5_000
}
