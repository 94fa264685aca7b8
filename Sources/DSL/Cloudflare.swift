/// The fleet's Cloudflare side: one account and zone, the tunnels that publish hostnames,
/// the Access policies protecting them, and any DNS records beside the tunnels' own.
///
/// Every routed hostname gets one proxied CNAME to its tunnel (`<tunnel id>.cfargotunnel.com`);
/// the compiler writes the desired state to `cloud/desired-state.json` for `oceanid-apply`,
/// and a locally managed tunnel's config to its host.
///
/// ```swift
/// Cloudflare(account: s.read(Settings.cloudflareAccountId), zone: "boathou.se",
///            zoneId: s.read(Settings.cloudflareZoneId), apiToken: Settings.cloudflareApiToken) {
///     adapter                                   // an AccessServiceToken
///     Tunnel.remote("tethys", id: s.read(Settings.cloudflareTunnelId), cluster: tethys) { ... }
///     AccessPolicy("gpu.boathou.se", serviceTokens: [adapter])
/// }
/// ```
public struct Cloudflare: Hashable, Sendable {
    /// The account's ID (32 hex digits), from a setting.
    public var accountId: SettingRead<String>
    /// The zone's name (`boathou.se`): every hostname lies inside it.
    public var zone: String
    /// The zone's ID (32 hex digits), from a setting.
    public var zoneId: SettingRead<String>
    /// The ESC key of the API token the applier uses (a `SecretSetting`'s key).
    public var apiTokenKey: String
    /// The Cloudflare Tunnels, remote and local; each routed hostname is served by exactly one rule of
    /// one tunnel and gets a proxied CNAME to it.
    public var tunnels: [Tunnel]
    /// The Access applications, one per routed hostname; a routed hostname without one must be marked
    /// `publicOnPurpose`, or it is reported as unprotected.
    public var accessPolicies: [AccessPolicy]
    /// The service tokens Access policies may admit; a policy may name only tokens declared here.
    public var serviceTokens: [AccessServiceToken]
    /// DNS records beside the tunnels' own CNAMEs (a verification TXT, an A to a host); written to
    /// `cloud/desired-state.json` with TTL 1 (automatic).
    public var records: [DNSRecordDeclaration]
    /// Private networks reached through a tunnel by WARP clients (Zero Trust tunnel routes),
    /// reconciled by the applier; cloudflared 2023.9+ ignores its own `warp-routing` setting.
    public var privateRoutes: [PrivateNetworkRoute] = []
    /// Where it was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Declares the account, zone and what they hold.
    ///
    /// ```swift
    /// Cloudflare(account: s.read(Settings.cloudflareAccountId), zone: "boathou.se",
    ///            zoneId: s.read(Settings.cloudflareZoneId), apiToken: Settings.cloudflareApiToken) { tunnel }
    /// ```
    public init(
        account: SettingRead<String>, zone: String, zoneId: SettingRead<String>, apiToken: SecretSetting,
        file: String = #filePath, line: Int = #line, @ListBuilder<CloudflareItem> _ items: () -> [CloudflareItem]
    ) {
        self.accountId = account
        self.zone = zone
        self.zoneId = zoneId
        self.apiTokenKey = apiToken.key
        self.tunnels = []
        self.accessPolicies = []
        self.serviceTokens = []
        self.records = []
        for item in items() {
            switch item {
            case .tunnel(let t):
                tunnels.append(t)
                accessPolicies += t.ingress.compactMap(\.access)
            case .access(let a): accessPolicies.append(a)
            case .serviceToken(let t): serviceTokens.append(t)
            case .record(let r): records.append(r)
            case .privateRoute(let r): privateRoutes.append(r)
            }
        }
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A declaration inside `Cloudflare { ... }`.
public enum CloudflareItem: Hashable, Sendable {
    case tunnel(Tunnel)
    case access(AccessPolicy)
    case serviceToken(AccessServiceToken)
    case record(DNSRecordDeclaration)
    case privateRoute(PrivateNetworkRoute)
}

extension ListBuilder where Element == CloudflareItem {
    /// A tunnel in a `Cloudflare` body.
    public static func buildExpression(_ x: Tunnel) -> [CloudflareItem] { [.tunnel(x)] }
    /// An Access policy in a `Cloudflare` body.
    public static func buildExpression(_ x: AccessPolicy) -> [CloudflareItem] { [.access(x)] }
    /// A service token in a `Cloudflare` body.
    public static func buildExpression(_ x: AccessServiceToken) -> [CloudflareItem] { [.serviceToken(x)] }
    /// Several service tokens at once.
    public static func buildExpression(_ x: [AccessServiceToken]) -> [CloudflareItem] {
        x.map(CloudflareItem.serviceToken)
    }
    /// A DNS record in a `Cloudflare` body.
    public static func buildExpression(_ x: DNSRecordDeclaration) -> [CloudflareItem] { [.record(x)] }
    /// A private network route in a `Cloudflare` body.
    public static func buildExpression(_ x: PrivateNetworkRoute) -> [CloudflareItem] { [.privateRoute(x)] }
}

/// A private network that WARP clients of the account reach through a tunnel (a Zero Trust
/// tunnel route, `POST /accounts/{account_id}/teamnet/routes` with `network` and `tunnel_id`).
/// Since cloudflared 2023.9 a tunnel's own `warp-routing` setting is ignored: the routes are
/// what send private traffic to its connectors
/// (https://developers.cloudflare.com/cloudflare-one/connections/connect-networks/private-net/).
///
/// ```swift
/// PrivateNetworkRoute(K3s.podCIDR, via: "node-tunnels", comment: "K3s pods")
/// ```
public struct PrivateNetworkRoute: Hashable, Sendable {
    /// The network in CIDR notation (`10.42.0.0/16`); each network is routed once.
    public var network: String
    /// The declared tunnel whose connectors serve it, by name.
    public var tunnel: String
    /// What the network is, for people (kept in the plan, not sent).
    public var comment: String
    /// Where it was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// Routes `network` through the tunnel named `tunnel`. Prefer `init(_:via:comment:)` with the
    /// `Tunnel` value; the name form stays for fleets written before it, and the compiler still
    /// reports a name no tunnel of the zone has.
    ///
    /// ```swift
    /// PrivateNetworkRoute("10.43.0.0/16", via: "node-tunnels", comment: "K3s services")
    /// ```
    public init(_ network: String, via tunnel: String, comment: String, file: String = #filePath, line: Int = #line) {
        self.network = network
        self.tunnel = tunnel
        self.comment = comment
        self.location = SourceLocation(file: file, line: line)
    }

    /// Routes `network` through a declared tunnel, by its value: the tunnel cannot be misspelled.
    ///
    /// ```swift
    /// let nodeTunnels = Tunnel.remote("node-tunnels", id: id, cluster: tethys) { ... }
    /// PrivateNetworkRoute(K3s.podCIDR, via: nodeTunnels, comment: "K3s pods")
    /// ```
    public init(_ network: String, via tunnel: Tunnel, comment: String, file: String = #filePath, line: Int = #line) {
        self.init(network, via: tunnel.name, comment: comment, file: file, line: line)
    }
}

/// A Cloudflare Tunnel and the hostnames it serves, in cloudflared's ingress order.
///
/// A *remote* tunnel runs in a cluster by token; its ingress rules are configured in
/// Cloudflare (the applier PUTs them whole). A *local* tunnel runs on a host by systemd from
/// `/etc/cloudflared/config.yaml` with a credentials file that never enters git.
///
/// ```swift
/// Tunnel.local("calypso", id: s.read(Settings.cloudflareNodeTunnelId), on: Nodes.calypso, metricsPort: 2201) {
///     TunnelIngressRule("gpu.boathou.se", to: .host(triton, port: "http"))
///     TunnelIngressRule.catchAll(.httpStatus(404))
/// }
/// ```
public struct Tunnel: Hashable, Sendable {
    /// Where the connector runs and where its ingress rules live.
    public enum Management: Hashable, Sendable {
        /// cloudflared in this cluster, configured remotely (`config_src: cloudflare`).
        case remote(cluster: String)
        /// cloudflared on this node as `cloudflared-<tunnel>.service`, configured by its file.
        case local(node: String, metricsPort: Int)
    }
    /// A name for the tunnel in the fleet (a DNS-1123 label): names the unit and the state.
    public var name: String
    /// The tunnel's UUID, from a setting.
    public var id: SettingRead<String>
    /// Where cloudflared runs and where its ingress lives: remote tunnels' rules go to the
    /// Cloudflare API (`cloud/desired-state.json`), local ones' to the host's `config.yaml`.
    public var management: Management
    /// cloudflared's ingress rules, first match wins; the last must be the catch-all.
    public var ingress: [TunnelIngressRule]
    /// The CNAME target of its hostnames when not `<id>.cfargotunnel.com`; from a setting,
    /// empty meaning the default.
    public var dnsTarget: SettingRead<String>?
    /// Where the tunnel was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// The ESC key of the connector token (`cloudflared tunnel run --token`, `TUNNEL_TOKEN`),
    /// when connectors run with one: every workload that reads it runs a connector of this
    /// tunnel, and Cloudflare spreads the tunnel's requests over all of them.
    public var tokenKey: String?

    /// A remotely managed tunnel whose connector runs in `cluster`, by its value: the tunnel
    /// records the cluster's name, so it cannot name a cluster that was never declared. The
    /// compiler still reports (`unknown-route-target`) a Service route of a tunnel whose cluster
    /// the fleet does not list.
    ///
    /// ```swift
    /// let cluster = tethys(values)
    /// Tunnel.remote("tethys", id: s.read(Settings.cloudflareTunnelId), cluster: cluster) {
    ///     TunnelIngressRule("label.boathou.se", to: .service(LabelStudioChart.app, port: LabelStudioChart.http))
    ///     TunnelIngressRule.catchAll(.httpStatus(404))
    /// }
    /// ```
    public static func remote(
        _ name: String, id: SettingRead<String>, cluster: Cluster, dnsTarget: SettingRead<String>? = nil,
        token: SecretSetting? = nil, file: String = #filePath, line: Int = #line,
        @ListBuilder<TunnelIngressRule> ingress: () -> [TunnelIngressRule]
    ) -> Tunnel {
        Tunnel(
            name: name, id: id, management: .remote(cluster: cluster.name), ingress: ingress(), dnsTarget: dnsTarget,
            location: SourceLocation(file: file, line: line), tokenKey: token?.key)
    }

    /// A locally managed tunnel run by systemd on `node`; cloudflared serves its metrics on
    /// `127.0.0.1:<metricsPort>`.
    ///
    /// ```swift
    /// Tunnel.local("calypso", id: s.read(Settings.cloudflareNodeTunnelId), on: Nodes.calypso, metricsPort: 2201) { ... }
    /// ```
    public static func local(
        _ name: String, id: SettingRead<String>, on node: Node, metricsPort: Int,
        dnsTarget: SettingRead<String>? = nil, token: SecretSetting? = nil, file: String = #filePath,
        line: Int = #line, @ListBuilder<TunnelIngressRule> ingress: () -> [TunnelIngressRule]
    ) -> Tunnel {
        Tunnel(
            name: name, id: id, management: .local(node: node.name, metricsPort: metricsPort), ingress: ingress(),
            dnsTarget: dnsTarget, location: SourceLocation(file: file, line: line), tokenKey: token?.key)
    }
}

/// One cloudflared ingress rule (`ingress[]` of the config, the same in the remote
/// configuration): requests for `hostname` (and `path`, an RE2 regular expression) go to
/// `service`. A rule without hostname and path is the catch-all.
///
/// cloudflared's rules (ingress/ingress.go): a hostname may hold one `*`, only as a leading
/// `*.`, and no port; the last rule must match everything and no earlier one may.
///
/// ```swift
/// TunnelIngressRule("tethys.boathou.se", to: .url("https://10.0.0.10:6443"), originRequest: OriginRequest(noTLSVerify: true))
/// TunnelIngressRule.catchAll(.httpStatus(404))
/// ```
public struct TunnelIngressRule: Hashable, Sendable {
    /// The hostname the rule matches (cloudflared `hostname`): a name inside the zone, at most one
    /// leading `*.`, no port. Nil, empty or `*` matches every hostname.
    public var hostname: String?
    /// cloudflared `path`: an RE2 regular expression matched against the request path (`^/api/`);
    /// nil matches every path.
    public var path: String?
    /// Where matching requests go; cloudflared's `service` once resolved to a URL.
    public var service: IngressService
    /// cloudflared `originRequest` for this rule; an empty one writes no key.
    public var originRequest: OriginRequest
    /// Served without Cloudflare Access on purpose, and why (an app with its own login).
    public var publicReason: String?
    /// The Access application in front of this rule's hostname, from `.protected(by:emails:)`; the
    /// `Cloudflare` body lists it with its policies.
    public var access: AccessPolicy?
    /// Where the rule was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// A rule for `hostname` (and `path`).
    ///
    /// ```swift
    /// TunnelIngressRule("gpu.boathou.se", to: .host(triton, port: "http"))
    /// ```
    public init(
        _ hostname: String, path: String? = nil, to service: IngressService,
        originRequest: OriginRequest = OriginRequest(),
        file: String = #filePath, line: Int = #line
    ) {
        self.init(
            hostname: hostname, path: path, service: service, originRequest: originRequest, file: file, line: line)
    }

    /// Any rule, including one without hostname (cloudflared's own shape).
    ///
    /// ```swift
    /// TunnelIngressRule(hostname: nil, path: "^/api/", service: .httpStatus(404))
    /// ```
    public init(
        hostname: String?, path: String? = nil, service: IngressService, originRequest: OriginRequest = OriginRequest(),
        file: String = #filePath, line: Int = #line
    ) {
        self.hostname = hostname
        self.path = path
        self.service = service
        self.originRequest = originRequest
        self.location = SourceLocation(file: file, line: line)
    }

    /// The last rule: everything no earlier rule matched (`http_status:404` by convention).
    ///
    /// ```swift
    /// TunnelIngressRule.catchAll(.httpStatus(404))
    /// ```
    public static func catchAll(_ service: IngressService, file: String = #filePath, line: Int = #line)
        -> TunnelIngressRule
    {
        TunnelIngressRule(hostname: nil, service: service, file: file, line: line)
    }

    /// Marks the hostname as served without an Access policy on purpose; the reason is kept
    /// in the desired state for reviewers.
    ///
    /// ```swift
    /// TunnelIngressRule("label.boathou.se", to: .service(...)).publicOnPurpose("Label Studio has its own login")
    /// ```
    public func publicOnPurpose(_ reason: String) -> TunnelIngressRule {
        var copy = self
        copy.publicReason = reason
        return copy
    }

    /// Puts the rule's hostname behind Cloudflare Access: an Access application (`self_hosted`) on
    /// exactly the hostname this rule routes, admitting these service tokens and operator e-mail
    /// addresses (at least one of either). The hostname is not written a second time, so it cannot
    /// drift from the route; diagnostics about the policy point at this call.
    ///
    /// ```swift
    /// TunnelIngressRule("gpu.boathou.se", to: .host(triton, port: "http"))
    ///     .protected(by: [training, adapter], emails: ["ops@boathou.se"])
    /// ```
    public func protected(
        by serviceTokens: [AccessServiceToken], emails: [String] = [], sessionSeconds: Int = 86_400,
        file: String = #filePath, line: Int = #line
    ) -> TunnelIngressRule {
        var copy = self
        copy.access = AccessPolicy(
            hostname ?? "", serviceTokens: serviceTokens, emails: emails, sessionSeconds: sessionSeconds, file: file,
            line: line)
        return copy
    }

    /// The hostname this rule publishes (which gets a DNS record and an Access policy): nil
    /// for the catch-all and for rules on every hostname (`*` or none, with a path).
    public var routedHostname: String? {
        guard let hostname, !hostname.isEmpty, hostname != "*" else { return nil }
        return hostname
    }

    /// True for a rule that matches every request (no hostname or `*`, no path).
    public var isCatchAll: Bool { (hostname == nil || hostname == "" || hostname == "*") && (path ?? "").isEmpty }
}

/// Where an ingress rule sends requests.
public enum IngressService: Hashable, Sendable {
    /// A Service of the tunnel's cluster, by name and port (name or number):
    /// `http://<name>.<namespace>.svc.cluster.local:<port>`. A nil namespace is the one namespace of
    /// the tunnel's cluster that declares a Service of that name (or a HelmRelease providing it),
    /// found by the compiler; none or several is the error `unknown-route-target` at the rule.
    case service(String, namespace: String?, port: PortRef, scheme: String = "http")
    /// A port of a host service on the tunnel's node: `http://localhost:<port>`.
    case host(HostService, port: String, scheme: String = "http")
    /// A URL as cloudflared takes it (`https://10.0.0.10:6443`, `tcp://...`, `unix:/path`).
    case url(String)
    /// A fixed HTTP status (`http_status:404`).
    case httpStatus(Int)
}

extension IngressService {
    /// A Service declared in the fleet, by its value: the name and the port come from the
    /// declaration and the namespace from where it is declared (the `Namespace { }` of the
    /// tunnel's cluster that holds it), so none of them can be misspelled. When two namespaces
    /// declare a Service of that name, the route is reported and names them; say which with
    /// the name form `.service("web", namespace: "apps", port: "http")`.
    ///
    /// ```swift
    /// TunnelIngressRule("api.boathou.se", to: .service(api, port: api.ports[0]))
    /// ```
    public static func service(_ service: Service, port: ServicePort, scheme: String = "http") -> IngressService {
        .service(service.name, namespace: nil, port: .name(port.name), scheme: scheme)
    }

    /// A Service a Helm chart creates (`HelmRelease.provides(_:)`), by its value; the namespace is
    /// the release's, found as for a declared Service.
    ///
    /// ```swift
    /// TunnelIngressRule("label.boathou.se", to: .service(LabelStudioChart.app, port: LabelStudioChart.http))
    /// ```
    public static func service(_ service: ChartService, port: ServicePort, scheme: String = "http")
        -> IngressService
    {
        .service(service.name, namespace: nil, port: .name(port.name), scheme: scheme)
    }
}

/// cloudflared's `originRequest` settings of a rule (docs: Tunnel → Configuration → Origin
/// parameters). Timeouts are whole seconds: the remote configuration takes integers, the
/// config file Go durations (`30s`).
public struct OriginRequest: Hashable, Sendable {
    /// `connectTimeout`: seconds to wait for a connection to the origin (cloudflared: 30).
    public var connectTimeoutSeconds: Int?
    /// `tlsTimeout`: seconds to wait for the TLS handshake (cloudflared: 10).
    public var tlsTimeoutSeconds: Int?
    /// `keepAliveTimeout`: seconds an idle origin connection is kept (cloudflared: 90).
    public var keepAliveTimeoutSeconds: Int?
    /// `noTLSVerify`: accept the origin's certificate without verification (the K3s API's self-signed one).
    public var noTLSVerify: Bool?
    /// `originServerName`: the hostname expected on the origin's certificate.
    public var originServerName: String?
    /// `httpHostHeader`: the `Host` header sent to the origin.
    public var httpHostHeader: String?
    /// `caPool`: an absolute path to CA certificates trusted for the origin.
    public var caPool: String?
    /// `http2Origin`: speak HTTP/2 to the origin.
    public var http2Origin: Bool?

    /// Origin settings; every one left nil keeps cloudflared's default and is not written.
    ///
    /// ```swift
    /// OriginRequest(connectTimeoutSeconds: 10, noTLSVerify: true)
    /// ```
    public init(
        connectTimeoutSeconds: Int? = nil, tlsTimeoutSeconds: Int? = nil, keepAliveTimeoutSeconds: Int? = nil,
        noTLSVerify: Bool? = nil, originServerName: String? = nil, httpHostHeader: String? = nil,
        caPool: String? = nil, http2Origin: Bool? = nil
    ) {
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.tlsTimeoutSeconds = tlsTimeoutSeconds
        self.keepAliveTimeoutSeconds = keepAliveTimeoutSeconds
        self.noTLSVerify = noTLSVerify
        self.originServerName = originServerName
        self.httpHostHeader = httpHostHeader
        self.caPool = caPool
        self.http2Origin = http2Origin
    }

    /// True when nothing is set (no `originRequest` key is written).
    public var isEmpty: Bool { self == OriginRequest() }
}

/// A Cloudflare Access service token (a client ID and secret a program sends as
/// `CF-Access-Client-Id` / `CF-Access-Client-Secret`), by its name in the account.
///
/// With its credentials' ESC keys, a workload carries it by a typed reference: the token's
/// `secret()` is declared once (an ExternalSecret filled from the two keys) and
/// `Env.accessToken(token)` hands the container both values. Cloudflare documents the two
/// request headers a service token is sent as
/// (https://developers.cloudflare.com/cloudflare-one/identity/service-tokens/#connect-your-service-to-access).
///
/// ```swift
/// let adapter = AccessServiceToken("ls-triton-adapter", clientId: Settings.accessTokenLsTritonAdapterClientId,
///                                  clientSecret: Settings.accessTokenLsTritonAdapterClientSecret)
/// ```
public struct AccessServiceToken: Hashable, Sendable {
    /// The token's name in the Cloudflare account (1 to 255 characters, no control characters), as
    /// Access policies and the applier refer to it. The applier looks the token up by this name and
    /// never reads its secret.
    public var name: String
    /// The ESC key of the token's client ID (`CF-Access-Client-Id`), when declared.
    public var clientIdKey: String?
    /// The ESC key of the token's client secret (`CF-Access-Client-Secret`), when declared.
    public var clientSecretKey: String?
    /// Where the token was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// The keys of the token's Secret: the client ID and the client secret.
    public static let secretKeys = (clientId: "clientId", clientSecret: "clientSecret")

    /// A service token whose client ID and secret live in Pulumi ESC under these keys, so a
    /// workload can carry it (`secret()`, `Env.accessToken(_:)`).
    ///
    /// ```swift
    /// AccessServiceToken("training-pipeline", clientId: Settings.accessTokenTrainingPipelineClientId,
    ///                    clientSecret: Settings.accessTokenTrainingPipelineClientSecret)
    /// ```
    public init(
        _ name: String, clientId: SecretSetting, clientSecret: SecretSetting, file: String = #filePath,
        line: Int = #line
    ) {
        self.init(name, file: file, line: line)
        self.clientIdKey = clientId.key
        self.clientSecretKey = clientSecret.key
    }

    /// The name of the Secret a cluster holds the token in: `access-token-<name>`, the name
    /// lower-cased with anything but letters and digits made `-`.
    public var secretName: String {
        let label = name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? String($0) : "-" }.joined()
        return "access-token-\(label)"
    }

    /// The token's Secret (an ExternalSecret): `clientId` and `clientSecret` from the token's
    /// ESC keys. Declare it in the namespace of every workload that carries the token.
    ///
    /// ```swift
    /// Component("app-secrets") { adapter.secret() }
    /// ```
    public func secret(file: String = #filePath, line: Int = #line) -> SecretDeclaration {
        var keys: [String: String] = [:]
        if let clientIdKey { keys[Self.secretKeys.clientId] = clientIdKey }
        if let clientSecretKey { keys[Self.secretKeys.clientSecret] = clientSecretKey }
        return SecretDeclaration(secretName, keys: keys, file: file, line: line)
    }
    /// A service token, by name; declare it in the `Cloudflare` body and pass it to the policies
    /// that admit it.
    ///
    /// ```swift
    /// let training = AccessServiceToken("training-runner")
    /// ```
    public init(_ name: String, file: String = #filePath, line: Int = #line) {
        self.name = name
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A Cloudflare Access application (`self_hosted`) on a routed hostname and who may pass:
/// declared service tokens (the `non_identity` decision) and operator e-mail addresses.
///
/// Prefer `TunnelIngressRule.protected(by:emails:)`, which makes this policy from the route it
/// protects. This form, which repeats the hostname, stays for a policy declared apart from its
/// route (a route kept in another file, or fleets written before the route form); the
/// `access-without-route` check catches a hostname no rule routes.
///
/// ```swift
/// AccessPolicy("gpu.boathou.se", serviceTokens: [training, adapter])
/// ```
public struct AccessPolicy: Hashable, Sendable {
    /// The routed hostname the application protects (the Access application's `domain`); it must be
    /// a hostname some tunnel rule routes, and not one marked `publicOnPurpose`.
    public var hostname: String
    /// Service tokens admitted by the `non_identity` decision; each must be declared in the
    /// `Cloudflare` body.
    public var serviceTokens: [AccessServiceToken]
    /// Operator e-mail addresses admitted after Access login; each a valid address, none twice.
    public var emails: [String]
    /// `session_duration`, seconds.
    public var sessionSeconds: Int
    /// Where the policy was declared (`#filePath`, `#line`).
    public var location: SourceLocation

    /// An Access application on `hostname` admitting these tokens and addresses (at least one of
    /// either); sessions last `sessionSeconds`, 24 hours by default and at most one year.
    ///
    /// ```swift
    /// AccessPolicy("label.boathou.se", emails: ["ops@boathou.se"], sessionSeconds: 8 * 3600)
    /// ```
    public init(
        _ hostname: String, serviceTokens: [AccessServiceToken] = [], emails: [String] = [],
        sessionSeconds: Int = 86_400,
        file: String = #filePath, line: Int = #line
    ) {
        self.hostname = hostname
        self.serviceTokens = serviceTokens
        self.emails = emails
        self.sessionSeconds = sessionSeconds
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A DNS record of the zone beside the ones tunnels make for their hostnames (a TXT, an A).
///
/// ```swift
/// DNSRecordDeclaration(type: "TXT", name: "_verify.boathou.se", content: "token", proxied: false)
/// ```
public struct DNSRecordDeclaration: Hashable, Sendable {
    /// The record type, any case (`TXT`, `A`, `AAAA`, `CNAME`, `MX`, `CAA`, `NS`, `SRV`, `HTTPS`, `SVCB`,
    /// `PTR`); written upper case.
    public var type: String
    /// The record's full name inside the zone (`_verify.boathou.se`); it may not take a routed
    /// hostname (a tunnel's CNAME is made for it), and a CNAME must stand alone at its name.
    public var name: String
    /// The record's content as Cloudflare takes it: an IPv4 address for `A`, IPv6 for `AAAA`, a
    /// hostname for `CNAME`/`NS`/`PTR`, text otherwise.
    public var content: String
    /// Whether Cloudflare proxies the traffic (orange cloud); only `A`, `AAAA` and `CNAME` can be.
    /// Default `false`: DNS only.
    public var proxied: Bool
    /// Where the record was declared (`#filePath`, `#line`).
    public var location: SourceLocation
    /// A record of the zone, DNS only unless `proxied`.
    ///
    /// ```swift
    /// DNSRecordDeclaration(type: "A", name: "calypso.boathou.se", content: "192.0.2.10")
    /// ```
    public init(
        type: String, name: String, content: String, proxied: Bool = false, file: String = #filePath, line: Int = #line
    ) {
        self.type = type
        self.name = name
        self.content = content
        self.proxied = proxied
        self.location = SourceLocation(file: file, line: line)
    }
}

/// A setting's value together with the setting it came from, for values whose absence must
/// be reported by the setting's name (`cloudflareTunnelId is empty`). Made by `s.read(_:)`.
///
/// ```swift
/// Tunnel.remote("tethys", id: s.read(Settings.cloudflareTunnelId), cluster: tethys) { ... }
/// ```
public struct SettingRead<Value: SettingValue>: Hashable, Sendable {
    /// The setting's key (`cloudflareTunnelId`).
    public var key: String
    /// The setting's value as the settings file holds it.
    public var value: Value
    /// Where the value was read in the definitions.
    public var location: SourceLocation

    /// A value not read from a setting (fixtures): `key` names what it is.
    ///
    /// ```swift
    /// SettingRead(key: "tunnel id", value: "6ff42ae2-765d-4adf-8112-31c55c1551ef")
    /// ```
    public init(key: String, value: Value, file: String = #filePath, line: Int = #line) {
        self.key = key
        self.value = value
        self.location = SourceLocation(file: file, line: line)
    }
}

extension SettingValues {
    /// The setting's value with its key, for values reported by the setting's name.
    ///
    /// ```swift
    /// s.read(Settings.cloudflareZoneId).value
    /// ```
    public func read<V>(_ setting: Setting<V>, file: String = #filePath, line: Int = #line) -> SettingRead<V> {
        SettingRead(key: setting.key, value: self[setting, file, line], file: file, line: line)
    }
}

/// A cloudflared configuration file (`config.yaml`), with the keys cloudflared reads
/// (cmd/cloudflared config/configuration.go: `tunnel`, `credentials-file`, `metrics`,
/// `no-autoupdate`, `warp-routing`, `ingress`). The node tunnel's ConfigMap and a local
/// tunnel's host file are both made from it.
///
/// ```swift
/// ConfigMap("cloudflared-node-config", files: ["config.yaml": .yaml(CloudflaredConfig(metrics: "0.0.0.0:2200", warpRouting: true).tree)])
/// ```
public struct CloudflaredConfig: Hashable, Sendable {
    /// One resolved ingress rule: `service` as cloudflared takes it.
    public struct Rule: Hashable, Sendable {
        /// `hostname`; nil for the catch-all.
        public var hostname: String?
        /// `path`, an RE2 regular expression; nil for every path.
        public var path: String?
        /// `service`: a URL (`http://localhost:8000`), or `http_status:<code>`.
        public var service: String
        /// `originRequest`, already in the file's shape (durations as `30s`).
        public var originRequest: Tree?
        /// A rule of the file as cloudflared reads it.
        ///
        /// ```swift
        /// CloudflaredConfig.Rule(hostname: "gpu.boathou.se", service: "http://localhost:8000")
        /// ```
        public init(hostname: String?, path: String? = nil, service: String, originRequest: Tree? = nil) {
            self.hostname = hostname
            self.path = path
            self.service = service
            self.originRequest = originRequest
        }
    }
    /// The tunnel's UUID (a locally managed tunnel).
    public var tunnel: String?
    /// An absolute path to the tunnel's credentials JSON (never in git).
    public var credentialsFile: String?
    /// `host:port` of the metrics and readiness server.
    public var metrics: String?
    /// `no-autoupdate`: when true cloudflared does not update itself (the image or package pins
    /// the version).
    public var noAutoupdate: Bool?
    /// `warp-routing.enabled` (cloudflared 2023.9+ ignores it: WARP routing is configured in Zero Trust).
    public var warpRouting: Bool?
    /// `ingress`, in order; first match wins, so the last must be the catch-all.
    public var ingress: [Rule]

    /// A configuration file; keys left nil are not written.
    ///
    /// ```swift
    /// CloudflaredConfig(metrics: "0.0.0.0:2200", noAutoupdate: true, warpRouting: true)
    /// ```
    public init(
        tunnel: String? = nil, credentialsFile: String? = nil, metrics: String? = nil, noAutoupdate: Bool? = nil,
        warpRouting: Bool? = nil, ingress: [Rule] = []
    ) {
        self.tunnel = tunnel
        self.credentialsFile = credentialsFile
        self.metrics = metrics
        self.noAutoupdate = noAutoupdate
        self.warpRouting = warpRouting
        self.ingress = ingress
    }

    /// The file's tree, keys in the order above, unset ones left out.
    public var tree: Tree {
        var m = MapBuilder()
        m.set("tunnel", tunnel)
        m.set("credentials-file", credentialsFile)
        m.set("metrics", metrics)
        m.set("no-autoupdate", noAutoupdate)
        m.set("warp-routing", warpRouting.map { Tree.map([Tree.Entry("enabled", .bool($0))]) })
        if !ingress.isEmpty {
            m.set(
                "ingress",
                .list(
                    ingress.map { rule in
                        var r = MapBuilder()
                        r.set("hostname", rule.hostname)
                        r.set("path", rule.path)
                        r.set("service", rule.service)
                        r.set("originRequest", rule.originRequest)
                        return r.tree
                    }))
        }
        return m.tree
    }
}
