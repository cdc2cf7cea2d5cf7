import ConvergentDomain
import Foundation

/// Open sessions' configurations kept by this node, so a request on a session costs what its
/// change costs instead of rebuilding and re-verifying the configuration from the stored document
/// . An entry is used only while it is exactly what the stored session would rebuild:
/// the same session version (another node's write moves the version on, and the next request here
/// rebuilds), the same day and the same catalog version. A request takes the entry out while it
/// works on it, so two requests on one session never share a configuration; a failed write leaves
/// nothing behind. At most `capacity` sessions are kept, the least recently used leaving first.
public actor SessionCache {
    struct Key: Hashable {
        var version: Int
        var today: Day
        var catalogVersion: String
    }

    private struct Entry {
        var key: Key
        var configuration: Configuration
        var used: UInt64
    }

    private var entries: [String: Entry] = [:]
    private var tick: UInt64 = 0
    public let capacity: Int
    /// Requests answered from the cache and requests that rebuilt (read by tests).
    public private(set) var hits = 0
    public private(set) var misses = 0

    public init(capacity: Int = 512) {
        self.capacity = capacity
    }

    /// The configuration of a session at `key`, taken out of the cache; nil when it must be rebuilt.
    func take(_ id: String, _ key: Key) -> Configuration? {
        guard let entry = entries.removeValue(forKey: id), entry.key == key else {
            misses += 1
            return nil
        }
        hits += 1
        return entry.configuration
    }

    /// Keeps a session's configuration as stored at `key`.
    func put(_ id: String, _ key: Key, _ configuration: Configuration) {
        tick += 1
        entries[id] = Entry(key: key, configuration: configuration, used: tick)
        if entries.count > capacity, let oldest = entries.min(by: { $0.value.used < $1.value.used })?.key {
            entries[oldest] = nil
        }
    }

    func remove(_ id: String) {
        entries[id] = nil
    }
}
