import DSL

/// A fleet whose settings' provenance tests pin exactly: two images with one value, a
/// one-character value beside the same literal, a two-character value a literal repeats, an
/// interpolated value, an integer, a boolean that adds a workload, and a secret.
public enum ProvenanceFixtures {
    public static let imageA = Setting("imageA", default: "nginx:1.27", summary: "")
    public static let imageB = Setting("imageB", default: "nginx:1.27", summary: "")
    public static let mode = Setting("mode", default: "a", summary: "")
    public static let zone = Setting("zone", default: "eu", summary: "")
    public static let domain = Setting("domain", default: "example.com", summary: "")
    public static let replicas = Setting("replicas", default: 1, summary: "")
    public static let withWorker = Setting("withWorker", default: false, summary: "")
    public static let token = SecretSetting("apiToken", summary: "")

    /// Two images with one value, a one-character value beside the same literal, a
    /// two-character value a literal repeats, an interpolated value, an integer, a boolean
    /// that adds a workload, and a secret.
    public static let definition = FleetDefinition(settings: [
        imageA.erased, imageB.erased, mode.erased, zone.erased, domain.erased,
        replicas.erased, withWorker.erased, token.erased,
    ]) { s in
        Fleet("t") {
            Cluster("c") {
                Node("c-1", role: .server)
                Namespace("apps") {
                    Deployment("alpha") {
                        Container("alpha", image: Image(s[imageA])) {
                            Env("MODE", s[mode])
                            Env("ZONE", "eu")
                            Env("API", "https://api.\(s[domain])/v1")
                        }
                    }.replicas(s[replicas])
                    Deployment("beta") {
                        Container("beta", image: Image(s[imageB])) {
                            Env("MODE", "a")
                            Env("ZONE", s[zone])
                        }
                    }
                    if s[withWorker] {
                        Deployment("worker") { Container("worker", image: "nginx:1.27") }
                    }
                }
            }
        }
    }
}
