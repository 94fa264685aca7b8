import Compiler
import DSL
import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// The real fleet's nodes and GPUs: one control plane (srv712429, reached as `tethys`) that
/// carries the egress IP, node host names as settings every pin follows, and NVIDIA's device
/// plugin for the training Job's GPU.
@Suite struct FleetNodesTests {
    static func build(settings: String? = nil) throws -> (TemporaryFolder, CapturedRun) {
        let dir = try TemporaryFolder("nodes")
        if let settings { try dir.write("settings.yaml", settings) }
        return (dir, CapturedRun(Oceanid.definition, ["build"], root: dir.path))
    }

    @Test func theFleetsNodesAreItsMachines() throws {
        let fleet = Oceanid.definition.build(SettingValues())
        let nodes = try #require(fleet.clusters.first { $0.name == "tethys" }).nodes
        #expect(nodes.map(\.name) == ["srv712429", "calypso", "srv712695"])
        #expect(nodes.filter { $0.role == .server }.map(\.name) == ["srv712429"])
        #expect(nodes.compactMap(\.publicIP) == ["157.173.210.123"])
    }

    /// Every pin of the committed tree names a declared node: the control plane's workloads
    /// on srv712429, the GPU's on calypso.
    @Test func pinsUseTheHostNames() throws {
        let (dir, run) = try Self.build()
        defer { dir.remove() }
        #expect(run.status == 0, "\(run.err)")
        let files = dir.snapshot()
        for path in [
            "clusters/tethys/networking/tailscale/deployment-tailscale-router.yaml",
            "clusters/tethys/networking/egress-system/deployment-egress-gateway.yaml",
            "clusters/tethys/networking/egress-db-proxy/deployment-egress-db-proxy.yaml",
        ] {
            let text = try #require(files[path], "\(path) among \(files.keys.sorted())")
            #expect(text.contains("kubernetes.io/hostname: srv712429"), "\(path)")
            #expect(!text.contains("kubernetes.io/hostname: tethys"), "\(path)")
        }
    }

    /// A host name override moves every pin with it and the build stays clean.
    @Test func aHostNameOverrideMovesThePins() throws {
        let (dir, run) = try Self.build(settings: "controlPlaneNodeName: cp-main\n")
        defer { dir.remove() }
        #expect(run.status == 0, "\(run.err)")
        let files = dir.snapshot()
        let router = try #require(files["clusters/tethys/networking/tailscale/deployment-tailscale-router.yaml"])
        #expect(router.contains("kubernetes.io/hostname: cp-main"))
        #expect(!files.values.contains { $0.contains("kubernetes.io/hostname: srv712429") })
    }

    /// Naming the worker like the control plane is one machine twice: an error at the
    /// settings.yaml line that did it.
    @Test func twoNodesOfOneHostNameAreAnError() throws {
        let (dir, run) = try Self.build(settings: "workerNodeName: srv712429\n")
        defer { dir.remove() }
        #expect(run.status == 2, "\(run.err)")
        #expect(
            run.err.contains("settings.yaml:1: error: setting 'workerNodeName': duplicate node 'srv712429'"),
            "\(run.err)")
        #expect(run.err.contains("[duplicate-node]"), "\(run.err)")
    }

    /// The training Job's GPU limit is met: tethys declares NVIDIA's device plugin chart with
    /// the `nvidia` runtime class, pinned to calypso.
    @Test func theTrainingJobHasADevicePlugin() throws {
        let (dir, run) = try Self.build()
        defer { dir.remove() }
        #expect(run.status == 0, "\(run.err)")
        let files = dir.snapshot()
        let release = try #require(
            files["clusters/tethys/infrastructure/nvidia-device-plugin/helmrelease-nvidia-device-plugin.yaml"],
            "\(files.keys.filter { $0.contains("nvidia") }.sorted())")
        #expect(release.contains("chart: nvidia-device-plugin"))
        #expect(release.contains("runtimeClassName: nvidia"))
        #expect(release.contains("- calypso"))
        let job = try #require(files["clusters/tethys/apps/ls-triton-adapter/cronjob-training-template.yaml"])
        #expect(job.contains("runtimeClassName: nvidia") && job.contains("nvidia.com/gpu: \"1\""))
    }
}
