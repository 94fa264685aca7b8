/// The pod part shared by every workload kind.
public struct PodTemplate: Hashable, Sendable {
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var containers: [Container] = []
    public var initContainers: [Container] = []
    public var volumes: [Volume] = []
    public var serviceAccount: String?
    public var serviceAccountLocation: SourceLocation?
    public var placement: Placement?
    public var tolerations: [Toleration] = []
    public var hostNetwork: Bool = false
    public var dnsPolicy: String?
    public var restartPolicy: String?
    public var priorityClassName: String?
    public var runtimeClassName: String?
    public var terminationGracePeriod: Int?
    public var automountServiceAccountToken: Bool?

    public init() {}

    init(items: [PodItem]) {
        for item in items {
            switch item {
            case .container(let c): containers.append(c)
            case .initContainer(let c): initContainers.append(c.container)
            case .volume(let v): volumes.append(v)
            }
        }
    }

    public var allContainers: [Container] { initContainers + containers }
}

/// Where a pod may run. Pinning names a node of the fleet; the compiler checks it exists.
public struct Placement: Hashable, Sendable {
    public enum Rule: Hashable, Sendable {
        /// `kubernetes.io/hostname: <node>`
        case node(String)
        /// Arbitrary node labels.
        case labels([String: String])
    }
    public var rule: Rule
    public var location: SourceLocation
}

public struct Toleration: Hashable, Sendable {
    public var key: String
    public var op: String
    public var value: String?
    public var effect: String?

    public init(key: String, op: String = "Exists", value: String? = nil, effect: String? = nil) {
        self.key = key
        self.op = op
        self.value = value
        self.effect = effect
    }
}

/// Marks a container as an init container inside a workload body.
public struct InitContainer: Hashable, Sendable {
    public var container: Container
    public init(_ container: Container) { self.container = container }
}

/// A declaration inside a workload body.
public enum PodItem: Hashable, Sendable {
    case container(Container)
    case initContainer(InitContainer)
    case volume(Volume)
}

extension ListBuilder where Element == PodItem {
    public static func buildExpression(_ x: Container) -> [PodItem] { [.container(x)] }
    public static func buildExpression(_ x: InitContainer) -> [PodItem] { [.initContainer(x)] }
    public static func buildExpression(_ x: Volume) -> [PodItem] { [.volume(x)] }
}

/// A workload with a pod template; its modifiers are shared by every kind.
public protocol PodWorkload: Sendable {
    var name: String { get }
    var pod: PodTemplate { get set }
    var location: SourceLocation { get }
}

extension PodWorkload {
    /// Runs the pod on one node of the fleet only.
    public func pinned(to node: NodeRef, file: String = #filePath, line: Int = #line) -> Self {
        with { $0.pod.placement = Placement(rule: .node(node.name), location: SourceLocation(file: file, line: line)) }
    }
    /// Runs the pod on one declared node of the fleet (typed: cannot dangle).
    public func pinned(to node: Node, file: String = #filePath, line: Int = #line) -> Self {
        pinned(to: NodeRef(node), file: file, line: line)
    }
    /// Runs the pod on nodes carrying these labels.
    public func nodeSelector(_ labels: [String: String], file: String = #filePath, line: Int = #line) -> Self {
        with { $0.pod.placement = Placement(rule: .labels(labels), location: SourceLocation(file: file, line: line)) }
    }
    public func serviceAccount(_ account: ServiceAccount) -> Self {
        with { $0.pod.serviceAccount = account.name; $0.pod.serviceAccountLocation = account.location }
    }
    public func serviceAccount(named account: String, file: String = #filePath, line: Int = #line) -> Self {
        with { $0.pod.serviceAccount = account; $0.pod.serviceAccountLocation = SourceLocation(file: file, line: line) }
    }
    public func podLabels(_ labels: [String: String]) -> Self {
        with { $0.pod.labels.merge(labels) { _, new in new } }
    }
    public func podAnnotations(_ annotations: [String: String]) -> Self {
        with { $0.pod.annotations.merge(annotations) { _, new in new } }
    }
    public func hostNetwork(_ on: Bool = true) -> Self { with { $0.pod.hostNetwork = on } }
    public func dnsPolicy(_ policy: String) -> Self { with { $0.pod.dnsPolicy = policy } }
    public func tolerations(_ tolerations: [Toleration]) -> Self { with { $0.pod.tolerations = tolerations } }
    public func priorityClass(_ name: String) -> Self { with { $0.pod.priorityClassName = name } }
    public func runtimeClass(_ name: String) -> Self { with { $0.pod.runtimeClassName = name } }
    public func terminationGracePeriod(_ seconds: Int) -> Self { with { $0.pod.terminationGracePeriod = seconds } }
    public func automountServiceAccountToken(_ on: Bool) -> Self { with { $0.pod.automountServiceAccountToken = on } }
    public func restartPolicy(_ policy: String) -> Self { with { $0.pod.restartPolicy = policy } }

    /// The labels that identify this workload's pods (selectors use exactly these).
    public var selectorLabels: [String: String] { ["app.kubernetes.io/name": name] }

    /// The label the fleet's runbooks select pods by (`kubectl -l app=<workload>`), on every
    /// pod template beside the selector labels. Selectors never use it: they are immutable.
    public var runbookLabels: [String: String] { ["app": name] }

    /// Pod template labels: the declared ones, then the runbook and selector labels (which win).
    public var podLabels: [String: String] {
        pod.labels.merging(runbookLabels.merging(selectorLabels) { $1 }) { _, generated in generated }
    }

    private func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}
