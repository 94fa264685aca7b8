/// A container's security settings (Kubernetes core/v1 `SecurityContext`). `.restricted`
/// is the hardened default most containers should use; the fleet widens it only where it
/// must (tunnels, routers). nil fields are left to the image and runtime.
///
/// ```swift
/// .securityContext(.restricted.with(runAsUser: 65532))
/// ```
public struct SecurityContext: Hashable, Sendable {
    /// `runAsNonRoot`: the kubelet refuses to start the container as UID 0.
    public var runAsNonRoot: Bool?
    /// `runAsUser`: the UID, 0 to 2147483647; nil: the image's user.
    public var runAsUser: Int?
    /// `runAsGroup`: the primary GID; nil: the image's group.
    public var runAsGroup: Int?
    /// `readOnlyRootFilesystem`: writes only to mounted volumes.
    public var readOnlyRootFilesystem: Bool?
    /// `allowPrivilegeEscalation`: false sets `no_new_privs`, so setuid binaries gain nothing.
    public var allowPrivilegeEscalation: Bool?
    /// `privileged`: full host access; avoid.
    public var privileged: Bool?
    /// `capabilities.add`: Linux capabilities without `CAP_` (`NET_ADMIN`).
    public var addCapabilities: [String]
    /// `capabilities.drop`: `["ALL"]` drops every capability not added back.
    public var dropCapabilities: [String]
    /// Sets `seccompProfile.type: RuntimeDefault` (the container runtime's default syscall filter).
    public var seccompRuntimeDefault: Bool

    /// A context with exactly the given fields.
    ///
    /// ```swift
    /// SecurityContext(runAsUser: 0, allowPrivilegeEscalation: false, addCapabilities: ["NET_ADMIN", "NET_RAW"],
    ///                 dropCapabilities: ["ALL"], seccompRuntimeDefault: true)
    /// ```
    public init(
        runAsNonRoot: Bool? = nil, runAsUser: Int? = nil, runAsGroup: Int? = nil,
        readOnlyRootFilesystem: Bool? = nil, allowPrivilegeEscalation: Bool? = nil,
        privileged: Bool? = nil, addCapabilities: [String] = [], dropCapabilities: [String] = [],
        seccompRuntimeDefault: Bool = false
    ) {
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

    /// Non-root, read-only root filesystem, no privilege escalation, all capabilities dropped,
    /// RuntimeDefault seccomp: what the Pod Security Standards' `restricted` profile asks of a
    /// container. Images whose user is root need `.with(runAsUser:)`.
    ///
    /// ```swift
    /// .securityContext(.restricted.with(runAsUser: 65534))
    /// ```
    public static let restricted = SecurityContext(
        runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false,
        dropCapabilities: ["ALL"], seccompRuntimeDefault: true)
}

extension SecurityContext {
    /// A copy running as the given user (and group; default: the same number as the user).
    ///
    /// ```swift
    /// .restricted.with(runAsUser: 1000)
    /// .restricted.with(runAsUser: 65532, group: 65532)
    /// ```
    public func with(runAsUser user: Int, group: Int? = nil) -> SecurityContext {
        var copy = self
        copy.runAsUser = user
        copy.runAsGroup = group ?? user
        return copy
    }
}

extension SecurityContext {
    /// A copy that adds these capabilities (after dropping the rest), replacing any added before.
    ///
    /// ```swift
    /// SecurityContext(allowPrivilegeEscalation: false, dropCapabilities: ["ALL"], seccompRuntimeDefault: true)
    ///     .withCapabilities(["SETUID", "SETGID", "CHOWN"])
    /// ```
    public func withCapabilities(_ add: [String]) -> SecurityContext {
        var copy = self
        copy.addCapabilities = add
        return copy
    }
}
