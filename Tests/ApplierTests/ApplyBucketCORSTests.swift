import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// The Label Studio bucket's CORS rules through oceanid-apply against the local S3 fake
/// (Tests/fakes/fake_s3.py: SigV4 recomputed from AWS's algorithm, S3's XML bodies and errors,
/// Content-MD5 required on PutBucketCors), signed by libcurl's CURLOPT_AWS_SIGV4.
@Suite(.serialized) struct ApplyBucketCORSTests {
    static let keyId = "AKIAEXAMPLE\(UUID().uuidString.prefix(8))"
    static let secret = "s3-admin-secret-\(UUID().uuidString.prefix(8))"
    static let bucket = "labelstudio-goldfish-uploads"

    final class Fake: ProviderFake {
        init() throws {
            try super.init(
                script: "fake_s3.py", arguments: [ApplyBucketCORSTests.keyId, ApplyBucketCORSTests.secret, "us-east-1"])
            try hook("/__buckets", ["bucket": ApplyBucketCORSTests.bucket])
        }

        func rules() throws -> [[String: Any]] {
            (try state()["buckets"] as? [String: Any])?[ApplyBucketCORSTests.bucket] as? [[String: Any]] ?? []
        }
    }

    static let ours = CORSRule(
        id: "oceanid-label-studio", allowedOrigins: ["https://label.example.com"],
        allowedMethods: ["GET", "PUT", "POST"],
        allowedHeaders: ["*"], maxAgeSeconds: 3000)

    static func stateFile(exclusive: Bool = false) throws -> TemporaryFolder {
        let folder = try TemporaryFolder("apply-cors")
        var state = DesiredState()
        state.labelStudio = LabelStudioState(
            url: "https://label.example.com", apiToken: SecretReference(escKey: "labelStudioApiKey"),
            bucketCORS: [BucketCORS(bucket: bucket, region: "us-east-1", exclusive: exclusive, rules: [ours])])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try folder.write("desired-state.json", String(decoding: try encoder.encode(state), as: UTF8.self))
        return folder
    }

    static func run(_ arguments: [String], _ state: TemporaryFolder, _ fake: Fake, secret: String = secret) -> ApplyRun
    {
        applyRun(
            arguments + ["--only", "cors"], statePath: state.path + "/desired-state.json",
            environment: [
                "AWS_ACCESS_KEY_ID": keyId, "AWS_SECRET_ACCESS_KEY": secret, "OCEANID_S3_ENDPOINT": fake.base,
            ])
    }

    /// A rule a person set for another site.
    static var website: [String: Any] {
        [
            "ID": "website", "AllowedOrigin": ["https://www.example.com"], "AllowedMethod": ["GET"],
        ]
    }

    @Test func theRuleIsAddedBesideAnUndeclaredOneUnderFaultsAndASecondPlanIsEmpty() throws {
        let fake = try Fake()
        try fake.hook("/__cors", ["bucket": Self.bucket, "rules": [Self.website]])
        let state = try Self.stateFile()
        defer { state.remove() }
        let plan = Self.run(["plan"], state, fake)
        #expect(plan.status == 2, "\(plan.out)\(plan.err)")
        #expect(
            plan.out.contains(
                "update   cors bucket s3://\(Self.bucket) CORS  rule oceanid-label-studio: origin "
                    + "https://label.example.com, methods GET PUT POST; 1 undeclared rule kept\n"), "\(plan.out)")
        try fake.hook("/__faults", ["slow_down": 1, "html_500": 1])
        let apply = Self.run(["apply", "--yes"], state, fake)
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        let rules = try fake.rules()
        #expect(rules.map { $0["ID"] as? String } == ["website", "oceanid-label-studio"])
        #expect(rules.last?["AllowedMethod"] as? [String] == ["GET", "PUT", "POST"])
        #expect(rules.last?["AllowedOrigin"] as? [String] == ["https://label.example.com"])
        #expect(rules.last?["AllowedHeader"] as? [String] == ["*"])
        let again = Self.run(["plan"], state, fake)
        #expect(again.status == 0, "\(again.out)\(again.err)")
        let seen = try fake.state()
        let authorizations = seen["authorizations"] as? [String] ?? []
        #expect(!authorizations.isEmpty)
        #expect(
            authorizations.allSatisfy {
                $0.hasPrefix("AWS4-HMAC-SHA256 Credential=\(Self.keyId)/") && $0.contains("/us-east-1/s3/aws4_request")
                    && $0.contains("x-amz-content-sha256")
            }, "\(authorizations)")
        // Only the injected faults were refused: every signature S3's algorithm checks held.
        #expect(seen["refused"] as? [String] == ["SlowDown"], "\(seen["refused"] ?? "")")
        #expect(!(apply.out + apply.err + plan.out + plan.err).contains(Self.secret))
    }

    @Test func anExclusiveBucketLosesItsUndeclaredRules() throws {
        let fake = try Fake()
        try fake.hook("/__cors", ["bucket": Self.bucket, "rules": [Self.website]])
        let state = try Self.stateFile(exclusive: true)
        defer { state.remove() }
        let plan = Self.run(["plan"], state, fake)
        #expect(plan.out.contains("rule website removed (exclusive)"), "\(plan.out)")
        #expect(Self.run(["apply", "--yes"], state, fake).status == 0)
        #expect(try fake.rules().map { $0["ID"] as? String } == ["oceanid-label-studio"])
        #expect(Self.run(["plan"], state, fake).status == 0)
    }

    @Test func aBucketWithoutConfigurationGetsOneAndAChangedRuleIsUpdated() throws {
        let fake = try Fake()
        let state = try Self.stateFile()
        defer { state.remove() }
        let plan = Self.run(["plan"], state, fake)
        #expect(plan.status == 2)
        #expect(plan.out.hasPrefix("create   cors bucket s3://\(Self.bucket) CORS"), "\(plan.out)")
        #expect(Self.run(["apply", "--yes"], state, fake).status == 0)
        var changed = Self.ours
        changed.allowedMethods = ["GET"]
        try fake.hook(
            "/__cors",
            [
                "bucket": Self.bucket,
                "rules": [
                    [
                        "ID": changed.id, "AllowedOrigin": changed.allowedOrigins, "AllowedMethod": ["GET"],
                        "AllowedHeader": ["*"], "MaxAgeSeconds": 3000,
                    ]
                ],
            ])
        let drift = Self.run(["plan"], state, fake)
        #expect(drift.status == 2)
        #expect(drift.out.contains("rule oceanid-label-studio: methods GET → GET POST PUT"), "\(drift.out)")
    }

    @Test func aWrongSecretIsS3sSignatureErrorAndNeverPrinted() throws {
        let fake = try Fake()
        let state = try Self.stateFile()
        defer { state.remove() }
        let wrong = "not-the-secret-\(UUID().uuidString.prefix(6))"
        let plan = Self.run(["plan"], state, fake, secret: wrong)
        #expect(plan.status == 1)
        #expect(
            plan.err.contains(
                "S3 answered reading the CORS rules of bucket \(Self.bucket) with HTTP 403 SignatureDoesNotMatch"),
            "\(plan.err)")
        #expect(!(plan.out + plan.err).contains(wrong))
    }

    @Test func theRequestsAreShapedForLibcurl788() throws {
        let bucket = BucketCORS(bucket: "b", region: "eu-west-1", rules: [Self.ours])
        let signing = AWSSigV4(region: "eu-west-1", service: "s3", keyId: "k", secret: "s")
        let aws = S3BucketCORS(
            bucket: bucket, baseURL: nil, signing: signing, client: HTTPClient(), retry: RetryPolicy())
        // `cors=`, not a bare `cors` (curl issue #10129: libcurl before 8.5 signs the bare one wrongly).
        #expect(aws.url == "https://b.s3.eu-west-1.amazonaws.com/?cors=")
        var minio = bucket
        minio.endpoint = "https://minio.example.com/"
        minio.pathStyle = true
        let pathStyle = S3BucketCORS(
            bucket: minio, baseURL: nil, signing: signing, client: HTTPClient(), retry: RetryPolicy())
        #expect(pathStyle.url == "https://minio.example.com/b?cors=")
        let put = aws.request("PUT", body: Data("<x/>".utf8))
        // libcurl before 8.0 adds no x-amz-content-sha256; S3 requires it (and Content-MD5 on PutBucketCors).
        #expect(put.headers["x-amz-content-sha256"] == S3BucketCORS.sha256(Data("<x/>".utf8)))
        #expect(put.headers["Content-MD5"] == "qLWUv43Mplb7HrG2Y0SUCg==")  // base64 of MD5("<x/>")
        #expect(put.awsSigV4?.provider == "aws:amz:eu-west-1:s3")
        let parsed = S3BucketCORS.parse(
            Data(
                S3BucketCORS.xml([Self.ours, CORSRule(id: "a&b", allowedOrigins: ["*"], allowedMethods: ["HEAD"])]).utf8
            ))
        #expect(parsed == [Self.ours, CORSRule(id: "a&b", allowedOrigins: ["*"], allowedMethods: ["HEAD"])])
    }

    @Test(arguments: [
        ("Bad_Bucket", "oceanid-label-studio", ["GET"], "bucket CORS: 'Bad_Bucket' is not an S3 bucket name"),
        ("uploads", "", ["GET"], "bucket CORS of uploads: a rule has no ID"),
        ("uploads", "oceanid-label-studio", ["PATCH"], "bucket CORS of uploads: rule 'oceanid-label-studio' needs"),
    ])
    func aStateOceanidGenWouldNotWriteIsRefusedBeforeAnyRequest(
        bucket: String, id: String, methods: [String], message: String
    ) throws {
        let fake = try Fake()
        let folder = try TemporaryFolder("apply-cors-bad")
        defer { folder.remove() }
        var state = DesiredState()
        var rule = Self.ours
        rule.id = id
        rule.allowedMethods = methods
        state.labelStudio = LabelStudioState(
            url: "https://label.example.com",
            bucketCORS: [BucketCORS(bucket: bucket, region: "us-east-1", rules: [rule])])
        try folder.write("desired-state.json", String(decoding: try JSONEncoder().encode(state), as: UTF8.self))
        let run = Self.run(["plan"], folder, fake)
        #expect(run.status == 1)
        #expect(run.err.contains("is not a desired state oceanid-gen writes: \(message)"), "\(run.err)")
        #expect((try fake.state()["authorizations"] as? [String] ?? []).isEmpty, "nothing was requested")
    }
}
