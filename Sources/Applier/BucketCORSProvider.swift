import CloudState
import Foundation

/// The S3 buckets' CORS rules (`S3BucketCORS`): the fleet's rules (Label Studio's origin, so
/// the browser may load presigned URLs) are present and equal, matched by `ID`; rules the fleet
/// does not declare are kept unless the bucket is declared exclusive. Declared when the desired
/// state lists buckets. Credentials: `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (a key
/// allowed `s3:GetBucketCORS` and `s3:PutBucketCORS`), never printed; `OCEANID_S3_ENDPOINT`
/// overrides every bucket's endpoint (path style).
struct BucketCORSProvider: Provider {
    static let name = "cors"
    let title = "S3 bucket CORS"
    let credentials = [
        Credential(
            variables: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"],
            whenMissing: "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set "
                + "(a key allowed s3:GetBucketCORS and s3:PutBucketCORS on the Label Studio bucket)")
    ]
    let buckets: [S3BucketCORS]

    /// One whole-configuration write: PutBucketCors replaces every rule at once.
    struct Put {
        var bucket: S3BucketCORS
        var rules: [CORSRule]
    }

    init?(state: DesiredState, context: ProviderContext) {
        let declared = state.labelStudio.bucketCORS
        guard !declared.isEmpty else { return nil }
        buckets = declared.map { bucket in
            S3BucketCORS(
                bucket: bucket, baseURL: context.variables["OCEANID_S3_ENDPOINT"],
                signing: AWSSigV4(
                    region: bucket.region.isEmpty ? "us-east-1" : bucket.region, service: "s3",
                    keyId: context["AWS_ACCESS_KEY_ID"], secret: context["AWS_SECRET_ACCESS_KEY"]),
                client: context.client, retry: context.retry)
        }
    }

    func plan() throws -> [Change<Put>] {
        var changes = ChangeList<Put>(provider: Self.name)
        for bucket in buckets {
            let live = try bucket.rules()
            guard let (rules, detail) = Self.plan(desired: bucket.bucket, live: live) else { continue }
            changes.add(
                live.isEmpty ? .create : .update, "bucket s3://\(bucket.bucket.bucket) CORS", detail,
                Put(bucket: bucket, rules: rules))
        }
        return changes.changes
    }

    /// The rules to put and what differs, or nil when the live rules already hold the desired
    /// ones (and, for an exclusive bucket, nothing else). Undeclared rules keep their place first.
    static func plan(desired: BucketCORS, live: [CORSRule]) -> (rules: [CORSRule], detail: String)? {
        let ids = Set(desired.rules.map(\.id))
        let foreign = live.filter { !ids.contains($0.id) }
        var differences: [String] = []
        for rule in desired.rules {
            guard let current = live.first(where: { $0.id == rule.id }) else {
                differences.append(
                    "rule \(rule.id): origin \(rule.allowedOrigins.joined(separator: " ")), "
                        + "methods \(rule.allowedMethods.joined(separator: " "))")
                continue
            }
            differences += Self.differences(current, rule).map { "rule \(rule.id): \($0)" }
        }
        if desired.exclusive {
            differences += foreign.map { "rule \($0.id.isEmpty ? "without ID" : $0.id) removed (exclusive)" }
        }
        guard !differences.isEmpty else { return nil }
        let kept = desired.exclusive ? [] : foreign
        if !kept.isEmpty { differences.append("\(kept.count) undeclared rule\(kept.count == 1 ? "" : "s") kept") }
        return (kept + desired.rules, differences.joined(separator: "; "))
    }

    /// What differs in one rule (lists compared as sets: S3 keeps their order, CORS ignores it).
    static func differences(_ live: CORSRule, _ rule: CORSRule) -> [String] {
        var out: [String] = []
        for (name, have, want) in [
            ("origins", live.allowedOrigins, rule.allowedOrigins),
            ("methods", live.allowedMethods, rule.allowedMethods),
            ("headers", live.allowedHeaders, rule.allowedHeaders), ("expose", live.exposeHeaders, rule.exposeHeaders),
        ] where Set(have) != Set(want) {
            out.append("\(name) \(have.sorted().joined(separator: " ")) → \(want.sorted().joined(separator: " "))")
        }
        if live.maxAgeSeconds != rule.maxAgeSeconds {
            out.append(
                "max age \(live.maxAgeSeconds.map(String.init) ?? "none") → \(rule.maxAgeSeconds.map(String.init) ?? "none")"
            )
        }
        return out
    }

    func apply(_ change: Change<Put>) throws {
        try change.step.bucket.put(change.step.rules)
    }
}
