import Foundation
import Yams

/// A JSON-shaped document with the source line of each value, so schema errors in a YAML file can
/// point at the line to fix. YAML rule files and JSON output are both checked through it.
public indirect enum JSONValue: Equatable, Sendable {
    case object([(key: String, value: JSONValue, line: Int?)])
    case array([(value: JSONValue, line: Int?)])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.object(let a), .object(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        case (.array(let a), .array(let b)): a.map(\.value) == b.map(\.value)
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.bool(let a), .bool(let b)): a == b
        case (.null, .null): true
        default: false
        }
    }

    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// Converts what `JSONSerialization` returns.
    public init(foundation value: Any) {
        switch value {
        case let dictionary as [String: Any]:
            self = .object(dictionary.keys.sorted().map { ($0, JSONValue(foundation: dictionary[$0]!), nil) })
        case let array as [Any]:
            self = .array(array.map { (JSONValue(foundation: $0), nil) })
        case let string as String:
            self = .string(string)
        case let number as NSNumber:
            // Foundation on Linux bridges booleans as NSNumber too; the class tells them apart.
            if String(describing: type(of: number)).contains("Boolean") {
                self = .bool(number.boolValue)
            } else {
                self = .number(number.doubleValue)
            }
        default:
            self = .null
        }
    }

    /// Converts a YAML node, resolving plain scalars as YAML 1.2's core schema does.
    public init(yaml node: Node) {
        switch node {
        case .mapping(let mapping):
            self = .object(mapping.map { ($0.key.string ?? "", JSONValue(yaml: $0.value), $0.key.mark?.line) })
        case .sequence(let sequence):
            self = .array(sequence.map { (JSONValue(yaml: $0), $0.mark?.line) })
        case .scalar(let scalar):
            guard scalar.style == .plain else {
                self = .string(scalar.string)
                return
            }
            switch scalar.string {
            case "true", "True", "TRUE": self = .bool(true)
            case "false", "False", "FALSE": self = .bool(false)
            case "", "~", "null", "Null", "NULL": self = .null
            default:
                if let number = Double(scalar.string), scalar.string.first.map({ $0.isNumber || $0 == "-" }) == true {
                    self = .number(number)
                } else {
                    self = .string(scalar.string)
                }
            }
        case .alias:
            self = .null
        }
    }
}
