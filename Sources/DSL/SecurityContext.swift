/// A container's security settings. `.restricted` is the hardened default most
/// containers should use; the fleet widens it only where it must (tunnels, routers).
public struct SecurityContext: Hashable, Sendable {
    public var runAsNonRoot: Bool?
    public var runAsUser: Int?
    public var runAsGroup: Int?
    public var readOnlyRootFilesystem: Bool?
    public var allowPrivilegeEscalation: Bool?
    public var privileged: Bool?
    public var addCapabilities: [String]
    public var dropCapabilities: [String]
    public var seccompRuntimeDefault: Bool

    public init(runAsNonRoot: Bool? = nil, runAsUser: Int? = nil, runAsGroup: Int? = nil,
                readOnlyRootFilesystem: Bool? = nil, allowPrivilegeEscalation: Bool? = nil,
                privileged: Bool? = nil, addCapabilities: [String] = [], dropCapabilities: [String] = [],
                seccompRuntimeDefault: Bool = false) {
        self.runAsNonRoot = runAsNonRoot
        self.runAsUser = runAsUser
        self.runAsGroup = runAsGroup
        self.readOnlyRootFilesystem = readOnlyRootFilesystem
        self.allowPrivilegeEscalation = allowPrivilegeEscalation
        self.privileged = privileged
        self.addCapabilities = addCapabilities
        self.dropCapabilities = dropCapabilities
        self.seccompRuntimeDefault = seccompRuntimeDefault
    }

    /// Non-root, read-only root filesystem, no privilege escalation, all capabilities dropped.
    public static let restricted = SecurityContext(
        runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
        dropCapabilities: ["ALL"], seccompRuntimeDefault: true)
}

extension SecurityContext {
    /// A copy running as the given user (and group).
    public func with(runAsUser user: Int, group: Int? = nil) -> SecurityContext {
        var copy = self
        copy.runAsUser = user
        copy.runAsGroup = group ?? user
        return copy
    }
}

extension SecurityContext {
    /// A copy that adds these capabilities (after dropping the rest).
    public func withCapabilities(_ add: [String]) -> SecurityContext {
        var copy = self
        copy.addCapabilities = add
        return copy
    }
}
