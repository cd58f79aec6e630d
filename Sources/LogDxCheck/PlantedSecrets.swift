import LogDxRedaction

/// A log with a secret of every format planted in it, made from a template at test time.
///
/// The template is an ordinary job log with placeholders: `{{id}}` becomes the example of format
/// `id` with its context (`aws configure set aws_secret_access_key …`), `{{id@secret}}` the secret
/// alone, for a line that gives its own context. `{{id#2}}` and `{{id@secret#2}}` draw another
/// value of the same format. Values are generated from the formats' shapes, so the template holds
/// no token that a scanner would take for a leak, and every run plants the same values.
public struct PlantedSecrets: Sendable {
    public struct Planted: Sendable {
        public var format: String
        public var instance: SecretExample.Instance
    }

    public let text: String
    public let planted: [Planted]

    public struct UnknownFormat: Error, CustomStringConvertible {
        public var placeholder: String
        public var description: String { "no secret format for placeholder {{\(placeholder)}}" }
    }

    public init(template: String) throws {
        var text = ""
        var planted: [Planted] = []
        var rest = template[...]
        while let open = rest.range(of: "{{") {
            text += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let placeholder = String(rest[open.upperBound..<close.lowerBound])
            rest = rest[close.upperBound...]
            var spec = placeholder[...]
            var variant: UInt64 = 1
            if let hash = spec.lastIndex(of: "#") {
                guard let number = UInt64(spec[spec.index(after: hash)...]) else { throw UnknownFormat(placeholder: placeholder) }
                variant = number
                spec = spec[..<hash]
            }
            let secretOnly = spec.hasSuffix("@secret")
            if secretOnly { spec = spec.dropLast("@secret".count) }
            guard let index = SecretFormat.all.firstIndex(where: { $0.id == spec }) else { throw UnknownFormat(placeholder: placeholder) }
            let format = SecretFormat.all[index]
            let instance = format.example.instance(seed: UInt64(index + 1) &* 1_000_003 &+ variant)
            planted.append(Planted(format: format.id, instance: instance))
            text += secretOnly ? instance.secret : instance.text
        }
        text += rest
        self.text = text
        self.planted = planted
    }

    /// Every piece of every planted secret that must not be shown.
    public var distinctive: [String] { planted.flatMap(\.instance.distinctive) }

    /// The first distinctive piece of a planted secret that `output` shows, with its format.
    public func leak(in output: String) -> (format: String, piece: String)? {
        for item in planted {
            if let piece = item.instance.distinctive.first(where: { output.contains($0) }) { return (item.format, piece) }
        }
        return nil
    }
}
