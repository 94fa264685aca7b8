/// A Kubernetes resource quantity (`500m`, `1.5`, `256Mi`, `1e3`) as a number of base
/// units, so requests and limits can be compared.
///
/// The grammar is apimachinery's `resource.Quantity`: an optional `+`, digits with at most
/// one `.`, then nothing, a binary suffix (`Ki`...`Ei`), a decimal suffix (`n`, `u`, `m`, `k`,
/// `M`...`E`) or an exponent (`e3`, `E-2`). Resource amounts cannot be negative. Exponents are
/// bounded so that a crafted value can neither overflow nor loop.
public enum Quantity {
    private static let suffixes: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
        ("Pi", 1_125_899_906_842_624), ("Ei", 1_152_921_504_606_846_976),
        ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12),
        ("P", 1e15), ("E", 1e18),
    ]

    /// The value in base units, or nil when `text` is not a quantity.
    public static func parse(_ text: String) -> Double? {
        let bytes = Array(text.utf8)
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") { i += 1 }
        let numberStart = i
        var digits = 0
        var dots = 0
        while i < bytes.count, (bytes[i] >= 48 && bytes[i] <= 57) || bytes[i] == UInt8(ascii: ".") {
            if bytes[i] == UInt8(ascii: ".") { dots += 1 } else { digits += 1 }
            i += 1
        }
        guard digits > 0, dots <= 1, let mantissa = Double(String(decoding: bytes[numberStart..<i], as: UTF8.self))
        else { return nil }
        let rest = String(decoding: bytes[i...], as: UTF8.self)
        if rest.isEmpty { return mantissa }
        if let (_, factor) = suffixes.first(where: { $0.0 == rest }) { return mantissa * factor }
        // An exponent: e or E, an optional sign, one to three digits.
        guard let first = rest.first, first == "e" || first == "E" else { return nil }
        var exponentText = rest.dropFirst()
        var negative = false
        if let sign = exponentText.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            exponentText = exponentText.dropFirst()
        }
        guard (1...3).contains(exponentText.count), exponentText.allSatisfy({ $0.isASCII && $0.isNumber }),
            let exponent = Int(exponentText)
        else { return nil }
        let value = mantissa * pow10(negative ? -exponent : exponent)
        return value.isFinite ? value : nil
    }

    /// 10^n for |n| <= 999.
    private static func pow10(_ n: Int) -> Double {
        var result = 1.0
        for _ in 0..<abs(n) { result *= 10 }
        return n < 0 ? 1 / result : result
    }
}
