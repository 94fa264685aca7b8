import Foundation
import OceanidGenKit
import Testing

/// `FleetPlanReport`'s text and Markdown: multi-line values as line diffs, values and names that stay
/// code and text in CommonMark, sections ranked by risk.
@Suite struct FleetPlanReportTests {
    static let configMapPath = "clusters/lab/proxy/configmap-squid.yaml"

    /// A ConfigMap `proxy/squid` whose `squid.conf` holds `lines` and whose `note` is `note`.
    static func configMap(_ lines: [String], note: String = "plain") -> String {
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: squid
          namespace: proxy
        data:
          note: '\(note.replacingOccurrences(of: "'", with: "''"))'
          squid.conf: |
        \(lines.map { "    " + $0 }.joined(separator: "\n"))

        """
    }

    static let before = [
        "http_port 3128", "acl lab src 10.0.0.0/8", "http_access allow lab", "dns_v4_first on",
        "cache deny all", "# hosts", "- hostname: a",
    ]

    /// A change in the middle of a config file is a line diff of the lines around it, in a fenced block
    /// whose fence is longer than the backtick run inside, in the field's list item; the text format
    /// prints the same hunk indented.
    @Test func aMultiLineValueIsALineDiffInAFence() {
        var after = Self.before
        after[3] = "dns_v4_first off ```x```"
        let plan = FleetPlan.make(
            base: [Self.configMapPath: Self.configMap(Self.before)],
            head: [Self.configMapPath: Self.configMap(after)])
        let report = FleetPlanReport(plan: plan, base: "main")
        let markdown = report.render(.markdown)
        let expected = """
            - change **proxy/squid** in `clusters/lab/proxy/configmap-squid.yaml`
              - `data.squid.conf`:
                ````diff
                @@ -2,5 +2,5 @@
                 acl lab src 10.0.0.0/8
                 http_access allow lab
                -dns_v4_first on
                +dns_v4_first off ```x```
                 cache deny all
                 # hosts
                ````

            </details>
            """
        #expect(markdown.contains(expected), "\(markdown)")
        // Nothing of the file outside the hunk, and no clipped prefix.
        #expect(!markdown.contains("http_port 3128"), "\(markdown)")
        #expect(!markdown.contains("..."), "\(markdown)")
        let text = report.render(.text)
        #expect(
            text.hasSuffix(
                """
                ~ ConfigMap proxy/squid (clusters/lab/proxy/configmap-squid.yaml)
                    data.squid.conf:
                      @@ -2,5 +2,5 @@
                       acl lab src 10.0.0.0/8
                       http_access allow lab
                      -dns_v4_first on
                      +dns_v4_first off ```x```
                       cache deny all
                       # hosts

                """), "\(text)")
    }

    /// A new multi-line value is all added lines; a three-backtick fence is enough without backticks.
    @Test func aNewMultiLineValueIsAllAddedLines() {
        let plan = FleetPlan.make(
            base: [
                Self.configMapPath: Self.configMap(["a"]).replacingOccurrences(of: "  squid.conf: |\n    a\n", with: "")
            ],
            head: [Self.configMapPath: Self.configMap(["a", "b"])])
        let markdown = FleetPlanReport(plan: plan, base: "main").render(.markdown)
        #expect(
            markdown.contains("  - `data.squid.conf`:\n    ```diff\n    @@ -0,0 +1,2 @@\n    +a\n    +b\n    ```\n"),
            "\(markdown)")
    }

    /// Single-line values are code spans whose delimiter outruns their backticks (padded when they start
    /// or end with one); YAML-looking values stay inside their span; an empty value is said in words.
    @Test func singleLineValuesAreEscapedCodeSpans() {
        func field(_ old: String, _ new: String) -> String {
            let plan = FleetPlan.make(
                base: [Self.configMapPath: Self.configMap(["a"], note: old)],
                head: [Self.configMapPath: Self.configMap(["a"], note: new)])
            let markdown = FleetPlanReport(plan: plan, base: "main").render(.markdown)
            return markdown.split(separator: "\n").first { $0.hasPrefix("  - `data.note`") }.map(String.init)
                ?? markdown
        }
        #expect(field("plain", "say `hi` twice") == "  - `data.note`: `plain` → ``say `hi` twice``")
        #expect(field("`edge", "a ``b`` c") == "  - `data.note`: `` `edge `` → ```a ``b`` c```")
        #expect(field("- hostname: a # x", "") == "  - `data.note`: `- hostname: a # x` → (empty)")
        #expect(field(" x ", "y") == "  - `data.note`: `  x  ` → `y`")
    }

    /// Two long single-line values that share a long prefix are cut at the same place just before their
    /// first difference, so the difference shows.
    @Test func longValuesAreCutAtTheirDifference() {
        let prefix = String(repeating: "--flag=value ", count: 20)
        let plan = FleetPlan.make(
            base: [Self.configMapPath: Self.configMap(["a"], note: prefix + "--port=80")],
            head: [Self.configMapPath: Self.configMap(["a"], note: prefix + "--port=81")])
        let text = FleetPlanReport(plan: plan, base: "main").render(.text)
        #expect(
            text.contains("    data.note: ...-flag=value --port=80 -> ...-flag=value --port=81\n"),
            "\(text)")
    }

    /// Names are Markdown text: emphasis, code and HTML characters are escaped.
    @Test func namesAreEscapedText() {
        let path = "hosts/h/etc/x_y*z<b>.conf"
        let plan = FleetPlan.make(base: [:], head: [path: "a\n"])
        let markdown = FleetPlanReport(plan: plan, base: "main").render(.markdown)
        #expect(
            markdown.contains(#"- add **hosts/h/etc/x\_y\*z\<b\>.conf** in `hosts/h/etc/x_y*z<b>.conf`"#), "\(markdown)"
        )
    }

    /// Sections (and the summary table's rows) go riskiest first: kinds with a class that needs approval,
    /// then by their riskiest class, then by kind; the approval classes in force decide the first group.
    @Test func sectionsAreRankedByRisk() {
        let deployment = "clusters/lab/apps/deployment-web.yaml"
        let state = "cloud/desired-state.json"
        let base = [
            Self.configMapPath: Self.configMap(["a"]), deployment: FleetPlanTests.deployment("web", image: "nginx:1"),
            "hosts/h/etc/motd": "hi\n", state: #"{"schemaVersion": 1}"#,
        ]
        let head = [
            Self.configMapPath: Self.configMap(["b"]), deployment: FleetPlanTests.deployment("web", image: "nginx:2"),
            state: #"{"schemaVersion": 2}"#,
        ]
        let plan = FleetPlan.make(base: base, head: head)
        func order(_ approval: PlanApproval) -> (sections: [String], rows: [String]) {
            let markdown = FleetPlanReport(plan: plan, base: "main", approval: approval).render(.markdown)
            let lines = markdown.split(separator: "\n")
            return (
                lines.filter { $0.hasPrefix("<details><summary>") }.map {
                    String($0.dropFirst("<details><summary>".count).prefix { $0 != " " })
                },
                lines.filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Kind") }.map {
                    String($0.dropFirst(2).prefix { $0 != " " })
                }
            )
        }
        let standard = order(.standard)
        #expect(standard.sections == ["host", "Deployment", "settings", "ConfigMap"], "\(standard)")
        #expect(standard.rows == standard.sections)
        let restartsFirst = order(PlanApproval(risks: [.restarts], location: nil))
        #expect(restartsFirst.sections == ["Deployment", "host", "settings", "ConfigMap"], "\(restartsFirst)")
    }
}
