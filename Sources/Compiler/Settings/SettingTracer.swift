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
    /// How a traced setting's value is recognized in text.
    public enum Mark: Hashable, Sendable {
        /// The two marks around a string value.
        case wrapped(open: String, close: String)
        /// The digits of an integer sentinel.
        case digits(String)
    }

    /// Setting key → its mark, for every traced setting.
    public let marks: [String: Mark]
    /// The values with every traced setting marked.
    public let values: SettingValues
    /// Settings that cannot be marked, each with a value that differs from the real one.
    public let variants: [(key: String, values: SettingValues)]

    /// Integers this large are not ports, replicas or sizes any fleet declares.
    static let sentinel = 7_919_000_000

    /// Marks every non-secret setting of `defined` (its real values underneath).
    init(_ defined: DefinedFleet) {
        var overrides = defined.values.overrides
        var marks: [String: Mark] = [:]
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
                marks[setting.key] = .wrapped(open: open, close: close)
            case (Int.typeName, .int), (Int.typeName, .string):
                let number = Self.sentinel + index
                overrides[setting.key] = .int(number)
                marks[setting.key] = .digits(String(number))
            default:
                if let other = SettingsBlame.perturbed(value) ?? Self.flipped(value) {
                    variants.append((setting.key, defined.values.overriding(setting.key, with: other)))
                }
            }
        }
        self.marks = marks
        self.values = SettingValues(overrides: overrides)
        self.variants = variants
    }

    /// A boolean's other value.
    static func flipped(_ tree: Tree) -> Tree? {
        if case .bool(let b) = tree { return .bool(!b) }
        return nil
    }

    /// The keys of the traced settings whose mark is in `text`, sorted.
    public func keys(in text: String) -> [String] {
        marks.compactMap { key, mark -> String? in
            switch mark {
            case .wrapped(let open, let close): text.contains(open) || text.contains(close) ? key : nil
            case .digits(let digits): text.contains(digits) ? key : nil
            }
        }.sorted()
    }
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
