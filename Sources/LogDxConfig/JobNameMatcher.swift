import Foundation
import PCRE2

/// Finds the configured job behind a job name as a pipeline shows it: runners add the parallel
/// index ("test 1/3") or matrix values ("test: [3.11, alpine]", "test (3.11, ubuntu)") to the name,
/// and GitHub shows `name:` with its `${{ }}` expressions expanded.
package struct JobNameMatcher {
    package let jobs: [CIConfigJob]

    package init(jobs: [CIConfigJob]) {
        self.jobs = jobs
    }

    package func match(_ pipelineJobName: String) -> CIConfigJob? {
        let name = pipelineJobName.trimmingCharacters(in: .whitespaces)
        for candidate in [name] + Self.baseNames(name) {
            if let job = jobs.first(where: { $0.name == candidate }) { return job }
            if let job = jobs.first(where: { $0.displayName == candidate }) { return job }
        }
        for candidate in [name] + Self.baseNames(name) {
            if let job = jobs.first(where: { $0.displayName.map { Self.template($0, matches: candidate) } == true }) {
                return job
            }
        }
        return nil
    }

    private static let suffixes: [Pattern] = [
        #"^(.+) \d+/\d+$"#,
        #"^(.+): \[.*\]$"#,
        #"^(.+) \(.*\)$"#,
    ].compactMap { try? Pattern($0) }

    /// The name without what parallel and matrix runs append.
    package static func baseNames(_ name: String) -> [String] {
        let scratch = MatchScratch()
        return suffixes.compactMap { pattern in
            guard case .matched(let match) = pattern.firstMatch(in: name, scratch: scratch), let base = match.groups[1] else { return nil }
            return String(decoding: Array(name.utf8)[base], as: UTF8.self)
        }
    }

    /// "Test ${{ matrix.python }}" matches "Test 3.11".
    package static func template(_ template: String, matches name: String) -> Bool {
        guard template.contains("${{") else { return false }
        var pattern = "^"
        var rest = template[...]
        while let open = rest.range(of: "${{") {
            pattern += Pattern.escaped(String(rest[..<open.lowerBound]))
            pattern += ".+?"
            guard let close = rest[open.upperBound...].range(of: "}}") else { return false }
            rest = rest[close.upperBound...]
        }
        pattern += Pattern.escaped(String(rest)) + "$"
        guard let regex = try? Pattern(pattern), case .matched = regex.firstMatch(in: name, scratch: MatchScratch()) else { return false }
        return true
    }
}
