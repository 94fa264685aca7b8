import DSL

/// A chart's description (`.renders`, a `ChartRendering`) must be of the chart version that is
/// installed: the workloads of one version are not those of another (a new version may add a
/// Deployment, rename a container or change an image), and the guardrails only see what is
/// described. A release or bootstrap with no description at all is left to the fleet (Oceanid's
/// tests require one for every chart it installs).
enum ChartDescriptionChecks {
    /// `undescribedChart` (a warning) for the FluxSync and every HelmRelease whose description is
    /// of another chart or version.
    static func all(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        if let flux = index.cluster.flux, let rendering = flux.rendering, rendering.version != flux.chartVersion {
            out.append(
                .undescribedChart(
                    "the Flux bootstrap", chart: "flux2", version: flux.chartVersion,
                    described: "\(rendering.chart) \(rendering.version)", at: flux.location))
        }
        for object in index.objects {
            guard case .helmRelease(let release) = object.payload, let rendering = release.rendering,
                rendering.version != release.version || rendering.chart != release.chart
            else { continue }
            out.append(
                .undescribedChart(
                    "HelmRelease \(object.id.namespace ?? "")/\(release.name)", chart: release.chart,
                    version: release.version, described: "\(rendering.chart) \(rendering.version)",
                    at: release.location))
        }
        return out
    }
}
