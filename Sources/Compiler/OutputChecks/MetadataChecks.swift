import DSL

/// Checks what every lowered object carries, whoever wrote it (a typed declaration, the
/// compiler's own standard labels, an escape-hatch body): label keys and values, annotation
/// keys and their 256 KiB total, on the object and on its pod template; and no character
/// that `kubectl kustomize` cannot write back, anywhere in the object.
///
/// Runs on the IR, so it sees exactly what is emitted; each problem is reported at the
/// declaration that produced the object.
public enum MetadataChecks {
    /// The API server's limit on one object's annotations: keys and values, summed
    /// (`apimachinery/pkg/api/validation.TotalAnnotationSizeLimitB`).
    public static let annotationSizeLimit = 256 * 1024

    /// Label keys the compiler writes itself, valid by construction (a test proves it).
    static let standardKeys: Set<String> = [
        "app", "app.kubernetes.io/name", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by",
    ]

    /// - Parameter reported: diagnostics already made; a secret value already reported at its
    ///   declaration (an Env) is not reported again on the object.
    public static func run(_ ir: FleetIR, reported: [Diagnostic] = []) -> [Diagnostic] {
        let seen = Set(reported.filter { $0.code == .secretInDefinition }.compactMap(\.subject))
        // Each object is checked alone: on every core, in object order.
        let objects = ir.clusters.flatMap { $0.components.flatMap(\.objects) }
        return Parallel.map(objects) { check($0, seenSecrets: seen) }.flatMap { $0 }
    }

    static func check(_ object: ObjectIR, seenSecrets: Set<String> = []) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let at = object.origin
        func metadata(_ tree: Tree?, labelPlace: String, annotationPlace: String) {
            if let labels = tree?["labels"]?.entries {
                for entry in labels.sorted(by: { $0.key < $1.key }) {
                    // The same few keys recur on every object (app.kubernetes.io/*): skip known-good ones.
                    if !standardKeys.contains(entry.key), let p = LabelRules.keyViolation(entry.key) {
                        out.append(
                            .invalidLabel(
                                "\(labelPlace) key", key: entry.key, problem: p + " (on \(object.id))", at: at))
                    }
                    if let value = entry.value.stringValue, let p = LabelRules.valueViolation(value) {
                        out.append(
                            .invalidLabel(
                                "\(labelPlace) value", key: "\(entry.key)=\(value)", problem: p + " (on \(object.id))",
                                at: at, subject: value))
                    }
                }
            }
            if let annotations = tree?["annotations"]?.entries {
                var total = 0
                for entry in annotations.sorted(by: { $0.key < $1.key }) {
                    // Annotation keys are qualified names, checked in lower case by the API server.
                    if let p = LabelRules.keyViolation(entry.key.lowercased()) {
                        out.append(
                            .invalidAnnotation(object.id, place: annotationPlace, key: entry.key, problem: p, at: at))
                    }
                    total += entry.key.utf8.count + (entry.value.stringValue?.utf8.count ?? 0)
                }
                if total > annotationSizeLimit {
                    out.append(
                        .annotationsTooLarge(
                            object.id, place: annotationPlace == "annotation" ? "annotations" : "pod annotations",
                            bytes: total, at: at))
                }
            }
        }
        metadata(object.tree["metadata"], labelPlace: "label", annotationPlace: "annotation")
        if let template = podTemplate(object.tree) {
            metadata(template["metadata"], labelPlace: "pod label", annotationPlace: "pod annotation")
        }
        // One walk over every value: characters kustomize cannot carry, numbers JSON cannot
        // carry, and secret values (credentials in URLs, private keys) wherever they are,
        // reported at the declaration that produced the object, naming the field.
        var scan = ValueScan(seenSecrets: seenSecrets)
        scan.walk(object.tree)
        if let found = scan.unrepresentable {
            out.append(
                .unrepresentableCharacter(object.id, path: found.path, scalar: found.scalar, at: at, value: found.value)
            )
        }
        if let path = scan.nonFinite { out.append(.nonFiniteNumber(object.id, path: path, at: at)) }
        if let (path, key) = scan.duplicateKey {
            out.append(.duplicateKey(key, path: path, in: "\(object.id)", at: at))
        }
        if !(object.id.kind == "Secret" && object.id.apiVersion == "v1") {  // reported at its declaration
            for (path, what, value) in scan.secrets {
                out.append(.secretInDefinition(what, in: "\(object.id) field '\(path)'", at: at, value: value))
            }
        }
        return out
    }

    /// The pod template of a workload-shaped object (`spec.template`, or a CronJob's
    /// `spec.jobTemplate.spec.template`), typed or written through the escape hatch.
    static func podTemplate(_ tree: Tree) -> Tree? {
        let spec = tree["spec"]
        return spec?["template"] ?? spec?["jobTemplate"]?["spec"]?["template"]
    }

    /// Characters kustomize's YAML writer refuses or changes: DEL, C1 controls, U+FFFE, U+FFFF.
    static func isUnrepresentable(_ scalar: Unicode.Scalar) -> Bool {
        (0x7F...0x9F).contains(scalar.value) || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }

    /// What one walk over an object's values finds. The path of the value being visited is
    /// kept as a stack of components and spelled out (`spec.ports[0].name`) only for a finding:
    /// building it for every value cost more than the checks themselves at 10,000 apps.
    struct ValueScan {
        let seenSecrets: Set<String>
        var unrepresentable: (path: String, scalar: Unicode.Scalar, value: String)?
        var nonFinite: String?
        var duplicateKey: (path: String, key: String)?
        var secrets: [(path: String, what: String, value: String)] = []

        enum Component {
            case key(String)
            case index(Int)
        }
        private var stack: [Component] = []

        init(seenSecrets: Set<String>) { self.seenSecrets = seenSecrets }

        /// `a.b[2].c`, as the diagnostics name a field.
        var path: String {
            var out = ""
            for component in stack {
                switch component {
                case .key(let key): out += out.isEmpty ? key : ".\(key)"
                case .index(let i): out += "[\(i)]"
                }
            }
            return out
        }

        mutating func walk(_ tree: Tree) {
            switch tree {
            case .string(let s): visit(s)
            case .double(let d): if !d.isFinite && nonFinite == nil { nonFinite = path }
            case .list(let items):
                for (i, item) in items.enumerated() {
                    stack.append(.index(i))
                    walk(item)
                    stack.removeLast()
                }
            case .map(let entries):
                if duplicateKey == nil, let repeated = ObjectChecks.repeatedKey(entries) {
                    duplicateKey = (path, repeated)
                }
                for entry in entries {
                    // A key can carry a secret too (a token used as a map key).
                    if let what = SecretScan.secretKind(in: entry.key), !seenSecrets.contains(entry.key) {
                        let here = path
                        secrets.append((here.isEmpty ? entry.key : "\(here).(key)", what, entry.key))
                    }
                    if unrepresentable == nil, let scalar = MetadataChecks.unrepresentable(in: entry.key) {
                        let here = path
                        unrepresentable = (here.isEmpty ? entry.key : "\(here).\(entry.key)", scalar, entry.key)
                    }
                    stack.append(.key(entry.key))
                    walk(entry.value)
                    stack.removeLast()
                }
            default: break
            }
        }

        private mutating func visit(_ s: String) {
            if unrepresentable == nil, let scalar = MetadataChecks.unrepresentable(in: s) {
                unrepresentable = (path, scalar, s)
            }
            if let what = SecretScan.secretKind(in: s), !seenSecrets.contains(s) { secrets.append((path, what, s)) }
        }
    }

    /// The first character of `s` kustomize cannot carry; most strings are ASCII and skip the scalar walk.
    static func unrepresentable(in s: String) -> Unicode.Scalar? {
        guard s.utf8.contains(where: { $0 >= 0x7F }) else { return nil }
        return s.unicodeScalars.first(where: isUnrepresentable)
    }
}
