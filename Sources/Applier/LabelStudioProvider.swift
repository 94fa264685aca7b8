import CloudState
import Foundation

/// Label Studio's S3 storages (`LabelStudioClient`): every project gets each declared storage.
/// Declared when the desired state has storages or a Label Studio URL (an emptied list still
/// removes the storages the applier made). Plan needs the API key; apply also needs the S3
/// keys that new storages are given, which Label Studio never returns.
struct LabelStudioProvider: Provider {
    static let name = "labelstudio"
    let title = "Label Studio"
    let credentials: [Credential]
    let state: LabelStudioState
    let client: LabelStudioClient
    /// The S3 keys new storages get (empty during plan, which never sends them).
    let keys: (id: String, secret: String)
    /// `--adopt`: an unowned storage reading a declared place is taken over in place.
    let adopt: Bool

    /// What one Label Studio change does.
    enum Operation {
        case create(LabelStudioStorage, project: Int, prefix: String)
        /// `fields`: the serializer's fields differ; `sync`: the storage was never synced, or its last sync failed.
        case update(live: LiveStorage, desired: LabelStudioStorage, prefix: String, fields: Bool, sync: Bool)
        case delete(LiveStorage, direction: String)
        /// A storage the applier does not own reads the same place.
        case conflict(LiveStorage)
    }

    init?(state: DesiredState, context: ProviderContext) {
        let studio = state.labelStudio
        guard !studio.storages.isEmpty || !studio.url.isEmpty else { return nil }
        var credentials: [Credential] = [
            .variable("LABEL_STUDIO_API_KEY", escKey: studio.apiToken?.escKey ?? "labelStudioApiKey")
        ]
        if context.command == .apply {
            let escKeys = studio.storages.first.map { "\($0.accessKeyId.escKey), \($0.secretAccessKey.escKey)" } ?? ""
            credentials.append(
                Credential(
                    variables: ["LABEL_STUDIO_AWS_ACCESS_KEY_ID", "LABEL_STUDIO_AWS_SECRET_ACCESS_KEY"],
                    whenMissing: "LABEL_STUDIO_AWS_ACCESS_KEY_ID and LABEL_STUDIO_AWS_SECRET_ACCESS_KEY "
                        + "must both be set for apply (the ESC keys \(escKeys))"))
        }
        self.credentials = credentials
        self.state = studio
        adopt = context.adopt
        keys = (context["LABEL_STUDIO_AWS_ACCESS_KEY_ID"], context["LABEL_STUDIO_AWS_SECRET_ACCESS_KEY"])
        client = LabelStudioClient(
            baseURL: context.variables["OCEANID_LABELSTUDIO_URL"] ?? studio.url,
            apiKey: context["LABEL_STUDIO_API_KEY"], client: context.client, retry: context.retry)
    }

    func plan() throws -> [Change<Operation>] {
        var changes = ChangeList<Operation>(provider: Self.name)
        for project in try client.projects().sorted(by: { $0.id < $1.id }) {
            for direction in ["import", "export"] {
                let live = try client.storages(project: project.id, direction: direction)
                var matched: Set<Int> = []
                for storage in state.storages where storage.direction == direction {
                    let prefix = LabelStudioPlanner.prefix(storage.prefix, direction: direction, project: project)
                    let object = "project \(project.id) \(direction) s3://\(storage.bucket)/\(prefix)"
                    let here = live.filter { LabelStudioPlanner.samePlace($0, bucket: storage.bucket, prefix: prefix) }
                    if let ours = here.first(where: LabelStudioPlanner.owned) {
                        matched.insert(ours.id)
                        let differences = LabelStudioClient.differences(ours, storage)
                        let needsSync = storage.syncOnCreate && (ours.last_sync == nil || ours.status == "failed")
                        guard !differences.isEmpty || needsSync else { continue }
                        let sync =
                            needsSync ? [ours.status == "failed" ? "last sync failed: sync" : "never synced: sync"] : []
                        changes.add(
                            .update, object, (differences + sync).joined(separator: ", "),
                            .update(
                                live: ours, desired: storage, prefix: prefix, fields: !differences.isEmpty,
                                sync: needsSync))
                    } else if let other = here.first, adopt {
                        // Adopted in place: PATCHed with the owned title (its ID and imported tasks kept).
                        matched.insert(other.id)
                        let differences = LabelStudioClient.differences(other, storage).filter {
                            !$0.hasPrefix("title ")
                        }
                        changes.add(
                            differences.isEmpty ? .adopt : .adoptUpdate, object,
                            (["storage \(other.id) kept, title '\(other.title ?? "")' → '\(storage.title)'"]
                                + differences).joined(separator: ", "),
                            .update(live: other, desired: storage, prefix: prefix, fields: true, sync: false))
                    } else if let other = here.first {
                        changes.add(
                            .conflict, object,
                            "storage \(other.id) '\(other.title ?? "")' reads the same place and is not the "
                                + "applier's; adopt it by ending its title with "
                                + "'\(LabelStudioStorage.ownershipSuffix.dropFirst())' "
                                + "or delete it (--adopt takes it over in place)", .conflict(other))
                    } else {
                        changes.add(
                            .create, object, "'\(storage.title)'" + (storage.syncOnCreate ? ", then sync" : ""),
                            .create(storage, project: project.id, prefix: prefix))
                    }
                }
                for stale in live where LabelStudioPlanner.owned(stale) && !matched.contains(stale.id) {
                    changes.add(
                        .delete, "project \(project.id) \(direction) s3://\(stale.bucket ?? "")/\(stale.prefix ?? "")",
                        "storage \(stale.id) no longer declared", .delete(stale, direction: direction))
                }
            }
        }
        return changes.changes
    }

    func apply(_ change: Change<Operation>) throws {
        switch change.step {
        case .create(let storage, let project, let prefix):
            let created = try client.create(storage, project: project, prefix: prefix, credentials: keys)
            guard storage.syncOnCreate else { return }
            do {
                try client.sync(created.id, direction: storage.direction)
            } catch {
                throw ProviderError(
                    "storage \(created.id) was created, but its first sync did not finish: \(error) "
                        + "(the next plan syncs it again)")
            }
        case .update(let live, let storage, let prefix, let fields, let sync):
            if fields { try client.update(live, to: storage, prefix: prefix) }
            if sync { try client.sync(live.id, direction: storage.direction) }
        case .delete(let live, let direction):
            try client.delete(live, direction: direction)
        case .conflict:
            break
        }
    }
}

/// Label Studio's storages: every project gets each declared storage, its prefix expanded for
/// that project. Storages are matched by project, direction, bucket and prefix; only those
/// whose title ends with the ownership suffix are changed or deleted, and a hand-made storage
/// reading the same place is a conflict (two import storages on one prefix import every task
/// twice).
enum LabelStudioPlanner {
    /// Ours: the title ends with the ownership suffix.
    static func owned(_ storage: LiveStorage) -> Bool {
        storage.title?.hasSuffix(LabelStudioStorage.ownershipSuffix) == true
    }

    /// The project's prefix: `{project}` → `<slug>-<id>`, `{project_id}` → `<id>`; without a
    /// placeholder `/<slug>-<id>/<direction>/` is appended (`raw-uploads` → `raw-uploads/ner-data-3/import/`).
    static func prefix(_ template: String, direction: String, project: LabelStudioProject) -> String {
        if template.contains("{project}") || template.contains("{project_id}") {
            return template.replacingOccurrences(of: "{project_id}", with: "\(project.id)").replacingOccurrences(
                of: "{project}", with: project.folder)
        }
        var base = template
        while base.hasSuffix("/") { base.removeLast() }
        return (base.isEmpty ? "" : base + "/") + project.folder + "/" + direction + "/"
    }

    /// Whether a live storage reads the same place as `bucket` and `prefix` (slashes aside).
    static func samePlace(_ live: LiveStorage, bucket: String, prefix: String) -> Bool {
        live.bucket == bucket
            && LabelStudioStorage.place(bucket: bucket, prefix: live.prefix ?? "")
                == LabelStudioStorage.place(bucket: bucket, prefix: prefix)
    }
}
