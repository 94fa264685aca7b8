/// A ServiceAccount (Kubernetes core/v1): the identity a workload's pods use against the
/// Kubernetes API. Bind it to a `Role` with `RoleBinding`; give it to pods with `.serviceAccount(_:)`.
///
/// ```swift
/// let account = ServiceAccount("tailscale")
/// ```
public struct ServiceAccount: ObjectMetadata, Hashable {
    /// `metadata.name`, a DNS-1123 subdomain.
    public var name: String
    /// The ServiceAccount's `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones.
    public var labels: [String: String] = [:]
    /// The ServiceAccount's `metadata.annotations`, from `.annotations(_:)`, written as declared.
    public var annotations: [String: String] = [:]
    /// Where the account was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// Declares a ServiceAccount in the enclosing namespace.
    ///
    /// ```swift
    /// ServiceAccount("ls-triton-adapter")
    /// ```
    public init(_ name: String, file: String = #filePath, line: Int = #line) {
        self.name = name
        self.location = SourceLocation(file: file, line: line)
    }
}

/// One RBAC rule (`rbac.authorization.k8s.io/v1` `PolicyRule`): the verbs allowed on
/// resources of API groups. `""` is the core group; subresources are `pods/log`.
///
/// ```swift
/// PolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["create", "get", "update", "patch"])
/// ```
public struct PolicyRule: Hashable, Sendable {
    /// API groups (`""` for core, `batch`, `apps`, ...).
    public var apiGroups: [String]
    /// Resource names, plural (`jobs`, `pods/log`); must not be empty.
    public var resources: [String]
    /// Verbs (`get`, `list`, `watch`, `create`, `update`, `patch`, `delete`); must not be empty.
    public var verbs: [String]
    /// Allows `verbs` on `resources` of `apiGroups`.
    ///
    /// ```swift
    /// PolicyRule(apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get", "list", "watch", "delete"])
    /// ```
    public init(apiGroups: [String], resources: [String], verbs: [String]) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.verbs = verbs
    }
}

/// A namespaced Role (`rbac.authorization.k8s.io/v1`): permissions within its namespace.
///
/// ```swift
/// Role("job-runner") { PolicyRule(apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get"]) }
/// ```
public struct Role: ObjectMetadata, Hashable {
    /// `metadata.name`, a DNS-1123 subdomain.
    public var name: String
    /// The Role's `metadata.labels`, from `.labels(_:)`, beside the standard `app.kubernetes.io/*`
    /// ones.
    public var labels: [String: String] = [:]
    /// The Role's `metadata.annotations`, from `.annotations(_:)`, written as declared.
    public var annotations: [String: String] = [:]
    /// The permissions (`rules`).
    public var rules: [PolicyRule]
    /// Where the role was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// Declares a Role from a body of `PolicyRule`s.
    ///
    /// ```swift
    /// let role = Role("tailscale-state") {
    ///     PolicyRule(apiGroups: [""], resources: ["secrets"], verbs: ["create", "get", "update", "patch"])
    ///     PolicyRule(apiGroups: [""], resources: ["events"], verbs: ["create", "patch", "get"])
    /// }
    /// ```
    public init(
        _ name: String, file: String = #filePath, line: Int = #line,
        @ListBuilder<PolicyRule> rules: () -> [PolicyRule]
    ) {
        self.name = name
        self.rules = rules()
        self.location = SourceLocation(file: file, line: line)
    }
}

/// Binds a Role to service accounts of the same namespace (`rbac.authorization.k8s.io/v1`
/// RoleBinding: `roleRef` kind Role, `subjects` of kind ServiceAccount).
///
/// ```swift
/// RoleBinding(role: jobs, to: [account])
/// ```
public struct RoleBinding: ObjectMetadata, Hashable {
    /// `metadata.name`, a DNS-1123 subdomain.
    public var name: String
    /// The RoleBinding's `metadata.labels`, from `.labels(_:)`, beside the standard
    /// `app.kubernetes.io/*` ones.
    public var labels: [String: String] = [:]
    /// The RoleBinding's `metadata.annotations`, from `.annotations(_:)`, written as declared.
    public var annotations: [String: String] = [:]
    /// The bound Role's name (`roleRef.name`); it must be declared in the namespace.
    public var role: String
    /// The ServiceAccounts granted the role (`subjects`); each must be declared in the namespace.
    public var serviceAccounts: [String]
    /// Where the binding was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Binds a declared Role to declared accounts (typed: cannot dangle); named after the
    /// role unless `name` is given.
    ///
    /// ```swift
    /// RoleBinding(role: role, to: [account])
    /// RoleBinding("adapter-training-jobs", role: jobs, to: [account])
    /// ```
    public init(
        _ name: String? = nil, role: Role, to accounts: [ServiceAccount],
        file: String = #filePath, line: Int = #line
    ) {
        self.name = name ?? role.name
        self.role = role.name
        self.serviceAccounts = accounts.map(\.name)
        self.location = SourceLocation(file: file, line: line)
    }

    /// Binds a Role to accounts by name; the compiler reports a role or account the
    /// namespace does not declare.
    ///
    /// ```swift
    /// RoleBinding("tailscale-state", roleNamed: "tailscale-state", toAccountsNamed: ["tailscale"])
    /// ```
    public init(
        _ name: String, roleNamed role: String, toAccountsNamed accounts: [String],
        file: String = #filePath, line: Int = #line
    ) {
        self.name = name
        self.role = role
        self.serviceAccounts = accounts
        self.location = SourceLocation(file: file, line: line)
    }
}
