/// A container image reference: `[registry/]repository[:tag][@digest]`.
///
/// Written as a string literal (`"cloudflare/cloudflared:2025.9.1"`); the compiler rejects
/// references without a tag or digest and the floating `:latest`.
///
/// ```swift
/// Container("proxy", image: "alpine/socat:1.8.0.1")
/// Container("worker", image: Image(s[Settings.csvIngestionWorkerImage]))
/// ```
public struct Image: Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The reference as written, emitted as the container's `image`.
    public var reference: String

    /// An image from a string value, typically a setting.
    ///
    /// ```swift
    /// Image(s[Settings.lsTritonAdapterImage])   // ghcr.io/goldfish-inc/oceanid/ls-triton-adapter:main
    /// ```
    public init(_ reference: String) { self.reference = reference }
    /// An image written as a literal.
    ///
    /// ```swift
    /// let image: Image = "tailscale/tailscale:v1.88.2"
    /// ```
    public init(stringLiteral value: String) { self.init(value) }

    /// The reference as written.
    public var description: String { reference }

    /// The digest after `@`, if any (`sha256:<64 hex>`).
    public var digest: String? {
        guard let at = reference.firstIndex(of: "@") else { return nil }
        return String(reference[reference.index(after: at)...])
    }

    /// The tag after the last `:` of the final path component, if any
    /// (`main` for `ghcr.io/goldfish-inc/oceanid/annotations-sink:main`; a registry port is not a tag).
    public var tag: String? {
        let withoutDigest = reference.split(separator: "@", maxSplits: 1).first.map(String.init) ?? reference
        let lastComponent = withoutDigest.split(separator: "/").last.map(String.init) ?? withoutDigest
        guard let colon = lastComponent.lastIndex(of: ":") else { return nil }
        return String(lastComponent[lastComponent.index(after: colon)...])
    }

    /// Whether the reference may name other bytes tomorrow: no digest, and a tag that does not
    /// start with a version number (`v1.2.3`, `2025.9.1`, `6.6-24.04` are versions; `main`, `edge`,
    /// `stable` are branches or channels), or a version followed by a risk channel: Canonical's
    /// images are tagged `<track>_<risk>` (`6.6-24.04_beta`, risk `edge`, `beta`, `candidate` or
    /// `stable`), listed as "channel tags" on hub.docker.com/r/ubuntu/squid, and rebuilt under
    /// the same tag with each security update. Such an image is emitted with
    /// `imagePullPolicy: Always` unless the container says otherwise (an error): Kubernetes
    /// defaults to IfNotPresent for any tag but `latest` and would keep the node's cached image
    /// (kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting).
    public var moves: Bool {
        guard digest == nil, let tag, !tag.isEmpty else { return false }
        // Plain string tests, not regex literals: a literal is parsed again on every call, which
        // was a third of compiling a 10,000-app fleet (`make bench`, plan).
        let afterV = tag.first == "v" ? tag.dropFirst() : Substring(tag)
        let version = afterV.first.map { $0.isASCII && $0.isNumber } ?? false
        return !version || Self.riskChannels.contains { tag.hasSuffix("_" + $0) }
    }

    /// Canonical's risk levels, the `<risk>` of a `<track>_<risk>` channel tag.
    static let riskChannels = ["edge", "beta", "candidate", "stable"]

    /// The repository part without tag or digest (`cloudflare/cloudflared` for
    /// `cloudflare/cloudflared:2025.9.1`).
    public var repository: String {
        var name = reference.split(separator: "@", maxSplits: 1).first.map(String.init) ?? reference
        if let tag { name = String(name.dropLast(tag.count + 1)) }
        return name
    }
}
