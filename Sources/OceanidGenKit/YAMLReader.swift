import DSL
import Yams

/// Reads YAML (through libyaml) into the same ordered tree the compiler emits, so tests
/// can parse every generated file back and compare it with the IR.
public enum YAMLReader {
    /// All documents of a YAML stream.
    public static func documents(_ text: String) throws -> [Tree] {
        var out: [Tree] = []
        for node in try Yams.compose_all(yaml: text) {
            out.append(try tree(node))
        }
        return out
    }

    /// A node as a tree, resolving scalars by their YAML tag (int, bool, float, null, str).
    public static func tree(_ node: Yams.Node) throws -> Tree {
        switch node {
        case .scalar(let scalar):
            let tag = node.tag.description
            if tag.hasSuffix(":int"), let i = Int(scalar.string) { return .int(i) }
            if tag.hasSuffix(":bool"), let b = node.bool { return .bool(b) }
            if tag.hasSuffix(":float"), let d = node.float { return .double(d) }
            if tag.hasSuffix(":null") { return .null }
            return .string(scalar.string)
        case .mapping(let mapping):
            return .map(
                try mapping.map { k, v in
                    guard let key = k.string else { throw SettingError("mapping keys must be strings") }
                    return Tree.Entry(key, try tree(v))
                })
        case .sequence(let sequence):
            return .list(try sequence.map(tree))
        case .alias:
            throw SettingError("YAML aliases are not supported")
        }
    }
}
