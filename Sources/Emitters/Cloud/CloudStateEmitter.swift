import CloudState
import Compiler
import Rendering

/// IR → `cloud/desired-state.json`: what `oceanid-apply` reconciles, as the `CloudState`
/// wire types encode it (keys sorted). Secrets appear only as ESC key references. Nothing is
/// written while the fleet declares no cloud state.
public enum CloudStateEmitter {
    public static let path = OutputLayout.file("desired-state.json", in: .cloud)

    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        guard !ir.cloud.isEmpty else { return [] }
        return [
            GeneratedFile(
                path: path, syntax: .json, body: JSONRenderer.render(ir.cloud), origin: ir.cloudLocation ?? ir.location)
        ]
    }
}
