import DSL
import Foundation

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
            return [.noIngressRules(tunnel: tunnel.name, at: tunnel.location)]
        }
        if !last.isCatchAll {
            out.append(.lastRuleNotCatchAll(tunnel: tunnel.name, at: last.location))
        }
        for (i, rule) in rules.enumerated() {
            let name = rule.hostname ?? "the catch-all"
            if rule.isCatchAll && i < rules.count - 1 {
                out.append(
                    .earlyCatchAll(
                        rule: i + 1, tunnel: tunnel.name, at: rule.location,
                        next: rules[i + 1].location))
            }
            if !rule.isCatchAll, rule.routedHostname == nil {
                out.append(
                    .ruleWithoutHostname(
                        rule: i + 1, tunnel: tunnel.name, at: rule.location,
                        subject: rule.hostname))
            }
            if let host = rule.hostname, !host.isEmpty, host != "*" {
                if let problem = hostnameProblem(host) {
                    out.append(.invalidIngressHostname(host, problem: problem, at: rule.location))
                } else if !Hostnames.inside(host.hasPrefix("*.") ? String(host.dropFirst(2)) : host, zone: zone) {
                    out.append(.ingressOutsideZone(host, tunnel: tunnel.name, zone: zone, at: rule.location))
                }
            }
            if let path = rule.path, !path.isEmpty, let problem = RE2.problem(path) {
                out.append(.invalidPathRegex(path, route: name, problem: problem, at: rule.location))
            }
            if let problem = serviceProblem(rule.service) {
                // The URL as written is the subject: one from settings.yaml is blamed there.
                var subject: String? = nil
                if case .url(let url) = rule.service { subject = url }
                out.append(
                    .invalidIngressService(
                        route: name, tunnel: tunnel.name, problem: problem, at: rule.location,
                        subject: subject))
            }
            out += originRequestProblems(rule.originRequest, rule: name, at: rule.location)
            if !rule.isCatchAll, let earlier = rules[..<i].first(where: { !$0.isCatchAll && shadows($0, rule) }) {
                out.append(
                    .shadowedIngressRule(
                        route: name, path: rule.path, tunnel: tunnel.name, at: rule.location,
                        earlier: earlier.location, subject: rule.hostname))
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
            return ["http", "https", "tcp", "ws", "wss"].contains(scheme)
                ? nil : "uses scheme '\(scheme)'; a route to a port takes http, https, tcp, ws or wss"
        case .url(let url):
            if url.hasPrefix("http_status:") {
                return Int(url.dropFirst("http_status:".count)).map { (100...599).contains($0) } == true
                    ? nil : "is '\(url)'; an HTTP status is 100–599"
            }
            if ["hello_world", "hello-world", "helloworld", "bastion"].contains(url) { return nil }
            if url.hasPrefix("unix:") || url.hasPrefix("unix+tls:") {
                let path = url.split(separator: ":", maxSplits: 1).last.map(String.init) ?? ""
                return path.hasPrefix("/") ? nil : "is '\(url)'; a unix socket needs an absolute path"
            }
            guard let parts = URLComponents(string: url), let scheme = parts.scheme, let host = parts.host,
                !host.isEmpty
            else {
                return
                    "is '\(url)', which has no scheme and host (cloudflared: 'please make sure it has a scheme and a hostname')"
            }
            guard schemes.contains(scheme.lowercased()) else {
                return
                    "is '\(url)'; cloudflared proxies \(schemes.sorted().joined(separator: ", ")), http_status:<code>, unix: and hello_world"
            }
            guard parts.path.isEmpty else {
                return
                    "is '\(url)', which has a path; cloudflared keeps the request's path and refuses one on the origin"
            }
            if let port = parts.port, !(1...65535).contains(port) {
                return "is '\(url)', whose port is outside 1...65535"
            }
            return nil
        }
    }

    static func originRequestProblems(_ o: OriginRequest, rule: String, at location: SourceLocation) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for (field, value) in [
            ("connectTimeout", o.connectTimeoutSeconds), ("tlsTimeout", o.tlsTimeoutSeconds),
            ("keepAliveTimeout", o.keepAliveTimeoutSeconds),
        ] {
            if let value, value <= 0 {
                out.append(.nonPositiveOriginTimeout(field, route: rule, value: value, at: location))
            }
        }
        if let pool = o.caPool, !pool.hasPrefix("/") {
            out.append(.relativeCAPool(pool, route: rule, at: location))
        }
        // A Host header may carry a port (RFC 9110, 7.2); a server name may not.
        let hostHeader = o.httpHostHeader.map { value -> String in
            guard let colon = value.lastIndex(of: ":"),
                Int(value[value.index(after: colon)...]).map({ (1...65535).contains($0) }) == true
            else { return value }
            return String(value[..<colon])
        }
        for (field, value) in [("originServerName", o.originServerName), ("httpHostHeader", hostHeader)] {
            if let value, let problem = Hostnames.problem(value, wildcard: false) {
                out.append(.invalidOriginHostname(value, field: field, route: rule, problem: problem, at: location))
            }
        }
        return out
    }
}

/// What RE2 (Go's `regexp/syntax`, which cloudflared compiles paths with) accepts, checked by
/// scanning the pattern for what RE2 leaves out and then compiling it (with RE2-only spellings
/// rewritten for Foundation's engine):
///
/// - escapes: `\a \f \t \n \r \v`, octal, `\x..`, `\p`/`\P` classes, `\d \D \s \S \w \W \b \B \A \z`,
///   `\Q...\E` and escaped punctuation; not `\1` backreferences, `\k`, `\Z`, `\G`, `\h`, `\R`, `\X`, `\e`, `\c`, `\N`;
/// - groups: `(?:`, `(?P<name>`, `(?<name>`, flags of `i m s U`; not lookaround, atomic groups,
///   comments `(?#`, conditionals or other flags;
/// - repetitions at most 1000, and no repetition of a repetition (`a**`, `a++`; `a*?` is lazy).
enum RE2 {
    static let escapes: Set<Character> = [
        "a", "f", "t", "n", "r", "v", "x", "p", "P", "d", "D", "s", "S", "w", "W", "b", "B", "A", "z", "Q", "E", "0",
    ]

    static func problem(_ pattern: String) -> String? {
        let chars = Array(pattern)
        var i = 0
        var inClass = false
        var previousWasRepeat = false
        var previousWasLazy = false
        var icu = ""
        while i < chars.count {
            let c = chars[i]
            if c == "\\" {
                guard i + 1 < chars.count else { return "it ends with a lone '\\'" }
                let n = chars[i + 1]
                if n == "Q" {  // literal text up to \E
                    var j = i + 2
                    var literal = ""
                    while j < chars.count, !(chars[j] == "\\" && j + 1 < chars.count && chars[j + 1] == "E") {
                        literal.append(chars[j])
                        j += 1
                    }
                    icu += NSRegularExpression.escapedPattern(for: literal)
                    i = min(j + 2, chars.count)
                    previousWasRepeat = false
                    continue
                }
                if n.isLetter || n.isNumber {
                    if ("1"..."9").contains(n) {
                        let next = i + 2 < chars.count ? chars[i + 2] : " "
                        if n >= "8" || !("0"..."7").contains(next) {
                            return "backreferences (\\\(n)) are not supported"
                        }
                    } else if !escapes.contains(n) {
                        return "the escape \\\(n) is not RE2"
                    }
                    // Class names are RE2's (the syntax is what is checked): any class compiles as \p{L}.
                    if n == "p" || n == "P" {
                        var j = i + 3
                        if i + 2 < chars.count, chars[i + 2] == "{" {
                            while j < chars.count, chars[j - 1] != "}" { j += 1 }
                            guard chars[j - 1] == "}" else { return "an unclosed \\\(n){" }
                        }
                        icu += "\\\(n){L}"
                        i = min(j, chars.count)
                        previousWasRepeat = false
                        continue
                    }
                    // Octal `\123` (ICU would read a backreference): as the code point.
                    if ("0"..."7").contains(n) {
                        var digits = String(n)
                        var j = i + 2
                        while j < chars.count, digits.count < 3, ("0"..."7").contains(chars[j]) {
                            digits.append(chars[j])
                            j += 1
                        }
                        icu += "\\x{\(String(Int(digits, radix: 8)!, radix: 16))}"
                        i = j
                        previousWasRepeat = false
                        continue
                    }
                }
                icu += String([c, n])
                i += 2
                previousWasRepeat = false
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                icu.append(c)
                i += 1
                continue
            }
            switch c {
            case "[":
                inClass = true
                icu.append(c)
                // A ']' right after '[' or '[^' is a literal member.
                if i + 1 < chars.count, chars[i + 1] == "^" {
                    icu.append("^")
                    i += 1
                }
                if i + 1 < chars.count, chars[i + 1] == "]" {
                    icu.append("]")
                    i += 1
                }
                previousWasRepeat = false
            case "(":
                if i + 1 < chars.count, chars[i + 1] == "?" {
                    let rest = String(chars[(i + 2)...])
                    if rest.hasPrefix("P<") {
                        icu += "(?<"
                        i += 4
                        previousWasRepeat = false
                        continue
                    } else if rest.hasPrefix("<"), !rest.hasPrefix("<=") && !rest.hasPrefix("<!") {
                        icu += "(?<"
                        i += 3
                        continue
                    } else if rest.hasPrefix(":") {
                        icu += "(?:"
                        i += 3
                        continue
                    }
                    var flags = ""
                    var j = i + 2
                    while j < chars.count, "imsU-".contains(chars[j]) {
                        flags.append(chars[j])
                        j += 1
                    }
                    guard !flags.isEmpty, j < chars.count, chars[j] == ")" || chars[j] == ":" else {
                        let what = rest.first.map { "(?\($0)" } ?? "(?"
                        switch rest.first {
                        case "=", "!": return "lookahead '\(what)' is not supported"
                        case "<": return "lookbehind is not supported"
                        case ">": return "atomic groups '(?>' are not supported"
                        case "#": return "comments '(?#' are not supported"
                        case "(": return "conditionals '(?(' are not supported"
                        default: return "'\(what)' is not RE2 (flags are i, m, s and U)"
                        }
                    }
                    let icuFlags = flags.filter { $0 != "U" }  // ungreedy: RE2 only; the syntax is what is checked
                    if icuFlags.isEmpty || icuFlags == "-" {
                        icu += chars[j] == ")" ? "" : "(?:"
                    } else {
                        icu += "(?\(icuFlags)\(chars[j])"
                    }
                    i = j + 1
                    previousWasRepeat = false
                    continue
                }
                icu.append(c)
                previousWasRepeat = false
            case "*", "+", "?":
                if previousWasRepeat && c == "?" && !previousWasLazy {
                    previousWasLazy = true  // `a*?`: lazy
                } else if previousWasRepeat {
                    return
                        "a repetition of a repetition ('\(chars[i - 1])\(c)') is not RE2 (possessive quantifiers are not supported)"
                } else {
                    previousWasRepeat = true
                    previousWasLazy = false
                }
                icu.append(c)
                i += 1
                continue
            case "{":
                var j = i + 1
                var body = ""
                while j < chars.count, chars[j] != "}" {
                    body.append(chars[j])
                    j += 1
                }
                let bounds = body.split(separator: ",", omittingEmptySubsequences: false)
                if j < chars.count, (1...2).contains(bounds.count), bounds.allSatisfy({ $0.allSatisfy(\.isNumber) }),
                    !bounds[0].isEmpty
                {
                    if bounds.compactMap({ Int($0) }).contains(where: { $0 > 1000 }) {
                        return "a repetition count above 1000 is not RE2"
                    }
                    if previousWasRepeat { return "a repetition of a repetition is not RE2" }
                    icu += "{" + body + "}"
                    i = j + 1
                    previousWasRepeat = true
                    previousWasLazy = false
                    continue
                }
                icu += "\\{"
                previousWasRepeat = false
            default:
                icu.append(c)
                previousWasRepeat = false
            }
            i += 1
        }
        if inClass { return "missing closing ]" }
        do {
            _ = try NSRegularExpression(pattern: icu)
        } catch {
            return "it does not compile"
        }
        return nil
    }
}
