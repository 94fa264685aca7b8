import Foundation
import OceanidGenKit
import TestSupport
import Testing
import Workspace

/// The live fleet library (scripts/build-tool, `LiveFleet`): the fast edit loop never runs a fleet
/// other than the working tree's, never one built for another executable, and every change that is
/// not in definitions/ takes the full `swift build`.
@Suite struct LiveFleetTests {
    /// The debug oceanid-gen built here (linked with `--export-dynamic`, which the library needs).
    static var binary: String? {
        let path = Paths.repository + "/.build/debug/oceanid-gen"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// The real build folder of the debug build (the DSL module and SwiftPM's module cache).
    static var buildFolder: String {
        URL(fileURLWithPath: Paths.repository + "/.build/debug").resolvingSymlinksInPath().path
    }

    static let fixtureFleet = """
        import DSL

        enum Oceanid {
            static let definition = FleetDefinition { _ in
                Fleet("live") { Cluster("lab") { Node("lab-1", role: .server) } }
            }
        }

        """

    /// Compiles `root`'s definitions into `<bin>/live/libFleetLive.so` for the executable `host`
    /// the way scripts/build-tool does (its entry points, oceanid-digest's digests, the identity).
    func buildLibrary(root: String, host: String, bin: String) throws {
        let live = bin + "/live"
        try FileManager.default.createDirectory(atPath: live, withIntermediateDirectories: true)
        let digest = try runProcess(
            Self.buildFolder + "/oceanid-digest-tool", ["definitions", root, live + "/Compiled-definitions.swift"])
        try #require(digest.status == 0, "\(digest.output)")
        let identity = try #require(LiveFleet.hostIdentity(of: host))
        try "enum LiveHost { static var identity: String { \"\(identity)\" } }\n"
            .write(toFile: live + "/LiveHost.swift", atomically: true, encoding: .utf8)
        let compile = try runProcess(
            "swiftc",
            [
                "-module-name", "FleetLive", "-emit-library", "-o", live + "/libFleetLive.so", "-parse-as-library",
                "-swift-version", "6", "-Onone", "-I", Self.buildFolder + "/Modules", "-module-cache-path",
                Self.buildFolder + "/ModuleCache", "-use-ld=lld", "-Xlinker", "-Bsymbolic",
                root + "/definitions/Fleet.swift", Paths.repository + "/Sources/FleetLive/FleetLiveEntry.swift",
                live + "/Compiled-definitions.swift", live + "/LiveHost.swift",
            ])
        try #require(compile.status == 0, "\(compile.output)")
    }

    /// A copy of the debug executable in `bin` (its own file, so its own identity).
    func copyExecutable(from binary: String, to bin: String) throws -> String {
        let copy = bin + "/oceanid-gen"
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: binary, toPath: copy)
        return copy
    }

    @Test func theLibraryRunsOnlyForItsExecutableAndTheDefinitionsItWasCompiledFrom() throws {
        let binary = try #require(Self.binary, "build oceanid-gen first (swift build --build-tests, make test)")
        let scratch = try TemporaryFolder("live-fleet")
        defer { scratch.remove() }
        let root = scratch.path + "/root"
        let bin = scratch.path + "/bin"
        let fleetFile = root + "/definitions/Fleet.swift"
        try FileManager.default.createDirectory(atPath: root + "/definitions", withIntermediateDirectories: true)
        try Self.fixtureFleet.write(toFile: fleetFile, atomically: true, encoding: .utf8)
        var executable = try copyExecutable(from: binary, to: bin)
        try buildLibrary(root: root, host: executable, bin: bin)

        // Built for this executable from these definitions: it runs the library's fleet.
        let used = try runProcess(executable, ["--root", root, "build"])
        #expect(used.status == 0, "\(used.output)")
        #expect(used.output.contains("oceanid-gen build: 7 created"), "\(used.output)")
        #expect(FileManager.default.fileExists(atPath: root + "/clusters/lab"), "the fixture's cluster was written")
        let version = try runProcess(executable, ["--version"])
        #expect(version.status == 0 && version.output.hasPrefix("oceanid-gen, compiled from sources "))

        // A stale library (the definitions changed after it was compiled) is never used.
        try (Self.fixtureFleet + "// edited after the library was built\n")
            .write(toFile: fleetFile, atomically: true, encoding: .utf8)
        let stale = try runProcess(executable, ["--root", root, "build"])
        #expect(stale.status == 4, "\(stale.output)")
        #expect(
            stale.output.contains("error: the definitions differ from the ones compiled into this oceanid-gen ("),
            "\(stale.output)")
        #expect(stale.output.contains("run `make build` first"), "\(stale.output)")

        // The same definitions again, but another executable file (a relink): not used either.
        try Self.fixtureFleet.write(toFile: fleetFile, atomically: true, encoding: .utf8)
        #expect(try runProcess(executable, ["--root", root, "build"]).status == 0)
        executable = try copyExecutable(from: binary, to: bin)
        let relinked = try runProcess(executable, ["--root", root, "build"])
        #expect(relinked.status == 4, "\(relinked.output)")
        #expect(relinked.output.contains("run `make build` first"), "\(relinked.output)")
    }

    @Test func aLibraryThatDoesNotLoadIsSetAsideForTheFullPath() throws {
        let binary = try #require(Self.binary, "build oceanid-gen first (swift build --build-tests, make test)")
        let scratch = try TemporaryFolder("live-fleet")
        defer { scratch.remove() }
        let root = scratch.path + "/root"
        try FileManager.default.createDirectory(atPath: root + "/definitions", withIntermediateDirectories: true)
        try Self.fixtureFleet.write(toFile: root + "/definitions/Fleet.swift", atomically: true, encoding: .utf8)
        let executable = try copyExecutable(from: binary, to: scratch.path + "/bin")
        let library = scratch.path + "/bin/live/libFleetLive.so"
        try FileManager.default.createDirectory(atPath: scratch.path + "/bin/live", withIntermediateDirectories: true)
        try "not a shared library".write(toFile: library, atomically: true, encoding: .utf8)

        let result = try runProcess(executable, ["--root", root, "build"])
        #expect(result.status == 4, "\(result.output)")
        #expect(result.output.contains("warning: the live fleet library did not load: "), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: library))
        #expect(FileManager.default.fileExists(atPath: library + ".refused"), "scripts/build-tool's cue")

        // The refusal itself: the loader's message, nothing loaded.
        switch LiveFleet.load(library: library + ".refused", host: nil, tree: [:]) {
        case .failure(.unloadable(let message)): #expect(!message.isEmpty)
        case let other: Issue.record("a file that is not a library gave \(other)")
        }
    }

    /// The real scripts/build-tool and swiftc on a scratch repository whose `.build/debug` holds a
    /// copy of the executable (`swift` is a stand-in: the full path only records the stamp). Edits
    /// made faster than one a second each reach the output: swiftc's driver alone, which compares
    /// file times at one-second resolution, compiled nothing for some of them.
    @Test func quickSuccessiveEditsEachReachTheOutput() throws {
        let binary = try #require(Self.binary, "build oceanid-gen first (swift build --build-tests, make test)")
        let tree = try BuildToolScratch()
        defer { tree.folder.remove() }
        let debug = tree.path + "/.build/debug"
        for file in [debug + "/oceanid-gen", debug + "/oceanid-digest-tool", debug + "/Modules"] {
            try FileManager.default.removeItem(atPath: file)
        }
        try FileManager.default.copyItem(atPath: binary, toPath: debug + "/oceanid-gen")
        try FileManager.default.createSymbolicLink(
            atPath: debug + "/oceanid-digest-tool", withDestinationPath: Self.buildFolder + "/oceanid-digest-tool")
        try FileManager.default.createSymbolicLink(
            atPath: debug + "/Modules", withDestinationPath: Self.buildFolder + "/Modules")
        try tree.folder.write(
            "Sources/FleetLive/FleetLiveEntry.swift",
            try String(contentsOfFile: Paths.repository + "/Sources/FleetLive/FleetLiveEntry.swift", encoding: .utf8))
        try tree.folder.write("toolchain/swiftc", "#!/bin/sh\nexec swiftc \"$@\"\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tree.path + "/toolchain/swiftc")
        try FileManager.default.removeItem(atPath: tree.path + "/definitions/Apps.swift")
        #expect(try tree.run().calls == ["swift build --product oceanid-gen"])
        for cluster in ["first", "second", "third", "fourth"] {
            try tree.folder.write(
                "definitions/Fleet.swift", Self.fixtureFleet.replacingOccurrences(of: "\"lab\"", with: "\"\(cluster)\"")
            )
            let built = try tree.run()
            #expect(built.status == 0 && built.calls.isEmpty, "\(cluster): \(built)")
            let run = try runProcess(debug + "/oceanid-gen", ["--root", tree.path, "build"])
            #expect(run.status == 0, "\(cluster): \(run.output)")
            #expect(
                FileManager.default.fileExists(atPath: tree.path + "/clusters/\(cluster)"),
                "the edit naming cluster '\(cluster)' was compiled: \(run.output)")
        }
    }

    /// shellcheck (Debian's, which scripts/deps.sh test installs) accepts the loop's scripts.
    @Test func theLoopsScriptsPassShellcheck() throws {
        let scripts = ["scripts/build-tool", "scripts/edit-loop-bench.sh", "scripts/pre-commit"]
        let result = try runProcess("shellcheck", scripts, cwd: Paths.repository)
        #expect(result.status == 0, "\(result.output)")
    }

    /// The program a live library runs is keyed on its definitions and the compiled-in compiler
    /// part, so the no-op shortcut never answers for the compiled-in fleet.
    @Test func theLiveProgramDigestKeepsTheCompilerPart() {
        let compiled = ProgramFingerprint(definitions: ["definitions/A.swift": "1"], program: "d0+c0")
        let live = compiled.live(definitions: ["definitions/A.swift": "2"])
        #expect(live.definitions == ["definitions/A.swift": "2"])
        let program = live.program ?? ""
        #expect(program.hasSuffix("+c0") && program.count == 64 + 3, "\(program)")
        #expect(compiled.live(definitions: ["definitions/A.swift": "3"]).program != live.program)
        #expect(ProgramFingerprint(definitions: [:], program: nil).live(definitions: [:]).program == nil)
    }

    /// A scratch copy of scripts/build-tool in a tree with the inputs it stamps and stand-ins for
    /// `swift` and `swiftc` that log their calls (`swiftc` fails when `swiftc-fails` exists).
    struct BuildToolScratch {
        let folder: TemporaryFolder
        var path: String { folder.path }
        var calls: String { path + "/calls" }

        init() throws {
            folder = try TemporaryFolder("build-tool")
            let script = try String(contentsOfFile: Paths.repository + "/scripts/build-tool", encoding: .utf8)
            try folder.write("scripts/build-tool", script)
            try folder.write("Sources/DSL/Fleet.swift", "public struct Fleet {}\n")
            try folder.write("Sources/FleetLive/FleetLiveEntry.swift", "// the entry points\n")
            try folder.write("Plugins/CompiledSources/CompiledSources.swift", "// plugin\n")
            try folder.write("Package.swift", "// swift-tools-version: 6.1\n")
            try folder.write("definitions/Apps.swift", "import DSL\n")
            // The executable's compiled-in definitions digest is the file `compiled-in` (none by default);
            // the tree's is always aaaa1111.
            try folder.write(
                ".build/debug/oceanid-gen",
                "#!/bin/sh\necho \"oceanid-gen, compiled from sources 0 (definitions $(cat \(path)/compiled-in))\"\n")
            try folder.write(
                ".build/debug/oceanid-digest-tool",
                "#!/bin/sh\n[ ! -e \(path)/digest-fails ] || exit 1\n"
                    + "echo 'public static var definitionsDigest: String { \"aaaa1111\" }' > \"$3\"\n")
            try folder.write(".build/debug/Modules/DSL.swiftmodule", "")
            try folder.write("toolchain/swift", "#!/bin/sh\necho \"swift $*\" >> \(path)/calls\n")
            try folder.write(
                "toolchain/swiftc",
                "#!/bin/sh\necho swiftc >> \(path)/calls\n[ ! -e \(path)/swiftc-fails ] || { cat \(path)/swiftc-fails >&2; exit 1; }\n"
            )
            for file in [
                "scripts/build-tool", ".build/debug/oceanid-gen", ".build/debug/oceanid-digest-tool",
                "toolchain/swift", "toolchain/swiftc",
            ] {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path + "/" + file)
            }
        }

        /// Runs the script with `arguments`; its output, and the stand-ins' calls (then cleared).
        func run(_ arguments: [String] = []) throws -> (status: Int32, output: String, calls: [String]) {
            let result = try runProcess(
                "env",
                ["SWIFT=\(path)/toolchain/swift", "SWIFTC=\(path)/toolchain/swiftc", path + "/scripts/build-tool"]
                    + arguments)
            let calls = (try? String(contentsOfFile: calls, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: self.calls)
            return (result.status, result.output, calls.split(separator: "\n").map(String.init))
        }

        func dryRun() throws -> String {
            try run(["--dry-run"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func aChangeOutsideDefinitionsTakesTheFullPath() throws {
        let tree = try BuildToolScratch()
        defer { tree.folder.remove() }
        #expect(try tree.dryRun() == "full: no full build recorded yet (.build/debug/live/stamp)")
        #expect(try tree.run().calls == ["swift build --product oceanid-gen"])
        #expect(try tree.dryRun() == "fast")
        let fast = try tree.run()
        #expect(fast.status == 0 && fast.calls == ["swiftc"], "\(fast)")

        // An edit of definitions/ stays on the fast path; anything else the program is built from
        // (a source, a plugin, the manifest, a new Package.resolved, this script) does not.
        try tree.folder.write("definitions/Apps.swift", "import DSL\n// edited\n")
        #expect(try tree.dryRun() == "fast")
        let changed =
            "full: Sources/, Plugins/, the package manifest, scripts/build-tool or the toolchain changed since "
            + "the last full build"
        for (file, text) in [
            ("Sources/DSL/Fleet.swift", "public struct Fleet { public var name = \"\" }\n"),
            ("Sources/DSL/Added.swift", "// a new file\n"),
            ("Plugins/CompiledSources/CompiledSources.swift", "// plugin, edited\n"),
            ("Package.swift", "// swift-tools-version: 6.1\n// edited\n"),
            ("Package.resolved", "{}\n"),
            (
                "scripts/build-tool",
                try String(contentsOfFile: tree.path + "/scripts/build-tool", encoding: .utf8) + "#\n"
            ),
        ] {
            try tree.folder.write(file, text)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tree.path + "/" + file)
            #expect(try tree.dryRun() == changed, "after changing \(file)")
            let full = try tree.run()
            #expect(full.calls == ["swift build --product oceanid-gen"], "after changing \(file): \(full)")
            #expect(try tree.dryRun() == "fast", "the full build recorded \(file)")
        }

        try tree.folder.write(".build/debug/live/libFleetLive.so.refused", "")
        #expect(try tree.dryRun().hasPrefix("full: oceanid-gen could not load the last live library"))
        _ = try tree.run()
        #expect(!FileManager.default.fileExists(atPath: tree.path + "/.build/debug/live/libFleetLive.so.refused"))
        #expect(try tree.dryRun() == "fast")
        #expect(try tree.run(["--full"]).calls == ["swift build --product oceanid-gen"])
        try FileManager.default.removeItem(atPath: tree.path + "/.build/debug/Modules/DSL.swiftmodule")
        #expect(try tree.dryRun().hasPrefix("full: the executable, the DSL module or oceanid-digest is missing"))
    }

    /// `make test` (or a `swift build` by hand) on another revision of Sources/ relinks the executable
    /// and rebuilds the DSL module without recording a stamp; back on the recorded Sources/, the
    /// stamp matches again, but the fast path must not link definitions against that build.
    @Test func anExecutableOrDSLModuleRebuiltSinceTheFullBuildTakesTheFullPath() throws {
        let tree = try BuildToolScratch()
        defer { tree.folder.remove() }
        _ = try tree.run()
        #expect(try tree.dryRun() == "fast")
        let rebuilt =
            "full: the executable or the DSL module was rebuilt since the last full build (swift build, make test)"
        for file in [".build/debug/oceanid-gen", ".build/debug/Modules/DSL.swiftmodule"] {
            let text = try String(contentsOfFile: tree.path + "/" + file, encoding: .utf8)
            try FileManager.default.removeItem(atPath: tree.path + "/" + file)  // a relink writes a new file
            try tree.folder.write(file, text + "\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tree.path + "/" + file)
            #expect(try tree.dryRun() == rebuilt, "after rebuilding \(file)")
            #expect(try tree.run().calls == ["swift build --product oceanid-gen"], "after rebuilding \(file)")
            #expect(try tree.dryRun() == "fast", "the full build recorded \(file)")
        }
    }

    @Test func aMistakeInDefinitionsIsReportedAndAnyOtherFailureTakesTheFullPath() throws {
        let tree = try BuildToolScratch()
        defer { tree.folder.remove() }
        _ = try tree.run()
        // Errors only in definitions/ files: swiftc's report (as `swift build` prints it), exit 1.
        let mistake = """
            \(tree.path)/definitions/Apps.swift:3:15: error: cannot convert value of type 'String' to expected \
            argument type 'Int'
              3 |     .replicas("x")
                |               `- error: cannot convert value of type 'String' to expected argument type 'Int'

            """
        try tree.folder.write("swiftc-fails", mistake)
        let reported = try tree.run()
        #expect(reported.status == 1 && reported.calls == ["swiftc"], "\(reported)")
        #expect(reported.output == mistake, "\(reported.output)")
        // A step before swiftc fails (here the digest): the full build, never the last report again.
        try tree.folder.write("digest-fails", "")
        let digestFailed = try tree.run()
        #expect(digestFailed.calls == ["swift build --product oceanid-gen"], "\(digestFailed)")
        #expect(!digestFailed.output.contains("error:"), "\(digestFailed.output)")
        try FileManager.default.removeItem(atPath: tree.path + "/digest-fails")
        // An error elsewhere (the entry point, a module, the link), or none printed: the full build.
        for failure in [
            "<unknown>:0: error: missing required module 'SwiftOverlayShims'\n",
            mistake + "\(tree.path)/Sources/FleetLive/FleetLiveEntry.swift:14:5: error: cannot find 'x' in scope\n",
            "ld.lld: error: undefined symbol: x\n", "",
            // An import that fails is reported at a definitions/ line, but the toolchain or the
            // build is at fault (a swiftly switch keeps the stamped driver file): the full build.
            "\(tree.path)/definitions/Apps.swift:1:8: error: module compiled with Swift 6.0.3 cannot be imported "
                + "by the Swift 6.1 compiler: \(tree.path)/.build/debug/Modules/DSL.swiftmodule\n",
            "\(tree.path)/definitions/Apps.swift:1:8: error: no such module 'DSL'\n",
        ] {
            try tree.folder.write("swiftc-fails", failure)
            let fallback = try tree.run()
            #expect(fallback.calls == ["swiftc", "swift build --product oceanid-gen"], "\(failure): \(fallback)")
            #expect(fallback.status == 0, "\(fallback)")
        }
        #expect(try tree.run(["--bogus"]).status == 64)
    }

    @Test func nothingIsCompiledWhenTheExecutableHasTheTreesDefinitionsCompiledIn() throws {
        let tree = try BuildToolScratch()
        defer { tree.folder.remove() }
        _ = try tree.run()
        try tree.folder.write("compiled-in", "aaaa")
        let same = try tree.run()
        #expect(same.status == 0 && same.calls.isEmpty, "\(same)")
        try tree.folder.write("compiled-in", "bbbb")
        #expect(try tree.run().calls == ["swiftc"])
    }
}
