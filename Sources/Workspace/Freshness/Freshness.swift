import Compiler
import Foundation

/// The no-op shortcut behind one door. The output is a function of the program (the
/// definitions are compiled in; `ProgramFingerprint.program` digests its sources),
/// `settings.yaml` and the committed inputs, which live under the output roots. When a
/// previous run found the tree exactly as generated from the same program and settings (the
/// stat cache's `CleanRecord`) and every file under the output roots is still what it saw,
/// the tree is up to date without compiling.
///
/// Used as a pair around the whole pipeline: `shortcut` before it (a hit replaces it; a miss
/// runs it through an `InputRecorder`, and `record` says what the run may file), `remember`
/// after it (the one piece of bookkeeping `build` and `check` share). Every failure is a
/// miss: a cache bug may cost time, never correctness.
public struct Freshness: Sendable {
    /// The oceanid-gen root.
    public let root: String
    /// What the output depends on besides the tree: the program and `settings.yaml`'s bytes
    /// (absent and empty differ). nil without a program digest: no shortcut, no record.
    public let fingerprint: String?

    /// - Parameter program: the program's source digest; nil turns the shortcut off.
    /// - Parameter settings: `settings.yaml`'s bytes as the compiler will see them (read once,
    ///   or a record could be filed under settings the output was not made from).
    public init(root: String, program: String?, settings: Data?) {
        self.root = root
        self.fingerprint = program.map { program in
            var bytes = Array("oceanid-gen inputs 1\nprogram \(program)\n".utf8)
            if let settings {
                bytes += Array("settings \(settings.count)\n".utf8) + [UInt8](settings)
            } else {
                bytes += Array("no settings\n".utf8)
            }
            return BlobID.of(bytes)
        }
    }

    /// Paths the shortcut compares: every output root, the manifest's folder (where an
    /// interrupted build's journal would be) and the owned files outside the roots themselves
    /// (not their folders: `.github/workflows/` also holds hand-written workflows, which no run
    /// vouches for, so comparing the folder would never let a clean record be taken).
    public static var comparedFolders: [String] {
        OutputLayout.Root.allCases.map(\.rawValue) + [String(OwnedManifest.path.prefix { $0 != "/" })]
            + OutputLayout.ownedFiles
    }

    /// The clean record when `source` is known to be exactly what these inputs generate: the
    /// work tree through its stat cache with every compared file unchanged, or a snapshot
    /// (index, HEAD) holding exactly the files, with the same ids, that a clean run found.
    /// nil means: run the pipeline.
    public func shortcut(_ source: TreeSource) -> CleanRecord? {
        guard let fingerprint else { return nil }
        switch source {
        case let cached as CachedTreeSource:
            return cached.cache.cleanTree(fingerprint: fingerprint, folders: Self.comparedFolders)
        case let snapshot as GitSnapshotSource:
            return StatCache(root: root).cleanSnapshot(
                fingerprint: fingerprint,
                entries: snapshot.entries(under: Self.comparedFolders))
        default:
            return nil
        }
    }

    /// The record a run that compiled may file once its tree is exactly as generated (see
    /// `remember`); nil when it may not: the compiler read outside the output roots, or a
    /// folder it listed changed before the plan looked at the tree (a migration dropped in
    /// mid-build was not compiled, so the run cannot vouch for the tree).
    public func record(
        files: Int, diagnostics: [Diagnostic], inputs: InputRecorder,
        source: TreeSource
    ) -> CleanRecord? {
        guard let fingerprint, !inputs.readOutsideRoots,
            inputs.listings.allSatisfy({ folders, listed in source.files(under: folders) == listed })
        else { return nil }
        return CleanRecord(fingerprint: fingerprint, files: files, diagnostics: diagnostics)
    }

    /// After a run against `source`: feeds its stat cache what the plan vouched for and what
    /// `apply` wrote (`written`, nil for a run that wrote nothing: `check`), files `record`
    /// when the tree is now exactly as generated, and saves the cache. Like `git status`
    /// refreshing the index, what a run read is known next time; a check that found
    /// differences leaves the cache as it was. Only a `CachedTreeSource` has a cache.
    public static func remember(
        _ plan: OutputPlan, in source: TreeSource, written: [WrittenFile]?,
        record: CleanRecord?
    ) {
        guard let cache = (source as? CachedTreeSource)?.cache else { return }
        // After apply the tree is the plan's files; without it, only when the plan is empty.
        let clean =
            plan.conflicts.isEmpty && plan.strays.isEmpty && plan.appendOnlyViolations.isEmpty
            && (written != nil || plan.isEmpty)
        guard written != nil || clean else { return }
        for (path, id) in plan.vouched { cache.confirm(path, id: id) }
        // Files read a moment after they were modified are looked at again once settled (at
        // most `StatCache.settling` of waiting), so a build right after another can record.
        if clean { cache.settle() }
        for file in written ?? [] { cache.wrote(file) }
        if clean, let record { cache.recordClean(record, folders: comparedFolders) }
        cache.save()
    }
}
