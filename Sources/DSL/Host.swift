/// What one machine runs outside Kubernetes: services started by systemd, each with the
/// ports it listens on. Compiled into `hosts/<node>/etc/systemd/system/<name>.service`; a
/// locally managed `Tunnel` on the node adds its cloudflared config and unit.
///
/// ```swift
/// Host(Nodes.calypso) {
///     HostService.docker("tritonserver", description: "Triton Inference Server", image: Image(s[Settings.tritonImage]),
///                        ports: [HostPort("http", 8000)], gpus: true, volumes: ["/opt/triton/models": "/models"],
///                        command: ["tritonserver", "--model-repository=/models"])
/// }
/// ```
public struct Host: Hashable, Sendable {
    /// The node (a declared `Node` of some cluster) the files are installed on.
    public var node: String
    /// The host's services, in declaration order.
    public var services: [HostService]
    /// Where the host was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares what a node runs outside Kubernetes.
    ///
    /// ```swift
    /// Host(Nodes.calypso) { triton }
    /// ```
    public init(
        _ node: NodeRef, file: String = #filePath, line: Int = #line,
        @ListBuilder<HostService> _ services: () -> [HostService]
    ) {
        self.node = node.name
        self.services = services()
        self.location = SourceLocation(file: file, line: line)
    }

    /// The same, for a declared node.
    ///
    /// ```swift
    /// Host(Nodes.calypso) { triton }
    /// ```
    public init(
        _ node: Node, file: String = #filePath, line: Int = #line,
        @ListBuilder<HostService> _ services: () -> [HostService]
    ) {
        self.init(NodeRef(node), file: file, line: line, services)
    }
}

/// A port a host service listens on, by name (`http`) and number (1–65535). `loopback`
/// ports are reachable only from the machine itself (cloudflared on the same host).
///
/// ```swift
/// HostPort("http", 8000)
/// ```
public struct HostPort: Hashable, Sendable {
    /// The port's name (`http`, `metrics`), unique in its service; a tunnel rule names it in
    /// `.host(service, port: "http")`.
    public var name: String
    /// The TCP port number the service listens on, 1–65535; a tunnel route to it becomes
    /// `http://localhost:<port>`.
    public var port: Int
    /// Bound to 127.0.0.1 only (the default): nothing outside the host reaches it directly.
    public var loopback: Bool
    /// A port of a host service, loopback-only unless `loopback: false`.
    ///
    /// ```swift
    /// HostPort("metrics", 2201)
    /// HostPort("grpc", 8001, loopback: false)
    /// ```
    public init(_ name: String, _ port: Int, loopback: Bool = true) {
        self.name = name
        self.port = port
        self.loopback = loopback
    }
}

/// A long-running service on a host, run by systemd (`systemd.service(5)`).
///
/// The unit is `<name>.service`: `[Unit]` with `Description=`, `Requires=`, `Wants=` and
/// `After=`; `[Service]` with `ExecStartPre=`, `ExecStart=`, `ExecStop=`, `Restart=` and
/// `RestartSec=`; `[Install] WantedBy=multi-user.target`. Command lines are lists of
/// arguments, quoted by the renderer, so nothing is expanded by systemd.
///
/// ```swift
/// HostService("cloudflared-node", description: "cloudflared (node tunnel)",
///             exec: ["/usr/bin/cloudflared", "--no-autoupdate", "--config", "/etc/cloudflared/config.yaml", "tunnel", "run"],
///             ports: [HostPort("metrics", 2201)])
/// ```
public struct HostService: Hashable, Sendable {
    /// The unit's name without `.service` (`tritonserver`): `systemctl restart <name>`.
    public var name: String
    /// `Description=` of the unit's `[Unit]` section: what `systemctl status` shows, one line.
    public var description: String
    /// `ExecStart=`: the program (an absolute path) and its arguments.
    public var exec: [String]
    /// `ExecStartPre=-`: commands run before it whose failure is ignored (removing a stale container).
    public var preStart: [[String]]
    /// `ExecStop=`: how to stop it, when killing the main process is not enough.
    public var stop: [String]?
    /// Ports it listens on; tunnel routes to the host name one of these.
    public var ports: [HostPort]
    /// `Requires=` and `After=`: units it cannot run without (`docker.service`).
    public var requires: [String]
    /// `Restart=`: `on-failure` (default) or `always`.
    public var restart: String
    /// `RestartSec=`, seconds.
    public var restartSeconds: Int
    /// The container image, for a service made by `docker(...)` (checked like a container's).
    public var image: Image?
    /// Its bind mounts as `host:container`, for a service made by `docker(...)`.
    public var volumes: [String] = []
    /// Where the service was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A service running `exec`, after `network-online.target` (`Wants=` and `After=`).
    ///
    /// ```swift
    /// HostService("node-exporter", description: "Prometheus node exporter",
    ///             exec: ["/usr/bin/node_exporter"], ports: [HostPort("metrics", 9100, loopback: false)])
    /// ```
    public init(
        _ name: String, description: String, exec: [String], preStart: [[String]] = [], stop: [String]? = nil,
        ports: [HostPort] = [], requires: [String] = [], restart: String = "on-failure", restartSeconds: Int = 5,
        file: String = #filePath, line: Int = #line
    ) {
        self.name = name
        self.description = description
        self.exec = exec
        self.preStart = preStart
        self.stop = stop
        self.ports = ports
        self.requires = requires
        self.restart = restart
        self.restartSeconds = restartSeconds
        self.location = SourceLocation(file: file, line: line)
    }

    /// The path of the docker CLI the container units run.
    public static let docker = "/usr/bin/docker"

    /// A container run by Docker under systemd: requires `docker.service`, removes a stale
    /// container of the same name first (`docker rm -f`, failure ignored), runs in the
    /// foreground with `--rm`, stops with `docker stop`, restarts always. Ports are published
    /// on 127.0.0.1 unless a port says otherwise; `gpus` passes `--gpus all` (NVIDIA
    /// Container Toolkit); `volumes` binds host folders (host path → container path);
    /// `sharedMemory` sets `/dev/shm`'s size (`--shm-size`, e.g. `1g`: Docker's 64 MB default
    /// is too small for Triton's Python backend, which passes tensors through shared memory).
    ///
    /// ```swift
    /// HostService.docker("tritonserver", description: "Triton", image: "nvcr.io/nvidia/tritonserver:25.01-py3",
    ///                    ports: [HostPort("http", 8000)], gpus: true, volumes: ["/opt/triton/models": "/models"],
    ///                    command: ["tritonserver", "--model-repository=/models"])
    /// ```
    public static func docker(
        _ name: String, description: String, image: Image, ports: [HostPort], gpus: Bool = false,
        volumes: KeyValuePairs<String, String> = [:], sharedMemory: String? = nil, command: [String] = [],
        file: String = #filePath, line: Int = #line
    ) -> HostService {
        var run = [docker, "run", "--rm", "--name", name]
        if gpus { run += ["--gpus", "all"] }
        if let sharedMemory { run += ["--shm-size", sharedMemory] }
        for port in ports {
            run += ["--publish", (port.loopback ? "127.0.0.1:" : "") + "\(port.port):\(port.port)"]
        }
        for (host, container) in volumes { run += ["--volume", "\(host):\(container)"] }
        run += [image.reference] + command
        var service = HostService(
            name, description: description, exec: run, preStart: [[docker, "rm", "--force", name]],
            stop: [docker, "stop", name], ports: ports, requires: ["docker.service"], restart: "always",
            restartSeconds: 10, file: file, line: line)
        service.image = image
        service.volumes = volumes.map { "\($0.key):\($0.value)" }
        return service
    }
}
