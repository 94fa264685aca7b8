import Compiler
import DSL

/// IR (and the other generated files) → the fleet's reference pages under `docs/`, so the
/// people running it find every setting, hostname and label in one place, regenerated and
/// checked like every output:
///
/// - `docs/README.md`: the index;
/// - `docs/settings.md`: every setting: type, default, the value in force and where it
///   was set, secret or not (its ESC key), what it controls, the definitions that read it
///   and the generated files it appears in;
/// - `docs/hostnames.md`: hostname → DNS record → tunnel → target → Access;
/// - `docs/topology.md`: the topology picture (Mermaid, as `oceanid-gen graph` prints it);
/// - `docs/labels.md`: the pod labels runbooks can select on, per workload, with the
///   `kubectl` selector.
///
/// Declarations are named by their definitions file without a line number, so an edit
/// that only moves lines does not rewrite the docs (`oceanid-gen explain` gives lines).
public enum FleetDocsEmitter {
    /// `docs/README.md`: the index of the pages below.
    public static let index = OutputLayout.file("README.md", in: .docs)
    /// `docs/settings.md`: one row per `FleetIR.settings` entry, with the generated files it appears in.
    public static let settings = OutputLayout.file("settings.md", in: .docs)
    /// `docs/hostnames.md`: one section per routed hostname of `FleetIR.tunnels`; written only when the
    /// fleet declares a tunnel.
    public static let hostnames = OutputLayout.file("hostnames.md", in: .docs)
    /// `docs/topology.md`: the `Topology` of the fleet as a Mermaid flowchart.
    public static let topology = OutputLayout.file("topology.md", in: .docs)
    /// `docs/labels.md`: the pod labels of each workload in `FleetIR.clusters`, with `kubectl -l` selectors.
    public static let labels = OutputLayout.file("labels.md", in: .docs)

    /// - Parameter files: every other generated file (the settings table says where each
    ///   setting's value appears).
    /// - Parameter labelsPage: `renderLabels(ir)` when the caller wrote it already (beside the other
    ///   emitters: it walks every workload).
    public static func emit(
        _ ir: FleetIR, files: [GeneratedFile], provenance: Provenance, labelsPage: String? = nil
    ) -> [GeneratedFile] {
        let origin = ir.location
        var out = [
            GeneratedFile(path: index, syntax: .markdown, body: renderIndex(ir), origin: origin),
            GeneratedFile(
                path: settings, syntax: .markdown, body: renderSettings(ir, files: files, provenance: provenance),
                origin: ir.settings.first?.declaredAt ?? origin),
            GeneratedFile(path: topology, syntax: .markdown, body: renderTopology(ir), origin: origin),
            GeneratedFile(
                path: labels, syntax: .markdown, body: labelsPage ?? renderLabels(ir),
                origin: ir.clusters.first?.location ?? origin),
        ]
        if !ir.tunnels.isEmpty {
            out.append(
                GeneratedFile(
                    path: hostnames, syntax: .markdown, body: renderHostnames(ir), origin: ir.cloudLocation ?? origin))
        }
        return out
    }

    /// `definitions/Edge.swift` for a declaration in the definitions; the file name alone for
    /// one elsewhere (fixtures), so no absolute path reaches a generated file.
    static func declaredIn(_ location: SourceLocation) -> String {
        if let range = location.file.range(of: "/definitions/", options: .backwards) {
            return "definitions/" + location.file[range.upperBound...]
        }
        return String(location.file.split(separator: "/").last ?? "")
    }

    static func cell(_ text: String?) -> String { MarkdownTable.cell(text) }
    /// A code span; the empty string shows as `""`.
    static func code(_ text: String) -> String { MarkdownTable.code(text, empty: "`\"\"`") }

    static func renderIndex(_ ir: FleetIR) -> String {
        var lines = [
            "# The \(ir.name) fleet", "",
            "Reference pages generated from `definitions/` and `settings.yaml` by `oceanid-gen build`.",
            "To trace any generated file, object, hostname or setting back to the line that declares it, run",
            "`oceanid-gen explain <path | kind/namespace/name | hostname | setting>`.", "",
            "- [Settings](settings.md): every setting, its value and where it was set, and where it is used",
            "- [Topology](topology.md): the internet, hostnames, tunnels, services, nodes and Flux layers",
            "- [Labels](labels.md): the pod labels runbooks can select on",
        ]
        if !ir.tunnels.isEmpty {
            lines.insert(
                "- [Hostnames](hostnames.md): hostname → DNS record → tunnel → target → Access", at: lines.count - 2)
        }
        if !ir.databases.isEmpty {
            let links = ir.databases.map { "[\($0.name)](databases/\($0.name).md)" }.joined(separator: ", ")
            lines.append("- Data dictionaries: \(links)")
        }
        lines.append("- [Diagnostics](diagnostics.md): every diagnostic code, what it means, an example and the fix")
        return lines.joined(separator: "\n") + "\n"
    }

    static func renderSettings(_ ir: FleetIR, files: [GeneratedFile], provenance: Provenance) -> String {
        guard !ir.settings.isEmpty else { return "# Settings\n\nThis fleet declares no settings.\n" }
        var appearsIn: [String: [String]] = [:]  // setting key → generated paths
        for file in files.sorted() {
            for row in provenance.settings(feeding: file) { appearsIn[row.key, default: []].append(file.path) }
        }
        let declared = Array(Set(ir.settings.map { declaredIn($0.declaredAt) })).sorted().map(code).joined(
            separator: ", ")
        var lines = [
            "# Settings", "",
            "\(ir.settings.count) settings, declared in \(declared). Override a non-secret one in",
            "`settings.yaml` at the repository root; a secret is only a Pulumi ESC key (its value never enters",
            "the repository). \"Appears in\" lists the generated files the value feeds (found by generating the fleet",
            "with the value marked; `oceanid-gen explain <setting>`), these pages under docs/ aside; a secret appears",
            "where its ESC key is referenced. \"Default from\" says where the default comes from: a seed (the old",
            "stack's documents, quoted), an upstream page, this fleet's design, or invented here (a guess: the build",
            "warns, `invented-default`, until settings.yaml sets it) or a placeholder (warns where it is read).", "",
            "| setting | type | default | default from | in force | set in | what it controls | read in | appears in |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for row in ir.settings.sorted(by: { $0.key < $1.key }) {
            let value = row.isSecret ? "secret" : row.value.map { code(TextSearch.oneLine($0)) } ?? "—"
            let fallback = row.isSecret ? "—" : row.defaultValue.map { code(TextSearch.oneLine($0)) } ?? "—"
            let source: String
            switch row.source {
            case .defaultValue: source = "default"
            case .settingsFile(let at): source = "`settings.yaml:\(at.line)`"
            case .escKey: source = "ESC key \(code(row.key))"
            }
            let readIn = Array(Set(row.usedAt.map(declaredIn))).sorted().map(code).joined(separator: ", ")
            let appears = (appearsIn[row.key] ?? []).map(code).joined(separator: ", ")
            let from = row.defaultSource.map { "\($0.kind): \(cell($0.detail))" } ?? "—"
            // Code spans are escaped already: only plain text goes through `cell`.
            lines.append(
                "| \(code(row.key)) | \(cell(row.typeName)) | \(fallback) | \(from) | \(value) | \(source) | "
                    + "\(cell(row.summary)) | "
                    + "\(readIn.isEmpty ? "—" : readIn) | \(appears.isEmpty ? "—" : appears) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func renderHostnames(_ ir: FleetIR) -> String {
        var lines = [
            "# Hostnames", "",
            "Every routed hostname of zone `\(ir.cloud.cloudflare.zoneName)`: the DNS record `oceanid-apply` keeps, the tunnel",
            "whose connector serves it, what the tunnel routes it to, and who Cloudflare Access lets through.", "",
            "| hostname | DNS record | tunnel | service | reaches | access | declared in |",
            "|---|---|---|---|---|---|---|",
        ]
        for tunnel in ir.tunnels {
            for route in tunnel.routes {
                guard let hostname = route.hostname else { continue }
                let dns =
                    ir.dnsRecord(of: hostname).map {
                        "\($0.type) → \(code($0.content))\($0.proxied ? ", proxied" : "")"
                    } ?? "none"
                let path = route.path.map { " (path \(code($0)))" } ?? ""
                lines.append(
                    "| \(code(hostname))\(path) | \(dns) | \(code(tunnel.name)) (\(tunnel.management), on \(tunnel.runsOn)) | "
                        + "\(code(route.service)) | \(route.endpoint.summary(quote: code)) | \(cell(route.access)) | \(code(declaredIn(route.location))) |"
                )
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func renderTopology(_ ir: FleetIR) -> String {
        // An empty `flowchart LR` is a Mermaid block that draws nothing (or an error).
        let topology = Topology.build(ir)
        return [
            "# Topology", "",
            "The internet, each routed hostname with who may pass, the tunnel its record points at, what the tunnel",
            "routes it to, the nodes with their host services, and each cluster's Flux layers in order",
            "(`oceanid-gen graph` prints the same; `--json` gives it as data).", "",
            topology.vertices.isEmpty
                ? "Nothing to draw: the fleet declares no node, tunnel or Flux layer."
                : "```mermaid\n" + topology.mermaid + "```",
        ].joined(separator: "\n") + "\n" + renderLayerHealth(ir)
    }

    /// What each Flux layer waits for before the layers that depend on it start: every object
    /// (`wait: true`) or its `healthChecks` only. Empty when no cluster has layers.
    static func renderLayerHealth(_ ir: FleetIR) -> String {
        var lines: [String] = []
        for cluster in ir.clusters {
            guard let flux = cluster.flux, !flux.layers.isEmpty else { continue }
            let kustomizations = cluster.components.flatMap(\.objects).filter {
                $0.id.kind == "Kustomization" && $0.id.namespace == flux.namespace
            }
            lines += [
                "", "## Flux layers of \(cluster.name)", "",
                "A layer is Ready, and the layers that depend on it start, once Flux has applied it and what it waits",
                "for is healthy: every object it applies (`wait: true`), or only its `healthChecks`",
                "(https://fluxcd.io/flux/components/kustomize/kustomizations/#health-checks).", "",
                "| layer | depends on | waits for |", "|---|---|---|",
            ]
            for name in flux.layers {
                guard let spec = kustomizations.first(where: { $0.id.name == name })?.tree["spec"] else { continue }
                let dependsOn = (spec["dependsOn"]?.items ?? []).compactMap { $0["name"]?.stringValue }
                let checks = (spec["healthChecks"]?.items ?? []).map { check in
                    let namespace = check["namespace"]?.stringValue.map { "\($0)/" } ?? ""
                    return "\(check["kind"]?.stringValue ?? "") "
                        + code(namespace + (check["name"]?.stringValue ?? ""))
                }
                let waits =
                    spec["wait"] == .bool(true)
                    ? "every object it applies"
                    : checks.isEmpty ? "nothing (Ready once applied)" : checks.joined(separator: ", ")
                lines.append(
                    "| \(code(name)) | \(dependsOn.isEmpty ? "—" : dependsOn.map(code).joined(separator: ", ")) | "
                        + "\(waits) |")
            }
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }

    static func renderLabels(_ ir: FleetIR) -> String {
        var lines = [
            "# Labels", "",
            "Every pod template carries `app` and `app.kubernetes.io/name` (the workload's name) besides any declared",
            "pod labels; every object carries `app.kubernetes.io/name`, `app.kubernetes.io/part-of` and",
            "`app.kubernetes.io/managed-by: oceanid-gen`. The pods of each workload, and how to select them:", "",
            "| cluster | namespace | workload | pod labels | select with |",
            "|---|---|---|---|---|",
        ]
        for cluster in ir.clusters {
            let workloads = cluster.components.flatMap(\.objects).compactMap {
                object -> (ObjectID, [String: String])? in
                guard let labels = ObjectReferences.podTemplate(object)?["metadata"]?["labels"] else { return nil }
                return (object.id, ObjectReferences.strings(labels))
            }.sorted { $0.0 < $1.0 }
            for (id, labels) in workloads {
                let namespace = id.namespace ?? "default"
                let shown = labels.sorted { $0.key < $1.key }.map { code("\($0.key)=\($0.value)") }.joined(
                    separator: ", ")
                let selector = labels["app"].map { code("kubectl -n \(namespace) get pod -l app=\($0)") } ?? "—"
                lines.append(
                    "| \(cluster.name) | \(namespace) | \(id.kind) \(code(id.name)) | \(shown) | \(selector) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
