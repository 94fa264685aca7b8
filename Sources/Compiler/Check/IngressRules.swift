import Foundation
import DSL

/// cloudflared's own rules for a tunnel's ingress list, checked before cloudflared (or the
/// Cloudflare API, for a remote configuration) would refuse it at run time. They follow
/// cloudflared's `ingress/ingress.go` (validate, validateHostname) and `ingress/rule.go`
/// (matchHost):
///
/// - a hostname has no port, and at most one `*`, only as a leading `*.`;
/// - the last rule matches everything (no hostname, or `*`, and no path), and no earlier one does;
/// - a rule whose hostname and path an earlier rule already matches is never used (shadowed);
/// - a path is an RE2 regular expression (Go's `regexp`);
/// - a service is `http_status:<code>`, `hello_world`, `bastion`, `unix:<path>`,
///   `unix+tls:<path>`, or a URL with a scheme cloudflared proxies (`http`, `https`, `tcp`,
///   `ssh`, `rdp`, `smb`, `ws`, `wss`) and a host, without a path;
/// - originRequest timeouts are positive, `caPool` an absolute path, names DNS names.
enum IngressRules {
    static let schemes: Set<String> = ["http", "https", "tcp", "ssh", "rdp", "smb", "ws", "wss"]

    static func problems(_ tunnel: Tunnel, zone: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let rules = tunnel.ingress
        guard let last = rules.last else {
            return [Diagnostic(.misplacedCatchAll, "tunnel '\(tunnel.name)' has no ingress rules; it needs at least the catch-all (TunnelIngressRule.catchAll(.httpStatus(404)))",
                               at: tunnel.location)]
        }
        if !last.isCatchAll {
            out.append(Diagnostic(.misplacedCatchAll,
                                  "the last ingress rule of tunnel '\(tunnel.name)' must match every request (no hostname, no path): cloudflared refuses the configuration otherwise",
                                  at: last.location))
        }
        for (i, rule) in rules.enumerated() {
            let name = rule.hostname ?? "the catch-all"
            if rule.isCatchAll && i < rules.count - 1 {
                out.append(Diagnostic(.misplacedCatchAll, "ingress rule \(i + 1) of tunnel '\(tunnel.name)' matches every request, so the rules after it are never used",
                                      at: rule.location, notes: [.init("never reached", at: rules[i + 1].location)]))
            }
            if let host = rule.hostname, !host.isEmpty, host != "*" {
                if let problem = hostnameProblem(host) {
                    out.append(Diagnostic(.invalidHostname, "ingress hostname '\(host)' \(problem)", at: rule.location, subject: host))
                } else if !Hostnames.inside(host.hasPrefix("*.") ? String(host.dropFirst(2)) : host, zone: zone) {
                    out.append(Diagnostic(.hostnameOutsideZone, "ingress hostname '\(host)' of tunnel '\(tunnel.name)' is outside the zone '\(zone)'",
                                          at: rule.location, subject: host))
                }
            }
            if let path = rule.path, !path.isEmpty, let problem = RE2.problem(path) {
                out.append(Diagnostic(.invalidPathRegex, "path '\(path)' of \(name) is not an RE2 regular expression: \(problem)",
                                      at: rule.location, subject: path))
            }
            if let problem = serviceProblem(rule.service) {
                out.append(Diagnostic(.invalidIngressService, "service of \(name) in tunnel '\(tunnel.name)' \(problem)", at: rule.location))
            }
            out += originRequestProblems(rule.originRequest, rule: name, at: rule.location)
            if !rule.isCatchAll, let earlier = rules[..<i].first(where: { !$0.isCatchAll && shadows($0, rule) }) {
                out.append(Diagnostic(.shadowedIngressRule,
                                      "\(name)\(rule.path.map { " (path \($0))" } ?? "") of tunnel '\(tunnel.name)' is never used: an earlier rule matches every request it would",
                                      at: rule.location, notes: [.init("matched first here", at: earlier.location)], subject: rule.hostname))
            }
        }
        return out
    }

    /// cloudflared's hostname rules (validateHostname), then DNS syntax.
    static func hostnameProblem(_ host: String) -> String? {
        if host.contains(":") { return "contains a port; cloudflared matches hostnames without ports" }
        if let star = host.lastIndex(of: "*"), star != host.startIndex { return "has a '*' that is not a leading '*.'" }
        if host.hasPrefix("*"), !host.hasPrefix("*.") { return "has a '*' that is not a leading '*.'" }
        if host != host.lowercased() { return "has upper-case letters; Cloudflare stores names in lower case" }
        if host.hasSuffix(".") { return "ends with '.'; write the name without the root dot" }
        return Hostnames.problem(host, wildcard: true)
    }

    /// Does `earlier` match every request `later` matches? Hostnames as cloudflared compares
    /// them (equal, or a `*.suffix` covering the name or a narrower wildcard); paths only when
    /// `earlier` has none or the same one (regex containment is not decided).
    static func shadows(_ earlier: TunnelIngressRule, _ later: TunnelIngressRule) -> Bool {
        guard let a = earlier.hostname?.lowercased(), let b = later.hostname?.lowercased() else { return false }
        let pathCovers = (earlier.path ?? "").isEmpty || earlier.path == later.path
        guard pathCovers else { return false }
        if a == b { return true }
        guard a.hasPrefix("*.") else { return false }
        let suffix = String(a.dropFirst(1))  // ".example.com"
        return b.hasSuffix(suffix) && b.count > suffix.count
    }

    static func serviceProblem(_ service: IngressService) -> String? {
        switch service {
        case .httpStatus(let code):
            return (100...599).contains(code) ? nil : "is http_status:\(code); an HTTP status is 100–599"
        case .service(_, _, _, let scheme), .host(_, _, let scheme):
            return ["http", "https", "tcp", "ws", "wss"].contains(scheme) ? nil : "uses scheme '\(scheme)'; a route to a port takes http, https, tcp, ws or wss"
        case .url(let url):
            if url.hasPrefix("http_status:") {
                return Int(url.dropFirst("http_status:".count)).map { (100...599).contains($0) } == true ? nil : "is '\(url)'; an HTTP status is 100–599"
            }
            if ["hello_world", "hello-world", "helloworld", "bastion"].contains(url) { return nil }
            if url.hasPrefix("unix:") || url.hasPrefix("unix+tls:") {
                let path = url.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
                return path.hasPrefix("/") ? nil : "is '\(url)'; a unix socket needs an absolute path"
            }
            guard let parts = URLComponents(string: url), let scheme = parts.scheme, let host = parts.host, !host.isEmpty else {
                return "is '\(url)', which has no scheme and host (cloudflared: 'please make sure it has a scheme and a hostname')"
            }
            guard schemes.contains(scheme.lowercased()) else {
                return "is '\(url)'; cloudflared proxies \(schemes.sorted().joined(separator: ", ")), http_status:<code>, unix: and hello_world"
            }
            guard parts.path.isEmpty else {
                return "is '\(url)', which has a path; cloudflared keeps the request's path and refuses one on the origin"
            }
            if let port = parts.port, !(1...65535).contains(port) { return "is '\(url)', whose port is outside 1...65535" }
            return nil
        }
    }

    static func originRequestProblems(_ o: OriginRequest, rule: String, at location: SourceLocation) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for (field, value) in [("connectTimeout", o.connectTimeoutSeconds), ("tlsTimeout", o.tlsTimeoutSeconds),
                               ("keepAliveTimeout", o.keepAliveTimeoutSeconds)] {
            if let value, value <= 0 {
                out.append(.invalidValue("originRequest.\(field)", of: rule, value: value, rule: "a positive number of seconds", at: location))
            }
        }
        if let pool = o.caPool, !pool.hasPrefix("/") {
            out.append(Diagnostic(.invalidValue, "\(rule) originRequest.caPool '\(pool)' must be an absolute path", at: location, subject: pool))
        }
        for (field, value) in [("originServerName", o.originServerName), ("httpHostHeader", o.httpHostHeader)] {
            if let value, let problem = Hostnames.problem(value, wildcard: false) {
                out.append(Diagnostic(.invalidValue, "\(rule) originRequest.\(field) '\(value)' \(problem)", at: location, subject: value))
            }
        }
        return out
    }
}

/// What RE2 (Go's `regexp`, which cloudflared compiles paths with) accepts: the pattern must
/// compile, and it may not use what RE2 leaves out for linear-time matching (re2/syntax:
/// lookaround `(?=` `(?!` `(?<=` `(?<!`, atomic groups `(?>`, backreferences `\1` and
/// `\k<name>`, possessive quantifiers `*+` `++` `?+` `}+`, `\Z`, `\G`, conditionals `(?(`).
enum RE2 {
    static func problem(_ pattern: String) -> String? {
        let chars = Array(pattern)
        var i = 0
        var inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\", i + 1 < chars.count {
                let n = chars[i + 1]
                if !inClass {
                    if n.isNumber, n != "0" { return "backreferences (\\\(n)) are not supported" }
                    if n == "k" || n == "g" { return "named backreferences (\\\(n)) are not supported" }
                    if n == "Z" || n == "G" { return "\\\(n) is not supported (use \\z)" }
                }
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
            } else if c == "[" {
                inClass = true
                if i + 1 < chars.count, chars[i + 1] == "]" { i += 1 }
                if i + 1 < chars.count, chars[i + 1] == "^", i + 2 < chars.count, chars[i + 2] == "]" { i += 2 }
            } else if c == "(", i + 2 < chars.count, chars[i + 1] == "?" {
                let n = chars[i + 2]
                if n == "=" || n == "!" { return "lookahead '(?\(n)' is not supported" }
                if n == "<", i + 3 < chars.count, chars[i + 3] == "=" || chars[i + 3] == "!" { return "lookbehind is not supported" }
                if n == ">" { return "atomic groups '(?>' are not supported" }
                if n == "(" { return "conditionals '(?(' are not supported" }
            } else if c == "+", i > 0, "*+?}".contains(chars[i - 1]), !(i > 1 && chars[i - 2] == "\\") {
                return "possessive quantifiers ('\(chars[i - 1])+') are not supported"
            }
            i += 1
        }
        if inClass { return "missing closing ]" }
        do {
            _ = try NSRegularExpression(pattern: pattern)
        } catch {
            return "it does not compile"
        }
        return nil
    }
}
