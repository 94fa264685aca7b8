import Compiler
import DSL
import Emitters
import Foundation

/// Where the head's output comes from, finer than a file where the compiler can tell.
///
/// - Declarations: a generated file's origin (one Kubernetes object per file, so per object); a cloud
///   state entry's by the hostname it carries (a tunnel route's declaration, `TunnelIR.Route.location`).
/// - Settings: per value. The traced IR (`FleetIR.traces`, see `SettingTracer`) is laid out again as
///   Kubernetes files and the desired cloud state, and each value's marks say which string or integer
///   settings it holds; a secret is located where its ESC key is the value; a setting that cannot be
///   marked (a boolean, resources) where its variant lowering differs. A change lists the settings of its
///   changed fields (all its fields when added). A setting the definitions compute with (its marks reach
///   no file; `Provenance` finds its files by lowering again) is known per file only: every change of the
///   file lists it.
extension FleetPlan {
    /// What the head knows about its files' and entries' sources.
    public struct Sources: Sendable {
        /// Generated path → its declaration (`definitions/Apps.swift:12`).
        public var origins: [String: String] = [:]
        /// A routed hostname (lower case) → its route's declaration.
        public var hostnames: [String: String] = [:]
        /// Generated path → the keys of the settings that feed it, sorted.
        public var settings: [String: [String]] = [:]
        /// Generated path → `name|field` (a change's name, a flattened field path; `name|*` for any of
        /// its fields) → the keys of the settings marked in that value.
        public var values: [String: [String: Set<String>]] = [:]
        /// Generated path → every setting located in one of its values (marked, a secret's key, or a value
        /// that differs when the setting alone changes); the rest of `settings` are known per file only.
        public var marked: [String: Set<String>] = [:]
        /// A database's migrations folder (`sql/<db>/migrations/`) → its schema objects' declarations in
        /// the head (`SchemaChange.declarationKey` → `definitions/Databases.swift:193`), so a committed
        /// migration names where its change is declared now rather than the line its header froze.
        public var declarations: [String: [String: String]] = [:]
        /// A policy input's path (`policy/input/<cluster>.json`) → the head's document as compiled and, when
        /// the guardrails ran in the compile, its denials (`FleetIR.policyInputs`), for the paths that differ.
        public var policyInputs: [String: KnownPolicyInput] = [:]
        /// A Kubernetes file's path → the object it renders, as the compiler built it (`KubernetesLayout`), for
        /// the paths of `files`.
        public var documents: [String: Tree] = [:]

        /// Nothing known.
        public init() {}

        /// The sources of `files`, which `ir` generates; locations relative to `root`.
        public init(ir: FleetIR?, files: [GeneratedFile], root: String) {
            for file in files {
                if let origin = file.origin { origins[file.path] = origin.relative(to: root).description }
            }
            guard let ir else { return }
            let paths = Set(files.map(\.path))
            for (path, object) in KubernetesLayout.objectFiles(ir) where paths.contains(path) {
                documents[path] = object.tree
            }
            for cluster in ir.clusters where paths.contains(OutputLayout.policyInput(cluster.name)) {
                let path = OutputLayout.policyInput(cluster.name)
                if let evaluated = ir.policyInputs?[cluster.name] {
                    policyInputs[path] = KnownPolicyInput(document: evaluated.document, denials: evaluated.denials)
                } else {
                    policyInputs[path] = KnownPolicyInput(document: PolicyInput.document(cluster, ir), denials: nil)
                }
            }
            for database in ir.databases where !database.declarations.isEmpty {
                declarations[OutputLayout.sql(database.name) + "/migrations/"] = database.declarations.mapValues {
                    $0.relative(to: root).description
                }
            }
            for route in ir.tunnels.flatMap(\.routes) {
                guard let hostname = route.hostname?.lowercased(), hostnames[hostname] == nil else { continue }
                hostnames[hostname] = route.location.relative(to: root).description
            }
            settings = Provenance(ir: ir, files: files).feeds
            guard let traces = ir.traces else { return }
            let wanted = Set(files.map(\.path))
            func locate(_ keys: some Sequence<String>, _ path: String, _ name: String, _ field: String) {
                values[path, default: [:]]["\(name)|\(field)", default: []].formUnion(keys)
                values[path, default: [:]]["\(name)|*", default: []].formUnion(keys)
                marked[path, default: []].formUnion(keys)
            }
            // Marked values: string and integer settings.
            for file in KubernetesLayout.emit(traces.traced) + CloudStateEmitter.emit(traces.traced) {
                let path = unmarked(file.path)
                guard wanted.contains(path) else { continue }
                values[path] = values[path] ?? [:]
                for (name, fields) in FleetPlan.entries(file.contents, path: path) {
                    for (field, text) in fields {
                        let keys = traces.tracer.keys(in: text)
                        if !keys.isEmpty { locate(keys, path, unmarked(name), unmarked(field)) }
                    }
                }
            }
            // A secret is referenced by its key itself (an ESC key); a setting that cannot be marked
            // feeds the values that differ when the fleet is lowered with it alone changed.
            let secrets = Set(ir.settings.filter(\.isSecret).map(\.key))
            var real: [String: [String: [String: String]]] = [:]
            for file in files where values[file.path] != nil {
                real[file.path] = FleetPlan.entries(file.contents, path: file.path)
                for (name, fields) in real[file.path] ?? [:] {
                    for (field, text) in fields where secrets.contains(text) { locate([text], file.path, name, field) }
                }
            }
            for (key, variant) in traces.variants {
                let fed = Set(real.keys.filter { settings[$0]?.contains(key) == true })
                guard !fed.isEmpty else { continue }
                for file in KubernetesLayout.emit(variant) + CloudStateEmitter.emit(variant)
                where fed.contains(file.path) {
                    let other = FleetPlan.entries(file.contents, path: file.path)
                    for (name, fields) in real[file.path] ?? [:] {
                        for field in fieldChanges(fields, other[name] ?? [:]) {
                            locate([key], file.path, name, field.path)
                        }
                    }
                }
            }
        }
    }

    /// A Kubernetes file's objects (`Kind namespace/name`) or the desired cloud state's entries (`list name`,
    /// as the plan names them), each flattened; empty for any other file.
    static func entries(_ text: String, path: String) -> [String: [String: String]] {
        var out: [String: [String: String]] = [:]
        if path.hasPrefix("clusters/"), let objects = kubernetesObjects(text, file: path) {
            for entry in objects.values { out["\(entry.kind) \(entry.name)"] = flatten(entry.object) }
        } else if path.hasPrefix("cloud/"), path.hasSuffix(".json"), let state = json(text) {
            for entry in cloudEntries(state, path: "").values {
                out["\(entry.list) \(entry.name)"] = flatten(entry.value)
            }
        }
        return out
    }

    /// `text` without the tracer's marks (the private-use range U+E000–U+F8FF, which no fleet writes).
    static func unmarked(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xE000...0xF8FF).contains($0.value) }) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !(0xE000...0xF8FF).contains($0.value) }))
    }

    /// The settings behind `change`: those marked in its changed fields (any of its fields when it has
    /// none listed), plus those of its file that no value carries; nil when the file was not traced or the
    /// change is a guardrail verdict (`guardrailKind`: none).
    static func settings(of change: Change, in sources: Sources) -> [String]? {
        guard change.kind != guardrailKind, let table = sources.values[change.file] else { return nil }
        // Entries are `Kind namespace/name` or `list name`; a flux change is named `Kind namespace/name`.
        let names = change.kind == "flux" ? [change.name] : ["\(change.kind) \(change.name)"]
        let fields = change.fields.isEmpty ? ["*"] : change.fields.map(\.path)
        var keys: Set<String> = []
        for name in names {
            for field in fields { keys.formUnion(table["\(name)|\(field)"] ?? []) }
        }
        // Flux edges (`dependsOn`) are summaries, not flattened paths: any marked field of the object.
        if keys.isEmpty, change.kind == "flux" { for name in names { keys.formUnion(table["\(name)|*"] ?? []) } }
        let unmarkable = Set(sources.settings[change.file] ?? []).subtracting(sources.marked[change.file] ?? [])
        return keys.union(unmarkable).sorted()
    }

    /// The plan with every change's declaration and settings filled from `sources`: a cloud state entry
    /// gets the declaration of the first hostname among its changed (else all) fields that a route declares.
    public static func make(base: [String: String], head: [String: String], sources: Sources) -> FleetPlan {
        var plan = make(
            base: base, head: head, origins: sources.origins, settings: sources.settings,
            declarations: sources.declarations, policyInputs: sources.policyInputs, documents: sources.documents)
        for index in plan.changes.indices {
            if let settings = settings(of: plan.changes[index], in: sources) { plan.changes[index].settings = settings }
        }
        for index in plan.changes.indices where plan.changes[index].origin == nil {
            let change = plan.changes[index]
            // A deleted object's declaration is gone: the component that no longer declares it is named.
            if change.action == .delete, change.file.hasPrefix("clusters/"), let slash = change.file.lastIndex(of: "/")
            {
                plan.changes[index].origin = sources.origins[change.file[..<slash] + "/kustomization.yaml"]
                continue
            }
            // Hostnames it names: in a field's path (`ingress[hostname=a.example]`), as a value, as its name.
            var named: [String] = change.fields.flatMap { field in
                field.path.components(separatedBy: "hostname=").dropFirst().map {
                    String($0.prefix { $0 != "]" && $0 != "," })
                }
                    + [field.new, field.old].compactMap { $0 }
            }
            named.append(String(change.name.prefix { $0 != " " }))
            plan.changes[index].origin = named.lazy.compactMap { sources.hostnames[$0.lowercased()] }.first
        }
        return plan
    }
}
