import DSL
import Foundation

/// The last guard before anything is written: no secret value in any generated file.
/// Secrets may only reach the cluster as ExternalSecrets naming ESC keys, so a plain
/// Kubernetes Secret (at any depth, e.g. inside a List), credentials inside a URL, or a
/// private key block in the output is an error at the generated file's line (whatever
/// declaration or escape hatch produced it). The same rules (`secretKind(in:)`) run on every
/// value at its declaration first (SecretChecks); this scan is the final net.
public enum SecretScan {
    /// Scans every emitted file, line by line: the last check, run by `OutputChecks.check(files)`
    /// in `BuildPipeline` after the emitters, before anything is written.
    ///
    /// - Returns: one `secretInOutput` error per line that holds a secret, at the generated file's
    ///   path and line, with a note at the declaration that produced the file; never the value
    ///   itself. In file order; empty when the files are clean.
    public static func run(_ files: [GeneratedFile]) -> [Diagnostic] {
        // Each file is scanned alone, so on every core (`Parallel.map`), its findings kept in file order.
        Parallel.map(files) { file in
            var out: [Diagnostic] = []
            byteClasses.withUnsafeBufferPointer { classes in
                var contents = file.contents
                contents.withUTF8 { bytes in scan(bytes, classes: classes, file: file, into: &out) }
            }
            return out
        }.flatMap { $0 }
    }

    /// What each byte value can start: 1 a token (letters, digits, `_-+/=`), 2 a quote or `=`
    /// (the password rules), 4 `@` (credentials in a URL), 8 `-` (a PEM marker's dashes).
    static let byteClasses: [UInt8] = (0..<256).map { value in
        let byte = UInt8(value)
        var bits: UInt8 = isTokenByte(byte) ? 1 : 0
        if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "=") { bits |= 2 }
        if byte == UInt8(ascii: "@") { bits |= 4 }
        if byte == UInt8(ascii: "-") { bits |= 8 }
        return bits
    }

    /// Whether the line says "pass" or "pwd" in any case (found from its rare `p`s).
    static func mentionsPassword(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard line.count >= 3 else { return false }
        for i in 0..<(line.count - 2) where line[i] | 0x20 == UInt8(ascii: "p") {
            let a = line[i + 1] | 0x20
            let b = line[i + 2] | 0x20
            if (a == UInt8(ascii: "a") && b == UInt8(ascii: "s")) || (a == UInt8(ascii: "w") && b == UInt8(ascii: "d"))
            {
                return true
            }
        }
        return false
    }

    /// One pass over a file's UTF-8 bytes, line by line. Each line's bytes are classified as
    /// they go by (indent, quotes, `=`, `@`, dash runs, token runs); only a line that could
    /// hold a secret becomes a `String` for the rules of `secretKind(in:)`.
    static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>, classes: UnsafeBufferPointer<UInt8>, file: GeneratedFile,
        into out: inout [Diagnostic]
    ) {
        var publicBlock = false  // inside a PEM certificate or public key: public by design
        var blockIndent: Int?  // inside a YAML block scalar (|): text, not structure
        var start = 0
        var number = 0
        while start <= bytes.count {
            var end = start
            // Facts of the line, gathered in the pass that finds its end. A quote or `=`
            // matters only next to "pass"/"pwd" (the password rules), looked for afterwards.
            var gate = false
            var dashRun = 0
            var tokenRun = 0
            var dashes = false
            var quoted = false
            while end < bytes.count, bytes[end] != 10 {
                let bits = classes[Int(bytes[end])]
                if bits & 4 != 0 { gate = true }
                if bits & 2 != 0 { quoted = true }
                if bits & 8 != 0 {
                    dashRun += 1
                    if dashRun == 5 {
                        dashes = true
                        gate = true
                    }
                } else {
                    dashRun = 0
                }
                if bits & 1 != 0 {
                    tokenRun += 1
                    if tokenRun == 16 { gate = true }
                } else {
                    tokenRun = 0
                }
                end += 1
            }
            if quoted, !gate, mentionsPassword(UnsafeBufferPointer(rebasing: bytes[start..<end])) { gate = true }
            number += 1
            let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
            var indent = 0
            while indent < line.count, line[indent] == UInt8(ascii: " ") { indent += 1 }
            if let block = blockIndent, line.isEmpty || indent >= block {} else { blockIndent = nil }
            var found: String?
            if blockIndent == nil, isSecretKindLine(line, indent: indent) {
                found = "a Kubernetes Secret object"
            } else if dashes, contains(line, Self.beginMarker),
                contains(line, Self.certificateMarker) || contains(line, Self.publicKeyMarker)
            {
                publicBlock = true
            } else if publicBlock {
                if dashes, contains(line, Self.endMarker) { publicBlock = false }
            } else if gate {
                found = secretKind(in: String(decoding: line, as: UTF8.self))
            }
            if blockIndent == nil, opensBlockScalar(line) { blockIndent = indent + 1 }
            // The value itself is never printed; the declaration that produced the file is named.
            if let what = found {
                var diagnostic = Diagnostic.secretInOutput(what, at: SourceLocation(file: file.path, line: number))
                if let origin = file.origin {
                    diagnostic.notes.append(.init("produced by this declaration", at: origin))
                }
                out.append(diagnostic)
            }
            start = end + 1
        }
    }

    static func contains(_ line: UnsafeBufferPointer<UInt8>, _ needle: [UInt8]) -> Bool {
        needle.withUnsafeBufferPointer { occurs($0, in: line, ignoringCase: false) }
    }

    static let beginMarker = Array("-----BEGIN".utf8), endMarker = Array("-----END".utf8)
    static let certificateMarker = Array("CERTIFICATE".utf8), publicKeyMarker = Array("PUBLIC KEY".utf8)

    /// A line ending `: |`, `: |-`, `: |+`, `- |` or `- |-`: a YAML block scalar follows.
    static func opensBlockScalar(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
        for suffix in blockOpeners where line.count >= suffix.count {
            if zip(line[(line.count - suffix.count)...], suffix).allSatisfy({ $0 == $1 }) { return true }
        }
        return false
    }

    static let blockOpeners = [": |", ": |-", ": |+", "- |", "- |-"].map { Array($0.utf8) }

    /// `kind: Secret` (or `kind: "Secret"`) as a mapping entry at any indentation, or as the
    /// first key of a list item.
    static func isSecretKindLine(_ line: UnsafeBufferPointer<UInt8>, indent: Int) -> Bool {
        var rest = line[indent...]
        if rest.starts(with: [UInt8(ascii: "-"), UInt8(ascii: " ")]) {
            rest = rest.dropFirst(2)
            while rest.first == UInt8(ascii: " ") { rest = rest.dropFirst() }
        }
        return rest.elementsEqual(Self.secretKind1) || rest.elementsEqual(Self.secretKind2)
    }

    static let secretKind1 = Array("kind: Secret".utf8), secretKind2 = Array("kind: \"Secret\"".utf8)

    /// What kind of secret value `text` holds, or nil: a private key block, credentials in a
    /// URL, a `password=` in a connection string, a SQL `PASSWORD '...'`, a provider token
    /// (GitHub, Slack, AWS, Stripe, Hugging Face, GitLab, Pulumi), a Slack webhook, or a
    /// high-entropy string. Public material (certificates, public keys, SSH host keys,
    /// integrity hashes) is not a secret.
    public static func secretKind(in text: some StringProtocol) -> String? {
        // One pass over the bytes decides which rules can apply.
        var hasAt = false
        var hasDashes = false
        var hasQuote = false
        var hasEquals = false
        var hasSlash = false
        var dashRun = 0
        var tokenRun = 0
        var longToken = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: "/") { hasSlash = true }
            if byte == UInt8(ascii: "-") {
                dashRun += 1
                if dashRun == 5 { hasDashes = true }
            } else {
                dashRun = 0
            }
            if byte == UInt8(ascii: "@") { hasAt = true }
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") { hasQuote = true }
            if byte == UInt8(ascii: "=") { hasEquals = true }
            if isTokenByte(byte) {
                tokenRun += 1
                if tokenRun == 16 { longToken = true }
            } else {
                tokenRun = 0
            }
        }
        guard hasAt || hasDashes || hasQuote || hasEquals || longToken else { return nil }
        let whole = String(text)
        if hasDashes, has(whole, "-----BEGIN"), has(whole, "PRIVATE KEY") { return "a private key" }
        if hasAt, has(whole, "://"), hasURLCredentials(whole) { return "credentials inside a URL" }
        // Swift builds a regex literal's program on each evaluation: the compiled ones are
        // static, and a case-insensitive byte search gates them.
        let saysPassword =
            (hasEquals || hasQuote) && (has(whole, "pass", ignoringCase: true) || has(whole, "pwd", ignoringCase: true))
        if saysPassword, hasEquals, whole.firstMatch(of: Self.connectionPassword) != nil {
            return "a password in a connection string"
        }
        if saysPassword, hasQuote, whole.firstMatch(of: Self.sqlPassword) != nil { return "a SQL PASSWORD literal" }
        if hasSlash, has(whole, "hooks.slack.com/services/") { return "a Slack webhook URL" }
        if longToken {
            // Cheap tests first: only a token that could be a provider's or random reaches the
            // regular expressions and the entropy count, and public material is ruled out last.
            // Tokens are runs of token bytes other than `=`, found on the UTF-8 view.
            let utf8 = whole.utf8
            var index = utf8.startIndex
            while index < utf8.endIndex {
                guard isTokenByte(utf8[index]), utf8[index] != UInt8(ascii: "=") else {
                    index = utf8.index(after: index)
                    continue
                }
                let start = index
                var length = 0
                while index < utf8.endIndex, isTokenByte(utf8[index]), utf8[index] != UInt8(ascii: "=") {
                    index = utf8.index(after: index)
                    length += 1
                }
                guard length >= 16 else { continue }
                let token = whole[start..<index]
                if mayBeProviderToken(token), let provider = providerToken(token), !isPublicMaterial(whole) {
                    return provider
                }
                if length >= 40, looksRandom(token), !isPublicMaterial(whole) {
                    return "a high-entropy string (a key or token)"
                }
            }
        }
        return nil
    }

    nonisolated(unsafe) static let connectionPassword = try! Regex(
        #"(?i)(?:^|[\s;&?])(?:password|passwd|pwd)=[^\s;&'"]+"#)
    nonisolated(unsafe) static let sqlPassword = try! Regex(#"(?i)\bPASSWORD\s+['"][^'"]+['"]"#)

    /// Whether `needle` occurs in `text`, byte for byte; with `ignoringCase`, ASCII letters
    /// in `text` match regardless of case and `needle` must be lower-case. Searches the
    /// strings' UTF-8 storage in place (Foundation's `contains` goes through NSString, and
    /// copying into arrays costs as much: too slow for every line of every file).
    static func has(_ text: some StringProtocol, _ needle: String, ignoringCase: Bool = false) -> Bool {
        var needle = needle
        return needle.withUTF8 { target in
            text.utf8.withContiguousStorageIfAvailable { occurs(target, in: $0, ignoringCase: ignoringCase) }
                ?? Array(text.utf8).withUnsafeBufferPointer { occurs(target, in: $0, ignoringCase: ignoringCase) }
        }
    }

    static func occurs(
        _ target: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>,
        ignoringCase: Bool
    ) -> Bool {
        guard !target.isEmpty else { return true }
        guard bytes.count >= target.count else { return false }
        candidates: for start in 0...(bytes.count - target.count) {
            for offset in 0..<target.count {
                var byte = bytes[start + offset]
                if ignoringCase, byte >= 65, byte <= 90 { byte += 32 }
                if byte != target[offset] { continue candidates }
            }
            return true
        }
        return false
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 45 || b == 43
            || b == 47 || b == 61
    }

    /// Published material that looks random but is not a secret.
    static func isPublicMaterial(_ text: String) -> Bool {
        let trimmed = text.drop(while: { $0 == " " || $0 == "\t" })
        for prefix in ["ssh-ed25519 ", "ssh-rsa ", "ecdsa-sha2-", "sk-ssh-ed25519@", "sha256-", "sha384-", "sha512-"]
        where trimmed.hasPrefix(prefix) {
            return true
        }
        return has(text, "-----BEGIN CERTIFICATE-----") || has(text, "PUBLIC KEY-----")
            || has(text, " ssh-ed25519 ") || has(text, " ssh-rsa ") || has(text, " ecdsa-sha2-")
    }

    /// Token formats the providers document, matched whole (a prefix alone, or a word that
    /// merely starts like one — `hf_datasets_offline`, `ASIA_PACIFIC` — is not a token).
    // Regex is not Sendable; this array is built once and only read.
    nonisolated(unsafe) static let providerFormats: [(Regex<Substring>, String)] = [
        (try! Regex(#"(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}"#), "a GitHub token"),
        (try! Regex(#"github_pat_[A-Za-z0-9_]{22,}"#), "a GitHub token"),
        (try! Regex(#"xox[abposr]-[0-9A-Za-z-]{10,}"#), "a Slack token"),
        (try! Regex(#"(?:AKIA|ASIA)[A-Z0-9]{16}"#), "an AWS access key"),
        (try! Regex(#"(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}"#), "a Stripe key"),
        (try! Regex(#"hf_[A-Za-z]{30,}"#), "a Hugging Face token"),
        (try! Regex(#"glpat-[A-Za-z0-9_-]{20}"#), "a GitLab token"),
        (try! Regex(#"pul-[a-f0-9]{40}"#), "a Pulumi access token"),
    ]

    /// Whether a token starts like one of the provider formats (a byte test before the regexes).
    static func mayBeProviderToken(_ token: Substring) -> Bool {
        guard let first = token.utf8.first else { return false }
        switch first {
        case UInt8(ascii: "g"), UInt8(ascii: "x"), UInt8(ascii: "A"), UInt8(ascii: "s"), UInt8(ascii: "r"),
            UInt8(ascii: "h"), UInt8(ascii: "p"):
            return true
        default: return false
        }
    }

    static func providerToken(_ token: Substring) -> String? {
        for (format, provider) in providerFormats where token.wholeMatch(of: format) != nil { return provider }
        return nil
    }

    /// 40+ characters mixing upper case, lower case and digits with more than 4.5 bits of
    /// entropy per character: random keys look like this; names, paths and hex digests do not
    /// (a 64-character hex key cannot be told from an image digest, and is not flagged).
    static func looksRandom(_ token: Substring) -> Bool {
        var upper = false
        var lower = false
        var digit = false
        var counts: [UInt8: Int] = [:]
        for b in token.utf8 {
            if b >= 65 && b <= 90 {
                upper = true
            } else if b >= 97 && b <= 122 {
                lower = true
            } else if b >= 48 && b <= 57 {
                digit = true
            }
            counts[b, default: 0] += 1
        }
        guard upper && lower && digit else { return false }
        let n = Double(token.utf8.count)
        let entropy = counts.values.reduce(0.0) { sum, c in
            let p = Double(c) / n
            return sum - p * log2(p)
        }
        return entropy > 4.5
    }

    /// A URL holds a credential when its userinfo (RFC 3986 §3.2.1: between `scheme://` and
    /// an `@` before the authority ends at '/', '?' or '#') has a password (`user:pass@`,
    /// `:pass@`) or is a bare token (16 or more characters without `.`), as
    /// `https://ghp_...@github.com` is. A user name alone (`ssh://git@host`) and an `@` in a
    /// path, query or fragment are not credentials.
    static func hasURLCredentials(_ text: String) -> Bool {
        var search = text[...]
        while let marker = search.range(of: "://") {
            defer { search = search[marker.upperBound...] }
            let scheme = search[..<marker.lowerBound].reversed().prefix {
                $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0))
            }
            guard let first = scheme.last, first.isLetter else { continue }
            let rest = search[marker.upperBound...]
            if rest.hasPrefix("[") { continue }  // an IPv6 literal host: no userinfo before it
            // The userinfo may hold '/' in a password ("admin:hun/ter2@db"): take up to the last
            // '@' of the token, but not past a '?' or '#'.
            let token = rest.prefix { !$0.isWhitespace && $0 != "\"" && $0 != "'" && $0 != "?" && $0 != "#" }
            guard let at = token.lastIndex(of: "@") else { continue }
            let userinfo = token[..<at]
            if let colon = userinfo.firstIndex(of: ":") {
                let user = userinfo[..<colon]
                let password = userinfo[userinfo.index(after: colon)...]
                guard !password.isEmpty, !user.contains("/") else { continue }
                // host:port/path@x: the "password" is a port followed by a path.
                let beforeSlash = password.prefix { $0 != "/" }
                if beforeSlash.count < password.count && !beforeSlash.isEmpty && beforeSlash.allSatisfy(\.isNumber) {
                    continue
                }
                return true
            }
            if userinfo.count >= 16, !userinfo.contains("."), !userinfo.contains("/") { return true }
        }
        return false
    }

    /// Keys whose literal value is a credential in a free-form tree (Helm values, escape-hatch
    /// bodies): exact names, and any key that says password. Keys that name where a secret
    /// lives (`secretName`, `existingSecret`, `secretKey`) are not among them.
    public static func isCredentialKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        if credentialKeys.contains(lower) { return true }
        return (lower.contains("password") || lower.contains("passwd")) && !lower.contains("existing")
            && !lower.hasSuffix("name")
            && !lower.hasSuffix("key") && !lower.hasSuffix("ref") && !lower.hasSuffix("file")
            && !lower.hasSuffix("path")
    }

    /// Lower-case key names whose literal value is always a credential (`password`, `token`,
    /// `client_secret`, ...); `isCredentialKey` compares a key lower-cased against them.
    public static let credentialKeys: Set<String> = [
        "password", "passwd", "token", "apikey", "api_key", "apitoken", "clientsecret", "client_secret",
        "secretaccesskey", "secret_access_key", "privatekey", "private_key", "authkey", "auth_key",
    ]
}
