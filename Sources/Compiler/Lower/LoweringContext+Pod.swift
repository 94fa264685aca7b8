import DSL

extension LoweringContext {
    /// `template:` of a workload: pod labels (selector labels included) and the pod spec.
    func podTemplate(_ workload: some PodWorkload) -> Tree {
        var metadata = MapBuilder()
        metadata.set("labels", Tree.sortedMap(workload.podLabels))
        metadata.setNonEmpty("annotations", Tree.sortedMap(workload.pod.annotations))
        return ["metadata": metadata.tree, "spec": podSpec(workload.pod)]
    }

    func podSpec(_ pod: PodTemplate) -> Tree {
        var spec = MapBuilder()
        spec.set("serviceAccountName", pod.serviceAccount)
        spec.set("automountServiceAccountToken", pod.automountServiceAccountToken)
        if pod.hostNetwork { spec.set("hostNetwork", true) }
        spec.set("dnsPolicy", pod.dnsPolicy)
        spec.setNonEmpty(
            "hostAliases",
            .list(
                pod.hostAliases.map { alias in
                    ["ip": .string(alias.ip), "hostnames": .list(alias.hostnames.map(Tree.string))] as Tree
                }))
        if let placement = pod.placement {
            switch placement.rule {
            case .node(let node): spec.set("nodeSelector", ["kubernetes.io/hostname": .string(node)] as Tree)
            case .labels(let labels): spec.set("nodeSelector", Tree.sortedMap(labels))
            }
        }
        spec.setNonEmpty(
            "tolerations",
            .list(
                pod.tolerations.map { t in
                    var m = MapBuilder()
                    m.set("key", t.key)
                    m.set("operator", t.op)
                    m.set("value", t.value)
                    m.set("effect", t.effect)
                    return m.tree
                }))
        spec.set("priorityClassName", pod.priorityClassName)
        spec.set("runtimeClassName", pod.runtimeClassName)
        spec.set("terminationGracePeriodSeconds", pod.terminationGracePeriod)
        spec.set("restartPolicy", pod.restartPolicy)
        spec.setNonEmpty("initContainers", .list(pod.initContainers.map(container)))
        spec.set("containers", Tree.list(pod.containers.map(container)))
        spec.setNonEmpty("volumes", .list(pod.volumes.map(volume)))
        return spec.tree
    }

    func container(_ c: Container) -> Tree {
        var m = MapBuilder()
        m.set("name", c.name)
        m.set("image", c.image.reference)
        // A moving tag (`:main`) is pulled on every start, or a rollout reuses the cached image.
        m.set("imagePullPolicy", c.imagePullPolicy ?? (c.image.moves ? "Always" : nil))
        m.setNonEmpty("command", .list(c.command.map(Tree.string)))
        m.setNonEmpty("args", .list(c.args.map(Tree.string)))
        m.setNonEmpty(
            "ports",
            .list(
                c.ports.map { p in
                    var port = MapBuilder()
                    port.set("name", p.name)
                    port.set("containerPort", p.number)
                    port.set("hostPort", p.hostPort)
                    port.set("protocol", p.proto.rawValue)
                    return port.tree
                }))
        m.setNonEmpty("env", .list(c.env.map(env)))
        m.setNonEmpty(
            "envFrom",
            .list(
                c.envFrom.map { from in
                    var e = MapBuilder()
                    e.set("prefix", from.prefix)
                    switch from.source {
                    case .configMap(let name): e.set("configMapRef", ["name": .string(name)] as Tree)
                    case .secret(let name): e.set("secretRef", ["name": .string(name)] as Tree)
                    }
                    return e.tree
                }))
        m.setNonEmpty("resources", c.resources.tree)
        m.set("livenessProbe", c.liveness.map(probe))
        m.set("readinessProbe", c.readiness.map(probe))
        m.set("startupProbe", c.startup.map(probe))
        m.set("securityContext", c.securityContext.map(securityContext))
        m.setNonEmpty(
            "volumeMounts",
            .list(
                c.mounts.map { mount in
                    var v = MapBuilder()
                    v.set("name", mount.volume)
                    v.set("mountPath", mount.path)
                    v.set("subPath", mount.subPath)
                    if mount.readOnly { v.set("readOnly", true) }
                    return v.tree
                }))
        return m.tree
    }

    func env(_ e: Env) -> Tree {
        switch e.source {
        case .literal(let value):
            return ["name": .string(e.name), "value": .string(value)]
        case .secret(let name, let key):
            return [
                "name": .string(e.name), "valueFrom": ["secretKeyRef": ["name": .string(name), "key": .string(key)]],
            ]
        case .configMap(let name, let key):
            return [
                "name": .string(e.name),
                "valueFrom": ["configMapKeyRef": ["name": .string(name), "key": .string(key)]],
            ]
        case .field(let path):
            return ["name": .string(e.name), "valueFrom": ["fieldRef": ["fieldPath": .string(path)]]]
        }
    }

    func probe(_ p: Probe) -> Tree {
        var m = MapBuilder()
        switch p.action {
        case .http(let path, let port):
            var get = MapBuilder()
            get.set("host", p.host)
            get.set("path", path)
            get.set("port", port.tree)
            m.set("httpGet", get.tree)
        case .tcp(let port): m.set("tcpSocket", ["port": port.tree] as Tree)
        case .exec(let command): m.set("exec", ["command": .list(command.map(Tree.string))] as Tree)
        }
        m.set("initialDelaySeconds", p.initialDelay)
        m.set("periodSeconds", p.period)
        m.set("timeoutSeconds", p.timeout)
        m.set("successThreshold", p.successThreshold)
        m.set("failureThreshold", p.failureThreshold)
        return m.tree
    }

    func securityContext(_ s: SecurityContext) -> Tree {
        var m = MapBuilder()
        m.set("runAsNonRoot", s.runAsNonRoot)
        m.set("runAsUser", s.runAsUser)
        m.set("runAsGroup", s.runAsGroup)
        m.set("readOnlyRootFilesystem", s.readOnlyRootFilesystem)
        m.set("allowPrivilegeEscalation", s.allowPrivilegeEscalation)
        m.set("privileged", s.privileged)
        var caps = MapBuilder()
        caps.setNonEmpty("add", .list(s.addCapabilities.map(Tree.string)))
        caps.setNonEmpty("drop", .list(s.dropCapabilities.map(Tree.string)))
        m.setNonEmpty("capabilities", caps.tree)
        if s.seccompRuntimeDefault { m.set("seccompProfile", ["type": "RuntimeDefault"] as Tree) }
        return m.tree
    }

    func volume(_ v: Volume) -> Tree {
        let source: Tree.Entry
        switch v.source {
        case .emptyDir(let medium): source = Tree.Entry("emptyDir", medium.map { ["medium": .string($0)] } ?? .map([]))
        case .configMap(let name, let items):
            var m = MapBuilder()
            m.set("name", name)
            m.setNonEmpty("items", .list(items.map { ["key": .string($0.key), "path": .string($0.path)] }))
            source = Tree.Entry("configMap", m.tree)
        case .secret(let name, let items):
            var m = MapBuilder()
            m.set("secretName", name)
            m.setNonEmpty("items", .list(items.map { ["key": .string($0.key), "path": .string($0.path)] }))
            source = Tree.Entry("secret", m.tree)
        case .hostPath(let path, let type):
            var m = MapBuilder()
            m.set("path", path)
            m.set("type", type)
            source = Tree.Entry("hostPath", m.tree)
        case .persistentVolumeClaim(let claim):
            source = Tree.Entry("persistentVolumeClaim", ["claimName": .string(claim)])
        }
        return .map([Tree.Entry("name", .string(v.name)), source])
    }
}
