/// CPU and memory amounts as Kubernetes quantities (`"200m"`, `"256Mi"`).
public struct ResourceAmounts: Hashable, Sendable {
    public var cpu: String?
    public var memory: String?
    /// `nvidia.com/gpu`; only meaningful in limits.
    public var gpu: Int?

    public init(cpu: String? = nil, memory: String? = nil, gpu: Int? = nil) {
        self.cpu = cpu
        self.memory = memory
        self.gpu = gpu
    }

    public var isEmpty: Bool { cpu == nil && memory == nil && gpu == nil }
}

/// Requests and limits of a container.
///
/// ```swift
/// Resources(requests: .init(cpu: "200m", memory: "256Mi"), limits: .init(cpu: "500m", memory: "512Mi"))
/// ```
public struct Resources: Hashable, Sendable {
    public var requests: ResourceAmounts
    public var limits: ResourceAmounts

    public init(requests: ResourceAmounts = .init(), limits: ResourceAmounts = .init()) {
        self.requests = requests
        self.limits = limits
    }

    /// The same shape as a tree, for overrides merged over defaults.
    public var tree: Tree {
        func amounts(_ a: ResourceAmounts) -> Tree {
            var m = MapBuilder()
            m.set("cpu", a.cpu)
            m.set("memory", a.memory)
            m.set("nvidia.com/gpu", a.gpu.map { Tree.string(String($0)) })
            return m.tree
        }
        return ["requests": amounts(requests), "limits": amounts(limits)]
    }
}
