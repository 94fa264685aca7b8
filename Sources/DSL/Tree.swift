/// An ordered YAML/JSON value: the shape of every Kubernetes object the compiler lowers
/// and of escape-hatch bodies written in the fleet.
///
/// Mappings keep their keys in the order they were written, so output order is always
/// explicit. Literals build trees directly:
///
/// ```swift
/// let values: Tree = ["persistence": ["type": "s3"], "replicas": 1, "debug": false]
/// ```
public indirect enum Tree: Hashable, Sendable {
    /// A string scalar; interpolate with `.string("https://label.\(base)")`.
    case string(String)
    /// An integer scalar.
    case int(Int)
    /// A floating-point scalar; must be finite.
    case double(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// YAML `null`.
    case null
    /// A sequence.
    case list([Tree])
    /// A mapping, in the order written.
    case map([Entry])

    /// One key/value pair of a mapping.
    public struct Entry: Hashable, Sendable {
        /// The mapping key.
        public var key: String
        /// The value under it.
        public var value: Tree
        /// A pair; dictionary literals build these for you.
        ///
        /// ```swift
        /// Tree.map([Tree.Entry("handler", "nvidia")])
        /// ```
        public init(_ key: String, _ value: Tree) {
            self.key = key
            self.value = value
        }
    }

    /// The value under `key` when this is a mapping.
    ///
    /// ```swift
    /// values["global"]?["persistence"]?["type"]   // "s3"
    /// ```
    public subscript(key: String) -> Tree? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The string when this is a string scalar.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// The items, in order, when this is a sequence.
    public var items: [Tree]? {
        if case .list(let items) = self { return items }
        return nil
    }

    /// The entries, in order, when this is a mapping.
    public var entries: [Entry]? {
        if case .map(let e) = self { return e }
        return nil
    }

    /// Merges `overlay` over `self`: mappings merge key by key (new keys appended in the
    /// overlay's order), anything else is replaced. Used for partial setting overrides.
    ///
    /// ```swift
    /// base.merging(["limits": ["memory": "1Gi"]])   // keeps requests and limits.cpu
    /// ```
    public func merging(_ overlay: Tree) -> Tree {
        guard case .map(var base) = self, case .map(let top) = overlay else { return overlay }
        for entry in top {
            if let index = base.firstIndex(where: { $0.key == entry.key }) {
                base[index].value = base[index].value.merging(entry.value)
            } else {
                base.append(entry)
            }
        }
        return .map(base)
    }
}

extension Tree: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    /// `"s3"` is `.string("s3")`.
    public init(stringLiteral value: String) { self = .string(value) }
    /// `1` is `.int(1)`.
    public init(integerLiteral value: Int) { self = .int(value) }
    /// `true` is `.bool(true)`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    /// `0.5` is `.double(0.5)`.
    public init(floatLiteral value: Double) { self = .double(value) }
    /// `["a", "b"]` is a list, in order.
    ///
    /// ```swift
    /// let args: Tree = ["--schema", "curated,stage,label"]
    /// ```
    public init(arrayLiteral elements: Tree...) { self = .list(elements) }
    /// Dictionary literals arrive in source order, which is the order the mapping keeps.
    ///
    /// ```swift
    /// let values: Tree = ["postgresql": ["enabled": false], "redis": ["enabled": false]]
    /// ```
    public init(dictionaryLiteral elements: (String, Tree)...) {
        self = .map(elements.map { Entry($0.0, $0.1) })
    }
    /// `nil` is `.null`.
    public init(nilLiteral: ()) { self = .null }
}

/// Builds mappings in a fixed order, skipping absent values; the lowering's workhorse.
///
/// ```swift
/// var spec = MapBuilder()
/// spec.set("replicas", deployment.replicas)      // omitted when nil
/// spec.setNonEmpty("tolerations", .list([]))      // omitted when empty
/// let tree = spec.tree
/// ```
public struct MapBuilder: Sendable {
    /// The entries set so far, in order.
    public private(set) var entries: [Tree.Entry] = []
    /// An empty mapping.
    public init() {}

    /// Appends `key: value`, or nothing when `value` is nil.
    public mutating func set(_ key: String, _ value: Tree?) {
        guard let value else { return }
        entries.append(Tree.Entry(key, value))
    }
    /// Appends a string, or nothing when nil.
    public mutating func set(_ key: String, _ value: String?) { set(key, value.map(Tree.string)) }
    /// Appends an integer, or nothing when nil.
    public mutating func set(_ key: String, _ value: Int?) { set(key, value.map(Tree.int)) }
    /// Appends a boolean, or nothing when nil.
    public mutating func set(_ key: String, _ value: Bool?) { set(key, value.map(Tree.bool)) }
    /// Sets a mapping or list only when it has entries (Kubernetes omits empty ones by convention).
    public mutating func setNonEmpty(_ key: String, _ value: Tree) {
        if case .map(let e) = value, e.isEmpty { return }
        if case .list(let l) = value, l.isEmpty { return }
        set(key, value)
    }
    /// The mapping built so far.
    public var tree: Tree { .map(entries) }
}

extension Tree {
    /// A mapping from string pairs sorted by key: for label sets and ConfigMap data,
    /// which Kubernetes treats as unordered.
    ///
    /// ```swift
    /// Tree.sortedMap(["app.kubernetes.io/name": "cloudflared", "app": "cloudflared"])
    /// ```
    public static func sortedMap(_ pairs: [String: String]) -> Tree {
        .map(pairs.sorted { $0.key < $1.key }.map { Entry($0.key, .string($0.value)) })
    }
}

/// A tree encodes as the JSON value it describes: mappings as objects (key order is the
/// encoder's to decide), lists as arrays, scalars as themselves.
extension Tree: Encodable {
    private struct FieldName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Encodes the value as JSON (`cloud/desired-state.json`, the policy input): a mapping's keys in
    /// the encoder's order (`.sortedKeys` for stable output), `.null` as `null`.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let s):
            var c = encoder.singleValueContainer()
            try c.encode(s)
        case .int(let i):
            var c = encoder.singleValueContainer()
            try c.encode(i)
        case .double(let d):
            var c = encoder.singleValueContainer()
            try c.encode(d)
        case .bool(let b):
            var c = encoder.singleValueContainer()
            try c.encode(b)
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .list(let items):
            var c = encoder.unkeyedContainer()
            for item in items { try c.encode(item) }
        case .map(let entries):
            var c = encoder.container(keyedBy: FieldName.self)
            for entry in entries { try c.encode(entry.value, forKey: FieldName(stringValue: entry.key)) }
        }
    }
}
