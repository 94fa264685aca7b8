import Compiler
import DSL
import TestSupport
import Testing

/// Nodes as they are (one machine, one host name, one public IP) and GPU scheduling (a GPU
/// request needs NVIDIA's device plugin, which needs the `nvidia` runtime class): each check
/// trips at the declaration that is wrong, with a note at the other side, on a new cluster
/// as on the fleet's.
@Suite struct NodeCheckTests {
    func check(_ fleet: Fleet) -> [Diagnostic] { FleetCheck.run(fleet) }

    /// The only diagnostic of `code` (and no other), at `line`.
    func one(
        _ diagnostics: [Diagnostic], _ code: DiagnosticCode, line: Int,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) throws -> Diagnostic {
        #expect(
            diagnostics.map(\.code) == [code], "\(diagnostics.map { $0.formatted() })", sourceLocation: sourceLocation)
        let d = try #require(diagnostics.first { $0.code == code }, sourceLocation: sourceLocation)
        #expect(d.location.line == line, sourceLocation: sourceLocation)
        return d
    }

    func cluster(@ListBuilder<ClusterItem> _ items: () -> [ClusterItem]) -> Fleet {
        let body = items()
        return Fleet("t") { Cluster("lab") { body } }
    }

    /// A one-container workload with a GPU limit, pinned to `node`.
    static func trainer(node: String = "gpu-1", line: Int = #line) -> Job {
        Job("trainer") {
            Container("train", image: "x/train:1", line: line)
                .resources(requests: .init(cpu: "1", memory: "1Gi"), limits: .init(cpu: "1", memory: "1Gi", gpu: 1))
        }
        .runtimeClass("nvidia")
        .pinned(to: NodeRef(name: node))
        .recreatedOnChange()
    }

    static let pluginRepository = HelmRepository("nvdp", url: "https://nvidia.github.io/k8s-device-plugin")

    static func plugin(values: Tree = ["runtimeClassName": "nvidia"], line: Int = #line) -> HelmRelease {
        HelmRelease(
            "nvidia-device-plugin", chart: "nvidia-device-plugin", version: "0.20.0", from: pluginRepository,
            values: values, line: line)
    }

    // MARK: Nodes

    @Test func aNewClustersDistinctNodesPass() {
        let fleet = cluster {
            Node("cp-1", role: .server, publicIP: "203.0.113.10")
            Node("worker-1", role: .agent, publicIP: "203.0.113.11")
            Node("worker-2", role: .agent)
        }
        #expect(check(fleet) == [])
    }

    @Test func oneHostNameTwiceIsOneMachine() throws {
        let firstLine = #line + 2
        let fleet = cluster {
            Node("cp-1", role: .server)
            Node("cp-1", role: .agent)
        }
        let d = try one(check(fleet), .duplicateNode, line: firstLine + 1)
        #expect(
            d.message
                == "duplicate node 'cp-1': K3s names a node after its host name, so two declarations of 'cp-1' are "
                + "one machine; declare it once (with every role it has), or correct the host name")
        #expect(d.notes.map(\.location?.line) == [firstLine])
    }

    /// The seeds' case: "srv712429 public IP" and "the control plane's public address" are
    /// one address, so a control plane `tethys` beside an agent `srv712429` is one machine twice.
    @Test func onePublicIPTwiceIsOneMachine() throws {
        let firstLine = #line + 2
        let fleet = cluster {
            Node("srv712429", role: .agent, publicIP: "157.173.210.123")
            Node("tethys", role: .server, publicIP: "157.173.210.123")
        }
        let d = try one(check(fleet), .duplicateNodeAddress, line: firstLine + 1)
        #expect(d.message.hasPrefix("node 'tethys' has public IP 157.173.210.123, which node 'srv712429' already has"))
        #expect(d.message.contains("merge the two declarations into one under the host name K3s registers"))
        #expect(d.notes.map(\.message) == ["node 'srv712429' declares 157.173.210.123 here"])
        #expect(d.notes.map(\.location?.line) == [firstLine])
    }

    /// Two clusters are two sets of machines: one name in each is not a duplicate.
    @Test func oneHostNameInTwoClustersPasses() {
        let fleet = Fleet("t") {
            Cluster("a") { Node("n1", role: .server) }
            Cluster("b") { Node("n1", role: .server) }
        }
        #expect(check(fleet) == [])
    }

    /// Adding a cluster by copying the fleet's node list (`Nodes(s).all`) joins one machine to two
    /// clusters: reported at the new cluster, with a note at the node's declaration.
    @Test func oneNodeDeclarationInTwoClustersIsOneMachine() throws {
        let nodeLine = #line + 1
        let worker = Node("srv712695", role: .agent)
        let clusterLine = #line + 6
        let fleet = Fleet("t") {
            Cluster("tethys") {
                Node("cp-1", role: .server)
                worker
            }
            Cluster("staging") {
                Node("cp-2", role: .server)
                worker
            }
        }
        let d = try one(check(fleet), .nodeInTwoClusters, line: clusterLine)
        #expect(
            d.message
                == "node 'srv712695' of cluster 'staging' is a machine of cluster 'tethys' (the same declaration): a K3s "
                + "node joins one cluster, whose server its agent registers with; give 'staging' nodes of its own")
        #expect(d.notes.map(\.location?.line) == [nodeLine])
        #expect(d.notes.map(\.message) == ["'srv712695' is declared here, a node of cluster 'tethys'"])
    }

    /// Two declarations with one public IP in two clusters are one machine too, reported at the
    /// later one; a new cluster whose nodes are its own passes (`oneHostNameInTwoClustersPasses`).
    @Test func onePublicIPInTwoClustersIsOneMachine() throws {
        let firstLine = #line + 2
        let fleet = Fleet("t") {
            Cluster("tethys") { Node("srv712429", role: .server, publicIP: "203.0.113.7") }
            Cluster("staging") { Node("staging-1", role: .server, publicIP: "203.0.113.7") }
        }
        let d = try one(check(fleet), .nodeInTwoClusters, line: firstLine + 1)
        #expect(
            d.message
                == "node 'staging-1' of cluster 'staging' is a machine of cluster 'tethys' (public IP 203.0.113.7, "
                + "which its node 'srv712429' has): a K3s node joins one cluster, whose server its agent registers "
                + "with; give 'staging' nodes of its own")
        #expect(d.notes.map(\.location?.line) == [firstLine])
        let apart = Fleet("t") {
            Cluster("tethys") { Node("srv712429", role: .server, publicIP: "203.0.113.7") }
            Cluster("staging") { Node("staging-1", role: .server, publicIP: "203.0.113.8") }
        }
        #expect(check(apart) == [])
    }

    // MARK: GPUs

    @Test func aGPURequestWithoutADevicePluginIsAnError() throws {
        let line = #line + 3
        let fleet = cluster {
            Node("gpu-1", role: .agent, gpus: 1)
            Namespace("ml") { Self.trainer() }
        }
        let d = try one(check(fleet), .gpuWithoutDevicePlugin, line: line)
        #expect(
            d.message
                == "container 'train' of 'trainer' requests nvidia.com/gpu, but cluster 'lab' runs no NVIDIA device "
                + "plugin to advertise it, so the pod never schedules; declare one: "
                + "HelmRelease(chart: \"nvidia-device-plugin\") from https://nvidia.github.io/k8s-device-plugin "
                + "with values runtimeClassName: nvidia")
    }

    @Test func aGPURequestWithTheDevicePluginChartPasses() {
        let fleet = cluster {
            Node("gpu-1", role: .agent, gpus: 1)
            Namespace("nvidia") {
                Self.pluginRepository
                Self.plugin()
            }
            Namespace("ml") { Self.trainer() }
        }
        #expect(check(fleet) == [])
    }

    /// NVIDIA's static manifest as a DaemonSet counts as the plugin too.
    @Test func aGPURequestWithTheDevicePluginDaemonSetPasses() {
        let fleet = cluster {
            Node("gpu-1", role: .agent, gpus: 1)
            Namespace("nvidia") {
                DaemonSet("nvidia-device-plugin") {
                    Container("plugin", image: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0")
                        .resources(
                            requests: .init(cpu: "10m", memory: "32Mi"), limits: .init(cpu: "100m", memory: "128Mi"))
                }
                .runtimeClass("nvidia")
            }
            Namespace("ml") { Self.trainer() }
        }
        #expect(check(fleet) == [])
    }

    /// K3s keeps runc as the default runtime: the plugin without `runtimeClassName: nvidia`
    /// finds no GPU, and the error is at the plugin.
    @Test func aDevicePluginWithoutTheNvidiaRuntimeClassIsAnError() throws {
        let line = #line + 5
        let fleet = cluster {
            Node("gpu-1", role: .agent, gpus: 1)
            Namespace("nvidia") {
                Self.pluginRepository
                Self.plugin(values: [:])
            }
            Namespace("ml") { Self.trainer() }
        }
        let d = try one(check(fleet), .gpuWithoutDevicePlugin, line: line)
        #expect(d.message.hasPrefix("NVIDIA device plugin 'nvidia-device-plugin' does not run with runtimeClassName"))
        #expect(d.message.contains("set runtimeClassName: nvidia"))
    }

    /// A cluster without GPU requests needs no plugin.
    @Test func noGPURequestNoPlugin() {
        let fleet = cluster {
            Node("cpu-1", role: .server)
            Namespace("web") {
                Deployment("web") {
                    Container("web", image: "x/web:1")
                        .resources(
                            requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
                }
            }
        }
        #expect(check(fleet) == [])
    }
}
