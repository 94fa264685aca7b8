import DSL
import Foundation
import Rendering

/// Reads a text that is a known tree's rendering with some single-line values changed, without parsing
/// it: the base side of a plan, whose files differ from the head's in a field or two (a new image tag in
/// every Deployment: 10,000 files, each parsed by libyaml was most of such a plan).
///
/// Our renderers write every scalar and empty collection alone on its line, after its key or dash
/// (`RenderedLeaf`), and nothing else in the rendering depends on that value. So when `text` has the
/// rendering's lines except some lines that hold a leaf, each differing only in the leaf's token, and each
/// new token is exactly what the renderer writes for one value (the token is read, rendered again and
/// compared byte for byte: `Syntax.value`), then `text` is, byte for byte, the rendering of the known tree
/// with those values replaced, and the plan's parser (libyaml through Yams) reads it as that tree: every
/// rendering reads back as its tree (the renderers' round-trip tests, and the goldens parsed back), but for
/// the few values `Syntax.readsBack` names, for which the known tree is not used at all. Any other
/// difference (a line added or removed, a key renamed, a block scalar, a comment, another writer's layout)
/// gives nil, and the caller parses the text.
enum ScalarEditReader {
    /// How the text was written.
    enum Syntax {
        /// `YAMLRenderer`'s block style.
        case yaml
        /// `JSONRenderer`'s layout.
        case json

        /// The value the renderer writes as exactly `token`, nil when there is none or when a parser would
        /// not read it back as itself (`readsBack`).
        func value(_ token: ArraySlice<UInt8>) -> Tree? {
            let text = String(decoding: token, as: UTF8.self)
            for candidate in Self.candidates(text) where rendered(candidate).elementsEqual(token) {
                // (Not a ternary: `Tree` is nil-literal expressible, so `nil` there would be `.null`.)
                guard readsBack(candidate) else { return nil }
                return candidate
            }
            return nil
        }

        /// Whether the plan's parser reads this syntax's rendering of every value in `tree` back as that value,
        /// as the type's reasoning needs. Not quite always:
        /// - Yams makes its strings with Foundation, which drops a leading U+FEFF (see
        ///   EmittersTests/YAMLRendererTests.swift), in YAML and in JSON read through it;
        /// - the JSON renderer writes DEL, the C1 controls (NEL among them) and U+2028/U+2029 as they are,
        ///   as JSON allows (RFC 8259 section 7), and libyaml refuses DEL and C1 controls and takes NEL,
        ///   U+2028 and U+2029 as line breaks;
        /// - `Tree`'s `==` takes -0.0 for 0.0, which the plan's text compares as different.
        /// A tree holding any of these is left to the parser.
        func readsBack(_ tree: Tree) -> Bool {
            switch tree {
            case .string(let text): return readsBack(text)
            case .double(let number): return !(number == 0 && number.sign == .minus)
            case .list(let items): return items.allSatisfy(readsBack)
            case .map(let entries): return entries.allSatisfy { readsBack($0.key) && readsBack($0.value) }
            case .int, .bool, .null: return true
            }
        }

        private func readsBack(_ text: String) -> Bool {
            var utf8 = text.utf8.makeIterator()
            // U+FEFF in UTF-8.
            if utf8.next() == 0xEF, utf8.next() == 0xBB, utf8.next() == 0xBF { return false }
            guard self == .json else { return true }
            // DEL (7F), C1 controls (C2 80-9F), U+2028/U+2029 (E2 80 A8/A9): scanned as bytes, all ASCII mostly.
            var previous: (UInt8, UInt8) = (0, 0)
            for byte in text.utf8 {
                if byte == 0x7F { return false }
                if previous.1 == 0xC2, (0x80...0x9F).contains(byte) { return false }
                if previous == (0xE2, 0x80), byte == 0xA8 || byte == 0xA9 { return false }
                previous = (previous.1, byte)
            }
            return true
        }

        /// The token the renderer writes for `value` on its line.
        private func rendered(_ value: Tree) -> [UInt8] {
            switch self {
            case .yaml: return YAMLRenderer.inlineToken(value).map { Array($0.utf8) } ?? []
            case .json: return JSONRenderer.token(value) ?? []
            }
        }

        /// The values `text` may be the token of, most specific first: a quoted string, an empty collection, a
        /// boolean, null, an integer, a float, and the text itself as a plain string (YAML).
        private static func candidates(_ text: String) -> [Tree] {
            if text.hasPrefix("\"") { return unquoted(text).map { [.string($0)] } ?? [] }
            switch text {
            case "{}": return [.map([])]
            case "[]": return [.list([])]
            case "true": return [.bool(true)]
            case "false": return [.bool(false)]
            case "null": return [.null]
            default: break
            }
            var out: [Tree] = []
            if let number = Int(text) { out.append(.int(number)) }
            if text.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true, let number = Double(text) {
                out.append(.double(number))
            }
            out.append(.string(text))
            return out
        }

        /// A double-quoted string's value, undoing the escapes both renderers write (JSON's and YAML's
        /// double-quoted style share `\"`, `\\`, `\n`, `\t`, `\r`, `\uXXXX`; YAML adds `\0`, `\N`, `\L`, `\P`,
        /// `\xXX`, `\UXXXXXXXX`); nil for any other escape or an unclosed string. Whatever it returns is
        /// checked by rendering it again, so it needs to be right only for what the renderers write.
        static func unquoted(_ text: String) -> String? {
            var scalars = Array(text.unicodeScalars)
            guard scalars.count >= 2, scalars.first == "\"", scalars.last == "\"" else { return nil }
            scalars = Array(scalars.dropFirst().dropLast())
            var out = String.UnicodeScalarView()
            var index = 0
            func hex(_ width: Int) -> Unicode.Scalar? {
                guard index + width < scalars.count else { return nil }
                let digits = String(String.UnicodeScalarView(scalars[(index + 1)...(index + width)]))
                index += width
                return UInt32(digits, radix: 16).flatMap(Unicode.Scalar.init)
            }
            while index < scalars.count {
                let scalar = scalars[index]
                if scalar == "\"" { return nil }
                guard scalar == "\\" else {
                    out.append(scalar)
                    index += 1
                    continue
                }
                index += 1
                guard index < scalars.count else { return nil }
                let escaped: Unicode.Scalar?
                switch scalars[index] {
                case "\"": escaped = "\""
                case "\\": escaped = "\\"
                case "n": escaped = "\n"
                case "t": escaped = "\t"
                case "r": escaped = "\r"
                case "0": escaped = "\0"
                case "N": escaped = "\u{85}"
                case "L": escaped = "\u{2028}"
                case "P": escaped = "\u{2029}"
                case "x": escaped = hex(2)
                case "u": escaped = hex(4)
                case "U": escaped = hex(8)
                default: escaped = nil
                }
                guard let escaped else { return nil }
                out.append(escaped)
                index += 1
            }
            return String(out)
        }
    }

    /// A known tree with its rendering and leaves, as one file holds it (offsets into `bytes`).
    struct Known {
        /// The tree.
        var tree: Tree
        /// The text that holds its rendering.
        var bytes: [UInt8]
        /// Its leaves, in order, their ranges offsets into `bytes`.
        var leaves: RenderedLeaves
        /// How it was rendered.
        var syntax: Syntax

        /// `tree` as the single YAML document `text` holds after its generated header, nil when `text` is not
        /// exactly a header (comment lines) followed by `tree`'s rendering, or when the tree holds a value the
        /// parser would not read back as itself (`Syntax.readsBack`).
        static func yamlFile(_ tree: Tree, text: String) -> Known? {
            guard Syntax.yaml.readsBack(tree) else { return nil }
            let (body, leaves) = YAMLRenderer.renderRecordingLeaves(tree)
            let bytes = Array(text.utf8)
            let offset = bytes.count - body.count
            // The header: whole comment lines, its last one ended, so the rendering starts a line.
            guard offset >= 0, equal(bytes[offset...], body), offset == 0 || bytes[offset - 1] == 10,
                bytes[..<offset].split(separator: 10).allSatisfy({ $0.first == UInt8(ascii: "#") })
            else { return nil }
            return Known(
                tree: tree, bytes: bytes,
                leaves: leaves.shifted(by: offset),
                syntax: .yaml)
        }

        /// An item of a JSON list as `JSONRenderer.fragment(tree, indent:)` writes it, nil when `bytes`
        /// are not exactly that or the tree holds a value the parser would not read back (`Syntax.readsBack`).
        static func jsonFragment(_ tree: Tree, indent: Int, bytes: ArraySlice<UInt8>) -> Known? {
            guard Syntax.json.readsBack(tree) else { return nil }
            let (rendered, leaves) = JSONRenderer.fragmentRecordingLeaves(tree, indent: indent)
            guard equal(bytes, rendered) else { return nil }
            return Known(tree: tree, bytes: rendered, leaves: leaves, syntax: .json)
        }
    }

    /// The tree `text` holds when it is `known`'s text with only some leaves' tokens changed (see the type),
    /// nil otherwise.
    static func read(_ text: ArraySlice<UInt8>, known: Known) -> Tree? {
        var edits: [(path: [Int], value: Tree)] = []
        let readable = text.withUnsafeBufferPointer { text in
            known.bytes.withUnsafeBufferPointer { rendering in
                edited(text, rendering, leaves: known.leaves, syntax: known.syntax, into: &edits)
            }
        }
        guard readable else { return nil }
        var tree = known.tree
        for edit in edits {
            guard let replaced = replacing(tree, at: edit.path[...], with: edit.value) else { return nil }
            tree = replaced
        }
        return tree
    }

    /// Compares `text` with `rendering` line by line, adding the leaf edits that turn the one into the other
    /// to `edits`; false when some difference is not a leaf's token.
    private static func edited(
        _ text: UnsafeBufferPointer<UInt8>, _ rendering: UnsafeBufferPointer<UInt8>, leaves: RenderedLeaves,
        syntax: Syntax, into edits: inout [(path: [Int], value: Tree)]
    ) -> Bool {
        if same(text, 0, rendering, 0, count: text.count), text.count == rendering.count { return true }
        var start = 0
        var knownStart = 0
        var next = 0
        while true {
            let end = lineEnd(text, from: start)
            let knownEnd = lineEnd(rendering, from: knownStart)
            if end - start != knownEnd - knownStart || !same(text, start, rendering, knownStart, count: end - start) {
                // The one leaf on this line.
                let ranges = leaves.ranges
                while next < ranges.count, ranges[next].lowerBound < knownStart { next += 1 }
                guard next < ranges.count, ranges[next].upperBound <= knownEnd,
                    next + 1 == ranges.count || ranges[next + 1].lowerBound >= knownEnd
                else { return false }
                let range = ranges[next]
                let prefix = range.lowerBound - knownStart
                let suffix = knownEnd - range.upperBound
                guard end - start > prefix + suffix, same(text, start, rendering, knownStart, count: prefix),
                    same(text, end - suffix, rendering, range.upperBound, count: suffix),
                    let value = syntax.value(Array(text[(start + prefix)..<(end - suffix)])[...])
                else { return false }
                edits.append((leaves.path(next), value))
            }
            let done = end == text.count
            guard done == (knownEnd == rendering.count) else { return false }
            if done { return true }
            start = end + 1
            knownStart = knownEnd + 1
        }
    }

    /// The index of the line break ending the line that starts at `start`, or the end of `bytes`.
    static func lineEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard start < bytes.count, let base = bytes.baseAddress,
            let found = memchr(base + start, 10, bytes.count - start)
        else { return bytes.count }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Whether `count` bytes of `a` from `i` equal those of `b` from `j` (both in bounds).
    private static func same(
        _ a: UnsafeBufferPointer<UInt8>, _ i: Int, _ b: UnsafeBufferPointer<UInt8>, _ j: Int, count: Int
    ) -> Bool {
        guard count > 0 else { return true }
        guard i + count <= a.count, j + count <= b.count, let x = a.baseAddress, let y = b.baseAddress else {
            return false
        }
        return memcmp(x + i, y + j, count) == 0
    }

    /// Whether two byte sequences are equal (memcmp).
    static func equal(_ a: ArraySlice<UInt8>, _ b: [UInt8]) -> Bool {
        a.count == b.count
            && a.withUnsafeBufferPointer { x in b.withUnsafeBufferPointer { y in same(x, 0, y, 0, count: x.count) } }
    }

    /// `tree` with the value at `path` (entry and item indices) replaced by `value`; nil when there is none.
    static func replacing(_ tree: Tree, at path: ArraySlice<Int>, with value: Tree) -> Tree? {
        guard let first = path.first else { return value }
        switch tree {
        case .map(var entries) where entries.indices.contains(first):
            guard let child = replacing(entries[first].value, at: path.dropFirst(), with: value) else { return nil }
            entries[first].value = child
            return .map(entries)
        case .list(var items) where items.indices.contains(first):
            guard let child = replacing(items[first], at: path.dropFirst(), with: value) else { return nil }
            items[first] = child
            return .list(items)
        default:
            return nil
        }
    }
}
