import DSL

/// Workload fields the API server validates by value: CronJob schedules and time zones (as
/// `pkg/apis/batch/validation` does), and counts that must not be negative.
enum WorkloadChecks {
    static func all(_ index: ClusterIndex) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for object in index.objects {
            switch object.payload {
            case .deployment(let d):
                out += nonNegative(
                    [("replicas", d.replicas), ("revisionHistoryLimit", d.revisionHistoryLimit)],
                    of: "Deployment '\(d.name)'", at: d.location)
                if let strategy = d.strategy, !["Recreate", "RollingUpdate"].contains(strategy) {
                    out.append(Diagnostic.invalidStrategy(strategy, deployment: d.name, at: d.location))
                }
            case .job(let j):
                out += job(j)
            case .cronJob(let c):
                out += cronJob(c)
            default: break
            }
        }
        return out
    }

    static func job(_ j: Job) -> [Diagnostic] {
        var out = nonNegative(
            [("backoffLimit", j.backoffLimit), ("ttlSecondsAfterFinished", j.ttlSecondsAfterFinished)],
            of: "Job '\(j.name)'", at: j.location)
        if let deadline = j.activeDeadlineSeconds, deadline <= 0 {
            out.append(
                .numberOutOfRange(
                    "activeDeadlineSeconds", of: "Job '\(j.name)'", value: deadline,
                    rule: "positive", at: j.location))
        }
        return out
    }

    static func cronJob(_ c: CronJob) -> [Diagnostic] {
        var out: [Diagnostic] = []
        switch CronSchedule.problem(c.schedule) {
        case .timeZonePrefix?:
            out.append(
                .invalidSchedule(
                    c.schedule, cronJob: c.name, problem: "a TZ= or CRON_TZ= prefix is rejected by the API server",
                    at: c.location, timeZoneHint: true))
        case .invalid(let problem)?:
            out.append(.invalidSchedule(c.schedule, cronJob: c.name, problem: problem, at: c.location))
        case nil: break
        }
        if let zone = c.timeZone, let problem = CronSchedule.timeZoneProblem(zone) {
            out.append(.invalidTimeZone(zone, cronJob: c.name, problem: problem, at: c.location))
        }
        out += nonNegative(
            [
                ("startingDeadlineSeconds", c.startingDeadlineSeconds),
                ("successfulJobsHistoryLimit", c.successfulJobsHistoryLimit),
                ("failedJobsHistoryLimit", c.failedJobsHistoryLimit),
            ], of: "CronJob '\(c.name)'", at: c.location)
        // Job names get an 11-character suffix; the API server caps CronJob names at 52.
        if c.name.utf8.count > 52 {
            out.append(
                .invalidName(
                    "CronJob", c.name, rule: .dnsSubdomain,
                    problem: "must be at most 52 characters for a CronJob (has \(c.name.utf8.count))", at: c.location))
        }
        out += job(c.job)
        return out
    }

    static func nonNegative(_ fields: [(String, Int?)], of owner: String, at loc: SourceLocation) -> [Diagnostic] {
        fields.compactMap { field, value in
            guard let value, value < 0 else { return nil }
            return .numberOutOfRange(field, of: owner, value: value, rule: "0 or more", at: loc)
        }
    }
}
