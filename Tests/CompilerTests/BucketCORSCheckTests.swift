import Compiler
import DSL
import TestSupport
import Testing

/// Label Studio's bucket CORS rule (`bucket-cors-missing`, `invalid-bucket-cors`) at the
/// `LabelStudioStorages` declaration, on the edge fixture with a Label Studio of its own (not
/// the fleet's): presigned import storages need a rule, and S3 takes only its five methods.
@Suite struct BucketCORSCheckTests {
    static let key = SecretSetting("apiKey", summary: "")

    static func check(_ labelStudio: LabelStudioStorages) -> [Diagnostic] {
        var fleet = EdgeFixtures.fleet()
        fleet.labelStudio = labelStudio
        return FleetCheck.run(fleet)
    }

    static func importStorage(presigned: Bool = true, line: Int = #line) -> S3Storage {
        S3Storage.import(
            title: "Scans", bucket: "vessel-scans", region: "eu-west-1", prefix: "scans", presignedURLs: presigned,
            accessKeyId: key, secretAccessKey: key, line: line)
    }

    @Test func presignedImportsWithoutARuleWarnAtTheDeclarationAndNoteTheStorage() throws {
        let storageLine = #line + 3
        let line = #line + 2
        let diagnostics = Self.check(
            LabelStudioStorages(url: "https://model.example.com", apiToken: Self.key) { Self.importStorage() })
        #expect(diagnostics.map(\.code) == [.bucketCORSMissing], "\(diagnostics.map { $0.formatted() })")
        let d = try #require(diagnostics.first)
        #expect(d.severity == .warning)
        #expect(d.location.line == line)
        #expect(
            d.message
                == "Label Studio at https://model.example.com serves tasks through presigned URLs from vessel-scans, "
                + "but no CORS rule admits its origin; declare "
                + "LabelStudioStorages(..., bucketCORS: BucketCORSRule(methods: [\"GET\", \"PUT\", \"POST\"]))")
        #expect(d.notes.map(\.location?.line) == [storageLine])
    }

    @Test func neighboursThatNeedNoRuleOrHaveAValidOnePass() {
        let export = S3Storage.export(
            title: "Out", bucket: "vessel-scans", region: "eu-west-1", prefix: "out", accessKeyId: Self.key,
            secretAccessKey: Self.key)
        #expect(Self.check(LabelStudioStorages(url: "https://model.example.com", apiToken: Self.key) { export }) == [])
        #expect(
            Self.check(
                LabelStudioStorages(url: "https://model.example.com", apiToken: Self.key) {
                    Self.importStorage(presigned: false)
                }) == [])
        #expect(
            Self.check(
                LabelStudioStorages(
                    url: "https://model.example.com", apiToken: Self.key,
                    bucketCORS: BucketCORSRule(methods: ["GET", "PUT", "POST", "DELETE", "HEAD"])
                ) { Self.importStorage() }) == [])
    }

    @Test func aMethodS3RefusesOrNoneIsAnErrorAtTheDeclaration() throws {
        let line = #line + 2
        let diagnostics = Self.check(
            LabelStudioStorages(
                url: "https://model.example.com", apiToken: Self.key,
                bucketCORS: BucketCORSRule(methods: ["GET", "get", "PATCH"])
            ) { Self.importStorage() })
        #expect(diagnostics.map(\.code) == [.invalidBucketCORS, .invalidBucketCORS])
        #expect(diagnostics.map(\.location.line) == [line, line])
        #expect(
            diagnostics.map(\.message) == [
                "the bucket CORS rule allows method 'PATCH', which S3 refuses (it takes GET, PUT, POST, DELETE and HEAD)",
                "the bucket CORS rule allows method 'get', which S3 refuses (it takes GET, PUT, POST, DELETE and HEAD)",
            ])
        let none = Self.check(
            LabelStudioStorages(
                url: "https://model.example.com", apiToken: Self.key, bucketCORS: BucketCORSRule(methods: [])
            ) { Self.importStorage() })
        #expect(
            none.map(\.message) == ["the bucket CORS rule lists no method; S3 refuses a CORSRule without AllowedMethod"]
        )
    }
}
