import Foundation

/// A named, overridable, non-secret setting with a default (the ESC/Pulumi config keys of
/// the old stack become these). Overrides come from `settings.yaml` at the repository root
/// and are checked against the declared type before the fleet is built.
///
/// ```swift
/// static let metricsPort = Setting("cloudflareNodeTunnelMetricsPort", default: 2200,
///                                  summary: "Metrics port of the node tunnel DaemonSet.")
/// ```
public struct Setting<Value: SettingValue>: Sendable, DeclaredSetting {
    /// The key in settings.yaml (the old stack's config key, e.g. `aws.labelStudio.region`).
    public let key: String
    /// The value used when settings.yaml does not override it.
    public let defaultValue: Value
    /// One line saying what the setting controls.
    public let summary: String
    /// Where the setting was declared (`#filePath`, `#line`).
    public let location: SourceLocation
    /// Where the default comes from (a seed, an upstream document, or invented here); nil when
    /// not stated (fixtures). An `.invented` default warns until settings.yaml sets the setting.
    public let source: SettingSource?

    /// Declares a setting of type `String`, `Int`, `Bool` or `Resources` (from the default's
    /// type); read it with `values[setting]`. `source` says where `default` comes from.
    ///
    /// ```swift
    /// public static let squidImage = Setting("squidImage", default: "ubuntu/squid:6.6-24.04_beta",
    ///                                        summary: "Egress gateway proxy image.")
    /// ```
    public init(
        _ key: String, default defaultValue: Value, summary: String, source: SettingSource? = nil,
        file: String = #filePath, line: Int = #line
    ) {
        self.key = key
        self.defaultValue = defaultValue
        self.summary = summary
        self.source = source
        self.location = SourceLocation(file: file, line: line)
    }

    /// The setting for `FleetDefinition.settings`, where overrides are checked against its type.
    ///
    /// ```swift
    /// public static let all: [AnySetting] = [gitRepositoryUrl.erased, tailscaleAuthKey.erased]
    /// ```
    public var erased: AnySetting {
        AnySetting(
            key: key, summary: summary, typeName: Value.typeName, defaultValue: defaultValue.tree,
            isSecret: false, location: location, source: source,
            validate: { tree in
                switch Value.decode(tree, over: defaultValue) {
                case .success: nil
                case .failure(let error): error.message
                }
            })
    }
}

/// A secret input: only its ESC key is known to the fleet, never its value. Use it in
/// `SecretDeclaration(_:from:)`; settings.yaml cannot set it.
///
/// ```swift
/// public static let tailscaleAuthKey = SecretSetting("tailscaleAuthKey", summary: "Auth key of the Tailscale subnet router.")
/// ```
public struct SecretSetting: Sendable, DeclaredSetting {
    /// The ESC key under the store's config namespace (`oceanid-cluster:<key>`).
    public let key: String
    /// One line saying what the secret is.
    public let summary: String
    /// Where the setting was declared (`#filePath`, `#line`).
    public let location: SourceLocation

    /// Declares a secret input by its ESC key.
    ///
    /// ```swift
    /// SecretSetting("hfAccessToken", summary: "Hugging Face token of the annotations sink and training.")
    /// ```
    public init(_ key: String, summary: String, file: String = #filePath, line: Int = #line) {
        self.key = key
        self.summary = summary
        self.location = SourceLocation(file: file, line: line)
    }

    /// The setting for `FleetDefinition.settings`; an override of it in settings.yaml is an error.
    ///
    /// ```swift
    /// Settings.cloudflareTunnelToken.erased
    /// ```
    public var erased: AnySetting {
        AnySetting(
            key: key, summary: summary, typeName: "secret", defaultValue: nil, isSecret: true,
            location: location, source: nil,
            validate: { _ in
                "is a secret: its value lives in Pulumi ESC (environment default/oceanid-cluster) and cannot be set in settings.yaml"
            })
    }
}

/// A setting with its type erased, for validation and documentation. Made with `.erased`.
///
/// ```swift
/// FleetDefinition(settings: [Settings.squidImage.erased, Settings.tailscaleAuthKey.erased]) { ... }
/// ```
public struct AnySetting: Sendable {
    /// The settings.yaml (or ESC) key.
    public let key: String
    /// One line saying what the setting controls.
    public let summary: String
    /// `string`, `integer`, `boolean`, `resources` or `secret`.
    public let typeName: String
    /// The default as a tree; nil for secrets.
    public let defaultValue: Tree?
    /// True for `SecretSetting`s, whose values live only in Pulumi ESC.
    public let isSecret: Bool
    /// Where the setting was declared.
    public let location: SourceLocation
    /// Where the default comes from; nil for secrets and settings that do not say.
    public let source: SettingSource?
    /// Checks an override; returns the problem, or nil when it is acceptable.
    public let validate: @Sendable (Tree) -> String?
}

/// Where a setting's default comes from, shown in `docs/settings.md`: a default is a fact only
/// when a document says so. An `.invented` one is reported (`invented-default`, a warning) until
/// settings.yaml sets the setting; a `.placeholder` one is reported by the check of what it
/// identifies (`placeholder-setting`).
///
/// ```swift
/// Setting("aws.labelStudio.region", default: "us-east-1", summary: "Region of that bucket.",
///         source: .invented("AWS's default region; the seeds name the key, not its value"))
/// ```
public enum SettingSource: Hashable, Sendable {
    /// Quoted from the seed documents (the old stack's README and datastores page): the quote.
    case seed(String)
    /// An upstream document or file that states the value: its URL.
    case upstream(String)
    /// A choice of this fleet's design that holds wherever it is deployed (off, empty meaning
    /// "derived" or "every", a size), with why; not a fact about the deployment, so it never warns.
    case designed(String)
    /// Chosen here, with why; warns until settings.yaml sets it.
    case invented(String)
    /// A value that cannot be right (all-zero IDs) and is reported where it is read.
    case placeholder(String)

    /// `seed`, `upstream`, `designed`, `invented` or `placeholder`.
    public var kind: String {
        switch self {
        case .seed: "seed"
        case .upstream: "upstream"
        case .designed: "designed"
        case .invented: "invented"
        case .placeholder: "placeholder"
        }
    }

    /// The quote, URL or reason.
    public var detail: String {
        switch self {
        case .seed(let text), .upstream(let text), .designed(let text), .invented(let text), .placeholder(let text):
            text
        }
    }
}

/// Why an override (or a `Resources` tree) is not a valid value; the message names what was expected.
///
/// ```swift
/// throw SettingError("expected a mapping with 'requests' and/or 'limits'")
/// ```
public struct SettingError: Error, Hashable, Sendable {
    /// What is wrong, as shown after the setting's name.
    public let message: String
    /// An error with this message.
    ///
    /// ```swift
    /// SettingError("expected an integer")
    /// ```
    public init(_ message: String) { self.message = message }
}

/// A type a setting can hold: decodable from an override tree, printable as a default.
/// `String`, `Int`, `Bool` and `Resources` conform.
public protocol SettingValue: Hashable, Sendable {
    static var typeName: String { get }
    /// Reads an override; structured values merge the override over `base`.
    static func decode(_ tree: Tree, over base: Self) -> Result<Self, SettingError>
    var tree: Tree { get }
}

extension String: SettingValue {
    /// `string`.
    public static var typeName: String { "string" }
    /// Accepts any scalar override as text (`gitRepositoryBranch: main`).
    public static func decode(_ tree: Tree, over base: String) -> Result<String, SettingError> {
        switch tree {
        case .string(let s): .success(s)
        case .int(let i): .success(String(i))
        default: .failure(SettingError("expected a string"))
        }
    }
    /// The string as a tree.
    public var tree: Tree { .string(self) }
}

extension Int: SettingValue {
    /// `integer`.
    public static var typeName: String { "integer" }
    /// Accepts an integer or a string of digits (`cloudflareNodeTunnelMetricsPort: 2200`).
    public static func decode(_ tree: Tree, over base: Int) -> Result<Int, SettingError> {
        switch tree {
        case .int(let i): .success(i)
        case .string(let s) where Int(s) != nil: .success(Int(s)!)
        default: .failure(SettingError("expected an integer"))
        }
    }
    /// The integer as a tree.
    public var tree: Tree { .int(self) }
}

extension Bool: SettingValue {
    /// `boolean`.
    public static var typeName: String { "boolean" }
    /// Accepts `true` or `false` (`tailscaleExitNode: true`).
    public static func decode(_ tree: Tree, over base: Bool) -> Result<Bool, SettingError> {
        switch tree {
        case .bool(let b): .success(b)
        case .string("true"): .success(true)
        case .string("false"): .success(false)
        default: .failure(SettingError("expected true or false"))
        }
    }
    /// The boolean as a tree.
    public var tree: Tree { .bool(self) }
}

extension Resources: SettingValue {
    /// `resources`.
    public static var typeName: String { "resources" }

    /// Accepts a partial `{requests: {cpu, memory}, limits: {cpu, memory}}` merged over the
    /// default, as the old stack's JSON overrides were
    /// (`cloudflareTunnelResources: {limits: {memory: 1Gi}}`).
    public static func decode(_ tree: Tree, over base: Resources) -> Result<Resources, SettingError> {
        guard case .map = tree else {
            return .failure(SettingError("expected a mapping with 'requests' and/or 'limits'"))
        }
        return Result { () throws(SettingError) in try Resources(parsing: base.tree.merging(tree)) }
    }
}

/// The resolved values of a fleet's settings: overrides where given, defaults elsewhere.
///
/// Reading a value is free of side effects, except inside `FleetDefinition.define(_:)`,
/// which returns every read (the key and the definitions' line) beside the fleet it built.
///
/// ```swift
/// Container("squid", image: Image(s[Settings.squidImage]))
/// ```
public struct SettingValues: Sendable {
    /// Overrides that passed validation, by key.
    public let overrides: [String: Tree]

    /// Values with these overrides; with none, every setting reads its default (tests, fixtures).
    ///
    /// ```swift
    /// let fleet = Oceanid.definition.build(SettingValues(overrides: ["tailscaleExitNode": true]))
    /// ```
    public init(overrides: [String: Tree] = [:]) {
        self.overrides = overrides
    }

    /// The setting's value: its override, else its default. Inside `FleetDefinition.define`
    /// the read is returned with the caller's line.
    ///
    /// ```swift
    /// Port("metrics", s[Settings.cloudflareNodeTunnelMetricsPort])
    /// ```
    public subscript<V>(_ setting: Setting<V>, file: String = #filePath, line: Int = #line) -> V {
        SettingUseRecorder.current?.record(
            SettingUse(key: setting.key, location: SourceLocation(file: file, line: line)))
        guard let tree = overrides[setting.key],
            case .success(let value) = V.decode(tree, over: setting.defaultValue)
        else { return setting.defaultValue }
        return value
    }

    /// The same values with `key` set to `tree` (already valid for its setting): how the
    /// compiler asks what a setting's value feeds.
    ///
    /// ```swift
    /// values.overriding("squidImage", with: .string("squid:6.10"))
    /// ```
    public func overriding(_ key: String, with tree: Tree) -> SettingValues {
        var overrides = self.overrides
        overrides[key] = tree
        return SettingValues(overrides: overrides)
    }
}

/// One read of a setting while a fleet was built: the key and the definitions' line that
/// read it (`s[Settings.squidImage]` in `definitions/Networking.swift:126`).
public struct SettingUse: Hashable, Comparable, Sendable {
    /// The setting's key.
    public var key: String
    /// Where the definitions read it.
    public var location: SourceLocation

    /// A read of `key` at `location`.
    ///
    /// ```swift
    /// SettingUse(key: "squidImage", location: SourceLocation(file: "Networking.swift", line: 126))
    /// ```
    public init(key: String, location: SourceLocation) {
        self.key = key
        self.location = location
    }

    /// By key, then location.
    public static func < (a: SettingUse, b: SettingUse) -> Bool { (a.key, a.location) < (b.key, b.location) }
}

/// Collects the reads of one `FleetDefinition.define` call; bound to that call's task only,
/// so nothing outlives it and concurrent builds never see each other's reads.
final class SettingUseRecorder: @unchecked Sendable {
    @TaskLocal static var current: SettingUseRecorder?
    private let lock = NSLock()
    private var uses: Set<SettingUse> = []

    func record(_ use: SettingUse) {
        lock.lock()
        defer { lock.unlock() }
        uses.insert(use)
    }

    var recorded: [SettingUse] {
        lock.lock()
        defer { lock.unlock() }
        return uses.sorted()
    }
}

/// Any declared setting, typed or secret: what a settings registry collects.
public protocol DeclaredSetting: Sendable {
    var erased: AnySetting { get }
}

/// A fleet's settings as the stored properties of one value, so the list of all of them is
/// derived (by reflection) and a setting can never be declared and left out of it.
///
/// ```swift
/// public struct FleetSettings: SettingsRegistry {
///     public let fluxVersion = Setting("fluxVersion", default: "v2.9.0", summary: "Flux release.")
///     public let tailscaleAuthKey = SecretSetting("tailscaleAuthKey", summary: "Router auth key.")
/// }
/// FleetSettings().all   // both, in declaration order
/// ```
public protocol SettingsRegistry: Sendable {}

extension SettingsRegistry {
    /// Every `Setting` and `SecretSetting` stored in this value, in declaration order.
    public var all: [AnySetting] {
        Mirror(reflecting: self).children.compactMap { ($0.value as? any DeclaredSetting)?.erased }
    }
}
