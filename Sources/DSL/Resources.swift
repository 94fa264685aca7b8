/// CPU and memory amounts as Kubernetes quantities (`"200m"`, `"256Mi"`).
///
/// ```swift
/// ResourceAmounts(cpu: "8", memory: "24Gi", gpu: 1)
/// ```
public struct ResourceAmounts: Hashable, Sendable {
    /// CPU in cores: `"2"`, `"0.5"` or millicores `"500m"`.
    public var cpu: String?
    /// Memory in bytes with a binary suffix (`"64Mi"`, `"2Gi"`); `"512m"` would mean
    /// millibytes and is reported.
    public var memory: String?
    /// `nvidia.com/gpu`; only meaningful in limits.
    public var gpu: Int?

    /// Amounts to use as requests or limits; nil leaves a resource unset.
    ///
    /// ```swift
    /// .resources(requests: .init(cpu: "2", memory: "8Gi"), limits: .init(cpu: "8", memory: "24Gi", gpu: 1))
    /// ```
    public init(cpu: String? = nil, memory: String? = nil, gpu: Int? = nil) {
        self.cpu = cpu
        self.memory = memory
        self.gpu = gpu
    }

    /// True when no amount is set.
    public var isEmpty: Bool { cpu == nil && memory == nil && gpu == nil }
}

/// Requests and limits of a container (Kubernetes core/v1 `ResourceRequirements`):
/// requests are what the scheduler reserves, limits the ceiling (CPU is throttled,
/// memory over the limit is OOM-killed). Also a setting type, overridable in settings.yaml.
///
/// ```swift
/// Resources(requests: .init(cpu: "200m", memory: "256Mi"), limits: .init(cpu: "500m", memory: "512Mi"))
/// ```
public struct Resources: Hashable, Sendable {
    /// `resources.requests`; each must not exceed its limit.
    public var requests: ResourceAmounts
    /// `resources.limits`.
    public var limits: ResourceAmounts

    /// Requests and limits; either may be left empty.
    ///
    /// ```swift
    /// Setting("cloudflareTunnelResources",
    ///         default: Resources(requests: .init(cpu: "200m", memory: "256Mi"), limits: .init(cpu: "500m", memory: "512Mi")),
    ///         summary: "Partial JSON override of the cluster tunnel container's requests/limits.")
    /// ```
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
    ///
    /// ```swift
    /// let r = try Resources(parsing: ["limits": ["cpu": "1", "memory": "512Mi"]])
    /// ```
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
                    guard let n = Int(text) else {
                        throw SettingError("'\(entry.key).nvidia.com/gpu' must be an integer")
                    }
                    target.gpu = n
                default:
                    throw SettingError("unknown resource '\(entry.key).\(amount.key)' (expected cpu or memory)")
                }
            }
            if entry.key == "requests" { requests = target } else { limits = target }
        }
    }
}
