import DSL

/// RoleBindings bind declared Roles to declared ServiceAccounts.
enum RBACChecks {
    static func references(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            guard case .roleBinding(let binding) = object.payload, let ns = object.id.namespace else { continue }
            let objects = index.objects(in: ns)
            let roles = objects.filter { $0.id.kind == "Role" }.map(\.id.name)
            let accounts = objects.filter { $0.id.kind == "ServiceAccount" }.map(\.id.name)
            if !roles.contains(binding.role) {
                out.append(
                    .undeclaredRole(
                        binding.role, binding: binding.name, namespace: ns, known: roles, at: binding.location))
            }
            for account in binding.serviceAccounts where !accounts.contains(account) {
                out.append(
                    .undeclaredServiceAccount(
                        account, user: "RoleBinding '\(binding.name)'", namespace: ns,
                        known: accounts, at: binding.location))
            }
        }
        return out
    }
}
