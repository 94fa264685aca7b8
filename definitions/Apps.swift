import DSL

/// The secrets the apps namespace uses, each filled from one ESC key.
enum AppSecrets {
    /// cleandata as the CSV ingestion worker's role `csv_ingestion_worker` (its grants in
    /// `cleandata()`; never the superuser `postgres` of `cleandataDbUrl`), as fetched: the
    /// worker dials the CrunchyBridge host, which its pod maps to egress-db-proxy
    /// (`EgressDBProxy.hostAlias`).
    static let cleandataDb = SecretDeclaration("cleandata-db", from: ["url": Settings.cleandataCsvIngestionWorkerUrl])
    /// The legacy analytics database (`postgres` on the same CrunchyBridge cluster, so the same
    /// host egress-db-proxy forwards to), as fetched: the annotations sink dials that host, which
    /// its pod maps to the proxy like every other client's.
    static let legacyDb = SecretDeclaration("annotations-db", from: ["url": Settings.postgresUrl])
    /// PostGraphile's own login role `postgraphile` on cleandata (its grants in `cleandata()`),
    /// never `postgres`: ESC key `cleandataPostgraphileUrl` holds its URL
    /// (`postgresql://postgraphile:<password>@<CrunchyBridge host>:5432/cleandata?sslmode=require`).
    static let postgraphileDb = SecretDeclaration("postgraphile-db", from: ["url": Settings.cleandataPostgraphileUrl])
    /// The CrunchyBridge team's certificate authority, for clients that verify the server
    /// (docs.crunchybridge.com/api/certificate: server certificates are generated per team, so
    /// the system's public roots do not vouch for them).
    static let crunchyBridgeCA = SecretDeclaration("crunchybridge-ca", from: ["ca.crt": Settings.crunchyBridgeTeamCertificate])
    static let huggingFace = SecretDeclaration("hugging-face", from: ["token": Settings.hfAccessToken])
    /// The Access service tokens the adapter and the training Jobs send to gpu.<base>.
    static let adapterAccessToken = AccessTokens.adapter.secret()
    static let trainingAccessToken = AccessTokens.training.secret()
    /// Label Studio's database `labelfish`, from the one ESC key `labelStudioDbUrl`
    /// (`postgresql://<user>:<password>@<host>:5432/labelfish?sslmode=require`). Label Studio
    /// does not read a URL: its Django settings take `POSTGRE_NAME`, `POSTGRE_USER`,
    /// `POSTGRE_PASSWORD` (label_studio/core/settings/base.py) and its image's entrypoint
    /// `POSTGRE_SSL_MODE` (deploy/docker-entrypoint.d/common/20-wait-for-db.sh). External
    /// Secrets' template engine (Sprig's `urlParse`, `splitList`, `splitn`) derives them inside
    /// the cluster, so the password never leaves a Secret. The URL's user and password must
    /// not need percent-encoding: Sprig cannot decode it.
    static let labelStudioDb = SecretDeclaration("label-studio-db", from: ["url": Settings.labelStudioDbUrl])
        .template([
            "POSTGRE_NAME": #"{{ (urlParse .url).path | trimPrefix "/" }}"#,
            "POSTGRE_USER": #"{{ (urlParse .url).userinfo | splitList ":" | first }}"#,
            "POSTGRE_PASSWORD": #"{{ ((urlParse .url).userinfo | splitn ":" 2)._1 }}"#,
            "POSTGRE_SSL_MODE": #"{{ (urlParse .url).query | regexFind "sslmode=[^&]+" | trimPrefix "sslmode=" | default "require" }}"#,
        ])
    static let labelStudioS3 = SecretDeclaration("label-studio-s3", from: [
        "accessKeyId": Settings.labelStudioAccessKeyId, "secretAccessKey": Settings.labelStudioSecretAccessKey,
    ])

    /// One component (folder) holding the namespace's ExternalSecrets.
    static var component: Component {
        Component("app-secrets") {
            for secret in [cleandataDb, postgraphileDb, crunchyBridgeCA, legacyDb, huggingFace, labelStudioDb,
                           labelStudioS3,
                           adapterAccessToken, trainingAccessToken] { secret }
        }
    }
}

/// One of the project's Go services: a Deployment of one hardened container listening on
/// `http` with TCP probes and the egress proxy variables, and a Service on the same port;
/// `verifiesServerName` declares what its database driver does (nil: it has no database).
/// Declarations point at the caller's line.
func goService(_ name: String, container: String, image: Image, port: Int, egress: EgressGateway,
               verifiesServerName: Bool? = nil, file: String = #filePath, line: Int = #line,
               @ListBuilder<ContainerItem> env: () -> [ContainerItem]) -> (Deployment, Service) {
    let base = Container(container, image: image, file: file, line: line) {
        Port("http", port, file: file, line: line)
        env()
        egress.proxyEnv
    }
    .resources(requests: .init(cpu: "50m", memory: "64Mi"), limits: .init(cpu: "500m", memory: "256Mi"))
    .readiness(.tcp(port: "http", period: 10))
    .liveness(.tcp(port: "http", initialDelay: 10, period: 20))
    .securityContext(.restricted.with(runAsUser: 65532))
    let deployment = Deployment(name, file: file, line: line) {
        verifiesServerName.map(base.verifiesServerName) ?? base
    }
    .replicas(1)
    return (deployment, Service(selecting: deployment, file: file, line: line) { ServicePort("http", port, file: file, line: line) })
}

/// Whether the Go services' Postgres drivers verify the server with the `sslmode=require` their
/// URLs carry: they do not. Both Go drivers treat `require` as libpq does, encryption without
/// verification, unless a root certificate is given (pgx: github.com/jackc/pgx pgconn/config.go,
/// `case "require"` sets `InsecureSkipVerify` and verifies only with `sslrootcert`; lib/pq:
/// github.com/lib/pq ssl.go, `case "require"` likewise; libpq's table of modes:
/// https://www.postgresql.org/docs/current/libpq-ssl.html). The seeds do not say which of the
/// two the services link; neither verifies, so neither needs the team CA. Moving a URL to
/// `verify-full` means declaring them verifying and mounting the CA (`[untrusted-server-ca]`).
let goDriverVerifies = false

/// Go worker writing `stage.*` in cleandata, through egress-db-proxy.
func csvIngestionWorker(_ s: SettingValues) -> Component {
    let (worker, service) = goService("csv-ingestion-worker", container: "worker",
                                      image: Image(s[Settings.csvIngestionWorkerImage]), port: 8080, egress: EgressGateway(s),
                                      verifiesServerName: goDriverVerifies) {
        // The database firewall admits only the egress node: the worker dials the database's
        // own host, which its pod maps to egress-db-proxy (the one pod the NetworkPolicies let
        // out on 5432), so TLS sees the name the certificate carries.
        Env("DATABASE_URL", secret: AppSecrets.cleandataDb, key: "url")
        Env("DB_SCHEMA", "stage")
    }
    return Component("csv-ingestion-worker") {
        EgressDBProxy(s).hostAlias(worker)
        service
    }
}

/// Label Studio's ML backend: `/predict_ls` (Triton on calypso) and `/train`, which starts a
/// training Job on calypso's GPU copied from the suspended `training-template` Job.
func lsTritonAdapter(_ s: SettingValues) -> Component {
    let account = ServiceAccount("ls-triton-adapter")
    let jobs = Role("training-jobs") {
        PolicyRule(apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"])
        // The adapter reads the training template's jobTemplate (a suspended CronJob) per run.
        PolicyRule(apiGroups: ["batch"], resources: ["cronjobs"], verbs: ["get"])
        PolicyRule(apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"])
    }
    let (adapter, service) = lsTritonAdapterWorkload(s)
    return Component("ls-triton-adapter") {
        account
        jobs
        RoleBinding(role: jobs, to: [account])
        adapter.serviceAccount(account)
        service
        trainingTemplate(s)
    }
}

/// The adapter's Deployment and Service (the apps NetworkPolicy selects the Deployment).
func lsTritonAdapterWorkload(_ s: SettingValues) -> (deployment: Deployment, service: Service) {
    goService("ls-triton-adapter", container: "adapter", image: Image(s[Settings.lsTritonAdapterImage]), port: 9090,
              egress: EgressGateway(s)) {
        Env("TRAIN_ASYNC", "true")
        Env("TRAIN_DRY_RUN", "false")
        Env("TRAINING_JOB_IMAGE", s[Settings.trainingJobImage])
        Env("TRAINING_JOB_NAMESPACE", "apps")
        Env("TRAINING_JOB_TEMPLATE", "training-template")
        Env("TRITON_URL", tritonURL(s))
        Env("TRITON_MODEL_NAME", s[Settings.tritonModelName])
        // gpu.<base> is behind Access: every request sends this token's headers.
        Env.accessToken(AccessTokens.adapter)
    }
}

/// DistilBERT NER fine-tune on calypso's GPU: fetches annotations, trains, exports ONNX,
/// publishes, reloads the Triton model. A suspended CronJob, never scheduled: the adapter copies
/// its `spec.jobTemplate` into a `train-<timestamp>` Job per run (as `kubectl create job
/// --from=cronjob/training-template` does by hand). Not a suspended Job: a Job's pod template is
/// immutable (the first image change would fail the whole apps apply) and, before
/// fluxcd/pkg#1059, a suspended Job is InProgress for ever; a CronJob's jobTemplate is mutable
/// and kstatus reports it Current. Not a ConfigMap: the seed's adapter documents no template
/// file format, and a CronJob keeps the template a checked, schema-validated pod.
///
/// Publishing: Triton reloads a model from its repository's files, so the Job runs on calypso
/// and writes the new version into the repository Triton reads (`/opt/triton/models`, mounted
/// at /models; `TRITON_MODEL_REPOSITORY` names it), then reloads through gpu.<base> with its
/// Access token. The worker must write `<TRITON_MODEL_REPOSITORY>/<TRITON_MODEL_NAME>/<version>/
/// model.onnx` (the seeds' layout) before it reloads; the seeds describe the worker only as
/// "publishes to HuggingFace" and "reloads Triton", so this variable is the contract it reads.
func trainingTemplate(_ s: SettingValues) -> CronJob {
    let work = Volume.emptyDir("work")
    let models = Volume.hostPath("triton-models", path: Calypso.modelRepositoryPath, type: .directory)
    var template = CronJob("training-template", schedule: "@yearly") {
        Container("train", image: Image(s[Settings.trainingJobImage])) {
            Env("HF_TOKEN", secret: AppSecrets.huggingFace, key: "token")
            Env("HF_DATASET_REPO", s[Settings.hfDatasetRepo])
            Env("TRITON_URL", tritonURL(s))
            Env("TRITON_MODEL_NAME", s[Settings.tritonModelName])
            // Reloading the model through gpu.<base> passes Access with this token.
            Env.accessToken(AccessTokens.training)
            Env("TRITON_MODEL_REPOSITORY", "/models")
            EgressGateway(s).proxyEnv
            Mount(work, at: "/work")
            Mount(models, at: "/models")
        }
        .resources(requests: .init(cpu: "2", memory: "8Gi"), limits: .init(cpu: "8", memory: "24Gi", gpu: 1))
        work
        models
    }
    .suspend(true)
    .concurrencyPolicy(.forbid)
    .backoffLimit(1)
    .runtimeClass("nvidia")
    .pinned(to: Nodes(s).calypso)
    .publishesModels(to: Calypso(s).models)
    template.job = template.job.ttlAfterFinished(seconds: 86_400)
    return template
}

/// Triton behind Access, at the node tunnel's route (`Calypso.hostname`).
func tritonURL(_ s: SettingValues) -> String { "https://\(Calypso(s).hostname)" }

/// Label Studio webhook target: writes annotations to Postgres and the Hugging Face dataset.
func annotationsSink(_ s: SettingValues) -> Component {
    let (sink, service) = goService("annotations-sink", container: "sink", image: Image(s[Settings.annotationsSinkImage]), port: 8080,
                                    egress: EgressGateway(s), verifiesServerName: goDriverVerifies) {
        // The database's own host, mapped to egress-db-proxy by the hostAlias below.
        Env("DATABASE_URL", secret: AppSecrets.legacyDb, key: "url")
        Env("HF_TOKEN", secret: AppSecrets.huggingFace, key: "token")
        Env("HF_DATASET_REPO", s[Settings.hfDatasetRepo])
    }
    return Component("annotations-sink") {
        EgressDBProxy(s).hostAlias(sink)
        service
    }
}

/// GraphQL over the cleandata database, for review tooling.
func postgraphile(_ s: SettingValues) -> Component {
    Component("postgraphile") {
        let api = Deployment("postgraphile") {
            Container("postgraphile", image: Image(s[Settings.postgraphileImage])) {
                Port("http", 5000)
                // node-postgres treats sslmode=require as verify-full: it dials the CrunchyBridge
                // host itself, mapped to egress-db-proxy by the pod's hostAlias below.
                Env("DATABASE_URL", secret: AppSecrets.postgraphileDb, key: "url")
                // Node's TLS trusts these besides its built-in roots (nodejs.org/api/cli.html,
                // NODE_EXTRA_CA_CERTS): the team CA that signs the CrunchyBridge certificate.
                Env("NODE_EXTRA_CA_CERTS", "/etc/crunchybridge/ca.crt")
                Mount("crunchybridge-ca", at: "/etc/crunchybridge", readOnly: true)
                // Like every app: anything it fetches over HTTP(S) leaves through the gateway.
                EgressGateway(s).proxyEnv
            }
            // PostGraphile's CLI reads DATABASE_URL when --connection is not given
            // (postgraphile src/postgraphile/cli.ts), so the URL stays off the command line.
            // Its role may only read (V0002 grants SELECT): no mutations that would always fail.
            .args(["--schema", "curated,stage,label", "--host", "0.0.0.0",
                   "--port", "5000", "--enhance-graphiql", "--dynamic-json", "--no-setof-functions-contain-nulls",
                   "--disable-default-mutations"])
            .resources(requests: .init(cpu: "100m", memory: "128Mi"), limits: .init(cpu: "1", memory: "512Mi"))
            .readiness(.tcp(port: "http", period: 10))
            .liveness(.tcp(port: "http", initialDelay: 15, period: 20))
            .securityContext(.restricted.with(runAsUser: 1000))
            .verifiesServerName()
            Volume.secret("crunchybridge-ca", AppSecrets.crunchyBridgeCA)
        }
        .replicas(1)
        EgressDBProxy(s).hostAlias(api)
        Service(selecting: api) { ServicePort("http", 5000) }
    }
}

/// Label Studio from its Helm chart: database labelfish, S3 persistence, served at label.<base>.
///
/// Every variable handed to it is one it documents:
/// - the heartex `label-studio` chart's values (`global.pgConfig`, `global.extraEnvironmentVars`,
///   `global.extraEnvironmentSecrets`, `global.persistence.config.s3`, `checkConfig`), which set
///   `DJANGO_DB`, `POSTGRE_*` and `STORAGE_AWS_*` (charts repo, heartex/label-studio/templates/_helpers.tpl);
/// - `DJANGO_DB=default` selects PostgreSQL, `POSTGRE_HOST`/`POSTGRE_PORT`/`POSTGRE_NAME`/
///   `POSTGRE_USER`/`POSTGRE_PASSWORD` reach it (label_studio/core/settings/base.py); it never
///   reads `DATABASE_URL`;
/// - `LABEL_STUDIO_HOST` (label_studio/core/settings/label_studio.py, with its scheme);
/// - `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_DEFAULT_REGION` for the per-project S3
///   import/export storages (boto3's documented credential variables);
/// - `HTTP_PROXY`/`HTTPS_PROXY`/`NO_PROXY` (honoured by requests and botocore).
///
/// The database is reached like every app's: through egress-db-proxy (the only way out to
/// Postgres that the NetworkPolicies allow), so host and port are that Service's; name, user,
/// password and TLS mode come from the URL via the `label-studio-db` template.
func labelStudio(_ s: SettingValues) -> Component {
    let db = AppSecrets.labelStudioDb
    let (egress, dbProxy) = (EgressGateway(s), EgressDBProxy(s))
    func fromSecret(_ secret: SecretDeclaration, _ key: String) -> Tree { ["secretName": .string(secret.name), "secretKey": .string(key)] }
    return Component("label-studio") {
        let charts = HelmRepository("heartex", url: "https://charts.heartex.com/")
        charts
        HelmRelease("label-studio", chart: "label-studio", version: s[Settings.labelStudioChartVersion], from: charts, values: [
            "global": [
                "pgConfig": [
                    "host": .string(dbProxy.host),
                    "port": .int(dbProxy.port.port),
                    // The user and database name come from the Secret (extraEnvironmentSecrets).
                    "password": fromSecret(db, "POSTGRE_PASSWORD"),
                ],
                "extraEnvironmentVars": [
                    "DJANGO_DB": "default",
                    "LABEL_STUDIO_HOST": .string("https://\(LabelStudioChart.hostname(s))"),
                    "AWS_DEFAULT_REGION": .string(s[Settings.labelStudioRegion]),
                    "HTTP_PROXY": .string(egress.proxyURL),
                    "HTTPS_PROXY": .string(egress.proxyURL),
                    "NO_PROXY": .string(EgressGateway.noProxy),
                ],
                "extraEnvironmentSecrets": [
                    "POSTGRE_NAME": fromSecret(db, "POSTGRE_NAME"),
                    "POSTGRE_USER": fromSecret(db, "POSTGRE_USER"),
                    "POSTGRE_SSL_MODE": fromSecret(db, "POSTGRE_SSL_MODE"),
                    "AWS_ACCESS_KEY_ID": fromSecret(AppSecrets.labelStudioS3, "accessKeyId"),
                    "AWS_SECRET_ACCESS_KEY": fromSecret(AppSecrets.labelStudioS3, "secretAccessKey"),
                ],
                "persistence": [
                    "enabled": true,
                    "type": "s3",
                    "config": ["s3": [
                        "bucket": .string(s[Settings.labelStudioBucket]),
                        "region": .string(s[Settings.labelStudioRegion]),
                        "endpointUrl": .string(s[Settings.labelStudioEndpoint]),
                        "accessKeyExistingSecret": .string(AppSecrets.labelStudioS3.name),
                        "accessKeyExistingSecretKey": "accessKeyId",
                        "secretKeyExistingSecret": .string(AppSecrets.labelStudioS3.name),
                        "secretKeyExistingSecretKey": "secretAccessKey",
                    ]],
                ],
            ],
            // The chart's own check wants pgConfig.dbName and userName as plain values; they
            // come from the Secret instead, so skip that check (checkConfig.skipEnvValues).
            "checkConfig": ["skipEnvValues": true],
            "app": [
                "replicas": 1,
                "resources": ["requests": ["cpu": "250m", "memory": "600Mi"], "limits": ["cpu": "2", "memory": "2Gi"]],
                // The migrations init container and the nginx sidecar have their own (Charts.labelStudio);
                // nginx gets only its own env, so the egress proxy variables are given it too.
                "initContainer": ["resources": ["requests": ["cpu": "100m", "memory": "256Mi"], "limits": ["cpu": "1", "memory": "1Gi"]]],
                "nginx": [
                    "resources": ["requests": ["cpu": "20m", "memory": "32Mi"], "limits": ["cpu": "200m", "memory": "128Mi"]],
                    "extraEnvironmentVars": [
                        "HTTP_PROXY": .string(egress.proxyURL), "HTTPS_PROXY": .string(egress.proxyURL),
                        "NO_PROXY": .string(EgressGateway.noProxy),
                    ],
                ],
                // The Service the cluster tunnel routes label.<base> to (app-service.yaml).
                "service": ["type": "ClusterIP", "port": .int(LabelStudioChart.http.port), "portName": .string(LabelStudioChart.http.name)],
            ],
            "postgresql": ["enabled": false],
            "redis": ["enabled": false],
        ])
        .provides(LabelStudioChart.app)
        .renders(Charts.labelStudio)
    }
}

/// What the heartex chart creates that the fleet routes to: the app Service is
/// `<release>-ls-app` (templates/_helpers.tpl, `ls-app.fullname`), its port set by the values above.
enum LabelStudioChart {
    static let http = ServicePort("http", 80)
    static let app = ChartService("label-studio-ls-app", ports: [http])
    /// Label Studio's public hostname (`label.<base>`), written once: its route, the
    /// `LABEL_STUDIO_HOST` it builds links with and the storages' API URL take it from here.
    static func hostname(_ s: SettingValues) -> String { "label.\(s[Settings.cloudflareNodeTunnelHostname])" }
}

/// Every Label Studio project's S3 storages, as the old provisioner job made them: an import
/// storage (presigned blob URLs, synced once created) and an export storage, each under the
/// project's own folder of the uploads bucket. oceanid-apply reconciles them through Label
/// Studio's API at label.<base>.
func labelStudioStorages(_ s: SettingValues) -> LabelStudioStorages {
    let keyId = Settings.labelStudioAccessKeyId, secret = Settings.labelStudioSecretAccessKey
    // Seed 003: "configure bucket CORS (`https://label.boathou.se` origin, GET/PUT/POST methods) so
    // presigned URLs load correctly from the browser".
    return LabelStudioStorages(url: "https://\(LabelStudioChart.hostname(s))", apiToken: Settings.labelStudioApiKey,
                               bucketCORS: BucketCORSRule(methods: ["GET", "PUT", "POST"])) {
        S3Storage.import(title: s[Settings.labelStudioImportTitle], bucket: s[Settings.labelStudioBucket], region: s[Settings.labelStudioRegion],
                         endpoint: s[Settings.labelStudioEndpoint], prefix: s[Settings.labelStudioImportPrefix],
                         regexFilter: s[Settings.labelStudioImportRegex], accessKeyId: keyId, secretAccessKey: secret)
        S3Storage.export(title: s[Settings.labelStudioExportTitle], bucket: s[Settings.labelStudioBucket], region: s[Settings.labelStudioRegion],
                         endpoint: s[Settings.labelStudioEndpoint], prefix: s[Settings.labelStudioExportPrefix],
                         accessKeyId: keyId, secretAccessKey: secret)
    }
}
