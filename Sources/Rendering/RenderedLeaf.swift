import DSL

/// Where one single-line value of a rendered tree sits: a scalar (or an empty list or map) that the
/// renderer wrote inline, after its key or dash (YAML) or as a value (JSON), alone on its line.
///
/// `YAMLRenderer.renderRecordingLeaves` and `JSONRenderer.fragmentRecordingLeaves` list them, so a reader
/// of a text that differs from a known tree's rendering only in such values (the base side of a plan,
/// where one field changed in thousands of files) can tell which value of the tree each differing line
/// holds, without parsing the text. Block scalars and non-empty collections are not leaves.
public struct RenderedLeaf: Equatable, Sendable {
    /// The entry or item index at each level from the root to the value (entries in the tree's order,
    /// whatever order the renderer writes them in).
    public var path: [Int]
    /// The bytes of the value's token in the rendering (no key, dash, comma or line break).
    public var range: Range<Int>

    /// A leaf at `path` whose token is `range` of the rendering.
    public init(path: [Int], range: Range<Int>) {
        self.path = path
        self.range = range
    }
}

/// Collects leaves while a renderer walks a tree: the path of the value being written, and each inline
/// value's token. Renderers take it optionally: nil (the usual rendering) records nothing.
final class LeafRecorder {
    var path: [Int] = []
    var leaves: [RenderedLeaf] = []

    func enter(_ index: Int) { path.append(index) }
    func leave() { path.removeLast() }
    func record(_ range: Range<Int>) { leaves.append(RenderedLeaf(path: path, range: range)) }
}
