import DSL
import Fleet
import Foundation
import OceanidGenKit
import TestSupport
import Testing

/// `oceanid-gen explain`: from any generated line back to the declaration, the settings and
/// the references, on the real fleet and its committed tree.
@Suite struct ExplainTests {
    struct Report: Decodable {
        struct Answer: Decodable {
            struct File: Decodable {
                var path: String
                var origin: String?
                var declaration: String
                var settings: [Setting]
                var references: [Link]
                var referencedBy: [Link]
            }
            struct Link: Decodable {
                var target: String
                var field: String
                var path: String?
                var declared: Bool
            }
            struct Setting: Decodable {
                var key: String
                var value: String?
                var source: String
                var secret: Bool
                var files: [String]?
            }
            struct Host: Decodable {
                var hostname: String
                var dnsRecord: String?
                var tunnel: String
                var target: String
                var access: String
                var origin: String
            }
            var query: String
            var match: String
            var files: [File]
            var hostnames: [Host]
            var settings: [Setting]
        }
        var exitCode: Int32
        var explanations: [Answer]?
        var error: String?
    }

    func explain(_ queries: [String], root: String = Paths.repository) throws -> (run: CapturedRun, report: Report) {
        let run = CapturedRun(Oceanid.definition, ["explain", "--json"] + queries, root: root)
        return (run, try JSONDecoder().decode(Report.self, from: Data(run.out.utf8)))
    }

    /// Every file the committed manifest lists, as the repository has them.
    var committedFiles: [String] {
        get throws {
            let manifest = try #require(
                try? String(contentsOfFile: Paths.repository + "/.oceanid-gen/manifest", encoding: .utf8))
            return manifest.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
                line.split(separator: " ", maxSplits: 1).last.map(String.init)
            }
        }
    }

    @Test func everyCommittedGeneratedFileNamesADefinitionsLine() throws {
        let paths = try committedFiles
        #expect(paths.count > 50)
        let (run, report) = try explain(paths)
        #expect(run.status == 0, "\(run.err)")
        let answers = try #require(report.explanations)
        #expect(answers.count == paths.count)
        for (path, answer) in zip(paths, answers) {
            #expect(answer.match == "file" && answer.files.map(\.path) == [path])
            let origin = try #require(answer.files.first?.origin, "\(path) has no declaration")
            let parts = origin.split(separator: ":")
            #expect(
                parts.count == 2 && parts[0].hasPrefix("definitions/") && parts[0].hasSuffix(".swift")
                    && Int(parts[1]) != nil,
                "\(path): \(origin)")
            // The line is a real line of that file.
            let lines = (try? String(contentsOfFile: Paths.repository + "/" + parts[0], encoding: .utf8))?.split(
                separator: "\n", omittingEmptySubsequences: false)
            #expect((lines?.count ?? 0) >= Int(parts[1]) ?? .max, "\(origin) is past the end of the file")
        }
    }

    @Test func anObjectShowsWhatItReferencesAndWhatReferencesIt() throws {
        let path = "clusters/tethys/apps/ls-triton-adapter/deployment-ls-triton-adapter.yaml"
        let (run, report) = try explain(["deployment/apps/ls-triton-adapter", path])
        #expect(run.status == 0)
        let answers = try #require(report.explanations)
        #expect(answers.map(\.match) == ["object", "file"])
        let file = try #require(answers[0].files.first)
        #expect(file.path == path && answers[1].files.first?.path == path, "an object and its file are the same answer")
        #expect(file.declaration == "Deployment apps/ls-triton-adapter")
        #expect(
            file.references.contains {
                $0.target == "ServiceAccount apps/ls-triton-adapter" && $0.field.hasSuffix("serviceAccountName")
                    && $0.declared
            })
        #expect(
            file.referencedBy.contains { $0.target == "Service apps/ls-triton-adapter" && $0.field == "spec.selector" })
        #expect(
            file.referencedBy.contains {
                $0.target == "kustomize Kustomization"
                    && $0.path == "clusters/tethys/apps/ls-triton-adapter/kustomization.yaml"
            })
        let image = try #require(file.settings.first { $0.key == "lsTritonAdapterImage" })
        #expect(image.source == "default" && image.value?.hasPrefix("ghcr.io/") == true)
        #expect(
            !file.settings.contains { $0.key == "gitRepositoryBranch" },
            "'main' in an image tag is not the branch setting")

        // The text form names the same things.
        let text = CapturedRun(Oceanid.definition, ["explain", path], root: Paths.repository)
        #expect(
            text.out.hasPrefix(
                path + "\n  is            Deployment apps/ls-triton-adapter\n  declared at   definitions/Apps.swift:"),
            "\(text.out)")
    }

    @Test func aHostnameEndToEnd() throws {
        let (_, report) = try explain(["label.boathou.se", "GPU.boathou.se"])
        let answers = try #require(report.explanations)
        let host = try #require(answers.first?.hostnames.first)
        #expect(host.hostname == "label.boathou.se")
        #expect(
            host.dnsRecord?.hasPrefix("CNAME label.boathou.se → ") == true
                && host.dnsRecord?.hasSuffix(".cfargotunnel.com (proxied)") == true)
        #expect(host.target == "Service 'apps/label-studio-ls-app' in cluster tethys")
        #expect(host.tunnel.hasPrefix("cluster (remote, runs on tethys"))
        #expect(host.access.hasPrefix("public: "))
        #expect(host.origin.hasPrefix("definitions/Edge.swift:"))
        let gpu = try #require(answers.last?.hostnames.first)
        #expect(gpu.target == "host service 'tritonserver' on node calypso")
        #expect(gpu.access.hasPrefix("Access: "), "\(gpu.access)")
    }

    @Test func aServiceNamesTheHostnamesRoutedToIt() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        let run = CapturedRun(
            FleetDefinition(EdgeFixtures.fleet()), ["explain", "--json", "service/web/web"], root: dir.path)
        let report = try JSONDecoder().decode(Report.self, from: Data(run.out.utf8))
        let service = try #require(report.explanations?.first?.files.first)
        #expect(
            service.referencedBy.contains {
                $0.target == "hostname web.example.com" && $0.field == "route of tunnel 'edge'"
            },
            "\(service.referencedBy)")
    }

    @Test func aSettingShowsItsValueSourceAndWhereItAppears() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try dir.write("settings.yaml", "# overrides\ncloudflareNodeTunnelMetricsPort: 2311\n")
        let (run, report) = try explain(["cloudflareNodeTunnelMetricsPort"], root: dir.path)
        #expect(run.status == 0, "\(run.err)")
        let setting = try #require(report.explanations?.first?.settings.first)
        #expect(setting.value == "2311" && setting.source == "settings.yaml:2")
        let files = try #require(setting.files)
        #expect(!files.isEmpty)
        let (_, fileReport) = try explain(files, root: dir.path)
        let fileAnswers = try #require(fileReport.explanations)
        #expect(fileAnswers.count == files.count)
        for answer in fileAnswers {
            let file = try #require(answer.files.first)
            #expect(
                file.settings.contains {
                    $0.key == "cloudflareNodeTunnelMetricsPort" && $0.source == "settings.yaml:2"
                }, "\(file.path)")
        }
        let (_, config) = try explain(["hosts/calypso/etc/cloudflared/config.yaml"])
        #expect(
            config.explanations?.first?.files.first?.references.contains { $0.target == "hostname gpu.boathou.se" }
                == true,
            "a tunnel's configuration names its hostnames")
    }

    /// What a new user's trial found missing or wrong: each answer names the other side.
    @Test func referencesReachTheMakerTheHostAndTheChart() throws {
        let (run, report) = try explain([
            "deployment/apps/csv-ingestion-worker", "hosts/calypso/etc/systemd/system/tritonserver.service",
            "helmrelease/apps/label-studio", "service/apps/label-studio-ls-app",
            "cloudflareTunnelRolloutToken", "aws.labelStudio.exportPrefix",
        ])
        #expect(run.status == 0, "\(run.err)")
        let answers = try #require(report.explanations)
        #expect(answers.count == 6)
        let worker = try #require(answers[0].files.first)
        #expect(
            worker.references.contains {
                $0.target == "ExternalSecret apps/cleandata-db" && $0.field.hasSuffix("(the Secret it makes)")
            },
            "\(worker.references)")
        #expect(
            !worker.references.contains { !$0.declared && $0.target.hasPrefix("Secret ") },
            "a made Secret is not 'undeclared'")
        #expect(answers[1].files.first?.referencedBy.contains { $0.target == "hostname gpu.boathou.se" } == true)
        #expect(answers[2].files.first?.referencedBy.contains { $0.target == "hostname label.boathou.se" } == true)
        #expect(answers[3].match == "routed-service" && answers[3].hostnames.map(\.hostname) == ["label.boathou.se"])
        // The policy input restates every object, the token's annotation included.
        #expect(
            answers[4].settings.first?.files == [
                "clusters/tethys/networking/cloudflared/deployment-cloudflared.yaml",
                "policy/input/tethys.json",
            ],
            "'1' counts only where the token went, not in every replicas: 1")
        #expect(
            answers[5].settings.first?.files?.contains { $0.contains("annotations-sink") } == false,
            "'annotations' the prefix is not the annotations: field nor annotations-sink")
    }

    /// kubectl's short names and plurals name kinds too.
    @Test func kindsAsKubectlSpellsThem() throws {
        let (run, report) = try explain([
            "deploy/apps/postgraphile", "networkpolicies/apps/allow-dns", "SVC/apps/postgraphile",
        ])
        #expect(run.status == 0, "\(run.err)")
        #expect(
            report.explanations?.map { $0.files.first?.declaration ?? "" }
                == ["Deployment apps/postgraphile", "NetworkPolicy apps/allow-dns", "Service apps/postgraphile"])
    }

    /// NetworkPolicies with an empty pod selector select every pod of their namespace.
    @Test func policiesSelectingEveryPodAreListed() throws {
        let (_, report) = try explain(["deployment/apps/ls-triton-adapter"])
        let file = try #require(report.explanations?.first?.files.first)
        for policy in ["default-deny-egress", "allow-dns", "allow-within-apps", "allow-kube-api"] {
            #expect(file.referencedBy.contains { $0.target == "NetworkPolicy apps/\(policy)" }, "\(policy)")
        }
    }

    /// Paths are relative to where the command runs, as a shell user types them.
    @Test func pathsAreRelativeToTheCurrentFolder() throws {
        let folder = Paths.repository + "/clusters/tethys/apps/ls-triton-adapter"
        let run = CapturedRun(
            Oceanid.definition, ["explain", "--json", "kustomization.yaml", "../postgraphile", "."],
            root: Paths.repository,
            cwd: folder)
        #expect(run.status == 0, "\(run.err)")
        let report = try JSONDecoder().decode(Report.self, from: Data(run.out.utf8))
        let answers = try #require(report.explanations)
        #expect(answers.map(\.query) == ["kustomization.yaml", "../postgraphile", "."])
        #expect(answers[0].files.map(\.path) == ["clusters/tethys/apps/ls-triton-adapter/kustomization.yaml"])
        #expect(
            answers[1].files.allSatisfy { $0.path.hasPrefix("clusters/tethys/apps/postgraphile/") }
                && answers[1].files.count == 3)
        #expect(answers[2].files.count == 7)
        // A generated path not on disk (deleted, or never built) is still relative to the folder.
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        try FileManager.default.createDirectory(
            atPath: dir.path + "/clusters/tethys", withIntermediateDirectories: true)
        let fresh = CapturedRun(
            Oceanid.definition, ["explain", "--json", "kustomization.yaml"], root: dir.path,
            cwd: dir.path + "/clusters/tethys")
        let freshReport = try JSONDecoder().decode(Report.self, from: Data(fresh.out.utf8))
        #expect(
            freshReport.explanations?.first?.files.map(\.path) == ["clusters/tethys/kustomization.yaml"], "\(fresh.err)"
        )
    }

    @Test func aQueryThatMatchesNothingExitsOneAndNamesIt() throws {
        let (run, report) = try explain([
            "clusters/tethys/apps/label-studio/kustomization.yaml", "deployment/apps/nope", "nope.example.com",
        ])
        #expect(run.status == 1 && report.exitCode == 1)
        #expect(report.explanations?.count == 1)
        #expect(report.error?.contains("'deployment/apps/nope', 'nope.example.com'") == true, "\(report.error ?? "")")
        let near = CapturedRun(
            Oceanid.definition, ["explain", "deploy/apps/postgrphile", "cloudflaretunnelid"], root: Paths.repository)
        #expect(near.status == 1)
        #expect(
            near.err.contains(
                "did you mean 'deployment/apps/postgraphile' for 'deploy/apps/postgrphile', 'cloudflareTunnelId' for 'cloudflaretunnelid'?"
            ),
            "\(near.err)")
        let short = CapturedRun(Oceanid.definition, ["explain", "svc/apps/postgrphile"], root: Paths.repository)
        #expect(
            short.err.contains("did you mean 'service/apps/postgraphile' for 'svc/apps/postgrphile'?"), "\(short.err)")
        let text = CapturedRun(Oceanid.definition, ["explain", "README.md"], root: Paths.repository)
        #expect(text.status == 1 && text.err.contains("nothing generated matches 'README.md'"))
        #expect(CapturedRun(Oceanid.definition, ["explain"], root: Paths.repository).status == 64)
    }

    @Test func aFolderExplainsEveryFileInIt() throws {
        let (_, report) = try explain(["./clusters/tethys/apps/ls-triton-adapter/"])
        let answer = try #require(report.explanations?.first)
        #expect(answer.match == "folder")
        #expect(answer.files.count == 7 && answer.files.allSatisfy { $0.origin?.hasPrefix("definitions/") == true })
    }
}
