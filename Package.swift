// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "logdx",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "logdx", targets: ["LogDxCLI"]),
        .library(name: "LogDx", targets: ["LogDx"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // libpcre2-8 from the system; only the PCRE2 module may import it.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .target(name: "PCRE2", dependencies: ["CPCRE2"]),
        // libhs (Vectorscan) from the system: many patterns in one pass, as the tokenizer's
        // prefilter; only the Vectorscan module may import it.
        .systemLibrary(
            name: "CVectorscan",
            pkgConfig: "libhs",
            providers: [.apt(["libvectorscan-dev"]), .brew(["vectorscan"])]
        ),
        .target(name: "Vectorscan", dependencies: ["CVectorscan"]),
        // zlib and libzstd from the system: `.gz` and `.zst` logs are read in process, streamed,
        // never through a child `gzip` or a temporary file; only the Decompression module may
        // import them.
        .systemLibrary(name: "CInflate", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .target(name: "Decompression", dependencies: ["CInflate", "CZstd"]),
        // The diagnosis engine, one target per stage. Arrows point down only: each target depends on
        // the ones listed before it, never after. SwiftPM refuses a cycle, the compiler a use of a
        // module not imported, and Tests/Tools/check_layering.py (make test) an undeclared import.
        //
        // Plain data every stage speaks (pipeline, jobs, events, diagnoses, excerpts, config edits):
        // at the bottom, so it depends on nothing.
        .target(name: "LogDxModel"),
        // Secret masking, which every stage that copies log or config text into output needs; it
        // knows nothing of pipelines, so it sits beside the model rather than inside a stage.
        .target(name: "LogDxRedaction", dependencies: ["LogDxModel", "PCRE2"]),
        // The built-in rules, compiled in: EmbedRulesPlugin runs the EmbedRules tool over Rules/ at
        // build time (every file of Rules/ is an input, so a rule edit embeds again), and the
        // module holds the files as text. This is what makes the binary self-contained: it needs
        // no Rules/ on disk. Both live under Sources/ because the top level of the repository is
        // fixed; neither ships, the tool runs only on the build machine.
        .executableTarget(name: "EmbedRules"),
        .plugin(name: "EmbedRulesPlugin", capability: .buildTool(), dependencies: ["EmbedRules"], path: "Sources/EmbedRulesPlugin"),
        .target(name: "LogDxBuiltInRules", plugins: [.plugin(name: "EmbedRulesPlugin")]),
        // Rule and event definitions loaded from YAML (the built-in set or rule folders) and
        // validated: data the stages consume, so below all of them (the literal extraction the
        // definitions carry lives here too).
        .target(
            name: "LogDxRules",
            dependencies: ["LogDxModel", "LogDxBuiltInRules", "PCRE2", .product(name: "Yams", package: "Yams")]
        ),
        // Ingest: bytes (files, standard input, memory; gzip and zstd decompressed) into jobs and
        // cleaned lines; it needs no rules, only the model.
        .target(name: "LogDxIngest", dependencies: ["LogDxModel", "PCRE2", "Decompression"]),
        // Tokenize: ingest's lines into typed events, with the rules' event definitions.
        .target(
            name: "LogDxTokenize",
            dependencies: ["LogDxModel", "LogDxRedaction", "LogDxRules", "LogDxIngest", "PCRE2", "Vectorscan"]
        ),
        // Excerpt: the lines that explain a failure without a rule, collected as ingest streams.
        .target(name: "LogDxExcerpt", dependencies: ["LogDxModel", "LogDxRedaction", "LogDxIngest", "LogDxTokenize", "Vectorscan"]),
        // The CI config beside the flow: read into per-job facts, patched as text. It reads no logs,
        // so it needs only the model (for the edits it applies) and redaction.
        .target(
            name: "LogDxConfig",
            dependencies: ["LogDxModel", "LogDxRedaction", "PCRE2", .product(name: "Yams", package: "Yams")]
        ),
        // Correlate: rules joined over the events (and the config's facts) into ranked diagnoses,
        // with fixes patched into the config.
        .target(
            name: "LogDxCorrelate",
            dependencies: [
                "LogDxModel", "LogDxRedaction", "LogDxRules", "LogDxIngest", "LogDxTokenize", "LogDxConfig", "PCRE2",
            ]
        ),
        // Explain: a finding written up (title, explanation, fixes, config patches) within the prose
        // budget, and the findings ranked root cause first; it reads what Correlate bound, never
        // events, and never matches.
        .target(
            name: "LogDxExplain",
            dependencies: ["LogDxModel", "LogDxRules", "LogDxIngest", "LogDxConfig", "LogDxCorrelate"]
        ),
        // Diagnose: runs the stages over one pipeline and holds their result (`Analysis`).
        .target(
            name: "LogDxDiagnose",
            dependencies: [
                "LogDxModel", "LogDxRedaction", "LogDxRules", "LogDxIngest", "LogDxTokenize", "LogDxExcerpt", "LogDxConfig",
                "LogDxCorrelate", "LogDxExplain",
            ]
        ),
        // Report: an analysis rendered in each output format; it only reads what diagnosis made.
        .target(
            name: "LogDxReport",
            dependencies: [
                "LogDxModel", "LogDxRules", "LogDxIngest", "LogDxExcerpt", "LogDxConfig", "LogDxCorrelate",
                "LogDxExplain", "LogDxDiagnose",
            ]
        ),
        // Check: `rules test` and `rules lint`, which run the whole engine on fixtures: at the top.
        .target(
            name: "LogDxCheck",
            dependencies: [
                "LogDxModel", "LogDxRedaction", "LogDxRules", "LogDxConfig", "LogDxCorrelate", "LogDxDiagnose",
                "LogDxReport", "PCRE2", .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The library clients import: it re-exports the stages, so `import LogDx` is all they need.
        // The JSON schema stays here because its path is the `$schema` id JSON output names.
        .target(
            name: "LogDx",
            dependencies: [
                "LogDxModel", "LogDxRedaction", "LogDxRules", "LogDxIngest", "LogDxTokenize", "LogDxExcerpt",
                "LogDxConfig", "LogDxCorrelate", "LogDxExplain", "LogDxDiagnose", "LogDxReport", "LogDxCheck",
            ],
            exclude: ["Report/diagnosis-v1.schema.json"]
        ),
        // Batch scans with history: folders of pipelines into SQLite, and reports over it.
        .target(name: "LogDxScan", dependencies: ["LogDx", "PCRE2", .product(name: "GRDB", package: "GRDB.swift")]),
        // libcurl, which Foundation's URLSession runs on, loaded with dlopen by the first request
        // rather than with every start of logdx (its 30 libraries cost 3.5 ms of a two-line
        // paste); only LibcurlLoader may import it.
        .target(name: "CLibcurl", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "LibcurlLoader", dependencies: ["CLibcurl"]),
        // The CI post-failure hook: the pipeline's jobs and logs through GitLab's and GitHub's APIs.
        .target(name: "LogDxCI", dependencies: [
            "LogDx", "LibcurlLoader", .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(
            name: "LogDxCLI",
            dependencies: ["LogDx", "LogDxScan", "LogDxCI", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(name: "VectorscanTests", dependencies: ["Vectorscan"]),
        .testTarget(name: "DecompressionTests", dependencies: ["Decompression"]),
        // What every test target shares: the checkout's paths, scratch folders, running a child
        // process with a deadline. One copy, not one per target.
        .target(name: "TestSupport", dependencies: ["LogDx"], path: "Tests/TestSupport"),
        // Golden files and snapshots are read from the source tree, not bundled. The targets that
        // run the binary depend on the executable, so `swift test` alone builds it first.
        .testTarget(name: "LogDxTests", dependencies: ["LogDx", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["LogDx", "LogDxCLI", "TestSupport"], exclude: ["Snapshots"]),
        // `logdx ci` against a loopback server that speaks the GitLab and GitHub APIs.
        .testTarget(name: "CITests", dependencies: ["LogDx", "LogDxCI", "LogDxCLI", "TestSupport"]),
        .testTarget(
            name: "ScanTests",
            dependencies: ["LogDx", "LogDxScan", "LogDxCLI", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Screenshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
