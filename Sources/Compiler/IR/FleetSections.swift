import CloudState
import DSL
import Rendering

// The IR's sections beside the clusters: what lives outside Kubernetes. Each emitter reads
// its section; cross-artifact checks read several. All closed and Equatable.

/// What one node runs outside Kubernetes: files installed by path, systemd units, and the
/// host services with the ports they listen on (so a tunnel route can be checked against them).
public struct HostIR: Hashable, Sendable {
    /// The node (a declared `Node` of some cluster) whose folder this is: `hosts/<node>/`.
    public var node: String
    /// Files installed by path, rendered by `HostsEmitter` at `hosts/<node>/<install path>` (today a
    /// local tunnel's cloudflared `config.yaml`); empty when the node runs none.
    public var files: [HostFileIR]
    /// One systemd unit per host service, emitted at `hosts/<node>/etc/systemd/system/<name>`.
    public var units: [SystemdUnitIR]
    /// The host's services with their ports, in declaration order (declared ones first, then the
    /// cloudflared connector of each local tunnel): what tunnel routes and the policy input check.
    public var services: [HostServiceIR]
    /// The `Host(...)` declaration for the node, else its first local tunnel's or first service's.
    public var location: SourceLocation

    /// A node's section; the lowering builds it only for a node that runs at least one service.
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
    /// The absolute path on the host (`/etc/cloudflared/config.yaml`); the output file is this path
    /// without its leading slash below `hosts/<node>/` (`OutputLayout.host`).
    public var installPath: String
    /// How `contents` is rendered (JSON for `.json`, YAML otherwise) and which header it gets.
    public var syntax: FileSyntax
    /// The file's contents as an ordered tree; key order is the order in the file.
    public var contents: Tree
    /// The declaration that produced the file (the local tunnel's): the generated file's origin.
    public var origin: SourceLocation
    /// A file installed at the absolute `installPath`, rendered from `contents` by `syntax`.
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
    /// One `[Section]` of the unit file (`Unit`, `Service`, `Install`) and its entries in order.
    /// Equality and hashing compare the entries pairwise, since tuples are not `Hashable`.
    public struct Section: Hashable, Sendable {
        /// The section's name without brackets: `Unit`, `Service` or `Install`.
        public var name: String
        /// `Key=value` lines in file order; a key may repeat (`ExecStartPre=`) and order matters to
        /// systemd, so this is a list, not a dictionary. Values are written verbatim: the lowering escapes text
        /// and command lines (`SystemdRenderer`).
        public var entries: [(key: String, value: String)]
        /// A section with its entries in the order they are written.
        public init(name: String, entries: [(key: String, value: String)]) {
            self.name = name
            self.entries = entries
        }
        /// Same name and the same keys and values in the same order.
        public static func == (a: Section, b: Section) -> Bool {
            a.name == b.name && a.entries.map(\.key) == b.entries.map(\.key)
                && a.entries.map(\.value) == b.entries.map(\.value)
        }
        /// Hashes the name and every key and value in order, consistent with `==`.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(name)
            for entry in entries {
                hasher.combine(entry.key)
                hasher.combine(entry.value)
            }
        }
    }
    /// The unit's file name with its suffix (`tritonserver.service`): the output file is
    /// `hosts/<node>/etc/systemd/system/<name>`.
    public var name: String
    /// The unit's sections in file order (the lowering writes `Unit`, `Service`, `Install`).
    public var sections: [Section]
    /// The `HostService` declaration (or the local tunnel) the unit was lowered from.
    public var origin: SourceLocation
    /// A unit named `name` (with its `.service` suffix) made of `sections` in file order.
    public init(name: String, sections: [Section], origin: SourceLocation) {
        self.name = name
        self.sections = sections
        self.origin = origin
    }
}

/// A service on a host and the ports it listens on (on the host's loopback or network).
public struct HostServiceIR: Hashable, Sendable {
    /// A named port the service listens on (`HostPort`).
    public struct Listen: Hashable, Sendable {
        /// The port's name (`http`, `metrics`): what a tunnel route names to reach it.
        public var name: String
        /// The TCP port number (1-65535) on the host.
        public var port: Int
        /// A port `name` at `port`.
        public init(name: String, port: Int) {
            self.name = name
            self.port = port
        }
    }
    /// The service's name without `.service` (`tritonserver`), as a tunnel route's host service names it.
    public var name: String
    /// Its systemd unit's file name: `<name>.service`.
    public var unit: String
    /// The named ports it listens on, in declaration order; empty when the service declares none.
    public var listens: [Listen]
    /// A host service `name`, run by `unit`, listening on `listens`.
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
        /// The routed hostname, normalized (lower case, no trailing dot); nil for the catch-all rule,
        /// which cloudflared requires last (cloudflared ingress: the last rule must match everything).
        public var hostname: String?
        /// The path regular expression cloudflared matches (ingress `path`); nil when the rule has none.
        public var path: String?
        /// The origin URL cloudflared forwards to (`http://web.apps.svc.cluster.local:80`,
        /// `http://localhost:8000`, `http_status:404`), as written into the tunnel's ingress.
        public var service: String
        /// What `service` reaches.
        public var endpoint: Endpoint
        /// The CNAME target of the hostname's DNS record (`<tunnel id>.cfargotunnel.com` unless the
        /// tunnel overrides it); nil for the catch-all, which has no record.
        public var dnsTarget: String?
        /// Service tokens and e-mail addresses an Access policy admits (empty: none).
        public var admits: [String]
        /// Why the hostname is public on purpose, when it is.
        public var publicReason: String?
        /// The ingress rule's declaration.
        public var location: SourceLocation
        /// A resolved route; see the properties for what each value means.
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
    /// The tunnel's name as declared (the Cloudflare tunnel's name for a remote one).
    public var name: String
    /// The tunnel's UUID in Cloudflare: the `tunnel:` of a local config.yaml, the `tunnelId` of a
    /// remote configuration in `cloud/`.
    public var id: String
    /// `remote` (configured in Cloudflare, connector in a cluster) or `local` (a host's file).
    public var management: String
    /// The cluster (remote) or node (local) the connector runs in.
    public var runsOn: String
    /// The tunnel's ingress rules in declaration order (cloudflared matches them top to bottom).
    public var routes: [Route]
    /// The `Tunnel(...)` declaration.
    public var location: SourceLocation
    /// A tunnel as the topology (`docs/topology.md`, `graph`) and `explain` show it.
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
    /// The database's name: its folder `sql/<name>/` and its page `docs/databases/<name>.md`.
    public var name: String
    /// The committed migrations, in version order, as read through the compile's input tree.
    public var history: [MigrationIR]
    /// The migrations this build adds (none when the declaration matches the history).
    public var next: [MigrationIR]
    /// `sql/<db>/schema.lock.json`'s value.
    public var lock: SchemaLock
    /// The database's declaration: the origin of its migrations, lock and data dictionary.
    public var location: SourceLocation
    /// For a database an application owns: `sql/<db>/provision.sql`'s text (`ProvisionSQL`),
    /// written instead of migrations and a lock; nil for the fleet's own databases.
    public var provision: String?
    /// `sql/<db>/adopt.sql`'s text when the database has a committed baseline (`Baseline`).
    public var adopt: String?
    /// Whether this build regenerated the history from a new baseline (`Baseline`): the committed
    /// migrations are written over and those it no longer has pruned, once.
    public var regenerated = false
    /// Each schema object's declaration in the current definitions, keyed as
    /// `SchemaChange.declarationKey` names them (`role:bi_readonly`, `column:curated.vessels.imo`):
    /// where a committed migration's change is declared now, which its header froze when written.
    public var declarations: [String: SourceLocation] = [:]

    /// The declared schema: the state after `next`, or after the history when nothing changed.
    public var declared: SchemaState { lock.schema }

    /// A database's section; `history` and `next` in version order.
    public init(
        name: String, history: [MigrationIR] = [], next: [MigrationIR] = [], lock: SchemaLock, location: SourceLocation,
        provision: String? = nil
    ) {
        self.provision = provision
        self.name = name
        self.history = history
        self.next = next
        self.lock = lock
        self.location = location
    }
}

/// One committed migration file: `sql/<db>/migrations/V<NNNN>__<slug>.sql` and its text.
public struct MigrationIR: Hashable, Sendable {
    /// Repository-relative path, `sql/<db>/migrations/V<NNNN>__<slug>.sql` (Flyway's versioned
    /// naming): the generated file's path, written once (`WritePolicy.appendOnly`).
    public var path: String
    /// The `<NNNN>` of the file name as an integer (1 for `V0001__init.sql`); unique per database.
    public var version: Int
    /// The SQL text, byte for byte as committed (or as the planner wrote it, for a new one).
    public var text: String
    /// A migration at `path` with its version and text.
    public init(path: String, version: Int, text: String) {
        self.path = path
        self.version = version
        self.text = text
    }
}

/// One row of the settings table: what a setting is, its value and where that came from.
public struct SettingRowIR: Hashable, Sendable {
    /// Where the value in force came from (the settings table's "source" column).
    public enum Source: Hashable, Sendable {
        /// The declared default.
        case defaultValue
        /// An override at this settings.yaml line.
        case settingsFile(SourceLocation)
        /// A secret: its value lives in Pulumi ESC under the key.
        case escKey
    }
    /// The settings.yaml (or Pulumi ESC) key (`flux.version`).
    public var key: String
    /// `string`, `integer`, `boolean`, `resources` or `secret` (`AnySetting.typeName`).
    public var typeName: String
    /// One line saying what the setting controls, as declared.
    public var summary: String
    /// True for a secret: no value is shown, and `source` is `.escKey`.
    public var isSecret: Bool
    /// The default (nil for secrets).
    public var defaultValue: Tree?
    /// The value in force (nil for secrets).
    public var value: Tree?
    /// Where `value` came from.
    public var source: Source
    /// The setting's declaration.
    public var declaredAt: SourceLocation
    /// The declarations that read it, sorted.
    public var usedAt: [SourceLocation]
    /// Where the default comes from (`Setting(source:)`); nil for secrets and settings that do not say.
    public var defaultSource: SettingSource?

    /// A row of the settings table, rendered into `docs/settings.md` and read by `explain`.
    public init(
        key: String, typeName: String, summary: String, isSecret: Bool, defaultValue: Tree?, value: Tree?,
        source: Source, declaredAt: SourceLocation, usedAt: [SourceLocation], defaultSource: SettingSource? = nil
    ) {
        self.defaultSource = defaultSource
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
