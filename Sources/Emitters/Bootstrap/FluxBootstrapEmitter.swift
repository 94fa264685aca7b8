import Compiler
import DSL

/// The one-time bootstrap of Flux's controllers, per cluster with a FluxSync:
/// `bootstrap/<cluster>/flux2-values.yaml` (Helm values of the fluxcd-community `flux2`
/// chart) and `bootstrap/<cluster>/bootstrap.sh` (installs the pinned chart into
/// flux-system, creates the secret stores' token secrets from the environment, applies
/// the sync objects). After it, Flux reconciles `clusters/<cluster>` from git.
public enum FluxBootstrapEmitter {
    public static let chartRepository = "https://fluxcd-community.github.io/helm-charts"

    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        ir.clusters.flatMap { cluster -> [GeneratedFile] in
            guard let flux = cluster.flux else { return [] }
            let folder = OutputLayout.bootstrap(cluster.name)
            return [
                GeneratedFile(path: "\(folder)/flux2-values.yaml", contents: FileHeader.yaml + YAMLRenderer.render(values(flux))),
                GeneratedFile(path: "\(folder)/bootstrap.sh", contents: script(cluster, flux)),
            ]
        }
    }

    /// Controllers the fleet uses (source, kustomize, helm, notification); image automation off.
    static func values(_ flux: FluxIR) -> Tree {
        [
            "installCRDs": true,
            "sourceController": ["create": true],
            "kustomizeController": ["create": true],
            "helmController": ["create": true],
            "notificationController": ["create": true],
            "imageAutomationController": ["create": false],
            "imageReflectionController": ["create": false],
        ]
    }

    static func script(_ cluster: ClusterIR, _ flux: FluxIR) -> String {
        var lines = [
            "#!/usr/bin/env bash" + "\n" + FileHeader.yaml + "#",
            "# One-time bootstrap of Flux \(flux.version) on cluster '\(cluster.name)'; run from the repository root",
            "# with KUBECONFIG pointing at the cluster. Afterwards Flux reconciles \(cluster.root) from git.",
            "set -euo pipefail",
            "",
            "helm repo add fluxcd-community \(chartRepository) --force-update",
            "helm upgrade --install flux2 fluxcd-community/flux2 --version \(flux.chartVersion) \\",
            "  --namespace \(flux.namespace) --create-namespace \\",
            "  --values bootstrap/\(cluster.name)/flux2-values.yaml --wait",
        ]
        for secret in cluster.bootstrapSecrets {
            let variable = secret.key.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
            lines += [
                "",
                "# The secret store's access token: the one secret created by hand (from the environment).",
                ": \"${\(String(variable)):?set \(String(variable)) to the Pulumi access token}\"",
                "kubectl create namespace \(secret.namespace) --dry-run=client -o yaml | kubectl apply -f -",
                "kubectl -n \(secret.namespace) create secret generic \(secret.name) \\",
                "  --from-literal=\(secret.key)=\"${\(String(variable))}\" --dry-run=client -o yaml | kubectl apply -f -",
            ]
        }
        lines += ["", "kubectl apply -k \(cluster.root)/flux-system", ""]
        return lines.joined(separator: "\n")
    }
}
