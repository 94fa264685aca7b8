import Compiler
import DSL

/// Small fleets for tests and goldens. Each declares every kind the DSL models, cleanly.
public enum Fixtures {
    public enum Order: Sendable { case declared, reversed }

    /// The "demo" golden fixture: one cluster, two namespaces, every object kind.
    public static func demo(order: Order = .declared) -> Fleet {
        var fleet = Fleet("demo") {
            Cluster("lab") {
                Node("lab-1", role: .server)
                Node("lab-gpu", role: .agent, gpus: 1)
                web()
                batch()
                Namespace("monitoring", labels: ["team": "ops"])
                gpu()
                PulumiESCStore(
                    organization: "demo-org", project: "default", environment: "lab", configNamespace: "lab",
                    token: .init(namespace: "monitoring", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN"))
                RawObject(
                    apiVersion: "scheduling.k8s.io/v1", kind: "PriorityClass", name: "tunnels",
                    body: ["value": 1_000_000, "globalDefault": false, "description": "Keeps tunnels scheduled."])
            }
        }
        if order == .reversed {
            for c in fleet.clusters.indices {
                fleet.clusters[c].items.reverse()
                for i in fleet.clusters[c].items.indices {
                    if case .namespace(var ns) = fleet.clusters[c].items[i] {
                        ns.items.reverse()
                        for j in ns.items.indices {
                            if case .component(var component) = ns.items[j] {
                                component.items.reverse()
                                ns.items[j] = .component(component)
                            }
                        }
                        fleet.clusters[c].items[i] = .namespace(ns)
                    }
                }
            }
        }
        return fleet
    }

    static func web() -> Namespace {
        Namespace("web") {
            let config = ConfigMap("web-config", data: ["GREETING": "hello", "MODE": "yes", "PORT": "8080"])
            let dbSecret = SecretDeclaration("web-db", keys: ["url": "webDbUrl"])
            let account = ServiceAccount("web")
            config
            dbSecret
            account
            Component("frontend") {
                let web = Deployment("web") {
                    Container("web", image: "nginxinc/nginx-unprivileged:1.27.2") {
                        Port("http", 8080)
                        Port("metrics", 9113)
                        Env("GREETING", configMap: config, key: "GREETING")
                        Env("DATABASE_URL", secret: dbSecret, key: "url")
                        Env("POD_IP", field: "status.podIP")
                        Env("NOTE", "multi\nline: value # not a comment\n")
                        Mount("cache", at: "/var/cache/nginx")
                    }
                    .resources(requests: .init(cpu: "100m", memory: "64Mi"), limits: .init(cpu: "1", memory: "128Mi"))
                    .readiness(.http("/", port: "http", period: 5))
                    .liveness(.tcp(port: "http", initialDelay: 5))
                    .securityContext(.restricted)
                    Volume.emptyDir("cache")
                }
                .replicas(2)
                .serviceAccount(account)
                .podAnnotations(["oceanid.dev/rollout-token": "1"])
                .pinned(to: "lab-1")
                web
                Service(selecting: web) {
                    ServicePort("http", 80, target: "http")
                }
                NetworkPolicy("web-egress", pods: .workload(web), types: [.egress]) {
                    EgressRule(
                        to: [.namespace("kube-system", pods: .labels(["k8s-app": "kube-dns"]))],
                        ports: [.udp(53), .tcp(53)])
                    EgressRule(to: [.ipBlock(cidr: "10.43.0.0/16")])
                }
            }
            Role("reader") {
                PolicyRule(apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"])
            }
            RoleBinding(role: Role("reader") {}, to: [account])
        }
    }

    static func batch() -> Namespace {
        Namespace("batch") {
            DaemonSet("node-agent") {
                Container("agent", image: "busybox:1.36.1") {
                    Port("metrics", 2200, hostPort: 2200)
                }
                .args(["sh", "-c", "sleep infinity"])
                .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "50m", memory: "32Mi"))
            }
            .hostNetwork()
            .dnsPolicy("ClusterFirstWithHostNet")
            Job("train-once") {
                Container(
                    "train",
                    image:
                        "ghcr.io/example/train@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                )
                .resources(requests: .init(cpu: "1", memory: "2Gi"), limits: .init(cpu: "4", memory: "8Gi", gpu: 1))
            }
            .backoffLimit(1).recreatedOnChange()
            .pinned(to: "lab-gpu")
            CronJob("nightly", schedule: "0 3 * * *") {
                Container("report", image: "busybox:1.36.1")
                    .command(["sh", "-c", "echo on"])
                    .resources(requests: .init(cpu: "10m", memory: "16Mi"), limits: .init(cpu: "10m", memory: "16Mi"))
            }
            .concurrencyPolicy(.forbid)
        }
    }
}

extension Fixtures {
    /// NVIDIA's device plugin as its static DaemonSet on the GPU node, with the `nvidia`
    /// runtime class K3s ships: what advertises `nvidia.com/gpu` for `train-once`.
    static func gpu() -> Namespace {
        Namespace("gpu") {
            DaemonSet("nvidia-device-plugin") {
                Container("nvidia-device-plugin", image: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0") {
                    Mount("device-plugins", at: "/var/lib/kubelet/device-plugins")
                }
                .resources(requests: .init(cpu: "10m", memory: "32Mi"), limits: .init(cpu: "100m", memory: "128Mi"))
                Volume.hostPath("device-plugins", path: "/var/lib/kubelet/device-plugins", type: "Directory")
            }
            .runtimeClass("nvidia")
            .pinned(to: "lab-gpu")
        }
    }
}

/// The IR of a fixture fleet through the real compiler stages; the fixture
/// must be free of errors.
public func lowered(_ fleet: Fleet) -> FleetIR {
    let result = CompilerPipeline(guardrails: false).run(FleetSource(FleetDefinition(fleet)))
    guard let ir = result.ir else {
        preconditionFailure("fixture has errors: \(result.diagnostics.map { $0.formatted() })")
    }
    return ir
}
