import ArgumentParser
import Compiler
import Foundation

/// `build --format` and `check --format`: what stdout carries.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    /// The summary and diffs on stdout, diagnostics on stderr (the default).
    case text
    /// One JSON report on stdout, as `--json` (`JSONReport`).
    case json
    /// The diagnostics as a SARIF 2.1.0 log on stdout (`SARIFLog`); what text would print on stdout
    /// goes to stderr, beside the diagnostics.
    case sarif
}

/// `plan --format`: the plan's own formats (`FleetPlanReport.Format`) and SARIF.
enum PlanFormat: String, CaseIterable, ExpressibleByArgument {
    /// `FleetPlanReport.Format.markdown`.
    case markdown
    /// `FleetPlanReport.Format.text`.
    case text
    /// `FleetPlanReport.Format.json`.
    case json
    /// The diagnostics of the head's fleet as a SARIF 2.1.0 log (`SARIFLog`) instead of the plan;
    /// the exit code is the plan's.
    case sarif

    /// The report format this is, nil for SARIF.
    var report: FleetPlanReport.Format? { FleetPlanReport.Format(rawValue: rawValue) }

    /// What `RunContext.formatted` makes of it: `json` is --json, `sarif` SARIF, and Markdown or text
    /// turn --json off (an explicit --format wins: its failures print diagnostics, not a JSON report).
    var output: OutputFormat {
        switch self {
        case .json: .json
        case .sarif: .sarif
        case .markdown, .text: .text
        }
    }
}

extension RunContext {
    /// This context writing `format`: `json` sets `json` (as `--json` does); `sarif` makes `finish`
    /// print a SARIF log on stdout and sends everything else the command prints on stdout to stderr; an
    /// explicit `text` or `sarif` wins over `--json` (turns it off); nil keeps what `--json` chose.
    func formatted(_ format: OutputFormat?) -> RunContext {
        var copy = self
        switch format {
        case .json: copy.json = true
        case .sarif:
            copy.json = false
            copy.sarifOut = console.out
            copy.console.out = console.err
        case .text: copy.json = false
        case nil: break
        }
        return copy
    }

    /// The SARIF log of `diagnostics` (`SARIFLog`), for this run's root; the repository's address
    /// comes from GitHub Actions' `GITHUB_SERVER_URL` and `GITHUB_REPOSITORY` when both are set.
    func sarifLog(_ diagnostics: [Diagnostic]) -> SARIFLog {
        let environment = ProcessInfo.processInfo.environment
        var repository: String?
        if let server = environment["GITHUB_SERVER_URL"], let name = environment["GITHUB_REPOSITORY"],
            server.hasPrefix("https://"), !name.isEmpty
        {
            repository = server + "/" + name
        }
        return SARIFLog(diagnostics: diagnostics, root: root, toolVersion: programID, repositoryURL: repository)
    }
}
