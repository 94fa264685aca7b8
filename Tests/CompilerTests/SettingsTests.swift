import Compiler
import DSL
import Testing
import TestSupport

@Suite struct SettingsTests {
    static let port = Setting("metricsPort", default: 2200, summary: "")
    static let resources = Setting("tunnelResources",
                                   default: Resources(requests: .init(cpu: "200m", memory: "256Mi"),
                                                      limits: .init(cpu: "500m", memory: "512Mi")), summary: "")
    static let token = SecretSetting("tunnelToken", summary: "")
    static let all = [port.erased, resources.erased, token.erased]
    static let at = DSL.SourceLocation(file: "settings.yaml", line: 3)

    @Test func defaultsWithoutOverrides() {
        let (values, diagnostics) = SettingsResolver.resolve(Self.all, overrides: [])
        #expect(diagnostics.isEmpty)
        #expect(values[Self.port] == 2200)
    }

    @Test func partialResourceOverrideMergesOverDefaults() {
        let override = SettingOverride(key: "tunnelResources", value: ["requests": ["memory": "384Mi"], "limits": ["memory": "768Mi"]], location: Self.at)
        let (values, diagnostics) = SettingsResolver.resolve(Self.all, overrides: [override])
        #expect(diagnostics.isEmpty)
        let r = values[Self.resources]
        #expect(r.requests == .init(cpu: "200m", memory: "384Mi"))
        #expect(r.limits == .init(cpu: "500m", memory: "768Mi"))
    }

    @Test func malformedOverrideNamesTheSetting() throws {
        let override = SettingOverride(key: "tunnelResources", value: ["requests": ["memroy": "1Gi"]], location: Self.at)
        let (_, diagnostics) = SettingsResolver.resolve(Self.all, overrides: [override])
        let d = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(d.code == .invalidSetting)
        #expect(d.location == Self.at)
        #expect(d.message == "malformed override of setting 'tunnelResources': unknown resource 'requests.memroy' (expected cpu or memory)")
    }

    @Test func wrongTypeUnknownKeyAndSecretOverride() {
        let (_, diagnostics) = SettingsResolver.resolve(Self.all, overrides: [
            SettingOverride(key: "metricsPort", value: "twenty", location: Self.at),
            SettingOverride(key: "metricPort", value: 1, location: Self.at),
            SettingOverride(key: "tunnelToken", value: "s3cr3t", location: Self.at),
        ])
        #expect(diagnostics.map(\.code).sorted { $0.rawValue < $1.rawValue } == [.invalidSetting, .invalidSetting, .unknownSetting])
        #expect(diagnostics.contains { $0.message.contains("'metricsPort': expected an integer") })
        #expect(diagnostics.contains { $0.notes.first?.message == "did you mean 'metricsPort'?" })
        #expect(diagnostics.contains { $0.message.contains("setting 'tunnelToken' is a secret: its value lives in Pulumi ESC") })
    }

    /// The IR's settings table: every setting, its value, where the value came from and who
    /// reads it.
    @Test func settingsTable() throws {
        let usedLine = #line + 4
        let definition = FleetDefinition(settings: Self.all) { s in
            Fleet("t") { Cluster("c") { Namespace("apps") {
                Deployment("api") {
                    Container("api", image: "x/api:1.0") { Port("metrics", s[Self.port]) }
                }
            } } }
        }
        let result = CompilerPipeline.compile(definition, overrides: [SettingOverride(key: "metricsPort", value: 2300, location: Self.at)])
        let table = try #require(result.ir?.settings)
        #expect(table.map(\.key) == ["metricsPort", "tunnelResources", "tunnelToken"])
        let port = table[0]
        #expect(port.value == 2300 && port.defaultValue == 2200 && port.typeName == "integer")
        #expect(port.source == .settingsFile(Self.at))
        #expect(port.usedAt.map(\.line) == [usedLine])
        #expect(table[1].source == .defaultValue && table[1].usedAt.isEmpty)
        #expect(table[2].isSecret && table[2].value == nil && table[2].source == .escKey)
    }

    /// Committed migrations are read through the compile's input tree, in version order.
    @Test func migrationHistoryIsReadFromTheInputTree() {
        let inputs = DictionaryInputTree([
            "sql/cleandata/migrations/V0010__later.sql": "B", "sql/cleandata/migrations/V0002__first.sql": "A",
            "sql/cleandata/migrations/README.md": "no", "sql/labelfish/migrations/V0001__other.sql": "C",
        ])
        let history = MigrationHistory.read(database: "cleandata", from: inputs)
        #expect(history.map(\.version) == [2, 10])
        let bad = DictionaryInputTree([
            "sql/cleandata/migrations/V0001__ok.sql": "", "sql/cleandata/migrations/V0001__again.sql": "",
            "sql/cleandata/migrations/V1__short.sql": "", "sql/cleandata/migrations/V0003_single.sql": "",
            "sql/cleandata/migrations/v0004__lower.sql": "", "sql/cleandata/migrations/V0005__Has Space.sql": "",
            "sql/other/migrations/V0001__x.sql": "",
        ])
        let problems = MigrationHistory.problems(databases: ["cleandata"], inputs: bad).map(\.message)
        #expect(problems.count == 6, "\(problems)")
        #expect(problems.contains("migration 'sql/cleandata/migrations/V0001__ok.sql' repeats version 1 of 'sql/cleandata/migrations/V0001__again.sql'; if two branches each added it, keep the one a database may have applied and run `oceanid-gen build --renumber <the other>`, which writes its change again as the next version"))
        #expect(problems.contains("migration 'sql/other/migrations/V0001__x.sql' belongs to database 'other', which the fleet does not declare"))
        #expect(problems.contains("migration 'sql/cleandata/migrations/V1__short.sql' is not named V<NNNN>__<slug>.sql"))
        #expect(history.map(\.text) == ["A", "B"])
        #expect(history.first?.path == "sql/cleandata/migrations/V0002__first.sql")
    }
}

/// `invented-default`: a default chosen here with nothing to back it warns at its declaration
/// until settings.yaml sets it; a seed's, an upstream page's, a designed or a placeholder one
/// does not; more than three are one warning listing them, with a note at each.
@Suite struct InventedDefaultTests {
    static let at = DSL.SourceLocation(file: "settings.yaml", line: 5)

    @Test func eachInventedDefaultWarnsAtItsDeclarationUntilSet() throws {
        let regionLine = #line + 1
        let region = Setting("s3Region", default: "us-east-1", summary: "", source: .invented("AWS's first region"))
        let bucket = Setting("bucket", default: "uploads", summary: "", source: .seed("datastores: \"Bucket: uploads\""))
        let chart = Setting("chartVersion", default: "2.0.5", summary: "", source: .upstream("https://example.org/Chart.yaml"))
        let endpoint = Setting("endpoint", default: "", summary: "", source: .designed("empty: AWS"))
        let account = Setting("accountId", default: "0000", summary: "", source: .placeholder("not in the seeds"))
        let modelLine = #line + 1
        let model = Setting("modelName", default: "ner", summary: "", source: .invented("a guess"))
        let all = [region.erased, bucket.erased, chart.erased, endpoint.erased, account.erased, model.erased]

        let (_, diagnostics) = SettingsResolver.resolve(all, overrides: [])
        #expect(diagnostics.map(\.code) == [.inventedDefault, .inventedDefault])
        #expect(diagnostics.map(\.severity) == [.warning, .warning])
        #expect(diagnostics.map(\.location.line) == [regionLine, modelLine])
        #expect(diagnostics.first?.message == "setting 's3Region' keeps a default invented here ('us-east-1': AWS's first region); set 's3Region: <value>' in settings.yaml once the real value is known")

        // Set in settings.yaml: that one is no longer a guess.
        let (values, set) = SettingsResolver.resolve(all, overrides: [SettingOverride(key: "s3Region", value: "eu-west-1", location: Self.at)])
        #expect(set.map(\.location.line) == [modelLine])
        #expect(values[region] == "eu-west-1")
    }

    @Test func manyInventedDefaultsAreOneWarningListingThem() throws {
        let firstLine = #line + 1
        let settings = (1...4).map { Setting("guess\($0)", default: "g\($0)", summary: "", source: .invented("guessed")).erased }
        let (_, diagnostics) = SettingsResolver.resolve(settings, overrides: [])
        let warning = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(warning.location.line == firstLine)
        #expect(warning.message == "4 settings keep defaults invented here: guess1, guess2, guess3, guess4; set each in settings.yaml once the real value is known (docs/settings.md says why each was chosen)")
        #expect(warning.notes.map(\.message) == (1...4).map { "'guess\($0)' is 'g\($0)': guessed" })

        // Three left unset: one warning each again.
        let (_, three) = SettingsResolver.resolve(settings, overrides: [SettingOverride(key: "guess2", value: "real", location: Self.at)])
        #expect(three.map(\.subject) == ["guess1", "guess3", "guess4"])
    }
}
