import Foundation

/// Retries of one logical request: on no response (timeouts, resets), 429 and 5xx, with
/// exponential backoff and full jitter, honouring `Retry-After` (seconds or an HTTP-date),
/// never waiting more than `maxWaitSeconds` in all. 4xx other than 429 are answers, not faults.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var attempts = 5
    /// The backoff's base, in seconds: attempt n waits up to base × 2ⁿ.
    public var baseDelaySeconds = 0.5
    /// The longest all the waits of one request may add up to, in seconds.
    public var maxWaitSeconds = 120.0
    /// How to wait, in seconds (tests wait for nothing).
    public var sleep: @Sendable (Double) -> Void = { Thread.sleep(forTimeInterval: $0) }
    /// The defaults.
    public init() {}

    /// Seconds to wait before retry `attempt`: `Retry-After` when it is a finite number of
    /// seconds or an HTTP date, else a random wait up to the backoff.
    public func delay(attempt: Int, retryAfter: String?) -> Double {
        if let retryAfter {
            if let seconds = Double(retryAfter.trimmingCharacters(in: .whitespaces)), seconds.isFinite {
                return max(0, seconds)
            }
            let format = DateFormatter()
            format.locale = Locale(identifier: "en_US_POSIX")
            format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            if let date = format.date(from: retryAfter) { return max(0, date.timeIntervalSinceNow) }
        }
        return Double.random(in: 0...(baseDelaySeconds * pow(2, Double(attempt))))
    }

    /// Sends with retries; `beforeRetry` runs before each retry (a create checks whether the
    /// lost attempt landed) and may return the response that makes a retry unnecessary.
    public func send(
        _ request: HTTPRequest, with client: HTTPClient,
        beforeRetry: (() throws -> HTTPResponse?)? = nil
    ) throws -> HTTPResponse {
        var waited = 0.0
        var attempt = 0
        while true {
            let outcome: Result<HTTPResponse, Error> = Result { try client.send(request) }
            let retryable: Bool
            var retryAfter: String?
            switch outcome {
            case .success(let response):
                retryable = response.status == 429 || (500...599).contains(response.status)
                retryAfter = response.headers["retry-after"]
            case .failure(let error):
                if case HTTPError.transport(_, true) = error { retryable = true } else { retryable = false }
            }
            attempt += 1
            guard retryable, attempt < attempts else { return try outcome.get() }
            let pause = delay(attempt: attempt, retryAfter: retryAfter)
            guard waited + pause <= maxWaitSeconds else { return try outcome.get() }
            sleep(pause)
            waited += pause
            if let beforeRetry, let settled = try beforeRetry() { return settled }
        }
    }
}
