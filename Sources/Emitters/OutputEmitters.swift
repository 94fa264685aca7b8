import Compiler

/// Every emitter, run in a fixed order; their files are merged and sorted by path.
/// New formats (Flux, hosts, SQL, policy input, cloud state, docs) join this list.
public enum OutputEmitters {
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        let files = KubernetesEmitter.emit(ir) + FluxBootstrapEmitter.emit(ir) + OPAInputEmitter.emit(ir) + SQLEmitter.emit(ir)
            + CloudStateEmitter.emit(ir) + HostsEmitter.emit(ir) + DataDictionaryEmitter.emit(ir)
        // Last: the settings table says which of the other files each setting's value appears in.
        return (files + FleetDocsEmitter.emit(ir, files: files) + DiagnosticsDocsEmitter.emit(ir)).sorted()
    }
}
