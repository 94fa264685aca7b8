import DSL

/// Hosts: their systemd services and Docker containers, and the ports they take on a node
/// (`EdgeChecks.hostProblems`, `EdgeChecks.hostPortConflicts`).
extension Diagnostic {
    /// How the messages name a host service.
    private static func hostService(_ name: String) -> String { "host service '\(name)'" }

    // MARK: Hosts and units

    static func unknownHostNode(_ node: String, known: [String], at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .unknownNode, "host '\(node)' is not a node of any cluster", at: loc,
            notes: Suggestions.note(for: node, among: known, kind: "node").map { [$0] } ?? [], subject: node)
    }

    /// A service named like a unit the host already has (docker, sshd, k3s, ...).
    static func hostOwnedUnit(_ service: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidName,
            "\(hostService(service)) would replace the host's own \(service).service; choose another name",
            at: loc, subject: service)
    }

    /// `field`: "description", "Requires=" or "command argument"; `problem`: the control character.
    static func unrepresentableUnitValue(
        _ text: String, field: String, service: String, problem: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unrepresentableCharacter,
            "\(hostService(service)) \(field) '\(text.debugDescription.dropFirst().dropLast())' \(problem)",
            at: loc, subject: text)
    }

    static func invalidUnitDependency(_ unit: String, service: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidUnitDependency,
            "\(hostService(service)) requires '\(unit)', which is not a unit name (name.service, name.target, ...)",
            at: loc, subject: unit)
    }

    // MARK: Commands and restarts

    static func missingHostCommand(service: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(.invalidHostCommand, "\(hostService(service)) has no command (ExecStart=)", at: loc)
    }

    static func relativeHostCommand(_ command: String, service: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidHostCommand, "\(hostService(service)) runs '\(command)'; systemd needs an absolute path",
            at: loc, subject: command)
    }

    static func invalidRestart(_ restart: String, service: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidRestartPolicy,
            "\(hostService(service)) has Restart=\(restart); systemd.service(5) allows no, on-success, on-failure, "
                + "on-abnormal, on-watchdog, on-abort, always",
            at: loc, subject: restart)
    }

    static func negativeRestartDelay(_ seconds: Int, service: String, at loc: SourceLocation) -> Diagnostic {
        outOfRange(
            .invalidRestartPolicy, "RestartSec", of: hostService(service), value: seconds,
            rule: "zero or more seconds", at: loc)
    }

    // MARK: Volumes and ports

    static func invalidBind(_ volume: String, service: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .invalidMount,
            "\(hostService(service)) binds '\(volume)'; a bind is an absolute host path and an absolute container path",
            at: loc, subject: volume)
    }

    /// `taker` listens on `port` of `node`, which `first` (declared at `firstDeclared`) took.
    static func hostPortConflict(
        _ port: Int, node: String, taker: String, first: String, at loc: SourceLocation,
        firstDeclared: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .hostPortConflict, "\(taker) listens on port \(port) of node '\(node)', which \(first) already uses",
            at: loc, notes: [.init("\(first) declared here", at: firstDeclared)], subject: String(port))
    }
}

// MARK: - Documentation

extension DiagnosticDoc {
    static let host: [DiagnosticDoc] = [
        .init(
            "Two things listen on one port of a node: host services, a local tunnel's metrics, hostNetwork pods or "
                + "hostPorts.",
            fix: "Move one of them to another port or node.",
            example: .hostPortConflict(
                2200, node: "lab-gpu", taker: "host service 'agent' (port 'metrics')",
                first: "the metrics of tunnel 'node'", at: at, firstDeclared: other)),
        .init(
            "A host service has no command, or runs one by a relative path, which systemd refuses.",
            fix: "Give `exec:` a command with an absolute path (`/usr/bin/tool`).",
            example: .relativeHostCommand("tool", service: "tool", at: at)),
        .init(
            "A host service's `Restart=` is not one systemd knows, or its `RestartSec=` is negative.",
            fix: "Use no, on-success, on-failure, on-abnormal, on-watchdog, on-abort or always; "
                + "RestartSec= zero or more seconds.",
            example: .invalidRestart("sometimes", service: "tritonserver", at: at)),
        .init(
            "A host service requires something that is not a systemd unit name.",
            fix: "Name units with their suffix: `network-online.target`, `docker.service`.",
            example: .invalidUnitDependency("not a unit", service: "tool", at: at)),
    ]
}
