import DSL

/// Every input of the fleet. Non-secret settings carry defaults, each with its `source:`; secret
/// ones are only names of keys in the Pulumi ESC environment `default/oceanid-cluster`.
/// Override non-secret ones in settings.yaml at the repository root.
///
/// Each setting is a stored property, so `Settings.all` is derived from this declaration
/// (by reflection, in declaration order): a setting cannot be declared and left out of it.
public let Settings = FleetSettings()

public struct FleetSettings: SettingsRegistry {
    // MARK: Flux
    public let gitRepositoryUrl = Setting("gitRepositoryUrl", default: "https://github.com/goldfish-inc/oceanid",
                                                 summary: "Git repository watched by Flux.",
        source: .seed("README: \"Git repository watched by Flux (default: this repo)\", goldfish-inc/oceanid"))
    public let gitRepositoryBranch = Setting("gitRepositoryBranch", default: "main", summary: "Branch Flux reconciles.",
        source: .seed("README: \"Branch Flux reconciles (default: `main`)\""))
    public let gitRepositoryPath = Setting("gitRepositoryPath", default: "clusters/tethys",
                                                  summary: "Path within the repository holding the cluster's kustomizations.",
        source: .seed("README: \"Path within the repo containing the kustomizations (default: `clusters/tethys`)\""))
    public let fluxVersion = Setting("fluxVersion", default: "v2.8.5",
                                     summary: "Flux release the controllers run: the flux2 chart's appVersion (ChartRelease.flux2).",
        source: .upstream("https://github.com/fluxcd-community/helm-charts/blob/flux2-2.18.3/charts/flux2/Chart.yaml (appVersion)"))
    public let fluxChartVersion = Setting("fluxChartVersion", default: "2.18.3",
                                                 summary: "fluxcd-community flux2 Helm chart version used by the bootstrap.",
        source: .upstream("https://github.com/fluxcd-community/helm-charts/tree/flux2-2.18.3/charts/flux2 (newest flux2 chart read)"))
    public let externalSecretsChartVersion = Setting("externalSecretsChartVersion", default: "2.9.0",
                                                            summary: "External Secrets Operator Helm chart version.",
        source: .upstream("https://github.com/external-secrets/external-secrets/blob/main/deploy/charts/external-secrets/Chart.yaml"))

    // MARK: Nodes (K3s names each node after its host name; check with `kubectl get nodes`)
    public let controlPlaneNodeName = Setting("controlPlaneNodeName", default: "srv712429",
                                              summary: "Host name (kubernetes.io/hostname) of the K3s server, SSH alias tethys; the egress gateway, DB proxy and Tailscale router are pinned to it.",
        source: .seed("docs/datastores: \"the egress gateway pod (SNAT + proxy) on `srv712429`\""))
    public let controlPlaneAddress = Setting("controlPlaneAddress", default: "157.173.210.123",
                                             summary: "Address K3s registers the control plane under (its INTERNAL-IP in `kubectl get nodes -o wide`, the endpoint of `kubectl get endpoints kubernetes`); the API server listens there on 6443. On srv712429 it is the public address.",
        source: .seed("docs/datastores: \"`157.173.210.123/32` (srv712429 public IP)\""))
    public let gpuNodeName = Setting("gpuNodeName", default: "calypso",
                                     summary: "Host name (kubernetes.io/hostname) of the GPU workstation that runs training Jobs, Triton and the host connector.",
        source: .seed("README: \"Triton on Calypso\"; `ssh calypso`"))
    public let workerNodeName = Setting("workerNodeName", default: "srv712695",
                                        summary: "Host name (kubernetes.io/hostname) of the K3s worker.",
        source: .seed("docs/datastores: \"191.101.1.3/32 for srv712695\""))

    // MARK: Pulumi ESC (secret store)
    public let pulumiOrganization = Setting("pulumiOrganization", default: "ryan-taylor",
                                                   summary: "Pulumi organization owning the ESC environment.",
        source: .seed("README: \"pulumi stack select ryan-taylor/oceanid-cluster/prod\""))
    public let escProject = Setting("escProject", default: "default", summary: "ESC project (default/oceanid-cluster).",
        source: .seed("README: \"Populate the `default/oceanid-cluster` environment\""))
    public let escEnvironment = Setting("escEnvironment", default: "oceanid-cluster",
                                               summary: "ESC environment holding the secrets.",
        source: .seed("README: \"Populate the `default/oceanid-cluster` environment\""))

    // MARK: Cloudflare
    // The IDs are not in the seeds: the all-zero placeholders keep the tree buildable and are
    // reported as a warning until settings.yaml sets the real ones.
    public let cloudflareAccountId = Setting("cloudflareAccountId", default: "00000000000000000000000000000000",
                                                    summary: "Cloudflare account that owns the tunnels (32 hex digits).",
        source: .placeholder("not in the seeds"))
    public let cloudflareZoneId = Setting("cloudflareZoneId", default: "00000000000000000000000000000000",
                                          summary: "Cloudflare zone where records are created (32 hex digits).",
        source: .placeholder("not in the seeds"))
    public let cloudflareTunnelId = Setting("cloudflareTunnelId", default: "00000000-0000-0000-0000-000000000000",
                                            summary: "UUID of the cluster tunnel.",
        source: .placeholder("not in the seeds"))
    public let cloudflareNodeTunnelId = Setting("cloudflareNodeTunnelId", default: "00000000-0000-0000-0000-000000000000",
                                                       summary: "UUID of the node tunnel, calypso's host connector (cloudflared-node.service; its credentials file is copied by hand).",
        source: .placeholder("not in the seeds"))
    public let cloudflareNodeTunnelsId = Setting("cloudflareNodeTunnelsId", default: "00000000-0000-0000-0000-000000000000",
                                                        summary: "UUID of the node-tunnels DaemonSet's own tunnel (private routing, no public hostname; its token is cloudflareNodeTunnelsToken).",
        source: .placeholder("not in the seeds"))
    public let cloudflareNodeTunnelHostname = Setting("cloudflareNodeTunnelHostname", default: "boathou.se",
                                                             summary: "Base domain for node tunnel routes.",
        source: .seed("docs/datastores: \"`https://label.boathou.se` origin\""))
    public let cloudflareNodeTunnelTarget = Setting("cloudflareNodeTunnelTarget", default: "",
                                                           summary: "CNAME target of the node tunnel's hostnames when spelled differently; empty means <cloudflareNodeTunnelId>.cfargotunnel.com, and any value must still name that tunnel.",
        source: .designed("empty: derived from cloudflareNodeTunnelId"))
    public let cloudflareNodeTunnelMetricsPort = Setting("cloudflareNodeTunnelMetricsPort", default: 2200,
                                                                summary: "Metrics port of the node tunnel DaemonSet.",
        source: .seed("README: \"metrics port for the node tunnel DaemonSet; defaults to `2200`\""))
    public let cloudflareNodeTunnelResources = Setting(
        "cloudflareNodeTunnelResources",
        default: Resources(requests: .init(cpu: "100m", memory: "128Mi"), limits: .init(cpu: "500m", memory: "256Mi")),
        summary: "Partial JSON override of the node tunnel container's requests/limits.",
        source: .designed("sized here for one cloudflared; the guardrails require requests and limits"))
    public let cloudflareTunnelResources = Setting(
        "cloudflareTunnelResources",
        default: Resources(requests: .init(cpu: "200m", memory: "256Mi"), limits: .init(cpu: "500m", memory: "512Mi")),
        summary: "Partial JSON override of the cluster tunnel container's requests/limits.",
        source: .designed("sized here for one cloudflared; the guardrails require requests and limits"))
    public let cloudflareTunnelRolloutToken = Setting("cloudflareTunnelRolloutToken", default: "1",
                                                             summary: "Bump to roll the cluster tunnel (pod annotation oceanid.dev/rollout-token).",
        source: .designed("any value; README: \"bumping the pod template annotation `oceanid.dev/rollout-token`\""))
    public let tunnelHostname = Setting("tunnelHostname", default: "tethys.boathou.se",
                                               summary: "FQDN routed through the cluster tunnel.",
        source: .seed("README: \"FQDN routed through the tunnel (e.g. `tethys.boathou.se`)\""))
    public let accessOperatorEmails = Setting("accessOperatorEmails", default: "",
                                              summary: "Comma-separated e-mail addresses Access admits to the tunnel hostname (the Kubernetes API), besides the 'operators' service token.",
        source: .designed("empty: only the operators service token is admitted"))
    public let enableCalypsoHostConnector = Setting("enableCalypsoHostConnector", default: true,
                                                    summary: "Run cloudflared and Triton on calypso by systemd and route gpu.<base> to Triton; false: no host files and no route.",
        source: .seed("README: \"`enableCalypsoHostConnector=true`\""))
    public let tritonImage = Setting("tritonImage", default: "nvcr.io/nvidia/tritonserver:24.08-py3",
                                     summary: "Triton Inference Server image run on calypso (a pinned tag).",
        source: .upstream("https://catalog.ngc.nvidia.com/orgs/nvidia/containers/tritonserver/tags"))
    public let tunnelServiceUrl = Setting("tunnelServiceUrl", default: "",
                                                 summary: "Internal endpoint reached behind the tunnel (the K3s API); empty: the API server at controlPlaneAddress, https://<controlPlaneAddress>:6443.",
        source: .designed("empty: derived from controlPlaneAddress, so the policy and the tunnel name one address"))

    // MARK: Tailscale
    public let tailscaleExitNode = Setting("tailscaleExitNode", default: false,
                                                  summary: "Also advertise the router as a Tailscale exit node.",
        source: .designed("off: README says the router \"can act as an exit node\", an opt-in"))

    // MARK: Databases and data
    public let crunchyBridgeHost = Setting("crunchyBridgeHost", default: "p.3x4xvkn3xza2zjwiklcuonpamy.db.postgresbridge.com",
                                                  summary: "CrunchyBridge cluster host the egress DB proxy forwards to.",
        source: .seed("docs/datastores: \"Single CrunchyBridge cluster: `p.3x4xvkn3xza2zjwiklcuonpamy...`\""))
    public let crunchyBridgeNetworkId = Setting("crunchyBridgeNetworkId", default: "ooer7tenangenjelkxbkgz6sdi",
                                                summary: "CrunchyBridge network whose firewall admits only the egress node.",
        source: .seed("docs/datastores: \"`ebisu-network` (ID: `ooer7tenangenjelkxbkgz6sdi`)\""))
    public let migrationLockTimeout = Setting("migrationLockTimeout", default: "10s",
                                              summary: "lock_timeout every generated migration of cleandata sets (<number>ms|s|min|h): a lock it waits for longer fails it, instead of queueing every query behind it.",
        source: .designed("short enough that a blocked migration fails before the queries queued behind it time out"))
    public let migrationStatementTimeout = Setting("migrationStatementTimeout", default: "15min",
                                                   summary: "statement_timeout every generated migration of cleandata sets (<number>ms|s|min|h).",
        source: .designed("long enough for an index build on cleandata's tables, short enough to end a runaway statement"))
    public let hfDatasetRepo = Setting("hfDatasetRepo", default: "goldfish-inc/oceanid-annotations",
                                              summary: "Hugging Face dataset the annotations sink appends to.",
        source: .invented("docs/datastores names the key `hfDatasetRepo`, never its value"))
    public let tritonModelName = Setting("tritonModelName", default: "ner-distilbert",
                                                summary: "Model the adapter queries and training reloads in Triton.",
        source: .invented("the seed's training example writes ./models/ner-distilbert; no Triton model name is stated"))
    public let tritonPdfModelName = Setting("tritonPdfModelName", default: "docling_granite_python",
                                                   summary: "Triton Python model the adapter routes PDF tasks to (the seed's Docling-Granite).",
        source: .seed("README: \"routes to `docling_granite_python`\""))
    public let labelStudioBucket = Setting("aws.labelStudio.bucketName", default: "labelstudio-goldfish-uploads",
                                                  summary: "S3 bucket of Label Studio's uploads.",
        source: .seed("docs/datastores: \"Bucket: `labelstudio-goldfish-uploads`\""))
    public let labelStudioRegion = Setting("aws.labelStudio.region", default: "us-east-1", summary: "Region of that bucket.",
        source: .invented("AWS's first region; docs/datastores names the key, never its value"))
    public let labelStudioEndpoint = Setting("aws.labelStudio.endpoint", default: "",
                                                    summary: "S3-compatible endpoint; empty for AWS.",
        source: .designed("empty: AWS S3 itself"))
    public let labelStudioImportPrefix = Setting("aws.labelStudio.importPrefix", default: "raw-uploads",
                                                 summary: "Base path of every project's import storage; {project} and {project_id} expand, else /<slug>-<id>/import/ is appended.",
        source: .seed("docs/datastores: \"`raw-uploads/ner-data-123/import/` for uploads\""))
    public let labelStudioExportPrefix = Setting("aws.labelStudio.exportPrefix", default: "annotations",
                                                 summary: "Base path of every project's export storage; as importPrefix, with /<slug>-<id>/export/.",
        source: .seed("docs/datastores: \"`annotations/ner-data-123/export/` for completed labels\""))
    public let labelStudioImportRegex = Setting("aws.labelStudio.importRegex", default: "",
                                                summary: "Regular expression object keys must match to become tasks; empty for every object.",
        source: .designed("empty: every object becomes a task"))
    public let labelStudioImportTitle = Setting("aws.labelStudio.importTitle", default: "S3 import",
                                                summary: "Title of each project's import storage.",
        source: .designed("a title chosen here (docs/datastores names only the key)"))
    public let labelStudioExportTitle = Setting("aws.labelStudio.exportTitle", default: "S3 export",
                                                summary: "Title of each project's export storage.",
        source: .designed("a title chosen here (docs/datastores names only the key)"))

    // MARK: Images and charts
    public let cloudflaredImage = Setting("cloudflaredImage", default: "cloudflare/cloudflared:2025.9.1",
                                                 summary: "cloudflared image of both tunnels.",
        source: .upstream("https://github.com/cloudflare/cloudflared/releases/tag/2025.9.1"))
    public let tailscaleImage = Setting("tailscaleImage", default: "tailscale/tailscale:v1.88.2",
                                               summary: "Tailscale subnet router image.",
        source: .upstream("https://github.com/tailscale/tailscale/releases/tag/v1.88.2"))
    public let squidImage = Setting("squidImage", default: "ubuntu/squid:6.6-24.04_beta", summary: "Egress gateway proxy image.",
        source: .upstream("https://hub.docker.com/r/ubuntu/squid/tags"))
    public let egressDbProxyImage = Setting("egressDbProxyImage", default: "alpine/socat:1.8.0.1",
                                                   summary: "TCP proxy image of egress-db-proxy.",
        source: .upstream("https://hub.docker.com/r/alpine/socat/tags"))
    public let postgraphileImage = Setting("postgraphileImage", default: "graphile/postgraphile:4.14.0",
                                                  summary: "PostGraphile image.",
        source: .upstream("https://github.com/graphile/postgraphile/releases/tag/v4.14.0"))
    public let csvIngestionWorkerImage = Setting("csvIngestionWorkerImage",
                                                        default: "ghcr.io/goldfish-inc/oceanid/csv-ingestion-worker:main",
                                                        summary: "CSV ingestion worker image.",
        source: .seed("README: \"Container: `ghcr.io/goldfish-inc/oceanid/training-worker:main`\", the same scheme"))
    public let lsTritonAdapterImage = Setting("lsTritonAdapterImage", default: "ghcr.io/goldfish-inc/oceanid/ls-triton-adapter:main",
                                                     summary: "Label Studio ↔ Triton adapter image.",
        source: .seed("README: \"Container: `ghcr.io/goldfish-inc/oceanid/training-worker:main`\", the same scheme"))
    public let annotationsSinkImage = Setting("annotationsSinkImage", default: "ghcr.io/goldfish-inc/oceanid/annotations-sink:main",
                                                     summary: "Annotations sink image.",
        source: .seed("README: \"Container: `ghcr.io/goldfish-inc/oceanid/training-worker:main`\", the same scheme"))
    public let trainingJobImage = Setting("trainingJobImage", default: "ghcr.io/goldfish-inc/oceanid/training-worker:main",
                                                 summary: "Training worker image (TRAINING_JOB_IMAGE).",
        source: .seed("README: \"Container: `ghcr.io/goldfish-inc/oceanid/training-worker:main`\""))
    public let nvidiaDevicePluginChartVersion = Setting("nvidiaDevicePluginChartVersion", default: "0.20.0",
                                                        summary: "NVIDIA k8s-device-plugin Helm chart version (advertises nvidia.com/gpu).",
        source: .upstream("https://github.com/NVIDIA/k8s-device-plugin/releases/tag/v0.20.0"))
    public let labelStudioChartVersion = Setting("labelStudioChartVersion", default: "2.0.5",
                                                        summary: "heartex label-studio Helm chart version.",
        source: .upstream("https://github.com/HumanSignal/charts/blob/master/heartex/label-studio/Chart.yaml (2.0.5, appVersion 1.23.0, the newest)"))

    // MARK: Secrets (ESC keys; values never enter git)
    public let cloudflareApiToken = SecretSetting("cloudflareApiToken", summary: "API token with DNS + tunnel permissions.")
    public let cloudflareTunnelToken = SecretSetting("cloudflareTunnelToken", summary: "Token of the cluster tunnel.")
    public let cloudflareNodeTunnelsToken = SecretSetting("cloudflareNodeTunnelsToken", summary: "Token of the node-tunnels DaemonSet's tunnel (`cloudflared tunnel token <cloudflareNodeTunnelsId>`); not the node tunnel's credentials.")
    public let tailscaleAuthKey = SecretSetting("tailscaleAuthKey", summary: "Auth key of the Tailscale subnet router.")
    public let labelStudioDbUrl = SecretSetting("labelStudioDbUrl", summary: "Postgres URL of Label Studio's database labelfish.")
    public let crunchyBridgeApiKey = SecretSetting("crunchyBridgeApiKey", summary: "CrunchyBridge API key of the applier (BRIDGE_TOKEN).")
    public let crunchyBridgeTeamCertificate = SecretSetting("crunchyBridgeTeamCertificate", summary: "PEM of the CrunchyBridge team's certificate authority (Bridge generates server certificates per team): what verifying clients trust.")
    public let cleandataDbUrl = SecretSetting("cleandataDbUrl", summary: "Postgres URL of the cleandata database as its superuser postgres (migrations only).")
    public let cleandataCsvIngestionWorkerUrl = SecretSetting("cleandataCsvIngestionWorkerUrl", summary: "Postgres URL of cleandata as the CSV ingestion worker's role csv_ingestion_worker.")
    public let cleandataPostgraphileUrl = SecretSetting("cleandataPostgraphileUrl", summary: "Postgres URL of cleandata as PostGraphile's role postgraphile.")
    public let postgresUrl = SecretSetting("postgres_url", summary: "Legacy analytics DB URL (being phased out).")
    public let hfAccessToken = SecretSetting("hfAccessToken", summary: "Hugging Face token of the annotations sink and training.")
    public let labelStudioAccessKeyId = SecretSetting("aws.labelStudio.accessKeyId", summary: "S3 access key of Label Studio.")
    public let labelStudioSecretAccessKey = SecretSetting("aws.labelStudio.secretAccessKey", summary: "S3 secret key of Label Studio.")
    public let labelStudioApiKey = SecretSetting("labelStudioApiKey",
                                                 summary: "Label Studio API token the applier manages storages with (LABEL_STUDIO_API_KEY).")

    // MARK: Access service tokens (client ID and secret of each, sent as CF-Access-Client-Id/-Secret)
    public let accessTokenTrainingPipelineClientId = SecretSetting("accessTokenTrainingPipelineClientId",
                                                                   summary: "Client ID of the training-pipeline Access service token.")
    public let accessTokenTrainingPipelineClientSecret = SecretSetting("accessTokenTrainingPipelineClientSecret",
                                                                       summary: "Client secret of the training-pipeline Access service token.")
    public let accessTokenLsTritonAdapterClientId = SecretSetting("accessTokenLsTritonAdapterClientId",
                                                                  summary: "Client ID of the ls-triton-adapter Access service token.")
    public let accessTokenLsTritonAdapterClientSecret = SecretSetting("accessTokenLsTritonAdapterClientSecret",
                                                                      summary: "Client secret of the ls-triton-adapter Access service token.")
    public let accessTokenOperatorsClientId = SecretSetting("accessTokenOperatorsClientId",
                                                            summary: "Client ID of the operators Access service token (CF_ACCESS_CLIENT_ID of oceanid-apply and curl).")
    public let accessTokenOperatorsClientSecret = SecretSetting("accessTokenOperatorsClientSecret",
                                                                summary: "Client secret of the operators Access service token (CF_ACCESS_CLIENT_SECRET).")
}
