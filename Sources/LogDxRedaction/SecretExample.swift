/// A fake but well-formed instance of a secret format, for the tests and the redactor fuzzer.
///
/// The secret is described by a shape, not written out: literal text with `{cN}` runs of `N`
/// random characters of class `c`. No real-looking token is stored in the source (secret scanners
/// and push protection would flag it), and the fuzzer can draw as many instances as it likes.
///
/// Classes: `x` lower-case hex, `X` upper-case hex, `U` upper-case letters and digits, `l` lower-case
/// letters, `L` lower-case letters and digits, `a` letters and digits, `u` base64url
/// (`A-Za-z0-9_-`), `b` base64 (`A-Za-z0-9+/`), `d` digits.
public struct SecretExample: Sendable {
    /// Text that gives the secret its context (`export DB_PASSWORD=`); not secret itself.
    public let before: String
    public let shape: String
    public let after: String
    /// A documented example value (AWS publishes its own), used instead of a random one by `instance(seed:)`.
    public let documented: String?

    public init(before: String = "", _ shape: String, after: String = "", documented: String? = nil) {
        self.before = before
        self.shape = shape
        self.after = after
        self.documented = documented
    }

    public struct Instance: Sendable {
        /// `before + secret + after`.
        public var text: String
        public var secret: String
        /// Pieces of the secret that must not appear after redaction: each random run of 8 or more
        /// characters, and its first and last 12.
        public var distinctive: [String]
    }

    /// The same instance for the same seed: the documented value when there is one.
    public func instance(seed: UInt64) -> Instance {
        if let documented {
            return Instance(text: before + documented + after, secret: documented,
                            distinctive: Self.pieces(of: [documented]))
        }
        var generator = SplitMix(state: seed)
        return instance(using: &generator)
    }

    public func instance<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Instance {
        var secret = ""
        var runs: [String] = []
        var run = ""
        var characters = shape[...]
        while let first = characters.first {
            characters = characters.dropFirst()
            guard first == "{", let close = characters.firstIndex(of: "}"),
                  let classCharacter = characters.first, let alphabet = Self.alphabets[classCharacter],
                  let count = Int(characters[characters.index(after: characters.startIndex)..<close]) else {
                if !run.isEmpty { runs.append(run); run = "" }
                secret.append(first)
                continue
            }
            characters = characters[characters.index(after: close)...]
            for _ in 0..<count {
                let byte = alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))]
                let character = Character(Unicode.Scalar(byte))
                secret.append(character)
                run.append(character)
            }
        }
        if !run.isEmpty { runs.append(run) }
        return Instance(text: before + secret + after, secret: secret, distinctive: Self.pieces(of: runs))
    }

    package static func pieces(of runs: [String]) -> [String] {
        var pieces: [String] = []
        for run in runs where run.count >= 8 {
            pieces.append(run)
            if run.count > 12 {
                pieces.append(String(run.prefix(12)))
                pieces.append(String(run.suffix(12)))
            }
        }
        return pieces
    }

    private static let alphabets: [Character: [UInt8]] = {
        let lower = Array("abcdefghijklmnopqrstuvwxyz".utf8), upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        let digits = Array("0123456789".utf8)
        return [
            "x": digits + Array("abcdef".utf8), "X": digits + Array("ABCDEF".utf8), "U": upper + digits,
            "l": lower, "L": lower + digits, "a": upper + lower + digits, "u": upper + lower + digits + Array("_-".utf8),
            "b": upper + lower + digits + Array("+/".utf8), "d": digits,
        ]
    }()

    /// A small, fast, seedable generator (SplitMix64): examples must be the same in every run.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
