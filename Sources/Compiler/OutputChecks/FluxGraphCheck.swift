import DSL

/// Flux graph integrity, checked on the lowered objects so that escape-hatch Flux objects
/// are held to the same rules: every sourceRef and dependsOn resolves, dependsOn has no
/// cycle, every Kustomization path is an emitted folder with a kustomization.yaml, and no
/// two Kustomizations own one path. Also: ExternalSecrets read from a declared store.
public enum FluxGraphCheck {
    /// Checks each cluster's emitted objects (the check-output stage, only on a fleet without
    /// errors, so a broken one does not cascade). Restates Flux: a Kustomization's `sourceRef`
    /// and `dependsOn` and a HelmRelease's `spec.chart.spec.sourceRef` must name objects that
    /// exist, or the object never becomes ready; `dependsOn` must have no cycle; `spec.path`
    /// must be an emitted folder with a kustomization.yaml, owned by one Kustomization only.
    /// An ExternalSecret's `secretStoreRef` must name a declared store.
    ///
    /// - Returns: `danglingSourceRef`, `danglingDependsOn`, `dependencyCycle`,
    ///   `missingKustomizePath`, `duplicateKustomizePath` and `undeclaredSecretStore`, sorted.
    public static func run(_ ir: FleetIR) -> [Diagnostic] {
        ir.clusters.flatMap(check).sorted()
    }

    static func check(_ cluster: ClusterIR) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let objects = cluster.components.flatMap(\.objects)
        var byKey: [String: ObjectIR] = [:]
        for object in objects { byKey["\(object.id.kind)/\(object.id.namespace ?? "")/\(object.id.name)"] = object }
        func names(_ kind: String) -> [String] { objects.filter { $0.id.kind == kind }.map(\.id.name) }
        let folders = Set(cluster.kustomizeFolders)

        // In declaration order, so "already owns" names the one written first.
        let kustomizations = objects.filter {
            $0.id.kind == "Kustomization" && $0.id.group == "kustomize.toolkit.fluxcd.io"
        }
        .sorted { $0.sequence < $1.sequence }
        var owners: [String: ObjectIR] = [:]
        for k in kustomizations {
            let spec = k.tree["spec"]
            let ns = k.id.namespace ?? ""
            if let ref = spec?["sourceRef"], let kind = ref["kind"]?.stringValue, let name = ref["name"]?.stringValue {
                let refNS = ref["namespace"]?.stringValue ?? ns
                if byKey["\(kind)/\(refNS)/\(name)"] == nil {
                    out.append(
                        .danglingSourceRef(
                            k.id, kind: kind, name: name, namespace: refNS, known: names(kind), at: k.origin))
                }
            }
            let path = normalized(spec?["path"]?.stringValue ?? "")
            if !folders.contains(path) {
                out.append(.missingKustomizePath(k.id, path: path, at: k.origin))
            } else if let owner = owners[path] {
                out.append(
                    .duplicateKustomizePath(k.id, path: path, owner: owner.id, at: k.origin, first: owner.origin))
            } else {
                owners[path] = k
            }
            for dependency in dependsOn(k)
            where byKey["Kustomization/\(dependency.namespace)/\(dependency.name)"] == nil {
                out.append(
                    .danglingDependsOn(
                        k.id, name: dependency.name, namespace: dependency.namespace,
                        known: names("Kustomization"), at: k.origin))
            }
        }
        out += cycles(kustomizations)

        for release in objects where release.id.kind == "HelmRelease" {
            guard let ref = release.tree["spec"]?["chart"]?["spec"]?["sourceRef"],
                let kind = ref["kind"]?.stringValue, let name = ref["name"]?.stringValue
            else { continue }
            let ns = ref["namespace"]?.stringValue ?? release.id.namespace ?? ""
            if byKey["\(kind)/\(ns)/\(name)"] == nil {
                out.append(
                    .danglingSourceRef(
                        release.id, kind: kind, name: name, namespace: ns, known: names(kind), at: release.origin))
            }
        }

        for secret in objects where secret.id.kind == "ExternalSecret" {
            guard let ref = secret.tree["spec"]?["secretStoreRef"], let name = ref["name"]?.stringValue else {
                continue
            }
            let kind = ref["kind"]?.stringValue ?? "SecretStore"
            let key =
                kind == "ClusterSecretStore"
                ? "ClusterSecretStore//\(name)" : "SecretStore/\(secret.id.namespace ?? "")/\(name)"
            if byKey[key] == nil { out.append(.undeclaredSecretStore(name, secret: secret.id.name, at: secret.origin)) }
        }
        return out
    }

    /// `./clusters/x/` → `clusters/x`
    static func normalized(_ path: String) -> String {
        var p = Substring(path)
        while p.hasPrefix("./") { p = p.dropFirst(2) }
        while p.hasSuffix("/") { p = p.dropLast() }
        return String(p)
    }

    static func dependsOn(_ k: ObjectIR) -> [(name: String, namespace: String)] {
        guard case .list(let items) = k.tree["spec"]?["dependsOn"] ?? .list([]) else { return [] }
        return items.compactMap { item in
            guard let name = item["name"]?.stringValue else { return nil }
            return (name, item["namespace"]?.stringValue ?? k.id.namespace ?? "")
        }
    }

    /// Reports each dependency cycle once, starting from its first member in sorted order.
    static func cycles(_ kustomizations: [ObjectIR]) -> [Diagnostic] {
        let byKey = Dictionary(
            kustomizations.map { ("\($0.id.namespace ?? "")/\($0.id.name)", $0) }, uniquingKeysWith: { a, _ in a })
        var state: [String: Int] = [:]  // 1: on the stack, 2: done
        var stack: [String] = []
        var out: [Diagnostic] = []
        func visit(_ key: String) {
            state[key] = 1
            stack.append(key)
            for dependency in dependsOn(byKey[key]!) {
                let next = "\(dependency.namespace)/\(dependency.name)"
                guard byKey[next] != nil else { continue }
                if state[next] == 1, let start = stack.firstIndex(of: next) {
                    let members = Array(stack[start...])
                    let names = (members + [next]).map { String($0.split(separator: "/").last ?? "") }
                    let first = members.map { byKey[$0]! }.min { $0.origin < $1.origin }!
                    out.append(.dependencyCycle(names, at: first.origin))
                } else if state[next] == nil {
                    visit(next)
                }
            }
            stack.removeLast()
            state[key] = 2
        }
        for key in byKey.keys.sorted() where state[key] == nil { visit(key) }
        return out
    }
}
