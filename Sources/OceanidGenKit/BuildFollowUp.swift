import Foundation
import Workspace

/// What a build's changes need that the build itself cannot do, each with the command that does
/// it: the cloud state (`oceanid-apply plan`), a new or renamed secret setting (the ESC key to
/// set), host files (which files go to which host and the unit to restart), a new migration
/// (`oceanid-apply db migrate <database>`) and a Service renamed under a tunnel's route.
///
/// Read only from the build's `OutputPlan` entries (path, the bytes written and the bytes that
/// were there), so it needs no compiler state and says nothing when nothing changed.
struct BuildFollowUp: Encodable, Equatable {
    /// `cloud`, `secret`, `host`, `migration` or `route`.
    var kind: String
    /// What changed, in one sentence.
    var reason: String
    /// The command to run (a shell line).
    var command: String

    /// Every follow-up `entries` need, in the order above; empty when none. `root`: the tree
    /// the build wrote (a host's unit files are read there).
    static func from(_ entries: [OutputPlan.Entry], root: String) -> [BuildFollowUp] {
        var out: [BuildFollowUp] = []
        if let cloud = entries.first(where: { $0.path == "cloud/desired-state.json" }) {
            out.append(
                BuildFollowUp(
                    kind: "cloud", reason: "cloud/desired-state.json was \(word(cloud.change))",
                    command: "oceanid-apply plan   # then: oceanid-apply apply"))
        }
        out += secretFollowUps(entries, root: root)
        out += hostFollowUps(entries, root: root)
        for entry in entries where entry.change == .create {
            let parts = entry.path.split(separator: "/")
            if parts.count == 4, parts[0] == "sql", parts[2] == "migrations", parts[3].hasSuffix(".sql") {
                out.append(
                    BuildFollowUp(
                        kind: "migration", reason: "\(entry.path) is a new migration",
                        command: "oceanid-apply db migrate \(parts[1])"))
            }
        }
        out += routeFollowUps(entries)
        return out
    }

    static func isDelete(_ change: OutputPlan.Change) -> Bool {
        if case .delete = change { true } else { false }
    }

    static func word(_ change: OutputPlan.Change) -> String {
        switch change {
        case .create: "created"
        case .update: "updated"
        case .delete: "deleted"
        }
    }

    /// A secret the changed ExternalSecrets read that none read before (new, or renamed): the
    /// `esc env set` of its path in the Pulumi ESC environment the `ClusterSecretStore` names
    /// (external-secrets' Pulumi provider reads `pulumiConfig["<namespace>:<key>"]` from
    /// `<project>/<environment>`; https://external-secrets.io/latest/provider/pulumi/). Keys
    /// read only by unchanged files are not seen: compared across the changed files only.
    static func secretFollowUps(_ entries: [OutputPlan.Entry], root: String) -> [BuildFollowUp] {
        let secrets = entries.filter { ($0.path.split(separator: "/").last ?? "").hasPrefix("externalsecret-") }
        let before = Set(secrets.flatMap { remoteKeys($0.current) })
        let added = Set(secrets.flatMap { remoteKeys($0.contents) }).subtracting(before).sorted()
        guard !added.isEmpty else { return [] }
        let environment = escEnvironment(entries, root: root)
        return added.map { key in
            BuildFollowUp(
                kind: "secret", reason: "the secret \(key) is read by an ExternalSecret for the first time",
                command: "esc env set \(environment) 'pulumiConfig.\(key)' \"<value>\" --secret")
        }
    }

    /// The `<namespace>:<key>` of every `key: "pulumiConfig[\"<namespace>:<key>\"]"` line.
    static func remoteKeys(_ text: String?) -> [String] {
        guard let text else { return [] }
        let opening = "pulumiConfig[\\\""
        return text.split(separator: "\n").compactMap { line in
            guard let start = line.range(of: opening) else { return nil }
            let rest = line[start.upperBound...]
            guard let end = rest.range(of: "\\\"]") else { return nil }
            return String(rest[..<end.lowerBound])
        }
    }

    /// `<project>/<environment>` of the Pulumi `ClusterSecretStore` (written or on disk under
    /// `root`), or `<project>/<environment>` spelled out when there is none.
    static func escEnvironment(_ entries: [OutputPlan.Entry], root: String) -> String {
        var texts = entries.filter { $0.path.contains("clustersecretstore-") }.compactMap(\.contents)
        if let found = FileManager.default.enumerator(atPath: root + "/clusters") {
            for case let path as String in found where path.contains("clustersecretstore-") {
                if let text = try? String(contentsOfFile: root + "/clusters/" + path, encoding: .utf8) {
                    texts.append(text)
                }
            }
        }
        for text in texts {
            func value(_ field: String) -> String? {
                text.split(separator: "\n").first { $0.trimmingCharacters(in: .whitespaces).hasPrefix(field + ": ") }
                    .map { $0.trimmingCharacters(in: .whitespaces).dropFirst(field.count + 2) }.map(String.init)
            }
            if let project = value("project"), let environment = value("environment") {
                return "\(project)/\(environment)"
            }
        }
        return "<project>/<environment>"
    }

    /// Per host: the changed files under `hosts/<host>/` (installed at the path after the host's
    /// name), and the units to restart: a changed unit file itself, and every unit of the host
    /// (as written under `root`) whose file names a changed path (cloudflared-node.service reads
    /// /etc/cloudflared/config.yaml).
    static func hostFollowUps(_ entries: [OutputPlan.Entry], root: String) -> [BuildFollowUp] {
        var byHost: [String: [OutputPlan.Entry]] = [:]
        for entry in entries where entry.path.hasPrefix("hosts/") {
            let parts = entry.path.split(separator: "/", maxSplits: 2)
            guard parts.count == 3 else { continue }
            byHost[String(parts[1]), default: []].append(entry)
        }
        let unitDirectory = "etc/systemd/system/"
        return byHost.keys.sorted().map { host in
            let changed = byHost[host] ?? []
            let prefix = "hosts/\(host)/"
            let installed = { (entry: OutputPlan.Entry) in "/" + entry.path.dropFirst(prefix.count) }
            let kept = changed.filter { !isDelete($0.change) }
            var units = Set(
                kept.filter { $0.path.hasPrefix(prefix + unitDirectory) }.map {
                    String($0.path.split(separator: "/").last ?? "")
                })
            let folder = root + "/" + prefix + unitDirectory
            for unit in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                guard let text = try? String(contentsOfFile: folder + unit, encoding: .utf8) else { continue }
                if changed.contains(where: { text.contains(installed($0)) }) { units.insert(unit) }
            }
            var steps: [String] = []
            if !kept.isEmpty {
                steps.append("install " + kept.map { "\($0.path) → \(installed($0))" }.joined(separator: ", "))
            }
            let deleted = changed.filter { isDelete($0.change) }
            if !deleted.isEmpty { steps.append("remove " + deleted.map(installed).joined(separator: ", ")) }
            let restart = units.sorted()
            if !restart.isEmpty {
                steps.append("sudo systemctl daemon-reload && sudo systemctl restart \(restart.joined(separator: " "))")
            }
            return BuildFollowUp(
                kind: "host",
                reason: "\(changed.count) file\(changed.count == 1 ? "" : "s") of host \(host) changed",
                command: "on \(host): " + steps.joined(separator: "; "))
        }
    }

    /// A Kubernetes Service deleted and another created in the same folder (the namespace from
    /// the new manifest's `metadata.namespace`), while the cloud state (a tunnel's ingress) named
    /// the old one's cluster address and now names the new one's: the route moves with it.
    static func routeFollowUps(_ entries: [OutputPlan.Entry]) -> [BuildFollowUp] {
        let services = entries.filter {
            ($0.path.split(separator: "/").last ?? "").hasPrefix("service-") && $0.path.hasSuffix(".yaml")
        }
        let cloud = entries.first { $0.path == "cloud/desired-state.json" }
        var out: [BuildFollowUp] = []
        for created in services where created.change == .create {
            let folder = created.path.split(separator: "/").dropLast().joined(separator: "/")
            guard
                let gone = services.first(where: {
                    isDelete($0.change) && $0.path.split(separator: "/").dropLast().joined(separator: "/") == folder
                }), let name = serviceName(created.path), let old = serviceName(gone.path),
                let namespace = metadataNamespace(created.contents)
                    ?? folder.split(separator: "/").last.map(String.init)
            else { continue }
            let address = "\(name).\(namespace).svc"
            guard let text = cloud?.contents, text.contains(address),
                (cloud?.current ?? "").contains("\(old).\(namespace).svc")
            else { continue }
            out.append(
                BuildFollowUp(
                    kind: "route",
                    reason: "Service \(namespace)/\(old) was renamed to \(name) and a tunnel routes to it: "
                        + "the ingress now points at \(address)",
                    command:
                        "oceanid-apply plan --only tunnel   # the tunnel's ingress update; apply it with the rollout"))
        }
        return out
    }

    /// The `metadata.namespace` of a generated manifest (its first `  namespace:` line).
    static func metadataNamespace(_ text: String?) -> String? {
        text?.split(separator: "\n").first { $0.hasPrefix("  namespace: ") }.map {
            String($0.dropFirst("  namespace: ".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        }
    }

    /// `service-label-studio.yaml` → `label-studio`.
    static func serviceName(_ path: String) -> String? {
        guard let file = path.split(separator: "/").last, file.hasPrefix("service-"), file.hasSuffix(".yaml") else {
            return nil
        }
        return String(file.dropFirst("service-".count).dropLast(".yaml".count))
    }

    /// The follow-ups as the build prints them: a heading and one line per follow-up; empty when none.
    static func text(_ followUps: [BuildFollowUp]) -> String {
        guard !followUps.isEmpty else { return "" }
        return "What this build did not do (\(followUps.count)):\n"
            + followUps.map { "  \($0.reason):\n    \($0.command)\n" }.joined()
    }
}
