import Foundation

/// Independent work over many items on every core: a page of documents decoded, encoded and
/// diffed (the daily run, a run of writes). In order; serial under `threshold` items, where
/// handing work to other threads costs more than it saves.
public enum Parallel {
    public static func map<T: Sendable, R>(_ items: [T], threshold: Int = 64, _ transform: @Sendable (T) throws -> R) rethrows -> [R] {
        guard items.count >= threshold else { return try items.map(transform) }
        // A few chunks a core: each thread fills its own slice of the result, no lock per item.
        let chunks = min(items.count, ProcessInfo.processInfo.activeProcessorCount * 4)
        let size = (items.count + chunks - 1) / chunks
        let results = Slots<Result<R, any Error>>(count: items.count)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            for i in (chunk * size)..<min(items.count, (chunk + 1) * size) {
                results.set(i, Result { try transform(items[i]) })
            }
        }
        return try results.values.map { try $0.get() }
    }
}

/// Results written by index from several threads (each index once), read when all are done.
private final class Slots<Value>: @unchecked Sendable {
    private var storage: UnsafeMutableBufferPointer<Value?>
    init(count: Int) {
        storage = .allocate(capacity: count)
        storage.initialize(repeating: nil)
    }
    deinit {
        storage.deinitialize()
        storage.deallocate()
    }
    /// Distinct threads write distinct indexes: no two writes touch the same element.
    func set(_ i: Int, _ value: Value) { storage[i] = value }
    var values: [Value] { storage.map { $0! } }
}
