import DSL

/// Values of Flux objects the CRDs validate by pattern (source/kustomize/helm-controller
/// `config/crd/bases`): durations (`^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$`), GitRepository URLs
/// (`http`, `https`, `ssh`), HelmRepository URLs (`http`, `https`, `oci`), a chart name; and
/// the bootstrap's exact pins (a release `v2.9.0`, a chart version `2.17.1`), which go onto
/// its command line.
///
/// And that one Flux is named: the flux2 chart the bootstrap pins is a recorded release
/// (`ChartRelease.flux2`, read from github.com/fluxcd-community/helm-charts at the chart's tag) whose
/// `appVersion` is FluxSync's `version`; a HelmRelease of a recorded chart (external-secrets)
/// pins a recorded release, the one whose CRDs `schemas/` holds.
enum FluxValueChecks {
    static func all(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        if let flux = index.cluster.flux {
            out += url(flux.url, schemes: ["http", "https", "ssh"], field: "FluxSync url", at: flux.location)
            out += duration(flux.interval, field: "FluxSync interval", at: flux.location)
            let versionValid = flux.version.wholeMatch(of: #/v[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?/#) != nil
            let chartValid = flux.chartVersion.wholeMatch(of: #/[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?/#) != nil
            if !versionValid {
                out.append(
                    .invalidFluxPin(
                        "FluxSync version", flux.version, rule: "a Flux release like v2.9.0",
                        at: flux.location))
            }
            if !chartValid {
                out.append(
                    .invalidFluxPin(
                        "FluxSync chartVersion", flux.chartVersion,
                        rule: "an exact chart version like 2.17.1", at: flux.location))
            }
            // Which Flux the chart installs, once both pins are well formed.
            if versionValid, chartValid { out += fluxRelease(flux) }
            if flux.branch.isEmpty || flux.branch.contains(where: { $0.isWhitespace || $0.isNewline }) {
                out.append(
                    .invalidFluxPin(
                        "FluxSync branch", flux.branch, rule: "a git branch name without spaces",
                        at: flux.location))
            }
            for layer in flux.layers {
                for (field, value) in [
                    ("interval", layer.interval), ("retryInterval", layer.retryInterval), ("timeout", layer.timeout),
                ] {
                    out += duration(value, field: "Layer '\(layer.name)' \(field)", at: layer.location)
                }
            }
        }
        for object in index.objects {
            switch object.payload {
            case .helmRepository(let repository):
                out += url(
                    repository.url, schemes: ["http", "https", "oci"], field: "HelmRepository '\(repository.name)' url",
                    at: repository.location)
                out += duration(
                    repository.interval, field: "HelmRepository '\(repository.name)' interval", at: repository.location)
            case .helmRelease(let release):
                out += duration(release.interval, field: "HelmRelease '\(release.name)' interval", at: release.location)
                if release.chart.isEmpty || release.chart.contains(where: { $0.isWhitespace }) {
                    out.append(
                        .invalidChartReference(
                            "HelmRelease '\(release.name)' chart", release.chart,
                            rule: "a chart name", at: release.location))
                }
                if let releases = ChartRelease.known[release.chart], !release.version.isEmpty,
                    !releases.contains(where: { $0.version == release.version })
                {
                    out.append(
                        .unknownChartRelease(
                            chart: release.chart, version: release.version, known: releases.map(\.version),
                            field: "HelmRelease '\(release.name)' version", at: release.location))
                }
                if release.version.isEmpty {
                    out.append(
                        .invalidChartReference(
                            "HelmRelease '\(release.name)' version", release.version,
                            rule: "a chart version or semver range", at: release.location))
                }
            default: break
            }
        }
        return out
    }

    /// The flux2 chart release and FluxSync's version name the same Flux (Chart.yaml `appVersion`).
    static func fluxRelease(_ flux: FluxSync) -> [Diagnostic] {
        guard let release = ChartRelease.release("flux2", flux.chartVersion) else {
            return [
                .unknownChartRelease(
                    chart: "flux2", version: flux.chartVersion, known: ChartRelease.flux2.map(\.version),
                    field: "FluxSync chartVersion", at: flux.location)
            ]
        }
        guard release.appVersion == flux.version else {
            return [
                .chartAppVersionMismatch(
                    chart: release.chart, chartVersion: release.version, appVersion: release.appVersion,
                    declared: flux.version, source: release.source, at: flux.location)
            ]
        }
        return []
    }

    static func duration(_ value: String, field: String, at loc: SourceLocation) -> [Diagnostic] {
        value.wholeMatch(of: #/([0-9]+(\.[0-9]+)?(ms|s|m|h))+/#) == nil
            ? [.invalidDuration(field, value, at: loc)] : []
    }

    static func url(_ value: String, schemes: [String], field: String, at loc: SourceLocation) -> [Diagnostic] {
        let scheme = value.split(separator: ":", maxSplits: 1).first.map(String.init) ?? ""
        guard schemes.contains(scheme), value.hasPrefix(scheme + "://"), value.count > scheme.count + 3,
            !value.contains(where: { $0.isWhitespace })
        else {
            return [.invalidSourceURL(field, value, schemes: schemes, at: loc)]
        }
        return []
    }
}
