import DSL

/// What each chart the fleet installs runs, at the pinned version, read from the chart's own
/// templates and values.yaml (no helm binary is available at build time, and charts are not
/// downloaded then): the compiler adds these workloads, with the values each release sets, to
/// the policy input, so the guardrails hold Helm's pods to the fleet's rules. A release of
/// another version is `undescribed-chart` until its description is read again.
enum Charts {
    /// The flux2 chart version this description was read from (`ChartRelease.flux2`).
    static let flux2Version = "2.18.3"

    /// A Flux controller's image at the described flux2 chart release's tag.
    static func fluxImage(_ name: String, _ valuesKey: String) -> String {
        let release = ChartRelease.release("flux2", flux2Version)
        return "ghcr.io/fluxcd/\(name):\(release?.images[valuesKey] ?? "unknown")"
    }

    static let empty: Tree = ["requests": [:], "limits": [:]]

    /// fluxcd-community flux2 2.18.3 (appVersion 2.8.5): one Deployment per enabled controller,
    /// container `manager`, `<x>Controller.resources` (requests only by default); the image tags
    /// are the release's own (`ChartRelease.flux2`). The CRD-migration hook Job is off by default
    /// (`crds.migration.enabled: false`). The controller templates are unchanged from 2.17.1.
    /// https://github.com/fluxcd-community/helm-charts/tree/flux2-2.18.3/charts/flux2
    /// (values.yaml; templates/source-controller.yaml, kustomize-controller.yaml,
    /// helm-controller.yaml, notification-controller.yaml, pre-upgrade-migrate-resources.yaml).
    static let flux2 = ChartRendering(
        chart: "flux2", version: flux2Version,
        source: "https://github.com/fluxcd-community/helm-charts/tree/flux2-2.18.3/charts/flux2",
        defaults: [
            "sourceController": ["resources": ["requests": ["cpu": "100m", "memory": "64Mi"], "limits": [:]]],
            "kustomizeController": ["resources": ["requests": ["cpu": "100m", "memory": "64Mi"], "limits": [:]]],
            "helmController": ["resources": ["requests": ["cpu": "100m", "memory": "64Mi"], "limits": [:]]],
            "notificationController": ["resources": ["requests": ["cpu": "100m", "memory": "64Mi"], "limits": [:]]],
        ]) {
            ChartWorkload(.deployment, "source-controller") {
                ChartContainer("manager", image: fluxImage("source-controller", "sourceController"), resources: ["sourceController", "resources"])
            }
            ChartWorkload(.deployment, "kustomize-controller") {
                ChartContainer("manager", image: fluxImage("kustomize-controller", "kustomizeController"), resources: ["kustomizeController", "resources"])
            }
            ChartWorkload(.deployment, "helm-controller") {
                ChartContainer("manager", image: fluxImage("helm-controller", "helmController"), resources: ["helmController", "resources"])
            }
            ChartWorkload(.deployment, "notification-controller") {
                ChartContainer("manager", image: fluxImage("notification-controller", "notificationController"), resources: ["notificationController", "resources"])
            }
        }

    /// external-secrets 2.9.0 (appVersion v2.9.0): the operator, its webhook and cert controller,
    /// each `<fullname>[-webhook|-cert-controller]` (fullname is the release's name when it
    /// contains the chart's), resources from `resources`, `webhook.resources`,
    /// `certController.resources` (all empty by default).
    /// https://github.com/external-secrets/external-secrets/tree/helm-chart-2.9.0/deploy/charts/external-secrets
    /// (values.yaml; templates/deployment.yaml, webhook-deployment.yaml, cert-controller-deployment.yaml).
    static let externalSecrets = ChartRendering(
        chart: "external-secrets", version: "2.9.0",
        source: "https://github.com/external-secrets/external-secrets/tree/helm-chart-2.9.0/deploy/charts/external-secrets",
        defaults: ["resources": [:], "webhook": ["resources": [:]], "certController": ["resources": [:]]]) {
            ChartWorkload(.deployment, "{release}") {
                ChartContainer("external-secrets", image: "ghcr.io/external-secrets/external-secrets:v2.9.0", resources: ["resources"])
            }
            ChartWorkload(.deployment, "{release}-webhook") {
                ChartContainer("webhook", image: "ghcr.io/external-secrets/external-secrets:v2.9.0", resources: ["webhook", "resources"])
            }
            ChartWorkload(.deployment, "{release}-cert-controller") {
                ChartContainer("cert-controller", image: "ghcr.io/external-secrets/external-secrets:v2.9.0",
                               resources: ["certController", "resources"])
            }
        }

    /// heartex label-studio 2.0.5 (appVersion 1.23.0): Deployment `<release>-ls-app` with the
    /// `db-migrations` init container (`app.initContainer.resources`) and containers `app`
    /// (`app.resources`; env: `global.extraEnvironmentVars`, `app.extraEnvironmentVars`) and `nginx`
    /// (`app.nginx.resources`; env: `app.nginx.extraEnvironmentVars` only). The rqworkers need
    /// `enterprise.enabled`, the CronJobs `cronjob.enabled`, the migration Job `migrationJob.enabled`:
    /// all false by default.
    /// https://github.com/HumanSignal/charts/tree/master/heartex/label-studio (Chart.yaml 2.0.5;
    /// values.yaml; templates/app-deployment.yaml, _helpers.tpl `ls.common.envs`, rqworker-deployment.yaml,
    /// cronjob.yaml, job-migrate.yaml).
    static let labelStudio = ChartRendering(
        chart: "label-studio", version: "2.0.5",
        source: "https://github.com/HumanSignal/charts/tree/master/heartex/label-studio",
        defaults: [
            "global": ["extraEnvironmentVars": [:]],
            "app": ["resources": empty, "extraEnvironmentVars": [:], "initContainer": ["resources": empty],
                    "nginx": ["resources": empty, "extraEnvironmentVars": [:]]],
        ]) {
            ChartWorkload(.deployment, "{release}-ls-app", initContainers: [
                ChartContainer("db-migrations", image: "docker.io/heartexlabs/label-studio:1.23.0",
                               resources: ["app", "initContainer", "resources"]),
            ]) {
                ChartContainer("app", image: "docker.io/heartexlabs/label-studio:1.23.0", resources: ["app", "resources"],
                               env: [["global", "extraEnvironmentVars"], ["app", "extraEnvironmentVars"]])
                ChartContainer("nginx", image: "docker.io/heartexlabs/label-studio:1.23.0", resources: ["app", "nginx", "resources"],
                               env: [["app", "nginx", "extraEnvironmentVars"]])
            }
        }

    /// NVIDIA k8s-device-plugin 0.20.0: DaemonSet `<fullname>` (the release's name when it contains
    /// the chart's), container `nvidia-device-plugin-ctr`, `resources` (empty by default); not
    /// privileged with the default `securityContext` and `compatWithCPUManager`; the host network
    /// only with `devicePlugin.enableHostNetwork`; no config sidecar without a config map; the
    /// GPU feature discovery and MPS daemons are off by default.
    /// https://github.com/NVIDIA/k8s-device-plugin/tree/v0.20.0/deployments/helm/nvidia-device-plugin
    /// (values.yaml; templates/daemonset-device-plugin.yml, _helpers.tpl).
    static let nvidiaDevicePlugin = ChartRendering(
        chart: "nvidia-device-plugin", version: "0.20.0",
        source: "https://github.com/NVIDIA/k8s-device-plugin/tree/v0.20.0/deployments/helm/nvidia-device-plugin",
        defaults: ["resources": [:]]) {
            ChartWorkload(.daemonSet, "{release}") {
                ChartContainer("nvidia-device-plugin-ctr", image: "nvcr.io/nvidia/k8s-device-plugin:v0.20.0", resources: ["resources"])
            }
        }
}
