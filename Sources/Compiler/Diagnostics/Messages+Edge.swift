import DSL

/// The edge: the Cloudflare zone, its tunnels and ingress rules, DNS records and Access
/// policies (`EdgeChecks`, `IngressRules`).
extension Diagnostic {
    // MARK: Tunnel connectors

    /// A cluster workload runs a connector of a locally managed tunnel (it reads its token).
    static func sharedLocalTunnel(
        _ tunnel: String, node: String, workload: String, at loc: SourceLocation, tunnelAt: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .sharedLocalTunnel,
            "\(workload) runs a connector of tunnel '\(tunnel)' (it reads the tunnel's token), whose routes live in "
                + "\(node)'s config.yaml: Cloudflare spreads the tunnel's requests over every connector, so this one "
                + "answers the tunnel's hostnames without their routes; give it a tunnel (and token) of its own",
            at: loc, notes: [.init("the tunnel is declared here", at: tunnelAt)])
    }

    /// A host-network workload listens on every address of the node, its public one included.
    static func hostNetworkListensOnAllAddresses(_ workload: String, address: String, at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .hostNetworkListensOnAllAddresses,
            "\(workload) uses the host network and listens on \(address), every address of the node, its public one "
                + "included; listen on 127.0.0.1 (and probe with host: 127.0.0.1) or on the node's private address",
            at: loc, subject: address)
    }

    // MARK: Zone and identifiers

    static func invalidZone(_ zone: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidHostname, "zone '\(zone)' \(problem)", at: loc, subject: zone)
    }

    /// An ID read from setting `key` that has the wrong shape (`shape`: "32 lower-case
    /// hexadecimal digits"); `notes`: where the setting was read, when elsewhere.
    static func malformedCloudflareID(
        _ value: String, setting key: String, what: String, shape: String,
        at loc: SourceLocation, notes: [Note]
    ) -> Diagnostic {
        Diagnostic(
            .invalidCloudflareID, "setting '\(key)' is '\(value)', but the \(what) is \(shape)", at: loc,
            notes: notes, subject: value)
    }

    // MARK: Tunnels

    static func unknownTunnelCluster(_ cluster: String, tunnel: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unknownCluster, "tunnel '\(tunnel)' runs in cluster '\(cluster)', which the fleet does not declare",
            at: loc, subject: cluster)
    }

    static func unknownTunnelNode(_ node: String, tunnel: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unknownNode, "tunnel '\(tunnel)' runs on node '\(node)', which no cluster declares", at: loc, subject: node
        )
    }

    /// Setting `key` (read at `readAt`) sends the tunnel's records to `value` instead of `expected`.
    static func wrongDNSTarget(
        _ value: String, setting key: String, tunnel: String, expected: String,
        at loc: SourceLocation, readAt: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .wrongTunnelTarget,
            "setting '\(key)' points the records of tunnel '\(tunnel)' at '\(value)', not at the tunnel "
                + "('\(expected)')",
            at: loc, notes: [.init("read here", at: readAt)], subject: value)
    }

    /// `route`: the rule's hostname, or "the catch-all"; `why` says what the target misses.
    static func unknownRouteTarget(
        _ route: String, tunnel: String, why: String, at loc: SourceLocation,
        subject: String? = nil
    ) -> Diagnostic {
        Diagnostic(.unknownRouteTarget, "\(route) of tunnel '\(tunnel)': \(why)", at: loc, subject: subject)
    }

    /// A URL in a cluster object naming a host of a declared zone that nothing serves.
    static func unroutedHostname(_ host: String, in object: ObjectID, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unroutedHostname,
            "\(object.kind) '\(object.name)' uses '\(host)', which no tunnel routes and no DNS record declares",
            at: loc, subject: host)
    }

    // MARK: Ingress rules

    static func noIngressRules(tunnel: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .misplacedCatchAll,
            "tunnel '\(tunnel)' has no ingress rules; it needs at least the catch-all "
                + "(TunnelIngressRule.catchAll(.httpStatus(404)))",
            at: loc)
    }

    static func lastRuleNotCatchAll(tunnel: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .misplacedCatchAll,
            "the last ingress rule of tunnel '\(tunnel)' must match every request (no hostname, no path): "
                + "cloudflared refuses the configuration otherwise",
            at: loc)
    }

    /// Rule `number` (1-based) matches everything; `next` is the first rule it hides.
    static func earlyCatchAll(
        rule number: Int, tunnel: String, at loc: SourceLocation, next: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .misplacedCatchAll,
            "ingress rule \(number) of tunnel '\(tunnel)' matches every request, so the rules after it are never used",
            at: loc, notes: [.init("never reached", at: next)])
    }

    static func ruleWithoutHostname(
        rule number: Int, tunnel: String, at loc: SourceLocation,
        subject: String?
    ) -> Diagnostic {
        Diagnostic(
            .invalidHostname,
            "ingress rule \(number) of tunnel '\(tunnel)' matches every hostname on a path; "
                + "name the hostname, so it gets its DNS record and Access policy",
            at: loc, subject: subject)
    }

    static func invalidIngressHostname(_ host: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidHostname, "ingress hostname '\(host)' \(problem)", at: loc, subject: host)
    }

    static func ingressOutsideZone(_ host: String, tunnel: String, zone: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .hostnameOutsideZone, "ingress hostname '\(host)' of tunnel '\(tunnel)' is outside the zone '\(zone)'",
            at: loc, subject: host)
    }

    /// `route`: the rule's hostname, or "the catch-all".
    static func invalidPathRegex(_ path: String, route: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidPathRegex, "path '\(path)' of \(route) is not an RE2 regular expression: \(problem)",
            at: loc, subject: path)
    }

    static func invalidIngressService(
        route: String, tunnel: String, problem: String, at loc: SourceLocation,
        subject: String?
    ) -> Diagnostic {
        Diagnostic(
            .invalidIngressService, "service of \(route) in tunnel '\(tunnel)' \(problem)", at: loc, subject: subject)
    }

    /// `earlier`: the rule that matches every request this one would.
    static func shadowedIngressRule(
        route: String, path: String?, tunnel: String, at loc: SourceLocation,
        earlier: SourceLocation, subject: String?
    ) -> Diagnostic {
        Diagnostic(
            .shadowedIngressRule,
            "\(route)\(path.map { " (path \($0))" } ?? "") of tunnel '\(tunnel)' is never used: "
                + "an earlier rule matches every request it would",
            at: loc, notes: [.init("matched first here", at: earlier)], subject: subject)
    }

    /// `route`: the rule's hostname, or "the catch-all".
    static func nonPositiveOriginTimeout(
        _ field: String, route: String, value: Int, at loc: SourceLocation
    ) -> Diagnostic {
        outOfRange(
            .invalidOriginRequest, "originRequest.\(field)", of: route, value: value,
            rule: "a positive number of seconds", at: loc)
    }

    static func relativeCAPool(_ pool: String, route: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidOriginRequest, "\(route) originRequest.caPool '\(pool)' must be an absolute path", at: loc,
            subject: pool)
    }

    /// `field`: originServerName or httpHostHeader.
    static func invalidOriginHostname(
        _ value: String, field: String, route: String, problem: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidOriginRequest, "\(route) originRequest.\(field) '\(value)' \(problem)", at: loc, subject: value)
    }

    // MARK: DNS records

    /// `problem`: what Cloudflare refuses in its type or content.
    static func invalidDNSRecord(_ name: String, problem: String, content: String, at loc: SourceLocation) -> Diagnostic
    {
        Diagnostic(.invalidDNSRecord, "DNS record '\(name)' \(problem)", at: loc, subject: content)
    }

    /// `type`: upper-cased; `declaredType`: as written.
    static func proxiedRecordType(
        _ name: String, type: String, declaredType: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .invalidDNSRecord,
            "DNS record '\(name)' is a proxied \(type); only A, AAAA and CNAME records can be proxied",
            at: loc, subject: declaredType)
    }

    static func invalidRecordName(_ name: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidHostname, "DNS record name '\(name)' \(problem)", at: loc, subject: name)
    }

    static func recordOutsideZone(_ name: String, zone: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.hostnameOutsideZone, "DNS record '\(name)' is outside the zone '\(zone)'", at: loc, subject: name)
    }

    static func hostnameRoutedTwice(
        _ host: String, tunnel: String, firstTunnel: String, at loc: SourceLocation,
        first: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .duplicateDNSRecord,
            "'\(host)' is routed by tunnel '\(tunnel)' and by tunnel '\(firstTunnel)'; "
                + "one name has one CNAME, so one of them would never receive its requests",
            at: loc, notes: [.init("first routed here", at: first)], subject: host)
    }

    /// `name`: normalized; `declaredName`: as written.
    static func cnameNotAlone(
        _ name: String, otherType: String, declaredName: String, at loc: SourceLocation,
        other: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .duplicateDNSRecord,
            "the CNAME record '\(name)' shares its name with a \(otherType) record; a CNAME stands alone",
            at: loc, notes: [.init("the other record", at: other)], subject: declaredName)
    }

    /// `name`: normalized; `declaredName`: as written.
    static func recordTakesRoutedName(
        _ name: String, type: String, tunnel: String, declaredName: String,
        at loc: SourceLocation, routed: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .duplicateDNSRecord,
            "a \(type) record for '\(name)' conflicts with the CNAME that tunnel '\(tunnel)' needs for it",
            at: loc, notes: [.init("routed here", at: routed)], subject: declaredName)
    }

    static func recordIntoWrongTunnel(
        _ name: String, tunnel: String, content: String, at loc: SourceLocation,
        tunnelDeclared: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .wrongTunnelTarget, "DNS record '\(name)' points at tunnel '\(tunnel)', which does not route '\(name)'",
            at: loc, notes: [.init("tunnel declared here", at: tunnelDeclared)], subject: content)
    }

    static func recordIntoUnknownTunnel(
        _ name: String, id: String, content: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .wrongTunnelTarget, "DNS record '\(name)' points at tunnel \(id), which the fleet does not declare",
            at: loc, subject: content)
    }

    // MARK: Access

    static func invalidServiceTokenName(_ name: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidName,
            "Access service token name '\(name.debugDescription.dropFirst().dropLast())' "
                + "must be 1-255 characters without control characters",
            at: loc, subject: name)
    }

    static func accessPolicyOnPublicRoute(
        _ host: String, at loc: SourceLocation, markedPublic: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .accessPolicyOnPublicRoute,
            "'\(host)' is routed as public on purpose but has an Access policy; keep one of the two",
            at: loc, notes: [.init("marked public here", at: markedPublic)], subject: host)
    }

    static func accessWithoutRoute(_ host: String, routed: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .accessWithoutRoute, "Access policy for '\(host)', which no tunnel routes", at: loc,
            notes: Suggestions.note(for: host, among: routed, kind: "hostname").map { [$0] } ?? [], subject: host)
    }

    static func accessPolicyAdmitsNobody(_ host: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidAccessPolicy, "Access policy for '\(host)' admits nobody (no service tokens, no e-mail addresses)",
            at: loc)
    }

    static func invalidAccessEmail(_ email: String, host: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidAccessPolicy, "Access policy for '\(host)' admits '\(email)', which is not an e-mail address",
            at: loc, subject: email)
    }

    /// `rule`: the bound it breaks ("a positive number of seconds").
    static func invalidSessionDuration(_ seconds: Int, host: String, rule: String, at loc: SourceLocation) -> Diagnostic
    {
        outOfRange(
            .invalidAccessPolicy, "session duration", of: "Access policy for '\(host)'", value: seconds, rule: rule,
            at: loc)
    }

    /// `created`: where the token's value is created (the zone's declaration of it).
    static func undeclaredServiceToken(
        _ token: String, host: String, at loc: SourceLocation,
        created: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .undeclaredServiceToken,
            "Access policy for '\(host)' admits service token '\(token)', which the zone does not declare",
            at: loc, notes: [.init("token value created here", at: created)], subject: token)
    }

    /// A caller (`container 'c' of Deployment ns/name`, `host service 's' on 'node'`) names a URL
    /// on a hostname behind `policy` without carrying a token it admits; `carried` are the
    /// tokens it does carry, `canCarry` false for a host service (no way to carry one).
    static func accessTokenMissing(
        caller: String, call: AccessTokenChecks.Call, policy: AccessPolicy, carried: [String], canCarry: Bool
    ) -> Diagnostic {
        let admitted = policy.serviceTokens.map(\.name)
        let quoted = admitted.map { "'\($0)'" }.joined(separator: ", ")
        var message = "\(caller) calls '\(call.url)' (\(call.what)), behind the Access policy for '\(call.host)'"
        if admitted.isEmpty {
            message +=
                ", which admits only e-mail logins that no program can pass: admit a service token in the policy "
                + "(AccessPolicy(\"\(call.host)\", serviceTokens: [token], ...))"
            message +=
                canCarry ? " and carry it (Env.accessToken(token))" : " and call it from a caller that carries it"
        } else if canCarry {
            message += ", which admits service token\(admitted.count == 1 ? "" : "s") \(quoted); "
            message +=
                carried.isEmpty
                ? "it carries none"
                : "it carries only \(carried.map { "'\($0)'" }.joined(separator: ", "))"
            message +=
                ": add Env.accessToken(<\(admitted.count == 1 ? "that token" : "one of them")>) to the container "
                + "and declare the token's secret() in its namespace, or admit its token in the policy"
        } else {
            message +=
                ", which admits service token\(admitted.count == 1 ? "" : "s") \(quoted); a host service carries "
                + "no token: call the origin on the node, or call it from a container carrying an admitted token"
        }
        let note = "Access policy for '\(call.host)' declared here"
        return Diagnostic(
            .accessTokenMissing, message, at: call.location, notes: [.init(note, at: policy.location)],
            subject: call.host)
    }

    static func unprotectedHostname(_ hostname: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unprotectedHostname,
            "'\(hostname)' is routed without an Access policy; protect it with AccessPolicy(\"\(hostname)\", ...) "
                + "or mark the rule .publicOnPurpose(\"why\")",
            at: loc, subject: hostname)
    }
}

extension Diagnostic {
    /// A cloudflared config file that sets `warp-routing` (a warning: harmless, but it routes nothing).
    static func ignoredWarpRouting(file: String, configMap: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .ignoredWarpRouting,
            "ConfigMap '\(configMap)' file '\(file)' sets warp-routing, which cloudflared 2023.9 and later ignore "
                + "(WARP routing follows the account's tunnel routes); remove it and declare "
                + "PrivateNetworkRoute(_:via:comment:) for each private network",
            at: loc, subject: configMap)
    }

    /// A private network route that cannot become a tunnel route; `problem` completes "network '<x>' ...".
    static func invalidPrivateRoute(_ network: String, problem: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidPrivateRoute, "private route '\(network)' \(problem)", at: loc, subject: network)
    }
}

// MARK: - Documentation

extension DiagnosticDoc {
    static let edge: [DiagnosticDoc] = [
        .init(
            "A cloudflared configuration sets `warp-routing`, which cloudflared 2023.9 and later ignore: private "
                + "traffic reaches a tunnel through the account's tunnel routes.",
            fix: "Remove the setting; declare `PrivateNetworkRoute(_:via:comment:)` for each private network.",
            example: .ignoredWarpRouting(file: "config.yaml", configMap: "cloudflared-node-config", at: at)),
        .init(
            "A private network route Cloudflare would refuse or the fleet cannot resolve: a network that is not a "
                + "CIDR, a tunnel the fleet does not declare, a network routed twice.",
            fix: "Give a CIDR (`10.42.0.0/16`), name a declared tunnel, route each network once.",
            example: .invalidPrivateRoute("10.42.0.0", problem: "is not a CIDR (address/prefix)", at: at)),
        .init(
            "A cluster workload runs a connector of a locally managed tunnel, whose routes live on one host.",
            fix: "Give the workload a tunnel and token of its own; keep one kind of connector per tunnel.",
            example: .sharedLocalTunnel(
                "node", node: "gpu-1", workload: "DaemonSet cloudflared-node", at: at, tunnelAt: other)),
        .init(
            "A host-network workload listens on 0.0.0.0: every address of the node, its public one included.",
            fix: "Listen on 127.0.0.1 (probe with host: 127.0.0.1) or on the node's private address.",
            example: .hostNetworkListensOnAllAddresses(
                "DaemonSet cloudflared-node", address: "0.0.0.0:2200", at: at)),
        .init(
            "A workload or host service names a URL on a hostname behind Cloudflare Access without carrying a "
                + "service token the hostname's policy admits: Access refuses every request it sends.",
            fix: "Carry an admitted token (`Env.accessToken(token)` and the token's `secret()` in the namespace), "
                + "or admit the caller's token in the policy.",
            example: .accessTokenMissing(
                caller: "container 'c' of Deployment apps/client",
                call: .init(
                    host: "model.example.com", url: "https://model.example.com", what: "env MODEL_URL",
                    location: at),
                policy: AccessPolicy(
                    "model.example.com", serviceTokens: [AccessServiceToken("pipeline")], file: other.file,
                    line: other.line),
                carried: [], canCarry: true)),
        .init(
            "A hostname is routed as public on purpose and also has an Access policy: one of the two is a mistake.",
            fix: "Remove the policy, or remove `.publicOnPurpose(...)` from the ingress rule.",
            example: .accessPolicyOnPublicRoute("docs.example.com", at: at, markedPublic: other)),
        .init(
            "An Access policy protects a hostname that no tunnel routes.",
            fix: "Route the hostname from a tunnel, fix the policy's hostname, or remove the policy.",
            example: .accessWithoutRoute("modle.example.com", routed: ["model.example.com"], at: at)),
        .init(
            "Two things want the one DNS record a name can have: two tunnels, a CNAME beside another record, "
                + "or a declared record on a routed name.",
            fix: "Route each hostname from one tunnel and drop the declared record the tunnel already makes.",
            example: .hostnameRoutedTwice(
                "model.example.com", tunnel: "node", firstTunnel: "cluster", at: at, first: other)),
        .init(
            "A hostname (ingress rule or DNS record) lies outside the Cloudflare zone it is declared in.",
            fix: "Use a name inside the zone, or declare it in the zone it belongs to.",
            example: .recordOutsideZone("a.example.org", zone: "example.com", at: at)),
        .init(
            "An Access policy admits nobody, admits something that is not an e-mail address, "
                + "or has a session duration outside one second to one year.",
            fix: "Admit at least one service token or e-mail address and keep the session within bounds.",
            example: .accessPolicyAdmitsNobody("model.example.com", at: at)),
        .init(
            "A Cloudflare account, zone or tunnel ID read from a setting has the wrong shape.",
            fix: "Set the ID in settings.yaml as Cloudflare shows it (32 hex digits, or a UUID for a tunnel).",
            example: .malformedCloudflareID(
                "not-an-id", setting: "cloudflareAccountId", what: "Cloudflare account ID",
                shape: "32 lower-case hexadecimal digits", at: at, notes: [])),
        .init(
            "A declared DNS record Cloudflare would refuse: an unknown type, content that does not fit the type, "
                + "or a proxied record that cannot be proxied.",
            fix: "Give content of the record's type (an IPv4 address for A, a hostname for CNAME, ...).",
            example: .invalidDNSRecord(
                "x.example.com", problem: "is an A record, but 'not-an-ip' is not an IPv4 address",
                content: "not-an-ip", at: at)),
        .init(
            "A zone, ingress hostname or DNS record name is not a DNS name, or an ingress rule has a path but no "
                + "hostname.",
            fix: "Write a lower-case DNS name (letters, digits, '-' and '.'; a leading '*.' for a wildcard record).",
            example: .invalidIngressHostname(
                "a.*.example.com", problem: "may hold only letters, digits, '-' and '.'", at: at)),
        .init(
            "An ingress rule's service is not one cloudflared can reach (a scheme it does not speak, a malformed URL).",
            fix: "Route to an http(s), tcp, ssh or unix URL, a Service, or an HTTP status.",
            example: .invalidIngressService(
                route: "a.example.com", tunnel: "cluster",
                problem: "is 'unix:run/app.sock'; a unix socket needs an absolute path",
                at: at, subject: "unix:run/app.sock")),
        .init(
            "An ingress rule's originRequest has a timeout that is not positive, a relative caPool, "
                + "or a server name or Host header that is not a hostname.",
            fix: "Give positive timeouts, an absolute caPool path and hostnames.",
            example: .relativeCAPool("certs/ca.pem", route: "web.example.com", at: at)),
        .init(
            "An ingress rule's path is not an RE2 regular expression (cloudflared compiles it with Go's regexp).",
            fix: "Rewrite the path without the constructs RE2 lacks (look-arounds, back-references).",
            example: .invalidPathRegex(
                "(?=x)", route: "a.example.com", problem: "lookahead '(?=' is not supported", at: at)),
        .init(
            "A tunnel's catch-all rule is missing, not last, or hides the rules after it.",
            fix: "End every tunnel's ingress with exactly one `TunnelIngressRule.catchAll(...)`.",
            example: .lastRuleNotCatchAll(tunnel: "cluster", at: at)),
        .init(
            "An ingress rule is never used: an earlier rule matches every request it would.",
            fix: "Move the narrower rule first, or remove it.",
            example: .shadowedIngressRule(
                route: "a.example.com", path: nil, tunnel: "cluster", at: at, earlier: other,
                subject: "a.example.com")),
        .init(
            "An Access policy admits a service token the zone does not declare.",
            fix: "Declare the token in the zone (`AccessServiceToken`), or admit a declared one.",
            example: .undeclaredServiceToken("pipline", host: "model.example.com", at: at, created: other)),
        .init(
            "An ingress rule routes to something the fleet does not have: a Service or port not declared, "
                + "nothing listening on a host port.",
            fix: "Route to a declared Service port or host service, or declare what the rule needs.",
            example: .unknownRouteTarget(
                "model.example.com", tunnel: "cluster",
                why: "Service 'web/missing' is not declared in cluster 'tethys'", at: at)),
        .init(
            "A routed hostname has no Access policy, so anyone on the internet reaches it.",
            fix: "Protect it with `AccessPolicy(hostname, ...)`, or mark the rule `.publicOnPurpose(\"why\")`.",
            example: .unprotectedHostname("model.example.com", at: at)),
        .init(
            "A URL names a host inside a declared zone that no tunnel routes and no DNS record declares: "
                + "every request to it would fail at the edge.",
            fix: "Route the hostname from a tunnel, declare its record, or fix the URL.",
            example: .unroutedHostname(
                "nothing.example.com",
                in: ObjectID(apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", name: "client"),
                at: at)),
        .init(
            "A DNS record or a setting points a tunnel's records somewhere else than the tunnel that routes the name.",
            fix: "Point the record at the tunnel that routes the name: its ID followed by `.cfargotunnel.com`.",
            example: .recordIntoUnknownTunnel(
                "model.example.com", id: "0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11",
                content: "0c6e3a53-27a5-4c4f-9d8e-5b0a8f6a2e11.cfargotunnel.com", at: at)),
    ]
}
