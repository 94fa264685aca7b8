import DSL
import Foundation

/// Where each setting's value goes, found by building the fleet again with the values marked:
/// a side table the lowering of the marked fleet fills (`FleetIR.traces`), which provenance
/// reads instead of guessing from text.
///
/// - A non-empty string setting's value is wrapped in two private-use characters that name
///   the setting (U+E000 or U+E001, then U+E100 + its index), so it keeps its text and its
///   marks through interpolation (`"https://gpu.\(base)"`), concatenation and every renderer:
///   YAML and JSON keep the private-use range as it is (YAML 1.2 §5.1 counts it printable).
/// - An integer setting's value is replaced by a number no fleet writes (`sentinel`), read
///   back as digits; arithmetic on it leaves no sentinel.
/// - Any other (an empty string, a boolean, a resources mapping), and any marked setting the
///   definitions read but whose marks reach no file (a value they split or compute with), is
///   changed on its own (`SettingTraces.variant(for:)`): what then differs from the real
///   output is what it feeds.
///
/// A definition that compares a marked value with a literal takes the other branch in the
/// traced build; only such a definition can make a trace wrong, never a coincidence of
/// values (two settings with the same value, a value of one character, a value a literal
/// repeats).
public struct SettingTracer: Sendable {
    /// Setting key by its tag (its index among the declared settings), for every setting
    /// whose value is marked: a string by the tag after its marks, an integer by the digits
    /// of `sentinel + tag * 1000`.
    public let tagged: [Int: String]
    /// The values with every traced setting marked.
    public let values: SettingValues
    /// Settings that cannot be marked, each with a value that differs from the real one.
    public let variants: [(key: String, values: SettingValues)]

    /// Integers `7910ttt000` are not ports, replicas or sizes any fleet declares; `ttt` is
    /// the tag.
    static let sentinel = 7_910_000_000

    /// Marks every non-secret setting of `defined` (its real values underneath).
    init(_ defined: DefinedFleet) {
        var overrides = defined.values.overrides
        var tagged: [Int: String] = [:]
        var variants: [(String, SettingValues)] = []
        for (index, setting) in defined.source.definition.settings.enumerated() where !setting.isSecret {
            guard let value = defined.values.overrides[setting.key] ?? setting.defaultValue,
                let tag = Unicode.Scalar(0xE100 + index)
            else { continue }
            switch (setting.typeName, value) {
            case (String.typeName, .string(let text)) where !text.isEmpty:
                let open = "\u{E000}\(Character(tag))"
                let close = "\u{E001}\(Character(tag))"
                overrides[setting.key] = .string(open + text + close)
                tagged[index] = setting.key
            case (Int.typeName, .int) where index < 1000, (Int.typeName, .string) where index < 1000:
                overrides[setting.key] = .int(Self.sentinel + index * 1000)
                tagged[index] = setting.key
            default:
                if let other = Self.variantValue(value) {
                    variants.append((setting.key, defined.values.overriding(setting.key, with: other)))
                }
            }
        }
        self.tagged = tagged
        self.values = SettingValues(overrides: overrides)
        self.variants = variants
    }

    /// Another value of the same kind: a boolean's other value, an empty string `1`, a string
    /// with every letter and digit moved one on (`https://10.43.0.1:443` becomes
    /// `iuuqt://21.54.1.2:554`, so every piece the definitions cut out of it changes while its
    /// punctuation stays), any other value as `SettingsBlame.perturbed` changes it.
    static func variantValue(_ tree: Tree) -> Tree? {
        switch tree {
        case .bool(let b): .bool(!b)
        case .string(""): .string("1")
        case .string(let text): .string(String(String.UnicodeScalarView(text.unicodeScalars.map(shifted))))
        default: SettingsBlame.perturbed(tree)
        }
    }

    /// The next letter or digit, wrapping (`z` → `a`, `9` → `0`); anything else as it is.
    static func shifted(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar {
        case "z": "a"
        case "Z": "A"
        case "9": "0"
        case "a"..."y", "A"..."Y", "0"..."8": Unicode.Scalar(scalar.value + 1) ?? scalar
        default: scalar
        }
    }

    /// The keys of the traced settings whose mark is in `text`, sorted. One pass over the
    /// UTF-8 bytes: a mark is U+E000 or U+E001 (`EE 80 80`, `EE 80 81`) followed by its tag,
    /// a sentinel the ten digits `7910ttt000` (the settings table asks this of every file).
    public func keys(in text: String) -> [String] {
        var found: Set<String> = []
        let prefix = Array(String(Self.sentinel / 1_000_000).utf8)  // "7910", then the tag and "000"
        var text = text
        text.withUTF8 { bytes in
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte == 0xEE, i + 5 < bytes.count, bytes[i + 1] == 0x80,
                    bytes[i + 2] == 0x80 || bytes[i + 2] == 0x81,
                    let tag = Self.scalar(bytes, at: i + 3), tag >= 0xE100
                {
                    if let key = tagged[Int(tag) - 0xE100] { found.insert(key) }
                    i += 6
                    continue
                }
                if byte == prefix[0], i + 10 <= bytes.count, i == 0 || !Self.isDigit(bytes[i - 1]),
                    prefix.indices.allSatisfy({ bytes[i + $0] == prefix[$0] }),
                    (4..<7).allSatisfy({ Self.isDigit(bytes[i + $0]) }),
                    (7..<10).allSatisfy({ bytes[i + $0] == UInt8(ascii: "0") }),
                    i + 10 == bytes.count || !Self.isDigit(bytes[i + 10])
                {
                    let tag = (4..<7).reduce(0) { $0 * 10 + Int(bytes[i + $1] - UInt8(ascii: "0")) }
                    if let key = tagged[tag] { found.insert(key) }
                    i += 10
                    continue
                }
                i += 1
            }
        }
        return found.sorted()
    }

    /// The three-byte UTF-8 scalar at `offset`, if one starts there.
    static func scalar(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt32? {
        guard offset + 2 < bytes.count, bytes[offset] & 0xF0 == 0xE0 else { return nil }
        return UInt32(bytes[offset] & 0x0F) << 12 | UInt32(bytes[offset + 1] & 0x3F) << 6
            | UInt32(bytes[offset + 2] & 0x3F)
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
}

/// The IRs provenance is read from: the fleet lowered with every traced setting marked, and
/// once per setting that cannot be marked with that setting changed. Not part of an IR's
/// equality: two equal fleets have equal IRs whatever their traces.
public final class SettingTraces: @unchecked Sendable {
    /// The marks.
    public let tracer: SettingTracer
    /// The IR with the marked values.
    public let traced: FleetIR
    /// The IR with one unmarkable setting changed, per such setting.
    public let variants: [(key: String, ir: FleetIR)]
    /// The settings the definitions read (a marked one whose marks reach no file was split or
    /// computed with: `variant(for:)` tells what it feeds).
    public let read: Set<String>
    let lower: @Sendable (String) -> FleetIR?
    private let lock = NSLock()
    private var found: [String: Set<String>]?

    init(
        tracer: SettingTracer, traced: FleetIR, variants: [(key: String, ir: FleetIR)], read: Set<String>,
        lower: @escaping @Sendable (String) -> FleetIR?
    ) {
        self.tracer = tracer
        self.traced = traced
        self.variants = variants
        self.read = read
        self.lower = lower
    }

    /// The IR with only `key` changed (`SettingTracer.variantValue`); nil for an undeclared or
    /// secret setting.
    public func variant(for key: String) -> FleetIR? { lower(key) }

    /// What the traces say feeds each generated path, computed once per IR (the docs' table and
    /// `explain` both ask; each answer re-emits the traced IR and every variant). Immutable
    /// otherwise; the lock only guards this memo.
    public func feeds(_ compute: () -> [String: Set<String>]) -> [String: Set<String>] {
        lock.lock()
        defer { lock.unlock() }
        if let found { return found }
        let computed = compute()
        found = computed
        return computed
    }
}
