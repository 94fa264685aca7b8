import Compiler
import DSL

/// What `oceanid-gen explain` answers about a generated file, an object, a hostname or a
/// setting: the declaration that produced it (file:line), the settings that fed it (value,
/// and whether it is the default or a settings.yaml line), what it references and what
/// references it. Built from the IR and the generated files; pure. Locations are made
/// relative to `root` (`definitions/Apps.swift:42`).
public struct Explanation: Codable, Hashable, Sendable {
    /// What was asked, as given.
    public var query: String
    /// `file`, `folder`, `object`, `hostname` or `setting`: how the query was read.
    public var match: String
    /// The generated files the query names: the file, every file under the folder, or the object's.
    public var files: [FileFacts] = []
    /// The routed hostnames the query names: the hostname, or every one routed to an undeclared
    /// Service (`routed-service`).
    public var hostnames: [HostnameFacts] = []
    /// The setting the query names, when it names one, with the files its value appears in.
    public var settings: [SettingFacts] = []

    /// One generated file.
    public struct FileFacts: Codable, Hashable, Sendable {
        /// Relative to the oceanid-gen root (`clusters/tethys/apps/web/deployment-web.yaml`).
        public var path: String
        /// `definitions/Apps.swift:42`: the declaration that produced the file.
        public var origin: String?
        /// What the file is (`Deployment apps/web`, `kustomize Kustomization`, `systemd unit`).
        public var declaration: String
        /// Settings whose value appears in the file (a secret's: its ESC key).
        public var settings: [SettingFacts]
        /// What the file's object names (kind, name, field).
        public var references: [Link]
        /// What names the file's object, or lists the file (a kustomization, a hostname).
        public var referencedBy: [Link]
    }

    /// A reference to or from an object (or a file, or a hostname).
    public struct Link: Codable, Hashable, Sendable {
        /// `Deployment apps/web`, `hostname gpu.boathou.se`, `file clusters/.../kustomization.yaml`.
        public var target: String
        /// The field that makes the reference (`spec.selector`, `resources`, `route`).
        public var field: String
        /// The generated file holding the other side, when there is one.
        public var path: String?
        /// Its declaration.
        public var origin: String?
        /// False when the fleet does not declare the target (a Secret an ExternalSecret makes).
        public var declared: Bool
    }

    /// A setting with its value in force and where that came from.
    public struct SettingFacts: Codable, Hashable, Sendable {
        /// The setting's key, as `settings.yaml` spells it (`aws.labelStudio.bucketName`).
        public var key: String
        /// The value as one line (JSON for structured values); nil for a secret.
        public var value: String?
        /// `default`, `settings.yaml:7`, or `ESC` for a secret.
        public var source: String
        /// Whether the setting is a secret: its value never appears, only its ESC key.
        public var secret: Bool
        /// Where the setting is declared.
        public var declaredAt: String
        /// The declarations that read it.
        public var readAt: [String]
        /// Generated files its value appears in (only when the setting was the query).
        public var files: [String]?
    }

    /// A routed hostname, end to end.
    public struct HostnameFacts: Codable, Hashable, Sendable {
        /// The public hostname (`gpu.boathou.se`).
        public var hostname: String
        /// `CNAME gpu.boathou.se → <tunnel id>.cfargotunnel.com (proxied)`, nil when none.
        public var dnsRecord: String?
        /// `node (local, runs on calypso, id …)`.
        public var tunnel: String
        /// The path the route is limited to, if any.
        public var path: String?
        /// The service URL cloudflared gets.
        public var service: String
        /// What that reaches (`Service tethys/apps/label-studio`, `host service calypso/tritonserver`).
        public var target: String
        /// `Access: service tokens a, b` or `public: <reason>`.
        public var access: String
        /// The route's declaration.
        public var origin: String
        /// Generated files that mention the hostname.
        public var files: [String]
    }

    /// kubectl's short names and plurals for the kinds a fleet declares, lowercased.
    static let shortNames: [String: String] = [
        "deploy": "deployment", "svc": "service", "cm": "configmap", "sa": "serviceaccount", "ns": "namespace",
        "netpol": "networkpolicy", "ds": "daemonset", "sts": "statefulset", "cj": "cronjob",
        "pdb": "poddisruptionbudget",
        "pvc": "persistentvolumeclaim", "ing": "ingress", "hr": "helmrelease", "ks": "kustomization",
        "es": "externalsecret",
        "pc": "priorityclass", "gitrepo": "gitrepository", "helmrepo": "helmrepository",
    ]

    /// A kind as asked (`Deployment`, `deploy`, `deployments`) → its lowercased name.
    static func kind(_ asked: String) -> String {
        let lower = asked.lowercased()
        if let full = shortNames[lower] { return full }
        if lower.hasSuffix("ies") { return String(lower.dropLast(3)) + "y" }  // networkpolicies
        if lower.hasSuffix("sses") { return String(lower.dropLast(2)) }  // priorityclasses
        if lower.hasSuffix("s"), !lower.hasSuffix("ss") { return String(lower.dropLast()) }
        return lower
    }

    /// The explanation as text for a terminal or a review, one block per answer.
    public var text: String {
        var out = ""
        func line(_ label: String, _ value: String) {
            out += "  " + label.padding(toLength: 14, withPad: " ", startingAt: 0) + value + "\n"
        }
        func links(_ label: String, _ list: [Link]) {
            guard !list.isEmpty else { return line(label, "nothing") }
            for (i, link) in list.enumerated() {
                var text = "\(link.target) (\(link.field))"
                if let path = link.path { text += " in \(path)" }
                if let origin = link.origin { text += ", declared at \(origin)" }
                if !link.declared { text += ", not declared by the fleet" }
                line(i == 0 ? label : "", text)
            }
        }
        func settingLines(_ list: [SettingFacts]) {
            guard !list.isEmpty else { return line("settings", "none appear in it") }
            for (i, s) in list.enumerated() {
                let value =
                    s.secret ? "secret, value in Pulumi ESC under '\(s.key)'" : "= \(s.value ?? "") (\(s.source))"
                line(i == 0 ? "settings" : "", "\(s.key) \(value)")
            }
        }
        for file in files {
            out += "\(file.path)\n"
            line("is", file.declaration)
            line("declared at", file.origin ?? "(no single declaration)")
            settingLines(file.settings)
            links("references", file.references)
            links("referenced by", file.referencedBy)
        }
        for host in hostnames {
            out += "\(host.hostname)\(host.path.map { " (path \($0))" } ?? "")\n"
            line("declared at", host.origin)
            line("DNS record", host.dnsRecord ?? "none (the tunnel routes it, nothing publishes it)")
            line("tunnel", host.tunnel)
            line("service", host.service)
            line("reaches", host.target)
            line("access", host.access)
            line("appears in", host.files.isEmpty ? "no generated file" : host.files.joined(separator: ", "))
        }
        for s in settings {
            out += "\(s.key)\n"
            line("value", s.secret ? "secret: in Pulumi ESC under '\(s.key)'" : "\(s.value ?? "") (\(s.source))")
            line("declared at", s.declaredAt)
            line(
                "read at",
                s.readAt.isEmpty
                    ? (s.secret ? "referenced by its ESC key (see appears in)" : "nowhere")
                    : s.readAt.joined(separator: ", "))
            line("appears in", (s.files ?? []).isEmpty ? "no generated file" : (s.files ?? []).joined(separator: ", "))
        }
        return out
    }

    /// Everything `explain` reads (the IR, the generated files, the references between
    /// objects, the settings trace, what each kustomization lists), indexed once per run and
    /// then asked any number of queries.
    public struct Context: Sendable {
        let ir: FleetIR
        let files: [GeneratedFile]
        let root: String
        let references: ObjectReferences
        let byPath: [String: GeneratedFile]
        let objectByPath: [String: ObjectReferences.Key]
        /// Kustomization files by the paths (files and folders) they list.
        let listedBy: [String: [String]]
        let provenance: Provenance

        /// - Parameter root: the repository root, to print locations relative to it.
        public init(ir: FleetIR, files: [GeneratedFile], root: String) {
            self.ir = ir
            self.files = files
            self.root = root
            references = ObjectReferences(ir)
            provenance = Provenance(ir: ir, files: files)
            byPath = Dictionary(files.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
            objectByPath = Dictionary(
                references.objects.map { ($0.value.path, $0.key) }, uniquingKeysWith: { a, _ in a })
            // Component folders are listed by the structural kustomizations; an object's file
            // by the kustomization beside it (see `facts`).
            var listed: [String: [String]] = [:]
            for cluster in ir.clusters {
                for (folder, resources) in cluster.structuralKustomizations {
                    for resource in resources {
                        listed["\(folder)/\(resource)", default: []].append("\(folder)/\(OutputLayout.kustomization)")
                    }
                }
            }
            listedBy = listed
        }

        /// The answers for `query`, or nil when nothing generated matches it.
        /// - Parameter query: a generated path (or a folder of them), `kind/namespace/name` (or
        ///     `kind/name`; the kind in any case), a hostname, or a setting's key.
        public func explain(_ query: String) -> Explanation? {
            let context = self
            var path = query
            if path.hasPrefix(root + "/") { path.removeFirst(root.count + 1) }
            while path.hasPrefix("./") { path.removeFirst(2) }
            if let file = context.byPath[path] {
                return Explanation(query: query, match: "file", files: [context.facts(file)])
            }
            let folder = path.hasSuffix("/") ? path : path + "/"
            let inside = path == "." || path == root ? files : files.filter { $0.path.hasPrefix(folder) }
            if !path.isEmpty, !inside.isEmpty {
                return Explanation(query: query, match: "folder", files: inside.map(context.facts))
            }
            let objects = context.objects(named: query)
            if !objects.isEmpty {
                return Explanation(
                    query: query, match: "object", files: objects.compactMap { context.byPath[$0] }.map(context.facts))
            }
            // A Service the fleet routes to but does not declare (a Helm chart's): its hostnames.
            let routed = context.routedServices(named: query)
            if !routed.isEmpty { return Explanation(query: query, match: "routed-service", hostnames: routed) }
            let hostnames = context.hostnames(query.lowercased())
            if !hostnames.isEmpty { return Explanation(query: query, match: "hostname", hostnames: hostnames) }
            if let row = ir.settings.first(where: { $0.key == query }) {
                var facts = context.facts(row)
                facts.files = files.filter { file in
                    context.provenance.settings(feeding: file).contains { $0.key == row.key }
                }.map(\.path)
                return Explanation(query: query, match: "setting", settings: [facts])
            }
            return nil
        }

        /// The nearest thing `explain` would answer for, when `query` matched nothing: a
        /// generated path, `kind/namespace/name`, a hostname or a setting key.
        public func suggestion(for query: String) -> String? {
            let objects = ir.clusters.flatMap(\.components).flatMap(\.objects).map { object in
                "\(object.id.kind.lowercased())/\(object.id.namespace.map { "\($0)/" } ?? "")\(object.id.name)"
            }
            let hostnames = ir.tunnels.flatMap(\.routes).compactMap(\.hostname)
            let candidates = files.map(\.path) + objects + hostnames + ir.settings.map(\.key)
            // `svc/apps/x` is compared as `service/apps/x`.
            var parts = query.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 || parts.count == 3 { parts[0] = Explanation.kind(parts[0]) }
            return Suggestions.closest(to: parts.joined(separator: "/"), among: candidates)
        }

        func relative(_ location: SourceLocation?) -> String? { location.map { "\($0.relative(to: root))" } }

        func facts(_ file: GeneratedFile) -> FileFacts {
            let key = objectByPath[file.path]
            var referencedBy: [Link] = []
            var references: [Link] = []
            if let key {
                references = self.references.references(from: key).map {
                    link($0.to, field: $0.field, declared: $0.declared)
                }
                referencedBy = self.references.references(to: key).map {
                    link($0.from, field: $0.field, declared: true)
                }
                if key.id.kind == "Service" {
                    for (tunnel, route) in routes(reaching: key) {
                        referencedBy.append(
                            Link(
                                target: "hostname \(route.hostname ?? "*")", field: "route of tunnel '\(tunnel.name)'",
                                path: nil, origin: relative(route.location), declared: true))
                    }
                }
            }
            if let key, key.id.kind == "HelmRelease" {
                // Hostnames routed to a Service the fleet does not declare in the release's
                // namespace: most likely one its chart makes.
                for tunnel in ir.tunnels {
                    for route in tunnel.routes {
                        guard case .service(let cluster, let namespace, let name) = route.endpoint,
                            cluster == key.cluster,
                            namespace == key.id.namespace, !declaresService(cluster, namespace, name)
                        else { continue }
                        referencedBy.append(
                            Link(
                                target: "hostname \(route.hostname ?? "*")",
                                field:
                                    "route of tunnel '\(tunnel.name)' to Service \(namespace)/\(name), not declared: "
                                    + "a chart in this namespace may make it",
                                path: nil, origin: relative(route.location), declared: true))
                    }
                }
            }
            let parts = file.path.split(separator: "/").map(String.init)
            if parts.count >= 3, parts[0] == OutputLayout.Root.hosts.rawValue, let unit = parts.last,
                unit.hasSuffix(".service")
            {
                // A host service's unit: the hostnames routed to it.
                let service = String(unit.dropLast(".service".count))
                for tunnel in ir.tunnels {
                    for route in tunnel.routes {
                        guard case .hostService(let node, let name) = route.endpoint, node == parts[1], name == service
                        else { continue }
                        referencedBy.append(
                            Link(
                                target: "hostname \(route.hostname ?? "*")", field: "route of tunnel '\(tunnel.name)'",
                                path: nil, origin: relative(route.location), declared: true))
                    }
                }
            }
            if key == nil {
                // A tunnel's configuration, the cloud state, the policy input: the hostnames it carries.
                for tunnel in ir.tunnels {
                    for route in tunnel.routes {
                        guard let hostname = route.hostname, TextSearch.contains(file.contents, hostname, word: false)
                        else { continue }
                        references.append(
                            Link(
                                target: "hostname \(hostname)", field: "route of tunnel '\(tunnel.name)'", path: nil,
                                origin: relative(route.location), declared: true))
                    }
                }
            }
            var folder = file.path
            var parents: [String] = [file.path]
            while let slash = folder.lastIndex(of: "/") {
                folder = String(folder[..<slash])
                parents.append(folder)
            }
            // An object's file is listed by the kustomization beside it; anything else by the
            // structural kustomization that lists it or its nearest folder.
            let listers =
                key != nil
                ? [String(file.path[..<file.path.lastIndex(of: "/")!]) + "/" + OutputLayout.kustomization]
                : parents.first(where: { listedBy[$0] != nil }).flatMap({ listedBy[$0] }) ?? []
            for listed in listers where listed != file.path {
                referencedBy.append(
                    Link(
                        target: "kustomize Kustomization", field: "resources", path: listed,
                        origin: relative(byPath[listed]?.origin), declared: true))
            }
            return FileFacts(
                path: file.path, origin: relative(file.origin), declaration: key?.label ?? describe(file),
                settings: provenance.settings(feeding: file).map(facts),
                references: references, referencedBy: referencedBy)
        }

        func declaresService(_ cluster: String, _ namespace: String, _ name: String) -> Bool {
            references.objects.keys.contains {
                $0.cluster == cluster && $0.id.kind == "Service" && $0.id.namespace == namespace && $0.id.name == name
            }
        }

        func link(_ key: ObjectReferences.Key, field: String, declared: Bool) -> Link {
            let known = references.objects[key]
            return Link(
                target: key.label, field: field, path: known?.path, origin: relative(known?.origin), declared: declared)
        }

        /// What a file that holds no single object is, by where it lies.
        func describe(_ file: GeneratedFile) -> String {
            let parts = file.path.split(separator: "/").map(String.init)
            switch (parts.first ?? "", parts.last ?? "") {
            case (_, OutputLayout.kustomization): return "kustomize Kustomization listing the folder's resources"
            case ("bootstrap", "bootstrap.sh"): return "Flux bootstrap script of cluster '\(parts[1])'"
            case ("bootstrap", _): return "Helm values of the flux2 chart for cluster '\(parts[1])'"
            case ("hosts", let name) where name.hasSuffix(".service"): return "systemd unit on node '\(parts[1])'"
            case ("hosts", _):
                return "host file on node '\(parts[1])', installed at /\(parts.dropFirst(2).joined(separator: "/"))"
            case ("sql", "schema.lock.json"): return "schema lock of database '\(parts[1])'"
            case ("sql", _): return "migration of database '\(parts[1])' (append-only)"
            case ("policy", _):
                return "OPA input of cluster '\(parts.last!.replacingOccurrences(of: ".json", with: ""))'"
            case ("cloud", _): return "desired cloud state (oceanid-apply's input)"
            case ("docs", _): return "generated documentation"
            default: return "generated file"
            }
        }

        func facts(_ row: SettingRowIR) -> SettingFacts {
            let source: String
            switch row.source {
            case .defaultValue: source = "default"
            case .settingsFile(let at): source = "\(at.relative(to: root))"
            case .escKey: source = "ESC"
            }
            return SettingFacts(
                key: row.key, value: row.value.map(TextSearch.oneLine), source: source, secret: row.isSecret,
                declaredAt: relative(row.declaredAt) ?? "", readAt: row.usedAt.compactMap(relative), files: nil)
        }

        /// Declared objects named by `kind/namespace/name` or `kind/name` (kind in any case),
        /// as their files' paths.
        func objects(named query: String) -> [String] {
            let parts = query.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 || parts.count == 3, !parts.contains(where: \.isEmpty) else { return [] }
            let kind = Explanation.kind(parts[0])
            let name = parts[parts.count - 1]
            let namespace = parts.count == 3 ? parts[1] : nil
            return references.objects.filter { key, _ in
                key.id.kind.lowercased() == kind && key.id.name == name
                    && (namespace == nil || key.id.namespace == namespace)
            }.sorted { $0.key < $1.key }.map(\.value.path)
        }

        func routes(reaching key: ObjectReferences.Key) -> [(TunnelIR, TunnelIR.Route)] {
            ir.tunnels.flatMap { tunnel in
                tunnel.routes.filter { route in
                    if case .service(let cluster, let namespace, let name) = route.endpoint {
                        return cluster == key.cluster && namespace == key.id.namespace && name == key.id.name
                    }
                    return false
                }.map { (tunnel, $0) }
            }
        }

        /// The hostnames whose route reaches an undeclared Service named `service/namespace/name`.
        func routedServices(named query: String) -> [HostnameFacts] {
            let parts = query.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, ["service", "svc"].contains(parts[0].lowercased()) else { return [] }
            return ir.tunnels.flatMap { tunnel in
                tunnel.routes.filter { route in
                    guard case .service(_, let namespace, let name) = route.endpoint else { return false }
                    return namespace == parts[1] && name == parts[2]
                }.compactMap(\.hostname)
            }.flatMap { hostnames($0.lowercased()) }
        }

        func hostnames(_ hostname: String) -> [HostnameFacts] {
            ir.tunnels.flatMap { tunnel in
                tunnel.routes.filter { $0.hostname?.lowercased() == hostname }.map { route in
                    let record = ir.dnsRecord(of: hostname)
                    return HostnameFacts(
                        hostname: route.hostname ?? hostname,
                        dnsRecord: record.map {
                            "\($0.type) \($0.name) → \($0.content)\($0.proxied ? " (proxied)" : "")"
                        },
                        tunnel: "\(tunnel.name) (\(tunnel.management), runs on \(tunnel.runsOn), id \(tunnel.id))",
                        path: route.path, service: route.service, target: route.endpoint.summary { "'\($0)'" },
                        access: route.access,
                        origin: relative(route.location) ?? "",
                        files: files.filter { TextSearch.contains($0.contents, hostname, word: false) }.map(\.path))
                }
            }
        }
    }
}
