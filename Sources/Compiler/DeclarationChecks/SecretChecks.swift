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
                if !balanced(template) {
                    out.append(
                        .unbalancedTemplate(key, secret: secret.name, at: secret.templateLocation ?? secret.location))
                }
                for read in templateReads(template) where secret.keys[read] == nil {
                    out.append(
                        .unknownTemplateKey(
                            read, secret: secret.name, templateKey: key, known: fetched,
                            at: secret.templateLocation ?? secret.location))
                }
            }
        }
        return out
    }

    /// Every `{{` closed by a `}}` before the next opens (Go's text/template actions).
    static func balanced(_ template: String) -> Bool {
        var open = false
        var rest = template[...]
        while let next = rest.range(of: open ? "}}" : "{{") {
            // Outside an action a "}}" may not come first; inside one a "{{" may not.
            if let stray = rest.range(of: open ? "{{" : "}}"), stray.lowerBound < next.lowerBound { return false }
            open.toggle()
            rest = rest[next.upperBound...]
        }
        return !open && !rest.contains("}}")
    }

    // Compiled once (a regex literal is rebuilt on every evaluation); Regex is not Sendable.
    nonisolated(unsafe) static let action = try! Regex(#"\{\{(.*?)\}\}"#)
    nonisolated(unsafe) static let fieldRead = try! Regex(#"(^|[\s(|])\.([A-Za-z_][A-Za-z0-9_]*)"#)

    /// Top-level fields a Go template reads (`.url` in `{{ (urlParse .url).host }}`), not
    /// fields of a value (`.host` after a `)`).
    static func templateReads(_ template: String) -> [String] {
        var reads: [String] = []
        for action in template.matches(of: Self.action) {
            guard let inside = action.output[1].substring else { continue }
            for match in String(inside).matches(of: Self.fieldRead) {
                guard let field = match.output[2].substring else { continue }
                let name = String(field)
                if !reads.contains(name) { reads.append(name) }
            }
        }
        return reads
    }

    /// Env values at their `Env` declaration, and Secret-shaped escape hatches (a `Secret`, or a
    /// `List` that could wrap one) at theirs. Everything else is scanned on the lowered
    /// objects (`objects(_:)`), which see every string whoever wrote it.
    static func literals(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            // Free-form trees (escape-hatch bodies, Helm values) may hold credentials under
            // their usual keys (password:, token:): a literal there is a secret in git.
            let freeForm: (Tree, String, SourceLocation)? =
                switch object.payload {
                case .raw(let raw) where !(raw.kind == "Secret" && raw.apiVersion == "v1"):
                    (raw.body, "\(raw.kind) '\(raw.name)'", raw.location)
                case .helmRelease(let release):
                    (release.values, "HelmRelease '\(release.name)' values", release.location)
                default: nil
                }
            if let (tree, owner, location) = freeForm {
                walk(tree, path: "") { path, key, value in
                    if let key, !value.isEmpty, key.utf8.count <= 40, SecretScan.isCredentialKey(key) {
                        out.append(
                            .secretInDefinition(
                                "a literal credential", in: "\(owner) field '\(path)'", at: location, value: value))
                    }
                }
            }
            if case .raw(let raw) = object.payload {
                if raw.kind == "Secret" && raw.apiVersion == "v1" {
                    out.append(
                        .secretInDefinition(
                            "a Kubernetes Secret object (its data would be committed)", in: "RawObject '\(raw.name)'",
                            at: raw.location))
                } else if raw.kind == "List" || raw.kind.hasSuffix("List") {
                    out.append(.listObject(raw.kind, name: raw.name, at: raw.location))
                }
            }
            guard let workload = object.workload else { continue }
            for container in workload.pod.allContainers {
                for env in container.env {
                    guard case .literal(let value) = env.source, !value.isEmpty else { continue }
                    if let what = SecretScan.secretKind(in: value) {
                        out.append(.secretInDefinition(what, in: "env '\(env.name)'", at: env.location, value: value))
                    } else if SecretScan.isCredentialKey(env.name) {
                        out.append(
                            .secretInDefinition(
                                "a literal password", in: "env '\(env.name)'", at: env.location, value: value))
                    }
                }
                // `--password hunter2` on a command line.
                let words = container.command + container.args
                for (flag, value) in zip(words, words.dropFirst())
                where ["--password", "-p", "--passwd", "--token"].contains(flag.lowercased())
                    && flag != "-p" && !value.hasPrefix("$(")
                {
                    out.append(
                        .secretInDefinition(
                            "a literal credential after \(flag)", in: "container '\(container.name)' command line",
                            at: container.location, value: value))
                }
            }
        }
        return out
    }

    private static func walk(_ tree: Tree, path: String, key: String? = nil, _ visit: (String, String?, String) -> Void)
    {
        switch tree {
        case .string(let s): visit(path, key, s)
        case .list(let items):
            for (i, item) in items.enumerated() { walk(item, path: "\(path)[\(i)]", key: key, visit) }
        case .map(let entries):
            for entry in entries {
                walk(entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)", key: entry.key, visit)
            }
        default: break
        }
    }
}
