import Foundation

/// A named, overridable, non-secret setting with a default (the ESC/Pulumi config keys of
/// the old stack become these). Overrides come from `settings.yaml` at the repository root
/// and are checked against the declared type before the fleet is built.
///
/// ```swift
/// static let metricsPort = Setting("cloudflareNodeTunnelMetricsPort", default: 2200,
///                                  summary: "Metrics port of the node tunnel DaemonSet.")
/// ```
public struct Setting<Value: SettingValue>: Sendable {
    public let key: String
    public let defaultValue: Value
    public let summary: String
    public let location: SourceLocation

    public init(_ key: String, default defaultValue: Value, summary: String,
                file: String = #filePath, line: Int = #line) {
        self.key = key
        self.defaultValue = defaultValue
        self.summary = summary
        self.location = SourceLocation(file: file, line: line)
    }

    public var erased: AnySetting {
        AnySetting(key: key, summary: summary, typeName: Value.typeName, defaultValue: defaultValue.tree,
                   isSecret: false, location: location,
                   validate: { tree in
                       switch Value.decode(tree, over: defaultValue) {
                       case .success: nil
                       case .failure(let error): error.message
                       }
                   })
    }
}

/// A secret input: only its ESC key is known to the fleet, never its value.
public struct SecretSetting: Sendable {
    public let key: String
    public let summary: String
    public let location: SourceLocation

    public init(_ key: String, summary: String, file: String = #filePath, line: Int = #line) {
        self.key = key
        self.summary = summary
        self.location = SourceLocation(file: file, line: line)
    }

    public var erased: AnySetting {
        AnySetting(key: key, summary: summary, typeName: "secret", defaultValue: nil, isSecret: true,
                   location: location, validate: { _ in "is a secret: its value lives in Pulumi ESC and cannot be set here" })
    }
}

/// A setting with its type erased, for validation and documentation.
public struct AnySetting: Sendable {
    public let key: String
    public let summary: String
    public let typeName: String
    /// The default as a tree; nil for secrets.
    public let defaultValue: Tree?
    public let isSecret: Bool
    public let location: SourceLocation
    /// Checks an override; returns the problem, or nil when it is acceptable.
    public let validate: @Sendable (Tree) -> String?
}

public struct SettingError: Error, Hashable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
}

/// A type a setting can hold: decodable from an override tree, printable as a default.
public protocol SettingValue: Hashable, Sendable {
    static var typeName: String { get }
    /// Reads an override; structured values merge the override over `base`.
    static func decode(_ tree: Tree, over base: Self) -> Result<Self, SettingError>
    var tree: Tree { get }
}

extension String: SettingValue {
    public static var typeName: String { "string" }
    public static func decode(_ tree: Tree, over base: String) -> Result<String, SettingError> {
        switch tree {
        case .string(let s): .success(s)
        case .int(let i): .success(String(i))
        default: .failure(SettingError("expected a string"))
        }
    }
    public var tree: Tree { .string(self) }
}

extension Int: SettingValue {
    public static var typeName: String { "integer" }
    public static func decode(_ tree: Tree, over base: Int) -> Result<Int, SettingError> {
        switch tree {
        case .int(let i): .success(i)
        case .string(let s) where Int(s) != nil: .success(Int(s)!)
        default: .failure(SettingError("expected an integer"))
        }
    }
    public var tree: Tree { .int(self) }
}

extension Bool: SettingValue {
    public static var typeName: String { "boolean" }
    public static func decode(_ tree: Tree, over base: Bool) -> Result<Bool, SettingError> {
        switch tree {
        case .bool(let b): .success(b)
        case .string("true"): .success(true)
        case .string("false"): .success(false)
        default: .failure(SettingError("expected true or false"))
        }
    }
    public var tree: Tree { .bool(self) }
}

extension Resources: SettingValue {
    public static var typeName: String { "resources" }

    /// Accepts a partial `{requests: {cpu, memory}, limits: {cpu, memory}}` merged over the
    /// default, as the old stack's JSON overrides were.
    public static func decode(_ tree: Tree, over base: Resources) -> Result<Resources, SettingError> {
        guard case .map = tree else { return .failure(SettingError("expected a mapping with 'requests' and/or 'limits'")) }
        return Result { () throws(SettingError) in try Resources(parsing: base.tree.merging(tree)) }
    }
}

/// The resolved values of a fleet's settings: overrides where given, defaults elsewhere.
///
/// Every read records where it was written (`s[Settings.squidImage]` in a definition), so
/// the compiler can blame a bad value on its settings.yaml line only when that declaration
/// really used the setting.
public struct SettingValues: Sendable {
    /// Overrides that passed validation, by key.
    public let overrides: [String: Tree]
    /// Where each setting was read while the fleet was built.
    public let usage: SettingUsage

    public init(overrides: [String: Tree] = [:], usage: SettingUsage = SettingUsage()) {
        self.overrides = overrides
        self.usage = usage
    }

    public subscript<V>(_ setting: Setting<V>, file: String = #filePath, line: Int = #line) -> V {
        usage.record(setting.key, at: SourceLocation(file: file, line: line))
        guard let tree = overrides[setting.key],
              case .success(let value) = V.decode(tree, over: setting.defaultValue)
        else { return setting.defaultValue }
        return value
    }
}

/// Where settings were read: setting key → the places that read it.
public final class SettingUsage: @unchecked Sendable {
    private let lock = NSLock()
    private var places: [String: Set<SourceLocation>] = [:]

    public init() {}

    func record(_ key: String, at location: SourceLocation) {
        lock.lock(); defer { lock.unlock() }
        places[key, default: []].insert(location)
    }

    /// The places that read `key` (empty when nothing did).
    public func reads(of key: String) -> Set<SourceLocation> {
        lock.lock(); defer { lock.unlock() }
        return places[key] ?? []
    }
}
