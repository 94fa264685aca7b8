import Compiler
import DSL
import Rendering

/// IR → `hosts/<node>/`: each host's files at their install path (rendered by their syntax)
/// and its systemd units under `etc/systemd/system/`, ready to copy onto the machine.
public enum HostsEmitter {
    /// For each host of `FleetIR.hosts`: its `files` at `hosts/<node>/<install path>` (JSON or YAML by
    /// their syntax), then its `units` at `hosts/<node>/etc/systemd/system/<unit>`.
    public static func emit(_ ir: FleetIR) -> [GeneratedFile] {
        ir.hosts.flatMap { host -> [GeneratedFile] in
            let files = host.files.map { file in
                GeneratedFile(
                    path: OutputLayout.host(host.node, installPath: file.installPath), syntax: file.syntax,
                    body: render(file), origin: file.origin)
            }
            let units = host.units.map { unit in
                GeneratedFile(
                    path: OutputLayout.host(host.node, installPath: "/etc/systemd/system/\(unit.name)"),
                    syntax: .systemdUnit,
                    body: SystemdRenderer.render(unit.sections.map { ($0.name, $0.entries) }), origin: unit.origin)
            }
            return files + units
        }
    }

    static func render(_ file: HostFileIR) -> String {
        switch file.syntax {
        case .json: JSONRenderer.render(file.contents)
        default: YAMLRenderer.render(file.contents)
        }
    }
}
