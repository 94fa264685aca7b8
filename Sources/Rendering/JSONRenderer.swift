import DSL
import Foundation

/// The one JSON renderer (RFC 8259): objects with sorted keys, two-space indentation,
/// `"key": value`, a final newline. Trees are rendered directly, like YAML (the OPA input of
/// 10,000 apps is 30,000 objects: a direct renderer is many times faster than an encoder);
/// `Codable` values (the cloud state) go through Foundation's `JSONEncoder` into a tree
/// first, so both spell JSON the same way. Same value, same bytes.
public enum JSONRenderer {
    public static func render(_ tree: Tree) -> String {
        var out = ""
        out.reserveCapacity(4096)
        write(tree, indent: 0, into: &out)
        out += "\n"
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
        guard let data = try? encoder.encode(value), let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
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

    private static func write(_ tree: Tree, indent: Int, into out: inout String) {
        switch tree {
        case .string(let s): string(s, into: &out)
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .list(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "[\n"
            for (i, item) in items.enumerated() {
                pad(indent + 1, into: &out)
                write(item, indent: indent + 1, into: &out)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            pad(indent, into: &out)
            out += "]"
        case .map(let entries):
            guard !entries.isEmpty else { out += "{}"; return }
            out += "{\n"
            let sorted = entries.sorted { $0.key < $1.key }
            for (i, entry) in sorted.enumerated() {
                pad(indent + 1, into: &out)
                string(entry.key, into: &out)
                out += ": "
                write(entry.value, indent: indent + 1, into: &out)
                out += i + 1 < sorted.count ? ",\n" : "\n"
            }
            pad(indent, into: &out)
            out += "}"
        }
    }

    private static func pad(_ level: Int, into out: inout String) {
        for _ in 0..<level { out += "  " }
    }

    /// A JSON string: `"` and `\` escaped, control characters as `\n`, `\t`, ... or `\u00XX`.
    private static func string(_ s: String, into out: inout String) {
        out += "\""
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x22 && $0 != 0x5C }) {
            out += s
        } else {
            for scalar in s.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
        }
        out += "\""
    }
}
