import DSL
import Foundation

/// The one JSON renderer: RFC 8259 text with sorted keys, two-space indentation and a final
/// newline, through Foundation's `JSONEncoder` (a well-kept encoder beats a home-made one;
/// JSON outputs are few and small). Same value, same bytes.
public enum JSONRenderer {
    public static func render(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            preconditionFailure("a Tree or a CloudState value always encodes (non-finite numbers are rejected by the checks)")
        }
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
