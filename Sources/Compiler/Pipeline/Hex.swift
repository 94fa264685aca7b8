/// Lower-case hexadecimal of bytes (a digest), two table lookups per byte: `String(format:)` or
/// `String(_:radix:)` per byte cost 8% of a 10,000-app compile. Used for rollout hashes, git blob
/// ids and the definitions' SHA-256s, so all print digests alike.
public enum Hex {
    /// `bytes` as lower-case hex, two digits per byte (`[0x0f, 0xa0]` → `0fa0`).
    public static func lowercase(_ bytes: some Sequence<UInt8>) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(bytes.underestimatedCount * 2)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 15)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    static let digits = Array("0123456789abcdef".utf8)
}
