import DSL

/// Every input of the fleet. Non-secret settings carry defaults (from the seeds); secret
/// ones are only names of keys in the Pulumi ESC environment `default/oceanid-cluster`.
/// Override non-secret ones in settings.yaml at the repository root.
public enum Settings {
    // MARK: Flux
    public static let gitRepositoryUrl = Setting("gitRepositoryUrl", default: "https://github.com/goldfish-inc/oceanid",
                                                 summary: "Git repository watched by Flux.")
    public static let gitRepositoryBranch = Setting("gitRepositoryBranch", default: "main", summary: "Branch Flux reconciles.")
    public static let gitRepositoryPath = Setting("gitRepositoryPath", default: "clusters/tethys",
                                                  summary: "Path within the repository holding the cluster's kustomizations.")
    public static let fluxVersion = Setting("fluxVersion", default: "v2.9.0", summary: "Flux release the controllers run.")
    public static let fluxChartVersion = Setting("fluxChartVersion", default: "2.17.1",
                                                 summary: "fluxcd-community flux2 Helm chart version used by the bootstrap.")
    public static let externalSecretsChartVersion = Setting("externalSecretsChartVersion", default: "2.9.0",
                                                            summary: "External Secrets Operator Helm chart version.")

    // MARK: Pulumi ESC (secret store)
    public static let pulumiOrganization = Setting("pulumiOrganization", default: "ryan-taylor",
                                                   summary: "Pulumi organization owning the ESC environment.")
    public static let escProject = Setting("escProject", default: "default", summary: "ESC project (default/oceanid-cluster).")
    public static let escEnvironment = Setting("escEnvironment", default: "oceanid-cluster",
                                               summary: "ESC environment holding the secrets.")

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
    public static let cloudflareTunnelRolloutToken = Setting("cloudflareTunnelRolloutToken", default: "1",
                                                             summary: "Bump to roll the cluster tunnel (pod annotation oceanid.dev/rollout-token).")
    public static let tunnelHostname = Setting("tunnelHostname", default: "tethys.boathou.se",
                                               summary: "FQDN routed through the cluster tunnel.")
    public static let tunnelServiceUrl = Setting("tunnelServiceUrl", default: "https://10.0.0.10:6443",
                                                 summary: "Internal endpoint reached behind the tunnel (the K3s API).")

    // MARK: Tailscale
    public static let tailscaleExitNode = Setting("tailscaleExitNode", default: false,
                                                  summary: "Also advertise the router as a Tailscale exit node.")

    // MARK: Databases and data
    public static let crunchyBridgeHost = Setting("crunchyBridgeHost", default: "p.3x4xvkn3xza2zjwiklcuonpamy.db.postgresbridge.com",
                                                  summary: "CrunchyBridge cluster host the egress DB proxy forwards to.")
    public static let hfDatasetRepo = Setting("hfDatasetRepo", default: "goldfish-inc/oceanid-annotations",
                                              summary: "Hugging Face dataset the annotations sink appends to.")
    public static let tritonModelName = Setting("tritonModelName", default: "ner-distilbert",
                                                summary: "Model the adapter queries and training reloads in Triton.")
    public static let labelStudioBucket = Setting("aws.labelStudio.bucketName", default: "labelstudio-goldfish-uploads",
                                                  summary: "S3 bucket of Label Studio's uploads.")
    public static let labelStudioRegion = Setting("aws.labelStudio.region", default: "us-east-1", summary: "Region of that bucket.")
    public static let labelStudioEndpoint = Setting("aws.labelStudio.endpoint", default: "",
                                                    summary: "S3-compatible endpoint; empty for AWS.")

    // MARK: Images and charts
    public static let cloudflaredImage = Setting("cloudflaredImage", default: "cloudflare/cloudflared:2025.9.1",
                                                 summary: "cloudflared image of both tunnels.")
    public static let tailscaleImage = Setting("tailscaleImage", default: "tailscale/tailscale:v1.88.2",
                                               summary: "Tailscale subnet router image.")
    public static let squidImage = Setting("squidImage", default: "ubuntu/squid:6.6-24.04_beta", summary: "Egress gateway proxy image.")
    public static let egressDbProxyImage = Setting("egressDbProxyImage", default: "alpine/socat:1.8.0.1",
                                                   summary: "TCP proxy image of egress-db-proxy.")
    public static let postgraphileImage = Setting("postgraphileImage", default: "graphile/postgraphile:4.14.0",
                                                  summary: "PostGraphile image.")
    public static let csvIngestionWorkerImage = Setting("csvIngestionWorkerImage",
                                                        default: "ghcr.io/goldfish-inc/oceanid/csv-ingestion-worker:main",
                                                        summary: "CSV ingestion worker image.")
    public static let lsTritonAdapterImage = Setting("lsTritonAdapterImage", default: "ghcr.io/goldfish-inc/oceanid/ls-triton-adapter:main",
                                                     summary: "Label Studio ↔ Triton adapter image.")
    public static let annotationsSinkImage = Setting("annotationsSinkImage", default: "ghcr.io/goldfish-inc/oceanid/annotations-sink:main",
                                                     summary: "Annotations sink image.")
    public static let trainingJobImage = Setting("trainingJobImage", default: "ghcr.io/goldfish-inc/oceanid/training-worker:main",
                                                 summary: "Training worker image (TRAINING_JOB_IMAGE).")
    public static let labelStudioChartVersion = Setting("labelStudioChartVersion", default: "2.0.8",
                                                        summary: "heartex label-studio Helm chart version.")

    // MARK: Secrets (ESC keys; values never enter git)
    public static let cloudflareApiToken = SecretSetting("cloudflareApiToken", summary: "API token with DNS + tunnel permissions.")
    public static let cloudflareTunnelToken = SecretSetting("cloudflareTunnelToken", summary: "Token of the cluster tunnel.")
    public static let cloudflareNodeTunnelToken = SecretSetting("cloudflareNodeTunnelToken", summary: "Credentials of the node tunnel.")
    public static let tailscaleAuthKey = SecretSetting("tailscaleAuthKey", summary: "Auth key of the Tailscale subnet router.")
    public static let labelStudioDbUrl = SecretSetting("labelStudioDbUrl", summary: "Postgres URL of Label Studio's database labelfish.")
    public static let cleandataDbUrl = SecretSetting("cleandataDbUrl", summary: "Postgres URL of the cleandata database.")
    public static let postgresUrl = SecretSetting("postgres_url", summary: "Legacy analytics DB URL (being phased out).")
    public static let hfAccessToken = SecretSetting("hfAccessToken", summary: "Hugging Face token of the annotations sink and training.")
    public static let labelStudioAccessKeyId = SecretSetting("aws.labelStudio.accessKeyId", summary: "S3 access key of Label Studio.")
    public static let labelStudioSecretAccessKey = SecretSetting("aws.labelStudio.secretAccessKey", summary: "S3 secret key of Label Studio.")

    public static let all: [AnySetting] = [
        gitRepositoryUrl.erased, gitRepositoryBranch.erased, gitRepositoryPath.erased, fluxVersion.erased, fluxChartVersion.erased,
        externalSecretsChartVersion.erased, pulumiOrganization.erased, escProject.erased, escEnvironment.erased,
        cloudflareAccountId.erased, cloudflareZoneId.erased, cloudflareTunnelId.erased, cloudflareNodeTunnelId.erased,
        cloudflareNodeTunnelHostname.erased, cloudflareNodeTunnelTarget.erased, cloudflareNodeTunnelMetricsPort.erased,
        cloudflareNodeTunnelResources.erased, cloudflareTunnelResources.erased, cloudflareTunnelRolloutToken.erased,
        tunnelHostname.erased, tunnelServiceUrl.erased, tailscaleExitNode.erased,
        crunchyBridgeHost.erased, hfDatasetRepo.erased, tritonModelName.erased,
        labelStudioBucket.erased, labelStudioRegion.erased, labelStudioEndpoint.erased,
        cloudflaredImage.erased, tailscaleImage.erased, squidImage.erased, egressDbProxyImage.erased, postgraphileImage.erased,
        csvIngestionWorkerImage.erased, lsTritonAdapterImage.erased, annotationsSinkImage.erased, trainingJobImage.erased,
        labelStudioChartVersion.erased,
        cloudflareApiToken.erased, cloudflareTunnelToken.erased, cloudflareNodeTunnelToken.erased, tailscaleAuthKey.erased,
        labelStudioDbUrl.erased, cleandataDbUrl.erased, postgresUrl.erased, hfAccessToken.erased,
        labelStudioAccessKeyId.erased, labelStudioSecretAccessKey.erased,
    ]
}
