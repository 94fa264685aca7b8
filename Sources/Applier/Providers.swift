import Foundation

/// Every provider, in the order the reconciler runs them: the tunnels' ingress, then their
/// private network routes, before the DNS
/// records that route to it, DNS before the Access applications that guard the names, the
/// database firewall, Label Studio's storages, their buckets' CORS rules, Triton's models.
public enum Providers {
    /// The provider types in order.
    public static var all: [any Provider.Type] {
        [
            TunnelProvider.self, RouteProvider.self, DNSProvider.self, AccessProvider.self, FirewallProvider.self,
            LabelStudioProvider.self, BucketCORSProvider.self, TritonProvider.self,
        ]
    }

    /// Every provider's name, in order (`--only` takes these).
    public static var names: [String] { all.map { $0.name } }
}
