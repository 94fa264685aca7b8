import DSL

/// Where each setting's value goes, found by building the fleet again with the values marked
/// (provenance as data, not guessed from text).
///
/// - A string setting's value is wrapped in two private-use characters that name the setting
///   (U+E000 or U+E001, then U+E100 + its index), so it keeps its text and its marks through
///   interpolation (`"https://gpu.\(base)"`), concatenation and every renderer: YAML and JSON
///   keep the private-use range as it is (YAML 1.2 §5.1 counts it printable).
/// - An integer setting's value is replaced by a number no fleet writes (`sentinel`), read
///   back as digits.
/// - Any other (a boolean, a resources mapping) is changed on its own (`variants`): what
///   differs from the real output is what it feeds.
///
/// A definition that compares a marked value with a literal takes the other branch in the
/// traced build; only such a definition can make a trace wrong, never a coincidence of
/// values (two settings with the same value, a value of one character, a value a literal
/// repeats).
public struct SettingTracer: Sendable {
    /// Setting key by its tag (its index among the declared settings), for every setting
    /// whose value is marked: a string by the tag after its marks, an integer by
    /// `sentinel + tag`.
    public let tagged: [Int: String]
    /// The values with every traced setting marked.
    public let values: SettingValues
    /// Settings that cannot be marked, each with a value that differs from the real one.
    public let variants: [(key: String, values: SettingValues)]

    /// Integers this large are not ports, replicas or sizes any fleet declares.
    static let sentinel = 7_919_000_000

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
            case (String.typeName, .string(let text)):
                let open = "\u{E000}\(Character(tag))"
                let close = "\u{E001}\(Character(tag))"
                overrides[setting.key] = .string(open + text + close)
                tagged[index] = setting.key
            case (Int.typeName, .int) where index < 1000, (Int.typeName, .string) where index < 1000:
                let number = Self.sentinel + index
                overrides[setting.key] = .int(number)
                tagged[index] = setting.key
            default:
                if let other = SettingsBlame.perturbed(value) ?? Self.flipped(value) {
                    variants.append((setting.key, defined.values.overriding(setting.key, with: other)))
                }
            }
        }
        self.tagged = tagged
        self.values = SettingValues(overrides: overrides)
        self.variants = variants
    }

    /// A boolean's other value.
    static func flipped(_ tree: Tree) -> Tree? {
        if case .bool(let b) = tree { return .bool(!b) }
        return nil
    }

    /// The keys of the traced settings whose mark is in `text`, sorted. One pass over the
    /// UTF-8 bytes: a mark is U+E000 or U+E001 (`EE 80 80`, `EE 80 81`) followed by its tag,
    /// a sentinel the digits of `sentinel + tag` (the settings table asks this of every file).
    public func keys(in text: String) -> [String] {
        var found: Set<String> = []
        let sentinelText = Array(String(Self.sentinel / 1000).utf8)  // "7919000", then three digits
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
                if byte == sentinelText[0], i + 10 <= bytes.count, i == 0 || !Self.isDigit(bytes[i - 1]),
                    sentinelText.indices.allSatisfy({ bytes[i + $0] == sentinelText[$0] }),
                    (7..<10).allSatisfy({ Self.isDigit(bytes[i + $0]) }),
                    i + 10 == bytes.count || !Self.isDigit(bytes[i + 10])
                {
                    let tag = (7..<10).reduce(0) { $0 * 10 + Int(bytes[i + $1] - 48) }
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
public final class SettingTraces: Sendable {
    /// The marks.
    public let tracer: SettingTracer
    /// The IR with the marked values.
    public let traced: FleetIR
    /// The IR with one unmarkable setting changed, per such setting.
    public let variants: [(key: String, ir: FleetIR)]

    init(tracer: SettingTracer, traced: FleetIR, variants: [(key: String, ir: FleetIR)]) {
        self.tracer = tracer
        self.traced = traced
        self.variants = variants
    }
}
