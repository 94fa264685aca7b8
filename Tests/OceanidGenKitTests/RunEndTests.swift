import Compiler
import DSL
import Foundation
import TestSupport
import Testing
import Workspace

@testable import OceanidGenKit

/// What the executable does differently from in-process runs at the end of a command, and the helpers that
/// overlap a plan's reads with its compile.
@Suite struct RunEndTests {
    /// The executable leaves a command's large values to the process exit (`RunContext.keep`); in-process
    /// callers, such as these tests, free them.
    @Test func onlyARunThatExitsAfterLeavesItsMemoryToTheExit() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let demo = FleetDefinition(Fixtures.demo())
        let before = Unfreed.count
        let built = CapturedRun(demo, ["build"], root: dir.path)
        #expect(built.status == 0, "\(built.err)")
        #expect(Unfreed.count == before)
        let status = CLI.run(
            definition: demo, arguments: ["check", "--root", dir.path, "--color", "never"], freesMemory: false
        ) { _ in Console(out: { _ in }, err: { _ in }) }
        #expect(status == 0)
        #expect(Unfreed.count == before + 1)
    }

    /// `Background` runs its work beside the caller and hands back its result.
    @Test func backgroundWorkRunsBesideTheCaller() {
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let work = Background { () -> Int in
            started.signal()
            release.wait()
            return 42
        }
        // It started without the caller waiting for it, and waits for the caller.
        #expect(started.wait(timeout: .now() + 10) == .success)
        release.signal()
        #expect(work.value == 42)
        #expect(work.value == 42)
    }

    /// Reading many blobs on two repository handles gives what reading them one by one gives, in order, with
    /// nil for a path the snapshot lacks.
    @Test func blobsReadOnTwoHandlesAreTheSame() throws {
        let git = try GitFixture()
        defer { git.remove() }
        var files: [String: String] = [:]
        for index in 0..<150 { files["f/\(index).txt"] = "file \(index)\n" + String(repeating: "x", count: index) }
        try git.commit(files)
        let repository = try #require(try GitRepository.discover(from: git.path))
        let snapshot = GitSnapshotSource(
            name: "HEAD", repository: repository, entries: try repository.entries(at: "HEAD"), prefix: "")
        let paths = files.keys.sorted() + ["missing.txt"]
        let read = snapshot.readAll(paths)
        #expect(read == paths.map { files[$0] })
        #expect(read == paths.map(snapshot.read))
    }
}
