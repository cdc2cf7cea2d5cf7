import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import ConvergentAPI
import Synchronization

/// Single order reads (`GET /orders/{id}`), per node. An order's answer stays the same
/// until the order changes (its version), one of its provisioning messages does (their versions,
/// an index read), a catalog version is uploaded or activated (theirs), or the day does; a read
/// checks those — a record read and two index reads — and answers what it made before instead
/// of decoding the order and pricing it again. A parent order (whose answer
/// shows its children's statuses now) is not kept.
final class OrderReadCache: Sendable {
    struct Entry: Sendable {
        var key: String
        var started: Bool
        var messages: String
        var answer: Wire.Order
    }

    private let entries = Mutex<[String: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 1024) { self.capacity = capacity }

    /// The order's answer: from the cache when nothing it shows changed, else built by `build`.
    func response(for id: String, engine: Engine, build: (Versioned<Order>) async throws -> Wire.Order) async throws -> Wire.Order {
        guard let record = try await engine.store.load(.order, id: id) else { throw EngineError(.notFound, "no order '\(id)'") }
        let key = "\(record.version)|\(engine.today)|" + (try await engine.catalogs.versionStamp())
        func messages() async throws -> String {
            try await engine.store.listVersions(.provisioningMessage, filter: RecordFilter(equals: ["order_id": id]), after: nil, limit: 1000)
                .map { "\($0.id)@\($0.version)" }.joined(separator: ",")
        }
        if let entry = entries.withLock({ $0[id] }), entry.key == key {
            let unchanged = entry.started ? try await messages() == entry.messages : true
            if unchanged { return entry.answer }
        }
        // Read what the answer depends on before building it: should it change meanwhile, the next read sees a different key.
        let order = try Versioned<Order>(decoding: record)
        let started = order.value.fulfillment?.startedAt != nil
        let messageKey = started ? try await messages() : ""
        let answer = try await build(order)
        if order.value.children.isEmpty {
            entries.withLock { all in
                if all.count >= capacity, all[id] == nil, let evicted = all.keys.randomElement() { all[evicted] = nil }
                all[id] = Entry(key: key, started: started, messages: messageKey, answer: answer)
            }
        }
        return answer
    }
}
