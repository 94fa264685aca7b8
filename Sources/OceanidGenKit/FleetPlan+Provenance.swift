import Compiler
import Emitters
import Foundation

/// Where the head's output comes from, finer than a file where the compiler can tell.
///
/// - Declarations: a generated file's origin (one Kubernetes object per file, so per object); a cloud
///   state entry's by the hostname it carries (a tunnel route's declaration, `TunnelIR.Route.location`).
/// - Settings: per file, from the compiler's traces (`Provenance`: a setting's marked value found in the
///   file, or the file differing when the setting alone changes). No per-value table exists as data, so
///   a change lists every setting that feeds its file.
extension FleetPlan {
    /// What the head knows about its files' and entries' sources.
    public struct Sources: Sendable {
        /// Generated path → its declaration (`definitions/Apps.swift:12`).
        public var origins: [String: String] = [:]
        /// A routed hostname (lower case) → its route's declaration.
        public var hostnames: [String: String] = [:]
        /// Generated path → the keys of the settings that feed it, sorted.
        public var settings: [String: [String]] = [:]

        /// Nothing known.
        public init() {}

        /// The sources of `files`, which `ir` generates; locations relative to `root`.
        public init(ir: FleetIR?, files: [GeneratedFile], root: String) {
            for file in files {
                if let origin = file.origin { origins[file.path] = origin.relative(to: root).description }
            }
            guard let ir else { return }
            for route in ir.tunnels.flatMap(\.routes) {
                guard let hostname = route.hostname?.lowercased(), hostnames[hostname] == nil else { continue }
                hostnames[hostname] = route.location.relative(to: root).description
            }
            settings = Provenance(ir: ir, files: files).feeds
        }
    }

    /// The plan with every change's declaration and settings filled from `sources`: a cloud state entry
    /// gets the declaration of the first hostname among its changed (else all) fields that a route declares.
    public static func make(base: [String: String], head: [String: String], sources: Sources) -> FleetPlan {
        var plan = make(base: base, head: head, origins: sources.origins, settings: sources.settings)
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
