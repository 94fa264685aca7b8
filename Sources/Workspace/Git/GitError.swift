import CGit2

/// A libgit2 failure, carrying the library's own message and what we were doing.
public struct GitError: Error, Equatable, CustomStringConvertible, Sendable {
    public var operation: String
    public var code: Int32
    public var message: String

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
