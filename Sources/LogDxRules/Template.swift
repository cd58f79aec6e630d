import Foundation
import LogDxModel

/// A text with `{{binding.field}}` placeholders and `{{#binding}}…{{/binding}}` /
/// `{{^binding}}…{{/binding}}` sections (shown when the binding has, or lacks, a value) — the
/// Mustache subset that titles, explanations, fixes and `where` operands need.
public struct Template: Sendable, Equatable, Codable {
    public struct Reference: Sendable, Equatable, Hashable, Codable {
        public var binding: String
        /// `nil` for a bare binding (`{{#carried}}`).
        public var field: String?
        /// `{{missing.package|nearest:pypi}}`: the values pass through a filter the rule engine
        /// knows (see `Filter`) before they are shown.
        public var filter: Filter?

        /// Keeps empty segments so that `""`, `"."` or `".x"` (which rule authors and fuzzers do
        /// write) become a reference to the empty binding, which validation then names as unknown.
        /// Its parts as they were, for reading one back from the rule-set cache: parsing an empty
        /// path to fill in after was 3,300 instructions a reference, 8 M of every start.
        package init(binding: String, field: String?, filter: Filter?) {
            self.binding = binding
            self.field = field
            self.filter = filter
        }

        package init(_ path: String) {
            let pipe = path.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces() }
            let parts = (pipe.first ?? "").split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            binding = parts.first.map(String.init) ?? ""
            field = parts.count > 1 ? String(parts[1]) : nil
            filter = pipe.count > 1 ? Filter(pipe[1]) : nil
        }

        /// The reference without its filter: where the values come from.
        public var unfiltered: Reference {
            var plain = self
            plain.filter = nil
            return plain
        }

        public var path: String {
            let plain = field.map { "\(binding).\($0)" } ?? binding
            return filter.map { "\(plain)|\($0.source)" } ?? plain
        }
    }

    /// A filter after `|` in a placeholder: a name and an optional argument after `:`.
    public struct Filter: Sendable, Equatable, Hashable, Codable {
        public var name: String
        public var argument: String?

        package init(name: String, argument: String?) {
            self.name = name
            self.argument = argument
        }

        package init(_ source: String) {
            let parts = source.split(separator: ":", maxSplits: 1).map { $0.trimmingSpaces() }
            name = parts.first ?? ""
            argument = parts.count > 1 ? parts[1] : nil
        }

        package var source: String { argument.map { "\(name):\($0)" } ?? name }
    }

    indirect enum Part: Sendable, Equatable {
        case text(String)
        case value(Reference)
        case section(Reference, inverted: Bool, [Part])
    }

    let parts: [Part]
    public let source: String

    /// Every placeholder and section the template uses.
    public var references: [Reference] {
        var result: [Reference] = []
        func walk(_ parts: [Part]) {
            for part in parts {
                switch part {
                case .text: break
                case .value(let ref): result.append(ref)
                case .section(let ref, _, let inner):
                    result.append(ref)
                    walk(inner)
                }
            }
        }
        walk(parts)
        return result
    }

    public var isConstant: Bool { references.isEmpty }

    /// The template of no text: a fix without a `detail:`.
    public static let empty = Template(source: "", parts: [])

    init(source: String, parts: [Part]) {
        self.source = source
        self.parts = parts
    }

    public enum ParseError: Error, Equatable {
        case unclosedPlaceholder
        case unclosedSection(String)
        case unexpectedClose(String)
        case emptyPlaceholder
    }

    /// A template is stored as its source and parsed again when read: the source is the one
    /// form rule files, reports and the cache share.
    public init(from decoder: any Decoder) throws {
        let source = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(source)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "template: \(error)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(source)
    }

    public init(_ source: String) throws(ParseError) {
        self.source = source
        var index = source.startIndex
        var stack: [(Reference, Bool, [Part])] = []
        var current: [Part] = []
        while index < source.endIndex {
            guard let open = Self.pair(0x7b, in: source, from: index) else {
                current.append(.text(String(source[index...])))
                break
            }
            if open.lowerBound > index { current.append(.text(String(source[index..<open.lowerBound]))) }
            guard let close = Self.pair(0x7d, in: source, from: open.upperBound) else {
                throw .unclosedPlaceholder
            }
            // `${{ … }}` is a GitHub Actions expression a fix writes into a workflow (`${{ runner.os }}`),
            // not a placeholder: no reference starts with `$`, so it is kept as text.
            if open.lowerBound > source.startIndex, source.utf8[source.utf8.index(before: open.lowerBound)] == 0x24 {
                current.append(.text(String(source[open.lowerBound..<close.upperBound])))
                index = close.upperBound
                continue
            }
            let tag = source[open.upperBound..<close.lowerBound].trimmingSpaces()
            index = close.upperBound
            guard let sigil = tag.first else { throw .emptyPlaceholder }
            switch sigil {
            case "#", "^":
                let name = tag.dropFirst().trimmingSpaces()
                guard !name.isEmpty else { throw .emptyPlaceholder }
                stack.append((Reference(name), sigil == "^", current))
                current = []
            case "/":
                let name = tag.dropFirst().trimmingSpaces()
                guard let (ref, inverted, outer) = stack.popLast(), ref.path == name else {
                    throw .unexpectedClose(name)
                }
                let section = Part.section(ref, inverted: inverted, current)
                current = outer
                current.append(section)
            default:
                current.append(.value(Reference(tag)))
            }
        }
        if let open = stack.last { throw .unclosedSection(open.0.path) }
        parts = current
    }

    /// The next `{{` (or `}}`) from `start`, found on the UTF-8 bytes: string searches that compare
    /// characters were a tenth of loading the rules, and these delimiters are ASCII.
    private static func pair(_ byte: UInt8, in source: String, from start: String.Index) -> Range<String.Index>? {
        let bytes = source.utf8
        var index = start
        while index < bytes.endIndex {
            let next = bytes.index(after: index)
            if bytes[index] == byte, next < bytes.endIndex, bytes[next] == byte { return index..<bytes.index(after: next) }
            index = next
        }
        return nil
    }

    /// Renders with `lookup` giving the values of a reference (empty when unbound).
    public func render(_ lookup: (Reference) -> [String]) -> String {
        var output = ""
        func walk(_ parts: [Part]) {
            for part in parts {
                switch part {
                case .text(let text): output += text
                case .value(let ref): output += Template.join(lookup(ref))
                case .section(let ref, let inverted, let inner):
                    let present = lookup(ref).contains { !$0.isEmpty }
                    if present != inverted { walk(inner) }
                }
            }
        }
        walk(parts)
        return output
    }

    /// `a`, `a and b`, `a, b and c`: how several values read in a sentence.
    package static func join(_ values: [String]) -> String {
        let values = values.filter { !$0.isEmpty }
        switch values.count {
        case 0: return ""
        case 1: return values[0]
        default: return values.dropLast().joined(separator: ", ") + " and " + values.last!
        }
    }
}

extension Template.ParseError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unclosedPlaceholder: "a '{{' has no matching '}}'"
        case .unclosedSection(let name): "section '{{#\(name)}}' is never closed with '{{/\(name)}}'"
        case .unexpectedClose(let name): "'{{/\(name)}}' closes a section that is not open"
        case .emptyPlaceholder: "an empty '{{}}' placeholder"
        }
    }
}
