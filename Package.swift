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
        .target(
            name: "LogDx",
            dependencies: ["PCRE2", "Vectorscan", "Decompression", .product(name: "Yams", package: "Yams")],
            exclude: ["Report/diagnosis-v1.schema.json"]
        ),
        // Batch scans with history: folders of pipelines into SQLite, and reports over it.
        .target(name: "LogDxScan", dependencies: ["LogDx", "PCRE2", .product(name: "GRDB", package: "GRDB.swift")]),
        // The CI post-failure hook: the pipeline's jobs and logs through GitLab's and GitHub's APIs.
        .target(name: "LogDxCI", dependencies: [
            "LogDx", .product(name: "ZIPFoundation", package: "ZIPFoundation"), .product(name: "Yams", package: "Yams"),
        ]),
        .executableTarget(
            name: "LogDxCLI",
            dependencies: ["LogDx", "LogDxScan", "LogDxCI", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "PCRE2Tests", dependencies: ["PCRE2"]),
        .testTarget(name: "VectorscanTests", dependencies: ["Vectorscan"]),
        .testTarget(name: "DecompressionTests", dependencies: ["Decompression"]),
        // Golden files and snapshots are read from the source tree, not bundled.
        .testTarget(name: "LogDxTests", dependencies: ["LogDx"], exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["LogDx"], exclude: ["Snapshots"]),
        // `logdx ci` against a loopback server that speaks the GitLab and GitHub APIs.
        .testTarget(name: "CITests", dependencies: ["LogDx", "LogDxCI"]),
        .testTarget(
            name: "ScanTests",
            dependencies: ["LogDx", "LogDxScan", .product(name: "GRDB", package: "GRDB.swift")],
            exclude: ["Screenshots"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
