import ConvergentDomain
import ConvergentStore
import Foundation

/// R-7.5: a provisioning system reached over the network. It takes a message or throws; its
/// answer comes later, through the callback endpoint.
public protocol ProvisioningAdapter: Sendable {
    func deliver(_ envelope: ProvisioningEnvelope) async throws
}

/// A provisioning message as it leaves: what to do, and how to answer. Delivery is at least once;
/// `message` with `attempt` identifies a send, so a system can drop a repeat.
public struct ProvisioningEnvelope: Hashable, Sendable, Codable {
    public var message: String
    public var order: String
    public var customer: String
    public var system: String
    public var attempt: Int
    public var items: [ProvisioningItem]
}

/// How this node provisions (R-7.5): the simulator for every system, except those with an adapter.
public struct ProvisioningSetup: Sendable {
    public var policy: ProvisioningPolicy
    public var simulator: ProvisioningSimulator
    /// Provisioning systems reached through an adapter (HTTP), by name.
    public var adapters: [String: any ProvisioningAdapter]

    public init(policy: ProvisioningPolicy = ProvisioningPolicy(), simulator: ProvisioningSimulator = ProvisioningSimulator(),
                adapters: [String: any ProvisioningAdapter] = [:]) {
        self.policy = policy
        self.simulator = simulator
        self.adapters = adapters
    }
}

/// R-7.3 – R-7.5: fulfillment driven by jobs. Every step is one transaction that also writes the
/// jobs for what follows (the outbox), so a crash between steps resumes where it stopped, and a
/// step run twice finds nothing left to do. Every step writes the order, so two steps of one
/// order on two workers conflict on its version and one runs again, never both half-way.
public struct Fulfiller: Sendable {
    let store: any ConvergentStore
    let orders: OrderBook
    let setup: ProvisioningSetup

    func job(_ kind: JobKind, _ subject: String, due: Date) throws -> Write {
        try .insert(Job(id: Job.newID(due: due), kind: kind, subject: subject, dueAt: due))
    }

    /// The orders this one waits for (R-7.4), by id.
    func awaited(by order: Order) async throws -> [String: Order] {
        var found: [String: Order] = [:]
        for wait in order.fulfillment?.waits ?? [] where found[wait.order] == nil {
            found[wait.order] = try await store.get(Order.self, id: wait.order)?.value
        }
        return found
    }

    /// Jobs that wake the orders waiting for this one when it reached a milestone it had not before.
    func wakes(before: Order, after: Order, at now: Date) async throws -> [Write] {
        let reached = FulfillmentWait.Milestone.allCases.contains { milestone in
            !(before.fulfillment?.reached(milestone) ?? false) && (after.fulfillment?.reached(milestone) ?? false)
        } || (before.status != .completed && after.status == .completed)
        guard reached else { return [] }
        var writes: [Write] = []
        for id in after.fulfillment?.waitedOnBy ?? [] { writes.append(try job(.fulfillOrder, id, due: now)) }
        return writes
    }

    /// Takes the order as far as it can go now: starts it (installed products pending, one message
    /// per provisioning system, their send jobs), sends messages that waited for another order,
    /// or settles and completes it once every message is answered.
    public func advance(_ id: String, at now: Date, context: ChangeContext) async throws -> String {
        let current = try await orders.order(id)
        let before = current.value
        var order = before
        let others = try await awaited(by: order)
        var writes: [Write] = []
        let outcome: String
        switch order.status {
        case .submitted where !order.unmetWaits(for: .start, others: others).isEmpty:
            return "waiting: " + order.unmetWaits(for: .start, others: others).map { "\($0.order) \($0.milestone.rawValue)" }.joined(separator: ", ")
        case .submitted where order.fulfillment?.jeopardy != nil:
            return "nothing to do: order \(id) is in jeopardy (\(order.fulfillment!.jeopardy!.reason))"
        case .submitted:
            let day = Day(now)
            var keys: [String: String] = [:]
            var contracts: [InstalledContract] = []
            var versions: [String: Int] = [:]
            for line in order.lines {
                var existing: Versioned<InstalledContract>?
                if let contract = line.installedContract { existing = try await store.get(InstalledContract.self, id: contract) }
                if let gone = existing.flatMap({ order.installedContractGone($0.value) }) {
                    try order.refuseFulfillment(because: gone, at: now)
                    try await store.commit([try .update(order, expectedVersion: current.version)], context: context)
                    return "jeopardy: \(gone)"
                }
                guard let pending = Fulfillment.pending(line: line, order: order.id, existing: existing?.value, on: day, keys: &keys,
                                                        migrations: order.migrations) else { continue }
                contracts.append(pending)
                versions[pending.id] = existing?.version
            }
            Fulfillment.pendingLinks(order.links, keys: keys, into: &contracts)
            let catalog = try await orders.catalog(for: order, today: day)
            let messages = Fulfillment.messages(order: order.id, contracts: contracts, catalog: catalog, migrations: order.migrations)
            try order.startFulfillment(messages: messages, at: now)
            for contract in contracts {
                writes.append(try versions[contract.id].map { try .update(contract, expectedVersion: $0) } ?? .insert(contract))
            }
            let sendNow = order.unmetWaits(for: .send, others: others).isEmpty
            for message in messages {
                if sendNow, setup.adapters[message.system] == nil, setup.simulator.delay <= 0 {
                    // The simulator at zero delay answers within this step (no job, no wait).
                    writes += try simulate(&order, message.id, attempt: 1, now: now)
                } else {
                    writes.append(try job(.sendProvisioning, message.id, due: now))
                }
            }
            if order.readyToComplete(others: others) {
                // Settled just below, after this commit; should this process die in between, this job does it.
                writes.append(try job(.fulfillOrder, order.id, due: now))
            }
            outcome = "in fulfillment: \(contracts.count) installed contract(s) pending, \(messages.count) provisioning message(s)"
        case .inFulfillment:
            for message in order.fulfillment?.messages ?? [] where message.waiting == true && order.unmetWaits(for: .send, others: others).isEmpty {
                writes.append(try job(.sendProvisioning, message.id, due: now))
            }
            if order.readyToComplete(others: others) {
                return try await complete(current, others: others, at: now, context: context)
            }
            guard !writes.isEmpty else { return "in fulfillment: waiting for answers or for other orders" }
            outcome = "\(writes.count) waiting message(s) to send"
        default:
            return "nothing to do: order \(id) is \(order.status.rawValue)"
        }
        writes.insert(try .update(order, expectedVersion: current.version), at: 0)
        writes += try await wakes(before: before, after: order, at: now)
        let versions = try await store.commit(writes, context: context)
        if order.readyToComplete(others: others) {
            // Nothing to wait for (no message, or every one answered at once): settle now, in a
            // second transaction, so the installed products' history shows them pending first.
            let started = Versioned(value: order, version: versions[0], createdAt: current.createdAt, updatedAt: now)
            return outcome + "; " + (try await complete(started, others: others, at: now, context: context))
        }
        return outcome
    }

    /// Sends attempt `attempt` of a message to the simulator: records it sent and returns the
    /// jobs for its answer and time-out. At zero delay the answer is applied at once, here.
    func simulate(_ order: inout Order, _ messageID: String, attempt: Int, now: Date) throws -> [Write] {
        guard let message = order.fulfillment?.messages.first(where: { $0.id == messageID }) else { return [] }
        try order.recordSent(messageID, attempt: attempt, at: now)
        func timeout() throws -> Write {
            try job(.provisioningTimeout, "\(messageID)#\(attempt)", due: now.addingTimeInterval(setup.policy.answerTimeout))
        }
        switch setup.simulator.answer(message: messageID, attempt: attempt) {
        case let .succeeds(after) where after <= 0:
            _ = try order.recordAnswer(messageID, attempt: attempt, success: true, error: nil, answers: setup.simulator.answers(for: message),
                                       at: now, policy: setup.policy)
            return []
        case let .fails(after) where after <= 0:
            let outcome = try order.recordAnswer(messageID, attempt: attempt, success: false, error: "the simulator reported a failure",
                                                 answers: [], at: now, policy: setup.policy)
            if case let .retry(after) = outcome { return [try job(.sendProvisioning, messageID, due: now.addingTimeInterval(after))] }
            return []
        case let .succeeds(after):
            return [try job(.provisioningCallback, "\(messageID)#\(attempt)#succeeded", due: now.addingTimeInterval(after)), try timeout()]
        case let .fails(after):
            return [try job(.provisioningCallback, "\(messageID)#\(attempt)#failed", due: now.addingTimeInterval(after)), try timeout()]
        case .silent:
            return [try timeout()]
        }
    }

    /// Settles the order's installed products (R-7.3), completes it (trial end date, R-10.2) and,
    /// when it was the last of its parent's children, the parent.
    func complete(_ current: Versioned<Order>, others: [String: Order], at now: Date, context: ChangeContext,
                  extra: [Write] = []) async throws -> String {
        var order = current.value
        let day = Day(now)
        var writes: [Write] = extra
        var disconnected: Set<String> = []
        var touched: Set<String> = []
        for line in order.lines {
            let contractID = line.installedContract ?? Fulfillment.contractID(order: order.id, line: line.number)
            guard !touched.contains(contractID), let stored = try await store.get(InstalledContract.self, id: contractID) else { continue }
            touched.insert(contractID)
            let account = try await billingAccount(of: stored.value.customer)
            let settled = Fulfillment.provisioned(stored.value, on: day, answers: order.provisioningAnswers, billingAccount: account)
            if account == nil {
                let owned = try await store.all(BillingAccount.self, where: ["owner": stored.value.customer]).map(\.value)
                if let warning = Fulfillment.unbilledWarning(settled, accounts: owned) { order.warn(warning) }
            }
            disconnected.formUnion(settled.root.all.filter { $0.status == .disconnected && $0.disconnectedOn == day }.map(\.id))
            writes.append(try .update(settled, expectedVersion: stored.version))
        }
        // Links from other contracts of the customers to what was disconnected end too.
        if !disconnected.isEmpty {
            // The contracts holding links to them: an index lookup (installed_links by target).
            let linking = try await store.everyIndexRow(.installedLinks, where: "to_id", in: disconnected.sorted()).compactMap { $0["contract"] }
            for otherID in Set(linking).subtracting(touched).sorted() {
                guard let other = try await store.get(InstalledContract.self, id: otherID) else { continue }
                if let ended = Fulfillment.endLinks(in: other.value, to: disconnected, on: day) {
                    writes.append(try .update(ended, expectedVersion: other.version))
                }
            }
        }
        let before = order
        try order.completeFulfillment(on: day)
        writes.insert(try .update(order, expectedVersion: current.version), at: 0)
        if let parentID = order.parentID, let parent = try await store.get(Order.self, id: parentID) {
            var siblings: [String: OrderStatus] = [:]
            for child in parent.value.children where child.id != order.id {
                if let found = try await store.get(Order.self, id: child.id) { siblings[child.id] = found.value.status }
            }
            // The parent is written by every child's completion, so two children completing at once
            // on two workers conflict on its version: one runs again and then sees the other completed.
            var done = parent.value
            try done.childCompleted(order.id, otherChildren: siblings, on: day)
            writes.append(try .update(done, expectedVersion: parent.version))
        }
        writes += try await wakes(before: before, after: order, at: now)
        try await store.commit(writes, context: context)
        return "completed on \(day)"
    }

    /// The billing account a new installed contract is billed to: its owner's first active one.
    func billingAccount(of customer: String) async throws -> String? {
        try await store.all(BillingAccount.self, where: ["owner": customer]).first { $0.value.status == .active }?.value.id
    }

    /// Sends one message (its next attempt) through its system's adapter, or the simulator, then
    /// records it sent with the jobs for its answer time-out (and the simulator's answer). A send
    /// that waits for another order (R-7.4) is marked waiting; that order wakes this one.
    public func send(_ messageID: String, at now: Date, context: ChangeContext) async throws -> String {
        let orderID = Self.order(ofMessage: messageID)
        let current = try await orders.order(orderID)
        var order = current.value
        let others = try await awaited(by: order)
        guard let attempt = try order.prepareSend(messageID, others: others) else {
            let message = order.fulfillment?.messages.first { $0.id == messageID }
            guard let message, message.waiting == true else { return "nothing to do: message \(messageID) is \(message?.status.rawValue ?? "unknown")" }
            try await store.commit([try .update(order, expectedVersion: current.version)], context: context)
            return "waiting: " + order.unmetWaits(for: .send, others: others).map { "\($0.order) \($0.milestone.rawValue)" }.joined(separator: ", ")
        }
        let message = order.fulfillment!.messages.first { $0.id == messageID }!
        let before = order
        var writes: [Write] = []
        if let adapter = setup.adapters[message.system] {
            // The attempt is recorded sent, with its time-out job, in its own transaction before the
            // call: a write that loses a race fails here, before anything left, so a send is never
            // repeated for it; an answer arriving while the call is still out finds the attempt
            // recorded. Only a crash between this commit and the call leaves the attempt unsent,
            // and its time-out sends it again (the receiver drops repeats by message and attempt).
            try order.recordSent(messageID, attempt: attempt, at: now)
            let timeout = try job(.provisioningTimeout, "\(messageID)#\(attempt)", due: now.addingTimeInterval(setup.policy.answerTimeout))
            var sent = current
            sent.version = try await store.commit([try .update(order, expectedVersion: current.version), timeout]
                                                   + (try await wakes(before: before, after: order, at: now)), context: context)[0]
            sent.value = order
            do {
                try await adapter.deliver(ProvisioningEnvelope(message: message.id, order: order.id, customer: order.header.soldTo,
                                                               system: message.system, attempt: attempt, items: message.items))
            } catch {
                // Recording the failure reads the order again: an answer or another step may have written it since.
                return try await retryingConflicts {
                    let latest = try await orders.order(orderID)
                    return try await failed(latest, messageID: messageID, attempt: attempt, error: "not delivered: \(error)", at: now, context: context)
                }
            }
            return "sent \(messageID) (attempt \(attempt))"
        }
        writes += try simulate(&order, messageID, attempt: attempt, now: now)
        if order.readyToComplete(others: others) {
            // Answered at once (the simulator at zero delay), and it was the last: settle and complete too.
            var sent = current
            sent.value = order
            return "sent and answered \(messageID); " + (try await complete(sent, others: others, at: now, context: context, extra: writes))
        }
        writes.insert(try .update(order, expectedVersion: current.version), at: 0)
        writes += try await wakes(before: before, after: order, at: now)
        try await store.commit(writes, context: context)
        return "sent \(messageID) (attempt \(attempt))"
    }

    func failed(_ current: Versioned<Order>, messageID: String, attempt: Int, error: String, at now: Date, context: ChangeContext) async throws -> String {
        var order = current.value
        let outcome = try order.recordFailure(messageID, attempt: attempt, error: error, at: now, policy: setup.policy)
        return try await record(outcome, current: current, order: order, messageID: messageID, at: now, context: context)
    }

    /// What an answer or a failure did, written with what follows: a retry's send job, the
    /// completion when it was the last answer, jobs waking other orders.
    func record(_ outcome: ProvisioningAnswerOutcome, current: Versioned<Order>, order: Order, messageID: String,
                at now: Date, context: ChangeContext) async throws -> String {
        var writes: [Write] = []
        let text: String
        switch outcome {
        case let .ignored(why):
            return "nothing changed: \(why)"
        case let .retry(after):
            writes.append(try job(.sendProvisioning, messageID, due: now.addingTimeInterval(after)))
            text = "\(messageID) failed; sent again in \(Int(after)) s"
        case .jeopardy:
            text = "\(messageID) failed for the last time: order \(order.id) is in jeopardy"
        case .completed:
            let others = try await awaited(by: order)
            if order.readyToComplete(others: others) {
                // Settle and complete in the same transaction as the last answer.
                var answered = current
                answered.value = order
                return "answered \(messageID); " + (try await complete(answered, others: others, at: now, context: context))
            }
            text = "answered \(messageID)"
        }
        writes.insert(try .update(order, expectedVersion: current.version), at: 0)
        writes += try await wakes(before: current.value, after: order, at: now)
        try await store.commit(writes, context: context)
        return text
    }

    /// A provisioning system's answer (the callback endpoint, or the simulator's job). Duplicate
    /// and out-of-order answers change nothing twice (see `Order.recordAnswer`).
    public func answer(_ messageID: String, attempt: Int, success: Bool, error: String?, answers: [ProvisioningItemAnswer] = [],
                       at now: Date, context: ChangeContext) async throws -> String {
        let current = try await orders.order(Self.order(ofMessage: messageID))
        var order = current.value
        let outcome = try order.recordAnswer(messageID, attempt: attempt, success: success, error: error, answers: answers, at: now, policy: setup.policy)
        return try await record(outcome, current: current, order: order, messageID: messageID, at: now, context: context)
    }

    /// The answer to a send did not come in time: it counts as a failure of that attempt.
    public func timeout(_ messageID: String, attempt: Int, at now: Date, context: ChangeContext) async throws -> String {
        let current = try await orders.order(Self.order(ofMessage: messageID))
        var order = current.value
        let outcome = try order.recordTimeout(messageID, attempt: attempt, at: now, policy: setup.policy)
        return try await record(outcome, current: current, order: order, messageID: messageID, at: now, context: context)
    }

    /// Orders in jeopardy (in fulfillment, or still submitted when fulfillment refused to start), by
    /// id after `cursor`: an index lookup on the orders' jeopardy column.
    public func inJeopardy(after cursor: String?, limit: Int) async throws -> [Versioned<Order>] {
        try await store.all(Order.self, where: ["in_jeopardy": "yes"], after: cursor, limit: limit)
    }

    /// An agent sends the failed messages of an order in jeopardy again.
    public func retry(_ id: String, expectedVersion: Int?, at now: Date, context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await orders.order(id)
        try Self.check(expectedVersion, current)
        var order = current.value
        var writes: [Write] = []
        for message in try order.retryProvisioning(policy: setup.policy) { writes.append(try job(.sendProvisioning, message, due: now)) }
        writes.insert(try .update(order, expectedVersion: current.version), at: 0)
        let versions = try await store.commit(writes, context: context)
        return Versioned(value: order, version: versions[0], createdAt: current.createdAt, updatedAt: now)
    }

    /// An agent resumes an order in jeopardy: its failed messages were carried out by hand.
    public func resume(_ id: String, expectedVersion: Int?, at now: Date, context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await orders.order(id)
        try Self.check(expectedVersion, current)
        var order = current.value
        _ = try order.resumeProvisioning(by: context.actor, at: now)
        let versions = try await store.commit([try .update(order, expectedVersion: current.version),
                                               try job(.fulfillOrder, id, due: now)], context: context)
        return Versioned(value: order, version: versions[0], createdAt: current.createdAt, updatedAt: now)
    }

    static func check(_ expectedVersion: Int?, _ current: Versioned<Order>) throws {
        if let expectedVersion, expectedVersion != current.version {
            throw StoreError(.conflict, "order \(current.value.id) is at version \(current.version), not \(expectedVersion)")
        }
    }

    static func order(ofMessage id: String) -> String { String(id.prefix { $0 != "/" }) }

    /// Splits a job subject `<message>#<attempt>[#<result>]`.
    static func parse(_ subject: String) throws -> (message: String, attempt: Int, result: String?) {
        let parts = subject.split(separator: "#").map(String.init)
        guard parts.count >= 2, let attempt = Int(parts[1]) else { throw JobError("job subject '\(subject)' is not <message>#<attempt>") }
        return (parts[0], attempt, parts.count > 2 ? parts[2] : nil)
    }
}

extension OrderBook {
    /// Orders that are fulfilled themselves: submitted, with lines, and no children (a parent's
    /// children carry its work).
    static func isFulfilledItself(_ order: Order) -> Bool {
        order.status == .submitted && order.children.isEmpty && !order.lines.isEmpty
    }

    func fulfillmentJob(for order: Order, kind: JobKind, due: Date) throws -> Write {
        try .insert(Job(id: Job.newID(due: due), kind: kind, subject: order.id, dueAt: due))
    }
}
