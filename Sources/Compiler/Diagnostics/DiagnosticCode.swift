/// Stable identifiers of every diagnostic the compiler emits. Scripts and `--json`
/// consumers match on these; messages may be reworded, codes may not change.
///
/// Grouped by `area` (in `DiagnosticArea` order) and sorted within each group; every code
/// has a `defaultSeverity`, and `docs/diagnostics.md` describes each one (`DiagnosticDoc`).
public enum DiagnosticCode: String, Hashable, Sendable, Codable, CaseIterable {
    // MARK: Fleet
    case duplicateCluster = "duplicate-cluster"
    case duplicateNode = "duplicate-node"
    case duplicateNodeAddress = "duplicate-node-address"
    case duplicateObject = "duplicate-object"
    case imageNotPinned = "image-not-pinned"
    case invalidImage = "invalid-image"
    case invalidName = "invalid-name"
    case invalidPort = "invalid-port"
    case movingTagNotPulled = "moving-tag-not-pulled"
    case nodeInTwoClusters = "node-in-two-clusters"
    case unknownCluster = "unknown-cluster"
    case unknownNode = "unknown-node"
    case unrepresentableCharacter = "unrepresentable-character"

    // MARK: Kubernetes
    case conflictingPodLabel = "conflicting-pod-label"
    case duplicateComponent = "duplicate-component"
    case duplicateContainer = "duplicate-container"
    case duplicateContainerPort = "duplicate-container-port"
    case duplicateEnv = "duplicate-env"
    case duplicateKey = "duplicate-key"
    case duplicateNodePort = "duplicate-node-port"
    case duplicateServicePort = "duplicate-service-port"
    case duplicateVolume = "duplicate-volume"
    case gpuWithoutDevicePlugin = "gpu-without-device-plugin"
    case gpuWithoutGPUNode = "gpu-without-gpu-node"
    case immutableFieldWithoutForce = "immutable-field-without-force"
    case invalidAnnotation = "invalid-annotation"
    case invalidAPIVersion = "invalid-api-version"
    case invalidCIDR = "invalid-cidr"
    case invalidDataKey = "invalid-data-key"
    case invalidDirective = "invalid-directive"
    case invalidKind = "invalid-kind"
    case invalidLabel = "invalid-label"
    case invalidMount = "invalid-mount"
    case invalidNodePort = "invalid-node-port"
    case invalidProbe = "invalid-probe"
    case invalidQuantity = "invalid-quantity"
    case invalidRawBody = "invalid-raw-body"
    case invalidRBACRule = "invalid-rbac-rule"
    case invalidSchedule = "invalid-schedule"
    case invalidTimeZone = "invalid-time-zone"
    case invalidToleration = "invalid-toleration"
    case memoryInMillibytes = "memory-in-millibytes"
    case missingNamespace = "missing-namespace"
    case noContainers = "no-containers"
    case nonFiniteNumber = "non-finite-number"
    case numberOutOfRange = "number-out-of-range"
    case objectTooLarge = "object-too-large"
    case policySelectsNothing = "policy-selects-nothing"
    case requestsExceedLimits = "requests-exceed-limits"
    case reservedBodyKey = "reserved-body-key"
    case rewrittenServerName = "rewritten-server-name"
    case selectorMatchesNothing = "selector-matches-nothing"
    case targetPortNotExposed = "target-port-not-exposed"
    case undeclaredConfigMap = "undeclared-config-map"
    case undeclaredNamespace = "undeclared-namespace"
    case undeclaredRole = "undeclared-role"
    case undeclaredSecret = "undeclared-secret"
    case undeclaredServiceAccount = "undeclared-service-account"
    case unknownConfigMapKey = "unknown-config-map-key"
    case unknownProbePort = "unknown-probe-port"
    case unknownSecretKey = "unknown-secret-key"
    case unknownVolume = "unknown-volume"
    case unlistedPolicyType = "unlisted-policy-type"
    case unreachableAddress = "unreachable-address"
    case unreadableLog = "unreadable-log"
    case unsupportedValue = "unsupported-value"
    case untrustedServerCA = "untrusted-server-ca"
    case unwritableLog = "unwritable-log"

    // MARK: Flux
    case chartAppVersionMismatch = "chart-app-version-mismatch"
    case danglingDependsOn = "dangling-depends-on"
    case danglingSourceRef = "dangling-source-ref"
    case dependencyCycle = "dependency-cycle"
    case duplicateKustomizePath = "duplicate-kustomize-path"
    case healthChecksIgnored = "health-checks-ignored"
    case invalidChartReference = "invalid-chart-reference"
    case invalidDuration = "invalid-duration"
    case invalidFluxPin = "invalid-flux-pin"
    case invalidSourceURL = "invalid-source-url"
    case missingKustomizePath = "missing-kustomize-path"
    case neverReady = "never-ready"
    case uncheckedDependency = "unchecked-dependency"
    case undescribedChart = "undescribed-chart"
    case unknownChartRelease = "unknown-chart-release"
    case unknownHealthCheck = "unknown-health-check"
    case unknownLayer = "unknown-layer"

    // MARK: Secrets
    case secretInDefinition = "secret-in-definition"
    case undeclaredESCKey = "undeclared-esc-key"
    case undeclaredSecretStore = "undeclared-secret-store"
    case unknownTemplateKey = "unknown-template-key"

    // MARK: Settings
    case duplicateSetting = "duplicate-setting"
    case invalidSetting = "invalid-setting"
    case inventedDefault = "invented-default"
    case missingSetting = "missing-setting"
    case placeholderSetting = "placeholder-setting"
    case unknownSetting = "unknown-setting"

    // MARK: Edge
    case accessPolicyOnPublicRoute = "access-policy-on-public-route"
    case accessTokenMissing = "access-token-missing"
    case accessWithoutRoute = "access-without-route"
    case duplicateDNSRecord = "duplicate-dns-record"
    case hostNetworkListensOnAllAddresses = "host-network-listens-on-all-addresses"
    case hostnameOutsideZone = "hostname-outside-zone"
    case ignoredWarpRouting = "ignored-warp-routing"
    case invalidAccessPolicy = "invalid-access-policy"
    case invalidCloudflareID = "invalid-cloudflare-id"
    case invalidDNSRecord = "invalid-dns-record"
    case invalidHostname = "invalid-hostname"
    case invalidIngressService = "invalid-ingress-service"
    case invalidOriginRequest = "invalid-origin-request"
    case invalidPathRegex = "invalid-path-regex"
    case invalidPrivateRoute = "invalid-private-route"
    case misplacedCatchAll = "misplaced-catch-all"
    case shadowedIngressRule = "shadowed-ingress-rule"
    case sharedLocalTunnel = "shared-local-tunnel"
    case undeclaredServiceToken = "undeclared-service-token"
    case unknownRouteTarget = "unknown-route-target"
    case unprotectedHostname = "unprotected-hostname"
    case unroutedHostname = "unrouted-hostname"
    case wrongTunnelTarget = "wrong-tunnel-target"

    // MARK: Host
    case hostPortConflict = "host-port-conflict"
    case invalidHostCommand = "invalid-host-command"
    case invalidRestartPolicy = "invalid-restart-policy"
    case invalidUnitDependency = "invalid-unit-dependency"

    // MARK: Database
    case baselineChangedAfterAdoption = "baseline-changed-after-adoption"
    case declaredInApplicationDatabase = "declared-in-application-database"
    case destructiveChange = "destructive-change"
    case firewallAdmitsNothing = "firewall-admits-nothing"
    case invalidFirewallNetwork = "invalid-firewall-network"
    case invalidFirewallSource = "invalid-firewall-source"
    case invalidMigration = "invalid-migration"
    case invalidSchema = "invalid-schema"
    case lockingChange = "locking-change"
    case missingSchemaGrant = "missing-schema-grant"
    case networkFacingSuperuser = "network-facing-superuser"
    case staleHint = "stale-hint"
    case undeclaredURLRole = "undeclared-url-role"

    // MARK: Application
    case bucketCORSMissing = "bucket-cors-missing"
    case emptyModelRepository = "empty-model-repository"
    case invalidApplicationURL = "invalid-application-url"
    case invalidBucketCORS = "invalid-bucket-cors"
    case invalidLabelStudioStorage = "invalid-label-studio-storage"
    case invalidModelName = "invalid-model-name"
    case modelNotLoadedAtStart = "model-not-loaded-at-start"
    case modelServerExitsOnLoadError = "model-server-exits-on-load-error"
    case modelServerNotReadyWhileOneFails = "model-server-not-ready-while-one-fails"
    case unreachableModelRepository = "unreachable-model-repository"

    // MARK: Output
    case duplicateOutputPath = "duplicate-output-path"
    case secretInOutput = "secret-in-output"

    // MARK: Guardrail
    case guardrail = "guardrail"
}

/// The part of the fleet a diagnostic is about: `docs/diagnostics.md` has one section for
/// each, in this order.
public enum DiagnosticArea: String, Hashable, Sendable, Codable, CaseIterable {
    case fleet, kubernetes, flux, secrets, settings, edge, host, database, application, output, guardrail

    /// The section's heading.
    public var title: String {
        switch self {
        case .fleet: "Fleet"
        case .kubernetes: "Kubernetes objects"
        case .flux: "Flux"
        case .secrets: "Secrets"
        case .settings: "Settings"
        case .edge: "Edge: Cloudflare zone, tunnels, DNS and Access"
        case .host: "Hosts"
        case .database: "Databases"
        case .application: "Applications: Label Studio and Triton"
        case .output: "Output"
        case .guardrail: "Guardrails"
        }
    }

    /// One sentence on what the section's checks look at.
    public var summary: String {
        switch self {
        case .fleet: "Names, duplicates, nodes, clusters and images: what every part of the fleet declares."
        case .kubernetes: "The objects of each cluster, checked as the API server would check them."
        case .flux: "The Flux layers, Kustomizations, sources and the bootstrap's pins."
        case .secrets: "Secret values stay in Pulumi ESC: definitions name keys, never values."
        case .settings: "`settings.yaml` overrides and the settings the fleet declares."
        case .edge: "Cloudflare: the zone, its tunnels and their ingress rules, DNS records, Access policies."
        case .host: "Host services (systemd units and Docker containers) and the ports they take."
        case .database: "Database schemas, their migrations and the database firewall."
        case .application: "What `oceanid-apply` reconciles inside applications: Label Studio storages, Triton models."
        case .output: "The generated files as a whole."
        case .guardrail: "The fleet's guardrails (`policy/guardrails.rego`)."
        }
    }
}

extension DiagnosticCode {
    /// The anchor of the code's row in `docs/diagnostics.md` (`code-unknown-node`), which the docs
    /// emitter writes and a SARIF rule's help link points at.
    public var docsAnchor: String { "code-" + rawValue }

    /// The part of the fleet this code is about.
    public var area: DiagnosticArea {
        switch self {
        case .duplicateCluster, .duplicateNode, .duplicateNodeAddress, .duplicateObject, .imageNotPinned, .invalidImage,
            .invalidName, .invalidPort, .movingTagNotPulled, .nodeInTwoClusters, .unknownCluster, .unknownNode,
            .unrepresentableCharacter:
            .fleet
        case .conflictingPodLabel, .duplicateComponent, .duplicateContainer, .duplicateContainerPort, .duplicateEnv,
            .duplicateKey, .duplicateNodePort, .duplicateServicePort, .duplicateVolume, .gpuWithoutDevicePlugin,
            .gpuWithoutGPUNode, .immutableFieldWithoutForce,
            .invalidAnnotation, .invalidAPIVersion, .invalidCIDR, .invalidDataKey, .invalidDirective, .invalidKind,
            .invalidLabel, .invalidMount, .invalidNodePort, .invalidProbe, .invalidQuantity, .invalidRawBody,
            .invalidRBACRule, .invalidSchedule, .invalidTimeZone, .invalidToleration, .memoryInMillibytes,
            .missingNamespace, .noContainers, .nonFiniteNumber, .numberOutOfRange, .objectTooLarge,
            .policySelectsNothing, .requestsExceedLimits, .reservedBodyKey, .rewrittenServerName,
            .selectorMatchesNothing, .targetPortNotExposed, .undeclaredConfigMap, .undeclaredNamespace, .undeclaredRole,
            .undeclaredSecret, .undeclaredServiceAccount, .unknownConfigMapKey, .unknownProbePort, .unknownSecretKey,
            .unknownVolume, .unlistedPolicyType, .unreachableAddress, .untrustedServerCA, .unreadableLog,
            .unsupportedValue, .unwritableLog:
            .kubernetes
        case .chartAppVersionMismatch, .danglingDependsOn, .danglingSourceRef, .dependencyCycle,
            .duplicateKustomizePath, .healthChecksIgnored, .invalidChartReference, .invalidDuration, .invalidFluxPin,
            .invalidSourceURL, .missingKustomizePath, .neverReady, .uncheckedDependency, .undescribedChart,
            .unknownChartRelease, .unknownHealthCheck, .unknownLayer:
            .flux
        case .secretInDefinition, .undeclaredESCKey, .undeclaredSecretStore, .unknownTemplateKey:
            .secrets
        case .duplicateSetting, .invalidSetting, .inventedDefault, .missingSetting, .placeholderSetting,
            .unknownSetting:
            .settings
        case .accessPolicyOnPublicRoute, .accessTokenMissing, .accessWithoutRoute, .duplicateDNSRecord,
            .hostnameOutsideZone, .hostNetworkListensOnAllAddresses, .sharedLocalTunnel, .ignoredWarpRouting,
            .invalidPrivateRoute,
            .invalidAccessPolicy, .invalidCloudflareID, .invalidDNSRecord, .invalidHostname, .invalidIngressService,
            .invalidOriginRequest, .invalidPathRegex, .misplacedCatchAll, .shadowedIngressRule,
            .undeclaredServiceToken, .unknownRouteTarget, .unprotectedHostname, .unroutedHostname, .wrongTunnelTarget:
            .edge
        case .hostPortConflict, .invalidHostCommand, .invalidRestartPolicy, .invalidUnitDependency:
            .host
        case .baselineChangedAfterAdoption, .declaredInApplicationDatabase, .destructiveChange, .firewallAdmitsNothing,
            .invalidFirewallNetwork,
            .invalidFirewallSource, .invalidMigration, .invalidSchema, .lockingChange, .missingSchemaGrant,
            .networkFacingSuperuser, .staleHint, .undeclaredURLRole:
            .database
        case .bucketCORSMissing, .emptyModelRepository, .invalidApplicationURL, .invalidBucketCORS,
            .invalidLabelStudioStorage, .invalidModelName,
            .modelNotLoadedAtStart, .modelServerExitsOnLoadError, .modelServerNotReadyWhileOneFails,
            .unreachableModelRepository:
            .application
        case .duplicateOutputPath, .secretInOutput:
            .output
        case .guardrail:
            .guardrail
        }
    }

    /// The severity a diagnostic of this code has unless its factory says otherwise: a
    /// warning where the build can still be deployed, an error everywhere else.
    public var defaultSeverity: Diagnostic.Severity {
        switch self {
        case .bucketCORSMissing, .hostNetworkListensOnAllAddresses, .ignoredWarpRouting, .inventedDefault,
            .memoryInMillibytes, .placeholderSetting, .policySelectsNothing, .staleHint, .undescribedChart,
            .unreadableLog, .unroutedHostname:
            .warning
        default: .error
        }
    }
}
