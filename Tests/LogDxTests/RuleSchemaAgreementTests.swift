import Foundation
import Testing
@testable import LogDx
import TestSupport

/// The rule format's keys are written twice, once for editors (`Rules/schema/*.schema.json`, which
/// rule files name) and once for the parser that enforces them; these tests keep the two the same,
/// so a key added to one and not the other fails here instead of in a user's editor.
@Suite struct RuleSchemaAgreementTests {
    static func schema(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: RepositoryPaths.rules + "/schema/" + name))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func properties(_ object: Any?) -> Set<String> {
        Set(((object as? [String: Any])?["properties"] as? [String: Any])?.keys.map { $0 } ?? [])
    }

    static func definition(_ schema: [String: Any], _ name: String) -> Any? {
        (schema["$defs"] as? [String: Any])?[name]
    }

    @Test func aRuleFileHasTheKeysTheParserTakes() throws {
        let rule = try Self.schema("rule.schema.json")
        #expect(Self.properties(rule) == Set(RuleParser.keys))
        #expect(Self.properties(Self.definition(rule, "binding")) == Set(RuleParser.bindingKeys))
        #expect(Self.properties(Self.definition(rule, "job")) == Set(JobConstraint.Relation.allCases.map(\.rawValue) + ["status"]))
        #expect(Self.properties(Self.definition(rule, "operators")) == Set(RuleParser.operators))
    }

    @Test func everyPatchEditHasTheKeysTheParserTakes() throws {
        let rule = try Self.schema("rule.schema.json")
        let fixes = try #require((rule["properties"] as? [String: Any])?["fixes"] as? [String: Any])
        let fix = try #require(fixes["items"] as? [String: Any])
        let patch = try #require((fix["properties"] as? [String: Any])?["patch"] as? [String: Any])
        let choices = try #require((patch["items"] as? [String: Any])?["oneOf"] as? [[String: Any]])
        var schemaEdits: [String: Set<String>] = [:]
        for choice in choices {
            // `ci:` sits beside every operation: an edit for one CI only.
            for (operation, body) in (choice["properties"] as? [String: Any]) ?? [:] where operation != "ci" {
                // `unset_variable` takes a bare name, so it has no keys.
                schemaEdits[operation] = Self.properties(body)
            }
        }
        #expect(Set(schemaEdits.keys) == Set(EditTemplate.operations.keys))
        #expect(choices.allSatisfy { ($0["properties"] as? [String: Any])?["ci"] != nil }, "every edit may say `ci:`")
        for (operation, keys) in EditTemplate.operations {
            #expect(schemaEdits[operation] == Set(keys), "\(operation)")
        }
    }

    @Test func anEventFileHasTheKeysTheParserTakes() throws {
        let events = try Self.schema("events.schema.json")
        #expect(Self.properties(events) == Set(EventDefinitionParser.fileKeys))
        #expect(Self.properties(Self.definition(events, "event")) == Set(EventDefinitionParser.keys))
    }
}
