// swift-tools-version: 6.1
// oceanid-gen: a GitOps manifest compiler for the Oceanid fleet.
//
// Module direction is one-way: DSL <- Compiler <- Emitters <- OceanidGenKit <- oceanid-gen.
// Rendering (one text renderer per syntax) depends on DSL only, so the lowering can embed a
// rendered config file and the emitters render whole files with the same code. Workspace
// (writer + libgit2) sits beside the emitters and only knows the Compiler's GeneratedFile. The fleet itself (definitions/) is its own small target so that a
// one-line edit recompiles only it.
import PackageDescription

// The compile path is optimized even in debug builds: `make build` runs the debug oceanid-gen
// after every edit of definitions/, and the real fleet compiles in 0.17 s instead of 1.0-1.3 s
// at -Onone (scripts/edit-loop-bench.sh). definitions/ (Fleet) stays -Onone, so the edit itself recompiles as fast as before.
// (Root-package targets may carry unsafeFlags; the last -O on the command line wins over -Onone.)
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

// The edit loop relinks the debug oceanid-gen after every edit of definitions/: on Linux it links
// with the toolchain's lld (swift.org toolchains ship it since 6.0, swiftlang/swift#73970;
// README: Swift 6.1 from swift.org) and without DWARF (--strip-debug; symbols stay, so crash
// backtraces keep function names): 0.58 s -> 0.30 s of CPU per link, 42 -> 24 MB
// (docs/reference/development.md, Speed). Only this executable: tests and oceanid-apply keep gold and
// their debug info; debugging oceanid-gen itself in lldb needs these two flags removed.
//
// --export-dynamic: the debug oceanid-gen exports its symbols, so the live fleet library
// (scripts/build-tool, LiveFleet) that the edit loop links from definitions/ alone resolves the DSL
// against this executable's one copy instead of carrying its own (docs/reference/development.md).
let fastDebugLink: [LinkerSetting] = [
    .unsafeFlags(
        ["-use-ld=lld", "-Xlinker", "--strip-debug", "-Xlinker", "--export-dynamic"],
        .when(platforms: [.linux], configuration: .debug))
]

let package = Package(
    name: "oceanid-gen",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "oceanid-gen", targets: ["oceanid-gen"]),
        .executable(name: "oceanid-apply", targets: ["oceanid-apply"]),
    ],
    dependencies: [
        // Reading YAML (settings overrides; every generated file is parsed back in tests).
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The command line.
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // SHA-256 of migrations (the lock file's checksums and the one each migration records).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(name: "CGit2", path: "Sources/CGit2", pkgConfig: "libgit2",
                       providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        // libpq: `oceanid-apply db` talks to PostgreSQL through it (never the compile path).
        .systemLibrary(name: "CPQ", path: "Sources/CPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .target(name: "DSL", path: "Sources/DSL", exclude: ["README.md"], swiftSettings: optimizedInDebug),
        // One text renderer per output syntax (YAML, shell, JSON, ...) and the generated-file header.
        .target(name: "Rendering", dependencies: ["DSL"], path: "Sources/Rendering", exclude: ["README.md"],
                swiftSettings: optimizedInDebug),
        // The fleet, and the content digest of what the program is compiled from (the
        // CompiledSources plugin), which oceanid-gen compares with the definitions it runs on.
        .target(name: "Fleet", dependencies: ["DSL"], path: "definitions", plugins: ["CompiledSources"]),
        // One content digest for the build tool and the runtime, so the two cannot drift.
        // No dependencies: SwiftPM builds a plugin tool's dependencies again for the host.
        .target(name: "SourceDigest", path: "Sources/SourceDigest"),
        .executableTarget(name: "oceanid-digest", dependencies: ["SourceDigest"], path: "Sources/oceanid-digest"),
        .plugin(name: "CompiledSources", capability: .buildTool(), dependencies: ["oceanid-digest"],
                path: "Plugins/CompiledSources"),
        // The desired cloud state's wire types: a leaf, so the applier never links the compiler.
        .target(name: "CloudState", path: "Sources/CloudState", exclude: ["README.md"]),
        // A database schema as plain values (the lock's `schema`): a leaf, so the applier reads a live
        // catalog into the model the planner uses without linking the compiler.
        .target(name: "SchemaModel", path: "Sources/SchemaModel", swiftSettings: optimizedInDebug),
        .target(name: "Compiler", dependencies: ["DSL", "Rendering", "CloudState", "SchemaModel", .product(name: "Crypto", package: "swift-crypto")], path: "Sources/Compiler", exclude: ["README.md"],
                swiftSettings: optimizedInDebug),
        .target(name: "Emitters", dependencies: ["Compiler", "Rendering", "CloudState"], path: "Sources/Emitters", exclude: ["README.md"],
                swiftSettings: optimizedInDebug),
        .target(name: "Workspace", dependencies: ["Compiler", "Rendering", "CGit2", "SourceDigest", .product(name: "Crypto", package: "swift-crypto")],
                path: "Sources/Workspace", exclude: ["README.md"], swiftSettings: optimizedInDebug),
        .target(name: "OceanidGenKit",
                dependencies: ["DSL", "Compiler", "Emitters", "Workspace", "Yams",
                               .product(name: "ArgumentParser", package: "swift-argument-parser")],
                path: "Sources/OceanidGenKit", exclude: ["README.md"], swiftSettings: optimizedInDebug),
        .executableTarget(name: "oceanid-gen", dependencies: ["OceanidGenKit", "Fleet"],
                          path: "Sources/oceanid-gen", linkerSettings: fastDebugLink),
        // The applier: CloudState, libcurl, libpq, SHA-256 and the argument parser only, never the compile path.
        .target(name: "Applier", dependencies: ["CloudState", "SchemaModel", "CCurl", "CPQ", .product(name: "Crypto", package: "swift-crypto"), .product(name: "ArgumentParser", package: "swift-argument-parser")],
                path: "Sources/Applier", exclude: ["README.md"]),
        .executableTarget(name: "oceanid-apply", dependencies: ["Applier"], path: "Sources/oceanid-apply"),
        .executableTarget(name: "oceanid-bench",
                          dependencies: ["DSL", "Compiler", "Emitters", "Workspace", "OceanidGenKit", "Fleet"],
                          path: "Sources/oceanid-bench"),

        .target(name: "TestSupport", dependencies: ["DSL", "Compiler", "OceanidGenKit", "Yams"], path: "Tests/TestSupport"),
        .testTarget(name: "DSLTests", dependencies: ["DSL"]),
        .testTarget(name: "CompilerTests", dependencies: ["DSL", "Compiler", "Rendering", "TestSupport"]),
        .testTarget(name: "EmittersTests", dependencies: ["DSL", "Compiler", "Rendering", "CloudState", "Emitters", "TestSupport", "Yams"]),
        .testTarget(name: "WorkspaceTests", dependencies: ["Compiler", "Rendering", "Workspace", "SourceDigest", "TestSupport"]),
        .testTarget(name: "OceanidGenKitTests",
                    dependencies: ["OceanidGenKit", "Fleet", "DSL", "Compiler", "Emitters", "Workspace", "CloudState",
                                   "TestSupport", "Yams"]),
        .testTarget(name: "ApplierTests", dependencies: ["Applier", "CloudState", "SchemaModel", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "DatabaseTests",
                    dependencies: ["DSL", "Compiler", "Emitters", "OceanidGenKit", "TestSupport", "Fleet"]),
        .testTarget(name: "GoldenTests",
                    dependencies: ["DSL", "Compiler", "Rendering", "Emitters", "OceanidGenKit", "TestSupport", "Fleet", "Yams"]),
    ]
)
