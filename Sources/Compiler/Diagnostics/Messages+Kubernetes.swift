import DSL

/// Kubernetes fields whose values the API server validates (`APIValueChecks`,
/// `WorkloadChecks`, `PodChecks`, `MetadataChecks`, `ObjectChecks`); the older factories of
/// this area are in `Messages.swift`.
extension Diagnostic {
    /// "`owner` `field` is `value`; it must be `rule`": a number outside its bounds, under `code`.
    static func outOfRange(
        _ code: DiagnosticCode, _ field: String, of owner: String, value: Int, rule: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(code, "\(owner) \(field) is \(value); it must be \(rule)", at: loc, subject: String(value))
    }

    // MARK: Nodes and GPUs

    /// Two nodes of one cluster with one host name: K3s registers a node under its host name
    /// (`kubernetes.io/hostname`), so both declarations describe one machine.
    static func duplicateNodeName(_ name: String, at loc: SourceLocation, first: SourceLocation) -> Diagnostic {
        Diagnostic(
            .duplicateNode,
            "duplicate node '\(name)': K3s names a node after its host name, so two declarations of "
                + "'\(name)' are one machine; declare it once (with every role it has), or correct the host name",
            at: loc, notes: [.init("'\(name)' is first declared here", at: first)], subject: name)
    }

    /// One machine as a node of two clusters (the same `Node` declaration, or one public IP): a
    /// K3s agent registers with the one server its `--server` URL names
    /// (https://docs.k3s.io/reference/agent-config, "--server"), so a machine is a node of one
    /// cluster. `why` says how the two are one machine; `loc` is the later cluster's side (its
    /// declaration, or the cluster listing the shared declaration), `first` the other's.
    static func nodeInTwoClusters(
        _ name: String, cluster: String, other: String, why: String, at loc: SourceLocation,
        first: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .nodeInTwoClusters,
            "node '\(name)' of cluster '\(cluster)' is a machine of cluster '\(other)' (\(why)): a K3s node joins "
                + "one cluster, whose server its agent registers with; give '\(cluster)' nodes of its own",
            at: loc, notes: [.init("'\(name)' is declared here, a node of cluster '\(other)'", at: first)],
            subject: name)
    }

    /// Two nodes with one public IP: one machine declared twice under two names (the seeds'
    /// "srv712429 public IP" and "the control plane's public address" are the same host).
    static func duplicateNodeAddress(
        _ ip: String, node: String, other: String, at loc: SourceLocation, first: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .duplicateNodeAddress,
            "node '\(node)' has public IP \(ip), which node '\(other)' already has: one machine is one node; "
                + "merge the two declarations into one under the host name K3s registers (`kubectl get nodes`), "
                + "or correct the address",
            at: loc, notes: [.init("node '\(other)' declares \(ip) here", at: first)], subject: ip)
    }

    /// A container requests `nvidia.com/gpu` in a cluster where nothing advertises it: only
    /// NVIDIA's device plugin does, so the pod stays Pending ("Insufficient nvidia.com/gpu").
    static func gpuWithoutDevicePlugin(
        container: String, workload: String, cluster: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .gpuWithoutDevicePlugin,
            "container '\(container)' of '\(workload)' requests nvidia.com/gpu, but cluster '\(cluster)' runs no "
                + "NVIDIA device plugin to advertise it, so the pod never schedules; declare one: "
                + "HelmRelease(chart: \"nvidia-device-plugin\") from https://nvidia.github.io/k8s-device-plugin "
                + "with values runtimeClassName: nvidia",
            at: loc, subject: "nvidia.com/gpu")
    }

    /// NVIDIA's device plugin declared without `runtimeClassName: nvidia`: on K3s the default
    /// runtime is plain runc, so the plugin finds no NVML library and advertises no GPU.
    static func devicePluginWithoutRuntimeClass(_ plugin: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .gpuWithoutDevicePlugin,
            "NVIDIA device plugin '\(plugin)' does not run with runtimeClassName 'nvidia': under K3s' default "
                + "runtime it finds no GPU and advertises no nvidia.com/gpu; set runtimeClassName: nvidia "
                + "(the RuntimeClass K3s creates when it finds the NVIDIA container runtime)",
            at: loc, subject: plugin)
    }

    // MARK: Numbers

    /// A numeric field (replicas, a probe's period, runAsUser, a GPU count, ...) outside what
    /// the API server accepts; `rule` says what it accepts ("0 or more").
    static func numberOutOfRange(
        _ field: String, of owner: String, value: Int, rule: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        outOfRange(.numberOutOfRange, field, of: owner, value: value, rule: rule, at: loc)
    }

    static func nonFiniteNumber(_ object: ObjectID, path: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .nonFiniteNumber,
            "\(object) field '\(path)' is not a finite number; JSON and kubectl cannot carry NaN or infinity", at: loc)
    }

    // MARK: Enumerations

    /// A field that takes one of a fixed set of values (dnsPolicy, restartPolicy,
    /// imagePullPolicy, hostPath type, fieldRef) has another.
    static func notOneOf(
        _ field: String, of owner: String, value: String, allowed: [String],
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unsupportedValue,
            "\(owner) \(field) '\(value)' is invalid; it must be one of \(allowed.joined(separator: ", "))",
            at: loc, subject: value)
    }

    static func invalidStrategy(_ strategy: String, deployment: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unsupportedValue,
            "Deployment '\(deployment)' strategy '\(strategy)' is invalid; it must be Recreate or RollingUpdate",
            at: loc, subject: strategy)
    }

    // MARK: Objects

    /// An emitted object whose immutable `field` the definitions can change, without Flux's
    /// force annotation (`ImmutableFields`); `why` names the API server's rule.
    static func immutableFieldWithoutForce(_ id: ObjectID, field: String, why: String, at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .immutableFieldWithoutForce,
            "\(id.kind) '\(id.namespace.map { "\($0)/" } ?? "")\(id.name)' has the immutable \(field): \(why), so "
                + "Flux's apply of the whole layer fails on the first change until someone deletes it by hand",
            at: loc,
            notes: [
                .init(
                    "mark it .recreatedOnChange() (kustomize.toolkit.fluxcd.io/force: enabled: Flux deletes and "
                        + "recreates it), or declare a kind whose template may change (a suspended CronJob for a "
                        + "Job template)")
            ],
            subject: id.name)
    }

    static func invalidToleration(
        _ key: String, of owner: String, problem: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(.invalidToleration, "toleration '\(key)' of \(owner) is invalid: \(problem)", at: loc)
    }

    static func invalidRBACRule(role: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidRBACRule, "Role '\(role)' has a rule without verbs or resources; the API server rejects it", at: loc
        )
    }

    /// `object`: how the message names it ("ConfigMap 'web'").
    static func objectTooLarge(_ object: String, bytes: Int, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .objectTooLarge,
            "\(object) data totals \(bytes) bytes, more than the 1 MiB (1048576) a ConfigMap may hold", at: loc)
    }

    static func rawBodyNotMapping(_ name: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidRawBody, "RawObject '\(name)' body must be a mapping of fields (spec, data, rules, ...)", at: loc)
    }

    /// A directive of a ConfigMap's generated config file whose arguments are not one word each.
    static func invalidDirective(
        _ name: String, file: String, configMap: String, problem: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidDirective,
            "ConfigMap '\(configMap)' file '\(file)' directive '\(name)' is invalid: \(problem); "
                + "each argument must be one word",
            at: loc, subject: name)
    }

    /// A squid log directive of a ConfigMap's generated config file whose place squid's
    /// unprivileged user cannot open (`SquidLogChecks`); `notes` point at the containers that run it.
    static func unwritableLog(
        _ name: String, place: String, file: String, configMap: String, problem: String,
        at loc: SourceLocation, notes: [Note] = []
    ) -> Diagnostic {
        Diagnostic(
            .unwritableLog,
            "ConfigMap '\(configMap)' file '\(file)' directive '\(name) \(place)' cannot be opened: \(problem); "
                + "log to a file in a writable volume (`access_log daemon:/var/log/squid/access.log`, "
                + "`cache_log /var/log/squid/cache.log` on an emptyDir), which the ubuntu/squid entrypoint tails "
                + "to the container's output",
            at: loc, notes: notes, subject: place)
    }

    /// A squid log file its container's log tail cannot read (`SquidLogChecks.unreadable`);
    /// `notes` point at the containers that run the config.
    static func unreadableLog(
        _ name: String, place: String, file: String, configMap: String, umask: String,
        at loc: SourceLocation, notes: [Note] = []
    ) -> Diagnostic {
        Diagnostic(
            .unreadableLog,
            "ConfigMap '\(configMap)' file '\(file)' directive '\(name) \(place)' writes a log others cannot read "
                + "(umask \(umask)), and its container reads it as root without CAP_DAC_OVERRIDE: the image's "
                + "`tail -F` of the logs shows nothing; add `umask 022` to the config",
            at: loc, notes: notes, subject: place)
    }
}

// MARK: - Data paths

extension Diagnostic {
    /// A workload's configured address that the NetworkPolicies selecting its pods block
    /// (`DataPathChecks`): noted at the policy that isolates the pods, with the path that works.
    static func unreachableAddress(
        workload: String, via: String, address: String, policies: [String], isolating: NetworkPolicy,
        path: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unreachableAddress,
            "\(workload) \(via) reaches \(address), which no NetworkPolicy selecting its pods allows "
                + "(\(policies.joined(separator: ", "))); \(path)",
            at: loc,
            notes: [
                .init(
                    "NetworkPolicy '\(isolating.name)' isolates the pods for egress; only its and the other "
                        + "selecting policies' egress rules allow a connection", at: isolating.location)
            ], subject: address)
    }
}

extension Diagnostic {
    /// A client that verifies the server's name handed a proxy's Service name in place of the
    /// host its server's certificate names (`DataPathChecks.rewrittenName`).
    static func rewrittenServerName(
        container: String, via: String, dialled: String, service: String, upstream: String, port: Int,
        clusterIP: String?, at loc: SourceLocation
    ) -> Diagnostic {
        let ip = clusterIP ?? "<a fixed ClusterIP of \(service), .fixedClusterIP(_:)>"
        return Diagnostic(
            .rewrittenServerName,
            "container '\(container)' verifies the server's name, but \(via) dials '\(dialled)', Service "
                + "'\(service)' forwarding to \(upstream):\(port), whose certificate names '\(upstream)': "
                + "verification fails",
            at: loc,
            notes: [
                .init(
                    "dial '\(upstream)' and map it to the proxy in the pod: "
                        + ".hostAlias(ip: \"\(ip)\", hostnames: [\"\(upstream)\"])")
            ], subject: dialled)
    }
}

extension Diagnostic {
    /// A verifying client of a database whose server certificate no CA it trusts signs
    /// (`DataPathChecks.untrustedCA`); `problem` says what is missing.
    static func untrustedServerCA(
        container: String, via: String, address: String, problem: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .untrustedServerCA,
            "container '\(container)' verifies the server of \(via) (\(address)) but \(problem); the provider's CA "
                + "(CrunchyBridge: the team certificate) is in no public root store, so the handshake fails; mount it "
                + "from a Secret and point NODE_EXTRA_CA_CERTS (Node) or PGSSLROOTCERT (libpq, pgx, lib/pq) at the file",
            at: loc, subject: container)
    }
}

// MARK: - Documentation

extension DiagnosticDoc {
    private static let deployment = ObjectID(apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", name: "api")
    private static let kustomization = ObjectID(
        apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization",
        namespace: "flux-system", name: "apps")

    static let fleet: [DiagnosticDoc] = [
        .init(
            "Two clusters of the fleet have one name.",
            fix: "Rename one of them.",
            example: .duplicate(.duplicateCluster, "cluster", "tethys", at: at, first: other)),
        .init(
            "A cluster declares two nodes of one host name; K3s registers one node per host name, so they are one machine.",
            fix: "Declare the machine once, with every role it has, or correct the host name setting.",
            example: .duplicateNodeName("srv712429", at: at, first: other)),
        .init(
            "Two nodes of a cluster declare one public IP: one machine declared under two names.",
            fix:
                "Merge the two declarations under the host name K3s registers (`kubectl get nodes`), or correct the IP.",
            example: .duplicateNodeAddress("157.173.210.123", node: "tethys", other: "srv712429", at: at, first: other)),
        .init(
            "One thing is declared twice where it must be unique: an object, a host, a tunnel, a policy, a column, ...",
            fix: "Remove one declaration, or rename it.",
            example: .duplicateObject(deployment, at: at, first: other)),
        .init(
            "An image has no tag or digest, or the floating tag 'latest': what runs would change without a commit.",
            fix: "Pin a version tag or a digest (`name:1.2.3` or `name@sha256:...`).",
            example: .imageNotPinned(owner: "container 'api'", image: "nginx", latest: false, at: at)),
        .init(
            "An image reference the container runtime cannot parse.",
            fix: "Write `[registry/]name[:tag][@algorithm:hex]` without spaces.",
            example: .invalidImage("nginx@", owner: "container 'api'", at: at)),
        .init(
            "A name Kubernetes, systemd, PostgreSQL or Cloudflare would refuse (or a host service named like a unit "
                + "the host already has).",
            fix: "Follow the rule the message names (a DNS-1123 label: lower-case letters, digits and '-').",
            example: .invalidName(
                "Deployment", "Bad_Name", rule: .dnsSubdomain,
                problem: NameRule.dnsSubdomain.violation("Bad_Name") ?? "", at: at)),
        .init(
            "A port number outside 1...65535.",
            fix: "Use a port between 1 and 65535.",
            example: .invalidPort(70000, "container port 'http'", at: at)),
        .init(
            "A container on a moving tag (a branch such as :main, no digest) declares a pull policy other than "
                + "Always, so nodes keep the cached image and a rollout ships nothing new.",
            fix: "Drop the pull policy (a moving tag is emitted with Always), or pin a version tag or a digest.",
            example: .movingTagNotPulled(
                container: "api", image: "ghcr.io/o/api:main", policy: "IfNotPresent", at: at)),
        .init(
            "One machine is a node of two clusters (one `Node` declaration listed in both, or one public IP); a K3s "
                + "agent joins the one cluster whose server it registers with.",
            fix:
                "Give the new cluster nodes of its own (a `Node` per machine), or remove the node from the other cluster.",
            example: .nodeInTwoClusters(
                "srv712695", cluster: "staging", other: "tethys", why: "the same declaration", at: at, first: other)),
        .init(
            "A tunnel runs in a cluster the fleet does not declare.",
            fix: "Name a declared cluster.",
            example: .unknownTunnelCluster("nowhere", tunnel: "cluster", at: at)),
        .init(
            "A workload, host, tunnel or firewall names a node no cluster declares.",
            fix: "Name a declared node (the note suggests one), or declare the node.",
            example: .unknownNode("calypsso", workload: "triton", known: ["calypso", "tethys-1"], at: at)),
        .init(
            "A value holds a character that the file it goes to cannot carry (a control character, DEL, C1, U+FFFE).",
            fix: "Remove the character.",
            example: .unrepresentableCharacter(
                ObjectID(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "c"),
                path: "data.k", scalar: "\u{85}", at: at)),
    ]

    static let kubernetes: [DiagnosticDoc] = [
        .init(
            "A pod label conflicts with the generated 'app' or 'app.kubernetes.io/name' label.",
            fix: "Remove the label; the generated one names the workload.",
            example: .conflictingPodLabel(
                "app.kubernetes.io/name", declared: "other", generated: "api", workload: "api", at: at)),
        .init(
            "Two components of a cluster have one name, so they would share one output folder.",
            fix: "Rename one of them.",
            example: .duplicate(.duplicateComponent, "component (output folder)", "web", at: at, first: other)),
        .init(
            "A pod declares two containers of one name.",
            fix: "Rename one of them.",
            example: .duplicate(.duplicateContainer, "container", "api", at: at, first: other)),
        .init(
            "A pod declares one container port twice.",
            fix: "Remove one of the two ports.",
            example: .duplicateContainerPort("port 80/TCP", workload: "api", at: at, first: other)),
        .init(
            "A container sets one environment variable twice.",
            fix: "Remove one of the two.",
            example: .duplicate(.duplicateEnv, "env variable in container 'api'", "MODE", at: at, first: other)),
        .init(
            "A mapping (Helm values, a YAML or JSON file) has one key twice; readers reject or drop one.",
            fix: "Merge the two entries.",
            example: .duplicateKey("redis", path: "spec.values", in: "HelmRelease apps/r", at: at)),
        .init(
            "Two Services of a cluster take one nodePort.",
            fix: "Give one of them another nodePort (or let Kubernetes choose).",
            example: .duplicateNodePort(30001, service: "two", other: "one", at: at, first: other)),
        .init(
            "A Service declares one port name or port number twice.",
            fix: "Rename or remove one of the two.",
            example: .duplicate(.duplicateServicePort, "port name of Service 'api'", "http", at: at, first: other)),
        .init(
            "A pod declares two volumes of one name.",
            fix: "Rename one of them.",
            example: .duplicate(.duplicateVolume, "volume of 'api'", "config", at: at, first: other)),
        .init(
            "A container requests nvidia.com/gpu in a cluster without NVIDIA's device plugin (the only thing that "
                + "advertises it), or the plugin runs without the `nvidia` RuntimeClass and finds no GPU.",
            fix: "Declare the plugin (chart `nvidia-device-plugin` from https://nvidia.github.io/k8s-device-plugin) "
                + "with `runtimeClassName: nvidia`.",
            example: .gpuWithoutDevicePlugin(container: "train", workload: "trainer", cluster: "lab", at: at)),
        .init(
            "A container requests a GPU but is not pinned to a node that has one.",
            fix: "Pin the workload to a GPU node (`.pinned(to:)`).",
            example: .gpuWithoutGPUNode(container: "triton", node: nil, at: at)),
        .init(
            "An object has a field the API server makes immutable (a Job's template, a fixed clusterIP, a declared "
                + "selector, volumeClaimTemplates) and no force annotation, so the first change blocks its Flux layer.",
            fix: "Mark it `.recreatedOnChange()` (kustomize.toolkit.fluxcd.io/force: enabled), or use a mutable kind.",
            example: .immutableFieldWithoutForce(
                ObjectID(apiVersion: "batch/v1", kind: "Job", namespace: "apps", name: "train"),
                field: "spec.template", why: "a Job's pod template cannot change after it is created", at: at)),
        .init(
            "An annotation key is not a qualified name, or the annotations exceed 256 KiB.",
            fix: "Use `prefix/name` keys of letters, digits, '-', '_' and '.'; keep large data in a ConfigMap.",
            example: .invalidAnnotation(
                deployment, place: "annotation", key: "a/b/c",
                problem: "may contain at most one '/'", at: at)),
        .init(
            "A RawObject's apiVersion is not 'v1' or 'group/version'.",
            fix: "Write the apiVersion as the API serves it (`apps/v1`).",
            example: .invalidAPIVersion("V1", at: at)),
        .init(
            "A NetworkPolicy ipBlock (or a node's public IP) is not a CIDR or address.",
            fix: "Write the network in CIDR notation (`10.0.0.0/8`).",
            example: .invalidCIDR("10.0.0.0", policy: "egress", problem: "has no prefix length (/n)", at: at)),
        .init(
            "A ConfigMap or Secret data key is not a valid key.",
            fix: "Use letters, digits, '-', '_' and '.' only.",
            example: .invalidDataKey(
                "a b", of: "ConfigMap 'c'", problem: "must consist of alphanumerics, '-', '_' or '.'",
                at: at)),
        .init(
            "A directive of a generated config file has an argument that is not one word (a space, a line break, a "
                + "'#').",
            fix: "Split the value into one argument per word.",
            example: .invalidDirective(
                "http_port", file: "squid.conf", configMap: "squid",
                problem: "whitespace or a line break in '3128\\nhttp_access allow all'", at: at)),
        .init(
            "A squid log (`access_log`, `icap_log`, `cache_store_log`) goes to the container's stdout or stderr, "
                + "which squid opens only after dropping root to its unprivileged user, or `cache_log` has a "
                + "module prefix.",
            fix: "Log to a file in a writable volume (`access_log daemon:/var/log/squid/access.log`) and let the "
                + "image's entrypoint tail it.",
            example: .unwritableLog(
                "access_log", place: "stdio:/dev/stdout", file: "squid.conf", configMap: "squid",
                problem: SquidLogChecks.problem("access_log", "stdio:/dev/stdout")!, at: at)),
        .init(
            "A squid config writes log files its umask keeps from others, and a container that drops every "
                + "capability runs it, so the image's root `tail -F` of the logs cannot read them.",
            fix: "Add `umask 022` to the config (or give the container `DAC_READ_SEARCH`).",
            example: .unreadableLog(
                "access_log", place: "daemon:/var/log/squid/access.log", file: "squid.conf", configMap: "squid",
                umask: "027", at: at, notes: [.init("container 'squid' of Deployment 'proxy' runs it", at: other)])),
        .init(
            "A RawObject's kind is not an UpperCamelCase identifier, or is a List that hides its items.",
            fix: "Write the kind as the API serves it (`Widget`); declare a List's items one by one.",
            example: .invalidKind("widget", at: at)),
        .init(
            "A label key or value (or a selector's) Kubernetes would refuse.",
            fix: "Use a qualified key and a value of at most 63 letters, digits, '-', '_' and '.'.",
            example: .invalidLabel(
                "label", key: "bad key", problem: "name part must consist of alphanumerics", at: at)),
        .init(
            "A volume mount is not an absolute path, is used twice, or has a subPath that leaves the volume.",
            fix: "Mount at a unique absolute path; keep subPath relative and without '..'.",
            example: .invalidMount(
                "relative", volume: "v", container: "api",
                problem: "mountPath must be an absolute path without ':'", at: at)),
        .init(
            "A nodePort outside the cluster's node port range.",
            fix: "Use a port in 30000-32767, or let Kubernetes choose.",
            example: .invalidNodePort(80, service: "api", problem: "is outside 30000-32767", at: at)),
        .init(
            "A probe Kubernetes would refuse: an exec without a command, an HTTP path without '/', "
                + "a successThreshold other than 1 for liveness and startup probes.",
            fix: "Give the probe what it lacks.",
            example: .invalidProbe("container 'api' liveness probe", problem: "exec needs a command", at: at)),
        .init(
            "A resource amount is not a Kubernetes quantity.",
            fix: "Write a quantity like \"250m\" (CPU) or \"256Mi\" (memory).",
            example: .invalidQuantity("lots", resource: "cpu request", container: "api", at: at)),
        .init(
            "A RawObject's body is not a mapping of fields.",
            fix: "Give the body as a mapping (`[\"spec\": [...]]`).",
            example: .rawBodyNotMapping("widget", at: at)),
        .init(
            "A Role has a rule without verbs or resources.",
            fix: "List the verbs and the resources the rule grants.",
            example: .invalidRBACRule(role: "reader", at: at)),
        .init(
            "A CronJob schedule the API server refuses (a field out of range, a TZ= prefix).",
            fix: "Write five fields or @daily-style macros; set the zone with `.timeZone(...)`.",
            example: .invalidSchedule("0 25 * * *", cronJob: "report", problem: "hour 25 is outside 0-23", at: at)),
        .init(
            "A CronJob time zone that is not an IANA zone name.",
            fix: "Use an IANA name such as 'Etc/UTC' or 'Europe/Lisbon'.",
            example: .invalidTimeZone(
                "Nowhere/Place", cronJob: "report", problem: "is not in the IANA time zone database",
                at: at)),
        .init(
            "A toleration the API server refuses (an unknown operator or effect, a value with Exists).",
            fix: "Use Exists (no value) or Equal (with a key), and a known effect.",
            example: .invalidToleration("gpu", of: "'triton'", problem: "operator 'In' must be Exists or Equal", at: at)
        ),
        .init(
            "A memory amount in millibytes ('m'), almost always meant as 'Mi'.",
            fix: "Write the amount in Mi or Gi.",
            example: .memoryInMillibytes(container: "api", resource: "memory limit", text: "256m", at: at)),
        .init(
            "A namespaced object is declared at cluster level without a namespace.",
            fix: "Declare it inside a Namespace, or pass namespace: to RawObject.",
            example: .missingNamespace(
                ObjectID(apiVersion: "apps/v1", kind: "Deployment", namespace: nil, name: "loose"),
                at: at)),
        .init(
            "A workload declares no containers.",
            fix: "Add a container.",
            example: .noContainers("empty", at: at)),
        .init(
            "A number in an object is NaN or infinite, which JSON and kubectl cannot carry.",
            fix: "Give a finite number.",
            example: .nonFiniteNumber(deployment, path: "spec.values.ratio", at: at)),
        .init(
            "A numeric field outside what the API server accepts: a negative count, a probe period of 0, "
                + "a 32-bit field too large, a GPU request that differs from its limit.",
            fix: "Use a number in the range the message gives.",
            example: .numberOutOfRange("replicas", of: "Deployment 'api'", value: -1, rule: "0 or more", at: at)),
        .init(
            "A ConfigMap's data exceeds the 1 MiB an object may hold.",
            fix: "Split the data, or ship it another way (an image, a volume).",
            example: .objectTooLarge("ConfigMap 'web'", bytes: 1_200_000, at: at)),
        .init(
            "A NetworkPolicy selector matches no pod of its namespace, so it protects or admits nothing.",
            fix: "Select a workload by value with `.workload(_:)`.",
            example: .policySelectsNothing(
                policy: "p", what: "pod selector", selector: ["app": "ghost"],
                namespace: "apps", at: at)),
        .init(
            "A container requests more of a resource than its limit.",
            fix: "Lower the request or raise the limit.",
            example: .requestsExceedLimits(container: "api", resource: "cpu", request: "2", limit: "1", at: at)),
        .init(
            "A RawObject body sets a field the compiler sets from the arguments (metadata, apiVersion, kind).",
            fix: "Pass it as an argument, so it is checked.",
            example: .reservedBodyKey("metadata", at: at)),
        .init(
            "A Service's selector matches no workload's pod labels in its namespace.",
            fix: "Select a workload by value with `Service(selecting:)`.",
            example: .selectorMatchesNothing(service: "api", selector: ["app": "apj"], namespace: "apps", at: at)),
        .init(
            "A Service port targets a port no selected container exposes.",
            fix: "Target a port the container declares (the note suggests one).",
            example: .targetPortNotExposed(
                service: "api", port: ServicePort("web", 80, target: "htp"),
                exposed: ["http"], at: at)),
        .init(
            "A workload references a ConfigMap its namespace does not declare.",
            fix: "Declare the ConfigMap, or reference it by value.",
            example: .undeclaredConfigMap(
                "cfg", user: "envFrom of container 'api'", namespace: "apps", known: [], at: at)),
        .init(
            "An object is in a namespace the cluster does not declare.",
            fix: "Declare the namespace, or use a declared one.",
            example: .undeclaredNamespace("nope", for: "ConfigMap 'x'", known: ["apps"], at: at)),
        .init(
            "A RoleBinding binds a Role its namespace does not declare.",
            fix: "Declare the Role, or bind it by value.",
            example: .undeclaredRole("nope", binding: "b", namespace: "apps", known: ["reader"], at: at)),
        .init(
            "A workload references a Secret its namespace does not declare.",
            fix: "Declare a SecretDeclaration, or reference it by value.",
            example: .undeclaredSecret("s", user: "env 'TOKEN'", namespace: "apps", known: [], at: at)),
        .init(
            "A workload uses a ServiceAccount its namespace does not declare.",
            fix: "Declare the ServiceAccount, or use it by value.",
            example: .undeclaredServiceAccount("robot", user: "'api'", namespace: "apps", known: [], at: at)),
        .init(
            "A workload uses a key its ConfigMap does not have.",
            fix: "Use a key the ConfigMap declares (the note suggests one).",
            example: .unknownConfigMapKey("b", configMap: "m", user: "env 'T'", known: ["a"], at: at)),
        .init(
            "A probe uses a port the container does not declare or expose.",
            fix: "Probe a declared port.",
            example: .unknownProbePort("htp", probe: "liveness", container: "api", known: ["http"], at: at)),
        .init(
            "A workload uses a key its Secret does not declare.",
            fix: "Use a key the SecretDeclaration lists (the note suggests one).",
            example: .unknownSecretKey("x", secret: "s", user: "env 'T'", known: ["k"], at: at)),
        .init(
            "A container mounts a volume its pod does not declare (or another one of that name).",
            fix: "Declare the volume in the pod, or mount it by value.",
            example: .unknownVolume("nope", container: "api", known: ["config"], at: at)),
        .init(
            "A workload is configured to reach an address (a database URL, a Service URL, a proxy, a host:port "
                + "argument) that the NetworkPolicies selecting its pods do not allow.",
            fix: "Reach it the way the message says (through the egress gateway or the DB proxy for the "
                + "outside), or add the egress rule it names.",
            example: .unreachableAddress(
                workload: "Deployment 'api'", via: "env 'DATABASE_URL'", address: "db.example.com:5432",
                policies: ["default-deny-egress"],
                isolating: NetworkPolicy("default-deny-egress", pods: .all, types: [.egress]) {},
                path: "connect through egress-db-proxy.apps.svc.cluster.local:5432, whose pods may reach it",
                at: at)),
        .init(
            "A container that declares `.verifiesServerName()` (node-postgres with sslmode=require) dials a "
                + "proxy's Service name, while the certificate behind the proxy names the upstream host.",
            fix:
                "Dial the upstream host name and map it to the proxy's fixed ClusterIP with `.hostAlias(ip:hostnames:)`.",
            example: .rewrittenServerName(
                container: "api", via: "env 'DATABASE_URL'", dialled: "db-proxy.apps.svc.cluster.local",
                service: "db-proxy.apps", upstream: "db.example.com", port: 5432, clusterIP: "10.43.0.54", at: at)),
        .init(
            "A container declared `.verifiesServerName()` is handed a database URL but trusts no certificate "
                + "authority beyond its image's public roots (no `NODE_EXTRA_CA_CERTS`, `PGSSLROOTCERT` or "
                + "`SSL_CERT_FILE` naming a file under one of its mounts), while the database's certificate is "
                + "signed by the provider's own CA.",
            fix: "Mount the CA from a Secret and set the variable the client's TLS stack reads to the file's path.",
            example: .untrustedServerCA(
                container: "api", via: "env 'DATABASE_URL'", address: "db.example.com:5432",
                problem: "trusts no CA beyond its image's", at: at)),
        .init(
            "A NetworkPolicy has ingress or egress rules its policyTypes do not list, so Kubernetes ignores them.",
            fix: "Add the type to `types:`, or remove the rules.",
            example: .unlistedPolicyType(policy: "p", rules: "ingress", type: "Ingress", at: at)),
        .init(
            "A field that takes one of a fixed set of values (dnsPolicy, restartPolicy, imagePullPolicy, "
                + "a Deployment strategy, a hostPath type, a fieldRef) has another.",
            fix: "Use one of the values the message lists.",
            example: .notOneOf(
                "imagePullPolicy", of: "container 'api'", value: "Sometimes",
                allowed: ["Always", "IfNotPresent", "Never"], at: at)),
    ]
}
