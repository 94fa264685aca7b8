import Compiler
import DSL

/// Which settings feed each generated file, read off the fleet's traces (`FleetIR.traces`,
/// made by the compiler's `SettingTracer`): what the settings table and `explain` report.
///
/// - A string or integer setting feeds a file when its mark is in the file as the traced
///   fleet generates it.
/// - Any other setting (an empty string, a boolean, a resources mapping), and a marked one
///   whose marks reach no file although the definitions read it (they split or computed with
///   it), feeds a file that differs (or exists on one side only) when the fleet is generated
///   with that setting changed.
/// - A secret feeds a file that names its ESC key (the reference is the key itself).
///
/// Pages under docs/ restate every value and are never attributed.
public struct Provenance: Sendable {
    /// Generated path → the keys of the settings that feed it, sorted.
    public let feeds: [String: [String]]
    let rows: [String: SettingRowIR]

    /// The provenance of `files` (what `ir` generates) from the IR's traces; without traces,
    /// only secrets are attributed.
    public init(ir: FleetIR, files: [GeneratedFile]) {
        rows = Dictionary(ir.settings.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let attributed = files.filter { !$0.path.hasPrefix(OutputLayout.Root.docs.rawValue + "/") }
        var feeds: [String: Set<String>] = [:]
        let secrets = ir.settings.filter(\.isSecret).map(\.key)
        for file in attributed {
            for key in secrets where TextSearch.contains(file.contents, key, word: true) {
                feeds[file.path, default: []].insert(key)
            }
        }
        if let traces = ir.traces {
            // The same for every caller: `files` are what `ir` generates.
            let traced = traces.feeds { Self.traced(traces, files: attributed) }
            feeds.merge(traced) { $0.union($1) }
        }
        self.feeds = feeds.mapValues { $0.sorted() }
    }

    /// What the traced IR and the variants say feeds each path of `attributed`.
    static func traced(_ traces: SettingTraces, files attributed: [GeneratedFile]) -> [String: Set<String>] {
        var feeds: [String: Set<String>] = [:]
        let paths = Set(attributed.map(\.path))
        var marked: Set<String> = []
        for file in OutputEmitters.artifacts(traces.traced) where paths.contains(file.path) {
            let keys = traces.tracer.keys(in: file.contents)
            marked.formUnion(keys)
            feeds[file.path, default: []].formUnion(keys)
        }
        let real = Dictionary(attributed.map { ($0.path, $0.contents) }, uniquingKeysWith: { a, _ in a })
        // A marked setting the definitions read whose marks reach no file was split or
        // computed with: what differs when it alone changes is what it feeds.
        let lost = Set(traces.tracer.tagged.values).subtracting(marked).intersection(traces.read).sorted()
        let variants = traces.variants + lost.compactMap { key in traces.variant(for: key).map { (key, $0) } }
        for (key, variant) in variants {
            let other = Dictionary(
                OutputEmitters.artifacts(variant).map { ($0.path, $0.contents) },
                uniquingKeysWith: { a, _ in a })
            for (path, text) in real where other[path].map({ !$0.utf8.elementsEqual(text.utf8) }) ?? true {
                feeds[path, default: []].insert(key)
            }
        }
        return feeds
    }

    /// The settings that feed `file`, by key.
    public func settings(feeding file: GeneratedFile) -> [SettingRowIR] {
        (feeds[file.path] ?? []).compactMap { rows[$0] }
    }
}
