# Tests of policy/guardrails.rego in OPA's convention (`opa test policy/` runs every `test_` rule
# of a `*_test.rego` file; each must be true). `make test` runs them with regorus
# (scripts/policy-test.py; Tests/GoldenTests/GuardrailTests.swift). They cover the workloads
# Helm installs as the compiler describes them (annotated oceanid.dev/installed-by), so a rule
# that cannot see a chart's pods fails here.
package oceanid.guardrails_test

import rego.v1

import data.oceanid.guardrails

# A workload as ChartObjects renders a chart's: one container, the installer annotation.
chart_workload(kind, namespace, name, container) := {
	"apiVersion": "apps/v1", "kind": kind,
	"metadata": {
		"name": name, "namespace": namespace,
		"annotations": {"oceanid.dev/installed-by": "HelmRelease x/y, chart z 1.0.0"},
	},
	"spec": {"template": {"metadata": {"labels": {}}, "spec": {"containers": [container]}}},
}

limited := {"requests": {"cpu": "10m", "memory": "16Mi"}, "limits": {"cpu": "100m", "memory": "64Mi"}}

manager := {"name": "manager", "image": "ghcr.io/fluxcd/source-controller:v1.7.2", "resources": limited}

test_flux_controller_in_flux_system_is_allowed if {
	count(guardrails.deny) == 0 with input as {"objects": [chart_workload("Deployment", "flux-system", "source-controller", manager)]}
}

test_flux_controller_elsewhere_is_denied if {
	guardrails.deny == {"[flux-system-only] Deployment apps/source-controller runs a Flux controller outside flux-system"} with input as {"objects": [chart_workload("Deployment", "apps", "source-controller", manager)]}
}

test_chart_container_without_limits_is_denied if {
	webhook := {"name": "webhook", "image": "ghcr.io/external-secrets/external-secrets:v2.9.0", "resources": {"requests": {"cpu": "10m", "memory": "32Mi"}}}
	guardrails.deny == {
		"[resources] Deployment external-secrets/external-secrets-webhook container webhook has no limits.cpu",
		"[resources] Deployment external-secrets/external-secrets-webhook container webhook has no limits.memory",
	} with input as {"objects": [chart_workload("Deployment", "external-secrets", "external-secrets-webhook", webhook)]}
}

test_chart_image_on_latest_is_denied if {
	plugin := {"name": "nvidia-device-plugin-ctr", "image": "nvcr.io/nvidia/k8s-device-plugin:latest", "resources": limited}
	guardrails.deny == {"[image-pinned] DaemonSet gpu/plugin container nvidia-device-plugin-ctr uses the unpinned image nvcr.io/nvidia/k8s-device-plugin:latest"} with input as {"objects": [chart_workload("DaemonSet", "gpu", "plugin", plugin)]}
}

test_chart_container_privileged_is_denied if {
	app := {"name": "app", "image": "docker.io/heartexlabs/label-studio:1.23.0", "resources": limited, "securityContext": {"privileged": true}}
	guardrails.deny == {"[privileged] Deployment apps/label-studio-ls-app container app is privileged"} with input as {"objects": [chart_workload("Deployment", "apps", "label-studio-ls-app", app)]}
}

test_chart_pod_without_proxy_variables_is_denied_in_the_egress_namespace if {
	app := {"name": "app", "image": "docker.io/heartexlabs/label-studio:1.23.0", "resources": limited}
	policy := {"egressGateway": {"namespace": "apps", "gatewayNamespace": "egress-system", "exempt": []}}
	denials := guardrails.deny with input as {"objects": [chart_workload("Deployment", "apps", "label-studio-ls-app", app)], "policy": policy}
	"[egress-gateway] Deployment apps/label-studio-ls-app container app does not set HTTP_PROXY" in denials
	"[egress-gateway] Deployment apps/label-studio-ls-app container app does not set NO_PROXY" in denials
}

test_chart_pod_with_proxy_variables_passes_the_egress_rule if {
	env := [{"name": v, "value": "x"} | some v in ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"]]
	app := {"name": "app", "image": "docker.io/heartexlabs/label-studio:1.23.0", "resources": limited, "env": env}
	policy := {"egressGateway": {"namespace": "apps", "gatewayNamespace": "egress-system", "exempt": []}}
	peer := {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "egress-system"}}}
	allow := {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "egress", "namespace": "apps"}, "spec": {"egress": [{"to": [peer]}]}}
	count(guardrails.deny) == 0 with input as {"objects": [chart_workload("Deployment", "apps", "label-studio-ls-app", app), allow], "policy": policy}
}

test_chart_pod_on_the_host_network_is_denied_unless_allowed if {
	plugin := {"name": "nvidia-device-plugin-ctr", "image": "nvcr.io/nvidia/k8s-device-plugin:v0.20.0", "resources": limited}
	o := object.union(chart_workload("DaemonSet", "gpu", "plugin", plugin), {"spec": {"template": {"metadata": {"labels": {}}, "spec": {"hostNetwork": true, "containers": [plugin]}}}})
	guardrails.deny == {"[host-network] DaemonSet gpu/plugin uses the host network"} with input as {"objects": [o]}
	count(guardrails.deny) == 0 with input as {"objects": [o], "policy": {"hostNetwork": ["gpu/plugin"]}}
}
