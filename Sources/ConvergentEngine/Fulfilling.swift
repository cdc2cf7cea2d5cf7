import ConvergentDomain
import ConvergentStore
import Foundation

/// first part: fulfillment driven by jobs, with the embedded provisioning simulator
/// answering at once. Each step is one transaction with the next step's job, so a crash between
/// steps resumes where it stopped, and a step run twice finds nothing left to do.
extension OrderBook {
    /// Orders that are fulfilled themselves: submitted, with lines, and no children (a parent's
    /// children carry its work).
    static func isFulfilledItself(_ order: Order) -> Bool {
        order.status == .submitted && order.children.isEmpty && !order.lines.isEmpty
    }

    func fulfillmentJob(for order: Order, kind: JobKind, due: Date) async throws -> Write {
        try .insert(Job(id: String(format: "J%06d", try await store.nextNumber("job")), kind: kind, subject: order.id, dueAt: due))
    }

    /// Step 1: the order and its lines go into fulfillment and the installed products they
    /// create or change become pending; the provisioning answer is due at once (simulator).
    func startFulfillment(of id: String, at now: Date, context: ChangeContext) async throws -> String {
        let current = try await order(id)
        guard current.value.status == .submitted else { return "nothing to do: order \(id) is \(current.value.status.rawValue)" }
        var order = current.value
        var writes: [Write] = []
        for line in order.lines {
            var existing: Versioned<InstalledContract>?
            if let contract = line.installedContract { existing = try await store.get(InstalledContract.self, id: contract) }
            guard let pending = Fulfillment.pending(line: line, order: order.id, existing: existing?.value, on: Day(now)) else { continue }
            writes.append(try existing.map { try .update(pending, expectedVersion: $0.version) } ?? .insert(pending))
        }
        try order.startFulfillment()
        writes.insert(try .update(order, expectedVersion: current.version), at: 0)
        writes.append(try await fulfillmentJob(for: order, kind: .provisioningCallback, due: now))
        try await store.commit(writes, context: context)
        return "in fulfillment: \(writes.count - 2) installed contract(s) pending"
    }

    /// Step 2: provisioning answered; installed products take their final status, the order is
    /// completed (trial end date set), and a parent whose children are all completed completes too.
    func completeFulfillment(of id: String, at now: Date, context: ChangeContext) async throws -> String {
        let current = try await order(id)
        guard current.value.status == .inFulfillment else { return "nothing to do: order \(id) is \(current.value.status.rawValue)" }
        var order = current.value
        var writes: [Write] = []
        for line in order.lines {
            let contractID = line.installedContract ?? Fulfillment.contractID(order: order.id, line: line.number)
            guard let stored = try await store.get(InstalledContract.self, id: contractID) else { continue }
            writes.append(try .update(Fulfillment.provisioned(stored.value), expectedVersion: stored.version))
        }
        try order.completeFulfillment(on: Day(now))
        writes.insert(try .update(order, expectedVersion: current.version), at: 0)
        if let parentID = order.parentID, let parent = try await store.get(Order.self, id: parentID) {
            var others: [Order] = []
            for child in parent.value.children where child.id != order.id {
                if let found = try await store.get(Order.self, id: child.id) { others.append(found.value) }
            }
            // The parent is written by every child's completion, so two children completing at once
            // on two workers conflict on its version: one retries and then sees the other completed.
            var done = parent.value
            try done.childCompleted(otherChildren: others.map(\.status), on: Day(now))
            writes.append(try .update(done, expectedVersion: parent.version))
        }
        try await store.commit(writes, context: context)
        return "completed on \(Day(now))"
    }
}
