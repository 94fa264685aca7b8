import CloudState
import Foundation

/// `oceanid-apply plan|apply`: reconciles `cloud/desired-state.json` with the providers.
/// Commands run in-process for the tests; output goes through the two closures. Exit codes
/// (like `terraform plan -detailed-exitcode`): plan 0 nothing to change, 2 changes planned,
/// 1 error; apply 0 done (or nothing to do), 1 error.
public enum ApplyCLI {
    public static let usage = """
        USAGE: oceanid-apply <plan|apply> [--state <path>] [--json] [--yes] [--reload-models] [--timeout <seconds>]

        Reconciles what git cannot hold with the desired state oceanid-gen writes
        (cloud/desired-state.json), in this order: the remotely managed tunnels' ingress
        configurations, the Cloudflare DNS records of the zone, the Access applications and
        their policies, the CrunchyBridge network firewall, every Label Studio project's S3
        storages and the Triton models to keep loaded.

          plan    read live state, print what would be created, updated or deleted
                  (exit 0: nothing to change, 2: changes planned, 1: error or a conflict,
                  64: usage)
          apply   plan, then do it, in order (creates before deletes); asks on a terminal
                  unless --yes, and needs --yes without one (exit 0 done, 1 error)

        OPTIONS:
          --state <path>   the desired state (default: cloud/desired-state.json)
          --json           one JSON document on stdout: {command, exitCode, plan: [...], done: [...], error?}
          --yes            apply without asking
          --timeout <seconds>  the longest one request may take, answer included (default
                           60); a request that times out is retried like a reset
          --reload-models  plan a reload of every declared Triton model, even a ready one
                           (after training published a new version)

        ENVIRONMENT:
          CLOUDFLARE_API_TOKEN     the API token (Zone DNS:Edit; Account Cloudflare Tunnel:Edit,
                                   Access: Apps and Policies:Edit, Access: Service Tokens:Read); never printed
          OCEANID_CLOUDFLARE_API   the API's base URL (default https://api.cloudflare.com/client/v4);
                                   plain http only to loopback (tests' fake servers)
          BRIDGE_TOKEN             the CrunchyBridge API key; never printed
          OCEANID_CRUNCHYBRIDGE_API  its base URL (default https://api.crunchybridge.com)
          LABEL_STUDIO_API_KEY     Label Studio's API token (legacy token or personal access
                                   token); never printed
          LABEL_STUDIO_AWS_ACCESS_KEY_ID, LABEL_STUDIO_AWS_SECRET_ACCESS_KEY
                                   the S3 keys new storages get (ESC aws.labelStudio.*);
                                   needed by apply only; Label Studio never returns them
          OCEANID_LABELSTUDIO_URL  Label Studio's base URL (default: the desired state's)
          CF_ACCESS_CLIENT_ID, CF_ACCESS_CLIENT_SECRET
                                   the Access service token for Triton behind Access
          OCEANID_TRITON_URL       Triton's base URL (default: the desired state's)

        Only DNS records carrying the ownership comment ("\(DNSRecord.ownershipComment)")
        and Access applications and Label Studio storages whose name or title ends in
        "\(AccessApplication.ownershipSuffix)" are ever changed or deleted; a record in
        the way that the applier does not own is a conflict, reported and left alone. The firewall list is the fleet's alone: rules it
        does not declare are removed, after the declared ones exist.
        """

    struct Report: Encodable {
        var command: String
        var exitCode: Int32
        var plan: [PlanItem]
        var done: [PlanItem]
        var error: String?
    }

    public static func run(_ arguments: [String], environment: [String: String] = ProcessInfo.processInfo.environment,
                           isTerminal: Bool = isatty(0) == 1, retry: RetryPolicy = RetryPolicy(),
                           readLine: () -> String? = { Swift.readLine() },
                           out: (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) },
                           err: (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) -> Int32 {
        if arguments.contains("--help") || arguments.contains("-h") || arguments.first == "help" { out(usage + "\n"); return 0 }
        let parsed: Options
        switch Options.parse(arguments) {
        case .success(let options): parsed = options
        case .failure(let usageError):
            err("error: \(usageError.message)\nRun 'oceanid-apply --help' for the commands, options and environment.\n")
            if arguments.contains("--json") {
                let report = Report(command: usageError.command ?? "", exitCode: 64, plan: [], done: [], error: usageError.message)
                out(encoded(report) + "\n")
            }
            return 64
        }
        let command = parsed.command, json = parsed.json, yes = parsed.yes, statePath = parsed.statePath, reloadModels = parsed.reloadModels
        var options = HTTPClient.Options()
        options.totalTimeoutSeconds = parsed.timeoutSeconds
        var planned: [PlanItem] = []
        var done: [PlanItem] = []
        func finish(_ code: Int32, error: String? = nil, printed: Bool = false) -> Int32 {
            if let error, !printed { err("error: \(printable(error))\n") }
            if json { out(encoded(Report(command: command, exitCode: code, plan: planned, done: done, error: error)) + "\n") }
            return code
        }
        // Everything that can be known without a request is checked first.
        guard let data = FileManager.default.contents(atPath: statePath) else {
            return finish(1, error: "cannot read the desired state \(statePath); run oceanid-gen build first")
        }
        let state: DesiredState
        do {
            state = try JSONDecoder().decode(DesiredState.self, from: data)
        } catch {
            let version = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["schemaVersion"] as? Int
            if let version, version > DesiredState.currentSchemaVersion {
                return finish(1, error: "\(statePath) has schema version \(version), newer than this applier's \(DesiredState.currentSchemaVersion); update oceanid-apply")
            }
            func place(_ path: [CodingKey]) -> String { path.isEmpty ? "the top level" : path.map(\.stringValue).joined(separator: ".") }
            let isJSON = (try? JSONSerialization.jsonObject(with: data)) != nil
            let reason: String
            switch error {
            case DecodingError.keyNotFound(let key, let context): reason = "'\(key.stringValue)' is missing at \(place(context.codingPath))"
            case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
                reason = "\(place(context.codingPath)) has the wrong type"
            case DecodingError.dataCorrupted(let context):
                reason = isJSON ? "\(place(context.codingPath)) holds a value out of range (a fraction or a number too large)" : "it is not JSON"
            default: reason = "\(error)"
            }
            return finish(1, error: "\(statePath) is not a desired state oceanid-gen wrote (\(reason)); run oceanid-gen build")
        }
        guard state.schemaVersion >= 1 else {
            return finish(1, error: "\(statePath) has schema version \(state.schemaVersion); versions start at 1; run oceanid-gen build")
        }
        guard state.schemaVersion <= DesiredState.currentSchemaVersion else {
            return finish(1, error: "\(statePath) has schema version \(state.schemaVersion), newer than this applier's \(DesiredState.currentSchemaVersion); update oceanid-apply")
        }
        // A credential with a control character (a line break pasted with it) would forge a
        // header; a very short one is a truncated paste, and scrubbing it from messages would
        // shred them. Both are refused before anything else.
        for name in Self.credentialVariables {
            guard let value = environment[name], !value.isEmpty else { continue }
            if value.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }) {
                return finish(1, error: "\(name) holds a space, line break or control character (copied with the value?); nothing was requested")
            }
            if value.count < 8 {
                return finish(1, error: "\(name) is \(value.count) characters long, too short for a credential (truncated?); nothing was requested")
            }
        }
        if let problem = StateValidation.problems(state).first {
            return finish(1, error: "\(statePath) is not a desired state oceanid-gen writes: \(problem); run oceanid-gen build; nothing was requested")
        }
        // Each provider with desired state needs its credentials, checked before any request;
        // everything missing is reported at once.
        var blocked: [String] = []
        var tokens: [String] = []
        var planners: [() throws -> [Change]] = []
        let client = HTTPClient(options: options)
        let cloudflare = state.cloudflare
        // A provider runs when its section is configured, so an emptied list still removes
        // what the applier made: Cloudflare when the zone is set (Access when the account is),
        // Label Studio when its URL is. The firewall never runs empty (see StateValidation).
        let realAccount = cloudflare.accountId.count == 32 && !cloudflare.accountId.allSatisfy({ $0 == "0" })
        if !cloudflare.zoneId.isEmpty || !cloudflare.dnsRecords.isEmpty || !cloudflare.tunnels.isEmpty || !cloudflare.accessApplications.isEmpty {
            let before = blocked.count
            let token = environment["CLOUDFLARE_API_TOKEN"] ?? ""
            if token.isEmpty { blocked.append("CLOUDFLARE_API_TOKEN is not set (the ESC key \(cloudflare.apiToken?.escKey ?? "cloudflareApiToken"))") }
            if cloudflare.zoneId.count != 32 || cloudflare.zoneId.allSatisfy({ $0 == "0" }) {
                blocked.append("the zone ID in \(statePath) is '\(cloudflare.zoneId)', not a real one; set cloudflareZoneId in settings.yaml and rebuild")
            }
            if !(cloudflare.tunnels.isEmpty && cloudflare.accessApplications.isEmpty || realAccount) {
                blocked.append("the account ID in \(statePath) is '\(cloudflare.accountId)', not a real one; set cloudflareAccountId in settings.yaml and rebuild")
            }
            for tunnel in cloudflare.tunnels where tunnel.tunnelId.allSatisfy({ $0 == "0" || $0 == "-" }) {
                blocked.append("tunnel \(tunnel.name) has the placeholder ID in \(statePath); set its ID in settings.yaml (cloudflareTunnelId for the cluster tunnel) and rebuild")
            }
            // A locally managed tunnel has no configuration here, but its hostnames' records
            // point at its ID: a placeholder would publish a CNAME to a tunnel that is nobody's.
            for record in cloudflare.dnsRecords where record.content.hasSuffix(".cfargotunnel.com")
                && record.content.dropLast(".cfargotunnel.com".count).allSatisfy({ $0 == "0" || $0 == "-" }) {
                blocked.append("DNS record \(record.name) points at the placeholder tunnel ID \(record.content); set the tunnel's ID in settings.yaml (cloudflareNodeTunnelId for the node tunnel) and rebuild")
            }
            if blocked.count == before {
                tokens.append(token)
                let base = environment["OCEANID_CLOUDFLARE_API"] ?? "https://api.cloudflare.com/client/v4"
                let tunnels = CloudflareTunnels(baseURL: base, accountId: cloudflare.accountId, token: token, client: client, retry: retry)
                planners.append(labelled("Cloudflare tunnels") {
                    try cloudflare.tunnels.compactMap { tunnel -> Change? in
                        let live = try tunnels.ingress(tunnel)
                        guard CloudflareTunnels.differs(live: live, desired: tunnel.ingress) else { return nil }
                        let detail = live.isEmpty ? "no remote configuration yet; \(tunnel.ingress.count) ingress rules"
                            : "ingress differs (" + CloudflareTunnels.differences(live: live, desired: tunnel.ingress).joined(separator: "; ") + "); replaced whole"
                        return Change(item: PlanItem(action: .update, provider: "tunnel", object: "\(tunnel.name) \(tunnel.tunnelId)", detail: detail)) {
                            try tunnels.put(tunnel)
                        }
                    }
                })
                let dns = CloudflareDNS(baseURL: base, zoneId: cloudflare.zoneId, token: token, client: client, retry: retry)
                planners.append(labelled("Cloudflare DNS") {
                    DNSPlanner.plan(desired: cloudflare.dnsRecords, live: try dns.list()).map { step in
                        Change(item: step.item) {
                            switch step.item.action {
                            case .create: _ = try dns.create(step.desired!)
                            case .update: try dns.update(step.live!.id, to: step.desired!)
                            case .delete: try dns.delete(step.live!)
                            case .conflict: break
                            }
                        }
                    }
                })
                // After DNS: a name resolves before the app that guards it exists (research: tunnel → DNS → Access).
                if !cloudflare.accessApplications.isEmpty || realAccount {
                    let access = CloudflareAccess(baseURL: base, accountId: cloudflare.accountId, token: token, client: client, retry: retry)
                    planners.append(labelled("Cloudflare Access") { try access.plan(cloudflare.accessApplications) })
                }
            }
        }
        let bridge = state.crunchyBridge
        if !bridge.firewallRules.isEmpty {
            let token = environment["BRIDGE_TOKEN"] ?? ""
            if token.isEmpty { blocked.append("BRIDGE_TOKEN is not set (the ESC key \(bridge.apiKey?.escKey ?? "crunchyBridgeApiKey"))") }
            tokens.append(token)
            let firewall = CrunchyBridgeFirewall(baseURL: environment["OCEANID_CRUNCHYBRIDGE_API"] ?? "https://api.crunchybridge.com",
                                                 networkId: bridge.networkId, token: token, client: client, retry: retry)
            planners.append(labelled("CrunchyBridge") {
                FirewallPlanner.plan(desired: bridge.firewallRules, live: try firewall.list()).map { step in
                    Change(item: step.item) {
                        switch step.item.action {
                        case .create: try firewall.create(step.desired!)
                        case .update: try firewall.update(step.live!.id, to: step.desired!)
                        case .delete: try firewall.delete(step.live!)
                        case .conflict: break
                        }
                    }
                }
            })
        }
        let labelStudio = state.labelStudio
        if !labelStudio.storages.isEmpty || !labelStudio.url.isEmpty {
            let key = environment["LABEL_STUDIO_API_KEY"] ?? ""
            if key.isEmpty { blocked.append("LABEL_STUDIO_API_KEY is not set (the ESC key \(labelStudio.apiToken?.escKey ?? "labelStudioApiKey"))") }
            tokens.append(key)
            // Storages get their S3 keys when created: apply needs them, plan does not.
            let keyId = environment["LABEL_STUDIO_AWS_ACCESS_KEY_ID"] ?? "", secret = environment["LABEL_STUDIO_AWS_SECRET_ACCESS_KEY"] ?? ""
            if command == "apply" {
                if keyId.isEmpty || secret.isEmpty {
                    let keys = labelStudio.storages.first.map { "\($0.accessKeyId.escKey), \($0.secretAccessKey.escKey)" } ?? ""
                    blocked.append("LABEL_STUDIO_AWS_ACCESS_KEY_ID and LABEL_STUDIO_AWS_SECRET_ACCESS_KEY must both be set for apply (the ESC keys \(keys))")
                }
                tokens += [keyId, secret]
            }
            let studio = LabelStudioClient(baseURL: environment["OCEANID_LABELSTUDIO_URL"] ?? labelStudio.url, apiKey: key, client: client, retry: retry)
            planners.append(labelled("Label Studio") { try LabelStudioPlanner.plan(labelStudio, client: studio) { (keyId, secret) } })
        }
        let endpoints = state.modelServing.endpoints.filter { !$0.models.isEmpty }
        if !endpoints.isEmpty {
            var access: (id: String, secret: String)?
            if endpoints.contains(where: \.accessProtected) {
                let id = environment["CF_ACCESS_CLIENT_ID"] ?? "", secret = environment["CF_ACCESS_CLIENT_SECRET"] ?? ""
                if id.isEmpty || secret.isEmpty {
                    blocked.append("CF_ACCESS_CLIENT_ID and CF_ACCESS_CLIENT_SECRET must both be set: Cloudflare Access guards \(endpoints.first { $0.accessProtected }!.url)")
                }
                access = (id, secret)
                tokens += [id, secret]
            }
            for endpoint in endpoints {
                let triton = TritonModels(url: environment["OCEANID_TRITON_URL"] ?? endpoint.url, access: endpoint.accessProtected ? access : nil,
                                          client: client, retry: retry)
                planners.append(labelled("Triton") { try triton.plan(endpoint, reload: reloadModels) })
            }
        }
        guard blocked.isEmpty else {
            // One line per problem, so each reads on its own; the JSON error joins them.
            for problem in blocked { err("error: \(printable(problem))\n") }
            err("error: nothing was requested\n")
            return finish(1, error: blocked.joined(separator: "; ") + "; nothing was requested", printed: true)
        }
        guard !planners.isEmpty else { return finish(0) }
        func scrubbed(_ error: Error) -> String { tokens.reduce("\(error)") { scrub($0, $1) } }
        var steps: [Change] = []
        do {
            for planner in planners { steps += try planner() }
        } catch {
            return finish(1, error: scrubbed(error))
        }
        planned = steps.map(\.item)
        if !json { out(printable(table(planned))) }
        let changes = steps.filter { $0.item.action != .conflict }
        let conflicts = steps.filter { $0.item.action == .conflict }
        // A conflict means the desired state cannot be reached without touching what is not
        // ours: an error for scripts (exit 1), after whatever else can be done.
        let conflictError = conflicts.isEmpty ? nil
            : "\(conflicts.count) object\(conflicts.count == 1 ? "" : "s") in the way that the applier does not own: "
              + conflicts.map(\.item.object).joined(separator: ", ") + "; remove or adopt \(conflicts.count == 1 ? "it" : "them") by hand"
        if command == "plan" {
            if let conflictError { return finish(1, error: conflictError) }
            return finish(changes.isEmpty ? 0 : 2)
        }
        guard !changes.isEmpty else { return finish(conflictError == nil ? 0 : 1, error: conflictError) }
        if !yes {
            // --json keeps stdout one document: no prompt there.
            guard isTerminal, !json else { return finish(1, error: json ? "apply --json needs --yes" : "apply without a terminal needs --yes") }
            err("Apply \(changes.count) change\(changes.count == 1 ? "" : "s")? Type yes: ")
            guard readLine() == "yes" else { return finish(1, error: "not confirmed; nothing was changed") }
        }
        // Creates and updates first, deletes last: a failure never leaves a name without a
        // record, nor the database without an allowed source.
        let ordered = changes.filter { $0.item.action != .delete } + changes.filter { $0.item.action == .delete }
        for step in ordered {
            do {
                try step.run()
                done.append(step.item)
                if !json { out(printable("done: \(step.item.action.rawValue) \(step.item.provider) \(step.item.object)") + "\n") }
            } catch {
                return finish(1, error: "\(step.item.action.rawValue) \(step.item.object) failed: \(scrubbed(error)); done before it: "
                              + (done.isEmpty ? "nothing" : done.map { "\($0.action.rawValue) \($0.object)" }.joined(separator: ", "))
                              + "; run apply again to converge")
            }
        }
        if !json { out("Applied \(done.count) change\(done.count == 1 ? "" : "s").\n") }
        return finish(conflictError == nil ? 0 : 1, error: conflictError)
    }

    /// Every environment variable holding a secret.
    static let credentialVariables = ["CLOUDFLARE_API_TOKEN", "BRIDGE_TOKEN", "LABEL_STUDIO_API_KEY", "LABEL_STUDIO_AWS_ACCESS_KEY_ID",
                                      "LABEL_STUDIO_AWS_SECRET_ACCESS_KEY", "CF_ACCESS_CLIENT_ID", "CF_ACCESS_CLIENT_SECRET"]

    static func encoded(_ report: Report) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(report)) ?? Data(), as: UTF8.self)
    }

    /// The command line: one command, each option at most once, values where they belong.
    struct Options {
        var command = ""
        var json = false, yes = false, reloadModels = false
        var statePath = "cloud/desired-state.json"
        var timeoutSeconds = 60.0

        struct UsageError: Error { var message: String; var command: String? }

        static func parse(_ arguments: [String]) -> Result<Options, UsageError> {
            var options = Options()
            var seen: Set<String> = []
            var command: String?
            var i = 0
            func fail(_ message: String) -> Result<Options, UsageError> { .failure(UsageError(message: message, command: command)) }
            while i < arguments.count {
                let argument = arguments[i]
                if argument.hasPrefix("-") {
                    guard seen.insert(argument).inserted else { return fail("\(argument) is given twice") }
                }
                switch argument {
                case "--json": options.json = true
                case "--yes": options.yes = true
                case "--reload-models": options.reloadModels = true
                case "--state", "--timeout":
                    guard i + 1 < arguments.count, !arguments[i + 1].hasPrefix("--") else { return fail("\(argument) needs a value") }
                    i += 1
                    if argument == "--state" {
                        options.statePath = arguments[i]
                    } else {
                        // libcurl counts milliseconds; 0 would mean no limit at all.
                        guard let seconds = Double(arguments[i]), seconds.isFinite, seconds >= 0.001, seconds <= 86_400 else {
                            return fail("--timeout needs seconds between 0.001 and 86400, not '\(arguments[i])'")
                        }
                        options.timeoutSeconds = seconds
                    }
                default:
                    if argument.hasPrefix("-") { return fail("unknown option '\(argument)'") }
                    guard command == nil else { return fail("unexpected argument '\(argument)' (one command: plan or apply)") }
                    guard ["plan", "apply"].contains(argument) else { return fail("unknown command '\(argument)'; expected plan or apply") }
                    command = argument
                }
                i += 1
            }
            guard let command else { return fail("expected a command, plan or apply") }
            options.command = command
            return .success(options)
        }
    }

    /// A token never appears in output.
    static func scrub(_ text: String, _ token: String) -> String {
        token.isEmpty ? text : text.replacingOccurrences(of: token, with: "<token>")
    }

    /// Text from a provider (a rule's description, a title) may hold terminal escapes: shown
    /// with control characters replaced, so it can never redraw or retitle the terminal.
    static func printable(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 && scalar != "\n" || (0x7f...0x9f).contains(scalar.value) ? "\u{FFFD}" : scalar
        }))
    }

    /// The plan as a table: action, provider, object, detail.
    static func table(_ items: [PlanItem]) -> String {
        guard !items.isEmpty else { return "No changes: the live state matches the desired state.\n" }
        let width = items.map(\.object.count).max() ?? 0
        let providerWidth = (items.map(\.provider.count).max() ?? 0) + 1
        var text = ""
        for item in items {
            text += item.action.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                + item.provider.padding(toLength: providerWidth, withPad: " ", startingAt: 0)
                + item.object.padding(toLength: width + 2, withPad: " ", startingAt: 0) + item.detail + "\n"
        }
        let counts = PlanItem.Action.allCasesInOrder.map { action in "\(items.filter { $0.action == action }.count) to \(action.rawValue)" }
        return text + "Plan: " + counts.joined(separator: ", ") + ".\n"
    }
}

extension PlanItem.Action {
    static let allCasesInOrder: [PlanItem.Action] = [.create, .update, .delete, .conflict]
}

/// A planner whose failure to reach its provider names the provider (libcurl's messages
/// name only a host).
func labelled(_ provider: String, _ body: @escaping () throws -> [Change]) -> () throws -> [Change] {
    {
        do { return try body() } catch let error as HTTPError { throw ProviderError("\(provider): \(error)") }
    }
}

/// One planned change and what carries it out.
struct Change {
    var item: PlanItem
    var run: () throws -> Void
}
