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
    public init(_ name: String, image: Image, file: String = #filePath, line: Int = #line,
                @ListBuilder<ContainerItem> _ items: () -> [ContainerItem] = { [] }) {
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

    public func command(_ command: [String]) -> Container { with { $0.command = command } }
    public func args(_ args: [String]) -> Container { with { $0.args = args } }
    public func resources(_ resources: Resources) -> Container { with { $0.resources = resources } }
    public func resources(requests: ResourceAmounts = .init(), limits: ResourceAmounts = .init()) -> Container {
        with { $0.resources = Resources(requests: requests, limits: limits) }
    }
    public func liveness(_ probe: Probe) -> Container { with { $0.liveness = probe } }
    public func readiness(_ probe: Probe) -> Container { with { $0.readiness = probe } }
    public func startup(_ probe: Probe) -> Container { with { $0.startup = probe } }
    public func securityContext(_ context: SecurityContext) -> Container { with { $0.securityContext = context } }
    public func imagePullPolicy(_ policy: String) -> Container { with { $0.imagePullPolicy = policy } }
    public func env(_ more: [Env]) -> Container { with { $0.env += more } }

    private func with(_ change: (inout Container) -> Void) -> Container {
        var copy = self
        change(&copy)
        return copy
    }
}

/// A declaration inside a container.
public enum ContainerItem: Hashable, Sendable {
    case port(Port)
    case env(Env)
    case envFrom(EnvFrom)
    case mount(Mount)
}

extension ListBuilder where Element == ContainerItem {
    public static func buildExpression(_ x: Port) -> [ContainerItem] { [.port(x)] }
    public static func buildExpression(_ x: Env) -> [ContainerItem] { [.env(x)] }
    public static func buildExpression(_ x: [Env]) -> [ContainerItem] { x.map(ContainerItem.env) }
    public static func buildExpression(_ x: Mount) -> [ContainerItem] { [.mount(x)] }
    public static func buildExpression(_ x: EnvFrom) -> [ContainerItem] { [.envFrom(x)] }
}

/// Mounts a pod volume into a container.
public struct Mount: Hashable, Sendable {
    public var volume: String
    public var path: String
    public var readOnly: Bool
    public var subPath: String?
    public var location: SourceLocation

    public init(_ volume: String, at path: String, readOnly: Bool = false, subPath: String? = nil,
                file: String = #filePath, line: Int = #line) {
        self.volume = volume
        self.path = path
        self.readOnly = readOnly
        self.subPath = subPath
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A pod volume.
public struct Volume: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case emptyDir(medium: String?)
        /// A ConfigMap's keys as files; `items` picks keys and their paths (all keys when empty).
        case configMap(String, items: [VolumeItem] = [])
        /// A Secret's keys as files; `items` picks keys and their paths (all keys when empty).
        case secret(String, items: [VolumeItem] = [])
        case hostPath(path: String, type: String?)
        case persistentVolumeClaim(String)
    }

    public var name: String
    public var source: Source
    public var location: SourceLocation

    public init(_ name: String, _ source: Source, file: String = #filePath, line: Int = #line) {
        self.name = name
        self.source = source
        self.location = SourceLocation(file: file, line: line)
    }

    public static func emptyDir(_ name: String, medium: String? = nil, file: String = #filePath, line: Int = #line) -> Volume {
        Volume(name, .emptyDir(medium: medium), file: file, line: line)
    }
    /// ```swift
    /// Volume.configMap("config", squidConfig, items: [VolumeItem("squid.conf", path: "squid.conf")])
    /// ```
    public static func configMap(_ name: String, _ configMap: ConfigMap, items: [VolumeItem] = [],
                                 file: String = #filePath, line: Int = #line) -> Volume {
        Volume(name, .configMap(configMap.name, items: items), file: file, line: line)
    }
    public static func secret(_ name: String, _ secret: SecretDeclaration, items: [VolumeItem] = [],
                              file: String = #filePath, line: Int = #line) -> Volume {
        Volume(name, .secret(secret.name, items: items), file: file, line: line)
    }
    public static func hostPath(_ name: String, path: String, type: String? = nil, file: String = #filePath, line: Int = #line) -> Volume {
        Volume(name, .hostPath(path: path, type: type), file: file, line: line)
    }
}

/// One key of a ConfigMap or Secret volume and the file it becomes (`items[]`).
public struct VolumeItem: Hashable, Sendable {
    public var key: String
    /// The file's path inside the volume (relative, no `..`).
    public var path: String
    public init(_ key: String, path: String) {
        self.key = key
        self.path = path
    }
}

/// Every key of a ConfigMap or Secret as an environment variable (`envFrom`), optionally
/// prefixed. The compiler checks the reference like `Env`'s.
///
/// ```swift
/// EnvFrom.configMap(adapterConfig, prefix: "ADAPTER_")
/// EnvFrom.secret(AppSecrets.labelStudioS3)
/// ```
public struct EnvFrom: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case configMap(String)
        case secret(String)
    }
    public var source: Source
    public var prefix: String?
    public var location: SourceLocation

    public init(_ source: Source, prefix: String? = nil, location: SourceLocation) {
        self.source = source
        self.prefix = prefix
        self.location = location
    }

    public static func configMap(_ map: ConfigMap, prefix: String? = nil, file: String = #filePath, line: Int = #line) -> EnvFrom {
        EnvFrom(.configMap(map.name), prefix: prefix, location: SourceLocation(file: file, line: line))
    }
    public static func secret(_ secret: SecretDeclaration, prefix: String? = nil, file: String = #filePath, line: Int = #line) -> EnvFrom {
        EnvFrom(.secret(secret.name), prefix: prefix, location: SourceLocation(file: file, line: line))
    }
    /// By name; the compiler reports it when the namespace declares no such ConfigMap.
    public static func configMap(named name: String, prefix: String? = nil, file: String = #filePath, line: Int = #line) -> EnvFrom {
        EnvFrom(.configMap(name), prefix: prefix, location: SourceLocation(file: file, line: line))
    }
    /// By name; the compiler reports it when the namespace declares no such secret.
    public static func secret(named name: String, prefix: String? = nil, file: String = #filePath, line: Int = #line) -> EnvFrom {
        EnvFrom(.secret(name), prefix: prefix, location: SourceLocation(file: file, line: line))
    }
}
