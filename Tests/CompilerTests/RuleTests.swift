import Compiler
import DSL
import Testing

@Suite struct RuleTests {
    @Test(arguments: [
        ("apps", true), ("a-b", true), ("-a", false), ("A", false), ("a_b", false),
        (String(repeating: "a", count: 64), false), ("", false),
    ])
    func dnsLabel(name: String, valid: Bool) {
        #expect((NameRule.dnsLabel.violation(name) == nil) == valid)
    }

    @Test func subdomainAllowsDotsButNot1035() {
        #expect(NameRule.dnsSubdomain.violation("egress.db-proxy") == nil)
        #expect(NameRule.dns1035Label.violation("9proxy") != nil)
        #expect(NameRule.portName.violation("postgres") == nil)
        #expect(NameRule.portName.violation("8080") == "must contain at least one letter")
        #expect(NameRule.portName.violation("a-very-long-port-name") != nil)
    }

    @Test func labelKeysAndValues() {
        #expect(LabelRules.keyViolation("app.kubernetes.io/name") == nil)
        #expect(LabelRules.keyViolation("oceanid.dev/rollout-token") == nil)
        #expect(LabelRules.keyViolation("a/b/c") != nil)
        #expect(LabelRules.valueViolation("") == nil)
        #expect(LabelRules.valueViolation("-x") != nil)
    }

    @Test func theCompilersOwnLabelKeysAreValid() {
        for key in ["app", "app.kubernetes.io/name", "app.kubernetes.io/part-of", "app.kubernetes.io/managed-by"] {
            #expect(LabelRules.keyViolation(key) == nil, "\(key)")
        }
    }

    @Test func nonASCIICharactersAreShownWhole() {
        #expect(
            NameRule.dnsLabel.violation("café")
                == "must consist of lowercase letters, digits and '-' (found 'é' (U+00E9))")
        #expect(NameRule.dnsLabel.violation("a b") == "must consist of lowercase letters, digits and '-' (found ' ')")
        #expect(
            NameRule.dnsLabel.violation("a\tb") == "must consist of lowercase letters, digits and '-' (found U+0009)")
        #expect(
            LabelRules.valueViolation("🐟")
                == "value must consist of alphanumerics, '-', '_' or '.' (found '🐟' (U+1F41F))")
    }

    @Test func quantities() {
        #expect(Quantity.parse("500m") == 0.5)
        #expect(Quantity.parse("1") == 1)
        #expect(Quantity.parse("256Mi") == 268_435_456)
        #expect(Quantity.parse("1Gi")! > Quantity.parse("1000Mi")!)
        #expect(Quantity.parse("1e3") == 1000)
        #expect(Quantity.parse("2k") == 2000)
        #expect(Quantity.parse("lots") == nil)
        #expect(Quantity.parse("-1") == nil)
        #expect(Quantity.parse("") == nil)
        // Crafted values: no crash, no endless loop, no infinities or hex floats.
        for text in [
            "1e-9223372036854775808", "1e99999999999", "1e9999", "+inf", "inf", "nan", "+0x10", "1..5", ".", "+", "1e",
            "1E+",
            "1 Gi", "1Gi ", "1gi", "5e-",
        ] {
            #expect(Quantity.parse(text) == nil, "\(text)")
        }
        #expect(Quantity.parse("+1.5") == 1.5)
        #expect(Quantity.parse("1E-2") == 0.01)
        #expect(Quantity.parse(".5") == 0.5)
        #expect(Quantity.parse("1e300") != nil)
        #expect(Quantity.parse("1e309") == nil)
    }

    @Test func imageReferences() {
        let pinned: Image = "ghcr.io/goldfish-inc/oceanid/training-worker:main"
        #expect(pinned.tag == "main")
        #expect(pinned.repository == "ghcr.io/goldfish-inc/oceanid/training-worker")
        let port: Image = "localhost:5000/app"
        #expect(port.tag == nil)
        let digest: Image = "x/y@sha256:abc"
        #expect(digest.digest == "sha256:abc")
    }
}
