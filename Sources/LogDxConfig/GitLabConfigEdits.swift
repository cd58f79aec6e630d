/// The edits on GitLab configurations: they land where the edited value is written, which may be
/// an included file, a template the job extends, or `default:`.
extension ConfigPatchSession {
    mutating func setGitLabVariable(_ name: String, _ value: String) -> Bool {
        let formatted = YAMLScalarFormat.format(value)
        if let entry = config.resolvedRoot?["variables"]?.entry(name) {
            if GitLabConfigReader.variableValue(entry.value) == value { return true }
            // The expanded form keeps its description and options; only `value:` changes.
            if entry.value.isMapping {
                guard var editor = editor(entry.value.file) else { return false }
                if let current = entry.value["value"] {
                    guard editor.replaceScalar(current, with: value) else { return false }
                } else {
                    guard editor.appendEntry(to: entry.value, ["value: " + formatted]) else { return false }
                }
                return commit(editor)
            }
            guard var editor = editor(entry.value.file), editor.replaceScalar(entry.value, with: value) else { return false }
            return commit(editor)
        }
        guard let main = config.files.first, var editor = editor(main) else { return false }
        let line = YAMLScalarFormat.format(name) + ": " + formatted
        if let variables = editor.root.entry("variables") {
            guard editor.setEntry(name, to: value, line: line, in: variables) else { return false }
            return commit(editor)
        }
        // No global variables yet: a new block before the first top-level key, so it reads first.
        guard let first = editor.root.entries?.first else { return false }
        let unit = String(repeating: " ", count: editor.text.indentUnit)
        editor.insertLines(["variables:", unit + line, ""], at: first.line - 1)
        return commit(editor)
    }

    mutating func addGitLabPath(_ path: String, job name: String, key: String) -> Bool {
        guard let job = config.job(matching: name), let node = job.node else { return false }
        if isSatisfied(key == "cache" ? .addCachePath(path: path, job: name) : .addArtifactPath(path: path, job: name)) { return true }

        var target: ConfigNode?
        if let value = node[key] {
            // `cache: []` or `artifacts: {}` switch them off on purpose; adding would undo that.
            target = key == "cache" ? GitLabJobFacts.caches(value).first : (value.isMapping ? value : nil)
            guard target != nil else { return false }
        }
        if let target {
            if let paths = target["paths"] {
                guard paths.isSequence, var editor = editor(paths.file),
                      let place = editor.locate(paths) else { return false }
                let item = YAMLScalarFormat.format(path, inFlow: editor.flowOpen(place.node) != nil)
                guard editor.appendItem(to: paths, item) else { return false }
                return commit(editor)
            }
            guard var editor = editor(target.file) else { return false }
            let unit = String(repeating: " ", count: editor.text.indentUnit)
            guard editor.appendEntry(to: target, ["paths:", unit + "- " + YAMLScalarFormat.format(path)]) else { return false }
            return commit(editor)
        }
        // Nothing to add to: the job gets its own.
        guard var editor = editor(job.file),
              let entry = editor.root.entries?.first(where: { $0.key == job.name && $0.line == job.line }) else { return false }
        let unit = String(repeating: " ", count: editor.text.indentUnit)
        guard editor.appendEntry(to: entry.value, [key + ":", unit + "paths:", unit + unit + "- " + YAMLScalarFormat.format(path)]) else {
            return false
        }
        return commit(editor)
    }

    mutating func addGitLabScriptLine(job name: String, line: String, before: String?) -> Bool {
        guard let job = config.job(matching: name), let node = job.node else { return false }
        let command = line.trimmingCharacters(in: .whitespaces)
        if isSatisfied(.addScriptLine(job: name, line: command, before: before)) { return true }
        guard let script = node["script"], var editor = editor(script.file), let place = editor.locate(script) else { return false }

        guard let written = place.node.items else {
            // `script: make test` becomes a list with the new command first.
            guard let key = place.parentEntry, let span = editor.scalarSpan(place.node, inFlow: false) else { return false }
            let scalars = editor.text.scalars(span.line)
            let original = String(String.UnicodeScalarView(scalars[span.from..<span.to]))
            var colon = key.column - 1
            while colon < scalars.count, scalars[colon] != ":" { colon += 1 }
            guard colon < span.from else { return false }
            editor.replaceLine(span.line, from: colon + 1, to: span.to, with: "")
            let indent = String(repeating: " ", count: key.column - 1 + editor.text.indentUnit)
            editor.insertLines([indent + "- " + YAMLScalarFormat.format(command), indent + "- " + original], at: span.line + 1)
            return commit(editor)
        }
        var index = 0
        if let before, let found = written.firstIndex(where: { item in commands(item).contains { $0.contains(before) } }) {
            index = found
        }
        let item = YAMLScalarFormat.format(command, inFlow: editor.flowOpen(place.node) != nil)
        guard editor.insertItem(in: script, before: index, item) else { return false }
        return commit(editor)
    }

    mutating func addGitLabDependency(job name: String, from producer: String) -> Bool {
        guard let job = config.job(matching: name), let node = job.node else { return false }
        if isSatisfied(.addDependency(job: name, from: producer)) { return true }
        // `dependencies:` decides which artifacts are downloaded even when `needs:` names the job,
        // so it is the list to extend when both are written.
        guard let list = node["dependencies"] ?? node["needs"], list.isSequence,
              var editor = editor(list.file), let place = editor.locate(list) else { return false }
        // A `needs:` entry written as `- job: X` with `artifacts: false` is not a name to add to.
        if list.items?.contains(where: { $0.string == producer || $0["job"]?.string == producer }) == true { return false }
        let item = YAMLScalarFormat.format(producer, inFlow: editor.flowOpen(place.node) != nil)
        guard editor.appendItem(to: list, item) else { return false }
        return commit(editor)
    }

    /// The commands a written script item stands for, `!reference`s resolved.
    private func commands(_ item: ConfigNode) -> [String] {
        if item.isReference {
            guard let root = config.resolvedRoot, let target = GitLabConfigReader.lookup(item.stringList, in: root) else { return [] }
            return GitLabJobFacts.scriptItems(target).compactMap(\.string)
        }
        if item.isSequence { return GitLabJobFacts.scriptItems(item).compactMap(\.string) }
        return item.string.map { [$0] } ?? []
    }
}
