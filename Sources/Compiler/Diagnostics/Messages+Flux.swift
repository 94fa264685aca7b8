import DSL

/// Flux values the CRDs and the bootstrap validate (`FluxValueChecks`); the factories for
/// the Flux graph (layers, sources, dependsOn, paths) are in `Messages.swift`.
extension Diagnostic {
    /// "`field` '`value`' is invalid; it must be `rule`", under `code`.
    private static func invalidFluxField(
        _ code: DiagnosticCode, _ field: String, _ value: String, rule: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(code, "\(field) '\(value)' is invalid; it must be \(rule)", at: loc, subject: value)
    }

    // MARK: Bootstrap pins

    /// FluxSync's version, chartVersion or branch; `rule` shows the expected form.
    static func invalidFluxPin(_ field: String, _ value: String, rule: String, at loc: SourceLocation) -> Diagnostic {
        invalidFluxField(.invalidFluxPin, field, value, rule: rule, at: loc)
    }

    /// The flux2 chart pinned by the bootstrap installs another Flux than FluxSync's `version` says.
    static func chartAppVersionMismatch(
        chart: String, chartVersion: String, appVersion: String, declared: String, source: String,
        at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .chartAppVersionMismatch,
            "FluxSync version '\(declared)' is not the Flux the \(chart) chart \(chartVersion) installs "
                + "(its appVersion is \(appVersion)); the CRD schemas, image tags and health rules follow the chart",
            at: loc,
            notes: [
                .init("set the version to \(appVersion), or pin the chart release whose appVersion is \(declared)"),
                .init("appVersion read from \(source)"),
            ],
            subject: declared)
    }

    /// A pin of a chart listed in `ChartRelease.known` at a version that list does not hold.
    static func unknownChartRelease(
        chart: String, version: String, known: [String], field: String, at loc: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .unknownChartRelease,
            "\(field) pins the \(chart) chart at '\(version)', a release whose appVersion, images and CRDs "
                + "the fleet has not recorded",
            at: loc,
            notes: [
                .init(
                    "pin one of \(known.joined(separator: ", ")), or add the release's Chart.yaml facts to "
                        + "ChartRelease (Sources/DSL/ChartRelease.swift) and regenerate schemas/")
            ],
            subject: version)
    }

    /// An object in a `wait: true` layer that the installed Flux never reports Current (`FluxHealth`).
    static func neverReady(_ id: ObjectID, layer: String, flux: String, why: String, at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .neverReady,
            "\(id.kind) '\(id.namespace.map { "\($0)/" } ?? "")\(id.name)' never becomes ready on Flux \(flux), so "
                + "layer '\(layer)' (wait: true) fails its health check and the layers after it are never applied",
            at: loc,
            notes: [.init(why), .init("declare a kind Flux reports Current (a suspended CronJob for a template)")],
            subject: id.name)
    }

    // MARK: Sources and charts

    /// A GitRepository or HelmRepository URL; `schemes`: the schemes its CRD accepts.
    static func invalidSourceURL(
        _ field: String, _ value: String, schemes: [String], at loc: SourceLocation
    ) -> Diagnostic {
        invalidFluxField(
            .invalidSourceURL, field, value,
            rule: "a \(schemes.joined(separator: ", ")) URL (scheme://host/...)", at: loc)
    }

    /// A HelmRelease's chart name or version; `rule` shows the expected form.
    static func invalidChartReference(
        _ field: String, _ value: String, rule: String, at loc: SourceLocation
    ) -> Diagnostic {
        invalidFluxField(.invalidChartReference, field, value, rule: rule, at: loc)
    }

    // MARK: Durations

    static func invalidDuration(_ field: String, _ value: String, at loc: SourceLocation) -> Diagnostic {
        invalidFluxField(.invalidDuration, field, value, rule: "a duration like 10m, 1h30m or 90s", at: loc)
    }

    // MARK: Layer health

    /// Layer `layer` does not wait for `needed`, which a layer after it needs (`dependent`, the
    /// object that needs it, `why` how); `check` is the `HealthCheck` to add, as Swift.
    static func uncheckedDependency(
        layer: String, needed: ObjectID, dependentLayer: String, dependent: ObjectID, why: String, check: String,
        at loc: SourceLocation, neededBy: SourceLocation
    ) -> Diagnostic {
        Diagnostic(
            .uncheckedDependency,
            "layer '\(layer)' does not wait for \(needed), which layer '\(dependentLayer)' needs, so that layer can "
                + "start before it works; add \(check) to its healthChecks (or set wait: true)",
            at: loc, notes: [Note("\(dependent) \(why)", at: neededBy)], subject: needed.description)
    }

    /// A health check of layer `layer` names `check`, which the layer does not apply: Flux
    /// would report it missing until the layer's timeout, every time.
    static func unknownHealthCheck(_ check: String, layer: String, known: [String], at loc: SourceLocation)
        -> Diagnostic
    {
        Diagnostic(
            .unknownHealthCheck,
            "layer '\(layer)' health-checks \(check), which the layer does not apply, so it never becomes Ready; "
                + "name an object of the layer", at: loc,
            notes: [Suggestions.note(for: check, among: known, kind: "object of the layer")].compactMap { $0 },
            subject: check)
    }

    /// `what` (a HelmRelease or the Flux bootstrap) installs `chart` `version`, but its description
    /// is of `described`: the guardrails do not see what that version runs.
    static func undescribedChart(
        _ what: String, chart: String, version: String, described: String, at loc: SourceLocation
    )
        -> Diagnostic
    {
        Diagnostic(
            .undescribedChart,
            "\(what) installs chart \(chart) \(version), but its description (.renders) is of \(described), so the "
                + "guardrails do not see what it runs; read that version's templates and values.yaml and describe it",
            at: loc, subject: "\(chart) \(version)")
    }

    /// Layer `layer` sets `wait: true` and `healthChecks`: Flux ignores the checks.
    static func healthChecksIgnored(layer: String, at loc: SourceLocation) -> Diagnostic {
        Diagnostic(
            .healthChecksIgnored,
            "layer '\(layer)' sets wait: true and healthChecks, and Flux ignores healthChecks when wait is true; "
                + "drop wait: true to wait only for the checks", at: loc, subject: layer)
    }
}

// MARK: - Documentation

extension DiagnosticDoc {
    private static let layer = ObjectID(
        apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization",
        namespace: "flux-system", name: "apps")

    static let flux: [DiagnosticDoc] = [
        .init(
            "The flux2 chart the bootstrap installs runs another Flux release than FluxSync's version names, so "
                + "the schemas, image tags and health rules the build assumes are not those of the controllers.",
            fix: "Make FluxSync's version the chart's appVersion, or pin the chart release that installs it.",
            example: .chartAppVersionMismatch(
                chart: "flux2", chartVersion: "2.17.1", appVersion: "v2.7.2", declared: "v2.9.0",
                source: "github.com/fluxcd-community/helm-charts tag flux2-2.17.1", at: at)),
        .init(
            "A Flux Kustomization depends on a Kustomization the cluster does not declare.",
            fix: "Depend on a declared layer (the note suggests one), or declare it.",
            example: .danglingDependsOn(
                layer, name: "infra", namespace: "flux-system", known: ["apps", "infrastructure"],
                at: at)),
        .init(
            "A Flux object refers to a source (GitRepository, HelmRepository) the cluster does not declare.",
            fix: "Declare the source, or refer to it by value.",
            example: .danglingSourceRef(
                ObjectID(
                    apiVersion: "helm.toolkit.fluxcd.io/v2", kind: "HelmRelease",
                    namespace: "apps", name: "r"),
                kind: "HelmRepository", name: "missing", namespace: "apps", known: ["charts"], at: at)),
        .init(
            "Flux Kustomizations depend on each other in a cycle, so Flux would wait forever.",
            fix: "Remove one dependsOn edge.",
            example: .dependencyCycle(["apps", "a", "apps"], at: at)),
        .init(
            "Two Flux Kustomizations reconcile one path, so they fight over its objects.",
            fix: "Give each Kustomization its own path.",
            example: .duplicateKustomizePath(
                ObjectID(
                    apiVersion: layer.apiVersion, kind: "Kustomization",
                    namespace: "flux-system", name: "twin"),
                path: "./clusters/c/apps", owner: layer, at: at, first: other)),
        .init(
            "A HelmRelease's chart name or version is empty or not one word.",
            fix: "Name the chart and give a version or semver range.",
            example: .invalidChartReference(
                "HelmRelease 'r' version", "", rule: "a chart version or semver range", at: at)),
        .init(
            "A Flux interval, retryInterval or timeout is not a Go duration the CRD accepts.",
            fix: "Write a duration like 10m, 1h30m or 90s.",
            example: .invalidDuration("Layer 'apps' timeout", "5 minutes", at: at)),
        .init(
            "FluxSync's version, chart version or branch is not the exact pin the bootstrap puts on its command line.",
            fix: "Pin a release like v2.9.0, a chart version like 2.17.1, and a branch name without spaces.",
            example: .invalidFluxPin("FluxSync version", "latest", rule: "a Flux release like v2.9.0", at: at)),
        .init(
            "A GitRepository or HelmRepository URL does not have a scheme its CRD accepts.",
            fix: "Write `scheme://host/...` with http, https or ssh (git) or http, https or oci (Helm).",
            example: .invalidSourceURL(
                "FluxSync url", "git@github.com:o/r.git", schemes: ["http", "https", "ssh"], at: at)),
        .init(
            "A Flux Kustomization reconciles a path the output does not contain (a layer with no components).",
            fix: "Put a component in the layer, or remove the layer.",
            example: .missingKustomizePath(layer, path: "./clusters/c/empty", at: at)),
        .init(
            "An object in a layer that waits for health is one the installed Flux never reports Current (a suspended "
                + "Job before fluxcd/pkg runtime v0.93.0), so the layer and every layer after it never become Ready.",
            fix: "Declare a kind Flux reports Current (a suspended CronJob), or pin a Flux whose rule accepts it.",
            example: .neverReady(
                ObjectID(apiVersion: "batch/v1", kind: "Job", namespace: "apps", name: "template"), layer: "apps",
                flux: "v2.7.2", why: "a suspended Job is InProgress for ever before fluxcd/pkg runtime v0.93.0",
                at: at)),
        .init(
            "A chart the fleet records (flux2, external-secrets) is pinned at a release whose Chart.yaml facts "
                + "(appVersion, image tags, CRDs) are not recorded, so nothing can check what it installs.",
            fix: "Pin a recorded release, or record the new one in ChartRelease and regenerate schemas/.",
            example: .unknownChartRelease(
                chart: "flux2", version: "2.99.0", known: ["2.17.1", "2.18.3"], field: "FluxSync chartVersion",
                at: at)),
        .init(
            "A component is in a Flux layer the cluster's FluxSync does not declare.",
            fix: "Use a declared layer (the note suggests one), or declare it.",
            example: .unknownLayer("ap", component: "web", known: ["apps", "infrastructure"], at: at)),
        .init(
            "A layer with healthChecks (wait false) does not wait for an object a later layer needs: a Service its "
                + "pods reach (by name or fixed ClusterIP), the store its ExternalSecrets read, or a chart that "
                + "installs the CRDs its objects use. Flux would start that layer before the object works.",
            fix: "Add the health check the message names to the layer, or set wait: true.",
            example: .uncheckedDependency(
                layer: "networking",
                needed: ObjectID(apiVersion: "apps/v1", kind: "Deployment", namespace: "egress", name: "squid"),
                dependentLayer: "apps",
                dependent: ObjectID(apiVersion: "apps/v1", kind: "Deployment", namespace: "apps", name: "web"),
                why: "reaches Service egress/squid", check: ".deployment(\"squid\", namespace: \"egress\")", at: at,
                neededBy: other)),
        .init(
            "A layer's health check names an object the layer does not apply, so Flux reports it missing and the "
                + "layer never becomes Ready.",
            fix: "Name an object of the layer (the note suggests one), or remove the check.",
            example: .unknownHealthCheck(
                "Deployment egress/sqiud", layer: "networking", known: ["Deployment egress/squid"], at: at)),
        .init(
            "A layer sets both wait: true and healthChecks; Flux ignores healthChecks when wait is true.",
            fix: "Drop wait: true (a layer with healthChecks waits only for them), or drop the checks.",
            example: .healthChecksIgnored(layer: "networking", at: at)),
        .init(
            "A HelmRelease (or the Flux bootstrap) installs a chart version other than the one its `.renders` "
                + "description was read from, so its workloads are left out of the policy input.",
            fix: "Read the chart's templates and values.yaml at the new version and update the description.",
            example: .undescribedChart(
                "HelmRelease apps/label-studio", chart: "label-studio", version: "2.0.6",
                described: "label-studio 2.0.5",
                at: at)),
    ]
}
