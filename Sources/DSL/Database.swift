/// A PostgreSQL database the fleet owns: its schemas, and (with the schema DSL) their
/// tables. Its migrations live under `sql/<name>/migrations/`; once written, each is
/// append-only: an edited, changed or deleted migration is a `check` error naming it.
///
/// ```swift
/// Database("cleandata", schemas: ["stage", "control", "curated", "label", "raw"])
/// ```
public struct Database: Hashable, Sendable {
    /// The database name: a PostgreSQL identifier (lower case, at most 63 bytes).
    public var name: String
    /// Schema names, each a PostgreSQL identifier.
    public var schemas: [String]
    public var location: SourceLocation

    public init(_ name: String, schemas: [String] = [], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.schemas = schemas
        self.location = SourceLocation(file: file, line: line)
    }
}
