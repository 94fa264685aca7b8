import DSL

/// Committed files the compiler reads as input (the migration history), through the same
/// tree `check` compares with: the index, HEAD or the working tree. Paths are root-relative.
public protocol InputTree: Sendable {
    /// The file's text, or nil when it does not exist there.
    func read(_ path: String) -> String?
    /// Every file below these folders, sorted.
    func files(under folders: [String]) -> [String]
}

/// No committed files (fixtures, benchmarks).
public struct EmptyInputTree: InputTree {
    /// The empty tree.
    public init() {}
    /// Always nil: no file exists.
    public func read(_ path: String) -> String? { nil }
    /// Always empty.
    public func files(under folders: [String]) -> [String] { [] }
}
