/// One container of a pod (Kubernetes core/v1 `Container`): image, command line, ports,
/// environment, mounts, resources, probes and security context. Its body takes `Port`,
/// `Env` (or `[Env]`), `EnvFrom` and `Mount` declarations; the rest are modifiers.
///
/// ```swift
/// Container("adapter", image: "ghcr.io/goldfish-inc/oceanid/ls-triton-adapter:main") {
///     Port("http", 9090)
///     Env("TRAIN_ASYNC", "true")
///     Mount("config", at: "/etc/adapter", readOnly: true)
/// }
/// .resources(requests: .init(cpu: "100m", memory: "128Mi"), limits: .init(cpu: "500m", memory: "256Mi"))
/// .readiness(.http("/healthz", port: "http"))
/// ```
public struct Container: Hashable, Sendable {
    /// The container's name, a DNS-1123 label unique within the pod (init containers included).
    public var name: String
    /// The image reference; it must carry a tag or digest, and not `:latest`.
    public var image: Image
    /// Replaces the image's ENTRYPOINT (`command`); empty: the image's own.
    public var command: [String]
    /// Replaces the image's CMD (`args`); empty: the image's own.
    public var args: [String]
    /// Ports the container listens on (`ports`), named so probes and Services can refer to them.
    public var ports: [Port]
    /// Environment variables (`env`), in declaration order; a name given twice is an error.
    public var env: [Env]
    /// Whole ConfigMaps or Secrets as environment variables (`envFrom`).
    public var envFrom: [EnvFrom]
    /// Whether the container's TLS client (its database driver) checks that the server's
    /// certificate names the host it dialled; nil: not declared. node-postgres does with
    /// `sslmode=require`; libpq, psycopg and pgx do not (they verify only with `verify-full`).
    public var verifiesServerName: Bool?
    /// Pod volumes mounted into the container (`volumeMounts`).
    public var mounts: [Mount]
    /// CPU, memory and GPU requests and limits (`resources`); empty: none set.
    public var resources: Resources
    /// `livenessProbe`: the kubelet restarts the container when it fails.
    public var liveness: Probe?
    /// `readinessProbe`: the pod leaves Service endpoints while it fails.
    public var readiness: Probe?
    /// `startupProbe`: liveness and readiness wait until it first succeeds.
    public var startup: Probe?
    /// The container's `securityContext`; nil: none (the runtime's defaults).
    public var securityContext: SecurityContext?
    /// Kubernetes core/v1 `Container.imagePullPolicy`: `Always`, `IfNotPresent` or `Never`;
    /// nil leaves the API server's default (`IfNotPresent` for a tagged image).
    public var imagePullPolicy: String?
    /// Where the container was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares a container running `image`; the body lists its ports, env, envFrom and mounts.
    ///
    /// ```swift
    /// Container("cloudflared", image: Image(s[Settings.cloudflaredImage])) {
    ///     Port("metrics", 2000)
    ///     Env("TUNNEL_TOKEN", secret: token, key: "token")
    /// }
    /// .args(["tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:2000", "run"])
    /// ```
    public init(
        _ name: String, image: Image, file: String = #filePath, line: Int = #line,
        @ListBuilder<ContainerItem> _ items: () -> [ContainerItem] = { [] }
    ) {
        self.name = name
        self.image = image
        self.command = []
        self.args = []
        self.ports = []
        self.env = []
        self.envFrom = []
        self.mounts = []
        self.resources = Resources()
        self.location = SourceLocation(file: file, line: line)
        for item in items() {
            switch item {
            case .port(let p): ports.append(p)
            case .env(let e): env.append(e)
            case .envFrom(let e): envFrom.append(e)
            case .mount(let m): mounts.append(m)
            }
        }
    }

    /// Replaces the image's ENTRYPOINT (core/v1 `Container.command`). Run directly, not
    /// through a shell; `$(VAR)` expands declared env variables.
    ///
    /// ```swift
    /// .command(["squid", "-N", "-f", "/etc/squid/squid.conf"])
    /// ```
    public func command(_ command: [String]) -> Container { with { $0.command = command } }
    /// Replaces the image's CMD (core/v1 `Container.args`), passed to the entrypoint.
    ///
    /// ```swift
    /// .args(["-d", "TCP-LISTEN:5432,fork,reuseaddr", "TCP:\(s[Settings.crunchyBridgeHost]):5432"])
    /// ```
    public func args(_ args: [String]) -> Container { with { $0.args = args } }
    /// Sets requests and limits from one value, typically a `Resources` setting.
    ///
    /// ```swift
    /// .resources(s[Settings.cloudflareTunnelResources])
    /// ```
    public func resources(_ resources: Resources) -> Container { with { $0.resources = resources } }
    /// Sets requests (what the scheduler reserves) and limits (the cgroup ceiling) as
    /// Kubernetes quantities; a request above its limit is an error.
    ///
    /// ```swift
    /// .resources(requests: .init(cpu: "50m", memory: "64Mi"), limits: .init(cpu: "500m", memory: "256Mi"))
    /// ```
    public func resources(requests: ResourceAmounts = .init(), limits: ResourceAmounts = .init()) -> Container {
        with { $0.resources = Resources(requests: requests, limits: limits) }
    }
    /// The liveness probe (`livenessProbe`): the kubelet restarts the container after
    /// `failureThreshold` consecutive failures.
    ///
    /// ```swift
    /// .liveness(.tcp(port: "http", initialDelay: 10, period: 20))
    /// ```
    public func liveness(_ probe: Probe) -> Container { with { $0.liveness = probe } }
    /// The readiness probe (`readinessProbe`): while it fails, the pod receives no Service traffic.
    ///
    /// ```swift
    /// .readiness(.http("/ready", port: "metrics", period: 10, timeout: 5))
    /// ```
    public func readiness(_ probe: Probe) -> Container { with { $0.readiness = probe } }
    /// The startup probe (`startupProbe`): liveness and readiness start only after it
    /// succeeds, so slow starts get `period × failureThreshold` seconds.
    ///
    /// ```swift
    /// .startup(.http("/ready", port: "metrics", period: 10, timeout: 5, failureThreshold: 14))
    /// ```
    public func startup(_ probe: Probe) -> Container { with { $0.startup = probe } }
    /// The container's `securityContext`; start from `.restricted` and widen only what is needed.
    ///
    /// ```swift
    /// .securityContext(.restricted.with(runAsUser: 65532))
    /// ```
    public func securityContext(_ context: SecurityContext) -> Container { with { $0.securityContext = context } }
    /// Declares whether the container's TLS client verifies the server's name (node-postgres
    /// treats `sslmode=require` as `verify-full`): such a client must dial the host its server's
    /// certificate names, never a proxy's Service name (the data-path check).
    ///
    /// ```swift
    /// .verifiesServerName()   // PostGraphile (node-postgres)
    /// ```
    public func verifiesServerName(_ verifies: Bool = true) -> Container {
        with { $0.verifiesServerName = verifies }
    }
    /// Kubernetes core/v1 `Container.imagePullPolicy`: `"Always"`, `"IfNotPresent"` or
    /// `"Never"` (anything else is an error).
    ///
    /// ```swift
    /// .imagePullPolicy("Always")
    /// ```
    ///
    /// Kept beside the typed `imagePullPolicy(_: ImagePullPolicy)` for a value a newer Kubernetes
    /// adds; the `unsupported-value` check still rejects anything else.
    public func imagePullPolicy(_ policy: String) -> Container { with { $0.imagePullPolicy = policy } }
    /// Kubernetes core/v1 `Container.imagePullPolicy`, typed: a misspelled policy does not compile.
    ///
    /// ```swift
    /// .imagePullPolicy(.always)
    /// ```
    public func imagePullPolicy(_ policy: ImagePullPolicy) -> Container { imagePullPolicy(policy.rawValue) }
    /// Appends environment variables after those of the body.
    ///
    /// ```swift
    /// .env(Egress.proxyEnv)
    /// ```
    public func env(_ more: [Env]) -> Container { with { $0.env += more } }

    private func with(_ change: (inout Container) -> Void) -> Container {
        var copy = self
        change(&copy)
        return copy
    }
}

/// A declaration inside a container.
public enum ContainerItem: Hashable, Sendable {
    /// A container port.
    case port(Port)
    /// One environment variable.
    case env(Env)
    /// A whole ConfigMap or Secret as environment variables.
    case envFrom(EnvFrom)
    /// A volume mount.
    case mount(Mount)
}

extension ListBuilder where Element == ContainerItem {
    /// A `Port` in a `Container` body.
    public static func buildExpression(_ x: Port) -> [ContainerItem] { [.port(x)] }
    /// An `Env` in a `Container` body.
    public static func buildExpression(_ x: Env) -> [ContainerItem] { [.env(x)] }
    /// Several `Env`s at once (`Egress.proxyEnv`), in order.
    public static func buildExpression(_ x: [Env]) -> [ContainerItem] { x.map(ContainerItem.env) }
    /// A `Mount` in a `Container` body.
    public static func buildExpression(_ x: Mount) -> [ContainerItem] { [.mount(x)] }
    /// An `EnvFrom` in a `Container` body.
    public static func buildExpression(_ x: EnvFrom) -> [ContainerItem] { [.envFrom(x)] }
}

/// Mounts a pod volume into a container (Kubernetes core/v1 `VolumeMount`). `volume` names
/// a `Volume` of the same pod; the compiler reports an unknown one.
///
/// ```swift
/// Mount("config", at: "/etc/squid/squid.conf", readOnly: true, subPath: "squid.conf")
/// ```
public struct Mount: Hashable, Sendable {
    /// The pod volume's name (`name`).
    public var volume: String
    /// `mountPath`: absolute, without `:`, unique within the container.
    public var path: String
    /// Mount read-only (`readOnly`); default false.
    public var readOnly: Bool
    /// `subPath`: one file or folder of the volume instead of its root; relative, no `..`.
    public var subPath: String?
    /// The source of the Volume value this mount was declared with (`Mount(volume, at:)`):
    /// the pod's volume of that name must be that very volume.
    public var declaredSource: Volume.Source?
    /// Where the mount was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Mounts a declared pod volume (typed: the name cannot dangle).
    ///
    /// ```swift
    /// let config = Volume.configMap("config", squidConfig)
    /// Mount(config, at: "/etc/squid/squid.conf", readOnly: true, subPath: "squid.conf")
    /// ```
    public init(
        _ volume: Volume, at path: String, readOnly: Bool = false, subPath: String? = nil,
        file: String = #filePath, line: Int = #line
    ) {
        self.init(volume.name, at: path, readOnly: readOnly, subPath: subPath, file: file, line: line)
        self.declaredSource = volume.source
    }

    /// Mounts volume `volume` at `path`; `subPath` mounts a single key of a ConfigMap volume
    /// as a file (such a mount does not see later updates of the ConfigMap).
    ///
    /// ```swift
    /// Mount("config", at: "/etc/cloudflared", readOnly: true)
    /// Mount("tun", at: "/dev/net/tun")
    /// ```
    public init(
        _ volume: String, at path: String, readOnly: Bool = false, subPath: String? = nil,
        file: String = #filePath, line: Int = #line
    ) {
        self.volume = volume
        self.path = path
        self.readOnly = readOnly
        self.subPath = subPath
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A pod volume (Kubernetes core/v1 `Volume`), declared in a workload body and mounted
/// into containers with `Mount`. Names are DNS-1123 labels, unique within the pod.
///
/// ```swift
/// Deployment("egress-gateway") {
///     Container("squid", image: Image(s[Settings.squidImage])) { Mount("cache", at: "/var/spool/squid") }
///     Volume.emptyDir("cache")
/// }
/// ```
public struct Volume: Hashable, Sendable {
    /// Where the volume's files come from (the one source field of core/v1 `Volume`).
    ///
    /// ```swift
    /// Volume("memory-cache", .emptyDir(medium: "Memory"))
    /// ```
    public enum Source: Hashable, Sendable {
        /// Scratch space that lives as long as the pod; `medium` `"Memory"` makes it a tmpfs.
        case emptyDir(medium: String?)
        /// A ConfigMap's keys as files; `items` picks keys and their paths (all keys when empty).
        case configMap(String, items: [VolumeItem] = [])
        /// A Secret's keys as files; `items` picks keys and their paths (all keys when empty).
        case secret(String, items: [VolumeItem] = [])
        /// A file or folder of the node (`hostPath`); `type` as in `Volume.hostPath`.
        case hostPath(path: String, type: String?)
        /// An existing PersistentVolumeClaim of the namespace, by name (`claimName`).
        case persistentVolumeClaim(String)
    }

    /// The volume's name, which `Mount`s refer to.
    public var name: String
    /// Where the files come from.
    public var source: Source
    /// Where the volume was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A volume of any source; the static factories cover the common ones with typed references.
    ///
    /// ```swift
    /// Volume("models", .persistentVolumeClaim("triton-models"))
    /// ```
    public init(_ name: String, _ source: Source, file: String = #filePath, line: Int = #line) {
        self.name = name
        self.source = source
        self.location = SourceLocation(file: file, line: line)
    }

    /// An `emptyDir` volume: empty when the pod starts, deleted with it. `medium: nil` uses
    /// the node's disk; `"Memory"` a tmpfs counted against the container's memory.
    ///
    /// ```swift
    /// Volume.emptyDir("work")
    /// ```
    public static func emptyDir(_ name: String, medium: String? = nil, file: String = #filePath, line: Int = #line)
        -> Volume
    {
        Volume(name, .emptyDir(medium: medium), file: file, line: line)
    }
    /// A declared ConfigMap's keys as files (typed: cannot dangle). `items` picks keys and
    /// their file names; empty: every key, each as a file named after it.
    ///
    /// ```swift
    /// Volume.configMap("config", squidConfig, items: [VolumeItem("squid.conf", path: "squid.conf")])
    /// ```
    public static func configMap(
        _ name: String, _ configMap: ConfigMap, items: [VolumeItem] = [],
        file: String = #filePath, line: Int = #line
    ) -> Volume {
        Volume(name, .configMap(configMap.name, items: items), file: file, line: line)
    }
    /// A declared secret's keys as files (typed: cannot dangle). `items` picks keys (of
    /// `secretKeys`) and their file names; empty: every key.
    ///
    /// ```swift
    /// Volume.secret("credentials", token, items: [VolumeItem("token", path: "token")])
    /// ```
    public static func secret(
        _ name: String, _ secret: SecretDeclaration, items: [VolumeItem] = [],
        file: String = #filePath, line: Int = #line
    ) -> Volume {
        Volume(name, .secret(secret.name, items: items), file: file, line: line)
    }
    /// A file or folder of the node (`hostPath`). `path` is absolute; `type` is one of the
    /// API's checks (`Directory`, `DirectoryOrCreate`, `File`, `FileOrCreate`, `Socket`,
    /// `CharDevice`, `BlockDevice`) or nil for none.
    ///
    /// ```swift
    /// Volume.hostPath("tun", path: "/dev/net/tun", type: "CharDevice")
    /// ```
    public static func hostPath(
        _ name: String, path: String, type: String? = nil, file: String = #filePath, line: Int = #line
    ) -> Volume {
        Volume(name, .hostPath(path: path, type: type), file: file, line: line)
    }
    /// A file or folder of the node (`hostPath`) with the API's check typed: a misspelled type does
    /// not compile. The `String` form stays for a type a newer Kubernetes adds.
    ///
    /// ```swift
    /// Volume.hostPath("tun", path: "/dev/net/tun", type: .charDevice)
    /// ```
    public static func hostPath(
        _ name: String, path: String, type: HostPathType, file: String = #filePath, line: Int = #line
    ) -> Volume {
        hostPath(name, path: path, type: type.rawValue, file: file, line: line)
    }
}

/// Kubernetes core/v1 `HostPathVolumeSource.type`, what the kubelet checks before mounting
/// (https://kubernetes.io/docs/concepts/storage/volumes/#hostpath-volume-types).
///
/// ```swift
/// Volume.hostPath("tun", path: "/dev/net/tun", type: .charDevice)
/// ```
public enum HostPathType: String, Hashable, Sendable, CaseIterable {
    /// `Directory`: a directory must exist.
    case directory = "Directory"
    /// `DirectoryOrCreate`: created (0755) when missing.
    case directoryOrCreate = "DirectoryOrCreate"
    /// `File`: a file must exist.
    case file = "File"
    /// `FileOrCreate`: created empty (0644) when missing.
    case fileOrCreate = "FileOrCreate"
    /// `Socket`: a UNIX socket must exist.
    case socket = "Socket"
    /// `CharDevice`: a character device must exist (`/dev/net/tun`).
    case charDevice = "CharDevice"
    /// `BlockDevice`: a block device must exist.
    case blockDevice = "BlockDevice"
}

/// One key of a ConfigMap or Secret volume and the file it becomes (`items[]`,
/// Kubernetes core/v1 `KeyToPath`).
///
/// ```swift
/// VolumeItem("squid.conf", path: "squid.conf")
/// ```
public struct VolumeItem: Hashable, Sendable {
    /// The ConfigMap or Secret key; the compiler reports a key the object does not have.
    public var key: String
    /// The file's path inside the volume (relative, no `..`).
    public var path: String
    /// Projects `key` to the file `path` (relative to the mount point).
    ///
    /// ```swift
    /// VolumeItem("config.yaml", path: "cloudflared/config.yaml")
    /// ```
    public init(_ key: String, path: String) {
        self.key = key
        self.path = path
    }
}

/// Every key of a ConfigMap or Secret as an environment variable (`envFrom`, Kubernetes
/// core/v1 `EnvFromSource`), optionally prefixed. The compiler checks the reference like
/// `Env`'s; variables declared with `Env` take precedence over these.
///
/// ```swift
/// EnvFrom.configMap(adapterConfig, prefix: "ADAPTER_")
/// EnvFrom.secret(AppSecrets.labelStudioS3)
/// ```
public struct EnvFrom: Hashable, Sendable {
    /// The object whose keys become variables (`configMapRef` or `secretRef`), by name.
    public enum Source: Hashable, Sendable {
        /// A ConfigMap of the namespace.
        case configMap(String)
        /// A declared secret of the namespace.
        case secret(String)
    }
    /// Which ConfigMap or Secret.
    public var source: Source
    /// Prepended to every key to form the variable name (`prefix`); nil: the keys as they are.
    public var prefix: String?
    /// Where the reference was written, for its diagnostics.
    public var location: SourceLocation

    /// An `envFrom` entry with an explicit location, for helpers that pass their caller's.
    ///
    /// ```swift
    /// EnvFrom(.secret("label-studio-s3"), prefix: "AWS_", location: SourceLocation(file: file, line: line))
    /// ```
    public init(_ source: Source, prefix: String? = nil, location: SourceLocation) {
        self.source = source
        self.prefix = prefix
        self.location = location
    }

    /// Every key of a declared ConfigMap as a variable (typed: cannot dangle).
    ///
    /// ```swift
    /// EnvFrom.configMap(adapterConfig)
    /// ```
    public static func configMap(_ map: ConfigMap, prefix: String? = nil, file: String = #filePath, line: Int = #line)
        -> EnvFrom
    {
        EnvFrom(.configMap(map.name), prefix: prefix, location: SourceLocation(file: file, line: line))
    }
    /// Every key of a declared secret (its `secretKeys`) as a variable (typed: cannot dangle).
    ///
    /// ```swift
    /// EnvFrom.secret(AppSecrets.labelStudioDb)   // POSTGRE_NAME, POSTGRE_USER, ...
    /// ```
    public static func secret(
        _ secret: SecretDeclaration, prefix: String? = nil, file: String = #filePath, line: Int = #line
    ) -> EnvFrom {
        EnvFrom(.secret(secret.name), prefix: prefix, location: SourceLocation(file: file, line: line))
    }
    /// By name; the compiler reports it when the namespace declares no such ConfigMap.
    ///
    /// ```swift
    /// EnvFrom.configMap(named: "adapter-config", prefix: "ADAPTER_")
    /// ```
    public static func configMap(named name: String, prefix: String? = nil, file: String = #filePath, line: Int = #line)
        -> EnvFrom
    {
        EnvFrom(.configMap(name), prefix: prefix, location: SourceLocation(file: file, line: line))
    }
    /// By name; the compiler reports it when the namespace declares no such secret.
    ///
    /// ```swift
    /// EnvFrom.secret(named: "label-studio-db")
    /// ```
    public static func secret(named name: String, prefix: String? = nil, file: String = #filePath, line: Int = #line)
        -> EnvFrom
    {
        EnvFrom(.secret(name), prefix: prefix, location: SourceLocation(file: file, line: line))
    }
}

/// Kubernetes core/v1 `Container.imagePullPolicy` (API reference, "Container": `Always`,
/// `IfNotPresent`, `Never`; https://kubernetes.io/docs/concepts/containers/images/#image-pull-policy).
///
/// ```swift
/// Container("api", image: "ghcr.io/o/api:main").imagePullPolicy(.always)
/// ```
public enum ImagePullPolicy: String, Hashable, Sendable, CaseIterable {
    /// `Always`: resolve the tag to a digest on every start.
    case always = "Always"
    /// `IfNotPresent`: pull only when the node has no image of that name.
    case ifNotPresent = "IfNotPresent"
    /// `Never`: use the node's image or fail.
    case never = "Never"
}
