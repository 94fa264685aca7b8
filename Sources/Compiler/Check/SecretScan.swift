import DSL
import Foundation

/// The last guard before anything is written: no secret value in any generated file.
/// Secrets may only reach the cluster as ExternalSecrets naming ESC keys, so a plain
/// Kubernetes Secret (at any depth, e.g. inside a List), credentials inside a URL, or a
/// private key block in the output is an error at the generated file's line (whatever
/// declaration or escape hatch produced it). The same rules (`secretKind(in:)`) run on every
/// value at its declaration first (SecretChecks); this scan is the final net.
public enum SecretScan {
    public static func run(_ files: [GeneratedFile]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for file in files where mayContainSecret(file.contents) {
            for (number, line) in file.contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let at = SourceLocation(file: file.path, line: number + 1)
                var found: Diagnostic?
                if isSecretKindLine(line) {
                    found = .secretInOutput("a Kubernetes Secret object", at: at)
                } else if let what = secretKind(in: line) {
                    found = .secretInOutput(what, at: at)
                }
                // The value itself is never printed; the declaration that produced the file is named.
                if var diagnostic = found {
                    if let origin = file.origin { diagnostic.notes.append(.init("produced by this declaration", at: origin)) }
                    out.append(diagnostic)
                }
            }
        }
        return out
    }

    /// `kind: Secret` as a mapping entry at any indentation, or as the first key of a list item.
    static func isSecretKindLine(_ line: Substring) -> Bool {
        var rest = line.drop(while: { $0 == " " })
        if rest.hasPrefix("- ") { rest = rest.dropFirst(2).drop(while: { $0 == " " }) }
        return rest == "kind: Secret" || rest == "kind: \"Secret\""
    }

    /// What kind of secret value `text` holds (a credential inside a URL, a private key
    /// block), or nil.
    ///
    /// A URL holds a credential when its userinfo (RFC 3986 §3.2.1: between `scheme://` and
    /// `@`) has a password (`user:pass@`, `:pass@`) or is a bare token (16 or more
    /// characters without `.` or `/`, as `https://ghp_...@github.com` is). A user name alone
    /// (`ssh://git@host`) and an `@` in a path (`https://host/x@y`) are not credentials.
    public static func secretKind(in text: some StringProtocol) -> String? {
        // One pass over the bytes decides which rules can apply: an '@' (URL credentials), a
        // run of five dashes (key blocks), a token-shaped run of 20+ characters (provider
        // tokens, high-entropy strings), a quote (SQL PASSWORD literals).
        var hasAt = false, hasDashes = false, hasQuote = false, dashRun = 0, tokenRun = 0, longToken = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") { dashRun += 1; if dashRun == 5 { hasDashes = true } } else { dashRun = 0 }
            if byte == UInt8(ascii: "@") { hasAt = true }
            if byte == UInt8(ascii: "'") { hasQuote = true }
            if isTokenByte(byte) { tokenRun += 1; if tokenRun == 20 { longToken = true } } else { tokenRun = 0 }
        }
        guard hasAt || hasDashes || hasQuote || longToken else { return nil }
        if hasDashes, text.contains("-----BEGIN"), text.contains("PRIVATE KEY") { return "a private key" }
        if hasAt, text.contains("://"), hasURLCredentials(String(text)) { return "credentials inside a URL" }
        if hasQuote, String(text).firstMatch(of: #/(?i)\bPASSWORD\s+'[^']+'/#) != nil { return "a SQL PASSWORD literal" }
        if longToken {
            let whole = String(text)
            for token in whole.split(whereSeparator: { !isTokenByte($0.asciiValue ?? 0) }) where token.utf8.count >= 20 {
                if let provider = providerToken(token) { return "a \(provider) token" }
                if token.utf8.count >= 40, looksRandom(token) { return "a high-entropy string (a key or token)" }
            }
        }
        return nil
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 45 || b == 43 || b == 47 || b == 61
    }

    /// Documented token prefixes of the providers the fleet talks to (GitHub, Slack, AWS,
    /// Stripe, Hugging Face, GitLab, Pulumi).
    static let providerPrefixes: [(prefix: String, provider: String)] = [
        ("github_pat_", "GitHub"), ("ghp_", "GitHub"), ("gho_", "GitHub"), ("ghu_", "GitHub"), ("ghs_", "GitHub"), ("ghr_", "GitHub"),
        ("xoxb-", "Slack"), ("xoxp-", "Slack"), ("xoxa-", "Slack"), ("AKIA", "AWS access key"), ("ASIA", "AWS access key"),
        ("sk_live_", "Stripe"), ("rk_live_", "Stripe"), ("hf_", "Hugging Face"), ("glpat-", "GitLab"), ("pul-", "Pulumi"),
    ]

    static func providerToken(_ token: Substring) -> String? {
        for (prefix, provider) in providerPrefixes where token.hasPrefix(prefix) {
            let rest = token.dropFirst(prefix.count)
            // A prefix alone is a word; a token is the prefix and 16+ more token characters.
            if rest.count >= 16, rest.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) { return provider }
        }
        return nil
    }

    /// 40+ characters mixing upper case, lower case and digits with more than 4.5 bits of
    /// entropy per character: random keys look like this; names, paths and hex digests do not.
    static func looksRandom(_ token: Substring) -> Bool {
        var upper = false, lower = false, digit = false
        var counts: [UInt8: Int] = [:]
        for b in token.utf8 {
            if b >= 65 && b <= 90 { upper = true } else if b >= 97 && b <= 122 { lower = true } else if b >= 48 && b <= 57 { digit = true }
            counts[b, default: 0] += 1
        }
        guard upper && lower && digit else { return false }
        let n = Double(token.utf8.count)
        let entropy = counts.values.reduce(0.0) { sum, c in let p = Double(c) / n; return sum - p * log2(p) }
        return entropy > 4.5
    }

    static func hasURLCredentials(_ text: String) -> Bool {
        var search = text[...]
        while let marker = search.range(of: "://") {
            defer { search = search[marker.upperBound...] }
            // The scheme: letters, digits, '+', '-', '.' after a letter (RFC 3986 §3.1), any case.
            let scheme = search[..<marker.lowerBound].reversed().prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
            guard let first = scheme.last, first.isLetter else { continue }
            let token = search[marker.upperBound...].prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" }
            guard let at = token.firstIndex(of: "@") else { continue }
            let userinfo = token[..<at]
            if let colon = userinfo.firstIndex(of: ":") {
                let password = userinfo[userinfo.index(after: colon)...]
                guard !password.isEmpty else { continue }
                // host:port/path@x is a port, not a password.
                let beforeSlash = password.prefix { $0 != "/" }
                if beforeSlash.count < password.count && !beforeSlash.isEmpty && beforeSlash.allSatisfy(\.isNumber) { continue }
                if userinfo[..<colon].contains("/") { continue }
                return true
            }
            if userinfo.count >= 16, !userinfo.contains("."), !userinfo.contains("/") { return true }
        }
        return false
    }

    /// Keys whose string value is a credential wherever they appear in an object (Helm values,
    /// escape-hatch bodies): a literal there is a secret written in the definitions.
    public static let credentialKeys: Set<String> = [
        "password", "passwd", "token", "apikey", "api_key", "apitoken", "clientsecret", "client_secret",
        "secretaccesskey", "secret_access_key", "privatekey", "private_key", "authkey", "auth_key",
    ]

    /// A file without '@', a Secret kind or a key marker cannot trip any rule: skip splitting it.
    private static func mayContainSecret(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "@")) || text.contains("kind: Secret") || text.contains("kind: \"Secret\"") || text.contains("PRIVATE KEY")
    }
}
