import Compiler
import DSL
import TestSupport
import Testing

/// A Triton server that a model repository routes to loads every declared model at start and
/// stays up when one of them fails to load.
@Suite struct TritonStartupTests {
    /// The edge fixture's GPU host running Triton with `arguments`, routed at
    /// model.example.com, and a model repository there keeping `models` loaded.
    static func check(
        _ arguments: [String], models: [String], serverLine: Int, repositoryLine: Int
    ) -> [Diagnostic] {
        let triton = HostService.docker(
            "triton-lab", description: "Triton", image: "nvcr.io/nvidia/tritonserver:24.08-py3",
            ports: [HostPort("http", 8000)], gpus: true, volumes: ["/opt/models": "/models"],
            command: ["tritonserver", "--model-repository=/models"] + arguments, line: serverLine)
        let rules = [
            TunnelIngressRule("model.example.com", to: .host(triton, port: "http")),
            TunnelIngressRule.catchAll(.httpStatus(404)),
        ]
        var fleet = EdgeFixtures.fleet(EdgeFixtures.cloudflare(nodeRules: rules), hosts: [Host("lab-gpu") { triton }])
        fleet.modelRepositories = [
            ModelRepository(url: "https://model.example.com", models: models, line: repositoryLine)
        ]
        return FleetCheck.run(fleet)
    }

    @Test func everyDeclaredModelIsLoadedAtStartAndOneFailureStopsNothing() {
        let clean = Self.check(
            [
                "--model-control-mode=explicit", "--load-model=ner", "--load-model", "pdf", "--exit-on-error=false",
                "--strict-readiness=false",
            ],
            models: ["ner", "pdf"], serverLine: 10, repositoryLine: 20)
        #expect(clean.isEmpty, "\(clean.map { $0.formatted() })")
        #expect(
            Self.check(
                [
                    "--model-control-mode=explicit", "--load-model=*", "--exit-on-error=false",
                    "--strict-readiness=false",
                ],
                models: ["ner", "pdf"], serverLine: 10, repositoryLine: 20
            ).isEmpty, "* loads every model")
        #expect(
            Self.check(
                ["--exit-on-error=false", "--strict-readiness=false"], models: ["ner", "pdf"], serverLine: 10,
                repositoryLine: 20
            )
            .isEmpty, "without explicit control Triton loads the whole repository")
    }

    @Test func aModelTheServerDoesNotLoadIsAnErrorAtTheRepository() throws {
        let found = Self.check(
            ["--model-control-mode=explicit", "--load-model=ner", "--exit-on-error=false", "--strict-readiness=false"],
            models: ["ner", "pdf"],
            serverLine: 10, repositoryLine: 20)
        let d = try #require(found.first, "\(found)")
        #expect(found.count == 1)
        #expect(d.code == .modelNotLoadedAtStart && d.location.line == 20)
        #expect(
            d.message == "model 'pdf' is not loaded when 'triton-lab' starts: in --model-control-mode=explicit Triton "
                + "loads only the --load-model names; add --load-model=pdf to its command")
        #expect(d.notes.first?.location?.line == 10)
    }

    @Test func aServerThatExitsOnALoadErrorIsAnErrorAtTheServer() throws {
        let found = Self.check(
            ["--model-control-mode=explicit", "--load-model=ner"], models: ["ner"], serverLine: 10, repositoryLine: 20)
        let d = try #require(found.first, "\(found)")
        #expect(found.count == 1)
        #expect(d.code == .modelServerExitsOnLoadError && d.location.line == 10)
        #expect(d.message.hasSuffix("add --exit-on-error=false"))
        #expect(
            Self.check(["--exit-on-error", "true"], models: ["ner"], serverLine: 10, repositoryLine: 20)
                .map(\.code) == [.modelServerExitsOnLoadError], "the spelled-out default")
    }

    @Test func aServerKeptUpButNeverReadyIsAnErrorAtTheServer() throws {
        let found = Self.check(
            ["--model-control-mode=explicit", "--load-model=ner", "--exit-on-error=false"], models: ["ner"],
            serverLine: 10, repositoryLine: 20)
        #expect(found.map(\.code) == [.modelServerNotReadyWhileOneFails], "\(found)")
        #expect(found.first?.location.line == 10)
        #expect(found.first?.message.hasSuffix("add --strict-readiness=false") == true)
    }
}
