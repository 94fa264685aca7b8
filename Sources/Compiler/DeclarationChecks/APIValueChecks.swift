import DSL
import Foundation

/// Fields of pods, Services, NetworkPolicies and Roles whose values the API server
/// validates (k8s.io/kubernetes pkg/apis/core/validation, networking, rbac): enumerations,
/// 32-bit integer ranges, mount paths, field paths, tolerations, image references, object
/// sizes. Each problem is reported at the declaration that holds the value.
enum APIValueChecks {
    static let int32Max = Int(Int32.max)

    static func all(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            switch object.payload {
            case .service(let service): out += servicePorts(service)
            case .networkPolicy(let networkPolicy): out += policy(networkPolicy)
            case .role(let role):
                for rule in role.rules where rule.verbs.isEmpty || rule.resources.isEmpty {
                    out.append(.invalidRBACRule(role: role.name, at: role.location))
                }
            case .configMap(let map):
                let size =
                    map.data.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
                    + map.files.reduce(0) { $0 + $1.key.utf8.count + ConfigFiles.render($1.value).utf8.count }
                if size > 1_048_576 {
                    out.append(.objectTooLarge("ConfigMap '\(map.name)'", bytes: size, at: map.location))
                }
            case .raw(let raw):
                if raw.body.entries == nil {
                    out.append(.rawBodyNotMapping(raw.name, at: raw.location))
                }
            default: break
            }
            if let workload = object.workload { out += pod(workload, kind: object.id.kind) }
        }
        return out
    }

    // MARK: Pods

    static let dnsPolicies: Set<String> = ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"]
    static let pullPolicies: Set<String> = ["Always", "IfNotPresent", "Never"]
    static let taintEffects: Set<String> = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
    static let hostPathTypes: Set<String> = [
        "", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice",
    ]
    /// `fieldRef.fieldPath` values the downward API accepts for env (core/validation).
    static let fieldPaths: Set<String> = [
        "metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels", "metadata.annotations",
        "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs",
        "status.podIP", "status.podIPs",
    ]

    static func pod(_ workload: any PodWorkload, kind: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let pod = workload.pod
        let owner = "'\(workload.name)'"
        func enumerated(_ field: String, _ value: String?, _ allowed: Set<String>) {
            if let value, !allowed.contains(value) {
                out.append(.notOneOf(field, of: owner, value: value, allowed: allowed.sorted(), at: workload.location))
            }
        }
        enumerated("dnsPolicy", pod.dnsPolicy, dnsPolicies)
        let restart: Set<String> = kind == "Job" || kind == "CronJob" ? ["OnFailure", "Never"] : ["Always"]
        enumerated("restartPolicy", pod.restartPolicy, restart)
        for (field, name) in [("priorityClassName", pod.priorityClassName), ("runtimeClassName", pod.runtimeClassName)]
        {
            if let name, let p = NameRule.dnsSubdomain.violation(name) {
                out.append(.invalidName(field, name, rule: .dnsSubdomain, problem: p, at: workload.location))
            }
        }
        for toleration in pod.tolerations {
            if let problem = tolerationProblem(toleration) {
                out.append(.invalidToleration(toleration.key, of: owner, problem: problem, at: workload.location))
            }
        }
        if let placement = pod.placement, case .labels(let labels) = placement.rule {
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
                if let p = LabelRules.keyViolation(key) {
                    out.append(.invalidLabel("nodeSelector key", key: key, problem: p, at: placement.location))
                }
                if let p = LabelRules.valueViolation(value) {
                    out.append(
                        .invalidLabel(
                            "nodeSelector value", key: "\(key)=\(value)", problem: p, at: placement.location,
                            subject: value))
                }
            }
        }
        out += Diagnostic.duplicates(
            .duplicateVolume, "volume of \(owner)", in: pod.volumes, name: \.name, location: \.location)
        for volume in pod.volumes {
            if case .hostPath(let path, let type) = volume.source {
                if let type, !hostPathTypes.contains(type) {
                    out.append(
                        .notOneOf(
                            "hostPath type", of: "volume '\(volume.name)'", value: type,
                            allowed: hostPathTypes.sorted(), at: volume.location))
                }
                if !path.hasPrefix("/") {
                    out.append(
                        .notOneOf(
                            "hostPath path", of: "volume '\(volume.name)'", value: path, allowed: ["an absolute path"],
                            at: volume.location))
                }
            }
        }
        for container in pod.allContainers {
            out += self.container(container, owner: owner)
            if let policy = container.imagePullPolicy, !pullPolicies.contains(policy) {
                out.append(
                    .notOneOf(
                        "imagePullPolicy", of: "container '\(container.name)'", value: policy,
                        allowed: pullPolicies.sorted(),
                        at: container.location))
            }
        }
        if let d = workload as? Deployment {
            out += int32(
                [("replicas", d.replicas), ("revisionHistoryLimit", d.revisionHistoryLimit)],
                of: "Deployment '\(d.name)'", at: d.location)
        }
        if let j = (workload as? Job) ?? (workload as? CronJob)?.job {
            out += int32(
                [("backoffLimit", j.backoffLimit), ("ttlSecondsAfterFinished", j.ttlSecondsAfterFinished)],
                of: "Job '\(j.name)'", at: j.location)
        }
        if let c = workload as? CronJob {
            out += int32(
                [
                    ("successfulJobsHistoryLimit", c.successfulJobsHistoryLimit),
                    ("failedJobsHistoryLimit", c.failedJobsHistoryLimit),
                ],
                of: "CronJob '\(c.name)'", at: c.location)
        }
        return out
    }

    static func tolerationProblem(_ t: Toleration) -> String? {
        switch t.op {
        case "Exists": if t.value.map({ !$0.isEmpty }) == true { return "operator Exists takes no value" }
        case "Equal": if t.key.isEmpty { return "operator Equal needs a key" }
        default: return "operator '\(t.op)' must be Exists or Equal"
        }
        if let effect = t.effect, !effect.isEmpty, !taintEffects.contains(effect) {
            return "effect '\(effect)' must be one of \(taintEffects.sorted().joined(separator: ", "))"
        }
        if !t.key.isEmpty, let p = LabelRules.keyViolation(t.key) { return "key: \(p)" }
        return nil
    }

    /// An image reference as the runtime parses it: no spaces, no empty tag, a digest of the
    /// form algorithm:hex.
    static func imageSyntax(_ image: Image, owner: String, at location: SourceLocation) -> [Diagnostic] {
        let reference = image.reference
        if reference.isEmpty || reference.contains(where: { $0.isWhitespace || $0.isNewline })
            || reference.hasSuffix(":")
            || (image.digest.map { $0.wholeMatch(of: #/[a-z0-9]+([+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}/#) == nil } ?? false)
        {
            return [.invalidImage(reference, owner: owner, at: location)]
        }
        return []
    }

    static func container(_ c: Container, owner: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let name = "container '\(c.name)'"
        out += imageSyntax(c.image, owner: name, at: c.location)
        for port in c.ports {
            if let host = port.hostPort, !(1...65535).contains(host) {
                out.append(.invalidPort(host, "host port", at: port.location))
            }
        }
        // Mounts: absolute, unique mount paths; relative subPaths that stay inside the volume.
        var paths: [String: SourceLocation] = [:]
        for mount in c.mounts {
            if mount.path.isEmpty || !mount.path.hasPrefix("/") || mount.path.contains(":") {
                out.append(
                    .invalidMount(
                        mount.path, volume: mount.volume, container: c.name,
                        problem: "mountPath must be an absolute path without ':'",
                        at: mount.location))
            } else if let first = paths[mount.path] {
                out.append(
                    .invalidMount(
                        mount.path, volume: mount.volume, container: c.name,
                        problem: "another mount already uses this mountPath", at: mount.location, first: first))
            } else {
                paths[mount.path] = mount.location
            }
            if let sub = mount.subPath, sub.hasPrefix("/") || sub.split(separator: "/").contains("..") {
                out.append(
                    .invalidMount(
                        sub, volume: mount.volume, container: c.name,
                        problem: "subPath must be relative and must not contain '..'", at: mount.location))
            }
        }
        for env in c.env {
            if case .field(let path) = env.source {
                let base = path.firstIndex(of: "[").map { String(path[..<$0]) } ?? path
                if !fieldPaths.contains(base)
                    || (base != path && base != "metadata.labels" && base != "metadata.annotations")
                {
                    out.append(
                        .notOneOf(
                            "fieldRef", of: "env '\(env.name)'", value: path, allowed: fieldPaths.sorted(),
                            at: env.location))
                }
            }
        }
        // Resources: GPUs are a whole, non-negative number; requests of them equal limits.
        for (which, gpu) in [("request", c.resources.requests.gpu), ("limit", c.resources.limits.gpu)] {
            if let gpu, gpu < 0 {
                out.append(
                    .numberOutOfRange(
                        "nvidia.com/gpu \(which)", of: name, value: gpu,
                        rule: "0 or more", at: c.location))
            }
        }
        if let request = c.resources.requests.gpu, request != (c.resources.limits.gpu ?? -1) {
            out.append(
                .numberOutOfRange(
                    "nvidia.com/gpu request", of: name, value: request,
                    rule: "equal to its limit (extended resources cannot be overcommitted)",
                    at: c.location))
        }
        if let user = c.securityContext?.runAsUser, user < 0 || user > int32Max {
            out.append(
                .numberOutOfRange(
                    "runAsUser", of: name, value: user, rule: "between 0 and 2147483647",
                    at: c.location))
        }
        for (kind, probe) in [("liveness", c.liveness), ("readiness", c.readiness), ("startup", c.startup)] {
            guard let probe else { continue }
            let prober = "\(name) \(kind) probe"
            switch probe.action {
            case .exec(let command) where command.isEmpty:
                out.append(.invalidProbe(prober, problem: "exec needs a command", at: probe.location))
            case .http(let path, _) where !path.hasPrefix("/"):
                out.append(
                    .invalidProbe(prober, problem: "httpGet path '\(path)' must start with '/'", at: probe.location))
            default: break
            }
            if kind != "readiness", let threshold = probe.successThreshold, threshold != 1 {
                out.append(
                    .invalidProbe(prober, problem: "successThreshold must be 1 for \(kind) probes", at: probe.location))
            }
            out += int32(
                [
                    ("initialDelaySeconds", probe.initialDelay), ("periodSeconds", probe.period),
                    ("timeoutSeconds", probe.timeout),
                    ("failureThreshold", probe.failureThreshold), ("successThreshold", probe.successThreshold),
                ], of: prober, at: probe.location)
        }
        return out
    }

    // MARK: Services and NetworkPolicies

    static func servicePorts(_ service: Service) -> [Diagnostic] {
        var out = Diagnostic.duplicates(
            .duplicateServicePort, "port name of Service '\(service.name)'", in: service.ports,
            name: \.name, location: \.location)
        out += Diagnostic.duplicates(
            .duplicateServicePort, "port of Service '\(service.name)'", in: service.ports,
            name: { "\($0.port)/\($0.proto.rawValue)" }, location: \.location)
        for port in service.ports {
            switch port.target {
            case .number(let n) where !(1...65535).contains(n):
                out.append(.invalidPort(n, "target port", at: port.location))
            case .name(let n):
                if let p = NameRule.portName.violation(n) {
                    out.append(.invalidName("target port", n, rule: .portName, problem: p, at: port.location))
                }
            default: break
            }
        }
        return out
    }

    static func policy(_ policy: NetworkPolicy) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let ports = policy.egress.flatMap(\.ports) + policy.ingress.flatMap(\.ports)
        for port in ports {
            switch port.port {
            case .number(let n) where !(1...65535).contains(n):
                out.append(.invalidPort(n, "NetworkPolicy '\(policy.name)' port", at: policy.location))
            case .name(let n):
                if let p = NameRule.portName.violation(n) {
                    out.append(.invalidName("NetworkPolicy port", n, rule: .portName, problem: p, at: policy.location))
                }
            default: break
            }
        }
        var selectors: [PodSelector] = [policy.pods]
        for peer in policy.egress.flatMap(\.to) + policy.ingress.flatMap(\.from) {
            switch peer {
            case .pods(let s), .namespace(_, let s): selectors.append(s)
            case .ipBlock: break
            }
        }
        for case .labels(let labels) in selectors {
            for (key, value) in labels.sorted(by: { $0.key < $1.key }) {
                if let p = LabelRules.keyViolation(key) {
                    out.append(
                        .invalidLabel(
                            "NetworkPolicy '\(policy.name)' selector key", key: key, problem: p, at: policy.location))
                }
                if let p = LabelRules.valueViolation(value) {
                    out.append(
                        .invalidLabel(
                            "NetworkPolicy '\(policy.name)' selector value", key: "\(key)=\(value)", problem: p,
                            at: policy.location, subject: value))
                }
            }
        }
        return out
    }

    static func int32(_ fields: [(String, Int?)], of owner: String, at loc: SourceLocation) -> [Diagnostic] {
        fields.compactMap { field, value in
            guard let value, value > int32Max else { return nil }
            return .numberOutOfRange(
                field, of: owner, value: value, rule: "at most 2147483647 (a 32-bit field)",
                at: loc)
        }
    }
}
