# The fleet's guardrails, evaluated against policy/input/<cluster>.json (written by
# oceanid-gen build) by OPA/regorus in CI, and by the same rules in Swift inside
# `oceanid-gen check` and `build` (Sources/Compiler/OutputChecks/Guardrails.swift). A parity test
# (make test) runs both over policy/tests/ and requires identical verdicts.
#
# Every message starts with its rule id in brackets and names the object.
package oceanid.guardrails

import rego.v1

# What the fleet allows itself, from the policy input's `policy` section (the fleet's
# GuardrailPolicy; Oceanid's is definitions/OceanidGuardrails.swift). A missing or mistyped
# section allows nothing and runs no egress-gateway rule.
policy := obj(field(input, "policy"))

# Workloads (namespace/name) allowed the host network.
host_network_allowed := arr(field(policy, "hostNetwork"))

# The capabilities each workload (namespace/name) may add.
capabilities_allowed := obj(field(policy, "capabilities"))

# The namespace whose workloads go out through the egress gateway, the gateway's namespace,
# and the workloads excused from the proxy variables.
egress := obj(field(policy, "egressGateway"))

egress_namespace := str(field(egress, "namespace"))

gateway_namespace := str(field(egress, "gatewayNamespace"))

egress_exempt := arr(field(egress, "exempt"))

# Flux's own controllers and the kinds that run pods: Flux's and Kubernetes' facts, not the fleet's.
flux_controllers := {
	"source-controller", "kustomize-controller", "helm-controller", "notification-controller",
	"image-reflector-controller", "image-automation-controller",
}

workload_kinds := {"Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob", "Pod"}

# Total accessors: a field that is missing, null or of another type reads as empty, so a
# malformed document gives a verdict instead of an error (the native rules do the same).
obj(x) := x if is_object(x)

else := {}

arr(x) := x if is_array(x)

else := []

str(x) := x if is_string(x)

else := ""

field(o, k) := object.get(obj(o), k, null)

meta(o) := obj(field(o, "metadata"))

name(o) := str(field(meta(o), "name"))

namespace(o) := str(field(meta(o), "namespace"))

kind(o) := str(field(o, "kind"))

ref(o) := sprintf("%s %s/%s", [kind(o), namespace(o), name(o)])

key(o) := sprintf("%s/%s", [namespace(o), name(o)])

spec(o) := obj(field(o, "spec"))

pod_template(o) := obj(field(obj(field(obj(field(spec(o), "jobTemplate")), "spec")), "template")) if kind(o) == "CronJob"

pod_template(o) := obj(field(spec(o), "template")) if not kind(o) in {"Pod", "CronJob"}

pod_spec(o) := spec(o) if kind(o) == "Pod"

pod_spec(o) := obj(field(pod_template(o), "spec")) if kind(o) != "Pod"

pod_labels(o) := obj(field(meta(o), "labels")) if kind(o) == "Pod"

pod_labels(o) := obj(field(meta(pod_template(o)), "labels")) if kind(o) != "Pod"

objects := [obj(o) | some o in arr(input.objects)]

nodes := {n | some n in arr(input.nodes); is_string(n)}

workloads contains o if {
	some o in objects
	kind(o) in workload_kinds
}

containers(o) := [obj(c) | some c in array.concat(arr(field(pod_spec(o), "initContainers")), arr(field(pod_spec(o), "containers")))]

security(c) := obj(field(c, "securityContext"))

# [flux-system-only] Flux's controllers run only in flux-system.
deny contains msg if {
	some o in workloads
	name(o) in flux_controllers
	namespace(o) != "flux-system"
	msg := sprintf("[flux-system-only] %s runs a Flux controller outside flux-system", [ref(o)])
}

# [no-secret-data] No Secret with literal data in git: secrets arrive as ExternalSecrets.
deny contains msg if {
	some o in objects
	kind(o) == "Secret"
	some f in ["data", "stringData"]
	count(obj(field(o, f))) > 0
	msg := sprintf("[no-secret-data] %s holds literal %s", [ref(o), f])
}

# [resources] Every container requests and limits cpu and memory.
deny contains msg if {
	some o in workloads
	some c in containers(o)
	some part in ["requests", "limits"]
	some resource in ["cpu", "memory"]
	field(obj(field(obj(field(c, "resources")), part)), resource) == null
	msg := sprintf("[resources] %s container %s has no %s.%s", [ref(o), str(field(c, "name")), part, resource])
}

# [host-network] hostNetwork only on the allowlist.
deny contains msg if {
	some o in workloads
	field(pod_spec(o), "hostNetwork") == true
	not key(o) in host_network_allowed
	msg := sprintf("[host-network] %s uses the host network", [ref(o)])
}

# [privileged] No privileged container.
deny contains msg if {
	some o in workloads
	some c in containers(o)
	field(security(c), "privileged") == true
	msg := sprintf("[privileged] %s container %s is privileged", [ref(o), str(field(c, "name"))])
}

# [capabilities] Added capabilities only on the allowlist.
deny contains msg if {
	some o in workloads
	some c in containers(o)
	some capability in arr(field(obj(field(security(c), "capabilities")), "add"))
	is_string(capability)
	not capability in arr(field(capabilities_allowed, key(o)))
	msg := sprintf("[capabilities] %s container %s adds %s", [ref(o), str(field(c, "name")), capability])
}

# [image-pinned] No image without a tag or digest, and no :latest.
deny contains msg if {
	some o in workloads
	some c in containers(o)
	image := str(field(c, "image"))
	not pinned(image)
	msg := sprintf("[image-pinned] %s container %s uses the unpinned image %s", [ref(o), str(field(c, "name")), image])
}

# [image-pinned] A tag that moves (a branch such as :main) is pulled on every start, or a
# rollout keeps the node's cached image (Kubernetes defaults imagePullPolicy to IfNotPresent
# for any tag but latest: kubernetes.io/docs/concepts/containers/images/#imagepullpolicy-defaulting).
deny contains msg if {
	some o in workloads
	some c in containers(o)
	image := str(field(c, "image"))
	pinned(image)
	moving(image)
	str(field(c, "imagePullPolicy")) != "Always"
	msg := sprintf(
		"[image-pinned] %s container %s uses the moving tag %s without imagePullPolicy Always",
		[ref(o), str(field(c, "name")), image],
	)
}

# A tag (no digest) that does not start with a version number (v1.2, 2025.9.1, 6.6-24.04):
# a branch or channel whose image changes under the same name. A version followed by a risk
# channel (6.6-24.04_beta: Canonical's <track>_<risk> channel tags) moves too.
moving(image) if {
	tag := image_tag(image)
	not regex.match(`^v?[0-9]`, tag)
}

moving(image) if {
	tag := image_tag(image)
	regex.match(`_(edge|beta|candidate|stable)$`, tag)
}

# The tag of a reference without a digest.
image_tag(image) := tag[1] if {
	not contains(image, "@")
	segments := split(image, "/")
	last := segments[count(segments) - 1]
	tag := split(last, ":")
	count(tag) == 2
}

# A digest after '@', or a non-empty tag other than latest on the last path component.
pinned(image) if {
	parts := split(image, "@")
	count(parts) == 2
	parts[1] != ""
}

pinned(image) if {
	not contains(image, "@")
	segments := split(image, "/")
	last := segments[count(segments) - 1]
	tag := split(last, ":")
	count(tag) == 2
	tag[1] != ""
	tag[1] != "latest"
}

# [node-exists] A workload pinned by hostname runs on a node the cluster has.
deny contains msg if {
	some o in workloads
	node := field(obj(field(pod_spec(o), "nodeSelector")), "kubernetes.io/hostname")
	is_string(node)
	not node in nodes
	msg := sprintf("[node-exists] %s is pinned to node %s, which the cluster does not have", [ref(o), node])
}

# [egress-gateway] Every workload in the policy's namespace sends HTTP(S) through the gateway
# (proxy variables)...
deny contains msg if {
	egress_namespace != ""
	some o in workloads
	namespace(o) == egress_namespace
	not key(o) in egress_exempt
	some raw in arr(field(pod_spec(o), "containers"))
	c := obj(raw)
	some variable in ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"]
	not has_env(c, variable)
	msg := sprintf("[egress-gateway] %s container %s does not set %s", [ref(o), str(field(c, "name")), variable])
}

has_env(c, variable) if {
	some e in arr(field(c, "env"))
	str(field(e, "name")) == variable
}

# ...and that namespace has a NetworkPolicy that lets its pods reach the gateway's namespace.
deny contains msg if {
	egress_namespace != ""
	some o in workloads
	namespace(o) == egress_namespace
	not gateway_reachable
	msg := sprintf(
		"[egress-gateway] %s: no NetworkPolicy in %s allows egress to %s",
		[ref(o), egress_namespace, gateway_namespace],
	)
}

gateway_reachable if {
	some p in objects
	kind(p) == "NetworkPolicy"
	namespace(p) == egress_namespace
	some rule in arr(field(spec(p), "egress"))
	some peer in arr(field(rule, "to"))
	field(obj(field(obj(field(peer, "namespaceSelector")), "matchLabels")), "kubernetes.io/metadata.name") == gateway_namespace
}

# [service-selects] Every Service with a selector selects some pod of its namespace.
deny contains msg if {
	some s in objects
	kind(s) == "Service"
	selector := obj(field(spec(s), "selector"))
	count(selector) > 0
	not selects_some(s, selector)
	msg := sprintf("[service-selects] %s selects no pod", [ref(s)])
}

selects_some(s, selector) if {
	some o in workloads
	namespace(o) == namespace(s)
	labels := pod_labels(o)
	every k, v in selector {
		is_string(v)
		labels[k] == v
	}
}

cloudflare := obj(field(obj(input.cloud), "cloudflare"))

# [dns-tunnel] Every CNAME to a tunnel names a declared tunnel (remote or local: input.tunnels).
deny contains msg if {
	some raw in arr(field(cloudflare, "dnsRecords"))
	record := obj(raw)
	upper(str(field(record, "type"))) == "CNAME"
	target := trim_suffix(lower(str(field(record, "content"))), ".")
	endswith(target, ".cfargotunnel.com")
	id := trim_suffix(target, ".cfargotunnel.com")
	not id in {str(field(t, "tunnelId")) | some t in arr(input.tunnels)}
	msg := sprintf("[dns-tunnel] DNS record %s points at tunnel %s, which the fleet does not declare", [str(field(record, "name")), id])
}
