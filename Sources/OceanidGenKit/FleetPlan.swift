import Compiler
import DSL
import Foundation
import Yams

/// What a change of the fleet does, computed from two sets of generated files (the base's committed
/// output and the head's generated output, each path → text): one typed change per Kubernetes object
/// (kind/namespace/name), desired cloud-state entry, host file, migration, policy or other file,
/// each with its field changes and risk classes. Comments (the generated header) and key order
/// carry no meaning and are not compared; lists of objects are keyed by `name` the way Kubernetes
/// merges them (containers, env, ports, volumes: strategic merge patch keys, see
/// https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/).
public struct FleetPlan: Codable, Equatable, Sendable {
    /// Why a change needs attention. `deletes`, `exposes` and `destructive-sql` need a second
    /// person's approval (`needsApproval`).
    public enum Risk: String, Codable, CaseIterable, Comparable, Sendable {
        /// An object, record or file is removed.
        case deletes
        /// A hostname newly routed without an Access application, or a hostNetwork/NodePort listener.
        case exposes
        /// A new migration runs DROP.
        case destructiveSQL = "destructive-sql"
        /// A new migration takes ACCESS EXCLUSIVE or SHARE (or SHARE ROW EXCLUSIVE) on a table or index
        /// that exists before it: reads, writes or both wait behind it (`FleetPlan+Migrations.swift`).
        case lockHeavy = "lock-heavy"
        /// A pod template or a host's systemd unit changes: pods or services restart.
        case restarts
        /// A secret reference changes.
        case credentials
        /// The change lives outside git: `oceanid-apply` must reconcile it.
        case cloud

        /// Declaration order.
        public static func < (lhs: Risk, rhs: Risk) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }

        /// Whether a change of this class needs a second person's approval.
        public var needsApproval: Bool { self == .deletes || self == .exposes || self == .destructiveSQL }
    }

    /// What happens to the thing.
    public enum Action: String, Codable, Sendable {
        /// It is new.
        case add
        /// It exists on both sides and differs.
        case change
        /// It is gone from the head.
        case delete
    }

    /// One field that differs: a dotted path (list items keyed `[name=x]`), its old and new value
    /// rendered as compact JSON-like text, nil when absent on that side.
    public struct FieldChange: Codable, Equatable, Sendable {
        /// `spec.template.spec.containers[name=web].image`.
        public var path: String
        /// The base's value, nil when the field is new.
        public var old: String?
        /// The head's value, nil when the field is removed.
        public var new: String?

        /// A field change of `path` from `old` to `new`.
        public init(path: String, old: String?, new: String?) {
            self.path = path
            self.old = old
            self.new = new
        }
    }

    /// One changed thing.
    public struct Change: Codable, Equatable, Sendable {
        /// The section it is listed in: a Kubernetes kind (`Deployment`), a cloud-state list
        /// (`cloudflare.dnsRecords`), `host file`, `migration`, `policy` or `file`.
        public var kind: String
        /// Its name within the section: `namespace/name` for namespaced objects, a record's name, a path.
        public var name: String
        /// Added, changed or deleted.
        public var action: Action
        /// The generated file it lives in (root-relative).
        public var file: String
        /// The declaration behind it (`definitions/Apps.swift:12`) when the head generated it.
        public var origin: String?
        /// The fields that differ (empty for whole-file changes of text files).
        public var fields: [FieldChange]
        /// Its risk classes, sorted.
        public var risks: [Risk]
        /// The keys of the settings.yaml settings that feed it, sorted: those marked in its changed values
        /// and the unmarkable ones of its file when the head's traces are known (`FleetPlan+Provenance`),
        /// else those that feed its file (`make`'s `settings`).
        public var settings: [String]

        /// A change of the thing `kind`/`name` in `file`.
        public init(
            kind: String, name: String, action: Action, file: String, origin: String?, fields: [FieldChange],
            risks: [Risk], settings: [String] = []
        ) {
            self.kind = kind
            self.name = name
            self.action = action
            self.file = file
            self.origin = origin
            self.fields = fields
            self.risks = risks
            self.settings = settings
        }
    }

    /// Every change, sorted by kind, then name.
    public var changes: [Change]

    /// Whether any change needs a second person's approval under the default classes (deletes,
    /// exposes, destructive-sql); `needsApproval(_:)` judges by the classes settings.yaml chose.
    public var needsApproval: Bool { changes.contains { $0.risks.contains { $0.needsApproval } } }

    /// The plan of going from `base` to `head` (root-relative path → file text). `origins` maps a
    /// head path to its declaration (`file:line`), `settings` a head path to the keys of the settings
    /// that feed it, `declarations` a database's migrations folder (`sql/<db>/migrations/`) to its schema
    /// objects' declarations (`SchemaChange.declarationKey` → `file:line`), `policyInputs` a head policy
    /// input's path to its document as compiled (`verdictChanges`), `documents` a head Kubernetes file's path
    /// to the object it renders (`kubernetesChanges`). Files neither side has are ignored; YAML that does not
    /// parse is compared as text.
    public static func make(
        base: [String: String], head: [String: String], origins: [String: String] = [:],
        settings: [String: [String]] = [:], declarations: [String: [String: String]] = [:],
        policyInputs: [String: KnownPolicyInput] = [:], documents: [String: Tree] = [:]
    ) -> FleetPlan {
        let paths = Set(base.keys).union(head.keys).sorted().filter { base[$0] != head[$0] }
        let created = createdRelations(paths.filter { isMigration($0) && base[$0] == nil }.compactMap { head[$0] })
        @Sendable func planned(_ path: String) -> [Change] {
            var found = changesOf(
                path, old: base[path], new: head[path], origin: origins[path], created: created,
                declarations: declarations, known: policyInputs[path], document: documents[path])
            // A guardrail verdict restates no setting of its own: the guardrails' input restates every object,
            // so its file's settings (dozens) say nothing about one verdict; the objects behind it list theirs.
            for index in found.indices where found[index].settings.isEmpty && found[index].kind != guardrailKind {
                found[index].settings = settings[path] ?? []
            }
            return found
        }
        // Each path is planned by itself, on both cores (a change touching every app reads thousands of
        // files). The policy inputs (each one file restating every object) start first, on their own
        // thread, rather than holding up one core at the end.
        let inputs = Background { paths.filter(isPolicyInput).flatMap(planned) }
        var changes = Parallel.map(paths.filter { !isPolicyInput($0) }, minimum: 32, planned).flatMap { $0 }
        changes += inputs.value
        changes.sort { ($0.kind, $0.name, $0.file) < ($1.kind, $1.name, $1.file) }
        return FleetPlan(changes: changes)
    }

    /// The changes of one generated file (`make`'s per-path step): Kubernetes objects, the desired cloud
    /// state, a migration, guardrail verdicts, or the file compared whole.
    static func changesOf(
        _ path: String, old: String?, new: String?, origin: String?, created: Set<String>,
        declarations: [String: [String: String]], known: KnownPolicyInput?, document: Tree?
    ) -> [Change] {
        if path.hasPrefix("clusters/") && (path.hasSuffix(".yaml") || path.hasSuffix(".yml")),
            let changes = kubernetesChanges(path, old: old, new: new, origin: origin, document: document)
        {
            return changes
        }
        if path.hasSuffix("desired-state.json"), path.hasPrefix("cloud/"), let oldState = json(old),
            let newState = json(new)
        {
            return cloudChanges(oldState, newState, file: path)
        }
        if isMigration(path) {
            let folder = path[...(path.lastIndex(of: "/") ?? path.startIndex)]
            return [
                migrationChange(
                    path, old: old, new: new, origin: origin, created: created,
                    declarations: declarations[String(folder)] ?? [:])
            ]
        }
        if isPolicyInput(path), let verdicts = verdictChanges(old, new, file: path, origin: origin, known: known) {
            return verdicts
        }
        return fileChange(path, old: old, new: new, origin: origin).map { [$0] } ?? []
    }

    /// A generated migration: `sql/<database>/migrations/V<n>__<slug>.sql`.
    static func isMigration(_ path: String) -> Bool {
        path.hasPrefix("sql/") && path.contains("/migrations/") && path.hasSuffix(".sql")
    }

    // MARK: Kubernetes objects

    /// The object changes of a Kubernetes file, nil when either side does not parse.
    ///
    /// `document`, the object the head's file renders as the compiler built it, spares parsing the head
    /// (`yamlValue`), and the base is read against it (`ScalarEditReader`): a base file that differs only in
    /// some values is not parsed either. Either is used only when the head's text is exactly its rendering;
    /// the changes are the same as parsing both.
    static func kubernetesChanges(
        _ path: String, old: String?, new: String?, origin: String?, document: Tree?
    ) -> [Change]? {
        let known = new.flatMap { text in document.flatMap { ScalarEditReader.Known.yamlFile($0, text: text) } }
        func objects(_ tree: Tree) -> [String: KubernetesObject] {
            KubernetesObject(tree: tree, file: path).map { [$0.kind + "/" + $0.name: $0] } ?? [:]
        }
        // The head is its known tree (`Known.yamlFile` checked the text is its rendering); the base is read
        // against it, else parsed.
        let newObjects = known.map { objects($0.tree) } ?? kubernetesObjects(new, file: path)
        let oldObjects =
            known.flatMap { known in old.flatMap { ScalarEditReader.read(Array($0.utf8)[...], known: known) } }
            .map(objects) ?? kubernetesObjects(old, file: path)
        guard let oldObjects, let newObjects else { return nil }
        return objectChanges(oldObjects, newObjects, file: path, origin: origin)
    }

    /// `Kind/namespace/name` → object, from every document of a YAML stream; empty for a missing
    /// file, nil when the text does not parse. A document without `metadata.name` (a kustomize
    /// Kustomization) is named by its file.
    static func kubernetesObjects(_ text: String?, file: String) -> [String: KubernetesObject]? {
        guard let text else { return [:] }
        guard let documents = yamlDocuments(text) else { return nil }
        return kubernetesObjects(documents: documents, file: file)
    }

    /// `Kind/namespace/name` → object, from parsed documents (`kubernetesObjects(_:file:)`).
    static func kubernetesObjects(documents: [Any], file: String) -> [String: KubernetesObject] {
        var objects: [String: KubernetesObject] = [:]
        for case let document as [String: Any] in documents {
            let object = KubernetesObject(document, file: file)
            objects["\(object.kind)/\(object.name)"] = object
        }
        return objects
    }

    /// One Kubernetes object of a file, as the plan compares it: parsed, or the tree a file renders (whose
    /// plain values, `yamlValue`, are made only when asked for).
    struct KubernetesObject {
        /// Its `kind` (`object` when it has none).
        var kind: String
        /// `namespace/name`, or `name`, or the file's path when it has no name.
        var name: String
        /// Its `apiVersion` (empty when it has none).
        var apiVersion: String
        /// The tree it was read from, when it was not parsed.
        var tree: Tree?
        /// Its plain values when it was parsed.
        private var parsed: Any?

        /// Its plain values (`yamlDocuments`' shape).
        var object: Any { parsed ?? tree.map(yamlValue) ?? [String: Any]() }

        /// A parsed document of `file`.
        init(_ document: [String: Any], file: String) {
            kind = document["kind"] as? String ?? "object"
            let metadata = document["metadata"] as? [String: Any] ?? [:]
            let name = metadata["name"].map { "\($0)" } ?? file
            self.name = (metadata["namespace"] as? String).map { "\($0)/\(name)" } ?? name
            apiVersion = document["apiVersion"] as? String ?? ""
            parsed = document
        }

        /// The object `tree` is, in `file`; nil when it is not a mapping. Named by the parsed document's rule,
        /// from the plain values (`yamlValue`) of the only entries it reads.
        init?(tree: Tree, file: String) {
            guard case .map(let entries) = tree else { return nil }
            var named: [String: Any] = [:]
            for entry in entries where Self.naming.contains(entry.key) && named[entry.key] == nil {
                named[entry.key] = yamlValue(entry.value)
            }
            self.init(named, file: file)
            parsed = nil
            self.tree = tree
        }

        /// The entries `init(_:file:)` reads.
        private static let naming: Set<String> = ["kind", "metadata", "apiVersion"]
    }

    /// The flattened fields of two versions of an object (`flatten`) where they can differ: when both trees
    /// are known, a mapping entry or keyed list item (`itemKeys`) equal on both sides is left out of both,
    /// which leaves `fieldChanges` the same (all the fields of an entry or item are under its path) without
    /// flattening the whole object. (Where two paths spell the same (a key `a.b` beside a mapping `a` holding
    /// `b`), the whole flattening kept whichever its dictionary's order met first; this keeps the one that
    /// differs.)
    static func differingFields(_ old: KubernetesObject?, _ new: KubernetesObject?) -> (
        before: [String: String], after: [String: String]
    ) {
        guard let oldTree = old?.tree, let newTree = new?.tree else {
            return (old.map { flatten($0.object) } ?? [:], new.map { flatten($0.object) } ?? [:])
        }
        var before: [String: String] = [:]
        var after: [String: String] = [:]
        differingFields(oldTree, newTree, prefix: "", before: &before, after: &after)
        return (before, after)
    }

    /// `differingFields` below `prefix`: mappings with unique keys on both sides are compared entry by entry,
    /// lists whose items are keyed on both sides item by item, anything else is flattened whole on each side.
    private static func differingFields(
        _ old: Tree, _ new: Tree, prefix: String, before: inout [String: String], after: inout [String: String]
    ) {
        func whole() {
            flatten(yamlValue(old), prefix: prefix, into: &before)
            flatten(yamlValue(new), prefix: prefix, into: &after)
        }
        switch (old, new) {
        case (.map(let oldEntries), .map(let newEntries))
        where oldEntries.count == newEntries.count && zip(oldEntries, newEntries).allSatisfy({ $0.key == $1.key })
            && !oldEntries.isEmpty && uniqueKeys(oldEntries):
            // The same keys in the same order (a value edited): entry by entry, without dictionaries.
            for (entry, other) in zip(oldEntries, newEntries) where entry.value != other.value {
                let path = prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)"
                differingFields(entry.value, other.value, prefix: path, before: &before, after: &after)
            }
        case (.map(let oldEntries), .map(let newEntries)) where !oldEntries.isEmpty && !newEntries.isEmpty:
            let oldValues = Dictionary(oldEntries.map { ($0.key, $0.value) }) { first, _ in first }
            let newValues = Dictionary(newEntries.map { ($0.key, $0.value) }) { first, _ in first }
            guard oldValues.count == oldEntries.count, newValues.count == newEntries.count else { return whole() }
            for (key, value) in oldValues where newValues[key] != value {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                if let other = newValues[key] {
                    differingFields(value, other, prefix: path, before: &before, after: &after)
                } else {
                    flatten(yamlValue(value), prefix: path, into: &before)
                }
            }
            for (key, value) in newValues where oldValues[key] == nil {
                flatten(yamlValue(value), prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &after)
            }
        case (.list(let oldItems), .list(let newItems)) where !oldItems.isEmpty && !newItems.isEmpty:
            // Keyed as `flatten` keys them: `itemKeys` reads only the identity and qualifier fields.
            guard let oldKeys = itemKeys(oldItems.map(identityFields)),
                let newKeys = itemKeys(newItems.map(identityFields))
            else { return whole() }
            let newByKey = Dictionary(zip(newKeys, newItems)) { first, _ in first }
            for (key, item) in zip(oldKeys, oldItems) where newByKey[key] != item {
                if let other = newByKey[key] {
                    differingFields(item, other, prefix: "\(prefix)[\(key)]", before: &before, after: &after)
                } else {
                    flatten(yamlValue(item), prefix: "\(prefix)[\(key)]", into: &before)
                }
            }
            let oldKeySet = Set(oldKeys)
            for (key, item) in zip(newKeys, newItems) where !oldKeySet.contains(key) {
                flatten(yamlValue(item), prefix: "\(prefix)[\(key)]", into: &after)
            }
        default:
            whole()
        }
    }

    /// Whether no key of a mapping repeats (pairwise for the small mappings objects are made of).
    private static func uniqueKeys(_ entries: [Tree.Entry]) -> Bool {
        guard entries.count > 16 else {
            return entries.indices.allSatisfy { i in !entries[..<i].contains { $0.key == entries[i].key } }
        }
        return Set(entries.map(\.key)).count == entries.count
    }

    /// A list item as `itemKeys` reads it: a mapping's identity and qualifier fields as plain values (the
    /// rest it never reads), anything else as its plain value.
    private static func identityFields(_ item: Tree) -> Any {
        guard case .map(let entries) = item else { return yamlValue(item) }
        var fields: [String: Any] = [:]
        for entry in entries where fields[entry.key] == nil && identifying.contains(entry.key) {
            fields[entry.key] = yamlValue(entry.value)
        }
        return fields
    }

    /// The fields `itemKeys` reads.
    private static let identifying = Set(identityKeys + qualifierKeys)

    static func objectChanges(
        _ old: [String: KubernetesObject],
        _ new: [String: KubernetesObject], file: String, origin: String?
    ) -> [Change] {
        var changes: [Change] = []
        for key in Set(old.keys).union(new.keys).sorted() {
            let (before, after) = differingFields(old[key], new[key])
            guard before != after, let entry = new[key] ?? old[key] else { continue }
            let action: Action = old[key] == nil ? .add : new[key] == nil ? .delete : .change
            let fields = fieldChanges(before, after)
            let risks = objectRisks(kind: entry.kind, action: action, fields: fields, after: after)
            if isFluxGraphObject(apiVersion: entry.apiVersion) {
                changes.append(
                    Change(
                        kind: "flux", name: "\(entry.kind) \(entry.name)", action: action, file: file, origin: origin,
                        fields: action == .change
                            ? fluxFields(old: old[key]?.object, new: new[key]?.object, fields: fields) : [],
                        risks: risks))
                continue
            }
            changes.append(
                Change(
                    kind: entry.kind, name: entry.name, action: action, file: file, origin: origin,
                    fields: action == .change ? fields : [], risks: risks))
        }
        return changes
    }

    static func objectRisks(kind: String, action: Action, fields: [FieldChange], after: [String: String]) -> [Risk] {
        var risks: Set<Risk> = []
        if action == .delete { risks.insert(.deletes) }
        if action == .change && fields.contains(where: { $0.path.hasPrefix("spec.template.") }) {
            risks.insert(.restarts)
        }
        if kind == "HelmRelease", action == .change, fields.contains(where: { upgradesTheChart($0.path) }) {
            risks.insert(.restarts)
        }
        let secretWords = ["secretKeyRef", "secretRef", "secretName", "imagePullSecrets"]
        if kind == "Secret" || kind == "ExternalSecret"
            || fields.contains(where: { field in secretWords.contains { field.path.contains($0) } })
        {
            risks.insert(.credentials)
        }
        // A listener newly on the node itself: hostNetwork pods, host ports, NodePort/LoadBalancer
        // Services and their node ports
        // (https://kubernetes.io/docs/concepts/services-networking/service/#type-nodeport,
        // https://kubernetes.io/docs/concepts/configuration/overview/#services on hostPort/hostNetwork).
        let newlyListening =
            action == .add
            ? after.contains { listensOnTheNode(path: $0.key, value: $0.value) }
            : fields.contains { field in
                field.new.map { listensOnTheNode(path: field.path, value: $0) } == true
                    && field.old.map { listensOnTheNode(path: field.path, value: $0) } != true
            }
        if newlyListening { risks.insert(.exposes) }
        return risks.sorted()
    }

    /// Whether a changed field of a HelmRelease makes helm-controller upgrade its release: the chart
    /// (`spec.chart.spec.version`, `chart`, its source; `spec.chartRef`) or the values (`spec.values`,
    /// `spec.valuesFrom`). helm-controller runs a Helm upgrade when the release's chart or values differ from
    /// the last release (https://fluxcd.io/flux/components/helm/helmreleases/, "Upgrade"); the upgrade
    /// renders the chart's templates again and applies them, so every workload whose pod template
    /// renders differently rolls its pods (a values change that reaches a template, a checksum annotation:
    /// https://helm.sh/docs/howto/charts_tips_and_tricks/#automatically-roll-deployments). The plan cannot
    /// render the chart, so any such change is `restarts`.
    static func upgradesTheChart(_ path: String) -> Bool {
        // How often the chart is looked up (`spec.chart.spec.interval`) upgrades nothing.
        !path.hasSuffix(".interval")
            && ["spec.chart.", "spec.chartRef.", "spec.values", "spec.valuesFrom"].contains { path.hasPrefix($0) }
    }

    /// Whether a flattened field makes a pod or Service listen on the node's own addresses.
    static func listensOnTheNode(path: String, value: String) -> Bool {
        (path.hasSuffix("hostNetwork") && value == "true")
            || (path == "spec.type" && (value == "NodePort" || value == "LoadBalancer"))
            || ((path.hasSuffix(".hostPort") || path.hasSuffix(".nodePort")) && value != "0")
    }

    // MARK: Cloud state

    /// The desired cloud state's entries that differ. `cloud` marks an entry `oceanid-apply` sends: not
    /// one whose only changed fields are documented "never sent" in `DesiredState.swift`
    /// (`neverSent`), nor a `dnsTargetSettings` entry, which deletes nothing when removed either. A
    /// hostname newly routed without an Access application is `exposes` once, on the entry that
    /// exposes it (`exposingEntry`).
    static func cloudChanges(_ old: Any, _ new: Any, file: String) -> [Change] {
        let before = cloudEntries(old, path: "")
        let after = cloudEntries(new, path: "")
        let hostsBefore = hostnames(old)
        let hostsAfter = hostnames(new)
        var changes: [Change] = []
        var mentions: [Set<String>] = []
        for key in Set(before.keys).union(after.keys).sorted() {
            let oldFields = before[key].map { flatten($0.value) } ?? [:]
            let newFields = after[key].map { flatten($0.value) } ?? [:]
            guard oldFields != newFields, let entry = after[key] ?? before[key] else { continue }
            let action: Action = before[key] == nil ? .add : after[key] == nil ? .delete : .change
            let fields = fieldChanges(oldFields, newFields)
            let metadata = neverSent[entry.list].map { sent in
                sent.isEmpty || (action == .change && fields.allSatisfy { sent.contains($0.path) })
            }
            var risks: Set<Risk> = metadata == true ? [] : [.cloud]
            if action == .delete, neverSent[entry.list]?.isEmpty != true { risks.insert(.deletes) }
            // A secret's ESC key, a service token, a storage's key reference.
            let credentialWords = ["escKey", "serviceTokens[", "secretAccessKey", "accessKeyId"]
            if fields.contains(where: { field in credentialWords.contains { field.path.contains($0) } }) {
                risks.insert(.credentials)
            }
            if entry.list.hasSuffix("accessApplications"), action == .change, admitsMore(fields) {
                risks.insert(.exposes)
            }
            changes.append(
                Change(
                    kind: entry.list, name: entry.name, action: action, file: file, origin: nil,
                    fields: action == .change ? fields : [], risks: risks.sorted()))
            // The hostnames it adds, removes or changes: all of an added or deleted entry's, else those
            // of its changed fields (a rule's `[hostname=x]`, a `hostname`/`domain`/`name` value) and its name.
            var hosts: Set<String> = [String(entry.name.prefix { $0 != " " }).lowercased()]
            if action == .change {
                for field in fields {
                    hosts.formUnion(
                        field.path.components(separatedBy: "hostname=").dropFirst().map {
                            String($0.prefix { $0 != "]" && $0 != "," }).lowercased()
                        })
                    if isHostnameField(field.path) {
                        hosts.formUnion([field.old, field.new].compactMap { $0?.lowercased() })
                    }
                }
            } else {
                for side in [oldFields, newFields] {
                    hosts.formUnion(side.filter { isHostnameField($0.key) }.values.map { $0.lowercased() })
                }
            }
            mentions.append(metadata == true ? [] : hosts)
        }
        let exposed = hostsAfter.routed.subtracting(hostsAfter.protected)
            .subtracting(hostsBefore.routed.subtracting(hostsBefore.protected))
        for hostname in exposed {
            let wasRouted = hostsBefore.routed.contains(hostname)
            if let index = exposingEntry(hostname, wasRouted: wasRouted, changes: changes, mentions: mentions) {
                changes[index].risks = Set(changes[index].risks + [.exposes]).sorted()
            }
        }
        return changes
    }

    /// Fields of the desired cloud state documented "never sent" in `DesiredState.swift` (kept for
    /// plans and messages), by list: an empty set means the whole entry (`dnsTargetSettings`, the
    /// settings.yaml key a tunnel route's CNAME target comes from).
    static let neverSent: [String: Set<String>] = [
        "cloudflare.dnsTargetSettings": [],
        "cloudflare.tunnels": ["name", "idSetting"],
        "cloudflare.privateRoutes": ["tunnelName", "description"],
    ]

    /// Whether a flattened field of a cloud entry holds a hostname (a rule's `hostname`, an Access
    /// application's `domain`, a DNS record's `name`).
    static func isHostnameField(_ path: String) -> Bool {
        path.hasSuffix("hostname") || path == "domain" || path == "name"
    }

    /// Which change exposes `hostname` (an index into `changes`, whose `mentions` are the hostnames each
    /// adds, removes or changes): for a hostname routed before, the Access application change that left
    /// it unprotected; for a newly routed one, the tunnel route, else the DNS record, that routes it.
    /// Either falls back to the other kinds, then to any entry naming it.
    static func exposingEntry(_ hostname: String, wasRouted: Bool, changes: [Change], mentions: [Set<String>])
        -> Int?
    {
        let order =
            wasRouted
            ? ["accessApplications", "tunnels", "dnsRecords"] : ["tunnels", "dnsRecords", "accessApplications"]
        let candidates = changes.indices.filter { mentions[$0].contains(hostname) }
        for list in order {
            if let index = candidates.first(where: { changes[$0].kind.hasSuffix(list) }) { return index }
        }
        return candidates.first
    }

    /// `list/name` → (list, name, value) for every list of objects in the state, at any depth;
    /// scalars and nested objects outside such lists are entries of their parent's path.
    static func cloudEntries(_ value: Any, path: String) -> [String: (list: String, name: String, value: Any)] {
        var out: [String: (list: String, name: String, value: Any)] = [:]
        guard let object = value as? [String: Any] else { return out }
        var scalars: [String: Any] = [:]
        for (key, child) in object {
            let childPath = path.isEmpty ? key : "\(path).\(key)"
            if let list = child as? [Any], !list.isEmpty, list.allSatisfy({ $0 is [String: Any] }) {
                // Named by the identity's value (`b.example`, `b.example type=AAAA` when names repeat).
                let keys = itemKeys(list, identities: (matchedBy[childPath] ?? []) + identityKeys)
                for (index, item) in list.enumerated() {
                    let name =
                        keys.map { key in
                            key[index].split(separator: ",").enumerated().map { position, part in
                                position == 0 ? String(part.drop { $0 != "=" }.dropFirst()) : String(part)
                            }.joined(separator: " ")
                        } ?? "#\(index)"
                    out["\(childPath)/\(name)"] = (childPath, name, item)
                }
            } else if let map = child as? [String: Any], !map.isEmpty,
                map.values.allSatisfy({ !($0 is [String: Any]) && !($0 is [Any]) })
            {
                // A map of scalars (`dnsTargetSettings`: hostname → setting) is keyed by its keys.
                for (name, value) in map { out["\(childPath)/\(name)"] = (childPath, name, [name: value]) }
            } else if child is [String: Any] {
                out.merge(cloudEntries(child, path: childPath)) { first, _ in first }
            } else {
                scalars[key] = child
            }
        }
        if !scalars.isEmpty { out["\(path)/"] = (path.isEmpty ? "settings" : path, "settings", scalars) }
        return out
    }

    /// The field a provider matches a cloud list's items by, where it is not the first of `identityKeys`:
    /// an Access application by its `domain` (Cloudflare allows one application per domain and the
    /// applier matches live applications by it; `AccessApplication.domain` in `DesiredState.swift`), so
    /// renaming an application is a change of its `name`, not a delete and an add.
    static let matchedBy: [String: [String]] = ["cloudflare.accessApplications": ["domain"]]

    /// Whether an Access application's changed fields let more in: an identity (an email, an email
    /// domain, `everyone`) or a service token newly included. Each is an `include` rule, any of which
    /// admits (https://developers.cloudflare.com/cloudflare-one/policies/access/#include); a longer
    /// session admits no one new and is not exposure.
    static func admitsMore(_ fields: [FieldChange]) -> Bool {
        fields.contains { field in
            (field.path.hasPrefix("emails[") || field.path.hasPrefix("serviceTokens[")
                || field.path.hasPrefix("include"))
                && field.new != nil && field.new != "[]"
        }
    }

    /// The hostnames a tunnel routes (or a DNS record names), and those an Access application covers,
    /// lower-cased: a routed hostname not protected is reachable without Access. Cloudflare Access
    /// protects a self-hosted application's domain
    /// (https://developers.cloudflare.com/cloudflare-one/applications/configure-apps/self-hosted-public-app/).
    static func hostnames(_ state: Any) -> (routed: Set<String>, protected: Set<String>) {
        let flat = flatten(state)
        func values(_ include: (String) -> Bool) -> [String] {
            flat.filter { include($0.key) }.map { $0.value.lowercased() }
        }
        let routed = Set(
            values { $0.contains("tunnels") && $0.hasSuffix(".hostname") }
                + values { $0.hasPrefix("cloudflare.dnsRecords") && $0.hasSuffix(".name") })
        let protected = Set(values { $0.hasPrefix("cloudflare.accessApplications") && $0.hasSuffix(".domain") })
        return (routed, protected)
    }

    // MARK: Files

    /// A file compared whole: host files (a host's YAML or JSON field by field, its lists keyed like
    /// cloudflared's ingress rules; a systemd unit directive by directive; other text as a line diff),
    /// policy and other files. A changed systemd unit restarts its service.
    static func fileChange(_ path: String, old: String?, new: String?, origin: String?) -> Change? {
        let action: Action = old == nil ? .add : new == nil ? .delete : .change
        var risks: Set<Risk> = []
        var fields: [FieldChange] = []
        if action == .delete { risks.insert(.deletes) }
        let kind: String
        if path.hasPrefix("hosts/") {
            kind = "host file"
            if path.contains("/systemd/") && action != .add { risks.insert(.restarts) }
            if action == .change, [".yaml", ".yml", ".json"].contains(where: { path.hasSuffix($0) }),
                let before = structured(old), let after = structured(new)
            {
                fields = fieldChanges(flatten(before), flatten(after))
                // Comments and key order only: nothing changes.
                if fields.isEmpty { return nil }
            } else if action == .change, let old, let new {
                // A unit by directive, any other text as a line diff (FleetPlan+Hosts.swift).
                fields = hostTextFields(path, old: old, new: new)
                if fields.isEmpty { return nil }
            }
        } else if path.hasPrefix("policy/") {
            kind = "policy"
        } else if path.hasPrefix("cloud/") {
            kind = "cloud file"
            risks.insert(.cloud)
        } else {
            kind = "file"
        }
        return Change(
            kind: kind, name: path, action: action, file: path, origin: origin, fields: fields, risks: risks.sorted())
    }

    /// A YAML (or JSON) document as plain values, nil when it does not parse.
    static func structured(_ text: String?) -> Any? {
        guard let text, let value = try? Yams.load(yaml: text) else { return nil }
        return normalized(value)
    }

    /// Whether SQL text (comments removed) drops something: `DROP TABLE`, `DROP COLUMN`, `DROP SCHEMA`...
    /// (https://www.postgresql.org/docs/current/sql-commands.html), or TRUNCATE.
    static func isDestructive(_ sql: String) -> Bool {
        let code = sql.split(separator: "\n").map { line in
            line.range(of: "--").map { String(line[..<$0.lowerBound]) } ?? String(line)
        }.joined(separator: "\n").uppercased()
        return code.range(of: #"\b(DROP|TRUNCATE)\b"#, options: .regularExpression) != nil
    }

    // MARK: Flattening

    /// Mappings with string keys (Yams builds `[AnyHashable: Any]`), recursively.
    static func normalized(_ value: Any?) -> Any {
        switch value {
        case let object as [AnyHashable: Any]:
            return Dictionary(object.map { ("\($0.key.base)", normalized($0.value)) }) { first, _ in first }
        case let list as [Any]: return list.map { normalized($0) }
        case let value?: return value
        case nil: return NSNull()
        }
    }

    static func json(_ text: String?) -> Any? {
        guard let text else { return [String: Any]() }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    /// Dotted path → scalar text. A list of objects is keyed by its items' natural key (`itemKeys`:
    /// `[name=x]`, a cloudflared rule by `[hostname=x]`), so order carries no meaning there; a list
    /// of scalars named in `unorderedLists` by value; any other list by position.
    static func flatten(_ value: Any, prefix: String = "") -> [String: String] {
        var out: [String: String] = [:]
        flatten(value, prefix: prefix, into: &out)
        return out
    }

    /// `flatten` into one dictionary (a path already there keeps its first value), rather than
    /// merging a new dictionary per level: most of the cost of diffing objects.
    static func flatten(_ value: Any, prefix: String, into out: inout [String: String]) {
        func set(_ text: String) { if out[prefix] == nil { out[prefix] = text } }
        switch value {
        case let object as [String: Any]:
            if object.isEmpty { set("{}") }
            for (key, child) in object { flatten(child, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", into: &out) }
        case let list as [Any]:
            if list.isEmpty { set("[]") }
            let field = prefix.split(separator: ".").last.map { String($0.prefix { $0 != "[" }) } ?? ""
            let keys =
                itemKeys(list)
                ?? (unorderedLists.contains(field) && Set(list.map { "\($0)" }).count == list.count
                    ? list.map { "=\($0)" } : nil)
            for (index, item) in list.enumerated() {
                flatten(item, prefix: "\(prefix)[\(keys?[index] ?? "\(index)")]", into: &out)
            }
        case is NSNull:
            set("null")
        case let text as String:
            // Most scalars: no bridging to NSNumber to look for a boolean.
            set(text)
        default:
            set(scalarText(value))
        }
    }

    /// A scalar as text: booleans as `true`/`false`, anything else as Swift prints it.
    ///
    /// swift-corelibs-foundation's `JSONSerialization` returns a JSON boolean as an `NSNumber` (its
    /// `__NSCFBoolean`), which Swift prints as `1`/`0` and which `as? Bool` cannot tell from the
    /// number 1 (any `NSNumber` holding 0 or 1 bridges to `Bool`). The boolean keeps the Objective-C
    /// type encoding `c` (`objCType`; the `@encode` of `BOOL`, https://developer.apple.com/documentation/
    /// foundation/nsnumber/objctype and swift-corelibs-foundation Sources/Foundation/NSNumber.swift), which
    /// no JSON or YAML number has: JSON numbers come back as `q`/`i` or `d`, Yams gives Swift `Int`/`Double`.
    static func scalarText(_ value: Any) -> String {
        if let number = value as? NSNumber, number.objCType.pointee == CChar(UInt8(ascii: "c")) {
            return number.boolValue ? "true" : "false"
        }
        return "\(value)"
    }

    /// Lists of scalars whose order carries no meaning: an Access application's include lists (Cloudflare
    /// evaluates an `include` rule as any-of:
    /// https://developers.cloudflare.com/cloudflare-one/policies/access/#include), CORS rules' lists.
    static let unorderedLists: Set<String> = [
        "emails", "serviceTokens", "allowedOrigins", "allowedMethods", "allowedHeaders", "exposeHeaders",
    ]

    /// The fields that identify an item of a list of objects, in preference order: Kubernetes' strategic
    /// merge keys (`name`; `containerPort`, `mountPath`, `port` where items have no name:
    /// https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/), a cloudflared
    /// ingress rule's `hostname` (cloudflared matches rules by hostname and path, the last rule catching
    /// all: https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/configure-tunnels/),
    /// and the desired state's identifying fields.
    static let identityKeys = [
        "name", "hostname", "domain", "idSetting", "bucket", "url", "network", "rule", "title", "id", "containerPort",
        "mountPath", "port",
    ]
    /// Fields that tell apart items sharing an identity (a DNS record's `type`, a health check's `kind`,
    /// a cloudflared rule's `path`).
    static let qualifierKeys = ["kind", "namespace", "type", "path"]

    /// The key of each item of `list` (`name=web`, `hostname=a.example,path=/api`), nil when the items
    /// are not all objects or share no identity that is unique. The first identity field every item
    /// has wins; only the last item may lack it (cloudflared's catch-all rule, keyed `hostname=*`);
    /// qualifiers are added only when the identity alone repeats.
    static func itemKeys(_ list: [Any], identities: [String] = identityKeys) -> [String]? {
        let items = list.compactMap { $0 as? [String: Any] }
        guard !items.isEmpty, items.count == list.count else { return nil }
        for identity in identities {
            let lacking = items.indices.filter { items[$0][identity] == nil || items[$0][identity] is [Any] }
            guard lacking.isEmpty || (lacking == [items.count - 1] && items.count > 1) else { continue }
            let plain = items.map { item in "\(identity)=\(item[identity].map { "\($0)" } ?? "*")" }
            if Set(plain).count == plain.count { return plain }
            let qualified = items.indices.map { index in
                ([plain[index]]
                    + qualifierKeys.compactMap { key in
                        items[index][key].flatMap { $0 is [String: Any] || $0 is [Any] ? nil : "\(key)=\($0)" }
                    }).joined(separator: ",")
            }
            if Set(qualified).count == qualified.count { return qualified }
        }
        return nil
    }

    /// The fields that differ. An empty list or map that gains (or loses) items is not listed itself:
    /// its items are.
    static func fieldChanges(_ old: [String: String], _ new: [String: String]) -> [FieldChange] {
        func filled(_ path: String, in side: [String: String]) -> Bool {
            // The root (`""`, a whole document that was `{}`) is filled by any other path.
            side.keys.contains { path.isEmpty ? !$0.isEmpty : $0.hasPrefix(path + "[") || $0.hasPrefix(path + ".") }
        }
        return Set(old.keys).union(new.keys).sorted().compactMap { path in
            if old[path] == new[path] { return nil }
            if new[path] == nil, old[path] == "[]" || old[path] == "{}", filled(path, in: new) { return nil }
            if old[path] == nil, new[path] == "[]" || new[path] == "{}", filled(path, in: old) { return nil }
            return FieldChange(path: path, old: old[path], new: new[path])
        }
    }
}
