import Foundation

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

    private static let suffixes: [NSRegularExpression] = [
        #"^(.+) \d+/\d+$"#,
        #"^(.+): \[.*\]$"#,
        #"^(.+) \(.*\)$"#,
    ].compactMap { try? NSRegularExpression(pattern: $0) }

    /// The name without what parallel and matrix runs append.
    package static func baseNames(_ name: String) -> [String] {
        suffixes.compactMap { pattern in
            let range = NSRange(name.startIndex..., in: name)
            guard let match = pattern.firstMatch(in: name, range: range),
                  let base = Range(match.range(at: 1), in: name) else { return nil }
            return String(name[base])
        }
    }

    /// "Test ${{ matrix.python }}" matches "Test 3.11".
    package static func template(_ template: String, matches name: String) -> Bool {
        guard template.contains("${{") else { return false }
        var pattern = "^"
        var rest = template[...]
        while let open = rest.range(of: "${{") {
            pattern += NSRegularExpression.escapedPattern(for: String(rest[..<open.lowerBound]))
            pattern += ".+?"
            guard let close = rest[open.upperBound...].range(of: "}}") else { return false }
            rest = rest[close.upperBound...]
        }
        pattern += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return false }
        return regex.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil
    }
}
