import LogDxModel

/// Recognises an input's format, and what a copy added around its lines, from its first lines.
///
/// A few formats have a signature that the others cannot produce (GitLab's section markers,
/// gitlab-ci-local's `NAME starting IMAGE (STAGE)`, `gh run view`'s tab columns); the first such
/// line wins. Otherwise the lines are weighed: GitHub's timestamp on most lines, then the lines
/// only GitLab's runner or Jenkins print (`FormatEvidence`) — a pasted fragment has no header, but
/// its lines still say where they come from. Plain text is what is left.
public enum FormatDetector {
    static let sampleLines = 200

    public static func detect(prefix: [UInt8]) -> InputFormat {
        profile(prefix: prefix).format
    }

    /// - Parameter complete: `prefix` is the whole input, not its first bytes.
    package static func profile(prefix: [UInt8], forcedFormat: InputFormat? = nil, complete: Bool = false) -> PasteProfile {
        var cleaner = LineCleaner()
        // The cleaned lines go end to end into one array, sliced after: an array per line was a
        // third of detecting the format of a short log.
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(prefix.count)
        var ranges: [Range<Int>] = []
        var signature: InputFormat?
        var sampledAll = false
        prefix.withUnsafeBufferPointer { buffer in
            var start = 0
            defer { sampledAll = start >= buffer.count }
            while start < buffer.count && ranges.count < sampleLines {
                let end = Bytes.firstIndex(of: 0x0a, in: buffer, from: start) ?? buffer.count
                let raw = UnsafeBufferPointer(rebasing: buffer[start..<end])
                start = end + 1
                if let first = raw.first, first == UInt8(ascii: "s") || first == UInt8(ascii: "R"),
                   raw.starts(with: "section_start:".utf8) || raw.starts(with: "Running with gitlab-runner ".utf8) {
                    signature = .gitlabRunner
                }
                let from = cleaned.count
                cleaned.append(contentsOf: cleaner.clean(raw))
                ranges.append(from..<cleaned.count)
            }
        }
        let sample = ranges.map { cleaned[$0] }
        let (decoration, lines) = PasteDecoration.detect(sample)
        let evidence = FormatEvidence(lines, clock: decoration.clock)
        let format = forcedFormat ?? signature ?? signatureFormat(lines) ?? weighedFormat(lines, evidence)
        var profile = PasteProfile(format: format, decoration: decoration)
        // Jenkins' framer reads its own ISO timestamps (they order jobs); a decoration would hide them.
        if format == .jenkins, decoration.clock == .iso { profile.decoration.clock = nil }
        profile.githubWebCopy = format == .plain && evidence.githubWebCopy
        profile.buildKit = evidence.buildKit >= FormatEvidence.threshold
        profile.fragment = complete && sampledAll
        return profile
    }

    /// The formats one line proves.
    private static func signatureFormat(_ lines: [ArraySlice<UInt8>]) -> InputFormat? {
        for line in lines where !line.isEmpty {
            // By memchr: every sampled line is asked, and most have no tab.
            if line.withUnsafeBufferPointer({ Bytes.firstIndex(of: 0x09, in: $0, from: 0) != nil }), isGHRunViewLine(line) {
                return .ghRunView
            }
            if GitHubLogLine.startsWithTimestamp(line) { continue }
            if GitLabCILocalLine.starting(line) != nil || isGitLabCILocalSummary(line) { return .gitlabCILocal }
        }
        return nil
    }

    private static func weighedFormat(_ lines: [ArraySlice<UInt8>], _ evidence: FormatEvidence) -> InputFormat {
        var text = 0, timestamped = 0
        for line in lines where !line.isEmpty {
            text += 1
            if GitHubLogLine.startsWithTimestamp(line) { timestamped += 1 }
        }
        if text > 0 && timestamped * 2 > text { return .githubActions }
        return evidence.format ?? .plain
    }

    /// `job<TAB>step<TAB>timestamp …`.
    private static func isGHRunViewLine(_ line: ArraySlice<UInt8>) -> Bool {
        guard let first = line.firstIndex(of: 0x09), first > line.startIndex,
              let second = line[(first + 1)...].firstIndex(of: 0x09)
        else { return false }
        return GitHubLogLine.startsWithTimestamp(line[(second + 1)...])
    }

    /// ` PASS  name` (gitlab-ci-local's closing summary); only the bare line, as
    /// `GitLabCILocalLine.summary` also reads names the detector does not need.
    private static func isGitLabCILocalSummary(_ line: ArraySlice<UInt8>) -> Bool {
        GitLabCILocalLine.summary(line) != nil
    }
}
