/// A ConfigMap (Kubernetes core/v1) with literal, non-secret data. Keys are emitted sorted;
/// the whole object may hold at most 1 MiB of data, and a credential in it is an error.
/// Containers use it through `Volume.configMap`, `Env(_:configMap:key:)` or `EnvFrom`.
///
/// ```swift
/// ConfigMap("adapter-config", data: ["TRITON_MODEL_NAME": "ner-distilbert"])
/// ```
public struct ConfigMap: ObjectMetadata, Hashable {
    /// `metadata.name`, a DNS-1123 subdomain, unique among the namespace's ConfigMaps.
    public var name: String
    /// Key → value. Keys follow Kubernetes' ConfigMap key rule: `[-._a-zA-Z0-9]+`, at most
    /// 253 characters, not `.` or `..`.
    public var data: [String: String]
    /// Key → a config file as a typed value, rendered by the renderer of its syntax (YAML for
    /// a cloudflared config, directive lines for squid.conf): no config text is written by hand.
    public var files: [String: ConfigFile] = [:]
    /// The ConfigMap's `metadata.labels`, from `.labels(_:)`, beside the standard `app.kubernetes.io/*`
    /// ones.
    public var labels: [String: String] = [:]
    /// The ConfigMap's `metadata.annotations`, from `.annotations(_:)`, written as declared.
    public var annotations: [String: String] = [:]
    /// Where the ConfigMap was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Every key the ConfigMap will hold: its literal data and its typed files.
    public var keys: [String] { (Array(data.keys) + Array(files.keys)).sorted() }

    /// Whether the ConfigMap will hold `key`.
    public func hasKey(_ key: String) -> Bool { data[key] != nil || files[key] != nil }

    /// A ConfigMap of typed config files (and optional literal data).
    ///
    /// ```swift
    /// ConfigMap("cloudflared-node-config", files: [
    ///     "config.yaml": .yaml(["metrics": "0.0.0.0:2200", "no-autoupdate": true]),
    /// ])
    /// ```
    public init(
        _ name: String, files: [String: ConfigFile], data: [String: String] = [:], file: String = #filePath,
        line: Int = #line
    ) {
        self.init(name, data: data, file: file, line: line)
        self.files = files
    }

    /// Declares a ConfigMap of literal data in the enclosing namespace; keep the value to mount
    /// or reference it. A config file is better given as `files:`, typed, than as text here.
    ///
    /// ```swift
    /// let adapter = ConfigMap("adapter-config", data: ["TRITON_MODEL_NAME": "ner-distilbert", "MODE": "async"])
    /// ```
    public init(_ name: String, data: [String: String], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.data = data
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A config file as a typed value. The compiler renders it with the renderer of its syntax
/// when it lowers the ConfigMap, and checks the rendered text like every other value.
public enum ConfigFile: Hashable, Sendable {
    /// A YAML document (cloudflared's config.yaml): rendered by the YAML renderer.
    case yaml(Tree)
    /// A directive-per-line file (`squid.conf(5)`: `name arg arg`), in order.
    case directives([Directive])
}

/// One line of a directive file: a name and its arguments, separated by single spaces.
/// Neither may hold a line break (the compiler reports one), so one directive is one line.
///
/// ```swift
/// Directive("acl", "SSL_ports", "port", "443")
/// ```
public struct Directive: Hashable, Sendable {
    /// The directive (`http_port`, `acl`, `http_access`): one non-empty word, no whitespace or `#`.
    public var name: String
    /// Each one word: no whitespace and no `#`, which would start a comment.
    public var arguments: [String]
    /// Where the directive was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// A directive from its name and arguments, written as `name arg arg` on one line.
    ///
    /// ```swift
    /// Directive("http_access", "deny", "!SSL_ports")
    /// ```
    public init(_ name: String, _ arguments: String..., file: String = #filePath, line: Int = #line) {
        self.init(name, arguments: arguments, file: file, line: line)
    }
    /// A directive from an argument list built elsewhere (a list of CIDRs for an `acl`).
    ///
    /// ```swift
    /// Directive("acl", arguments: ["localnet", "src"] + podCIDRs)
    /// ```
    public init(_ name: String, arguments: [String], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.arguments = arguments
        self.location = SourceLocation(file: file, line: line)
    }
}
