import DSL

/// The one YAML text renderer: block style, keys in the tree's order, sequences in the
/// kubectl style (`- ` at the parent key's indentation), and a quoting rule that YAML 1.1
/// and 1.2 readers both take as strings.
///
/// Direct rendering is 20-30x faster than Yams' encoders on these machines (DESIGN.md);
/// every generated file is parsed back with Yams in the tests to prove the quoting.
public enum YAMLRenderer {
    /// Renders one document, ending in a newline.
    public static func render(_ tree: Tree) -> String {
        // Into bytes, then one String: small appends to a String re-check its storage each time.
        String(decoding: document(tree, recorder: nil), as: UTF8.self)
    }

    /// The bytes `render(tree)` gives, with every value written inline (`inlineToken`) as a leaf: its path
    /// and where its token is. A document that is a scalar itself has no leaves.
    public static func renderRecordingLeaves(_ tree: Tree) -> (bytes: [UInt8], leaves: RenderedLeaves) {
        let recorder = LeafRecorder()
        return (document(tree, recorder: recorder), recorder.leaves)
    }

    /// One document's bytes: a mapping or sequence as a block, anything else on one line.
    private static func document(_ tree: Tree, recorder: LeafRecorder?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        switch tree {
        case .map(let entries) where !entries.isEmpty:
            emitMap(entries, indent: 0, leadWritten: false, into: &out, recorder: recorder)
        case .list(let items) where !items.isEmpty:
            emitList(items, indent: 0, leadWritten: false, into: &out, recorder: recorder)
        default:
            // Scalars and empty collections all have a single-line form.
            out.append(contentsOf: (inline(tree) ?? "").utf8)
            out.append(10)
        }
        return out
    }

    /// What follows `key: ` or `- ` when `value` is written on its key's or dash's line: a scalar or an
    /// empty collection; nil for the values written as a block below it (a non-empty mapping or sequence,
    /// a multi-line string as a `|` block).
    public static func inlineToken(_ value: Tree) -> String? {
        switch value {
        case .map(let entries) where !entries.isEmpty: return nil
        case .list(let items) where !items.isEmpty: return nil
        case .string(let s) where blockLiteralFits(s): return nil
        default: return inline(value) ?? "null"
        }
    }

    /// `count` spaces.
    @inline(__always) private static func pad(_ count: Int, into out: inout [UInt8]) {
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }

    /// `leadWritten`: the first line's indentation is already written (a sequence item's `- `), so the first
    /// entry starts right there.
    private static func emitMap(
        _ entries: [Tree.Entry], indent: Int, leadWritten: Bool, into out: inout [UInt8],
        recorder: LeafRecorder? = nil
    ) {
        for (i, entry) in entries.enumerated() {
            if i > 0 || !leadWritten { pad(indent, into: &out) }
            out.append(contentsOf: scalar(entry.key).utf8)
            out.append(UInt8(ascii: ":"))
            recorder?.enter(i)
            emitValue(
                entry.value, indent: indent, nestedIndent: indent + 2, sequenceIndent: indent, into: &out,
                recorder: recorder)
            recorder?.leave()
        }
    }

    private static func emitList(
        _ items: [Tree], indent: Int, leadWritten: Bool, into out: inout [UInt8], recorder: LeafRecorder? = nil
    ) {
        for (i, item) in items.enumerated() {
            if i > 0 || !leadWritten { pad(indent, into: &out) }
            recorder?.enter(i)
            switch item {
            case .map(let entries) where !entries.isEmpty:
                out.append(contentsOf: "- ".utf8)
                emitMap(entries, indent: indent + 2, leadWritten: true, into: &out, recorder: recorder)
            case .list(let nested) where !nested.isEmpty:
                out.append(contentsOf: "- ".utf8)
                emitList(nested, indent: indent + 2, leadWritten: true, into: &out, recorder: recorder)
            default:
                out.append(UInt8(ascii: "-"))  // then the value writes " x" or " |"
                emitValue(
                    item, indent: indent, nestedIndent: indent + 2, sequenceIndent: indent + 2, into: &out,
                    recorder: recorder)
            }
            recorder?.leave()
        }
    }

    /// Writes what follows a `key:` or `-`: an inline value (`inlineToken`), or a newline and a block.
    private static func emitValue(
        _ value: Tree, indent: Int, nestedIndent: Int, sequenceIndent: Int, into out: inout [UInt8],
        recorder: LeafRecorder?
    ) {
        if let token = inlineToken(value) {
            out.append(UInt8(ascii: " "))
            let start = out.count
            out.append(contentsOf: token.utf8)
            recorder?.record(start..<out.count)
            out.append(10)
            return
        }
        switch value {
        case .map(let entries):
            out.append(10)
            emitMap(entries, indent: nestedIndent, leadWritten: false, into: &out, recorder: recorder)
        case .list(let items):
            out.append(10)
            emitList(items, indent: sequenceIndent, leadWritten: false, into: &out, recorder: recorder)
        case .string(let s):
            out.append(contentsOf: (s.hasSuffix("\n") ? " |\n" : " |-\n").utf8)
            let body = s.hasSuffix("\n") ? String(s.dropLast()) : s
            for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
                if !line.isEmpty {
                    pad(nestedIndent, into: &out)
                    out.append(contentsOf: line.utf8)
                }
                out.append(10)
            }
        default:
            preconditionFailure("inlineToken writes every other value")
        }
    }

    /// The single-line form of scalars and empty collections.
    static func inline(_ tree: Tree) -> String? {
        switch tree {
        case .string(let s): return scalar(s)
        case .int(let i): return String(i)
        case .double(let d): return number(d)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .map(let e) where e.isEmpty: return "{}"
        case .list(let l) where l.isEmpty: return "[]"
        default: return nil
        }
    }

    /// A string as a plain scalar when every YAML reader takes it as that same string,
    /// double-quoted otherwise.
    public static func scalar(_ s: String) -> String {
        isPlainSafe(s) ? s : quoted(s)
    }

    /// Words that YAML 1.1 reads as booleans or null.
    private static let reserved: Set<String> = ["y", "n", "yes", "no", "true", "false", "on", "off", "null"]
    /// Their first letters, lower case.
    private static let reservedInitials: Set<UInt8> = Set("yntfo".utf8)

    static func isPlainSafe(_ s: String) -> Bool {
        let utf8 = s.utf8
        guard let first = utf8.first, let last = utf8.last else { return false }
        if isDigit(first) { return isQuantityLike(Array(utf8)) }
        guard isLetter(first) || first == UInt8(ascii: "/") || first == UInt8(ascii: "_") else { return false }
        if last == UInt8(ascii: " ") || last == UInt8(ascii: ":") { return false }
        var previous: UInt8 = 0
        for b in utf8 {
            let allowed =
                isLetter(b) || isDigit(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
                || b == UInt8(ascii: "/") || b == UInt8(ascii: ":") || b == UInt8(ascii: "@") || b == UInt8(ascii: "=")
                || b == UInt8(ascii: "+") || b == UInt8(ascii: ",") || b == UInt8(ascii: " ") || b == UInt8(ascii: "(")
                || b == UInt8(ascii: ")") || b == UInt8(ascii: "%")
            if !allowed { return false }
            if previous == UInt8(ascii: ":") && b == UInt8(ascii: " ") { return false }  // ": " starts a mapping
            if previous == UInt8(ascii: " ") && b == UInt8(ascii: " ") { return false }  // keep runs of spaces quoted
            previous = b
        }
        // Every reserved word starts with y, n, t, f or o: other keys skip lowercasing (most keys are short).
        if utf8.count <= 5, reservedInitials.contains(first | 0x20), reserved.contains(s.lowercased()) { return false }
        return true
    }

    @inline(__always) private static func isLetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
    @inline(__always) private static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }

    /// `500m`, `256Mi`, `1.5Gi`: digits then letters, never a YAML number form.
    private static func isQuantityLike(_ bytes: [UInt8]) -> Bool {
        guard bytes[0] != 48 else { return false }  // 0x.., 0o.., 0b.., 0755: leave to quotes
        var i = 0
        var sawDot = false
        while i < bytes.count, (bytes[i] >= 48 && bytes[i] <= 57) || (bytes[i] == 46 && !sawDot) {
            if bytes[i] == 46 { sawDot = true }
            i += 1
        }
        guard i < bytes.count, bytes[i - 1] != 46 else { return false }
        let letters = bytes[i...]
        guard letters.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) else { return false }
        // "1e" is a string, but an exponent letter at the end is the only YAML number trap left.
        return !(letters.count == 1 && (letters.first == 101 || letters.first == 69))
    }

    /// A multi-line string reads best as a `|` block, when the block can hold it exactly.
    private static func blockLiteralFits(_ s: String) -> Bool {
        // A byte scan first: this runs for every string rendered, almost none multi-line.
        guard s.utf8.contains(10) else { return false }
        // Leading spaces would be taken as indentation; a leading tab is refused by Go's YAML
        // reader (kustomize: "found a tab character where an indentation space is expected").
        guard !s.hasPrefix("\n"), !s.hasPrefix(" "), !s.hasPrefix("\t"), !s.hasSuffix("\n\n") else { return false }
        // Only printable characters survive a block unchanged; line separators would split it.
        for scalar in s.unicodeScalars where scalar != "\n" && (!isPrintable(scalar) || isLineBreakLike(scalar)) {
            return false
        }
        // A trailing-space-only last line or a line of spaces before the end would change meaning.
        let body = s.hasSuffix("\n") ? String(s.dropLast()) : s
        return !body.hasSuffix(" ")
    }

    /// A double-quoted scalar: every character that is not printable in YAML 1.1 and 1.2
    /// (C0 and C1 controls, DEL, the byte-order mark, the noncharacters U+FFFE/U+FFFF) is
    /// escaped, so libyaml, PyYAML and kubectl read back exactly the same string.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            case "\u{85}": out += "\\N"
            case "\u{2028}": out += "\\L"
            case "\u{2029}": out += "\\P"
            default:
                if isPrintable(scalar) && scalar != "\u{FEFF}" {
                    out.unicodeScalars.append(scalar)
                } else {
                    out += escape(scalar)
                }
            }
        }
        return out + "\""
    }

    /// `\xNN` for one byte, `\uNNNN` for the rest of the Basic Multilingual Plane, `\UNNNNNNNN` beyond.
    private static func escape(_ scalar: Unicode.Scalar) -> String {
        let (prefix, width) = scalar.value <= 0xFF ? ("\\x", 2) : scalar.value <= 0xFFFF ? ("\\u", 4) : ("\\U", 8)
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return prefix + String(repeating: "0", count: max(0, width - hex.count)) + hex
    }

    /// YAML's printable set (YAML 1.2 §5.1, the same as 1.1's): tab, LF, CR, 0x20-0x7E, NEL,
    /// 0xA0-0xD7FF, 0xE000-0xFFFD and the astral planes.
    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// Characters a reader may treat as a line break or stream mark inside a block scalar.
    private static func isLineBreakLike(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\r" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" || scalar == "\u{FEFF}"
    }

    /// A float that YAML 1.1 readers (PyYAML) also read as a number: their grammar needs a
    /// '.' in the mantissa and a sign in the exponent, so `1e-07` is written `1.0e-07`.
    static func number(_ d: Double) -> String {
        if d.isNaN { return ".nan" }
        if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
        var text = String(d)
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = text[..<e]
            let exponent = text[text.index(after: e)...]
            let signed = exponent.first == "-" || exponent.first == "+" ? String(exponent) : "+" + exponent
            text = (mantissa.contains(".") ? String(mantissa) : mantissa + ".0") + "e" + signed
        } else if !text.contains(".") {
            text += ".0"
        }
        return text
    }
}
