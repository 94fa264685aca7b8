import CloudState
import Compiler

/// How a tunnel route reads to people, said one way by `explain`, the hostname table and
/// the topology picture.
extension TunnelIR.Route {
    /// Who may pass, in one phrase: `public: <why>` for a hostname public on purpose,
    /// `Access: <service tokens and e-mail addresses>` for one behind Cloudflare Access.
    public var access: String {
        if let publicReason { return "public: \(publicReason)" }
        return admits.isEmpty ? "public: no Access application" : "Access: " + admits.joined(separator: ", ")
    }
}

extension TunnelIR.Endpoint {
    /// What a route reaches, with names set off by `quote` (plain quotes in a terminal, code
    /// spans in Markdown): `Service 'apps/web' in cluster tethys`.
    public func summary(quote: (String) -> String) -> String {
        switch self {
        case .service(let cluster, let namespace, let name):
            "Service \(quote("\(namespace)/\(name)")) in cluster \(cluster)"
        case .hostService(let node, let name): "host service \(quote(name)) on node \(node)"
        case .address(let address): "address \(quote(address)) (not modelled by the fleet)"
        case .none: "a fixed answer"
        }
    }
}

extension FleetIR {
    /// The desired DNS record of `hostname` (DNS names compare without case, RFC 4343).
    public func dnsRecord(of hostname: String) -> DNSRecord? {
        cloud.cloudflare.dnsRecords.first { $0.name.lowercased() == hostname.lowercased() }
    }
}
