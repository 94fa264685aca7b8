import DSL

// MARK: - Documentation

/// Secrets and the generated output as a whole; their factories are in `Messages.swift`.
extension DiagnosticDoc {
    static let secrets: [DiagnosticDoc] = [
        .init(
            "A secret value is written in definitions/ (a literal password, a credential in a URL, a Secret object).",
            fix: "Declare a SecretSetting (an ESC key) and a SecretDeclaration, "
                + "and reference it with Env(_:secret:key:).",
            example: .secretInDefinition("a credential in a URL", in: "ConfigMap 'c' key 'url'", at: at)),
        .init(
            "A SecretDeclaration is filled from an ESC key the fleet's settings do not declare as a secret.",
            fix: "Declare the key with SecretSetting, or use a declared one (the note suggests one).",
            example: .undeclaredESCKey("dbUrll", secret: "db", known: ["dbUrl"], at: at)),
        .init(
            "A secret reads from a ClusterSecretStore the cluster does not declare.",
            fix: "Declare a PulumiESCStore in the cluster.",
            example: .undeclaredSecretStore("pulumi-esc", secret: "db", at: at)),
        .init(
            "A secret's template reads a key the secret does not fetch, or has unbalanced '{{ }}'.",
            fix: "Read a fetched key (the note suggests one) and close every '{{'.",
            example: .unknownTemplateKey("uri", secret: "s", templateKey: "A", known: ["url"], at: at)),
    ]

    static let output: [DiagnosticDoc] = [
        .init(
            "Two objects would be written to one generated file.",
            fix: "Rename one of them.",
            example: .duplicateOutputPath(
                "clusters/c/apps/web/configmap-web-x.yaml",
                object: ObjectID(apiVersion: "v1", kind: "ConfigMap", namespace: "apps", name: "web-x"),
                other: ObjectID(apiVersion: "v1", kind: "ConfigMap", namespace: "web", name: "x"),
                at: at, first: other)),
        .init(
            "A generated file would contain a secret (a Secret object, a private key, a token); nothing is written.",
            fix: "Declare a SecretDeclaration (an ExternalSecret naming its ESC key) and reference it instead.",
            example: .secretInOutput(
                "a Kubernetes Secret object", at: SourceLocation(file: "clusters/c/apps/x.yaml", line: 1))),
        .init(
            "The fleet breaks one of its guardrails (policy/guardrails.rego), which CI also runs with OPA.",
            fix: "Change the declaration as the message says; the guardrail names the rule.",
            example: .guardrail("[privileged] Deployment apps/w container w is privileged", at: at)),
    ]
}
