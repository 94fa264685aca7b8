/// A list whose key may be missing from `cloud/desired-state.json`: a missing key (or `null`)
/// decodes as the empty list, and the value is encoded as usual (always written, `[]` when
/// empty). For fields added after states of the older shape were written, so those files still
/// decode without a hand-written `init(from:)` per section.
///
/// ```swift
/// @DefaultEmpty var privateRoutes: [PrivateRoute] = []   // {"...": ...} without the key → []
/// ```
///
/// The synthesized `Decodable` of a type holding one calls `decode(_:forKey:)` with this type,
/// which the `KeyedDecodingContainer` overload below answers; an optional would be written as
/// `decodeIfPresent` instead and need none of this. Public because the properties it wraps are.
@propertyWrapper
public struct DefaultEmpty<Value: RangeReplaceableCollection & Codable & Hashable & Sendable>: Codable, Hashable,
    Sendable
{
    /// The list itself.
    public var wrappedValue: Value

    /// A list, empty unless given.
    public init(wrappedValue: Value = Value()) { self.wrappedValue = wrappedValue }

    /// The list as the key's value (a missing key never reaches here; see the overload below).
    public init(from decoder: any Decoder) throws {
        wrappedValue = try decoder.singleValueContainer().decode(Value.self)
    }

    /// The list as the key's value, exactly as an unwrapped property encodes it.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue)
    }
}

extension KeyedDecodingContainer {
    /// A `DefaultEmpty` list: the key's value, or the empty list when the key is missing or `null`.
    public func decode<Value>(_ type: DefaultEmpty<Value>.Type, forKey key: Key) throws -> DefaultEmpty<Value> {
        try decodeIfPresent(type, forKey: key) ?? DefaultEmpty()
    }
}
