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

/// The leaves of one rendering, in the order written (so by increasing offset), kept in three flat arrays
/// rather than one array per leaf's path: a plan records those of thousands of renderings.
public struct RenderedLeaves: RandomAccessCollection, Equatable, Sendable {
    /// Each leaf's token, in the rendering.
    public private(set) var ranges: [Range<Int>] = []
    /// Where each leaf's path ends in `components`.
    private var pathEnds: [Int] = []
    /// Every leaf's path, one after the other.
    private var components: [Int] = []

    /// No leaves.
    public init() {}

    /// The first leaf's index: 0.
    public var startIndex: Int { 0 }
    /// One past the last leaf's index: the number of leaves.
    public var endIndex: Int { ranges.count }

    /// The leaf at `index`.
    public subscript(index: Int) -> RenderedLeaf { RenderedLeaf(path: Array(path(index)), range: ranges[index]) }

    /// The path of the leaf at `index` (entry and item indices from the root), without copying it.
    public func path(_ index: Int) -> ArraySlice<Int> {
        components[(index == 0 ? 0 : pathEnds[index - 1])..<pathEnds[index]]
    }

    /// The same leaves with every range moved by `offset` bytes (the rendering placed after a header).
    public func shifted(by offset: Int) -> RenderedLeaves {
        var moved = self
        moved.ranges = ranges.map { ($0.lowerBound + offset)..<($0.upperBound + offset) }
        return moved
    }

    mutating func append(path: [Int], range: Range<Int>) {
        ranges.append(range)
        components.append(contentsOf: path)
        pathEnds.append(components.count)
    }
}

/// Collects leaves while a renderer walks a tree: the path of the value being written, and each inline
/// value's token. Renderers take it optionally: nil (the usual rendering) records nothing.
final class LeafRecorder {
    var path: [Int] = []
    var leaves = RenderedLeaves()

    func enter(_ index: Int) { path.append(index) }
    func leave() { path.removeLast() }
    func record(_ range: Range<Int>) { leaves.append(path: path, range: range) }
}
