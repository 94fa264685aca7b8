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
