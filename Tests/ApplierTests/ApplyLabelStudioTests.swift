import CloudState
import Foundation
import TestSupport
import Testing

@testable import Applier

/// Label Studio's per-project S3 storages through oceanid-apply against the local fake
/// (Tests/fakes/fake_labelstudio.py: Label Studio's exact paths and trailing slashes, its
/// error shape, write-only keys, the import-prefix check, background syncs, faults).
@Suite(.serialized) struct ApplyLabelStudioTests {
    static let token = "ls-token-\(UUID().uuidString.prefix(8))"
    static let keyId = "AKIAEXAMPLE\(UUID().uuidString.prefix(6))"
    static let secret = "s3-secret-\(UUID().uuidString.prefix(8))"
    static let bucket = "labelstudio-goldfish-uploads"

    final class Fake: ProviderFake {
        init(pat: String? = nil) throws {
            try super.init(
                script: "fake_labelstudio.py",
                arguments: [
                    pat ?? ApplyLabelStudioTests.token, ApplyLabelStudioTests.keyId, ApplyLabelStudioTests.secret,
                ]
                    + (pat == nil ? [] : ["--pat"]))
        }

        func project(_ title: String) throws -> Int { try hook("/__projects", ["title": title])["id"] as? Int ?? -1 }
        func storages() throws -> [[String: Any]] { try state()["storages"] as? [[String: Any]] ?? [] }
    }

    static func import_(prefix: String = "raw-uploads") -> LabelStudioStorage {
        LabelStudioStorage(
            direction: "import", title: "S3 import" + LabelStudioStorage.ownershipSuffix, bucket: bucket,
            prefix: prefix,
            region: "us-east-1", presign: true, syncOnCreate: true,
            accessKeyId: SecretReference(escKey: "aws.labelStudio.accessKeyId"),
            secretAccessKey: SecretReference(escKey: "aws.labelStudio.secretAccessKey"))
    }

    static func export(prefix: String = "annotations") -> LabelStudioStorage {
        LabelStudioStorage(
            direction: "export", title: "S3 export" + LabelStudioStorage.ownershipSuffix, bucket: bucket,
            prefix: prefix,
            region: "us-east-1", accessKeyId: SecretReference(escKey: "aws.labelStudio.accessKeyId"),
            secretAccessKey: SecretReference(escKey: "aws.labelStudio.secretAccessKey"))
    }

    static func stateFile(_ storages: [LabelStudioStorage]) throws -> TemporaryFolder {
        let folder = try TemporaryFolder("apply-ls")
        var state = DesiredState()
        state.labelStudio = LabelStudioState(
            url: "https://label.example.com", apiToken: SecretReference(escKey: "labelStudioApiKey"), storages: storages
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try folder.write("desired-state.json", String(decoding: try encoder.encode(state), as: UTF8.self))
        return folder
    }

    static func run(
        _ arguments: [String], state: TemporaryFolder, fake: Fake?, token: String? = ApplyLabelStudioTests.token,
        keys: Bool = true
    ) -> ApplyRun {
        var environment: [String: String] = ["OCEANID_LABELSTUDIO_URL": fake?.base ?? "http://127.0.0.1:9"]
        if let token { environment["LABEL_STUDIO_API_KEY"] = token }
        if keys {
            environment["LABEL_STUDIO_AWS_ACCESS_KEY_ID"] = keyId
            environment["LABEL_STUDIO_AWS_SECRET_ACCESS_KEY"] = secret
        }
        return applyRun(arguments, statePath: state.path + "/desired-state.json", environment: environment)
    }

    /// Two projects (enough to page), a hand-made storage that must survive, objects under
    /// the import prefixes (Label Studio refuses an import storage over an empty prefix).
    func seeded(_ fake: Fake) throws -> (ner: Int, vessels: Int) {
        try fake.hook("/__buckets", ["bucket": Self.bucket])
        let ner = try fake.project("NER data")
        let vessels = try fake.project("Vessels: Ñandú 2025!")
        _ = try fake.project("Scratch")
        for id in [1, 2, 3] {
            let folder = ["ner-data-\(ner)", "vessels-nandu-2025-\(vessels)", "scratch-3"][id - 1]
            try fake.hook("/__objects", ["bucket": Self.bucket, "key": "raw-uploads/\(folder)/import/doc\(id).json"])
            try fake.hook("/__objects", ["bucket": Self.bucket, "key": "raw-uploads/\(folder)/import/more\(id).json"])
        }
        try fake.hook(
            "/__storages",
            [
                "direction": "import", "project": ner, "title": "by hand", "bucket": "another-bucket",
                "prefix": "manual/",
            ])
        return (ner, vessels)
    }

    @Test func everyProjectGetsItsStoragesSyncedOnceAndASecondPlanIsEmpty() throws {
        let fake = try Fake()
        let (ner, vessels) = try seeded(fake)
        let state = try Self.stateFile([Self.import_(), Self.export()])
        defer { state.remove() }
        let plan = Self.run(["plan"], state: state, fake: fake, keys: false)
        #expect(plan.status == 2, "plan needs no S3 keys: \(plan.out)\(plan.err)")
        #expect(
            plan.out.contains(
                "create   labelstudio project \(ner) import s3://\(Self.bucket)/raw-uploads/ner-data-\(ner)/import/"),
            "\(plan.out)")
        #expect(
            plan.out.contains(
                "project \(vessels) import s3://\(Self.bucket)/raw-uploads/vessels-nandu-2025-\(vessels)/import/"),
            "\(plan.out)")
        #expect(
            plan.out.contains("project \(ner) export s3://\(Self.bucket)/annotations/ner-data-\(ner)/export/"),
            "\(plan.out)")
        #expect(plan.out.contains("Plan: 6 to create, 0 to update, 0 to delete, 0 to conflict."), "\(plan.out)")
        try fake.hook("/__faults", ["lose_create": 2, "rate_limit": 1, "html_500": 1])
        let apply = Self.run(["apply", "--yes"], state: state, fake: fake)
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        let storages = try fake.storages()
        #expect(
            storages.count == 7, "six storages once each, and the hand-made one: \(storages.map { $0["prefix"] ?? "" })"
        )
        #expect(storages.contains { $0["title"] as? String == "by hand" && $0["prefix"] as? String == "manual/" })
        let ours = storages.filter { ($0["title"] as? String)?.hasSuffix("(managed by oceanid-apply)") == true }
        #expect(ours.allSatisfy { $0["aws_access_key_id"] as? String == Self.keyId }, "keys sent on create")
        let imports = ours.filter { $0["direction"] as? String == "import" }
        #expect(
            imports.allSatisfy {
                $0["presign"] as? Bool == true && $0["use_blob_urls"] as? Bool == true
                    && $0["status"] as? String == "completed"
            })
        #expect(
            Set(try fake.state()["syncs"] as? [Int] ?? []) == Set(imports.compactMap { $0["id"] as? Int }),
            "each import storage synced once")
        // Exact paths: the import list with its slash, the export list without.
        let paths = try fake.state()["paths"] as? [String] ?? []
        #expect(paths.contains("POST /api/storages/s3/") && paths.contains("POST /api/storages/export/s3"))
        #expect(!paths.contains("POST /api/storages/export/s3/") && !paths.contains("POST /api/storages/s3"))
        #expect(!apply.out.contains(Self.secret) && !apply.err.contains(Self.secret) && !apply.out.contains(Self.token))
        let again = Self.run(["plan"], state: state, fake: fake, keys: false)
        #expect(again.status == 0, "\(again.out)\(again.err)")
    }

    @Test func placeholdersOwnershipDriftAndConflicts() throws {
        let fake = try Fake()
        let (ner, _) = try seeded(fake)
        // Ours but drifted (wrong region, never synced); ours but no longer declared; someone
        // else's on the place an export wants.
        try fake.hook(
            "/__storages",
            [
                "direction": "import", "project": ner, "title": "S3 import (managed by oceanid-apply)",
                "bucket": Self.bucket,
                "prefix": "in/\(ner)/", "region_name": "eu-west-1", "presign": true, "use_blob_urls": true,
                "aws_access_key_id": Self.keyId, "aws_secret_access_key": Self.secret,
            ])
        try fake.hook(
            "/__storages",
            [
                "direction": "export", "project": ner, "title": "old (managed by oceanid-apply)", "bucket": Self.bucket,
                "prefix": "old/",
            ])
        try fake.hook(
            "/__storages",
            [
                "direction": "export", "project": ner, "title": "exports by hand", "bucket": Self.bucket,
                "prefix": "out/ner-data-\(ner)",
            ])
        try fake.hook("/__objects", ["bucket": Self.bucket, "key": "in/\(ner)/a.json"])
        let state = try Self.stateFile([
            Self.import_(prefix: "in/{project_id}/"), Self.export(prefix: "out/{project}/"),
        ])
        defer { state.remove() }
        let plan = Self.run(["plan"], state: state, fake: fake)
        #expect(plan.status == 1, "\(plan.out)\(plan.err)")
        #expect(
            plan.out.contains("update   labelstudio project \(ner) import s3://\(Self.bucket)/in/\(ner)/")
                && plan.out.contains("region eu-west-1 → us-east-1, never synced: sync"), "\(plan.out)")
        #expect(plan.out.contains("delete   labelstudio project \(ner) export s3://\(Self.bucket)/old/"), "\(plan.out)")
        #expect(
            plan.out.contains("conflict labelstudio project \(ner) export s3://\(Self.bucket)/out/ner-data-\(ner)/"),
            "\(plan.out)")
        // Project 2's import prefix holds nothing: Label Studio refuses it, and says why.
        let apply = Self.run(["apply", "--yes"], state: state, fake: fake)
        #expect(apply.status == 1)
        #expect(
            apply.err.contains("not found.") && apply.err.contains("upload one there first")
                && apply.err.contains("done before it:"), "\(apply.err)")
        let storages = try fake.storages()
        #expect(storages.contains { $0["title"] as? String == "exports by hand" }, "the unowned storage is untouched")
        #expect(storages.first { $0["prefix"] as? String == "in/\(ner)/" }?["region_name"] as? String == "us-east-1")
    }

    @Test func aPersonalAccessTokenIsRefreshedAndSyncFailuresConverge() throws {
        let pat = "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl90eXBlIjoicmVmcmVzaCJ9.c2lnbmF0dXJl"
        let fake = try Fake(pat: pat)
        _ = try seeded(fake)
        let state = try Self.stateFile([Self.import_()])
        defer { state.remove() }
        try fake.hook("/__faults", ["expire_access": 1, "sync_fail": 1])
        let first = Self.run(["apply", "--yes"], state: state, fake: fake, token: pat)
        #expect(
            first.status == 1 && first.err.contains("sync of import storage") && first.err.contains("failed"),
            "\(first.out)\(first.err)")
        let plan = Self.run(["plan"], state: state, fake: fake, token: pat)
        #expect(plan.out.contains("last sync failed: sync"), "the failed sync is planned again: \(plan.out)")
        #expect(Self.run(["apply", "--yes"], state: state, fake: fake, token: pat).status == 0)
        #expect(Self.run(["plan"], state: state, fake: fake, token: pat).status == 0)
        #expect((try fake.state()["paths"] as? [String] ?? []).contains("POST /api/token/refresh"))
    }

    @Test func missingCredentialsStopBeforeAnyRequest() throws {
        let fake = try Fake()
        let state = try Self.stateFile([Self.import_()])
        defer { state.remove() }
        let noToken = Self.run(["plan"], state: state, fake: fake, token: nil)
        #expect(noToken.status == 1 && noToken.err.contains("LABEL_STUDIO_API_KEY is not set"), "\(noToken.err)")
        let noKeys = Self.run(["apply", "--yes"], state: state, fake: fake, keys: false)
        #expect(
            noKeys.status == 1
                && noKeys.err.contains("LABEL_STUDIO_AWS_ACCESS_KEY_ID and LABEL_STUDIO_AWS_SECRET_ACCESS_KEY"),
            "\(noKeys.err)")
        let wrong = Self.run(["plan"], state: state, fake: fake, token: "not-the-token")
        #expect(
            wrong.status == 1 && wrong.err.contains("HTTP 401") && wrong.err.contains("LABEL_STUDIO_API_KEY")
                && !wrong.err.contains("not-the-token"), "\(wrong.err)")
        #expect((try fake.state()["paths"] as? [String] ?? []).count == 1, "only the refused plan's first request")
    }

    @Test func unusableAnswersAreErrorsNotCrashes() throws {
        let fake = try Fake()
        _ = try seeded(fake)
        let state = try Self.stateFile([Self.import_()])
        defer { state.remove() }
        for fault in ["malformed", "drop_mid_body"] {
            try fake.hook("/__faults", [fault: 5])
            let run = Self.run(["plan"], state: state, fake: fake)
            #expect(run.status == 1, "\(fault): \(run.out)\(run.err)")
            #expect(
                run.err.contains(fault == "malformed" ? "not the documented JSON" : "no response"),
                "\(fault): \(run.err)")
            try fake.hook("/__faults", [fault: 0])
        }
    }

    @Test func slugsAndPrefixesFollowTheOldProvisioner() {
        #expect(LabelStudioClient.slugify("NER data") == "ner-data")
        #expect(LabelStudioClient.slugify("  Vessels: Ñandú 2025! ") == "vessels-nandu-2025")
        #expect(LabelStudioClient.slugify("a -- b__c") == "a-b__c" && LabelStudioClient.slugify("---") == "")
        let project = LabelStudioProject(id: 123, title: "NER data")
        #expect(
            LabelStudioPlanner.prefix("raw-uploads", direction: "import", project: project)
                == "raw-uploads/ner-data-123/import/")
        #expect(
            LabelStudioPlanner.prefix("annotations/", direction: "export", project: project)
                == "annotations/ner-data-123/export/")
        #expect(LabelStudioPlanner.prefix("", direction: "export", project: project) == "ner-data-123/export/")
        #expect(
            LabelStudioPlanner.prefix("p/{project}/in", direction: "import", project: project) == "p/ner-data-123/in")
        #expect(LabelStudioPlanner.prefix("p/{project_id}/", direction: "import", project: project) == "p/123/")
        #expect(LabelStudioProject(id: 7, title: "???").folder == "project-7")
    }
}
