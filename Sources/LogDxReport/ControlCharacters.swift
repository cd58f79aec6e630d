import LogDxCorrelate
import LogDxDiagnose
import LogDxModel

extension String {
    /// The text with every character that would act rather than show — control characters
    /// (C0 but the tab, DEL, C1), line and paragraph separators, bidirectional overrides — written
    /// as a visible escape: `\n`, `\r`, `\x1b`, `\u{85}`, `\u{202e}`. A file or job name can hold
    /// any of them; shown raw, a newline forges an output line, an escape sequence reaches the
    /// terminal, a bidi override reverses what a reader sees. `keepingNewlines` keeps `\n` for
    /// text that is prose or several lines on purpose.
    public func escapingControlCharacters(keepingNewlines: Bool = false) -> String {
        let escaped = { (scalar: Unicode.Scalar) in
            Self.actsRatherThanShows(scalar) && !(keepingNewlines && scalar == "\n")
        }
        // Printable ASCII (and tab, and newline when kept) is the common case, told from the
        // bytes: walking the scalars of every name and line of a large report was 15M
        // instructions of the 10 MB pipeline. Any other byte goes to the scalar check.
        let plainASCII = utf8.withContiguousStorageIfAvailable { bytes in
            bytes.allSatisfy { byte in (byte >= 0x20 && byte < 0x7F) || byte == 0x09 || (keepingNewlines && byte == 0x0A) }
        } ?? false
        guard !plainASCII, unicodeScalars.contains(where: escaped) else { return self }
        var out = ""
        out.reserveCapacity(utf8.count + 16)
        for scalar in unicodeScalars {
            guard escaped(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default:
                let hex = String(scalar.value, radix: 16)
                out += scalar.value < 0x80 ? "\\x" + (hex.count < 2 ? "0" : "") + hex : "\\u{\(hex)}"
            }
        }
        return out
    }

    static func actsRatherThanShows(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09: false
        case 0x00...0x1F, 0x7F...0x9F: true
        // Line and paragraph separators.
        case 0x2028, 0x2029: true
        // Bidirectional marks, embeddings, overrides and isolates.
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

extension Analysis {
    /// The analysis with every name and text escaped for a person's eyes (text, Markdown,
    /// workflow commands); the machine formats keep the exact strings, their encoders escape.
    func escapingControlCharacters() -> Analysis {
        // Rule templates put job names and paths into prose, which keeps its own newlines: a
        // newline there that belongs to a name is escaped with the name, longest names first.
        let names = Set(pipeline.jobs.flatMap { [$0.name, $0.source] })
            .filter { $0.unicodeScalars.contains(where: String.actsRatherThanShows) }
            .sorted { $0.count > $1.count }
        func line(_ text: String) -> String { text.escapingControlCharacters() }
        func prose(_ text: String) -> String {
            var text = text
            for name in names where text.contains(name) {
                text = text.replacingAll(name, name.escapingControlCharacters())
            }
            return text.escapingControlCharacters(keepingNewlines: true)
        }
        func evidence(_ item: Evidence) -> Evidence {
            var item = item
            item.job = line(item.job)
            item.source = line(item.source)
            item.text = item.text.presented(prose)
            return item
        }
        func diagnosis(_ item: Diagnosis) -> Diagnosis {
            var item = item
            item.title = line(item.title)
            item.explanation = prose(item.explanation)
            item.jobs = item.jobs.map(line)
            item.evidence = item.evidence.map(evidence)
            item.anchor = item.anchor.map(evidence)
            item.fixes = item.fixes.map { Fix(summary: line($0.summary), detail: prose($0.detail), patch: $0.patch.map(prose)) }
            item.docs = item.docs.map(line)
            item.symptoms = item.symptoms.map(diagnosis)
            return item
        }
        var copy = self
        copy.pipeline.jobs = pipeline.jobs.map { job in
            var job = job
            job.name = line(job.name)
            job.stage = job.stage.map(line)
            job.source = line(job.source)
            return job
        }
        copy.pipeline.notices = pipeline.notices.map { notice in
            var notice = notice
            notice.source = line(notice.source)
            notice.message = line(notice.message)
            return notice
        }
        copy.diagnoses = diagnoses.map(diagnosis)
        copy.excerpts = excerpts.map { excerpt in
            var excerpt = excerpt
            excerpt.job = line(excerpt.job)
            excerpt.source = line(excerpt.source)
            excerpt.lines = excerpt.lines.map { var l = $0; l.text = l.text.presented(line); return l }
            return excerpt
        }
        return copy
    }
}
