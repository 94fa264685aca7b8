import DSL

/// NVIDIA's device plugin: the only thing that advertises `nvidia.com/gpu` to the scheduler
/// (https://github.com/NVIDIA/k8s-device-plugin, README "Running GPU Jobs"), so the training
/// Jobs' GPU limit can be met on calypso. Installed from NVIDIA's chart repository
/// (`helm repo add nvdp https://nvidia.github.io/k8s-device-plugin`; chart
/// `deployments/helm/nvidia-device-plugin`, version 0.20.0 in the repository's `gh-pages`
/// index.yaml). Values are the chart's own (`values.yaml`):
/// - `runtimeClassName: nvidia`: K3s keeps runc as the default runtime and adds the `nvidia`
///   runtime and RuntimeClass when it finds the NVIDIA container runtime on the node
///   (https://docs.k3s.io/advanced#nvidia-container-runtime-support); without it the plugin
///   finds no NVML library and advertises nothing.
/// - `affinity`: the chart's default requires labels that node-feature-discovery or an
///   operator sets (`feature.node.kubernetes.io/pci-10de.present`, `nvidia.com/gpu.present`);
///   the fleet runs neither, so the plugin is pinned to the GPU node by its host name.
/// - The chart refuses the `default` namespace (`templates/validation.yml`): it has its own.
func nvidiaDevicePlugin(_ s: SettingValues) -> Namespace {
    Namespace("nvidia-device-plugin", layer: Layers.infrastructure) {
        let charts = HelmRepository("nvdp", url: "https://nvidia.github.io/k8s-device-plugin")
        charts
        HelmRelease("nvidia-device-plugin", chart: "nvidia-device-plugin", version: s[Settings.nvidiaDevicePluginChartVersion],
                    from: charts, values: [
                        "runtimeClassName": "nvidia",
                        "affinity": ["nodeAffinity": ["requiredDuringSchedulingIgnoredDuringExecution": [
                            "nodeSelectorTerms": [["matchExpressions": [[
                                "key": "kubernetes.io/hostname", "operator": "In",
                                "values": [.string(Nodes(s).calypso.name)],
                            ]]]],
                        ]]],
                        "resources": ["requests": ["cpu": "10m", "memory": "32Mi"],
                                      "limits": ["cpu": "100m", "memory": "128Mi"]],
                    ])
        .renders(Charts.nvidiaDevicePlugin)
    }
}
