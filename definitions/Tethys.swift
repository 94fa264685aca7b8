import DSL

/// The tethys cluster (Flux reconciles clusters/tethys).
func tethys(_ settings: SettingValues) -> Cluster {
    Cluster("tethys") {
        Nodes.all
        Namespace("flux-system")
        Namespace("cloudflared")
        Namespace("node-tunnels")
        Namespace("tailscale")
        Namespace("egress-system")
        Namespace("apps") {
            egressDbProxy(settings)
        }
    }
}
