import Compiler

/// Committed files held in memory, for compiles that read inputs (the migration history).
/// Paths are relative to the oceanid-gen root.
public struct DictionaryInputTree: InputTree {
    public let files: [String: String]
    public init(_ files: [String: String]) { self.files = files }
    public func read(_ path: String) -> String? { files[path] }
    public func files(under folders: [String]) -> [String] {
        files.keys.filter { path in folders.contains { path.hasPrefix($0 + "/") } }.sorted()
    }
}
