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

/// The leaves of one rendering, in the order written (so by increasing offset). Paths are kept as a tree of
/// frames (each entered map entry or list item once, with its parent), so recording a leaf costs two
/// appends whatever its depth: a plan records the leaves of thousands of renderings.
public struct RenderedLeaves: RandomAccessCollection, Equatable, Sendable {
    /// Each leaf's token, in the rendering.
    public private(set) var ranges: [Range<Int>] = []
    /// Each leaf's frame: the map entry or list item it is the value of (-1: the root itself).
    private var frames: [Int] = []
    /// Each frame's parent frame (-1: the root) and its entry or item index there.
    private var parents: [(parent: Int, index: Int)] = []
    /// The frame being written (-1: the root).
    private var current = -1

    /// No leaves.
    public init() {}

    /// The first leaf's index: 0.
    public var startIndex: Int { 0 }
    /// One past the last leaf's index: the number of leaves.
    public var endIndex: Int { ranges.count }

    /// The leaf at `index`.
    public subscript(index: Int) -> RenderedLeaf { RenderedLeaf(path: path(index), range: ranges[index]) }

    /// The path of the leaf at `index`: entry and item indices from the root.
    public func path(_ index: Int) -> [Int] {
        var path: [Int] = []
        var frame = frames[index]
        while frame >= 0 {
            path.append(parents[frame].index)
            frame = parents[frame].parent
        }
        return path.reversed()
    }

    /// The same leaves with every range moved by `offset` bytes (the rendering placed after a header).
    public func shifted(by offset: Int) -> RenderedLeaves {
        var moved = self
        moved.ranges = ranges.map { ($0.lowerBound + offset)..<($0.upperBound + offset) }
        return moved
    }

    /// The same leaves: ranges and paths (however the frames were laid out).
    public static func == (a: RenderedLeaves, b: RenderedLeaves) -> Bool {
        a.ranges == b.ranges && a.indices.allSatisfy { a.path($0) == b.path($0) }
    }

    mutating func enter(_ index: Int) {
        parents.append((current, index))
        current = parents.count - 1
    }

    mutating func leave() { current = parents[current].parent }

    mutating func record(_ range: Range<Int>) {
        ranges.append(range)
        frames.append(current)
    }
}

/// Collects leaves while a renderer walks a tree: the path of the value being written, and each inline
/// value's token. Renderers take it optionally: nil (the usual rendering) records nothing.
final class LeafRecorder {
    var leaves = RenderedLeaves()

    func enter(_ index: Int) { leaves.enter(index) }
    func leave() { leaves.leave() }
    func record(_ range: Range<Int>) { leaves.record(range) }
}
