import Compiler
import Emitters
import Foundation
import Workspace

/// The two sides `FleetPlan.make` compares, read so that a file whose bytes did not change costs a
/// hash and nothing else: the base side is the committed tree of a revision, read through libgit2
/// (`GitRepository.entries(at:)` gives each path's blob id without reading a blob); a generated
/// file whose git blob id (`BlobID.of`: SHA-1 of `blob <size>\0` and the bytes, what
/// `git hash-object` prints; https://git-scm.com/book/en/v2/Git-Internals-Git-Objects) equals the
/// base's is left out of both sides, so it is never read, decoded or parsed. Only the files that
/// differ (and files only one side has) are in `base` and `head`.
struct FleetPlanInputs {
    /// Root-relative path → the base revision's text, for the paths that differ (absent: the
    /// base has no such file).
    var base: [String: String] = [:]
    /// Root-relative path → the generated text, for the paths that differ (absent: the head no
    /// longer generates it).
    var head: [String: String] = [:]
    /// How many generated files have the same bytes as the base's (skipped).
    var unchanged = 0
    /// The base as given, or `merge base with main (<12 hex digits>)`.
    var baseName = ""
    /// The base revision's settings.yaml (nil: it has none): where `plan` reads the approval policy
    /// from (`PlanApproval`), through the same snapshot as the base's files.
    var baseSettings: String?

    /// Why the base cannot be read; `plan` exits 4 (`ExitStatus.workspaceError`) with the message.
    struct Failure: Error, CustomStringConvertible {
        /// What went wrong, for stderr (`error: ` is prefixed there).
        var description: String
    }

    /// The base revision as far as it can be read before the head is generated: its snapshot, name and
    /// settings.yaml, and the paths its manifest owns. `plan` reads it while the definitions compile (the
    /// compile leaves one core idle much of the time).
    struct Base: @unchecked Sendable {
        /// The base's committed tree (read through libgit2; handed over once this read finished, so the
        /// repository is never used by two threads at once).
        var snapshot: GitSnapshotSource
        /// `FleetPlanInputs.baseName`.
        var name: String
        /// `FleetPlanInputs.baseSettings`.
        var settings: String?
        /// The paths the base's manifest owns; nil when it has none (then every file under the folders the
        /// head generates into).
        var owned: [String]?
        /// The base's policy inputs (`policy/input/*.json`), read ahead: one file restating every object
        /// (30 MB at 10,000 apps), which any change of an object changes.
        var prefetched: [String: String] = [:]
    }

    /// Reads the base revision (`base`: any name gitrevisions(7) takes; nil: the merge base of HEAD and
    /// `main`) of the repository holding `root`, everything but the files the head compares.
    ///
    /// - Throws: `Failure` when `root` is not inside a git repository, the revision is unknown,
    ///   HEAD and `main` share no history, or the tree cannot be read.
    static func readBase(root: String, base: String?) throws(Failure) -> Base {
        let repository: GitRepository
        let prefix: String
        do {
            guard let found = try GitRepository.discover(from: root), let relative = found.relativePath(root) else {
                throw Failure(description: "\(root) is not in a git repository; plan needs a base revision")
            }
            repository = found
            prefix = relative
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "\(error)")
        }
        let snapshot: GitSnapshotSource
        let name: String
        do {
            let revision = try base ?? repository.mergeBase("HEAD", "main")
            name = base ?? "merge base with main (\(revision.prefix(12)))"
            snapshot = GitSnapshotSource(
                name: revision, repository: repository, entries: try repository.entries(at: revision), prefix: prefix)
        } catch {
            throw Failure(description: "\(error)")
        }
        let owned = snapshot.read(OwnedManifest.path).flatMap { try? OwnedManifest.parse($0) }.map {
            Array($0.entries.keys)
        }
        var prefetched: [String: String] = [:]
        for path in snapshot.files(under: ["policy/input"]) where FleetPlan.isPolicyInput(path) {
            prefetched[path] = snapshot.read(path)
        }
        return Base(
            snapshot: snapshot, name: name, settings: snapshot.read(SettingsFile.path), owned: owned,
            prefetched: prefetched)
    }

    /// Reads the base revision (`base`: any name gitrevisions(7) takes; nil: the merge base of HEAD
    /// and `main`) of the repository holding `root` against the generated `files`.
    ///
    /// The base's generated paths are those its manifest (`.oceanid-gen/manifest`) owns: the
    /// hand-written files beside them (policy/guardrails.rego) are not the compiler's; without a
    /// manifest, every file under the output folders the head generates into.
    ///
    /// - Throws: `Failure` when `root` is not inside a git repository, the revision is unknown,
    ///   HEAD and `main` share no history, or the tree cannot be read.
    static func read(files: [GeneratedFile], root: String, base: String?) throws(Failure) -> FleetPlanInputs {
        read(files: files, base: try readBase(root: root, base: base))
    }

    /// The two sides of `files` against a base already read (`readBase`). `compared` is given the generated
    /// files that differ from the base's (those `head` will hold) as soon as the hashes say which, before the
    /// base's blobs are read: the caller can start on them meanwhile.
    static func read(
        files: [GeneratedFile], base: Base, compared: ([GeneratedFile]) -> Void = { _ in }
    ) -> FleetPlanInputs {
        var inputs = FleetPlanInputs()
        let snapshot = base.snapshot
        inputs.baseName = base.name
        inputs.baseSettings = base.settings
        var generated = Set<String>()
        generated.reserveCapacity(files.count)
        // Hashing every generated file (SHA-1 of 100 MB at 10,000 apps) on every core.
        let headIDs = Parallel.map(files) { BlobID.of($0.contents) }
        var differing: [String] = []
        var changed: [GeneratedFile] = []
        for (file, headID) in zip(files, headIDs) {
            generated.insert(file.path)
            let baseID = snapshot.blobID(file.path)
            if let baseID, baseID == headID {
                inputs.unchanged += 1
                continue
            }
            inputs.head[file.path] = file.contents
            changed.append(file)
            if baseID != nil {
                if let text = base.prefetched[file.path] {
                    inputs.base[file.path] = text
                } else {
                    differing.append(file.path)
                }
            }
        }
        compared(changed)
        for (path, text) in zip(differing, snapshot.readAll(differing)) { inputs.base[path] = text }
        // What the base generated and the head no longer does.
        let owned =
            base.owned
            ?? {
                let folders = Set(files.compactMap { $0.path.split(separator: "/").first.map(String.init) })
                    .filter { folder in generated.contains { $0.hasPrefix(folder + "/") } }
                return snapshot.files(under: folders.sorted())
            }()
        for path in owned where !generated.contains(path) {
            if let text = snapshot.read(path) { inputs.base[path] = text }
        }
        return inputs
    }
}
