import DSL
import Foundation
import Rendering
import Yams

extension FleetPlan {
    /// Every document of a YAML stream, parsed once, as the plain values the plan compares:
    /// mappings as `[String: Any]`, sequences as `[Any]`, scalars as their text exactly as written,
    /// and YAML's null (a plain `null`, `Null`, `NULL`, `~` or nothing;
    /// https://yaml.org/spec/1.2.2/#1032-tag-resolution) as `NSNull`; nil when the text does not parse
    /// (a mapping that repeats a key included: Yams refuses it).
    ///
    /// Built straight from libyaml's node tree (`Yams.compose_all` with the basic resolver): Yams'
    /// constructor (which resolves every scalar's type by regular expression) and a second pass
    /// re-keying its `[AnyHashable: Any]` are skipped, the costs of a plan whose change touches
    /// every file. A scalar's text is what the plan prints (`8080`, `true`), so an integer and the
    /// same digits quoted compare equal.
    static func yamlDocuments(_ text: String) -> [Any]? {
        // `.basic`: no implicit-type rules. libyaml's parser checks each mapping for duplicated keys
        // by hashing them, which with the default resolver runs up to seven regular expressions per
        // key (half of parsing); only null is resolved, here, by the plain-scalar test below. UTF-8
        // given: the default encoding reads the process environment on every parser (5%).
        guard var stream = try? Yams.compose_all(yaml: text, .basic, .default, .utf8) else { return nil }
        var documents: [Any] = []
        while let node = stream.next() { documents.append(plainValue(node)) }
        // The sequence ends at the first document that does not parse, keeping the error.
        return stream.error == nil ? documents : nil
    }

    /// The plain scalars YAML reads as null (the core schema's null).
    static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    /// One node as a plain value (see `yamlDocuments`).
    static func plainValue(_ node: Yams.Node) -> Any {
        switch node {
        case .scalar(let scalar):
            return scalar.style == .plain && nullWords.contains(scalar.string) ? NSNull() : scalar.string
        case .mapping(let mapping):
            var object: [String: Any] = [:]
            object.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                let name = key.scalar?.string ?? "\(plainValue(key))"
                if object[name] == nil { object[name] = plainValue(value) }
            }
            return object
        case .sequence(let sequence):
            return sequence.map(plainValue)
        case .alias:
            // libyaml's parser resolves aliases to their anchored node; one left here has no value.
            return NSNull()
        }
    }

    /// A tree as `yamlDocuments` reads its `YAMLRenderer` rendering: strings as they are, other scalars as
    /// the text the renderer writes for them (`8080`, `true`, `0.5`), null as `NSNull`, mappings as
    /// `[String: Any]`, sequences as `[Any]`. A repeated key, which the compiler refuses and the parser too,
    /// keeps its first value.
    static func yamlValue(_ tree: Tree) -> Any {
        switch tree {
        case .string(let text): return text
        case .null: return NSNull()
        case .int, .double, .bool: return YAMLRenderer.inlineToken(tree) ?? ""
        case .list(let items): return items.map(yamlValue)
        case .map(let entries):
            var object: [String: Any] = [:]
            object.reserveCapacity(entries.count)
            for entry in entries where object[entry.key] == nil { object[entry.key] = yamlValue(entry.value) }
            return object
        }
    }
}
