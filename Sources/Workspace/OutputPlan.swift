import Compiler

/// What a build would change in the output tree: a description of side effects that only
/// `Workspace.apply` carries out. `check` prints it instead of applying it.
public struct OutputPlan: Equatable, Sendable {
    /// What happens to one path. Updates and deletes say whether the file on disk was edited
    /// by hand since oceanid-gen last wrote it (its blob id is not the manifest's): `check` reports
    /// such a file as hand-edited rather than stale.
    public enum Change: Equatable, Sendable {
        case create
        /// `handEdited`: the file on disk is not what oceanid-gen last wrote.
        case update(handEdited: Bool)
        /// Removes an owned file that nothing generates any more; `handEdited` as for `update`.
        case delete(handEdited: Bool)
    }

    /// One file the plan writes or deletes, with both sides of the comparison for a diff. A file
    /// is listed only when its bytes differ from the generated ones (compared as bytes, never as
    /// `String`s). Only owned paths (or, after a lost manifest, files with the generated header)
    /// are updated, and only owned paths deleted.
    public struct Entry: Equatable, Sendable {
        /// Relative to the oceanid-gen root (`k8s/apps/label-studio/deployment.yaml`).
        public var path: String
        /// Create, update or delete.
        public var change: Change
        /// The generated contents (nil for deletes).
        public var contents: String?
        /// What is on disk now (nil for creates).
        public var current: String?
    }

    /// Sorted by path.
    public var entries: [Entry]
    /// The manifest after the build.
    public internal(set) var manifest: OwnedManifest
    /// `manifest.text`, spelled out once by the plan (40,000 lines at 10,000 apps) for the
    /// journal and the manifest file.
    var manifestText: String = ""
    /// Whether `.oceanid-gen/manifest` must be rewritten: its bytes differ from `manifest.text`, or an
    /// interrupted build left its journal (`OwnedManifest.journalPath`) to finish.
    public var manifestChanged: Bool
    /// Generated files that are already correct.
    public var unchanged: Int
    /// Generated paths occupied by files oceanid-gen did not write (never overwritten).
    public var conflicts: [String] = []
    /// Files carrying the generated header that nobody owns and nothing generates.
    public var strays: [String] = []
    /// Append-only files that are not what was written once: never rewritten, always reported.
    public var appendOnlyViolations: [AppendOnlyViolation] = []
    /// Files the plan read and found to be a known blob (path → blob id): what a stat cache
    /// may remember about them (`Freshness.remember`). The plan itself feeds no cache.
    public var vouched: [String: String] = [:]
    /// Draft append-only files (not in HEAD yet) this plan rewrites or prunes, like any
    /// generated file: what `build` names so nobody wonders where a migration went.
    public var drafts: Set<String> = []
    /// `.oceanid-gen/.gitattributes` is missing or not `OwnedManifest.attributes` (counted in
    /// `manifestChanged`, written with the manifest).
    public var attributesChanged = false

    /// Why an append-only file stops the build.
    public struct AppendOnlyViolation: Equatable, Sendable {
        /// Which way the file broke the policy; the raw value is the diagnostic's stable code.
        public enum Kind: String, Equatable, Sendable {
            /// Someone changed the file after it was written.
            case edited = "append-only-edited"
            /// The definitions now generate other bytes for it: a change must be a new file.
            case wouldChange = "append-only-changed"
            /// It is gone, and nothing generates it to restore it.
            case deleted = "append-only-deleted"
        }
        /// Relative to the oceanid-gen root.
        public var path: String
        /// Edited, would change or deleted.
        public var kind: Kind
        /// A violation of `kind` at `path`.
        public init(path: String, kind: Kind) {
            self.path = path
            self.kind = kind
        }
    }

    /// A tree already exactly as generated, `unchangedFiles` files.
    public init(unchangedFiles: Int) {
        self.init(entries: [], manifest: OwnedManifest(), manifestChanged: false, unchanged: unchangedFiles)
    }

    init(
        entries: [Entry], manifest: OwnedManifest, manifestText: String = "", manifestChanged: Bool, unchanged: Int,
        conflicts: [String] = [], strays: [String] = [], appendOnlyViolations: [AppendOnlyViolation] = [],
        vouched: [String: String] = [:]
    ) {
        self.entries = entries
        self.manifest = manifest
        self.manifestText = manifestText
        self.manifestChanged = manifestChanged
        self.unchanged = unchanged
        self.conflicts = conflicts
        self.strays = strays
        self.appendOnlyViolations = appendOnlyViolations
        self.vouched = vouched
    }

    /// Nothing to write (conflicts and strays are reported, never written).
    public var isEmpty: Bool { entries.isEmpty && !manifestChanged }
    /// The tree is exactly what the definitions generate.
    public var isClean: Bool { isEmpty && conflicts.isEmpty && strays.isEmpty && appendOnlyViolations.isEmpty }
    /// The entries that create a file, sorted by path.
    public var creates: [Entry] { entries.filter { $0.change == .create } }
    /// The entries that rewrite an owned file, sorted by path.
    public var updates: [Entry] { entries.filter { if case .update = $0.change { true } else { false } } }
    /// The entries that delete an owned file nothing generates any more, sorted by path.
    public var deletes: [Entry] { entries.filter { if case .delete = $0.change { true } else { false } } }
}
