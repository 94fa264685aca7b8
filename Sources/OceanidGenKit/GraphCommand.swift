import ArgumentParser
import Compiler
import Emitters
import Workspace

struct Graph: FleetCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the fleet's topology as a Mermaid flowchart; never writes.",
        discussion: """
            Shows the internet, each routed hostname with its Access policy (or why it is public), the tunnel its DNS record points at, what the tunnel routes it to (a Service, a host service, an address), the nodes with their host services, and each cluster's Flux layers in order. Paste the output into a Markdown ```mermaid block. With --json the same graph is the report's `graph` field (vertices with stable ids such as hostname:gpu.boathou.se, edges, groups). Exit codes: 0 printed; 2 the fleet has errors; 4 definitions/ differs from the definitions compiled in (run make build); 64 usage.
            """)

    @OptionGroup var global: GlobalOptions

    func execute(_ context: RunContext) -> ExitStatus {
        let generated = context.pipeline.generate(inputs: WorktreeSource(root: context.root))
        guard let ir = generated.ir else {
            return context.finish("graph", .fleetErrors, diagnostics: generated.diagnostics)
        }
        let topology = Topology.build(ir)
        if !context.json { context.console.out(topology.mermaid) }
        return context.finish("graph", .ok, diagnostics: generated.diagnostics, graph: topology)
    }
}
