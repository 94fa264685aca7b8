import Foundation

/// Work spread over the machine's cores with results in input order, so output built from them stays
/// byte-deterministic whatever the scheduling.
public enum Parallel {
    /// `transform` applied to each element of `items`, in `items`' order. The elements are split into
    /// contiguous slices (one per element up to 256) run with `DispatchQueue.concurrentPerform`
    /// (https://developer.apple.com/documentation/dispatch/dispatchqueue/2016088-concurrentperform); one core,
    /// or fewer than `minimum` elements, maps in place. `transform` must not depend on another element's
    /// result.
    public static func map<T: Sendable, R: Sendable>(
        _ items: [T], minimum: Int = 64, _ transform: @Sendable (T) -> R
    ) -> [R] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1, items.count >= minimum else { return items.map(transform) }
        let count = items.count
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            _ = results.deinitialize()
            results.deallocate()
        }
        // Each slice writes only its own indices. Up to 256 slices, taken one at a time by whichever core is
        // free: items of uneven cost (a cluster's checks, one 30 MB file among small ones) then balance
        // across the cores rather than one core finishing a long slice alone.
        nonisolated(unsafe) let out = results
        let slices = min(count, 256)
        DispatchQueue.concurrentPerform(iterations: slices) { slice in
            for index in (count * slice / slices)..<(count * (slice + 1) / slices) {
                out[index] = transform(items[index])
            }
        }
        return results.map { $0! }
    }
}

/// Work started on another thread now, its result waited for later (`value`): for independent work that
/// can fill a core a parallel stage leaves idle, such as reading a git revision while the definitions
/// compile.
public final class Background<Value: Sendable>: @unchecked Sendable {
    // Written once by the worker before `done` is signalled, read only after waiting for it.
    private var result: Value?
    private let done = DispatchGroup()

    /// Starts `work` on a global queue.
    public init(_ work: @escaping @Sendable () -> Value) {
        done.enter()
        DispatchQueue.global().async {
            self.result = work()
            self.done.leave()
        }
    }

    /// The work's result, once it has finished (blocks until then).
    public var value: Value {
        done.wait()
        return result!
    }
}
