import Compiler
import DSL
import TestSupport
import Testing

/// Assertions on the IR, not on text.
@Suite struct LoweringTests {
    let ir = lowered(Fixtures.demo())

    func object(_ kind: String, _ name: String) throws -> ObjectIR {
        try #require(
            ir.clusters.flatMap(\.components).flatMap(\.objects).first { $0.id.kind == kind && $0.id.name == name })
    }

    @Test func componentsAreSortedFolders() {
        #expect(ir.clusters.map(\.name) == ["lab"])
        #expect(
            ir.clusters[0].components.map(\.name) == ["batch", "frontend", "gpu", "namespaces", "secret-store", "web"])
    }

    @Test func deploymentCarriesStandardLabelsAndSelector() throws {
        let web = try object("Deployment", "web")
        #expect(web.tree["apiVersion"] == "apps/v1")
        #expect(web.tree.entries?.map(\.key) == ["apiVersion", "kind", "metadata", "spec"])
        let labels = web.tree["metadata"]?["labels"]
        #expect(labels?["app.kubernetes.io/managed-by"] == "oceanid-gen")
        #expect(labels?["app.kubernetes.io/part-of"] == "demo")
        #expect(web.tree["spec"]?["selector"]?["matchLabels"] == ["app.kubernetes.io/name": "web"])
        #expect(web.tree["spec"]?["template"]?["spec"]?["nodeSelector"] == ["kubernetes.io/hostname": "lab-1"])
        #expect(web.origin.file.hasSuffix("TestSupport/Fixtures.swift"))
    }

    @Test func secretsLowerToExternalSecretsWithoutValues() throws {
        let secret = try object("ExternalSecret", "web-db")
        #expect(
            secret.tree["spec"]?["data"] == [
                ["secretKey": "url", "remoteRef": ["key": "pulumiConfig[\"lab:webDbUrl\"]"]]
            ])
        #expect(secret.tree["spec"]?["secretStoreRef"]?["kind"] == "ClusterSecretStore")
    }

    @Test func rawObjectKeepsBodyOrderAfterMetadata() throws {
        let raw = try object("PriorityClass", "tunnels")
        #expect(raw.id.namespace == nil)
        #expect(
            raw.tree.entries?.map(\.key) == ["apiVersion", "kind", "metadata", "value", "globalDefault", "description"])
    }

    @Test func declarationOrderDoesNotChangeTheIR() {
        #expect(lowered(Fixtures.demo(order: .reversed)) == ir)
    }
}
