/// A Kubernetes resource quantity (`500m`, `1.5`, `256Mi`, `1e3`) as a number of base
/// units, so requests and limits can be compared.
public enum Quantity {
    private static let suffixes: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
        ("Pi", 1_125_899_906_842_624), ("Ei", 1_152_921_504_606_846_976),
        ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
        ("P", 1e15), ("E", 1e18),
    ]

    /// The value in base units, or nil when `text` is not a quantity.
    public static func parse(_ text: String) -> Double? {
        var number = Substring(text)
        var multiplier = 1.0
        if let (suffix, factor) = suffixes.first(where: { text.hasSuffix($0.0) }),
           // "1E3" style exponents are numbers, not the exa suffix followed by digits.
           !(suffix == "E" && text.dropLast().isEmpty) {
            number = text.dropLast(suffix.count)
            multiplier = factor
        } else if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let exponent = Int(text[text.index(after: e)...]) else { return nil }
            number = text[..<e]
            multiplier = pow10(exponent)
        }
        guard !number.isEmpty,
              number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) || (number.first == "+" && number.count > 1),
              let value = Double(number), value >= 0
        else { return nil }
        return value * multiplier
    }

    private static func pow10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(n) { result *= 10 }
        return n < 0 ? 1 / result : result
    }
}
