import DSL

/// The last guard before anything is written: no secret value in any generated file.
/// Secrets may only reach the cluster as ExternalSecrets naming ESC keys, so a plain
/// Kubernetes Secret, credentials inside a URL, or a private key block in the output is an
/// error at the generated file's line (whatever declaration or escape hatch produced it).
public enum SecretScan {
    public static func run(_ files: [GeneratedFile]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for file in files where mayContainSecret(file.contents) {
            for (number, line) in file.contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let at = SourceLocation(file: file.path, line: number + 1)
                if line == "kind: Secret" {
                    out.append(.secretInOutput("a Kubernetes Secret object", at: at))
                } else if line.utf8.contains(UInt8(ascii: "@")), line.contains("://"),
                          line.contains(#/[a-z][a-z0-9+.-]*://[^/\s:@"]+:[^/\s@"]+@/#) {
                    // Swift's Regex is slow (300 ms over the fleet): only lines that could match reach it.
                    out.append(.secretInOutput("credentials inside a URL", at: at))
                } else if line.contains("PRIVATE KEY-----") {
                    out.append(.secretInOutput("a private key", at: at))
                }
            }
        }
        return out
    }

    /// What kind of secret value `text` holds (a credential inside a URL, a private key
    /// block), or nil; the same rules as the file scan, for values at their declaration.
    public static func secretKind(in text: String) -> String? {
        guard text.utf8.contains(UInt8(ascii: "@")) || text.contains("PRIVATE KEY-----") else { return nil }
        if text.contains("PRIVATE KEY-----") { return "a private key" }
        if text.contains("://"), text.contains(#/[a-z][a-z0-9+.-]*://[^/\s:@"]+:[^/\s@"]+@/#) { return "credentials inside a URL" }
        return nil
    }

    /// A file without '@', a Secret kind or a key marker cannot trip any rule: skip splitting it.
    private static func mayContainSecret(_ text: String) -> Bool {
        text.utf8.contains(UInt8(ascii: "@")) || text.contains("kind: Secret") || text.contains("PRIVATE KEY-----")
    }
}
