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

    /// The Kubernetes `resources:` shape (empty parts omitted): what the lowering emits and
    /// what partial overrides are merged over.
    public var tree: Tree {
        func amounts(_ a: ResourceAmounts) -> Tree {
            var m = MapBuilder()
            m.set("cpu", a.cpu)
            m.set("memory", a.memory)
            m.set("nvidia.com/gpu", a.gpu.map { Tree.string(String($0)) })
            return m.tree
        }
        var m = MapBuilder()
        m.setNonEmpty("requests", amounts(requests))
        m.setNonEmpty("limits", amounts(limits))
        return m.tree
    }

    /// Reads the `tree` shape back, strictly: unknown keys and non-quantities are errors.
    public init(parsing tree: Tree) throws(SettingError) {
        guard case .map(let top) = tree else {
            throw SettingError("expected a mapping with 'requests' and/or 'limits'")
        }
        self.init()
        for entry in top {
            guard entry.key == "requests" || entry.key == "limits" else {
                throw SettingError("unknown key '\(entry.key)' (expected 'requests' or 'limits')")
            }
            guard case .map(let amounts) = entry.value else {
                throw SettingError("'\(entry.key)' must be a mapping of cpu/memory")
            }
            var target = ResourceAmounts()
            for amount in amounts {
                let text: String
                switch amount.value {
                case .string(let s): text = s
                case .int(let i): text = String(i)
                default: throw SettingError("'\(entry.key).\(amount.key)' must be a quantity like \"256Mi\"")
                }
                switch amount.key {
                case "cpu": target.cpu = text
                case "memory": target.memory = text
                case "nvidia.com/gpu":
                    guard let n = Int(text) else { throw SettingError("'\(entry.key).nvidia.com/gpu' must be an integer") }
                    target.gpu = n
                default:
                    throw SettingError("unknown resource '\(entry.key).\(amount.key)' (expected cpu or memory)")
                }
            }
            if entry.key == "requests" { requests = target } else { limits = target }
        }
    }
}
