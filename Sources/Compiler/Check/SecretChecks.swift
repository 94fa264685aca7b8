import DSL

/// Secrets by reference only: templates read only keys the secret fetches, and no secret
/// value is written in the definitions (a credential in a URL, a private key block) in an
/// env value, ConfigMap data, command line, annotation, escape-hatch body or Helm values.
/// Each finding is reported at the declaration that holds it; the scan of the generated
/// files stays as the last net.
enum SecretChecks {
    static func templates(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard case .secret(let secret) = object.payload else { continue }
            let fetched = Array(secret.keys.keys)
            for (key, template) in secret.template.sorted(by: { $0.key < $1.key }) {
                for read in templateReads(template) where secret.keys[read] == nil {
                    out.append(.unknownTemplateKey(read, secret: secret.name, templateKey: key, known: fetched,
                                                   at: secret.templateLocation ?? secret.location))
                }
            }
        }
        return out
    }

    /// Top-level fields a Go template reads (`.url` in `{{ (urlParse .url).host }}`), not
    /// fields of a value (`.host` after a `)`).
    static func templateReads(_ template: String) -> [String] {
        var reads: [String] = []
        for action in template.matches(of: #/\{\{(.*?)\}\}/#) {
            for match in String(action.1).matches(of: #/(^|[\s(|])\.([A-Za-z_][A-Za-z0-9_]*)/#) {
                let name = String(match.2)
                if !reads.contains(name) { reads.append(name) }
            }
        }
        return reads
    }

    static func literals(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        func scan(_ value: String, _ place: @autoclosure () -> String, at loc: SourceLocation) {
            if let what = SecretScan.secretKind(in: value) { out.append(.secretInDefinition(what, in: place(), at: loc)) }
        }
        func scan(_ tree: Tree, _ owner: String, path: String, at loc: SourceLocation) {
            switch tree {
            case .string(let s): scan(s, "\(owner) value '\(path)'", at: loc)
            case .list(let items): for (i, item) in items.enumerated() { scan(item, owner, path: "\(path)[\(i)]", at: loc) }
            case .map(let entries):
                for entry in entries { scan(entry.value, owner, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", at: loc) }
            default: break
            }
        }
        for object in index.objects {
            switch object.payload {
            case .configMap(let map):
                for (key, value) in map.data.sorted(by: { $0.key < $1.key }) { scan(value, "ConfigMap '\(map.name)' key '\(key)'", at: map.location) }
            case .raw(let raw):
                if raw.kind == "Secret" && raw.apiVersion == "v1" {
                    out.append(.secretInDefinition("a Kubernetes Secret object (its data would be committed)", in: "RawObject '\(raw.name)'",
                                                   at: raw.location))
                } else {
                    scan(raw.body, "\(raw.kind) '\(raw.name)'", path: "", at: raw.location)
                }
            case .helmRelease(let release): scan(release.values, "HelmRelease '\(release.name)'", path: "values", at: release.location)
            default: break
            }
            if let workload = object.workload {
                for container in workload.pod.allContainers {
                    for env in container.env {
                        if case .literal(let value) = env.source { scan(value, "env '\(env.name)'", at: env.location) }
                    }
                    for (i, arg) in (container.command + container.args).enumerated() {
                        scan(arg, "container '\(container.name)' command line (argument \(i + 1))", at: container.location)
                    }
                }
            }
        }
        return out
    }
}
