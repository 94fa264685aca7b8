import Compiler

/// Every emitter, run in a fixed order; their files are merged and sorted by path.
/// New formats (Flux, hosts, SQL, policy input, cloud state, docs) join this list.
public enum OutputEmitters {
    /// Every generated file of the fleet, sorted by path.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        // The labels page needs only the IR and walks every workload: written beside the other emitters, on
        // the core their serial parts leave free.
        let labels = Background { FleetDocsEmitter.renderLabels(ir) }
        let files = artifacts(ir)
        // Last: the settings table says which of the other files each setting's value feeds.
        return
            (files
            + FleetDocsEmitter.emit(
                ir, files: files, provenance: Provenance(ir: ir, files: files), labelsPage: labels.value)
            + DiagnosticsDocsEmitter.emit(ir)).sorted()
    }

    /// Every file but the fleet's documentation pages (what provenance is read from).
    static func artifacts(_ ir: FleetIR) -> [GeneratedFile] {
        KubernetesLayout.emit(ir) + FluxBootstrapEmitter.emit(ir) + OPAInputEmitter.emit(ir) + SQLEmitter.emit(ir)
            + CloudStateEmitter.emit(ir) + HostsEmitter.emit(ir) + DataDictionaryEmitter.emit(ir)
            + MigrationWorkflowEmitter.emit(ir)
    }
}
