import LogDxModel

/// Lines that only one CI prints, weighed: a paste is often a fragment without the header a
/// format starts with, so the format is whichever the lines point to most.
///
/// Strong lines (2 points) decide alone; ordinary ones (1 point) need a second.
struct FormatEvidence {
    private(set) var gitlab = 0
    private(set) var jenkins = 0
    /// Lines only a copy of GitHub's job page has (annotations rendered as `Error: `, `Run …` step
    /// headers with their indented inputs, `[12](https://github.com/…#step:4:12)` line links).
    private(set) var githubWebCopy = false
    /// BuildKit's `#12 …` step lines.
    private(set) var buildKit = 0

    static let threshold = 2

    // Phrases from gitlab-runner (common/build.go, executors, cache and artifacts helpers).
    private static let gitlabStrong: [StaticString] = [
        "Running with gitlab-runner ", "Job succeeded", "ERROR: Job failed",
        "Cleaning up project directory and file based variables", "Cleaning up file based variables",
        "Executing \"step_script\" stage of the job script",
    ]
    private static let gitlabLines: [StaticString] = [
        "Preparing the \"", "Preparing environment", "Getting source from Git repository",
        "Fetching changes with git depth set to ", "Skipping Git submodules setup",
        "Uploading artifacts for successful job", "Uploading artifacts for failed job",
        "Saving cache for successful job", "Saving cache for failed job", "Restoring cache",
        "Checking cache for ", "Creating cache ", "Created cache", "Downloading artifacts for ",
        "Downloading artifacts from coordinator", "Uploading artifacts as ", "Uploading cache.zip to ",
        "Downloading cache.zip from ", "Successfully extracted cache", "Using Docker executor with image ",
        "Using Kubernetes executor", "Using Shell executor", "Using docker image sha256:",
        "Pulling docker image ", "Resolving secrets", "Waiting for services to be up and running",
        "ERROR: Preparation failed: ", "Will be retried in ", "Runtime platform ",
    ]
    // Jenkins core, Pipeline, Timestamper, Copy Artifact and Workspace Cleanup plugin lines.
    private static let jenkinsStrong: [StaticString] = [
        "[Pipeline] ", "Finished: SUCCESS", "Finished: FAILURE", "Finished: UNSTABLE", "Finished: ABORTED",
        "Finished: NOT_BUILT", "Building in workspace ", "Obtained Jenkinsfile from ",
        "ERROR: script returned exit code ",
    ]
    private static let jenkinsLines: [StaticString] = [
        "Started by ", "Running on ", "Running in ", "[WS-CLEANUP]", "Build step '", "Triggering a new build of ",
        "Checking out Revision ", "Copied ",
    ]
    private static let jenkinsPhrases: [Bytes.Needle] = [
        Bytes.Needle(" is still in the queue: "), Bytes.Needle("Waiting for next available executor"), Bytes.Needle("hudson."),
    ]
    /// Looked for in every sampled line, so its anchor is chosen once.
    private static let githubLink = Bytes.Needle("](https://github.com/")
    private static let webCopyStrong: [StaticString] = [
        "##[error]", "##[warning]", "##[notice]", "##[group]", "##[endgroup]", "##[debug]",
        "Error: Process completed with exit code ", "Post job cleanup.", "Cleaning up orphan processes",
    ]

    /// The prefixes above by their first byte, each with its list: a line is compared only with
    /// the prefixes that start as it does (format detection was a tenth of scanning many small
    /// logs, most of it sixty prefix comparisons for each line).
    private static let prefixesByFirstByte: [[(prefix: StaticString, list: PrefixList)]] = {
        var table = [[(prefix: StaticString, list: PrefixList)]](repeating: [], count: 256)
        let lists: [([StaticString], PrefixList)] = [
            (gitlabStrong, .gitlabStrong), (gitlabLines, .gitlabLines), (jenkinsStrong, .jenkinsStrong),
            (jenkinsLines, .jenkinsLines), (webCopyStrong, .webCopyStrong),
        ]
        for (prefixes, list) in lists {
            for prefix in prefixes where prefix.utf8CodeUnitCount > 0 {
                prefix.withUTF8Buffer { table[Int($0[0])].append((prefix, list)) }
            }
        }
        return table
    }()

    /// Which of the prefix lists a line starts with an entry of.
    private struct PrefixList: OptionSet {
        let rawValue: UInt8
        static let gitlabStrong = PrefixList(rawValue: 1)
        static let gitlabLines = PrefixList(rawValue: 2)
        static let jenkinsStrong = PrefixList(rawValue: 4)
        static let jenkinsLines = PrefixList(rawValue: 8)
        static let webCopyStrong = PrefixList(rawValue: 16)
    }

    /// Weighs the decoration-free sample lines of one input.
    init(_ lines: [ArraySlice<UInt8>], clock: PasteDecoration.Clock?) {
        for (index, line) in lines.enumerated() {
            let text = Bytes.trimmed(line)
            guard let first = text.first else { continue }
            var starts: PrefixList = []
            for entry in Self.prefixesByFirstByte[Int(first)] where Bytes.hasPrefix(text, entry.prefix) {
                starts.insert(entry.list)
            }
            if starts.contains(.gitlabStrong) {
                gitlab += 2
            } else if starts.contains(.gitlabLines) {
                gitlab += 1
            }
            if starts.contains(.jenkinsStrong) {
                jenkins += 2
            } else if starts.contains(.jenkinsLines)
                        || Self.jenkinsPhrases.contains(where: { Bytes.firstIndex(of: $0, in: text) != nil }) {
                // `Copied 0 artifacts from …` is Copy Artifact's; `Copied` alone is anyone's.
                if !Bytes.hasPrefix(text, "Copied ") || Bytes.firstIndex(of: " artifact", in: text) != nil {
                    jenkins += 1
                }
            }
            if starts.contains(.webCopyStrong) || Self.isStepLink(text) || Self.isActionStep(line) {
                githubWebCopy = true
            }
            // `Run cmd` followed by its indented body is how the job page shows a step.
            if Self.isStepHeader(line), index + 1 < lines.count, Bytes.hasPrefix(lines[index + 1], "  ") {
                githubWebCopy = true
            }
            if Self.isBuildKitStep(line) { buildKit += 1 }
        }
        // The first line of a copy made from a step's header.
        if let first = lines.first(where: { !Bytes.trimmed($0).isEmpty }), Self.isStepHeader(first) {
            githubWebCopy = true
        }
        // A console view's clock column (no date, no fraction) is how Jenkins shows a console.
        if case .time? = clock, jenkins > 0 { jenkins += 1 }
    }

    /// The format the lines point to, if they point anywhere.
    var format: InputFormat? {
        if gitlab >= Self.threshold && gitlab >= jenkins { return .gitlabRunner }
        if jenkins >= Self.threshold { return .jenkins }
        return nil
    }

    /// `Run ` and a command at the start of the line: the header of a step on GitHub's job page.
    /// ``Run `npm audit` for details`` is npm's advice, not a step.
    static func isStepHeader(_ line: ArraySlice<UInt8>) -> Bool {
        guard Bytes.hasPrefix(line, "Run "), line.count > 4 else { return false }
        let next = line[line.startIndex + 4]
        return next != PasteDecoration.space && next != PasteDecoration.tab && next != PasteDecoration.backtick
            && next != UInt8(ascii: "'") && next != UInt8(ascii: "\"")
    }

    /// `Run owner/action@ref`: a `uses:` step's header.
    private static func isActionStep(_ line: ArraySlice<UInt8>) -> Bool {
        guard isStepHeader(line) else { return false }
        let word = line.dropFirst(4).prefix { $0 != PasteDecoration.space }
        return word.contains(UInt8(ascii: "/")) && word.contains(UInt8(ascii: "@"))
    }

    /// `[12](https://github.com/o/r/actions/runs/1/job/2#step:4:12)`: a line number the page linked.
    private static func isStepLink(_ text: ArraySlice<UInt8>) -> Bool {
        guard let link = Bytes.firstIndex(of: Self.githubLink, in: text) else { return false }
        return Bytes.firstIndex(of: "#step:", in: text, from: link) != nil
    }

    /// `#12 [builder 2/5] RUN …`, `#12 0.512 …`, `#12 DONE 0.3s`.
    static func isBuildKitStep(_ line: ArraySlice<UInt8>) -> Bool {
        guard line.first == UInt8(ascii: "#") else { return false }
        var i = line.startIndex + 1
        while i < line.endIndex && (0x30...0x39).contains(line[i]) { i += 1 }
        return i > line.startIndex + 1 && i < line.endIndex && line[i] == PasteDecoration.space
    }
}
