# The fleet's guardrails, evaluated against policy/input/<cluster>.json (written by
# oceanid-gen build) by OPA/regorus in CI, and by the same rules in Swift inside
# `oceanid-gen check` and `build` (Sources/Compiler/Check/Guardrails.swift). A parity test
# (make test) runs both over policy/tests/ and requires identical verdicts.
#
# Every message starts with its rule id in brackets and names the object.
package oceanid.guardrails

import rego.v1

# Workloads allowed host privileges, by namespace/name: the node tunnels (host network),
# the Tailscale router (NET_ADMIN, NET_RAW) and the egress gateway (squid drops to its user).
host_network_allowed := {"node-tunnels/cloudflared-node"}

capabilities_allowed := {
	"tailscale/tailscale-router": {"NET_ADMIN", "NET_RAW"},
	"egress-system/egress-gateway": {"SETUID", "SETGID", "CHOWN"},
}

# Workloads of apps that reach nothing over HTTP(S): the Postgres forwarder is itself the
# egress path for the database.
egress_exempt := {"apps/egress-db-proxy"}

flux_controllers := {
	"source-controller", "kustomize-controller", "helm-controller", "notification-controller",
	"image-reflector-controller", "image-automation-controller",
}

workload_kinds := {"Deployment", "DaemonSet", "StatefulSet", "ReplicaSet", "Job", "CronJob", "Pod"}

ref(o) := sprintf("%s %s/%s", [o.kind, object.get(o.metadata, "namespace", ""), o.metadata.name])

key(o) := sprintf("%s/%s", [object.get(o.metadata, "namespace", ""), o.metadata.name])

pod_spec(o) := o.spec if o.kind == "Pod"

pod_spec(o) := o.spec.jobTemplate.spec.template.spec if o.kind == "CronJob"

pod_spec(o) := o.spec.template.spec if not o.kind in {"Pod", "CronJob"}

pod_labels(o) := object.get(o.metadata, "labels", {}) if o.kind == "Pod"

pod_labels(o) := object.get(o.spec.jobTemplate.spec.template.metadata, "labels", {}) if o.kind == "CronJob"

pod_labels(o) := object.get(o.spec.template.metadata, "labels", {}) if not o.kind in {"Pod", "CronJob"}

workloads contains o if {
	some o in input.objects
	o.kind in workload_kinds
}

containers(o) := array.concat(object.get(pod_spec(o), "initContainers", []), object.get(pod_spec(o), "containers", []))

# [flux-system-only] Flux's controllers run only in flux-system.
deny contains msg if {
	some o in workloads
	o.metadata.name in flux_controllers
	o.metadata.namespace != "flux-system"
	msg := sprintf("[flux-system-only] %s runs a Flux controller outside flux-system", [ref(o)])
}

# [no-secret-data] No Secret with literal data in git: secrets arrive as ExternalSecrets.
deny contains msg if {
	some o in input.objects
	o.kind == "Secret"
	some field in {"data", "stringData"}
	count(object.get(o, field, {})) > 0
	msg := sprintf("[no-secret-data] %s holds literal %s", [ref(o), field])
}

# [resources] Every container requests and limits cpu and memory.
deny contains msg if {
	some o in workloads
	some c in containers(o)
	some part in ["requests", "limits"]
	some resource in ["cpu", "memory"]
	not c.resources[part][resource]
	msg := sprintf("[resources] %s container %s has no %s.%s", [ref(o), c.name, part, resource])
}

# [host-network] hostNetwork only on the allowlist.
deny contains msg if {
	some o in workloads
	pod_spec(o).hostNetwork == true
	not key(o) in host_network_allowed
	msg := sprintf("[host-network] %s uses the host network", [ref(o)])
}

# [privileged] No privileged container.
deny contains msg if {
	some o in workloads
	some c in containers(o)
	c.securityContext.privileged == true
	msg := sprintf("[privileged] %s container %s is privileged", [ref(o), c.name])
}

# [capabilities] Added capabilities only on the allowlist.
deny contains msg if {
	some o in workloads
	some c in containers(o)
	some capability in object.get(object.get(c, "securityContext", {}), ["capabilities", "add"], [])
	not capability in object.get(capabilities_allowed, key(o), set())
	msg := sprintf("[capabilities] %s container %s adds %s", [ref(o), c.name, capability])
}

# [image-pinned] No image without a tag or digest, and no :latest.
deny contains msg if {
	some o in workloads
	some c in containers(o)
	not pinned(c.image)
	msg := sprintf("[image-pinned] %s container %s uses the unpinned image %s", [ref(o), c.name, c.image])
}

pinned(image) if contains(image, "@")

pinned(image) if {
	not contains(image, "@")
	parts := split(image, "/")
	last := parts[count(parts) - 1]
	contains(last, ":")
	not endswith(last, ":latest")
}

# [node-exists] A workload pinned by hostname runs on a node the cluster has.
deny contains msg if {
	some o in workloads
	node := pod_spec(o).nodeSelector["kubernetes.io/hostname"]
	not node in input.nodes
	msg := sprintf("[node-exists] %s is pinned to node %s, which the cluster does not have", [ref(o), node])
}

# [egress-gateway] Every workload in apps sends HTTP(S) through the gateway (proxy variables)...
deny contains msg if {
	some o in workloads
	o.metadata.namespace == "apps"
	not key(o) in egress_exempt
	some c in object.get(pod_spec(o), "containers", [])
	some variable in ["HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"]
	not has_env(c, variable)
	msg := sprintf("[egress-gateway] %s container %s does not set %s", [ref(o), c.name, variable])
}

has_env(c, name) if {
	some e in object.get(c, "env", [])
	e.name == name
}

# ...and apps has a NetworkPolicy that lets its pods reach the gateway's namespace.
deny contains msg if {
	some o in workloads
	o.metadata.namespace == "apps"
	not gateway_reachable
	msg := sprintf("[egress-gateway] %s: no NetworkPolicy in apps allows egress to egress-system", [ref(o)])
}

gateway_reachable if {
	some p in input.objects
	p.kind == "NetworkPolicy"
	p.metadata.namespace == "apps"
	some rule in object.get(p.spec, "egress", [])
	some peer in object.get(rule, "to", [])
	peer.namespaceSelector.matchLabels["kubernetes.io/metadata.name"] == "egress-system"
}

# [service-selects] Every Service with a selector selects some pod of its namespace.
deny contains msg if {
	some s in input.objects
	s.kind == "Service"
	selector := object.get(s.spec, "selector", {})
	count(selector) > 0
	not selects_some(s, selector)
	msg := sprintf("[service-selects] %s selects no pod", [ref(s)])
}

selects_some(s, selector) if {
	some o in workloads
	o.metadata.namespace == s.metadata.namespace
	labels := pod_labels(o)
	every k, v in selector {
		labels[k] == v
	}
}

# [dns-tunnel] Every CNAME to a tunnel names a declared tunnel.
deny contains msg if {
	some record in object.get(object.get(input.cloud, "cloudflare", {}), "dnsRecords", [])
	endswith(record.content, ".cfargotunnel.com")
	id := trim_suffix(record.content, ".cfargotunnel.com")
	not id in {t.tunnelId | some t in input.cloud.cloudflare.tunnels}
	msg := sprintf("[dns-tunnel] DNS record %s points at tunnel %s, which the fleet does not declare", [record.name, id])
}
