import DSL
import Foundation

/// The one JSON renderer (RFC 8259): objects with sorted keys, two-space indentation,
/// `"key": value`, a final newline. Trees are rendered directly, like YAML (the OPA input of
/// 10,000 apps is 30,000 objects: a direct renderer is many times faster than an encoder);
/// `Codable` values (the cloud state) go through Foundation's `JSONEncoder` into a tree
/// first, so both spell JSON the same way. Same value, same bytes.
public enum JSONRenderer {
    /// The tree as JSON: mapping keys sorted, two-space indentation, a final newline; the same tree
    /// always gives the same bytes.
    public static func render(_ tree: Tree) -> String {
        // Into bytes, then one String: appending small pieces to a String re-checks its
        // storage on every append (a tenth of a no-op build at 10,000 apps).
        var out: [UInt8] = []
        out.reserveCapacity(4096)
        write(tree, indent: 0, into: &out)
        out.append(10)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same bytes as `render(tree)`, with the items of the list under the top-level key `key` rendered by
    /// `items` (each item as `fragment(_:indent:)` at indent 2 writes it), so a caller can render a long list on
    /// several cores (the policy input's 30,000 objects at 10,000 apps). Without such a list: `render(tree)`.
    public static func render(_ tree: Tree, key: String, items: ([Tree]) -> [[UInt8]]) -> String {
        guard case .map(let entries) = tree, case .list(let list)? = tree[key], !list.isEmpty else {
            return render(tree)
        }
        let rendered = items(list)
        var out: [UInt8] = []
        out.reserveCapacity(rendered.reduce(4096) { $0 + $1.count + 6 })
        out.append(contentsOf: "{\n".utf8)
        let sorted =
            zip(entries, entries.dropFirst()).allSatisfy { $0.key < $1.key }
            ? entries : entries.sorted { $0.key < $1.key }
        for (i, entry) in sorted.enumerated() {
            pad(1, into: &out)
            string(entry.key, into: &out)
            out.append(contentsOf: ": ".utf8)
            if entry.key == key {
                out.append(contentsOf: "[\n".utf8)
                for (j, item) in rendered.enumerated() {
                    pad(2, into: &out)
                    out.append(contentsOf: item)
                    if j + 1 < rendered.count { out.append(UInt8(ascii: ",")) }
                    out.append(10)
                }
                pad(1, into: &out)
                out.append(UInt8(ascii: "]"))
            } else {
                write(entry.value, indent: 1, into: &out)
            }
            if i + 1 < sorted.count { out.append(UInt8(ascii: ",")) }
            out.append(10)
        }
        out.append(contentsOf: "}\n".utf8)
        return String(decoding: out, as: UTF8.self)
    }

    /// `tree` as it is written at nesting level `indent` (its first line unindented, the rest two spaces per
    /// level), without a final newline: one item of a list `render(_:key:items:)` assembles.
    public static func fragment(_ tree: Tree, indent: Int) -> [UInt8] {
        var out: [UInt8] = []
        write(tree, indent: indent, into: &out)
        return out
    }

    /// A `Codable` value, through `JSONEncoder` and the tree renderer.
    public static func render(_ value: some Encodable) -> String {
        render(tree(of: value))
    }

    /// A `Codable` value as the tree its JSON describes (keys sorted).
    public static func tree(of value: some Encodable) -> Tree {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value),
            let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else {
            preconditionFailure("the cloud state always encodes")
        }
        return tree(object)
    }

    /// Parsed JSON (Foundation's `JSONSerialization` objects) as a tree, keys sorted.
    public static func tree(_ object: Any) -> Tree {
        switch object {
        case let map as [String: Any]: return .map(map.keys.sorted().map { Tree.Entry($0, tree(map[$0]!)) })
        case let list as [Any]: return .list(list.map(tree))
        case let string as String: return .string(string)
        case let number as NSNumber:
            // The Objective-C type code tells a Bool ("c" or "B") from a number.
            switch String(cString: number.objCType) {
            case "c", "B": return .bool(number.boolValue)
            case "f", "d": return .double(number.doubleValue)
            default: return .int(number.intValue)
            }
        default: return .null
        }
    }

    /// The bytes `fragment(tree, indent:)` gives, with every scalar and empty collection (`token`) as a leaf:
    /// its path (entries in the tree's order, though written with keys sorted) and where its token is.
    public static func fragmentRecordingLeaves(_ tree: Tree, indent: Int) -> (bytes: [UInt8], leaves: RenderedLeaves) {
        var out: [UInt8] = []
        let recorder = LeafRecorder()
        write(tree, indent: indent, into: &out, recorder: recorder)
        return (out, recorder.leaves)
    }

    /// How a scalar or an empty collection is written, on its own line after its key or as an item; nil
    /// for a non-empty list or map.
    public static func token(_ value: Tree) -> [UInt8]? {
        switch value {
        case .string(let s):
            var out: [UInt8] = []
            string(s, into: &out)
            return out
        case .int(let i): return Array(String(i).utf8)
        case .double(let d): return Array((d.isFinite ? String(d) : "null").utf8)
        case .bool(let b): return Array((b ? "true" : "false").utf8)
        case .null: return Array("null".utf8)
        case .list(let items): return items.isEmpty ? Array("[]".utf8) : nil
        case .map(let entries): return entries.isEmpty ? Array("{}".utf8) : nil
        }
    }

    private static func write(_ tree: Tree, indent: Int, into out: inout [UInt8], recorder: LeafRecorder? = nil) {
        switch tree {
        case .list(let items) where !items.isEmpty:
            out.append(contentsOf: "[\n".utf8)
            for (i, item) in items.enumerated() {
                pad(indent + 1, into: &out)
                recorder?.enter(i)
                write(item, indent: indent + 1, into: &out, recorder: recorder)
                recorder?.leave()
                if i + 1 < items.count { out.append(UInt8(ascii: ",")) }
                out.append(10)
            }
            pad(indent, into: &out)
            out.append(UInt8(ascii: "]"))
        case .map(let entries) where !entries.isEmpty:
            out.append(contentsOf: "{\n".utf8)
            // Trees from the lowering are sorted already: sort only when they are not.
            let order =
                zip(entries, entries.dropFirst()).allSatisfy { $0.key < $1.key }
                ? nil : entries.indices.sorted { entries[$0].key < entries[$1].key }
            for i in entries.indices {
                let index = order?[i] ?? i
                pad(indent + 1, into: &out)
                string(entries[index].key, into: &out)
                out.append(contentsOf: ": ".utf8)
                recorder?.enter(index)
                write(entries[index].value, indent: indent + 1, into: &out, recorder: recorder)
                recorder?.leave()
                if i + 1 < entries.count { out.append(UInt8(ascii: ",")) }
                out.append(10)
            }
            pad(indent, into: &out)
            out.append(UInt8(ascii: "}"))
        case .string(let s):
            let start = out.count
            string(s, into: &out)
            recorder?.record(start..<out.count)
        default:
            let start = out.count
            out.append(contentsOf: token(tree)!)
            recorder?.record(start..<out.count)
        }
    }

    private static func pad(_ level: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`, ... or `\u00XX`.
    private static func string(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings need no escape: one pass over contiguous bytes decides.
        let plain =
            s.utf8.withContiguousStorageIfAvailable { bytes in
                !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
            } ?? s.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C })
        if plain {
            out.append(contentsOf: s.utf8)
        } else {
            for byte in s.utf8 {
                switch byte {
                case 0x22: out.append(contentsOf: "\\\"".utf8)
                case 0x5C: out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                case ..<0x20:
                    let hex = String(byte, radix: 16)
                    out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8)
                default: out.append(byte)  // UTF-8 of other scalars passes through unchanged
                }
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
