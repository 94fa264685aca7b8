import DSL
import Testing

@Suite struct DSLTests {
    @Test func dictionaryLiteralsKeepSourceOrder() {
        let tree: Tree = ["zeta": 1, "alpha": 2, "mid": 3]
        #expect(tree.entries?.map(\.key) == ["zeta", "alpha", "mid"])
    }

    @Test func partialOverridesMergeOverMappings() {
        let base: Tree = ["requests": ["cpu": "200m", "memory": "256Mi"], "limits": ["cpu": "500m"]]
        let merged = base.merging(["requests": ["memory": "384Mi"], "extra": true])
        #expect(merged == ["requests": ["cpu": "200m", "memory": "384Mi"], "limits": ["cpu": "500m"], "extra": true])
    }

    @Test func declarationsRecordWhereTheyWereWritten() {
        let line = #line + 1
        let deployment = Deployment("api") { Container("api", image: "x/api:1") }
        #expect(deployment.location.line == line)
        #expect(deployment.location.file == #filePath)
        #expect(deployment.pod.containers.first?.location.line == line)
    }

    @Test func builderControlFlowAndComponents() {
        let extra = true
        let ns = Namespace("apps") {
            ConfigMap("a", data: [:])
            if extra { ConfigMap("b", data: [:]) }
            for i in 0..<2 { ConfigMap("loop-\(i)", data: [:]) }
            Component("web") { ServiceAccount("web") }
        }
        #expect(ns.components.map(\.name) == ["apps", "web"])
        #expect(ns.components[0].items.count == 4)
        #expect(ns.components.flatMap(\.items).count == 5)
    }

    @Test func serviceSelectingAWorkloadUsesItsSelectorLabels() {
        let app = Deployment("api") { Container("api", image: "x/api:1") }.podLabels(["tier": "backend"])
        let service = Service(selecting: app) { ServicePort("http", 80) }
        #expect(service.name == "api")
        #expect(service.selector == ["app.kubernetes.io/name": "api"])
        #expect(app.podLabels == ["app.kubernetes.io/name": "api", "app": "api", "tier": "backend"])
        #expect(service.ports.first?.target == .name("http"))
        #expect(service.host(in: "apps") == "api.apps.svc.cluster.local")
    }

    @Test func settingValuesFallBackToDefaults() {
        let port = Setting("metricsPort", default: 2200, summary: "")
        #expect(SettingValues()[port] == 2200)
        #expect(SettingValues(overrides: ["metricsPort": 2300])[port] == 2300)
    }

    struct Registry: SettingsRegistry {
        let port = Setting("port", default: 2200, summary: "A port.")
        let name = "not a setting"
        let token = SecretSetting("token", summary: "A token.")
    }

    /// The settings list is derived from the registry's stored properties, in order.
    @Test func settingsRegistryIsDerived() {
        #expect(Registry().all.map(\.key) == ["port", "token"])
        #expect(Registry().all.map(\.isSecret) == [false, true])
    }
}
