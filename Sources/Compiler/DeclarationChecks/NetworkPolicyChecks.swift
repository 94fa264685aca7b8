import DSL
import Foundation

/// NetworkPolicies: peers name namespaces that exist; rules are of a listed policy type
/// (Kubernetes ignores the others, so an `Ingress`-only policy with egress rules silently
/// denies nothing it meant to allow); ipBlocks parse and each `except` is a strict subset of
/// its `cidr` (networking/v1 validation); selectors match some pod (a warning: pods may
/// come later).
enum NetworkPolicyChecks {
    /// Namespaces every K3s cluster has without the fleet declaring them.
    static let systemNamespaces: Set<String> = ["default", "kube-system", "kube-public", "kube-node-lease"]

    static func peers(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard case .networkPolicy(let policy) = object.payload, let namespace = object.id.namespace else {
                continue
            }
            let peers = policy.egress.flatMap(\.to) + policy.ingress.flatMap(\.from)
            for case .namespace(let ns, _) in peers where index.namespaces[ns] == nil && !systemNamespaces.contains(ns)
            {
                out.append(
                    .undeclaredNamespace(
                        ns, for: "a peer of NetworkPolicy '\(policy.name)'",
                        known: Array(index.namespaces.keys), at: policy.location))
            }
            if !policy.ingress.isEmpty && !policy.types.contains(.ingress) {
                out.append(
                    .unlistedPolicyType(policy: policy.name, rules: "ingress", type: "Ingress", at: policy.location))
            }
            if !policy.egress.isEmpty && !policy.types.contains(.egress) {
                out.append(
                    .unlistedPolicyType(policy: policy.name, rules: "egress", type: "Egress", at: policy.location))
            }
            for case .ipBlock(let cidr, let except) in peers {
                out += ipBlock(cidr, except: except, policy: policy)
            }
            out += selectors(policy, namespace: namespace, peers: peers, index: index)
        }
        return out
    }

    static func ipBlock(_ cidr: String, except: [String], policy: NetworkPolicy) -> [Diagnostic] {
        guard let block = CIDR(cidr) else {
            return [
                .invalidCIDR(
                    cidr, policy: policy.name, problem: "not an IPv4 or IPv6 CIDR like 10.0.0.0/8", at: policy.location)
            ]
        }
        var out: [Diagnostic] = []
        for excluded in except {
            guard let inner = CIDR(excluded) else {
                out.append(
                    .invalidCIDR(
                        excluded, policy: policy.name, problem: "not an IPv4 or IPv6 CIDR (in except)",
                        at: policy.location))
                continue
            }
            if !block.strictlyContains(inner) {
                out.append(
                    .invalidCIDR(
                        excluded, policy: policy.name, problem: "except must be a strict subset of '\(cidr)'",
                        at: policy.location))
            }
        }
        return out
    }

    /// Pod selectors of this namespace's pods, and of a declared namespace's pods.
    static func selectors(_ policy: NetworkPolicy, namespace: String, peers: [Peer], index: ClusterIndex)
        -> [Diagnostic]
    {
        var out: [Diagnostic] = []
        func check(_ selector: PodSelector, in ns: String, what: String) {
            guard case .labels(let labels) = selector, !labels.isEmpty, index.namespaces[ns] != nil else { return }
            let matches = index.workloads(in: ns).contains { workload in
                let pod = workload.podLabels
                return labels.allSatisfy { pod[$0.key] == $0.value }
            }
            if !matches {
                out.append(
                    .policySelectsNothing(
                        policy: policy.name, what: what, selector: labels, namespace: ns, at: policy.location))
            }
        }
        check(policy.pods, in: namespace, what: "podSelector")
        for peer in peers {
            switch peer {
            case .pods(let selector): check(selector, in: namespace, what: "peer")
            case .namespace(let ns, let selector): check(selector, in: ns, what: "peer")
            case .ipBlock: break
            }
        }
        return out
    }
}

/// An IPv4 or IPv6 network in CIDR notation (RFC 4632, RFC 4291 §2.3), as 128-bit values.
struct CIDR: Equatable {
    var address: [UInt8]
    var prefix: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]), parts[1].allSatisfy(\.isNumber) else { return nil }
        let host = String(parts[0])
        if let v4 = CIDR.ipv4(host) {
            guard (0...32).contains(prefix) else { return nil }
            address = v4
        } else if let v6 = CIDR.ipv6(host) {
            guard (0...128).contains(prefix) else { return nil }
            address = v6
        } else {
            return nil
        }
        self.prefix = prefix
    }

    static func ipv4(_ s: String) -> [UInt8]? {
        let octets = s.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var bytes: [UInt8] = []
        for octet in octets {
            guard !octet.isEmpty, octet.count <= 3, octet.allSatisfy(\.isNumber), let value = UInt8(octet),
                octet.count == 1 || octet.first != "0"
            else { return nil }
            bytes.append(value)
        }
        return bytes
    }

    static func ipv6(_ s: String) -> [UInt8]? {
        guard s.contains(":") else { return nil }
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                out.append(value)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        var all = head
        if halves.count == 2 {
            guard let tail = groups(halves[1]), head.count + tail.count < 8 else { return nil }
            all += Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        }
        guard all.count == 8 else { return nil }
        return all.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
    }

    /// Whether `other` lies inside this network with a longer prefix.
    func strictlyContains(_ other: CIDR) -> Bool {
        guard other.address.count == address.count, other.prefix > prefix else { return false }
        var bits = prefix
        for (a, b) in zip(address, other.address) where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a & mask != b & mask { return false }
            bits -= 8
        }
        return true
    }
}
