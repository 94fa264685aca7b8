/// A Kubernetes Secret the fleet uses, declared by reference only.
///
/// Each key names the ESC key it is filled from (`default/oceanid-cluster` in Pulumi ESC);
/// the value never appears in the fleet or its output. The secret reaches the cluster as an
/// ExternalSecret, and env entries may use only the keys declared here.
///
/// ```swift
/// SecretDeclaration("cloudflared-token", keys: ["token": "cloudflareTunnelToken"])
/// ```
public struct SecretDeclaration: Hashable, Sendable {
    public var name: String
    /// Secret key → ESC key.
    public var keys: [String: String]
    public var location: SourceLocation

    public init(_ name: String, keys: [String: String], file: String = #filePath, line: Int = #line) {
        self.name = name
        self.keys = keys
        self.location = SourceLocation(file: file, line: line)
    }
}
