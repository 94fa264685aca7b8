/// An environment variable of a container. Secret values cannot be written: a secret
/// arrives only as a reference to a declared secret and one of its keys.
///
/// ```swift
/// Env("TRAIN_ASYNC", "true")
/// Env("DATABASE_URL", secret: cleandataDb, key: "url")
/// Env("POD_IP", field: "status.podIP")
/// ```
public struct Env: Hashable, Sendable {
    public enum Source: Hashable, Sendable {
        case literal(String)
        case secret(name: String, key: String)
        case configMap(name: String, key: String)
        case field(String)
    }

    public var name: String
    public var source: Source
    public var location: SourceLocation

    public init(_ name: String, _ value: String, file: String = #filePath, line: Int = #line) {
        self.init(name, source: .literal(value), location: SourceLocation(file: file, line: line))
    }

    /// A typed reference to a declared secret: Swift rejects a misspelled secret.
    public init(_ name: String, secret: SecretDeclaration, key: String, file: String = #filePath, line: Int = #line) {
        self.init(name, source: .secret(name: secret.name, key: key), location: SourceLocation(file: file, line: line))
    }

    /// A by-name reference to a secret; the compiler reports it when no such secret is declared.
    public init(_ name: String, secretNamed secret: String, key: String, file: String = #filePath, line: Int = #line) {
        self.init(name, source: .secret(name: secret, key: key), location: SourceLocation(file: file, line: line))
    }

    public init(_ name: String, configMap: ConfigMap, key: String, file: String = #filePath, line: Int = #line) {
        self.init(name, source: .configMap(name: configMap.name, key: key), location: SourceLocation(file: file, line: line))
    }

    public init(_ name: String, field: String, file: String = #filePath, line: Int = #line) {
        self.init(name, source: .field(field), location: SourceLocation(file: file, line: line))
    }

    public init(_ name: String, source: Source, location: SourceLocation) {
        self.name = name
        self.source = source
        self.location = location
    }
}
