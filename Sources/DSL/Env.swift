/// An environment variable of a container (Kubernetes core/v1 `EnvVar`). Secret values
/// cannot be written: a secret arrives only as a reference to a declared secret and one of
/// its keys, and a credential-looking literal is an error.
///
/// ```swift
/// Env("TRAIN_ASYNC", "true")
/// Env("DATABASE_URL", secret: cleandataDb, key: "url")
/// Env("POD_IP", field: "status.podIP")
/// ```
public struct Env: Hashable, Sendable {
    /// Where the value comes from: `value` or one of `valueFrom`'s references.
    ///
    /// ```swift
    /// Env("POD_NAME", source: .field("metadata.name"), location: SourceLocation(file: file, line: line))
    /// ```
    public enum Source: Hashable, Sendable {
        /// A literal `value`.
        case literal(String)
        /// `valueFrom.secretKeyRef`: a key of a declared secret.
        case secret(name: String, key: String)
        /// `valueFrom.configMapKeyRef`: a key of a ConfigMap of the namespace.
        case configMap(name: String, key: String)
        /// `valueFrom.fieldRef`: a downward API field path of the pod.
        case field(String)
    }

    /// The variable's name; unique within the container.
    public var name: String
    /// Where its value comes from.
    public var source: Source
    /// Where the variable was declared, for its diagnostics.
    public var location: SourceLocation

    /// A literal value (`value`), for non-secret configuration only.
    ///
    /// ```swift
    /// Env("TS_HOSTNAME", "tethys-router")
    /// ```
    public init(_ name: String, _ value: String, file: String = #filePath, line: Int = #line) {
        self.init(name, source: .literal(value), location: SourceLocation(file: file, line: line))
    }

    /// A typed reference to a declared secret: Swift rejects a misspelled secret
    /// (`valueFrom.secretKeyRef`). `key` must be one of the secret's `secretKeys`.
    ///
    /// ```swift
    /// Env("TUNNEL_TOKEN", secret: token, key: "token")
    /// ```
    public init(_ name: String, secret: SecretDeclaration, key: String, file: String = #filePath, line: Int = #line) {
        self.init(name, source: .secret(name: secret.name, key: key), location: SourceLocation(file: file, line: line))
    }

    /// A by-name reference to a secret; the compiler reports it when no such secret is declared.
    ///
    /// ```swift
    /// Env("DATABASE_URL", secretNamed: "cleandata-db", key: "url")
    /// ```
    public init(_ name: String, secretNamed secret: String, key: String, file: String = #filePath, line: Int = #line) {
        self.init(name, source: .secret(name: secret, key: key), location: SourceLocation(file: file, line: line))
    }

    /// One key of a declared ConfigMap (`valueFrom.configMapKeyRef`); the compiler reports
    /// a key the ConfigMap does not have.
    ///
    /// ```swift
    /// Env("TRITON_MODEL_NAME", configMap: adapterConfig, key: "TRITON_MODEL_NAME")
    /// ```
    public init(_ name: String, configMap: ConfigMap, key: String, file: String = #filePath, line: Int = #line) {
        self.init(
            name, source: .configMap(name: configMap.name, key: key), location: SourceLocation(file: file, line: line))
    }

    /// A field of the pod through the downward API (`valueFrom.fieldRef.fieldPath`):
    /// `metadata.name`, `metadata.namespace`, `metadata.uid`, `metadata.labels['<key>']`,
    /// `metadata.annotations['<key>']`, `spec.nodeName`, `spec.serviceAccountName`,
    /// `status.hostIP(s)` or `status.podIP(s)`.
    ///
    /// ```swift
    /// Env("NODE_NAME", field: "spec.nodeName")
    /// ```
    public init(_ name: String, field: String, file: String = #filePath, line: Int = #line) {
        self.init(name, source: .field(field), location: SourceLocation(file: file, line: line))
    }

    /// Any source with an explicit location, for helpers that pass their caller's.
    ///
    /// ```swift
    /// Env("HTTP_PROXY", source: .literal(Egress.proxyURL), location: SourceLocation(file: file, line: line))
    /// ```
    public init(_ name: String, source: Source, location: SourceLocation) {
        self.name = name
        self.source = source
        self.location = location
    }
}

extension Env {
    /// The variables a carried Access service token arrives in by default: what `cloudflared
    /// access` and the applier read, sent as `CF-Access-Client-Id` / `CF-Access-Client-Secret`.
    public static let accessTokenVariables = (id: "CF_ACCESS_CLIENT_ID", secret: "CF_ACCESS_CLIENT_SECRET")

    /// The container carries this Access service token: its client ID and secret from the
    /// token's Secret (`token.secret()`, which must be declared in the namespace). The
    /// compiler lets a container call a hostname behind Access only with a token its policy
    /// admits.
    ///
    /// ```swift
    /// Container("adapter", image: image) { Env("TRITON_URL", "https://gpu.boathou.se"); Env.accessToken(adapter) }
    /// ```
    public static func accessToken(
        _ token: AccessServiceToken, id: String = accessTokenVariables.id,
        secret: String = accessTokenVariables.secret, file: String = #filePath, line: Int = #line
    ) -> [Env] {
        let location = SourceLocation(file: file, line: line)
        return [
            Env(
                id, source: .secret(name: token.secretName, key: AccessServiceToken.secretKeys.clientId),
                location: location),
            Env(
                secret, source: .secret(name: token.secretName, key: AccessServiceToken.secretKeys.clientSecret),
                location: location),
        ]
    }
}
