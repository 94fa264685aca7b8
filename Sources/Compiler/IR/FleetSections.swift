import CloudState
import DSL
import Rendering

// The IR's sections beside the clusters: what lives outside Kubernetes. Each emitter reads
// its section; cross-artifact checks read several. All closed and Equatable.

/// What one node runs outside Kubernetes: files installed by path, systemd units, and the
/// host services with the ports they listen on (so a tunnel route can be checked against them).
public struct HostIR: Hashable, Sendable {
    public var node: String
    public var files: [HostFileIR]
    public var units: [SystemdUnitIR]
    public var services: [HostServiceIR]
    public var location: SourceLocation

    public init(
        node: String, files: [HostFileIR] = [], units: [SystemdUnitIR] = [], services: [HostServiceIR] = [],
        location: SourceLocation
    ) {
        self.node = node
        self.files = files
        self.units = units
        self.services = services
        self.location = location
    }
}

/// A file installed on a host at `installPath`, with its text rendered by its syntax.
public struct HostFileIR: Hashable, Sendable {
    public var installPath: String
    public var syntax: FileSyntax
    public var contents: Tree
    public var origin: SourceLocation
    public init(installPath: String, syntax: FileSyntax, contents: Tree, origin: SourceLocation) {
        self.installPath = installPath
        self.syntax = syntax
        self.contents = contents
        self.origin = origin
    }
}

/// A systemd unit (`systemd.unit(5)`): its name (`tritonserver.service`) and sections of
/// ordered `Key=value` entries (a key may repeat: `ExecStartPre=`).
public struct SystemdUnitIR: Hashable, Sendable {
    public struct Section: Hashable, Sendable {
        public var name: String
        public var entries: [(key: String, value: String)]
        public init(name: String, entries: [(key: String, value: String)]) {
            self.name = name
            self.entries = entries
        }
        public static func == (a: Section, b: Section) -> Bool {
            a.name == b.name && a.entries.map(\.key) == b.entries.map(\.key)
                && a.entries.map(\.value) == b.entries.map(\.value)
        }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            for entry in entries {
                hasher.combine(entry.key)
                hasher.combine(entry.value)
            }
        }
    }
    public var name: String
    public var sections: [Section]
    public var origin: SourceLocation
    public init(name: String, sections: [Section], origin: SourceLocation) {
        self.name = name
        self.sections = sections
        self.origin = origin
    }
}

/// A service on a host and the ports it listens on (on the host's loopback or network).
public struct HostServiceIR: Hashable, Sendable {
    public struct Listen: Hashable, Sendable {
        public var name: String
        public var port: Int
        public init(name: String, port: Int) {
            self.name = name
            self.port = port
        }
    }
    public var name: String
    public var unit: String
    public var listens: [Listen]
    public init(name: String, unit: String, listens: [Listen]) {
        self.name = name
        self.unit = unit
        self.listens = listens
    }
}

/// A tunnel as the topology shows it: where its connector runs and each route resolved.
public struct TunnelIR: Hashable, Sendable {
    /// What a route reaches, as the compiler resolved it.
    public enum Endpoint: Hashable, Sendable {
        /// A Service of a cluster.
        case service(cluster: String, namespace: String, name: String)
        /// A host service (its unit without `.service`) on a node.
        case hostService(node: String, name: String)
        /// An address the fleet does not model (`https://10.0.0.10:6443`).
        case address(String)
        /// A fixed answer (`http_status:404`).
        case none
    }
    /// A route: hostname (nil for the catch-all), path, the service URL cloudflared gets,
    /// the CNAME target of its record, and who may pass (Access) or why nobody is asked.
    public struct Route: Hashable, Sendable {
        public var hostname: String?
        public var path: String?
        public var service: String
        /// What `service` reaches.
        public var endpoint: Endpoint
        public var dnsTarget: String?
        /// Service tokens and e-mail addresses an Access policy admits (empty: none).
        public var admits: [String]
        /// Why the hostname is public on purpose, when it is.
        public var publicReason: String?
        public var location: SourceLocation
        public init(
            hostname: String?, path: String?, service: String, endpoint: Endpoint, dnsTarget: String?, admits: [String],
            publicReason: String?, location: SourceLocation
        ) {
            self.hostname = hostname
            self.path = path
            self.service = service
            self.endpoint = endpoint
            self.dnsTarget = dnsTarget
            self.admits = admits
            self.publicReason = publicReason
            self.location = location
        }
    }
    public var name: String
    public var id: String
    /// `remote` (configured in Cloudflare, connector in a cluster) or `local` (a host's file).
    public var management: String
    /// The cluster (remote) or node (local) the connector runs in.
    public var runsOn: String
    public var routes: [Route]
    public var location: SourceLocation
    public init(name: String, id: String, management: String, runsOn: String, routes: [Route], location: SourceLocation)
    {
        self.name = name
        self.id = id
        self.management = management
        self.runsOn = runsOn
        self.routes = routes
        self.location = location
    }
}

/// A database: its declared schema, the committed migration history, the next migration
/// (when the declaration changed) and the lock that records them.
public struct DatabaseIR: Hashable, Sendable {
    public var name: String
    /// The committed migrations, in version order, as read through the compile's input tree.
    public var history: [MigrationIR]
    /// The migrations this build adds (none when the declaration matches the history).
    public var next: [MigrationIR]
    /// `sql/<db>/schema.lock.json`'s value.
    public var lock: SchemaLock
    public var location: SourceLocation

    /// The declared schema: the state after `next`, or after the history when nothing changed.
    public var declared: SchemaState { lock.schema }

    public init(
        name: String, history: [MigrationIR] = [], next: [MigrationIR] = [], lock: SchemaLock, location: SourceLocation
    ) {
        self.name = name
        self.history = history
        self.next = next
        self.lock = lock
        self.location = location
    }
}

/// One committed migration file: `sql/<db>/migrations/V<NNNN>__<slug>.sql` and its text.
public struct MigrationIR: Hashable, Sendable {
    public var path: String
    public var version: Int
    public var text: String
    public init(path: String, version: Int, text: String) {
        self.path = path
        self.version = version
        self.text = text
    }
}

/// One row of the settings table: what a setting is, its value and where that came from.
public struct SettingRowIR: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        /// The declared default.
        case defaultValue
        /// An override at this settings.yaml line.
        case settingsFile(SourceLocation)
        /// A secret: its value lives in Pulumi ESC under the key.
        case escKey
    }
    public var key: String
    public var typeName: String
    public var summary: String
    public var isSecret: Bool
    /// The default (nil for secrets).
    public var defaultValue: Tree?
    /// The value in force (nil for secrets).
    public var value: Tree?
    public var source: Source
    public var declaredAt: SourceLocation
    /// The declarations that read it, sorted.
    public var usedAt: [SourceLocation]

    public init(
        key: String, typeName: String, summary: String, isSecret: Bool, defaultValue: Tree?, value: Tree?,
        source: Source, declaredAt: SourceLocation, usedAt: [SourceLocation]
    ) {
        self.key = key
        self.typeName = typeName
        self.summary = summary
        self.isSecret = isSecret
        self.defaultValue = defaultValue
        self.value = value
        self.source = source
        self.declaredAt = declaredAt
        self.usedAt = usedAt
    }
}
