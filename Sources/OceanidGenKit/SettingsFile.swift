import Compiler
import DSL
import Yams

/// Reads `settings.yaml` (overrides of the fleet's settings) into located overrides.
/// Values may be scalars, mappings, or a JSON object in a string (as the old stack's
/// `cloudflareTunnelResources` blobs were); bad YAML is a diagnostic with its line.
public enum SettingsFile {
    /// `settings.yaml`, relative to the repository root.
    public static let path = "settings.yaml"

    /// Parses the text of `settings.yaml`: one override per top-level key, located at its key's line in
    /// `file` (the path diagnostics name); the tool's own key `planApprovalRisks` (`PlanApproval`) is
    /// checked here and is not an override. Never throws: bad YAML, a key that is not a string or a
    /// duplicated key is a diagnostic; an empty file gives no overrides and no diagnostics.
    public static func overrides(text: String, file: String) -> ([SettingOverride], [Diagnostic]) {
        // libyaml (through Yams) refuses a duplicated key but points at the mapping's first line:
        // name the setting and the line of its second occurrence instead.
        let duplicates = duplicatedTopLevelKeys(text)
        if !duplicates.isEmpty {
            return (
                [],
                duplicates.map { key, first, again in
                    .duplicateOverride(key, firstLine: first, at: SourceLocation(file: file, line: again))
                }
            )
        }
        let node: Yams.Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return (
                [],
                [
                    .unreadableSettingsFile(
                        SettingsFile.path, problem: "is not valid YAML: \(describe(error))",
                        at: SourceLocation(file: file, line: line(of: error)))
                ]
            )
        } catch {
            return (
                [],
                [
                    .unreadableSettingsFile(
                        SettingsFile.path, problem: "could not be read: \(error)",
                        at: SourceLocation(file: file, line: 1))
                ]
            )
        }
        guard let node else { return ([], []) }
        guard let mapping = node.mapping else {
            return (
                [],
                [
                    .unreadableSettingsFile(
                        SettingsFile.path, problem: "must be a mapping of setting keys to values",
                        at: SourceLocation(file: file, line: (node.mark?.line ?? 1)))
                ]
            )
        }
        var overrides: [SettingOverride] = []
        var diagnostics: [Diagnostic] = []
        for (key, value) in mapping {
            let location = SourceLocation(file: file, line: key.mark?.line ?? 1)
            guard let name = key.string else {
                diagnostics.append(
                    .unreadableSettingsFile(
                        SettingsFile.path, problem: "has a key that is not a string; setting keys must be strings",
                        at: location))
                continue
            }
            // A key of the tool, not of the fleet: checked here, so every command refuses a bad value.
            if name == PlanApproval.settingKey {
                diagnostics += PlanApproval.parse(value, at: location).1
                continue
            }
            switch tree(value) {
            case .success(let tree):
                overrides.append(
                    SettingOverride(key: name, value: tree, location: location, text: value.scalar?.string))
            case .failure(let problem):
                diagnostics.append(.malformedOverride(name, problem: problem.message, at: location))
            }
        }
        return (overrides, diagnostics)
    }

    /// Top-level keys written twice: (key, first line, repeated line), in file order. Only plain
    /// `key:` lines at column 0 count, which is how settings.yaml is written.
    static func duplicatedTopLevelKeys(_ text: String) -> [(String, Int, Int)] {
        var seen: [String: Int] = [:]
        var out: [(String, Int, Int)] = []
        for (number, line) in lines(text).enumerated() {
            guard let first = line.first, first != " ", first != "\t", first != "#", first != "-",
                let colon = line.firstIndex(of: ":")
            else { continue }
            var key = line[..<colon].trimmingCharacters(in: .whitespaces)
            if key.count >= 2, let q = key.first, q == "\"" || q == "'", key.last == q {
                key = String(key.dropFirst().dropLast())
            }
            guard !key.isEmpty else { continue }
            if let firstLine = seen[key] { out.append((key, firstLine, number + 1)) } else { seen[key] = number + 1 }
        }
        return out
    }

    /// The lines of a text as libyaml counts them (YAML 1.1 line breaks): LF, CRLF (one
    /// Character in Swift, so a split on "\n" alone never splits a Windows file), a lone CR,
    /// NEL (U+0085), LS (U+2028) and PS (U+2029).
    static func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) {
            $0 == "\n" || $0 == "\r\n" || $0 == "\r" || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}"
        }
    }

    /// A Yams node as an ordered tree; a string holding a JSON object is parsed as one.
    static func tree(_ node: Yams.Node) -> Result<Tree, SettingError> {
        do {
            if case .scalar(let scalar) = node, scalar.string.drop(while: { $0 == " " || $0 == "\n" }).hasPrefix("{") {
                guard let inner = try Yams.compose(yaml: scalar.string) else { return .success(.string(scalar.string)) }
                return .success(try YAMLReader.tree(inner))
            }
            return .success(try YAMLReader.tree(node))
        } catch let error as SettingError {
            return .failure(error)
        } catch let error as YamlError {
            return .failure(SettingError("the JSON value is malformed: \(describe(error))"))
        } catch {
            return .failure(SettingError("\(error)"))
        }
    }

    private static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return 1
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }
}
