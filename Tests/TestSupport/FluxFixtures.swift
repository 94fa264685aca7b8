import DSL
import OceanidGenKit

/// Two small Flux-reconciled clusters in one fleet: proves the DSL and emitters are not
/// tied to tethys, and is the "fleet-of-two" golden fixture.
public enum FluxFixtures {
    public static func twoClusters() -> Fleet {
        Fleet("pair") {
            small("east", replicas: 1)
            small("west", replicas: 3)
        }
    }

    static func small(_ name: String, replicas: Int) -> Cluster {
        Cluster(name) {
            Node("\(name)-1", role: .server)
            FluxSync(url: "https://git.example/pair.git", branch: "main", path: "clusters/\(name)",
                     version: "v2.8.5", chartVersion: "2.18.3") {
                Layer("infrastructure")
                Layer("secrets", dependsOn: ["infrastructure"])
                Layer("apps", dependsOn: ["secrets"], timeout: "10m")
            }
            PulumiESCStore(organization: "pair", project: "default", environment: name, configNamespace: name,
                           token: .init(namespace: "external-secrets", name: "pulumi-access-token", key: "PULUMI_ACCESS_TOKEN"),
                           layer: "secrets")
            Namespace("flux-system")
            Namespace("external-secrets", layer: "infrastructure") {
                let charts = HelmRepository("external-secrets", url: "https://charts.external-secrets.io")
                charts
                HelmRelease("external-secrets", chart: "external-secrets", version: "2.9.0", from: charts,
                            values: ["installCRDs": true], installCRDs: true)
            }
            Namespace("shop") {
                let db = SecretDeclaration("shop-db", keys: ["url": "shopDbUrl"])
                db
                Component("storefront") {
                    let app = Deployment("storefront") {
                        Container("web", image: "ghcr.io/example/storefront:2.4.1") {
                            Port("http", 8080)
                            Env("DATABASE_URL", secret: db, key: "url")
                        }
                        .resources(requests: .init(cpu: "50m", memory: "64Mi"), limits: .init(cpu: "250m", memory: "128Mi"))
                    }
                    .replicas(replicas)
                    app
                    Service(selecting: app) { ServicePort("http", 80, target: "http") }
                }
            }
        }
    }
}

/// A fleet with a database whose migration history is committed: the golden of an
/// append-only output (the history is re-emitted exactly as read, and owned) and of the
/// next migration the changed declaration adds on top of it.
public enum HistoryFixtures {
    static func shop(orders: Bool) -> Database {
        Database("shop") {
            Schema("catalog", comment: "What the shop sells.") {
                Table("products") {
                    Column("product_id", .bigint, identity: true)
                    Column("name", .text)
                    PrimaryKey("product_id")
                }
                if orders {
                    Table("orders") {
                        Column("order_id", .bigint, identity: true)
                        Column("product_id", .bigint)
                        PrimaryKey("order_id")
                        ForeignKey(["product_id"], references: "products", in: "catalog", columns: ["product_id"])
                    }
                }
            }
        }
    }

    /// The committed tree: what the first declaration (products only) generated.
    public static let inputs: [String: String] = {
        let generated = BuildPipeline(definition: FleetDefinition(Fleet("history") { shop(orders: false) }), root: "/nonexistent").generate()
        return Dictionary(uniqueKeysWithValues: (generated.files ?? []).filter { $0.path.hasPrefix("sql/") }.map { ($0.path, $0.contents) })
    }()

    public static func fleet() -> Fleet {
        Fleet("history") { shop(orders: true) }
    }
}
