/// Scalars that YAML readers misread unless the renderer quotes them (YAML 1.1 booleans and null, numbers
/// in every base, indicators, comments, leading and trailing spaces, line breaks, control characters),
/// shared by the renderer's round-trip tests and the plan's reading of edited values.
public enum TrickyScalars {
    /// The strings, each a test argument.
    public static let strings: [String] = [
        "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "Null", "~", "", " ", " lead", "trail ",
        "0755", "0x1F", "0o17", "1e3", "1E3", "1.5", ".5", "-1", "+1", ".inf", "-.inf", ".nan", "1_000", "12:30:00",
        "2024-01-01", "a: b", "a #b", "#comment", "- item", "-", "?", ":", "key:", "@at", "`tick", "!tag", "&anchor",
        "*alias", "|", ">", "%percent", "{a}", "[a]", "'single'", "\"double\"", "back\\slash", "tab\there",
        "line\nbreak", "line\n", "two\n\n", "\nleading", "  indented\nblock", "trailing space \nx", "café ünïcode",
        "bell\u{07}", "del\u{7F}", "500m", "256Mi", "1.5Gi", "5e", "0", "10.42.0.0/16", "https://10.0.0.10:6443",
        "TCP-LISTEN:5432,fork,reuseaddr", "app.kubernetes.io/name", "ghcr.io/x/y@sha256:abc", "a  b", "=", "<<",
        "\tfoo\nbar\n", "foo\n\tbar\n", "a\n \n", "\t",
    ]
}
