/// Clusters normalised lines into templates, Drain-style (He et al., ICWS 2017): lines are routed
/// by token count and their first tokens through a fixed-depth prefix tree; in the leaf, a line
/// joins the most similar cluster if enough tokens agree, and the positions that differ become
/// `<*>`. One pass, no training, and the same input order always gives the same clusters.
public struct TemplateMiner: Sendable {
    public struct Cluster: Sendable, Equatable {
        public var id: Int
        public var tokens: [String]
        public var size: Int
        public var template: String { tokens.joined(separator: " ") }
    }

    /// Share of non-wildcard tokens that must agree for a line to join a cluster.
    public var similarity: Double
    /// Tokens used for routing below the token-count level (Drain's depth 4 = length + 2 tokens).
    public var depth: Int
    /// Children per tree node; past it, new tokens share the `<*>` child so the tree stays small.
    public var maxChildren: Int

    public private(set) var clusters: [Cluster] = []
    private var root = Node()

    static let wildcard = "<*>"

    private struct Node: Sendable {
        var children: [String: Node] = [:]
        var clusterIDs: [Int] = []
    }

    public init(similarity: Double = 0.5, depth: Int = 2, maxChildren: Int = 100) {
        self.similarity = similarity
        self.depth = depth
        self.maxChildren = maxChildren
    }

    /// Mines `lines` in order and answers, for each, the id of the cluster it joined and that
    /// cluster's final template (a cluster's template only widens as lines join, so the template a
    /// line is reported under is known only at the end).
    public static func assign(_ lines: [String]) -> [(cluster: Int, template: String)] {
        var miner = TemplateMiner()
        let ids = lines.map { miner.add($0) }
        return ids.map { ($0, miner.clusters[$0].template) }
    }

    /// Adds a normalised line and returns the id of the cluster it joined.
    @discardableResult
    public mutating func add(_ line: String) -> Int {
        // An ASCII line is split by its bytes: splitting by characters (grapheme clusters) was
        // most of mining, on one core at the end of every scan. Elsewhere a space may carry a
        // combining mark, and a character not in 0-9 may be a number.
        let ascii = line.utf8.allSatisfy { $0 < 0x80 }
        let tokens = ascii
            ? line.utf8.split(separator: UInt8(ascii: " ")).map { String(Substring($0)) }
            : line.split(separator: " ").map(String.init)
        var path = ["#\(tokens.count)"]
        for token in tokens.prefix(depth) {
            // Masked values route to <*>: they are the part of a line that varies.
            let hasNumber = ascii ? token.utf8.contains { $0 &- 0x30 < 10 } : token.contains(where: \.isNumber)
            path.append(token.utf8.contains(UInt8(ascii: "<")) || hasNumber ? Self.wildcard : token)
        }
        // The tree is moved out while it is walked: it and the clusters are both updated.
        var tree = root
        root = Node()
        let id = Self.insert(&tree, path[...], tokens: tokens, miner: &self)
        root = tree
        return id
    }

    private static func insert(_ node: inout Node, _ path: ArraySlice<String>, tokens: [String], miner: inout TemplateMiner) -> Int {
        guard let head = path.first else {
            var best: (id: Int, score: Double)?
            for id in node.clusterIDs {
                let score = Self.score(miner.clusters[id].tokens, tokens)
                if score >= miner.similarity, score > (best?.score ?? -1) { best = (id, score) }
            }
            if let best {
                let merged = zip(miner.clusters[best.id].tokens, tokens).map { $0 == $1 ? $0 : wildcard }
                miner.clusters[best.id].tokens = merged
                miner.clusters[best.id].size += 1
                return best.id
            }
            let id = miner.clusters.count
            miner.clusters.append(Cluster(id: id, tokens: tokens, size: 1))
            node.clusterIDs.append(id)
            return id
        }
        var key = head
        if node.children[key] == nil && node.children.count >= miner.maxChildren { key = wildcard }
        // Modified in place: a child copied out of the dictionary while it still held it would
        // copy that child's own children and cluster list at every line.
        return insert(&node.children[key, default: Node()], path.dropFirst(), tokens: tokens, miner: &miner)
    }

    /// Agreeing tokens over all tokens; a template's wildcards agree with anything but do not
    /// count, so a cluster cannot swallow everything once it is mostly wildcards.
    static func score(_ template: [String], _ tokens: [String]) -> Double {
        guard !template.isEmpty, template.count == tokens.count else { return template.isEmpty && tokens.isEmpty ? 1 : 0 }
        var same = 0
        var wild = 0
        for (a, b) in zip(template, tokens) {
            if a == wildcard { wild += 1 } else if a == b { same += 1 }
        }
        let fixed = template.count - wild
        return fixed == 0 ? 1 : Double(same) / Double(template.count)
    }
}
