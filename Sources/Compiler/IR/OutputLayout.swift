/// Where every output lives, relative to the repository root: the one place that spells
/// the output roots and the names of files inside them. Emitters, the writer's stray scan,
/// `check` and the output-path check all read it.
///
/// ```
/// clusters/<cluster>/<layer>/<component>/<kind>-<name>.yaml   what Flux reconciles
/// bootstrap/<cluster>/                                        Flux's one-time bootstrap
/// hosts/<node>/<install path>                                 files installed on a host
/// sql/<database>/                                             migrations and their checksums
/// policy/                                                     Rego policies and OPA input
/// cloud/                                                      the applier's desired state
/// docs/                                                       generated documentation
/// ```
public enum OutputLayout {
    /// The top-level output folders, in the order the README lists them.
    public enum Root: String, CaseIterable, Sendable {
        case clusters, bootstrap, hosts, sql, policy, cloud, docs
    }

    /// The database migration workflow (`MigrationWorkflowEmitter`), outside every root.
    public static let migrationWorkflow = ".github/workflows/database-migrations.yml"

    /// Single files the writer owns outside the roots, in folders that also hold hand-written
    /// files: only these paths are written, compared and pruned there; the folder is never
    /// scanned for strays, so a hand-written file beside them (`.github/workflows/*.yml`) survives.
    public static let ownedFiles = [migrationWorkflow]

    /// `clusters/<cluster>`
    public static func cluster(_ name: String) -> String { "\(Root.clusters.rawValue)/\(name)" }
    /// `bootstrap/<cluster>`
    public static func bootstrap(_ cluster: String) -> String { "\(Root.bootstrap.rawValue)/\(cluster)" }
    /// `hosts/<node>/<install path without its leading slash>`
    public static func host(_ node: String, installPath: String) -> String {
        "\(Root.hosts.rawValue)/\(node)/" + installPath.drop(while: { $0 == "/" })
    }
    /// `sql/<database>`
    public static func sql(_ database: String) -> String { "\(Root.sql.rawValue)/\(database)" }
    /// `policy/input/<cluster>.json`: the OPA input of one cluster.
    public static func policyInput(_ cluster: String) -> String { "\(Root.policy.rawValue)/input/\(cluster).json" }
    /// `policy/<file>`, `cloud/<file>`, `docs/<file>`
    public static func file(_ name: String, in root: Root) -> String { "\(root.rawValue)/\(name)" }

    /// The file of one object in its component folder: `<kind>-<name>.yaml`, with the
    /// namespace when it differs from the component's (`<kind>-<namespace>-<name>.yaml`).
    public static func objectFile(_ id: ObjectID, componentNamespace: String?) -> String {
        let kind = id.kind.lowercased()
        if let ns = id.namespace, ns != componentNamespace { return "\(kind)-\(ns)-\(id.name).yaml" }
        return "\(kind)-\(id.name).yaml"
    }

    /// The explicit kustomize file of every folder Flux or kustomize reads.
    public static let kustomization = "kustomization.yaml"
}
