import Crypto
import DSL
import Foundation
import Rendering

/// Config changes roll pods: a pod template that reads a ConfigMap the fleet generates (a
/// `configMap` volume, `env[].valueFrom.configMapKeyRef`, `envFrom[].configMapRef`) carries
/// the SHA-256 of those ConfigMaps' `data` in the annotation `oceanid.dev/configmap-hash`; a
/// change of content changes the pod template, so the Deployment (DaemonSet, ...) rolls its pods.
/// Kubernetes itself never restarts a pod for a changed ConfigMap: env is read at start, and a
/// `subPath` mount is never updated (kubernetes.io/docs/concepts/configuration/configmap/
/// #mounted-configmaps-are-updated-automatically).
///
/// Secrets made by an ExternalSecret: their content lives in Pulumi ESC and reaches the cluster
/// through the External Secrets Operator, so neither the build nor Flux can know it. What the
/// build knows is the ExternalSecret's `spec` (which keys, which template, which refresh
/// interval): its SHA-256 goes into `oceanid.dev/externalsecret-hash`, so a change of what the
/// Secret is made of rolls the pods that read it. A value rotated in ESC alone does not roll
/// them; that needs a controller watching the Secret (Stakater Reloader's
/// `secret.reloader.stakater.com/reload`), which the fleet does not run.
///
/// Workloads and their pod template paths: Deployment, DaemonSet, StatefulSet, ReplicaSet and Job
/// `spec.template`; CronJob `spec.jobTemplate.spec.template`. Only objects of the same namespace count.
enum RolloutHashes {
    /// Pod template annotation: SHA-256 over the generated ConfigMaps the pod reads.
    static let configMapKey = "oceanid.dev/configmap-hash"
    /// Pod template annotation: SHA-256 over the specs of the ExternalSecrets whose Secrets the pod reads.
    static let externalSecretKey = "oceanid.dev/externalsecret-hash"

    /// `objects` (one cluster's) with the annotations added to every pod template that reads
    /// a generated ConfigMap or an ExternalSecret's Secret; other objects unchanged.
    static func apply(_ objects: [ObjectIR]) -> [ObjectIR] {
        var configMaps: [String: String] = [:]
        var secrets: [String: String] = [:]
        for object in objects {
            let namespace = object.id.namespace ?? ""
            switch object.id.kind {
            case "ConfigMap":
                configMaps["\(namespace)/\(object.id.name)"] = digest(object.tree["data"] ?? .map([]))
            case "ExternalSecret":
                let target = object.tree["spec"]?["target"]?["name"]?.stringValue ?? object.id.name
                secrets["\(namespace)/\(target)"] = digest(object.tree["spec"] ?? .null)
            default: break
            }
        }
        return objects.map { object in
            guard let path = templatePath(object.id.kind) else { return object }
            let namespace = object.id.namespace ?? ""
            var copy = object
            copy.tree = updating(object.tree, at: path) { template in
                let read = references(template["spec"] ?? .null)
                var added: [String: String] = [:]
                let maps = read.configMaps.sorted().compactMap { name in
                    configMaps["\(namespace)/\(name)"].map { "\(name)=\($0)" }
                }
                if !maps.isEmpty { added[configMapKey] = digest(.string(maps.joined(separator: "\n"))) }
                let specs = read.secrets.sorted().compactMap { name in
                    secrets["\(namespace)/\(name)"].map { "\(name)=\($0)" }
                }
                if !specs.isEmpty { added[externalSecretKey] = digest(.string(specs.joined(separator: "\n"))) }
                return annotate(template, added)
            }
            return copy
        }
    }

    /// Where a workload kind keeps its pod template; nil for kinds that run no pods.
    static func templatePath(_ kind: String) -> [String]? {
        switch kind {
        case "Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job": ["spec", "template"]
        case "CronJob": ["spec", "jobTemplate", "spec", "template"]
        default: nil
        }
    }

    /// The ConfigMap and Secret names a pod spec reads, by volume, env and envFrom.
    static func references(_ pod: Tree) -> (configMaps: Set<String>, secrets: Set<String>) {
        var maps: Set<String> = []
        var secrets: Set<String> = []
        for volume in pod["volumes"]?.items ?? [] {
            if let name = volume["configMap"]?["name"]?.stringValue { maps.insert(name) }
            if let name = volume["secret"]?["secretName"]?.stringValue { secrets.insert(name) }
            for source in volume["projected"]?["sources"]?.items ?? [] {
                if let name = source["configMap"]?["name"]?.stringValue { maps.insert(name) }
                if let name = source["secret"]?["name"]?.stringValue { secrets.insert(name) }
            }
        }
        let containers = (pod["initContainers"]?.items ?? []) + (pod["containers"]?.items ?? [])
        for container in containers {
            for env in container["env"]?.items ?? [] {
                if let name = env["valueFrom"]?["configMapKeyRef"]?["name"]?.stringValue { maps.insert(name) }
                if let name = env["valueFrom"]?["secretKeyRef"]?["name"]?.stringValue { secrets.insert(name) }
            }
            for from in container["envFrom"]?.items ?? [] {
                if let name = from["configMapRef"]?["name"]?.stringValue { maps.insert(name) }
                if let name = from["secretRef"]?["name"]?.stringValue { secrets.insert(name) }
            }
        }
        return (maps, secrets)
    }

    /// Lower-case hex SHA-256 of the value's JSON rendering (sorted as lowered, so stable).
    static func digest(_ value: Tree) -> String {
        Hex.lowercase(SHA256.hash(data: Data(JSONRenderer.render(value).utf8)))
    }

    /// The pod template with `added` merged into `metadata.annotations` (keys sorted).
    static func annotate(_ template: Tree, _ added: [String: String]) -> Tree {
        guard !added.isEmpty else { return template }
        return updating(template, at: ["metadata"]) { metadata in
            var annotations: [String: String] = [:]
            for entry in metadata["annotations"]?.entries ?? [] {
                if let value = entry.value.stringValue { annotations[entry.key] = value }
            }
            annotations.merge(added) { _, new in new }
            return set(metadata, "annotations", Tree.sortedMap(annotations))
        }
    }

    /// `tree` with the value at `path` replaced by `change(value)`; unchanged when the path is missing.
    static func updating(_ tree: Tree, at path: [String], _ change: (Tree) -> Tree) -> Tree {
        guard let key = path.first else { return change(tree) }
        guard let child = tree[key] else { return tree }
        return set(tree, key, updating(child, at: Array(path.dropFirst()), change))
    }

    /// A mapping with `key` set to `value` in place (appended when new).
    static func set(_ tree: Tree, _ key: String, _ value: Tree) -> Tree {
        guard case .map(var entries) = tree else { return tree }
        if let index = entries.firstIndex(where: { $0.key == key }) {
            entries[index].value = value
        } else {
            entries.append(Tree.Entry(key, value))
        }
        return .map(entries)
    }
}
