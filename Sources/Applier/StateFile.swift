import CloudState
import Foundation

/// Reads the desired state oceanid-gen wrote, or says in one sentence why it cannot be used:
/// missing, not JSON, a field of the wrong type (naming its path), a schema version this
/// applier does not know, or a state oceanid-gen would never write (`StateValidation`).
enum StateFile {
    static func read(_ path: String) -> Result<DesiredState, ProviderError> {
        func failure(_ message: String) -> Result<DesiredState, ProviderError> { .failure(ProviderError(message)) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return failure("cannot read the desired state \(path); run oceanid-gen build first")
        }
        let newer = { (version: Int) in
            "\(path) has schema version \(version), newer than this applier's \(DesiredState.currentSchemaVersion); "
                + "update oceanid-apply"
        }
        let state: DesiredState
        do {
            state = try JSONDecoder().decode(DesiredState.self, from: data)
        } catch {
            let json = try? JSONSerialization.jsonObject(with: data)
            if let version = (json as? [String: Any])?["schemaVersion"] as? Int,
                version > DesiredState.currentSchemaVersion
            {
                return failure(newer(version))
            }
            return failure(
                "\(path) is not a desired state oceanid-gen wrote (\(reason(error, isJSON: json != nil))); "
                    + "run oceanid-gen build")
        }
        guard state.schemaVersion >= 1 else {
            return failure(
                "\(path) has schema version \(state.schemaVersion); versions start at 1; run oceanid-gen build")
        }
        guard state.schemaVersion <= DesiredState.currentSchemaVersion else {
            return failure(newer(state.schemaVersion))
        }
        if let problem = StateValidation.problems(state).first {
            return failure(
                "\(path) is not a desired state oceanid-gen writes: \(problem); run oceanid-gen build; "
                    + "nothing was requested")
        }
        return .success(state)
    }

    /// Why decoding failed, naming the field's path.
    static func reason(_ error: Error, isJSON: Bool) -> String {
        func place(_ path: [CodingKey]) -> String {
            path.isEmpty ? "the top level" : path.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "'\(key.stringValue)' is missing at \(place(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "\(place(context.codingPath)) has the wrong type"
        case DecodingError.dataCorrupted(let context):
            return isJSON
                ? "\(place(context.codingPath)) holds a value out of range (a fraction or a number too large)"
                : "it is not JSON"
        default:
            return "\(error)"
        }
    }
}
