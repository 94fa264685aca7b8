import DSL

/// The cluster tunnel: a remotely managed cloudflared (ingress rules live in Cloudflare and
/// are reconciled by the applier). Rolls when `cloudflareTunnelRolloutToken` changes.
/// cloudflared documents `TUNNEL_TOKEN` for `tunnel run` (the `--token` flag's variable) and
/// the `--protocol`, `--edge-ip-version`, `--metrics`, `--no-autoupdate` flags
/// (cmd/cloudflared/tunnel/cmd.go).
func clusterTunnel(_ s: SettingValues) -> [NamespaceItem] {
    let token = SecretDeclaration("cloudflared-token", from: ["token": Settings.cloudflareTunnelToken])
    let tunnel = Deployment("cloudflared") {
        Container("cloudflared", image: Image(s[Settings.cloudflaredImage])) {
            Port("metrics", 2000)
            Env("TUNNEL_TOKEN", secret: token, key: "token")
        }
        .args(["tunnel", "--no-autoupdate", "--protocol", "auto", "--edge-ip-version", "4",
               "--metrics", "0.0.0.0:2000", "run"])
        .resources(s[Settings.cloudflareTunnelResources])
        // ~140 s before the first liveness check: external DNS can be slow while the node boots.
        .startup(.http("/ready", port: "metrics", period: 10, timeout: 5, failureThreshold: 14))
        .liveness(.http("/ready", port: "metrics", period: 10, timeout: 5, failureThreshold: 3))
        .readiness(.http("/ready", port: "metrics", period: 10, timeout: 5))
        .securityContext(.restricted.with(runAsUser: 65532))
    }
    .replicas(2)
    .podAnnotations(["oceanid.dev/rollout-token": s[Settings.cloudflareTunnelRolloutToken]])
    return [.secret(token), .deployment(tunnel)]
}

/// The node tunnel: one cloudflared per node on the host network, serving the private CIDRs
/// WARP clients reach (GPU access, the cluster). Config keys are cloudflared's
/// (config/configuration.go: `metrics`, `no-autoupdate`). FLEET.md asks for `warp-routing:
/// enabled: true`, but cloudflared 2023.9+ ignores that key (`[ignored-warp-routing]`): the
/// private networks are the account's tunnel routes to `node-tunnels`, declared in
/// `cloudflare(_:)` (`PrivateNetworkRoute`) and reconciled by oceanid-apply.
func nodeTunnel(_ s: SettingValues) -> [NamespaceItem] {
    let port = s[Settings.cloudflareNodeTunnelMetricsPort]
    let token = SecretDeclaration("cloudflared-node-token", from: ["token": Settings.cloudflareNodeTunnelsToken])
    let config = ConfigMap("cloudflared-node-config", files: [
        // Metrics on the loopback: on the host network 0.0.0.0 is every address of the node,
        // its public one included; the kubelet probes 127.0.0.1 (it runs on the node).
        "config.yaml": .yaml(CloudflaredConfig(metrics: "127.0.0.1:\(port)", noAutoupdate: true).tree),
    ])
    let daemon = DaemonSet("cloudflared-node") {
        Container("cloudflared", image: Image(s[Settings.cloudflaredImage])) {
            Port("metrics", port)
            Env("TUNNEL_TOKEN", secret: token, key: "token")
            Mount("config", at: "/etc/cloudflared", readOnly: true)
        }
        .args(["tunnel", "--config", "/etc/cloudflared/config.yaml", "--protocol", "auto", "--edge-ip-version", "4", "run"])
        .resources(s[Settings.cloudflareNodeTunnelResources])
        .liveness(.http("/ready", port: "metrics", host: "127.0.0.1", initialDelay: 30, period: 10, failureThreshold: 3))
        .securityContext(.restricted.with(runAsUser: 65532))
        Volume.configMap("config", config)
    }
    .hostNetwork()
    .dnsPolicy(.clusterFirstWithHostNet)
    return [.secret(token), .configMap(config), .daemonSet(daemon)]
}

/// The Tailscale subnet router: advertises the K3s pod and service CIDRs, pinned to the control plane
/// (the machine reached as `tethys`).
/// Its state lives in a Secret it may update (and nothing else). `TS_AUTHKEY`,
/// `TS_KUBE_SECRET`, `TS_USERSPACE`, `TS_ROUTES`, `TS_EXTRA_ARGS`, `TS_HOSTNAME` are
/// containerboot's documented variables (tailscale cmd/containerboot/settings.go).
func tailscaleRouter(_ s: SettingValues) -> [NamespaceItem] {
    let auth = SecretDeclaration("tailscale-auth", from: ["authkey": Settings.tailscaleAuthKey])
    let account = ServiceAccount("tailscale")
    let role = Role("tailscale-state") {
        PolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["create", "get", "update", "patch"])
        PolicyRule(apiGroups: [""], resources: ["events"], verbs: ["create", "patch", "get"])
    }
    let router = Deployment("tailscale-router") {
        Container("tailscale", image: Image(s[Settings.tailscaleImage])) {
            Env("TS_AUTHKEY", secret: auth, key: "authkey")
            Env("TS_KUBE_SECRET", "tailscale-state")
            Env("TS_USERSPACE", "false")
            Env("TS_ROUTES", "\(K3s.podCIDR),\(K3s.serviceCIDR)")
            Env("TS_EXTRA_ARGS", s[Settings.tailscaleExitNode] ? "--advertise-exit-node" : "")
            Env("TS_HOSTNAME", "tethys-router")
            Mount("tun", at: "/dev/net/tun")
        }
        .resources(requests: .init(cpu: "50m", memory: "64Mi"), limits: .init(cpu: "500m", memory: "256Mi"))
        .securityContext(SecurityContext(runAsUser: 0, allowPrivilegeEscalation: false,
                                         addCapabilities: ["NET_ADMIN", "NET_RAW"], dropCapabilities: ["ALL"],
                                         seccompRuntimeDefault: true))
        Volume.hostPath("tun", path: "/dev/net/tun", type: .charDevice)
    }
    .replicas(1)
    .strategy(.recreate)
    .serviceAccount(account)
    .pinned(to: Nodes(s).controlPlane)
    return [.secret(auth), .serviceAccount(account), .role(role),
            .roleBinding(RoleBinding(role: role, to: [account])), .deployment(router)]
}

/// The egress gateway: squid on srv712429, so all cluster HTTP(S) egress leaves from its
/// public IP (SNAT), the only address the database firewall and partners allow. The
/// ubuntu/squid image takes no settings from the environment: everything is squid.conf.
/// Its declarations are values the rest of the fleet uses: apps' proxy variables name its
/// Service's address, the apps NetworkPolicy selects its Deployment.
struct EgressGateway {
    static let namespace = "egress-system"
    let port = ServicePort("proxy", 3128)
    let config: ConfigMap
    let deployment: Deployment
    let service: Service

    init(_ s: SettingValues) {
        let proxy = port
        // squid.conf(5): proxy the cluster's CIDRs only, HTTPS only by CONNECT, cache nothing.
        config = ConfigMap("squid-config", files: ["squid.conf": .directives([
            Directive("http_port", String(proxy.port)),
            Directive("acl", "cluster", "src", K3s.podCIDR, K3s.serviceCIDR),
            Directive("acl", "SSL_ports", "port", "443"),
            Directive("acl", "Safe_ports", "port", "80", "443"),
            Directive("acl", "CONNECT", "method", "CONNECT"),
            Directive("http_access", "deny", "!Safe_ports"),
            Directive("http_access", "deny", "CONNECT", "!SSL_ports"),
            Directive("http_access", "allow", "cluster"),
            Directive("http_access", "deny", "all"),
            Directive("cache", "deny", "all"),
            // The logs go to files on the `logs` emptyDir (created mode 0777, so writable by
            // squid's `proxy` user after it drops root), which the ubuntu/squid entrypoint tails to
            // the container's output (`tail -F /var/log/squid/access.log` ... `cache.log`, then
            // `squid -Nz` and `squid -NYC`: git.launchpad.net/~ubuntu-docker-images/ubuntu-docker-images/
            // +git/squid entrypoint.sh, copied in wolfi-dev/os squid/entrypoint.sh). `/dev/stdout`
            // cannot be the log: squid opens it as `proxy`, who cannot open the pipe
            // ("FATAL: Cannot open '/dev/stdout' for writing"); `daemon:` is the module squid's
            // docs recommend (squid-cache.org/Doc/config/access_log); cache_log takes a plain file.
            // squid writes its files with umask 027 (squid-cache.org/Doc/config/umask), mode 0640
            // for `proxy`; the entrypoint's `tail` runs as root without CAP_DAC_OVERRIDE (the
            // container drops ALL), so it reads them as "other": 022 makes them 0644.
            Directive("umask", "022"),
            Directive("access_log", "daemon:/var/log/squid/access.log"),
            Directive("cache_log", "/var/log/squid/cache.log"),
            Directive("pid_filename", "none"),
        ])])
        let configVolume = Volume.configMap("config", config)
        let cache = Volume.emptyDir("cache")
        let logs = Volume.emptyDir("logs")
        deployment = Deployment("egress-gateway") {
            Container("squid", image: Image(s[Settings.squidImage])) {
                Port("proxy", proxy.port)
                Mount(configVolume, at: "/etc/squid/squid.conf", readOnly: true, subPath: "squid.conf")
                Mount(cache, at: "/var/spool/squid")
                Mount(logs, at: "/var/log/squid")
            }
            .resources(requests: .init(cpu: "50m", memory: "128Mi"), limits: .init(cpu: "1", memory: "512Mi"))
            .readiness(.tcp(port: "proxy", period: 10))
            .liveness(.tcp(port: "proxy", initialDelay: 10, period: 20))
            .securityContext(SecurityContext(allowPrivilegeEscalation: false, dropCapabilities: ["ALL"],
                                             seccompRuntimeDefault: true).withCapabilities(["SETUID", "SETGID", "CHOWN"]))
            configVolume
            cache
            logs
        }
        .replicas(1)
        .pinned(to: Nodes(s).controlPlane)
        service = Service(selecting: deployment) { proxy }
    }

    var items: [NamespaceItem] { [.configMap(config), .deployment(deployment), .service(service)] }

    /// `http://egress-gateway.egress-system.svc.cluster.local:3128`, derived from the Service.
    var proxyURL: String { "http://" + service.address(in: Self.namespace, port: port, domain: K3s.clusterDomain) }

    /// What never goes through the gateway: cluster-internal names and CIDRs.
    static let noProxy = ["localhost", "127.0.0.1", ".svc", ".\(K3s.clusterDomain)", K3s.podCIDR, K3s.serviceCIDR]
        .joined(separator: ",")

    /// Proxy variables for an app: everything external goes through the gateway, nothing
    /// cluster-internal does (the lower-case spellings too: curl and Go read those).
    var proxyEnv: [Env] {
        [
            Env("HTTP_PROXY", proxyURL), Env("HTTPS_PROXY", proxyURL), Env("NO_PROXY", Self.noProxy),
            Env("http_proxy", proxyURL), Env("https_proxy", proxyURL), Env("no_proxy", Self.noProxy),
        ]
    }
}
