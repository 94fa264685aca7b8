import DSL

/// Every input of the fleet. Non-secret settings carry defaults (from the seeds); secret
/// ones are only names of keys in the Pulumi ESC environment `default/oceanid-cluster`.
public enum Settings {
    // MARK: Flux
    public static let gitRepositoryUrl = Setting("gitRepositoryUrl", default: "https://github.com/goldfish-inc/oceanid",
                                                 summary: "Git repository watched by Flux.")
    public static let gitRepositoryBranch = Setting("gitRepositoryBranch", default: "main", summary: "Branch Flux reconciles.")
    public static let gitRepositoryPath = Setting("gitRepositoryPath", default: "clusters/tethys",
                                                  summary: "Path within the repository holding the cluster's kustomizations.")

    // MARK: Cloudflare
    public static let cloudflareAccountId = Setting("cloudflareAccountId", default: "",
                                                    summary: "Cloudflare account that owns the tunnels.")
    public static let cloudflareZoneId = Setting("cloudflareZoneId", default: "", summary: "Cloudflare zone where records are created.")
    public static let cloudflareTunnelId = Setting("cloudflareTunnelId", default: "", summary: "Identifier of the cluster tunnel.")
    public static let cloudflareNodeTunnelId = Setting("cloudflareNodeTunnelId", default: "",
                                                       summary: "Tunnel ID for node-level connectivity (calypso).")
    public static let cloudflareNodeTunnelHostname = Setting("cloudflareNodeTunnelHostname", default: "boathou.se",
                                                             summary: "Base domain for node tunnel routes.")
    public static let cloudflareNodeTunnelTarget = Setting("cloudflareNodeTunnelTarget", default: "",
                                                           summary: "Override of the node tunnel CNAME target; empty means <tunnelId>.cfargotunnel.com.")
    public static let cloudflareNodeTunnelMetricsPort = Setting("cloudflareNodeTunnelMetricsPort", default: 2200,
                                                                summary: "Metrics port of the node tunnel DaemonSet.")
    public static let cloudflareNodeTunnelResources = Setting(
        "cloudflareNodeTunnelResources",
        default: Resources(requests: .init(cpu: "100m", memory: "128Mi"), limits: .init(cpu: "500m", memory: "256Mi")),
        summary: "Partial JSON override of the node tunnel container's requests/limits.")
    public static let cloudflareTunnelResources = Setting(
        "cloudflareTunnelResources",
        default: Resources(requests: .init(cpu: "200m", memory: "256Mi"), limits: .init(cpu: "500m", memory: "512Mi")),
        summary: "Partial JSON override of the cluster tunnel container's requests/limits.")
    public static let tunnelHostname = Setting("tunnelHostname", default: "tethys.boathou.se",
                                               summary: "FQDN routed through the cluster tunnel.")
    public static let tunnelServiceUrl = Setting("tunnelServiceUrl", default: "https://10.0.0.10:6443",
                                                 summary: "Internal endpoint reached behind the tunnel (the K3s API).")

    // MARK: Databases
    public static let crunchyBridgeHost = Setting("crunchyBridgeHost", default: "p.3x4xvkn3xza2zjwiklcuonpamy.db.postgresbridge.com",
                                                  summary: "CrunchyBridge cluster host the egress DB proxy forwards to.")

    // MARK: Images
    public static let egressDbProxyImage = Setting("egressDbProxyImage", default: "alpine/socat:1.8.0.1",
                                                   summary: "TCP proxy image of egress-db-proxy.")

    // MARK: Secrets (ESC keys; values never enter git)
    public static let cloudflareApiToken = SecretSetting("cloudflareApiToken", summary: "API token with DNS + tunnel permissions.")
    public static let cloudflareTunnelToken = SecretSetting("cloudflareTunnelToken", summary: "Token of the cluster tunnel.")
    public static let cloudflareNodeTunnelToken = SecretSetting("cloudflareNodeTunnelToken", summary: "Credentials of the node tunnel.")
    public static let labelStudioDbUrl = SecretSetting("labelStudioDbUrl", summary: "Postgres URL of Label Studio's database labelfish.")
    public static let cleandataDbUrl = SecretSetting("cleandataDbUrl", summary: "Postgres URL of the cleandata database.")
    public static let postgresUrl = SecretSetting("postgres_url", summary: "Legacy analytics DB URL (being phased out).")
    public static let hfAccessToken = SecretSetting("hfAccessToken", summary: "Hugging Face token of the annotations sink.")

    public static let all: [AnySetting] = [
        gitRepositoryUrl.erased, gitRepositoryBranch.erased, gitRepositoryPath.erased,
        cloudflareAccountId.erased, cloudflareZoneId.erased, cloudflareTunnelId.erased, cloudflareNodeTunnelId.erased,
        cloudflareNodeTunnelHostname.erased, cloudflareNodeTunnelTarget.erased, cloudflareNodeTunnelMetricsPort.erased,
        cloudflareNodeTunnelResources.erased, cloudflareTunnelResources.erased, tunnelHostname.erased, tunnelServiceUrl.erased,
        crunchyBridgeHost.erased, egressDbProxyImage.erased,
        cloudflareApiToken.erased, cloudflareTunnelToken.erased, cloudflareNodeTunnelToken.erased,
        labelStudioDbUrl.erased, cleandataDbUrl.erased, postgresUrl.erased, hfAccessToken.erased,
    ]
}
