import DSL

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
                if isSecretKindLine(line) {
                    out.append(.secretInOutput("a Kubernetes Secret object", at: at))
                } else if let what = secretKind(in: line) {
                    out.append(.secretInOutput(what, at: at))
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
        // One pass over the bytes: only an '@' or a run of five dashes can start a finding.
        var hasAt = false, hasDashes = false, run = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "-") { run += 1; if run == 5 { hasDashes = true } } else { run = 0 }
            if byte == UInt8(ascii: "@") { hasAt = true }
        }
        guard hasAt || hasDashes else { return nil }
        if hasDashes, text.contains("-----BEGIN"), text.contains("PRIVATE KEY") { return "a private key" }
        if hasAt, text.contains("://"), hasURLCredentials(String(text)) { return "credentials inside a URL" }
        return nil
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
