/// A container image reference: `[registry/]repository[:tag][@digest]`.
///
/// Written as a string literal (`"cloudflare/cloudflared:2025.9.1"`); the compiler rejects
/// references without a tag or digest and the floating `:latest`.
public struct Image: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var reference: String

    public init(_ reference: String) { self.reference = reference }
    public init(stringLiteral value: String) { self.init(value) }

    public var description: String { reference }

    /// The digest after `@`, if any.
    public var digest: String? {
        guard let at = reference.firstIndex(of: "@") else { return nil }
        return String(reference[reference.index(after: at)...])
    }

    /// The tag after the last `:` of the final path component, if any.
    public var tag: String? {
        let withoutDigest = reference.split(separator: "@", maxSplits: 1).first.map(String.init) ?? reference
        let lastComponent = withoutDigest.split(separator: "/").last.map(String.init) ?? withoutDigest
        guard let colon = lastComponent.lastIndex(of: ":") else { return nil }
        return String(lastComponent[lastComponent.index(after: colon)...])
    }

    /// The repository part without tag or digest.
    public var repository: String {
        var name = reference.split(separator: "@", maxSplits: 1).first.map(String.init) ?? reference
        if let tag { name = String(name.dropLast(tag.count + 1)) }
        return name
    }
}
