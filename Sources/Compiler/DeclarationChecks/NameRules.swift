/// The Kubernetes name and label grammars, checked on the fleet before anything is emitted.
public enum NameRule: String, Sendable {
    /// RFC 1123 label: lowercase alphanumerics and '-', at most 63 characters (namespaces, containers).
    case dnsLabel = "DNS-1123 label"
    /// RFC 1123 subdomain: dot-separated labels, at most 253 characters (most object names).
    case dnsSubdomain = "DNS-1123 subdomain"
    /// RFC 1035 label: like a 1123 label but starting with a letter (Service names).
    case dns1035Label = "DNS-1035 label"
    /// IANA service name: at most 15 characters, with a letter (port names).
    case portName = "IANA port name"
    /// PostgreSQL identifier as the fleet writes them unquoted: a lowercase letter or '_',
    /// then lowercase letters, digits or '_', at most 63 bytes (NAMEDATALEN - 1).
    case postgresIdentifier = "PostgreSQL identifier"

    /// Why `name` breaks the rule, or nil when it is valid.
    public func violation(_ name: String) -> String? {
        switch self {
        case .dnsLabel: return NameRule.labelViolation(name, max: 63, letterFirst: false)
        case .dns1035Label: return NameRule.labelViolation(name, max: 63, letterFirst: true)
        case .dnsSubdomain:
            if name.isEmpty { return "must not be empty" }
            if name.utf8.count > 253 { return "must be at most 253 characters (has \(name.utf8.count))" }
            for part in name.split(separator: ".", omittingEmptySubsequences: false) {
                if let problem = NameRule.labelViolation(String(part), max: 63, letterFirst: false) {
                    return "each dot-separated part " + problem
                }
            }
            return nil
        case .postgresIdentifier:
            let bytes = Array(name.utf8)
            if bytes.isEmpty { return "must not be empty" }
            if bytes.count > 63 { return "must be at most 63 characters (has \(bytes.count))" }
            for b in bytes where !((b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == 95) {
                return "must consist of lowercase letters, digits and '_' (found \(NameRule.shown(b, in: name)))"
            }
            if bytes[0] >= 48 && bytes[0] <= 57 { return "must start with a letter or '_'" }
            return nil
        case .portName:
            if name.utf8.count > 15 { return "must be at most 15 characters (has \(name.utf8.count))" }
            if let problem = NameRule.labelViolation(name, max: 15, letterFirst: false) { return problem }
            if !name.utf8.contains(where: { $0 >= 97 && $0 <= 122 }) { return "must contain at least one letter" }
            if name.contains("--") { return "must not contain '--'" }
            return nil
        }
    }

    /// The character a rule refused, for messages: the byte when it is ASCII (`' '`), the
    /// whole character when the byte starts a multi-byte one (`'é' (U+00E9)`), never a
    /// fragment of one.
    static func shown(_ byte: UInt8, in text: String) -> String {
        if byte < 0x80 {
            return byte < 0x20 || byte == 0x7F
                ? "U+00" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                : "'\(Character(UnicodeScalar(byte)))'"
        }
        guard let scalar = text.unicodeScalars.first(where: { !$0.isASCII }) else { return "a non-ASCII character" }
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "'\(scalar)' (U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex))"
    }

    private static func labelViolation(_ name: String, max: Int, letterFirst: Bool) -> String? {
        let bytes = Array(name.utf8)
        if bytes.isEmpty { return "must not be empty" }
        if bytes.count > max { return "must be at most \(max) characters (has \(bytes.count))" }
        func isLower(_ b: UInt8) -> Bool { b >= 97 && b <= 122 }
        func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
        for b in bytes where !(isLower(b) || isDigit(b) || b == 45) {
            return "must consist of lowercase letters, digits and '-' (found \(NameRule.shown(b, in: name)))"
        }
        if letterFirst && !isLower(bytes[0]) { return "must start with a lowercase letter" }
        if bytes.first == 45 || bytes.last == 45 { return "must start and end with a letter or digit" }
        return nil
    }
}

/// Label keys (`[prefix/]name`) and values.
public enum LabelRules {
    /// Why `key` is not a valid label or annotation key, or nil when it is. Kubernetes
    /// (`k8s.io/apimachinery/pkg/util/validation.IsQualifiedName`): an optional DNS-subdomain
    /// prefix and `/`, then a name of at most 63 alphanumerics, `-`, `_` or `.`, alphanumeric at
    /// both ends. The problem reads after the key (`may contain at most one '/'`).
    public static func keyViolation(_ key: String) -> String? {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { return "may contain at most one '/'" }
        if parts.count == 2 {
            if let problem = NameRule.dnsSubdomain.violation(String(parts[0])) { return "prefix " + problem }
        }
        guard let name = parts.last, !name.isEmpty else { return "name part must not be empty" }
        return nameViolation(String(name), what: "name part")
    }

    /// Why `value` is not a valid label value, or nil when it is. Kubernetes
    /// (`validation.IsValidLabelValue`): empty, or at most 63 alphanumerics, `-`, `_` or `.`,
    /// alphanumeric at both ends.
    public static func valueViolation(_ value: String) -> String? {
        value.isEmpty ? nil : nameViolation(value, what: "value")
    }

    private static func nameViolation(_ s: String, what: String) -> String? {
        let bytes = Array(s.utf8)
        if bytes.count > 63 { return "\(what) must be at most 63 characters (has \(bytes.count))" }
        func alnum(_ b: UInt8) -> Bool { (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
        for b in bytes where !(alnum(b) || b == 45 || b == 95 || b == 46) {
            return "\(what) must consist of alphanumerics, '-', '_' or '.' (found \(NameRule.shown(b, in: s)))"
        }
        if !alnum(bytes.first!) || !alnum(bytes.last!) {
            return "\(what) must start and end with an alphanumeric character"
        }
        return nil
    }
}

/// Environment variable names as Kubernetes accepts them.
enum EnvNameRule {
    static func violation(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        guard let first = bytes.first else { return "must not be empty" }
        func letter(_ b: UInt8) -> Bool {
            (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 45 || b == 46
        }
        if !letter(first) { return "must start with a letter, '_', '-' or '.'" }
        for b in bytes where !(letter(b) || (b >= 48 && b <= 57)) {
            return "must consist of letters, digits, '_', '-' or '.' (found \(NameRule.shown(b, in: name)))"
        }
        return nil
    }
}

/// ConfigMap and Secret data keys (`k8s.io/apimachinery/pkg/util/validation.IsConfigMapKey`).
public enum DataKeyRule {
    /// Why `key` is not a valid ConfigMap or Secret data key, or nil when it is: 1 to 253
    /// alphanumerics, `-`, `_` or `.`, neither `.` nor `..` nor starting with `..`. The problem
    /// reads after the key (`must not be empty`).
    public static func violation(_ key: String) -> String? {
        if key.isEmpty { return "must not be empty" }
        if key.utf8.count > 253 { return "must be at most 253 characters (has \(key.utf8.count))" }
        for b in key.utf8
        where !((b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 45 || b == 46 || b == 95)
        {
            return "must consist of alphanumerics, '-', '_' or '.' (found \(NameRule.shown(b, in: key)))"
        }
        if key == "." || key == ".." || key.hasPrefix("..") { return "must not be '.' or '..' or start with '..'" }
        return nil
    }
}
