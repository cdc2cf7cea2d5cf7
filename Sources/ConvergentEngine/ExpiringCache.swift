import Synchronization

/// What one node remembers for a short while (by the monotonic clock, not the engine's, which a
/// test clock moves): answers that other nodes may change, so each is trusted for `lifetime`
/// only, and dropped at once when this node changes what it depends on. Bounded: when full, a
/// new entry replaces the whole set (a rare event for the small key sets it holds).
public final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private let entries = Mutex<(all: [Key: (value: Value, until: ContinuousClock.Instant)], generation: Int)>(([:], 0))
    public let lifetime: Duration
    let capacity: Int

    public init(lifetime: Duration, capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    public func value(for key: Key) -> Value? {
        guard lifetime > .zero else { return nil }
        let now = ContinuousClock.now
        return entries.withLock { state in
            guard let entry = state.all[key] else { return nil }
            guard entry.until > now else {
                state.all[key] = nil
                return nil
            }
            return entry.value
        }
    }

    /// Taken before reading what will be kept: `set` keeps nothing when `removeAll` ran since,
    /// so an answer read before a change made through this node is never kept after it.
    public var generation: Int { entries.withLock { $0.generation } }

    public func set(_ value: Value, for key: Key, readIn generation: Int) {
        guard lifetime > .zero else { return }
        let until = ContinuousClock.now + lifetime
        entries.withLock { state in
            guard state.generation == generation else { return }
            if state.all.count >= capacity, state.all[key] == nil { state.all.removeAll(keepingCapacity: true) }
            state.all[key] = (value, until)
        }
    }

    public func removeAll() {
        entries.withLock { state in
            state.all.removeAll()
            state.generation += 1
        }
    }
}
