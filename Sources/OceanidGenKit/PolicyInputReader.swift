import Compiler
import DSL
import Foundation

/// Reads a guardrails input (`policy/input/<cluster>.json`) into a tree, parsing only the objects that differ
/// from a document already in memory (the head's, which the compiler built).
///
/// The compiler writes the file with `JSONRenderer`: keys sorted, two-space indentation, one value per line.
/// So in a file it wrote, the top-level `objects` list opens on the line `  "objects": [`, each of its items
/// runs from the line `    {` to the line `    }` (`    },` before another item), every line inside an item is
/// indented further, and the list closes on `  ]`. A JSON string holds no raw line break (control characters
/// are escaped, RFC 8259 section 7: https://www.rfc-editor.org/rfc/rfc8259#section-7), so cutting the text
/// at line breaks never cuts a value. An item whose bytes equal an item of the known document's rendering
/// parses to that item's value, so the known item is taken as it is; only the other items, and the rest of
/// the document (its `objects` emptied), are parsed, through the same reader as a whole file
/// (`YAMLReader`). A file in any other layout (hand-edited, compact, another writer) is parsed whole.
///
/// The tree is the one a whole parse gives, except that a reused item keeps the known document's key order
/// (the file's is sorted) and number spelling: lookups by key, which is all `Guardrails` does, see no
/// difference. A reused item also keeps its strings as the compiler built them where libyaml would refuse
/// or fold them (a raw DEL or C1 control, U+2028/U+2029, a leading U+FEFF; `ScalarEditReader.Syntax
/// .readsBack`): the whole parse would fail or read another string. An item read with changed values is
/// never one holding such a string.
enum PolicyInputReader {
    /// The items of a policy input's `objects` list, as byte ranges of the text, with where the list opens
    /// (just after its `[`) and closes (its `]`).
    struct Layout: Equatable {
        /// The index just after the list's `[`.
        var open: Int
        /// The index of the list's `]`.
        var close: Int
        /// Each item, from its `{` through its `}` (no comma, no line break).
        var items: [Range<Int>]
    }

    /// How a document was read: `reused` items came from the known document, `parsed` ones from the text;
    /// `whole` when the layout was not recognised and the text was parsed whole.
    struct Reading {
        /// The document; nil when the text does not parse.
        var document: Tree?
        /// Items taken from the known document.
        var reused = 0
        /// Items parsed from the text.
        var parsed = 0
        /// Items read as a known item with some values changed (`ScalarEditReader`), not parsed.
        var edited = 0
        /// The layout was not `JSONRenderer`'s: the text was parsed whole.
        var whole = false
        /// Indices (into the document's `objects`) of the items not taken from the known document, or taken
        /// more often than it holds them.
        var changed: [Int] = []
        /// The known document's items no item of the text took.
        var knownOnly: [Tree] = []
        /// Everything but `objects` has the same bytes as the known document's rendering.
        var sameRest = false
    }

    /// The document `text` holds, reusing the items of `known` (a document and its rendering by
    /// `JSONRenderer`, nil: none) whose bytes equal the text's, and reading an item that differs from the known
    /// item at its index only in some values as that item with those values (`ScalarEditReader`). Same result
    /// as `YAMLReader.documents(text)` (see the type's note on reused items); nil document when the text does
    /// not parse.
    static func read(_ text: String, known: (text: String, document: Tree)?) -> Reading {
        let bytes = Array(text.utf8)
        guard let layout = layout(bytes) else { return Reading(document: parseWhole(text), whole: true) }
        var reading = Reading()
        // The known items with their bytes, by position: an item that differs is read against the known item
        // at its index (`ScalarEditReader`), which it is when the change edited values but moved no object.
        var knownItems: [(bytes: ArraySlice<UInt8>, item: Tree)] = []
        if let known, let items = known.document["objects"]?.items {
            let knownBytes = Array(known.text.utf8)
            // A known text in another layout, or one that is not the document's rendering, reuses nothing.
            if let knownLayout = Self.layout(knownBytes), knownLayout.items.count == items.count {
                knownItems = zip(knownLayout.items, items).map { (knownBytes[$0], $1) }
                reading.sameRest =
                    bytes[..<layout.open].elementsEqual(knownBytes[..<knownLayout.open])
                    && bytes[layout.close...].elementsEqual(knownBytes[knownLayout.close...])
            }
        }
        // First by position: an item with the bytes of the known item at its index is that item (most items,
        // when no object was added or removed before them), taken without hashing.
        var objects = [Tree?](repeating: nil, count: layout.items.count)
        var taken = [Bool](repeating: false, count: knownItems.count)
        var unmatched: [Int] = []
        for (index, range) in layout.items.enumerated() {
            if index < knownItems.count, ItemBytes(bytes: knownItems[index].bytes) == ItemBytes(bytes: bytes[range]) {
                objects[index] = knownItems[index].item
                taken[index] = true
                reading.reused += 1
            } else {
                unmatched.append(index)
            }
        }
        // The rest by their bytes, against the known items not taken, each as often as the known document
        // holds it.
        var byBytes: [ItemBytes: (item: Tree, count: Int)] = [:]
        if !unmatched.isEmpty {
            for (index, item) in knownItems.enumerated() where !taken[index] {
                byBytes[ItemBytes(bytes: item.bytes), default: (item.item, 0)].count += 1
            }
        }
        var missing: [Int] = []
        for index in unmatched {
            let key = ItemBytes(bytes: bytes[layout.items[index]])
            if let found = byBytes[key] {
                objects[index] = found.item
                reading.reused += 1
                // One more than the known document holds: the same value, but the sets differ.
                if found.count == 0 { reading.changed.append(index) }
                byBytes[key]?.count = max(0, found.count - 1)
            } else {
                reading.changed.append(index)
                missing.append(index)
            }
        }
        // Differing items that are the known item at their index with some values changed: read, not parsed.
        let edited = Parallel.map(missing, minimum: 16) { [knownItems] index -> Tree? in
            guard index < knownItems.count,
                let same = ScalarEditReader.Known.jsonFragment(
                    knownItems[index].item, indent: 2, bytes: knownItems[index].bytes)
            else { return nil }
            return ScalarEditReader.read(bytes[layout.items[index]], known: same)
        }
        for (index, item) in zip(missing, edited) where item != nil { objects[index] = item }
        reading.edited = edited.count { $0 != nil }
        missing = missing.filter { objects[$0] == nil }
        reading.knownOnly = byBytes.values.flatMap { repeatElement($0.item, count: $0.count) }
        // The rest of the document with an empty `objects` list: `... "objects": [` then `]...`.
        let rest = Array(bytes[..<layout.open]) + Array(bytes[layout.close...])
        guard case .map(var entries)? = parseWhole(String(decoding: rest, as: UTF8.self)),
            let position = entries.firstIndex(where: { $0.key == "objects" })
        else { return Reading(document: nil) }
        if !missing.isEmpty {
            // The differing items as one list, parsed once (one parser, not one per item).
            var list: [UInt8] = [UInt8(ascii: "[")]
            for (n, index) in missing.enumerated() {
                if n > 0 { list.append(UInt8(ascii: ",")) }
                list.append(10)
                list += bytes[layout.items[index]]
            }
            list += [10, UInt8(ascii: "]")]
            guard let parsed = parseWhole(String(decoding: list, as: UTF8.self))?.items, parsed.count == missing.count
            else { return Reading(document: nil) }
            for (index, item) in zip(missing, parsed) { objects[index] = item }
            reading.parsed = missing.count
        }
        entries[position] = Tree.Entry("objects", .list(objects.compactMap { $0 }))
        reading.document = .map(entries)
        return reading
    }

    /// The denials of `reading`'s document, given the denials of the known document it was read against
    /// (`knownDenials`), evaluating only the objects whose verdicts can differ; nil when that cannot be told from
    /// the objects that differ (`Guardrails.evaluate` of the whole document then).
    ///
    /// The rules (`Guardrails`, policy/guardrails.rego) judge a workload by itself, the policy, the nodes and
    /// whether a NetworkPolicy lets its namespace reach the egress gateway; a Secret by itself; a Service by
    /// the workloads of its namespace; a DNS record by the cloud state and the tunnels. With the rest of the
    /// document byte for byte the known one's and no NetworkPolicy among the objects that differ, every object
    /// of a namespace no differing object is in is judged as in the known document, so its denials there
    /// stand; the objects of the other namespaces and every NetworkPolicy (the gateway's reachability) are
    /// evaluated, with the rest of the document (its DNS records).
    static func denials(_ reading: Reading, knownDenials: [Guardrails.Denial]) -> Set<String>? {
        guard reading.sameRest, case .map(var entries)? = reading.document,
            let position = entries.firstIndex(where: { $0.key == "objects" }),
            let objects = entries[position].value.items
        else { return nil }
        func field(_ tree: Tree?, _ key: String) -> String { tree?[key]?.stringValue ?? "" }
        let differing = reading.changed.map { objects[$0] } + reading.knownOnly
        guard !differing.contains(where: { field($0, "kind") == "NetworkPolicy" }) else { return nil }
        let namespaces = Set(differing.map { field($0["metadata"], "namespace") })
        let relevant = objects.filter { object in
            namespaces.contains(field(object["metadata"], "namespace")) || field(object, "kind") == "NetworkPolicy"
        }
        entries[position] = Tree.Entry("objects", .list(relevant))
        // A denial names its object as `namespace/name` (`Guardrails.key`); one naming none is the rest's.
        let standing = knownDenials.filter { denial in
            guard denial.kind != nil, let key = denial.key else { return false }
            return !namespaces.contains(String(key.prefix { $0 != "/" }))
        }
        return Set(standing.map(\.message)).union(Guardrails.evaluate(.map(entries)).map(\.message))
    }

    /// The first document of `text`, nil when it does not parse.
    static func parseWhole(_ text: String) -> Tree? { (try? YAMLReader.documents(text))?.first }

    /// The `objects` list of a text in `JSONRenderer`'s layout (see the type), nil in any other layout.
    static func layout(_ bytes: [UInt8]) -> Layout? {
        bytes.withUnsafeBufferPointer { layout(in: $0) }
    }

    private static func layout(in bytes: UnsafeBufferPointer<UInt8>) -> Layout? {
        let marker = Array("\n  \"objects\": [".utf8)
        guard let start = firstIndex(of: marker, in: bytes, from: 0),
            firstIndex(of: marker, in: bytes, from: start + 1) == nil
        else { return nil }
        let open = start + marker.count
        guard open < bytes.count else { return nil }
        // `[]`: an empty list on the same line.
        if bytes[open] == UInt8(ascii: "]") { return Layout(open: open, close: open, items: []) }
        guard bytes[open] == 10 else { return nil }
        let space = UInt8(ascii: " ")
        let brace = UInt8(ascii: "{")
        let closingBrace = UInt8(ascii: "}")
        let comma = UInt8(ascii: ",")
        var items: [Range<Int>] = []
        var itemStart: Int?
        var lineStart = open + 1
        while lineStart < bytes.count {
            let lineEnd = ScalarEditReader.lineEnd(bytes, from: lineStart)
            let length = lineEnd - lineStart
            var indent = 0
            // Only whether the indentation reaches 6 matters past 4 (inside an item).
            while indent < min(length, 6), bytes[lineStart + indent] == space { indent += 1 }
            // After the indentation: `{`, `{}`, `}` (each maybe with a comma).
            let rest = length - indent
            let first = rest > 0 ? bytes[lineStart + indent] : 0
            let second = rest > 1 ? bytes[lineStart + indent + 1] : 0
            if let begun = itemStart {
                if indent >= 6 {
                    // Inside the item.
                } else if indent == 4, first == closingBrace, rest == 1 || (rest == 2 && second == comma) {
                    items.append(begun..<(lineStart + 5))
                    itemStart = nil
                    if rest == 1 { return closing(bytes, after: lineEnd, open: open, items: items) }
                } else {
                    return nil
                }
            } else if indent == 4, first == brace, rest == 1 {
                itemStart = lineStart + 4
            } else if indent == 4, first == brace, second == closingBrace,
                rest == 2 || (rest == 3 && bytes[lineStart + 6] == comma)
            {
                items.append((lineStart + 4)..<(lineStart + 6))
                if rest == 2 { return closing(bytes, after: lineEnd, open: open, items: items) }
            } else {
                return nil
            }
            lineStart = lineEnd + 1
        }
        return nil
    }

    /// The layout when the line after `lineEnd` (the last item's) closes the list (`  ]`), else nil.
    private static func closing(
        _ bytes: UnsafeBufferPointer<UInt8>, after lineEnd: Int, open: Int, items: [Range<Int>]
    ) -> Layout? {
        let close = lineEnd + 3
        guard close < bytes.count, bytes[lineEnd + 1] == UInt8(ascii: " "), bytes[lineEnd + 2] == UInt8(ascii: " "),
            bytes[close] == UInt8(ascii: "]")
        else { return nil }
        return Layout(open: open, close: close, items: items)
    }

    /// Where `needle` first occurs in `haystack` at or after `from`.
    private static func firstIndex(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count, let base = haystack.baseAddress else {
            return nil
        }
        var index = from
        let last = haystack.count - needle.count
        while index <= last {
            // memchr for the first byte, memcmp for the rest.
            guard let hit = memchr(base + index, Int32(first), last - index + 1) else { return nil }
            let found = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            if needle.withUnsafeBytes({ memcmp(base + found, $0.baseAddress!, needle.count) }) == 0 { return found }
            index = found + 1
        }
        return nil
    }

    /// An item's bytes as a dictionary key: hashed and compared as raw memory (hashing an `ArraySlice`
    /// byte by byte was most of reading a base).
    struct ItemBytes: Hashable {
        /// The item's bytes.
        var bytes: ArraySlice<UInt8>

        func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }

        static func == (a: ItemBytes, b: ItemBytes) -> Bool {
            a.bytes.count == b.bytes.count
                && a.bytes.withUnsafeBytes { x in
                    b.bytes.withUnsafeBytes { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0
                    }
                }
        }
    }
}
