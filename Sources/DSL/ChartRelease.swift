/// One published release of an upstream Helm chart, as its own `Chart.yaml` and `values.yaml`
/// say at the release's tag: what the fleet installs when it pins `chart` at `version`.
///
/// These are upstream facts, not choices: each release names the tag it was read from
/// (`source`). The compiler requires every pin of a chart listed in `ChartRelease.known` to be
/// one of these releases, and a Flux release declared beside the flux2 chart to be the chart's
/// `appVersion` (`chart-app-version-mismatch`), so the bootstrap, the controllers' image tags,
/// the CRD schemas under `schemas/` and the health rules the compiler assumes name one Flux.
public struct ChartRelease: Hashable, Sendable {
    /// The chart's name (`flux2`, `external-secrets`).
    public var chart: String
    /// The Helm repository it is published in (an https URL).
    public var repository: String
    /// The chart's `version` (`2.18.3`).
    public var version: String
    /// The chart's `appVersion`, spelled as the project tags its releases (`v2.8.5`).
    public var appVersion: String
    /// Image tags of the components the chart's default values install, by values key
    /// (`kustomizeController` → `v1.8.3`); empty when the chart uses `appVersion` for all.
    public var images: [String: String]
    /// The `fluxcd/pkg/runtime` module kustomize-controller is built with (its `go.mod` at the tag),
    /// which holds the health rules Flux applies with `wait: true`; nil for charts other than flux2.
    public var fluxRuntime: SemanticVersion?
    /// Where the facts were read: the repository, tag and files.
    public var source: String

    /// A release with its facts; `images` and `fluxRuntime` only where the chart installs Flux.
    public init(
        chart: String, repository: String, version: String, appVersion: String, images: [String: String] = [:],
        fluxRuntime: SemanticVersion? = nil, source: String
    ) {
        self.chart = chart
        self.repository = repository
        self.version = version
        self.appVersion = appVersion
        self.images = images
        self.fluxRuntime = fluxRuntime
        self.source = source
    }

    /// The fluxcd-community `flux2` chart releases the bootstrap may pin.
    public static let flux2: [ChartRelease] = [
        ChartRelease(
            chart: "flux2", repository: "https://fluxcd-community.github.io/helm-charts", version: "2.17.1",
            appVersion: "v2.7.2",
            images: [
                "cli": "v2.7.2", "helmController": "v1.4.2", "kustomizeController": "v1.7.1",
                "notificationController": "v1.7.3", "sourceController": "v1.7.2",
            ],
            // kustomize-controller v1.7.1 go.mod: github.com/fluxcd/pkg/runtime v0.88.0
            fluxRuntime: SemanticVersion(0, 88, 0),
            source: "github.com/fluxcd-community/helm-charts tag flux2-2.17.1, charts/flux2/Chart.yaml and values.yaml"),
        ChartRelease(
            chart: "flux2", repository: "https://fluxcd-community.github.io/helm-charts", version: "2.18.3",
            appVersion: "v2.8.5",
            images: [
                "cli": "v2.8.5", "helmController": "v1.5.3", "kustomizeController": "v1.8.3",
                "notificationController": "v1.8.3", "sourceController": "v1.8.2",
            ],
            // kustomize-controller v1.8.3 go.mod: github.com/fluxcd/pkg/runtime v0.100.4
            fluxRuntime: SemanticVersion(0, 100, 4),
            source: "github.com/fluxcd-community/helm-charts tag flux2-2.18.3, charts/flux2/Chart.yaml and values.yaml"),
    ]

    /// The External Secrets Operator chart releases the fleet may pin (its CRDs are in `schemas/`).
    public static let externalSecrets: [ChartRelease] = [
        ChartRelease(
            chart: "external-secrets", repository: "https://charts.external-secrets.io", version: "2.9.0",
            appVersion: "v2.9.0",
            source: "github.com/external-secrets/external-secrets tag helm-chart-2.9.0 (cc5bfbc), "
                + "deploy/charts/external-secrets/Chart.yaml")
    ]

    /// Every release listed, by chart.
    public static let known: [String: [ChartRelease]] = ["flux2": flux2, "external-secrets": externalSecrets]

    /// The listed release of `chart` at `version`, or nil when the chart or the version is not listed.
    public static func release(_ chart: String, _ version: String) -> ChartRelease? {
        known[chart]?.first { $0.version == version }
    }

    /// First `fluxcd/pkg/runtime` whose kstatus Job reader reports a suspended Job as Current
    /// (fluxcd/pkg#1059, runtime v0.93.0); before it such a Job is InProgress for ever.
    public static let suspendedJobCurrentSince = SemanticVersion(0, 93, 0)
}

/// A `major.minor.patch` version, ordered numerically.
public struct SemanticVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The three numbers.
    public var major: Int, minor: Int, patch: Int

    /// `major.minor.patch`.
    public init(_ major: Int, _ minor: Int, _ patch: Int) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// `v0.93.0`.
    public var description: String { "v\(major).\(minor).\(patch)" }

    /// Numeric order, major first.
    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool {
        (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch)
    }
}
