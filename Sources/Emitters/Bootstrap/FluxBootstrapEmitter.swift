import Compiler
import DSL
import Rendering

/// The one-time bootstrap of Flux's controllers, per cluster with a FluxSync:
/// `bootstrap/<cluster>/flux2-values.yaml` (Helm values of the fluxcd-community `flux2`
/// chart) and `bootstrap/<cluster>/bootstrap.sh` (installs the pinned chart into
/// flux-system, creates the secret stores' token secrets from the environment, applies
/// the sync objects). After it, Flux reconciles `clusters/<cluster>` from git.
public enum FluxBootstrapEmitter {
    /// The Helm repository of the fluxcd-community `flux2` chart that `bootstrap.sh` installs from.
    public static let chartRepository = "https://fluxcd-community.github.io/helm-charts"

    /// For each cluster of `FleetIR.clusters` with a `flux` section: `bootstrap/<cluster>/flux2-values.yaml`
    /// and `bootstrap/<cluster>/bootstrap.sh`. Clusters without Flux get nothing.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        ir.clusters.flatMap { cluster -> [GeneratedFile] in
            guard let flux = cluster.flux else { return [] }
            let folder = OutputLayout.bootstrap(cluster.name)
            return [
                GeneratedFile(
                    path: "\(folder)/flux2-values.yaml", syntax: .yaml, body: YAMLRenderer.render(values(flux)),
                    origin: flux.location),
                GeneratedFile(
                    path: "\(folder)/bootstrap.sh", syntax: .shell, body: ShellRenderer.render(script(cluster, flux)),
                    origin: flux.location),
            ]
        }
    }

    /// The chart's values: `FluxIR.bootstrapValues`, which the policy input reads too.
    static func values(_ flux: FluxIR) -> Tree { flux.bootstrapValues }

    /// The bootstrap as a script value; every value from the fleet is a quoted word.
    static func script(_ cluster: ClusterIR, _ flux: FluxIR) -> ShellScript {
        typealias W = ShellScript.Word
        func words(_ text: String...) -> [W] { text.map(W.literal) }
        let values = "\(OutputLayout.bootstrap(cluster.name))/flux2-values.yaml"
        var lines: [ShellScript.Line] = [
            .comment(""),
            .comment(
                "One-time bootstrap of Flux \(flux.version) on cluster '\(cluster.name)'; run from the repository root\n"
                    + "with KUBECONFIG pointing at the cluster. Afterwards Flux reconciles \(cluster.root) from git."),
            .command([words("set", "-euo", "pipefail")]),
            .blank,
            .command([words("helm", "repo", "add", "fluxcd-community", chartRepository, "--force-update")]),
            .command([
                words(
                    "helm", "upgrade", "--install", "flux2", "fluxcd-community/flux2", "--version", flux.chartVersion),
                words("--namespace", flux.namespace, "--create-namespace"),
                words("--values", values, "--wait"),
            ]),
        ]
        for secret in cluster.bootstrapSecrets {
            let variable = ShellRenderer.identifier(secret.key)
            lines += [
                .blank,
                .comment("The secret store's access token: the one secret created by hand (from the environment)."),
                .command([[.literal(":"), .required(variable, message: "set \(variable) to the Pulumi access token")]]),
                .pipeline([
                    .init([words("kubectl", "create", "namespace", secret.namespace, "--dry-run=client", "-o", "yaml")]
                    ),
                    .init([words("kubectl", "apply", "-f", "-")]),
                ]),
                .pipeline([
                    .init([
                        words("kubectl", "-n", secret.namespace, "create", "secret", "generic", secret.name),
                        [.joined([.literal("--from-literal=\(secret.key)="), .variable(variable)])]
                            + words("--dry-run=client", "-o", "yaml"),
                    ]),
                    .init([words("kubectl", "apply", "-f", "-")]),
                ]),
            ]
        }
        lines += [.blank, .command([words("kubectl", "apply", "-k", "\(cluster.root)/flux-system")])]
        return ShellScript(lines: lines)
    }
}
