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
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null
    case list([Tree])
    case map([Entry])

    /// One key/value pair of a mapping.
    public struct Entry: Hashable, Sendable {
        public var key: String
        public var value: Tree
        public init(_ key: String, _ value: Tree) {
            self.key = key
            self.value = value
        }
    }

    /// The value under `key` when this is a mapping.
    public subscript(key: String) -> Tree? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var entries: [Entry]? {
        if case .map(let e) = self { return e }
        return nil
    }

    /// Merges `overlay` over `self`: mappings merge key by key (new keys appended in the
    /// overlay's order), anything else is replaced. Used for partial setting overrides.
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
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: Tree...) { self = .list(elements) }
    /// Dictionary literals arrive in source order, which is the order the mapping keeps.
    public init(dictionaryLiteral elements: (String, Tree)...) {
        self = .map(elements.map { Entry($0.0, $0.1) })
    }
    public init(nilLiteral: ()) { self = .null }
}

/// Builds mappings in a fixed order, skipping absent values; the lowering's workhorse.
public struct MapBuilder: Sendable {
    public private(set) var entries: [Tree.Entry] = []
    public init() {}

    public mutating func set(_ key: String, _ value: Tree?) {
        guard let value else { return }
        entries.append(Tree.Entry(key, value))
    }
    public mutating func set(_ key: String, _ value: String?) { set(key, value.map(Tree.string)) }
    public mutating func set(_ key: String, _ value: Int?) { set(key, value.map(Tree.int)) }
    public mutating func set(_ key: String, _ value: Bool?) { set(key, value.map(Tree.bool)) }
    /// Sets a mapping only when it has entries (Kubernetes omits empty maps by convention).
    public mutating func setNonEmpty(_ key: String, _ value: Tree) {
        if case .map(let e) = value, e.isEmpty { return }
        if case .list(let l) = value, l.isEmpty { return }
        set(key, value)
    }
    public var tree: Tree { .map(entries) }
}

extension Tree {
    /// A mapping from string pairs sorted by key: for label sets and ConfigMap data,
    /// which Kubernetes treats as unordered.
    public static func sortedMap(_ pairs: [String: String]) -> Tree {
        .map(pairs.sorted { $0.key < $1.key }.map { Entry($0.key, .string($0.value)) })
    }
}
