import CloudState
import Foundation

/// What oceanid-gen never writes, found before any request: a desired state edited by hand
/// (or by another tool) could otherwise create objects the applier then disowns (no
/// ownership marker), create twins (duplicates), churn forever, or put unchecked text into
/// URL paths. The first problems are reported, each naming the field.
enum StateValidation {
    static func problems(_ state: DesiredState) -> [String] {
        var out: [String] = []
        let cloudflare = state.cloudflare
        func hex32(_ value: String) -> Bool {
            value.count == 32 && value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        }
        func controlFree(_ value: String) -> Bool {
            !value.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f }
        }
        if !cloudflare.zoneId.isEmpty, !hex32(cloudflare.zoneId) {
            out.append("cloudflare.zoneId '\(cloudflare.zoneId)' is not 32 lower-case hex digits")
        }
        if !cloudflare.accountId.isEmpty, !hex32(cloudflare.accountId) {
            out.append("cloudflare.accountId '\(cloudflare.accountId)' is not 32 lower-case hex digits")
        }
        for tunnel in cloudflare.tunnels where UUID(uuidString: tunnel.tunnelId) == nil {
            out.append("tunnel \(tunnel.name): tunnelId '\(tunnel.tunnelId)' is not a UUID")
        }
        for record in cloudflare.dnsRecords {
            if record.comment != DNSRecord.ownershipComment {
                out.append(
                    "DNS record \(record.name): comment '\(record.comment)' is not the ownership marker "
                        + "'\(DNSRecord.ownershipComment)'"
                )
            }
            if !["A", "AAAA", "CNAME", "TXT"].contains(record.type) {
                out.append("DNS record \(record.name): type '\(record.type)' is not A, AAAA, CNAME or TXT")
            }
            if record.name.isEmpty || !controlFree(record.name + record.content) {
                out.append("DNS record '\(record.name)': name or content is empty or has control characters")
            }
        }
        out += duplicates(cloudflare.dnsRecords.map { DNSPlanner.key($0.type, $0.name) }, "DNS record")
        for app in cloudflare.accessApplications {
            if !app.name.hasSuffix(AccessApplication.ownershipSuffix) {
                out.append(
                    "Access application \(app.domain): name '\(app.name)' does not end with "
                        + "'\(AccessApplication.ownershipSuffix)'"
                )
            }
            if app.domain.isEmpty || !controlFree(app.name + app.domain) {
                out.append("Access application '\(app.domain)': domain is empty or has control characters")
            }
            if app.sessionDurationSeconds <= 0 {
                out.append("Access application \(app.domain): sessionDurationSeconds must be positive")
            }
        }
        out += duplicates(
            cloudflare.accessApplications.map { CloudflareAccess.domainKey($0.domain) }, "Access application for")
        let bridge = state.crunchyBridge
        if !bridge.networkId.isEmpty || !bridge.firewallRules.isEmpty {
            if bridge.networkId.isEmpty || !bridge.networkId.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) })
            {
                out.append("crunchyBridge.networkId '\(bridge.networkId)' is not a CrunchyBridge network ID")
            }
            if bridge.firewallRules.isEmpty {
                out.append(
                    "the firewall of network \(bridge.networkId) admits nothing; oceanid-apply never empties a "
                        + "firewall (every client would be locked out)"
                )
            }
        }
        out += duplicates(bridge.firewallRules.map { FirewallPlanner.normalized($0.rule) }, "firewall rule")
        let studio = state.labelStudio
        if !studio.storages.isEmpty, studio.url.isEmpty { out.append("labelStudio.url is empty") }
        for storage in studio.storages {
            if !["import", "export"].contains(storage.direction) {
                out.append(
                    "Label Studio storage '\(storage.title)': direction '\(storage.direction)' is not import or export")
            }
            if !storage.title.hasSuffix(LabelStudioStorage.ownershipSuffix) || !controlFree(storage.title) {
                out.append(
                    "Label Studio storage '\(storage.title)': the title does not end with "
                        + "'\(LabelStudioStorage.ownershipSuffix)'"
                )
            }
            if storage.bucket.isEmpty || !controlFree(storage.bucket + storage.prefix) {
                out.append(
                    "Label Studio storage '\(storage.title)': bucket is empty, or bucket or prefix has control "
                        + "characters"
                )
            }
        }
        out += duplicates(
            studio.storages.map {
                "\($0.direction) storage " + LabelStudioStorage.place(bucket: $0.bucket, prefix: $0.prefix)
            }, "Label Studio")
        // A bucket name S3 accepts (3-63 of a-z, 0-9, '.', '-') cannot reshape the URL it goes
        // into; a rule without an ID could never be matched again (every plan would add one).
        for cors in studio.bucketCORS {
            let nameCharacters = cors.bucket.allSatisfy {
                ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "." || $0 == "-"
            }
            if !(3...63).contains(cors.bucket.count) || !nameCharacters {
                out.append("bucket CORS: '\(cors.bucket)' is not an S3 bucket name")
            }
            for rule in cors.rules {
                if rule.id.isEmpty || !controlFree(rule.id) {
                    out.append("bucket CORS of \(cors.bucket): a rule has no ID (the applier matches its rules by ID)")
                }
                let methods = Set(["GET", "PUT", "POST", "DELETE", "HEAD"])
                if rule.allowedMethods.isEmpty || !rule.allowedMethods.allSatisfy(methods.contains)
                    || rule.allowedOrigins.isEmpty
                {
                    out.append(
                        "bucket CORS of \(cors.bucket): rule '\(rule.id)' needs origins and methods among GET, PUT, "
                            + "POST, DELETE, HEAD")
                }
            }
            out += duplicates(cors.rules.map(\.id), "bucket CORS of \(cors.bucket): rule")
        }
        out += duplicates(studio.bucketCORS.map(\.bucket), "bucket CORS of")
        for endpoint in state.modelServing.endpoints {
            if endpoint.url.isEmpty { out.append("a model-serving endpoint has no url") }
            for model in endpoint.models where !ModelEndpoint.isModelName(model) {
                out.append(
                    "Triton model '\(model)' at \(endpoint.url) is not a repository directory name "
                        + "(letters, digits, '_', '-', '.')"
                )
            }
            out += duplicates(endpoint.models, "Triton model at \(endpoint.url):")
        }
        return out
    }

    static func duplicates(_ keys: [String], _ what: String) -> [String] {
        var seen: Set<String> = []
        var reported: Set<String> = []
        return keys.compactMap { key in
            if seen.insert(key).inserted || !reported.insert(key).inserted { return nil }
            return "\(what) \(key) is declared twice"
        }
    }
}
