import CloudState
import Compiler
import Rendering

/// IR → `cloud/desired-state.json`: what `oceanid-apply` reconciles, as the `CloudState`
/// wire types encode it (keys sorted). Secrets appear only as ESC key references. Nothing is
/// written while the fleet declares no cloud state.
public enum CloudStateEmitter {
    /// `cloud/desired-state.json`, the file `oceanid-apply` reads by default.
    public static let path = OutputLayout.file("desired-state.json", in: .cloud)

    /// `FleetIR.cloud` (a `DesiredState`) → `cloud/desired-state.json`, or nothing when it is empty.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        guard !ir.cloud.isEmpty else { return [] }
        return [
            GeneratedFile(
                path: path, syntax: .json, body: JSONRenderer.render(ir.cloud), origin: ir.cloudLocation ?? ir.location)
        ]
    }
}
