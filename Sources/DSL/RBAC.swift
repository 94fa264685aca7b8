/// A ServiceAccount.
public struct ServiceAccount: ObjectMetadata, Hashable {
    public var name: String
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var location: SourceLocation
    public init(_ name: String, file: String = #filePath, line: Int = #line) {
        self.name = name
        self.location = SourceLocation(file: file, line: line)
    }
}

/// One RBAC rule.
public struct PolicyRule: Hashable, Sendable {
    public var apiGroups: [String]
    public var resources: [String]
    public var verbs: [String]
    public init(apiGroups: [String], resources: [String], verbs: [String]) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.verbs = verbs
    }
}

/// A namespaced Role.
///
/// ```swift
/// Role("job-runner") { PolicyRule(apiGroups: ["batch"], resources: ["jobs"], verbs: ["create", "get"]) }
/// ```
public struct Role: ObjectMetadata, Hashable {
    public var name: String
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var rules: [PolicyRule]
    public var location: SourceLocation
    public init(_ name: String, file: String = #filePath, line: Int = #line,
                @ListBuilder<PolicyRule> rules: () -> [PolicyRule]) {
        self.name = name
        self.rules = rules()
        self.location = SourceLocation(file: file, line: line)
    }
}

/// Binds a Role to service accounts of the same namespace.
public struct RoleBinding: ObjectMetadata, Hashable {
    public var name: String
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
    public var role: String
    public var serviceAccounts: [String]
    public var location: SourceLocation

    public init(_ name: String? = nil, role: Role, to accounts: [ServiceAccount],
                file: String = #filePath, line: Int = #line) {
        self.name = name ?? role.name
        self.role = role.name
        self.serviceAccounts = accounts.map(\.name)
        self.location = SourceLocation(file: file, line: line)
    }

    public init(_ name: String, roleNamed role: String, toAccountsNamed accounts: [String],
                file: String = #filePath, line: Int = #line) {
        self.name = name
        self.role = role
        self.serviceAccounts = accounts
        self.location = SourceLocation(file: file, line: line)
    }
}
