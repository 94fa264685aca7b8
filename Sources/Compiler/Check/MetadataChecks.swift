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

    public static func run(_ ir: FleetIR) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for cluster in ir.clusters {
            for component in cluster.components {
                for object in component.objects { out += check(object) }
            }
        }
        return out
    }

    static func check(_ object: ObjectIR) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let at = object.origin
        func metadata(_ tree: Tree?, labelPlace: String, annotationPlace: String) {
            if let labels = tree?["labels"]?.entries {
                for entry in labels.sorted(by: { $0.key < $1.key }) {
                    if let p = LabelRules.keyViolation(entry.key) {
                        out.append(.invalidLabel("\(labelPlace) key", key: entry.key, problem: p + " (on \(object.id))", at: at))
                    }
                    if let value = entry.value.stringValue, let p = LabelRules.valueViolation(value) {
                        out.append(.invalidLabel("\(labelPlace) value", key: "\(entry.key)=\(value)", problem: p + " (on \(object.id))",
                                                 at: at, subject: value))
                    }
                }
            }
            if let annotations = tree?["annotations"]?.entries {
                var total = 0
                for entry in annotations.sorted(by: { $0.key < $1.key }) {
                    // Annotation keys are qualified names, checked in lower case by the API server.
                    if let p = LabelRules.keyViolation(entry.key.lowercased()) {
                        out.append(.invalidAnnotation(object.id, place: annotationPlace, key: entry.key, problem: p, at: at))
                    }
                    total += entry.key.utf8.count + (entry.value.stringValue?.utf8.count ?? 0)
                }
                if total > annotationSizeLimit {
                    out.append(.annotationsTooLarge(object.id, place: annotationPlace == "annotation" ? "annotations" : "pod annotations",
                                                    bytes: total, at: at))
                }
            }
        }
        metadata(object.tree["metadata"], labelPlace: "label", annotationPlace: "annotation")
        if let template = podTemplate(object.tree) {
            metadata(template["metadata"], labelPlace: "pod label", annotationPlace: "pod annotation")
        }
        if let found = firstUnrepresentable(object.tree, path: "") {
            out.append(.unrepresentableCharacter(object.id, path: found.path, scalar: found.scalar, at: at, value: found.value))
        }
        if let path = firstNonFinite(object.tree, path: "") { out.append(.nonFiniteNumber(object.id, path: path, at: at)) }
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

    private static func firstUnrepresentable(_ tree: Tree, path: String) -> (path: String, scalar: Unicode.Scalar, value: String)? {
        func inString(_ s: String) -> Unicode.Scalar? {
            // Every such scalar is encoded with a byte of 0x7F or above: most strings are ASCII.
            guard s.utf8.contains(where: { $0 >= 0x7F }) else { return nil }
            return s.unicodeScalars.first(where: isUnrepresentable)
        }
        switch tree {
        case .string(let s): return inString(s).map { (path, $0, s) }
        case .list(let items):
            for (i, item) in items.enumerated() {
                if let found = firstUnrepresentable(item, path: "\(path)[\(i)]") { return found }
            }
        case .map(let entries):
            for entry in entries {
                let child = path.isEmpty ? entry.key : "\(path).\(entry.key)"
                if let scalar = inString(entry.key) { return (child, scalar, entry.key) }
                if let found = firstUnrepresentable(entry.value, path: child) { return found }
            }
        default: break
        }
        return nil
    }

    /// NaN and infinities: YAML can spell them, but kustomize converts to JSON and fails.
    private static func firstNonFinite(_ tree: Tree, path: String) -> String? {
        switch tree {
        case .double(let d): return d.isFinite ? nil : path
        case .list(let items):
            for (i, item) in items.enumerated() { if let found = firstNonFinite(item, path: "\(path)[\(i)]") { return found } }
        case .map(let entries):
            for entry in entries { if let found = firstNonFinite(entry.value, path: path.isEmpty ? entry.key : "\(path).\(entry.key)") { return found } }
        default: break
        }
        return nil
    }
}
