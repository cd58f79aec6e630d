/// Which of up to 256 companion literals (the excerpt scorer's words) a line holds, as the
/// tokenizer's prefilter scan found them: a fixed set of bits, so handing it on per line costs
/// no allocation.
package struct LiteralHits: Sendable {
    package static let capacity = 256

    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    package init() {}

    package mutating func insert(_ id: Int) {
        let bit = UInt64(1) << UInt64(id & 63)
        switch id >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    package var isEmpty: Bool { words.0 | words.1 | words.2 | words.3 == 0 }

    /// Calls `body` with each literal id in the set, in increasing order.
    package func forEach(_ body: (Int) -> Void) {
        for (block, word) in [words.0, words.1, words.2, words.3].enumerated() {
            var rest = word
            while rest != 0 {
                body(block * 64 + rest.trailingZeroBitCount)
                rest &= rest - 1
            }
        }
    }
}
