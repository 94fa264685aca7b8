import CGit2

/// A libgit2 failure, carrying the library's own message and what we were doing.
public struct GitError: Error, Equatable, CustomStringConvertible, Sendable {
    /// What oceanid-gen was doing, as a phrase (`reading HEAD's tree`, `staging k8s/...`).
    public var operation: String
    /// libgit2's negative return code (`GIT_ENOTFOUND` is -3), or -1 for a failure found on our side.
    public var code: Int32
    /// libgit2's own message (`git_error_last`), or ours when it has none.
    public var message: String

    /// `git: <operation> failed: <message>`.
    public var description: String { "git: \(operation) failed: \(message)" }

    /// Throws when a libgit2 call returned an error code.
    static func check(_ code: Int32, _ operation: String) throws {
        guard code < 0 else { return }
        throw GitError(operation: operation, code: code, message: lastMessage(code))
    }

    static func lastMessage(_ code: Int32) -> String {
        if let error = git_error_last(), let text = error.pointee.message {
            return String(cString: text)
        }
        return "libgit2 error \(code)"
    }
}
