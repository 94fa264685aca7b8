import CloudState
import Compiler
import DSL
import Emitters
import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// The real fleet's hosts/ and cloud/ output: systemd accepts every unit, cloudflared's
/// config and the desired state read back as what the definitions say, the host connector
/// switch removes every trace of calypso's services, and bad edge input writes nothing.
@Suite struct HostsAndCloudTests {
    static func build(overrides settings: String? = nil, verbose: Bool = false) throws -> (TemporaryFolder, CapturedRun)
    {
        let dir = try TemporaryFolder("edge")
        if let settings { try dir.write("settings.yaml", settings) }
        return (dir, CapturedRun(Oceanid.definition, ["build"] + (verbose ? ["--verbose"] : []), root: dir.path))
    }

    @Test func systemdAcceptsEveryGeneratedUnit() throws {
        let (dir, run) = try Self.build()
        defer { dir.remove() }
        #expect(run.status == 0, "\(run.err)")
        let units = dir.snapshot().filter { $0.key.hasPrefix("hosts/") && $0.key.hasSuffix(".service") }
        #expect(
            units.keys.sorted() == [
                "hosts/calypso/etc/systemd/system/cloudflared-node.service",
                "hosts/calypso/etc/systemd/system/tritonserver.service",
            ])
        // Stand-ins for the host's own units: docker.service comes with Docker, not with us.
        let folder = try TemporaryFolder("units")
        defer { folder.remove() }
        try folder.write(
            "docker.service", "[Unit]\nDescription=stand-in for Docker's unit\n[Service]\nExecStart=/bin/true\n")
        for (path, text) in units {
            let name = String(path.split(separator: "/").last!)
            try folder.write(name, text)
            let result = try runProcess(
                "systemd-analyze", ["verify", "--man=no", folder.path + "/" + name], cwd: folder.path)
            // Tolerated, and only this: the docker and cloudflared binaries are not installed on
            // the CI machine ("Command ... is not executable: No such file or directory").
            let problems = result.output.split(separator: "\n").filter { line in
                !((line.contains("/usr/bin/docker") || line.contains("/usr/bin/cloudflared"))
                    && line.contains("is not executable"))
            }
            #expect(problems.isEmpty, "\(name):\n\(result.output)")
        }
    }

    @Test func cloudflaredConfigRoutesGPUToTriton() throws {
        let (dir, run) = try Self.build()
        defer { dir.remove() }
        #expect(run.status == 0, "\(run.err)")
        let text = try #require(dir.read("hosts/calypso/etc/cloudflared/config.yaml"))
        let config = try #require(try YAMLReader.documents(text).first)
        #expect(config["tunnel"] == "00000000-0000-0000-0000-000000000000")
        let credentials = try #require(config["credentials-file"]?.stringValue)
        #expect(credentials.hasPrefix("/etc/cloudflared/") && credentials.hasSuffix(".json"), "absolute, never in git")
        let ingress = try #require(config["ingress"]?.items)
        #expect(ingress.count == 2)
        #expect(ingress[0]["hostname"] == "gpu.boathou.se" && ingress[0]["service"] == "http://localhost:8000")
        #expect(ingress[1]["hostname"] == nil && ingress[1]["service"] == "http_status:404", "the catch-all is last")
        // Triton listens where the route points, on loopback only.
        let triton = try #require(dir.read("hosts/calypso/etc/systemd/system/tritonserver.service"))
        #expect(triton.contains("--publish 127.0.0.1:8000:8000"))
        #expect(triton.contains("--gpus all") && triton.contains("--volume /opt/triton/models:/models"))
        #expect(triton.contains("--model-control-mode=explicit") && triton.contains("Requires=docker.service"))
        #expect(triton.contains("ExecStartPre=-/usr/bin/docker rm --force tritonserver"))
        #expect(triton.contains("After=network-online.target docker.service"))
        #expect(triton.contains("nvcr.io/nvidia/tritonserver:24.08-py3"))
    }

    @Test func desiredStateReadsBackAsDeclared() throws {
        let (dir, run) = try Self.build()
        defer { dir.remove() }
        #expect(run.status == 0, "\(run.err)")
        let text = try #require(dir.read("cloud/desired-state.json"))
        let state = try JSONDecoder().decode(DesiredState.self, from: Data(text.utf8))
        let cloudflare = state.cloudflare
        #expect(
            cloudflare.zoneName == "boathou.se" && cloudflare.apiToken == SecretReference(escKey: "cloudflareApiToken"))
        #expect(cloudflare.dnsRecords.map(\.name) == ["gpu.boathou.se", "label.boathou.se", "tethys.boathou.se"])
        #expect(
            cloudflare.dnsRecords.allSatisfy {
                $0.type == "CNAME" && $0.proxied && $0.ttl == 1 && $0.content.hasSuffix(".cfargotunnel.com")
            })
        let tunnel = try #require(cloudflare.tunnels.first)
        #expect(
            cloudflare.tunnels.map(\.name) == ["cluster", "node-tunnels"],
            "only the remote tunnels are configured through the API")
        #expect(
            cloudflare.tunnels[1].ingress.map(\.service) == ["http_status:404"],
            "the node tunnels route no public hostname")
        #expect(tunnel.ingress.map(\.hostname) == ["tethys.boathou.se", "label.boathou.se", nil])
        #expect(
            tunnel.ingress.map(\.service) == [
                "https://157.173.210.123:6443", "http://label-studio-ls-app.apps.svc.cluster.local:80",
                "http_status:404",
            ], "the API route follows controlPlaneAddress")
        #expect(
            cloudflare.privateRoutes.map(\.network) == ["10.42.0.0/16", "10.43.0.0/16"]
                && cloudflare.privateRoutes.allSatisfy { $0.tunnelName == "node-tunnels" },
            "the pod and service ranges are tunnel routes to the node tunnels")
        #expect(tunnel.ingress[0].originRequest?.noTLSVerify == true)
        #expect(
            cloudflare.accessApplications.map(\.domain) == ["gpu.boathou.se", "tethys.boathou.se"],
            "Label Studio is public on purpose")
        #expect(
            cloudflare.accessApplications[0].serviceTokens == ["ls-triton-adapter", "operators", "training-pipeline"])
        #expect(cloudflare.accessApplications[1].serviceTokens == ["operators"])
        #expect(cloudflare.accessApplications.allSatisfy { $0.name == $0.domain + " (managed by oceanid-apply)" })
        // Label Studio's storages, as the old provisioner made them; credentials only as ESC keys.
        #expect(
            state.labelStudio.url == "https://label.boathou.se"
                && state.labelStudio.apiToken?.escKey == "labelStudioApiKey")
        let storages = state.labelStudio.storages
        #expect(
            storages.map(\.direction) == ["import", "export"]
                && storages.map(\.prefix) == ["raw-uploads", "annotations"])
        #expect(
            storages.allSatisfy {
                $0.bucket == "labelstudio-goldfish-uploads" && $0.accessKeyId.escKey == "aws.labelStudio.accessKeyId"
            })
        #expect(storages[0].presign && storages[0].syncOnCreate && !storages[1].presign && !storages[1].syncOnCreate)
        #expect(
            storages.map(\.title) == ["S3 import (managed by oceanid-apply)", "S3 export (managed by oceanid-apply)"])
        // Credentials are references and nothing else: each is exactly {"escKey": ...} in the file.
        let raw = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let rawStorages = try #require((raw["labelStudio"] as? [String: Any])?["storages"] as? [[String: Any]])
        for storage in rawStorages {
            for key in ["accessKeyId", "secretAccessKey"] {
                #expect(
                    (storage[key] as? [String: Any]).map { Array($0.keys) } == ["escKey"],
                    "\(key): \(storage[key] ?? "none")")
            }
        }
        // Triton's models behind the node tunnel and Access: the NER model and the seed's PDF model.
        #expect(
            state.modelServing.endpoints == [
                ModelEndpoint(
                    url: "https://gpu.boathou.se", models: ["ner-distilbert", "docling_granite_python"],
                    accessProtected: true)
            ])
    }

    /// Where the applier loads models and manages storages must be reachable: https, no
    /// path, routed when inside the zone; Access on the host makes the applier send its
    /// service token; one Label Studio, each model once.
    @Test func modelRepositoriesAndLabelStudioAreCheckedAgainstTheEdge() throws {
        let keyId = SecretSetting("s3Key", summary: "k")
        let secret = SecretSetting("s3Secret", summary: "s")
        func storages(_ url: String) -> LabelStudioStorages {
            LabelStudioStorages(url: url, apiToken: SecretSetting("lsToken", summary: "t")) {
                S3Storage.export(
                    title: "Exports", bucket: "lab-exports", region: "eu-west-1", prefix: "out/{project_id}",
                    accessKeyId: keyId, secretAccessKey: secret)
            }
        }
        var good = EdgeFixtures.fleet()
        good.modelRepositories = [ModelRepository(url: "https://model.example.com", models: ["ner"])]
        good.labelStudio = storages("https://web.example.com")
        let dir = try TemporaryFolder("models")
        defer { dir.remove() }
        let run = CapturedRun(FleetDefinition(good), ["build"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        let state = try JSONDecoder().decode(
            DesiredState.self, from: Data(try #require(dir.read("cloud/desired-state.json")).utf8))
        #expect(
            state.modelServing.endpoints == [
                ModelEndpoint(url: "https://model.example.com", models: ["ner"], accessProtected: true)
            ])
        #expect(
            state.labelStudio.storages.map(\.prefix) == ["out/{project_id}"]
                && state.labelStudio.storages[0].title == "Exports (managed by oceanid-apply)")

        var bad = EdgeFixtures.fleet()
        bad.modelRepositories = [
            ModelRepository(url: "https://models.example.com", models: ["ner", "ner"]),
            ModelRepository(url: "http://model.example.com/v2", models: []),
        ]
        bad.labelStudio = storages("https://web.example.com")
        bad.repeated = [.labelStudio(storages("https://label.example.com"))]
        let failed = CapturedRun(FleetDefinition(bad), ["build"], root: dir.path)
        #expect(failed.status == 2)
        for message in [
            "model repository URL 'https://models.example.com' names 'models.example.com', which no tunnel routes and no DNS record declares [unrouted-hostname]",
            "duplicate model 'ner'", "model repository URL 'http://model.example.com/v2' must use https",
            "model repository URL 'http://model.example.com/v2' has a path",
            "model repository http://model.example.com/v2 names no model",
            "a second Label Studio (https://label.example.com); the fleet reconciles one",
            "Label Studio URL 'https://label.example.com' names 'label.example.com', which no tunnel routes",
        ] {
            #expect(failed.err.contains(message), "\(message)\n\(failed.err)")
        }
        #expect(try #require(dir.read("cloud/desired-state.json")).contains("model.example.com"), "the good tree stays")
    }

    /// Storage settings that Label Studio or S3 would refuse only when the applier runs are
    /// errors at their settings.yaml line, and nothing is written.
    @Test(arguments: [
        (
            "aws.labelStudio.importPrefix", "\"raw/{projct}/\"",
            "placeholder '{projct}' is not {project} or {project_id}"
        ),
        ("aws.labelStudio.exportPrefix", "\"/annotations\"", "starts with '/'"),
        ("aws.labelStudio.importPrefix", "\"raw/{project\"", "unbalanced braces"),
        ("aws.labelStudio.bucketName", "Uploads_Bucket", "is not an S3 bucket name"),
        ("aws.labelStudio.bucketName", "192.168.1.10", "is not an S3 bucket name"),
        ("aws.labelStudio.importRegex", "\"([a-z\"", "is not a regular expression"),
        ("aws.labelStudio.endpoint", "minio.local:9000", "is not an http(s) URL"),
        ("aws.labelStudio.importTitle", "\"\"", "needs a one-line title"),
        ("tritonModelName", "\"ner distilbert\"", "is not a repository directory name"),
    ])
    func badStorageAndModelSettingsAreBlamedOnTheirLine(key: String, value: String, message: String) throws {
        let (dir, run) = try Self.build(overrides: "\(key): \(value)\n")
        defer { dir.remove() }
        #expect(run.status == 2, "\(key): \(run.err)")
        #expect(run.err.contains("settings.yaml:1: error: setting '\(key)'") && run.err.contains(message), "\(run.err)")
        #expect(dir.snapshot().keys.sorted() == ["settings.yaml"], "nothing written")
    }

    @Test func settingsOverrideTheEdge() throws {
        let tunnel = "6ff42ae2-765d-4adf-8112-31c55c1551ef"
        let (dir, run) = try Self.build(
            overrides: """
                enableCalypsoHostConnector: false
                cloudflareTunnelId: \(tunnel)
                accessOperatorEmails: "ops@boathou.se, oncall@boathou.se"
                """)
        defer { dir.remove() }
        #expect(run.status == 0, "\(run.err)")
        #expect(dir.snapshot().keys.filter { $0.hasPrefix("hosts/") }.isEmpty, "no host files without the connector")
        let state = try JSONDecoder().decode(
            DesiredState.self, from: Data(try #require(dir.read("cloud/desired-state.json")).utf8))
        #expect(state.cloudflare.dnsRecords.map(\.name) == ["label.boathou.se", "tethys.boathou.se"])
        #expect(state.cloudflare.dnsRecords.allSatisfy { $0.content == "\(tunnel).cfargotunnel.com" })
        #expect(state.cloudflare.accessApplications.map(\.domain) == ["tethys.boathou.se"])
        #expect(state.cloudflare.accessApplications[0].emails == ["oncall@boathou.se", "ops@boathou.se"])
        #expect(state.modelServing.endpoints.isEmpty, "no Triton to load models into")
    }

    /// Real IDs, and the defaults invented here set: the placeholders' and the invented defaults'
    /// warnings go, and the node tunnel's records point at it (the guardrails know local tunnels too).
    @Test func realIDsBuildClean() throws {
        let (dir, run) = try Self.build(
            overrides: """
                cloudflareAccountId: 0123456789abcdef0123456789abcdef
                cloudflareZoneId: fedcba9876543210fedcba9876543210
                cloudflareTunnelId: 6ff42ae2-765d-4adf-8112-31c55c1551ef
                cloudflareNodeTunnelId: 0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11
                cloudflareNodeTunnelsId: 7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d
                tunnelServiceUrl: https://10.0.0.11:6443
                hfDatasetRepo: goldfish-inc/annotations
                tritonModelName: ner-bert
                aws.labelStudio.region: eu-west-1
                """)
        defer { dir.remove() }
        #expect(run.status == 0 && !run.err.contains("warning"), "\(run.err)")
        let state = try JSONDecoder().decode(
            DesiredState.self, from: Data(try #require(dir.read("cloud/desired-state.json")).utf8))
        #expect(
            state.cloudflare.dnsRecords.first { $0.name == "gpu.boathou.se" }?.content
                == "0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11.cfargotunnel.com")
        #expect(
            state.cloudflare.dnsRecords.first { $0.name == "label.boathou.se" }?.content
                == "6ff42ae2-765d-4adf-8112-31c55c1551ef.cfargotunnel.com")
        #expect(
            try #require(dir.read("hosts/calypso/etc/cloudflared/config.yaml")).contains(
                "credentials-file: /etc/cloudflared/0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11.json"))
    }

    /// What the connector switch removes must not be used elsewhere: the adapter's and the
    /// training Job's TRITON_URL are reported (warnings at their declarations; --verbose lists
    /// both, by default the second folds into the first with a count).
    @Test func switchingTheConnectorOffReportsItsUsers() throws {
        let (dir, run) = try Self.build(overrides: "enableCalypsoHostConnector: false\n", verbose: true)
        defer { dir.remove() }
        #expect(run.status == 0)
        let warnings = run.err.split(separator: "\n").filter { $0.contains("[unrouted-hostname]") }
        #expect(warnings.count == 2, "\(run.err)")
        #expect(warnings.allSatisfy { $0.contains("definitions/Apps.swift:") && $0.contains("'gpu.boathou.se'") })
        let (folded, foldedRun) = try Self.build(overrides: "enableCalypsoHostConnector: false\n")
        defer { folded.remove() }
        let lines = foldedRun.err.split(separator: "\n")
        #expect(lines.filter { $0.contains(": warning: ") && $0.hasSuffix("[unrouted-hostname]") }.count == 1)
        #expect(
            lines.contains {
                $0.hasSuffix(": note: and 1 more [unrouted-hostname] warning like it (--verbose shows each)")
            })
    }

    @Test func hostImagesArePinnedLikeContainers() throws {
        for (value, code) in [
            ("nvcr.io/nvidia/tritonserver:latest", "[image-not-pinned]"),
            ("nvcr.io/nvidia/tritonserver", "[image-not-pinned]"),
            ("--privileged ubuntu:22.04", "[invalid-image]"),
        ] {
            let (dir, run) = try Self.build(overrides: "tritonImage: \"\(value)\"\n")
            defer { dir.remove() }
            #expect(run.status == 2, "\(value)")
            #expect(
                run.err.contains("settings.yaml:1: error: setting 'tritonImage': host service 'tritonserver'")
                    && run.err.contains(code),
                "\(run.err)")
        }
    }

    /// An ID that fails is blamed on its settings.yaml line, whatever its value (even empty).
    @Test func idsAreBlamedOnTheirSettingsLine() throws {
        let (dir, run) = try Self.build(overrides: "tritonModelName: ner-distilbert\ncloudflareZoneId: \"\"\n")
        defer { dir.remove() }
        #expect(run.status == 2)
        #expect(run.err.contains("settings.yaml:2: error: setting 'cloudflareZoneId' is empty"), "\(run.err)")
        let (dir2, upper) = try Self.build(
            overrides: "cloudflareNodeTunnelTarget: 00000000-0000-0000-0000-000000000000.CFARGOTUNNEL.com.\n")
        defer { dir2.remove() }
        #expect(upper.status == 0, "\(upper.err)")
        #expect(
            try #require(dir2.read("cloud/desired-state.json")).contains(
                "\"content\": \"00000000-0000-0000-0000-000000000000.cfargotunnel.com\""),
            "the target is written as Cloudflare stores it")
    }

    @Test func anEmptyTunnelIDIsBlamedOnItsSetting() throws {
        let (dir, run) = try Self.build(overrides: "cloudflareNodeTunnelId: \"\"\n")
        defer { dir.remove() }
        #expect(run.status == 2)
        #expect(
            run.err.contains(
                "settings.yaml:1: error: setting 'cloudflareNodeTunnelId' is empty, but the UUID of tunnel 'node' is needed here; set 'cloudflareNodeTunnelId: <uuid>' in settings.yaml"
            ), "\(run.err)")
        #expect(dir.snapshot().keys.sorted() == ["settings.yaml"], "nothing is written")
    }

    /// Bad edge input (each a kind the issue names) leaves an existing tree exactly as it was
    /// and names the declaration.
    @Test(arguments: ["missing port", "outside zone", "wrong tunnel", "host port"])
    func badEdgeInputWritesNothing(_ kind: String) throws {
        let dir = try TemporaryFolder("edge-bad")
        defer { dir.remove() }
        let good = CapturedRun(FleetDefinition(EdgeFixtures.fleet()), ["build"], root: dir.path)
        #expect(good.status == 0, "\(good.err)")
        #expect(
            dir.read("hosts/lab-gpu/etc/cloudflared/config.yaml") != nil && dir.read("cloud/desired-state.json") != nil)
        let before = dir.snapshot()
        let fleet: Fleet
        let expected: String
        switch kind {
        case "missing port":
            fleet = EdgeFixtures.fleet(
                EdgeFixtures.cloudflare(nodeRules: [
                    TunnelIngressRule("model.example.com", to: .host(EdgeFixtures.model, port: "grpc")),
                    .catchAll(.httpStatus(404)),
                ]))
            expected = "[unknown-route-target]"
        case "outside zone":
            fleet = EdgeFixtures.fleet(
                EdgeFixtures.cloudflare(clusterRules: [
                    TunnelIngressRule("web.example.net", to: .service("web", namespace: "web", port: 80))
                        .publicOnPurpose("t"),
                    .catchAll(.httpStatus(404)),
                ]))
            expected = "[hostname-outside-zone]"
        case "wrong tunnel":
            fleet = EdgeFixtures.fleet(
                EdgeFixtures.cloudflare(nodeDNSTarget: "\(EdgeFixtures.clusterTunnelID).cfargotunnel.com"))
            expected = "[wrong-tunnel-target]"
        default:
            let clash = HostService(
                "agent", description: "agent", exec: ["/usr/bin/agent"], ports: [HostPort("http", 8000)])
            fleet = EdgeFixtures.fleet(hosts: [
                Host("lab-gpu") {
                    EdgeFixtures.model
                    clash
                }
            ])
            expected = "[host-port-conflict]"
        }
        let run = CapturedRun(FleetDefinition(fleet), ["build"], root: dir.path)
        #expect(run.status == 2, "\(run.err)")
        #expect(dir.snapshot() == before)
        let errors = run.err.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(!errors.isEmpty && errors.allSatisfy { $0.contains(".swift:") }, "\(run.err)")
        #expect(run.err.contains(expected), "\(run.err)")
    }
}

/// `oceanid-gen graph`: the topology as Mermaid and as JSON, from the same graph.
@Suite struct GraphCommandTests {
    @Test func mermaidShowsHostnamesTunnelsTargetsAndLayers() throws {
        let dir = try TemporaryFolder("graph")
        defer { dir.remove() }
        try dir.write("definitions/.keep", "")
        let run = CapturedRun(FleetDefinition(EdgeFixtures.fleet()), ["graph"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        let text = run.out
        #expect(text.hasPrefix("flowchart LR\n"))
        #expect(text.contains(#"(["model.example.com<br/>Access: pipeline"])"#), "\(text)")
        #expect(text.contains(#"(["web.example.com<br/>public: the demo site"])"#))
        #expect(text.contains(#"{{"tunnel node (local)"}}"#) && text.contains(#"{{"tunnel edge (remote)"}}"#))
        #expect(text.contains(#"["Service web/web :80"]"#) && text.contains(#"["model.service :8000 :8002"]"#))
        #expect(dir.snapshot().keys.sorted() == ["definitions/.keep"], "graph never writes")

        let json = CapturedRun(FleetDefinition(EdgeFixtures.fleet()), ["graph", "--json"], root: dir.path)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let graph = try #require(report["graph"] as? [String: Any])
        let edges = try #require(graph["edges"] as? [[String: Any]]).map { "\($0["from"]!) -> \($0["to"]!)" }
        #expect(edges.contains("hostname:model.example.com -> tunnel:node"))
        #expect(edges.contains("tunnel:node -> host-service:lab-gpu/model"))
        #expect(edges.contains("tunnel:edge -> service:lab/web/web"))
        #expect(edges.contains("internet -> hostname:web.example.com"))
    }

    @Test func aFleetWithErrorsDrawsNothing() throws {
        let dir = try TemporaryFolder("graph")
        defer { dir.remove() }
        try dir.write("definitions/.keep", "")
        let run = CapturedRun(
            FleetDefinition(EdgeFixtures.fleet(EdgeFixtures.cloudflare(policies: []))), ["graph"], root: dir.path)
        #expect(run.status == 2)
        #expect(run.out.isEmpty && run.err.contains("[unprotected-hostname]"))
    }

    @Test func labelsAreQuotedForMermaid() {
        var t = Topology()
        t.vertices = [.init(kind: "address", id: "a", label: "say \"hi\" <b>\nnext", group: nil)]
        #expect(t.mermaid == "flowchart LR\n  v0[\"say #quot;hi#quot; #lt;b#gt;<br/>next\"]\n")
    }
}
