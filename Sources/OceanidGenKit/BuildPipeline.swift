import Compiler
import DSL
import Emitters
import Foundation
import Workspace

/// The whole build, one stage per line, each a replaceable value (`compiler`, `emit`,
/// `checkFiles`; the writer's plan last):
///
///     settings.yaml ── SettingsFile.overrides ──► [SettingOverride]
///     FleetSource ── compiler (CompilerPipeline: define, resolve, check declarations,
///                    lower, check output) ──► FleetIR
///     FleetIR ── emit (OutputEmitters.emit) ──► [GeneratedFile]           (pure)
///     [GeneratedFile] ── checkFiles (OutputChecks: the secret scan) ──► [GeneratedFile]
///     [GeneratedFile] ── Workspace.plan ──► OutputPlan   (against the working tree, the index or HEAD)
///
/// Any error diagnostic stops before the plan: a fleet with errors writes nothing. `build`
/// applies the plan, `check` prints it, the golden tests compare its files: all three run
/// this same pipeline.
///
/// A run with nothing to do skips all of it: the output is a function of the program (the
/// definitions are compiled in, `programID`), `settings.yaml` and the committed inputs, which
/// live under the output roots. When a previous run found the tree exactly as generated
/// from the same program and settings (the stat cache's clean record) and every file under
/// the output roots is still what it saw, the tree is up to date without compiling anything.
public struct BuildPipeline: Sendable {
    public var definition: FleetDefinition
    public var root: String
    /// Identifies `definition` together with the code that compiles it (the running
    /// program's build ID when the definition is compiled in); nil turns the shortcut off.
    public var programID: String?

    /// The compiler's stages: `FleetSource` → `FleetIR`.
    public var compiler = CompilerPipeline()
    /// `FleetIR` → `[GeneratedFile]`: every emitter, pure.
    public var emit = Stage<FleetIR, [GeneratedFile]>("emit") { Staged(OutputEmitters.emit($0)) }
    /// `[GeneratedFile]` → `[GeneratedFile]`: the output checks of the files (the secret scan).
    public var checkFiles = Stage<[GeneratedFile], [GeneratedFile]>("check files", OutputChecks.check)

    public init(definition: FleetDefinition, root: String, programID: String? = nil) {
        self.definition = definition
        self.root = root
        self.programID = programID
    }

    public struct Generated: Sendable {
        public var diagnostics: [Diagnostic]
        /// nil when the fleet has errors.
        public var files: [GeneratedFile]?
        public var ir: FleetIR?
    }

    /// What a run decided: the diagnostics, the files, and the plan against a tree (nil when
    /// the fleet has errors).
    public struct Planned: Sendable {
        public var generated: Generated
        public var plan: OutputPlan?
        /// How many files the definitions generate (0 with errors).
        public var fileCount: Int
        /// The tree was found up to date from the clean record, without compiling.
        public var shortcut = false
        /// The inputs' fingerprint when this run may record the tree as clean once it is
        /// (inputs read only under the output roots).
        public var cleanFingerprint: String?

        /// What the stat cache records once the tree is exactly as generated.
        public var cleanRecord: StatCache.CleanRecord? {
            cleanFingerprint.map { StatCache.CleanRecord(fingerprint: $0, files: fileCount, diagnostics: generated.diagnostics) }
        }
    }

    /// `settings.yaml`'s bytes, nil when there is none. Read once per run: the fingerprint
    /// and the compiler must see the same bytes, or a clean record could be filed under
    /// settings the output was not made from.
    public func readSettings() -> Data? { FileManager.default.contents(atPath: "\(root)/\(SettingsFile.path)") }

    /// What the output depends on besides the tree: the program and `settings.yaml`'s
    /// bytes (absent and empty differ). nil without a `programID`.
    public func fingerprint(settings data: Data?) -> String? {
        guard let programID else { return nil }
        var bytes = Array("oceanid-gen inputs 1\nprogram \(programID)\n".utf8)
        if let data {
            bytes += Array("settings \(data.count)\n".utf8) + [UInt8](data)
        } else {
            bytes += Array("no settings\n".utf8)
        }
        return BlobID.of(bytes)
    }

    /// Folders the shortcut compares: every output root and the manifest's folder (where an
    /// interrupted build's journal would be).
    public static var comparedFolders: [String] {
        OutputLayout.Root.allCases.map(\.rawValue) + [String(OwnedManifest.path.prefix { $0 != "/" })]
    }

    /// The clean record when `source` is known to be up to date for `fingerprint` (see the
    /// type's note); nil when the pipeline must run.
    func upToDate(_ source: TreeSource, fingerprint: String) -> StatCache.CleanRecord? {
        switch source {
        case let worktree as WorktreeSource:
            return worktree.statCache?.cleanTree(fingerprint: fingerprint, folders: Self.comparedFolders)
        case let snapshot as GitSnapshotSource:
            return StatCache(root: root).cleanSnapshot(fingerprint: fingerprint, entries: snapshot.entries(under: Self.comparedFolders))
        default:
            return nil
        }
    }

    /// Compiles and emits in memory; reads `settings.yaml` and, through `inputs`, the
    /// committed files the compiler needs (the migration history). Writes nothing.
    public func generate(inputs: InputTree = EmptyInputTree()) -> Generated { generate(inputs: inputs, settings: readSettings()) }

    /// The same with `settings.yaml`'s bytes as read by the caller.
    func generate(inputs: InputTree, settings data: Data?) -> Generated {
        let settingsPath = "\(root)/\(SettingsFile.path)"
        var overrides: [SettingOverride] = []
        var diagnostics: [Diagnostic] = []
        if let data {
            (overrides, diagnostics) = SettingsFile.overrides(text: String(decoding: data, as: UTF8.self), file: settingsPath)
        }
        let compiled = compiler.run(FleetSource(definition, overrides: overrides, inputs: inputs))
        diagnostics = (diagnostics + compiled.diagnostics).sorted()
        guard let ir = compiled.ir, !diagnostics.hasErrors else {
            return Generated(diagnostics: diagnostics, files: nil, ir: nil)
        }
        let emitted = emit.run(ir)
        let checked = emitted.output.map(checkFiles.run)
        diagnostics = (diagnostics + emitted.diagnostics + (checked?.diagnostics ?? [])).sorted()
        guard let files = checked?.output, !diagnostics.hasErrors else { return Generated(diagnostics: diagnostics, files: nil, ir: nil) }
        return Generated(diagnostics: diagnostics, files: files, ir: ir)
    }

    /// Generates against `source` (its committed files are the inputs) and plans the changes
    /// that would make `source` what the definitions generate.
    public func plan(against source: TreeSource) throws -> Planned {
        let settings = readSettings()
        let fingerprint = fingerprint(settings: settings)
        if let fingerprint, let record = upToDate(source, fingerprint: fingerprint) {
            return Planned(generated: Generated(diagnostics: record.diagnostics, files: nil, ir: nil),
                           plan: OutputPlan(unchangedFiles: record.files), fileCount: record.files, shortcut: true)
        }
        let inputs = InputRecorder(source)
        let generated = generate(inputs: inputs, settings: settings)
        guard let files = generated.files else { return Planned(generated: generated, plan: nil, fileCount: 0) }
        let plan = try Workspace(root: root).plan(files, against: source)
        // The compiler listed its input folders before the plan looked at the tree: a file
        // that appeared in between (a migration dropped in mid-build) was not compiled, so
        // this run cannot vouch for the tree.
        let eligible = !inputs.readOutsideRoots && inputs.listings.allSatisfy { folders, listed in source.files(under: folders) == listed }
        return Planned(generated: generated, plan: plan, fileCount: files.count, cleanFingerprint: eligible ? fingerprint : nil)
    }
}

/// Passes the compiler's reads through and notes any outside the output roots, which the
/// clean record does not cover.
final class InputRecorder: InputTree, @unchecked Sendable {
    let base: InputTree
    private var outside = false
    private var listed: [([String], [String])] = []
    private let lock = NSLock()

    init(_ base: InputTree) { self.base = base }

    var readOutsideRoots: Bool { lock.withLock { outside } }
    /// What each `files(under:)` call answered.
    var listings: [([String], [String])] { lock.withLock { listed } }

    private func note(_ path: String) {
        let root = path.prefix { $0 != "/" }
        let inside = path.contains("/") && OutputLayout.Root(rawValue: String(root)) != nil && !path.split(separator: "/").contains("..")
        if !inside { lock.withLock { outside = true } }
    }

    func read(_ path: String) -> String? {
        note(path)
        return base.read(path)
    }

    func files(under folders: [String]) -> [String] {
        for folder in folders { note(folder + "/") }
        let files = base.files(under: folders)
        lock.withLock { listed.append((folders, files)) }
        return files
    }
}
