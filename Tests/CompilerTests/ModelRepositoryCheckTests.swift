import Compiler
import DSL
import TestSupport
import Testing

/// A workload that publishes models reaches the folder the server loads them from
/// (`ModelRepositoryChecks`): `vision-trainer`, a new Job (not one of the fleet's) that writes
/// into the repository `gpu-box` serves from `/srv/models`.
@Suite struct ModelRepositoryCheckTests {
    static let box = Node("gpu-box", role: .agent, gpus: 1)
    static let other = Node("cpu-box", role: .agent)
    static let repositoryLine = #line + 1
    static let repository = ModelRepository(
        url: "https://models.example.com", models: ["vision"], on: box, path: "/srv/models")

    /// The trainer with `volume` (a hostPath) mounted at /models, `readOnly` or not.
    static func trainer(
        _ volume: Volume?, readOnly: Bool = false, pinned: Node? = box,
        to repository: ModelRepository = repository, line: Int = #line
    ) -> Job {
        var job = Job("vision-trainer") {
            Container("train", image: "registry.example/vision-trainer:1.0.0") {
                if let volume { Mount(volume, at: "/models", readOnly: readOnly) }
            }
            .resources(requests: .init(cpu: "1", memory: "1Gi"), limits: .init(cpu: "2", memory: "2Gi"))
            if let volume { volume }
        }
        if let pinned { job = job.pinned(to: pinned) }
        return job.publishesModels(to: repository, line: line)
    }

    func check(_ job: Job) -> [Diagnostic] {
        let fleet = Fleet("t") {
            Cluster("c") {
                Node("n1", role: .server)
                Self.box
                Self.other
                Namespace("ml") { job }
            }
        }
        return FleetCheck.run(fleet).filter { $0.code == .unreachableModelRepository }
    }

    static let models = Volume.hostPath("models", path: "/srv/models", type: "Directory")

    @Test func pinnedWithTheFolderMountedIsClean() {
        #expect(check(Self.trainer(Self.models)) == [])
        // A folder above the repository holds it too.
        #expect(check(Self.trainer(Volume.hostPath("srv", path: "/srv", type: "Directory"))) == [])
    }

    @Test func notPinnedIsAnError() throws {
        let line = #line + 1
        let diagnostics = check(Self.trainer(Self.models, pinned: nil))
        #expect(diagnostics.count == 1, "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.severity == .error)
        #expect(d.location.line == line)
        #expect(
            d.message == "Job 'vision-trainer' publishes models to the repository of https://models.example.com, but "
                + "its pods may run on any node, and the folder is on 'gpu-box': the files it writes never reach the "
                + "folder the server loads from, so a reload serves the old model; add .pinned(to: gpu-box)")
        #expect(d.notes.first?.location?.line == Self.repositoryLine)
    }

    @Test func pinnedElsewhereIsAnError() {
        #expect(check(Self.trainer(Self.models, pinned: Self.other)).count == 1)
    }

    @Test func withoutTheFolderIsAnError() throws {
        let d = try #require(check(Self.trainer(Volume.emptyDir("scratch"))).first)
        #expect(d.message.contains("but no volume holds /srv/models of 'gpu-box'"))
        #expect(
            d.message.hasSuffix(
                "add Volume.hostPath(\"models\", path: \"/srv/models\", type: \"Directory\") and mount it writable"))
    }

    @Test func mountedReadOnlyIsAnError() throws {
        let d = try #require(check(Self.trainer(Self.models, readOnly: true)).first)
        #expect(d.message.contains("but no container mounts /srv/models writable"))
    }

    @Test func aRepositoryThatDoesNotSayWhereItsFilesAreIsAnError() throws {
        let bare = ModelRepository(url: "https://models.example.com", models: ["vision"])
        let d = try #require(check(Self.trainer(Self.models, to: bare)).first)
        #expect(d.message.contains("but the repository does not say where its files are"))
    }
}
