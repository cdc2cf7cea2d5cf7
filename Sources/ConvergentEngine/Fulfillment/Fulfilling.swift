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
/// step run twice finds nothing left to do. A step writes what it changed: the provisioning
/// message it sent or that was answered (each its own aggregate, with its own version), and the
/// order only when the order changes (it starts, goes into or out of jeopardy, completes). Two
/// steps on one message conflict on its version and one runs again. Steps on two messages of one
/// order may run at once; each that completes a message without seeing the order ready to
/// complete wakes the order (a job), which then reads every message after both committed.
public struct Fulfiller: Sendable {
    let store: any ConvergentStore
    let orders: OrderBook
    let setup: ProvisioningSetup

    /// An order and its provisioning messages as a step read them, and what the step made of them.
    struct Loaded {
        var progress: FulfillmentProgress
        let read: FulfillmentProgress
        let order: Versioned<Order>
        let messageVersions: [String: Int]

        /// The writes for what the step changed: the order when it changed, each changed message, each new one.
        func writes() throws -> [Write] {
            var writes: [Write] = []
            if progress.order != read.order { writes.append(try .update(progress.order, expectedVersion: order.version)) }
            for message in progress.messages {
                if let version = messageVersions[message.id] {
                    if (try? read.message(message.id)) != message { writes.append(try .update(message, expectedVersion: version)) }
                } else {
                    writes.append(try .insert(message))
                }
            }
            return writes
        }

        /// Messages this step completed.
        var completed: [String] {
            progress.messages.filter { m in m.status == .completed && (try? read.message(m.id))?.status != .completed }.map(\.id)
        }

        /// Whether a message's status or the order's status changed in this step.
        var moved: Bool {
            progress.order.status != read.order.status
                || progress.messages.contains { m in (try? read.message(m.id))?.status != m.status }
        }
    }

    /// An order with its provisioning messages (an index lookup on the messages' order).
    func load(_ id: String) async throws -> Loaded {
        let order = try await orders.order(id)
        let messages = try await messages(of: id)
        let progress = FulfillmentProgress(order: order.value, messages: messages.map(\.value))
        return Loaded(progress: progress, read: progress, order: order,
                      messageVersions: Dictionary(uniqueKeysWithValues: messages.map { ($0.value.id, $0.version) }))
    }

    /// The provisioning messages of an order: one per provisioning system.
    func messages(of order: String) async throws -> [Versioned<ProvisioningMessage>] {
        try await store.everything(ProvisioningMessage.self, filter: RecordFilter(equals: ["order_id": order]))
    }

    /// The orders this one waits for (R-7.4), by id, with their messages.
    func awaited(by order: Order) async throws -> [String: FulfillmentProgress] {
        var found: [String: FulfillmentProgress] = [:]
        for wait in order.fulfillment?.waits ?? [] where found[wait.order] == nil {
            guard let other = try await store.get(Order.self, id: wait.order)?.value else { continue }
            found[wait.order] = FulfillmentProgress(order: other, messages: try await messages(of: wait.order).map(\.value))
        }
        return found
    }

    /// What follows a step: the orders waiting for this one are woken when a message or the order
    /// moved (they check their waits again), and the order itself when the step completed a
    /// message without completing the order (another message may have been answered at once).
    func followUps(_ loaded: Loaded, completing: Bool, at now: Date) throws -> [Write] {
        var writes: [Write] = []
        if loaded.moved || completing {
            for id in loaded.progress.order.fulfillment?.waitedOnBy ?? [] { writes.append(try FulfillOrderJob.job(.init(order: id), due: now)) }
        }
        if !completing, !loaded.completed.isEmpty, loaded.progress.order.status == .inFulfillment, loaded.read.order.status == .inFulfillment {
            writes.append(try FulfillOrderJob.job(.init(order: loaded.progress.order.id), due: now))
        }
        return writes
    }

    /// Takes the order as far as it can go now: starts it (installed products pending, one message
    /// per provisioning system, their send jobs), sends messages that waited for another order,
    /// settles and completes it once every message is answered, or completes a parent whose
    /// children all completed.
    public func advance(_ id: String, at now: Date, context: ChangeContext) async throws -> String {
        var loaded = try await load(id)
        let others = try await awaited(by: loaded.progress.order)
        var writes: [Write] = []
        let outcome: String
        let order = loaded.progress.order
        switch order.status {
        case .submitted where !order.children.isEmpty:
            return try await completeParent(loaded.order, at: now, context: context)
        case .submitted where !loaded.progress.unmetWaits(for: .start, others: others).isEmpty:
            return "waiting: " + loaded.progress.unmetWaits(for: .start, others: others).map { "\($0.order) \($0.milestone.rawValue)" }.joined(separator: ", ")
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
                    var refused = order
                    try refused.refuseFulfillment(because: gone, at: now)
                    try await store.commit([try .update(refused, expectedVersion: loaded.order.version)], context: context)
                    return "jeopardy: \(gone)"
                }
                let keysBefore = keys
                guard let pending = Fulfillment.pending(line: line, order: order.id, existing: existing?.value, on: day, keys: &keys,
                                                        migrations: order.migrations,
                                                        billing: Fulfillment.billing(of: line, in: order, accountsOf: order.parentID ?? order.id)) else { continue }
                loaded.progress.order.recordInstalledIDs(ofLine: line.number, keys: keys.filter { keysBefore[$0.key] != $0.value })
                contracts.append(pending)
                versions[pending.id] = existing?.version
            }
            Fulfillment.pendingLinks(order.links, keys: keys, into: &contracts)
            let catalog = try await orders.catalog(for: order, today: day)
            let messages = Fulfillment.messages(order: order.id, contracts: contracts, catalog: catalog, migrations: order.migrations)
            try loaded.progress.start(messages: messages, at: now)
            for contract in contracts {
                writes.append(try versions[contract.id].map { try .update(contract, expectedVersion: $0) } ?? .insert(contract))
            }
            let sendNow = loaded.progress.unmetWaits(for: .send, others: others).isEmpty
            for message in messages {
                if sendNow, setup.adapters[message.system] == nil, setup.simulator.delay <= 0 {
                    // The simulator at zero delay answers within this step (no job, no wait).
                    writes += try simulate(&loaded.progress, message.id, attempt: 1, now: now)
                } else {
                    writes.append(try SendProvisioningJob.job(.init(message: message.id), due: now))
                }
            }
            // When every message was answered at once, the order is settled just below, after this
            // commit. Should this process die in between, the job running this step is not done:
            // its claim runs out, it runs again and finds the order ready to settle.
            outcome = "in fulfillment: \(contracts.count) installed contract(s) pending, \(messages.count) provisioning message(s)"
        case .inFulfillment:
            if loaded.progress.unmetWaits(for: .send, others: others).isEmpty {
                for message in loaded.progress.messages where message.waiting == true { writes.append(try SendProvisioningJob.job(.init(message: message.id), due: now)) }
            }
            if loaded.progress.readyToComplete(others: others) {
                return try await complete(loaded, others: others, at: now, context: context)
            }
            guard !writes.isEmpty else { return "in fulfillment: waiting for answers or for other orders" }
            outcome = "\(writes.count) waiting message(s) to send"
        default:
            return "nothing to do: order \(id) is \(order.status.rawValue)"
        }
        writes = try loaded.writes() + writes + (try followUps(loaded, completing: false, at: now))
        let committed = try await store.commit(writes, context: context)
        if loaded.progress.readyToComplete(others: others) {
            // Nothing to wait for (no message, or every one answered at once): settle now, in a
            // second transaction, so the installed products' history shows them pending first.
            let started = Loaded(progress: loaded.progress, read: loaded.progress,
                                 order: Versioned(value: loaded.progress.order, version: committed[0], createdAt: loaded.order.createdAt, updatedAt: now),
                                 messageVersions: Dictionary(uniqueKeysWithValues: loaded.progress.messages.map { ($0.id, 1) }))
            return outcome + "; " + (try await complete(started, others: others, at: now, context: context))
        }
        return outcome
    }

    /// Sends attempt `attempt` of a message to the simulator: records it sent and returns the
    /// jobs for its answer and time-out. At zero delay the answer is applied at once, here.
    func simulate(_ progress: inout FulfillmentProgress, _ messageID: String, attempt: Int, now: Date) throws -> [Write] {
        let message = try progress.message(messageID)
        try progress.recordSent(messageID, attempt: attempt, at: now)
        func timeout() throws -> Write {
            try ProvisioningTimeoutJob.job(MessageAttempt(message: messageID, attempt: attempt), due: now.addingTimeInterval(setup.policy.answerTimeout))
        }
        switch setup.simulator.answer(message: messageID, attempt: attempt) {
        case let .succeeds(after) where after <= 0:
            _ = try progress.recordAnswer(messageID, attempt: attempt, success: true, error: nil, answers: setup.simulator.answers(for: message),
                                          at: now, policy: setup.policy)
            return []
        case let .fails(after) where after <= 0:
            let outcome = try progress.recordAnswer(messageID, attempt: attempt, success: false, error: "the simulator reported a failure",
                                                    answers: [], at: now, policy: setup.policy)
            if case let .retry(after) = outcome { return [try SendProvisioningJob.job(.init(message: messageID), due: now.addingTimeInterval(after))] }
            return []
        case let .succeeds(after):
            return [try SimulatedAnswerJob.job(MessageAttempt(message: messageID, attempt: attempt, succeeded: true), due: now.addingTimeInterval(after)), try timeout()]
        case let .fails(after):
            return [try SimulatedAnswerJob.job(MessageAttempt(message: messageID, attempt: attempt, succeeded: false), due: now.addingTimeInterval(after)), try timeout()]
        case .silent:
            return [try timeout()]
        }
    }

    /// Settles the order's installed products (R-7.3) and completes it (trial end date, R-10.2),
    /// with what the step changed in its messages (`loaded`); a child order wakes its parent.
    func complete(_ loaded: Loaded, others: [String: FulfillmentProgress], at now: Date, context: ChangeContext,
                  extra: [Write] = []) async throws -> String {
        var loaded = loaded
        let day = Day(now)
        var writes: [Write] = extra
        var disconnected: Set<String> = []
        var touched: Set<String> = []
        var settledContracts: [String: InstalledContract] = [:]
        var settledVersions: [(id: String, version: Int)] = []
        var contractsBefore: [String: InstalledContract] = [:]
        for line in loaded.progress.order.lines {
            let contractID = line.installedContract ?? Fulfillment.contractID(order: loaded.progress.order.id, line: line.number)
            guard !touched.contains(contractID), let stored = try await store.get(InstalledContract.self, id: contractID) else { continue }
            touched.insert(contractID)
            // R-8: a contract whose products carry billing rows is billed by them; one without
            // (a product that is not billing-account selectable) by its owner's first active account.
            let account = stored.value.root.all.contains(where: { $0.billingRows != nil }) ? nil : try await billingAccount(of: stored.value.customer)
            let settled = Fulfillment.provisioned(stored.value, on: day, answers: loaded.progress.provisioningAnswers, billingAccount: account)
            if account == nil, !stored.value.root.all.contains(where: { $0.billingRows != nil }) {
                let owned = try await store.all(BillingAccount.self, where: ["owner": stored.value.customer]).map(\.value)
                if let warning = Fulfillment.unbilledWarning(settled, accounts: owned) { loaded.progress.order.warn(warning) }
            }
            disconnected.formUnion(settled.root.all.filter { $0.status == .disconnected && $0.disconnectedOn == day }.map(\.id))
            settledContracts[settled.id] = settled
            settledVersions.append((settled.id, stored.version))
            contractsBefore[settled.id] = stored.value
        }
        try loaded.progress.order.completeFulfillment(on: day)
        // R-9.2: commitment contracts; R-6.3: service agreements (each covered product's contract
        // written with them): in the same transaction as the products they cover. A step run again
        // finds them made.
        let order = loaded.progress.order
        if !order.commitmentLines.isEmpty || !order.agreementLines.isEmpty {
            let catalog = try await orders.catalog(for: order, today: day)
            let commitments = try await stored(CommitmentContract.self, order.commitmentLines.map { CommitmentContract.id(order: order.id, line: $0.number) })
            for made in Fulfillment.commitmentContracts(of: order, contracts: &settledContracts, catalog: catalog, on: day, existing: commitments) {
                writes.append(try .insert(made))
                if let installed = made.installed(on: day) { writes.append(try .insert(installed)) }
            }
            for line in order.agreementLines {
                for covered in line.agreement?.covers ?? [] {
                    let contractID = String(covered.prefix { $0 != "." })
                    guard settledContracts[contractID] == nil, let stored = try await store.get(InstalledContract.self, id: contractID) else { continue }
                    settledContracts[contractID] = stored.value
                    settledVersions.append((contractID, stored.version))
                }
            }
            let agreements = try await stored(ServiceAgreement.self, order.agreementLines.map { ServiceAgreement.id(order: order.id, line: $0.number) })
            for made in Fulfillment.serviceAgreements(of: order, contracts: &settledContracts, catalog: catalog, on: day, existing: agreements) {
                writes.append(try .insert(made))
            }
        }
        writes += try await coverageFollowingMigrations(&settledContracts, on: day)
        let changed = try await commitmentChangesApplied(of: order, contracts: &settledContracts, versions: &settledVersions, on: day,
                                                         skipping: Set(writes.filter { $0.kind == .commitmentContract }.map(\.id)))
        writes += changed.writes
        for warning in changed.warnings { loaded.progress.order.warn(warning) }
        writes += try await planMigrationsCompleted(by: order, contracts: &settledContracts, on: day)
        for (id, version) in settledVersions { writes.append(try .update(settledContracts[id]!, expectedVersion: version)) }
        writes += try await subscriptionsFollowing(settledContracts, before: contractsBefore, order: order, on: day)
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
        writes += try await newAccountActivations(for: loaded.progress.order)
        // The parent reads its children when woken (a child's completion does not write it).
        if let parentID = loaded.progress.order.parentID { writes.append(try FulfillOrderJob.job(.init(order: parentID), due: now)) }
        writes = try loaded.writes() + writes + (try followUps(loaded, completing: true, at: now))
        try await store.commit(writes, context: context)
        return "completed on \(day)"
    }

    /// R-13.3: the plan migrations the order carried, completed with it (in the same transaction):
    /// the package free again, and the new plan's installed product recording the migration with
    /// its fee or discount.
    func planMigrationsCompleted(by order: Order, contracts: inout [String: InstalledContract], on day: Day) async throws -> [Write] {
        var writes: [Write] = []
        for stored in try await store.all(PlanMigration.self, where: ["order_id": order.id]) where stored.value.step == .fulfilling {
            var migration = stored.value
            guard let contract = contracts[migration.contract] else { continue }
            let catalog = try await orders.catalog(for: order, today: day).catalog
            let product = migration.toPlan.flatMap { id in catalog.plans.first { $0.id == id } }?.product
            contracts[migration.contract] = migration.complete(in: contract, newProduct: product, order: order.id, on: day)
            writes.append(try .update(migration, expectedVersion: stored.version))
        }
        return writes
    }

    /// R-12.1: the subscriptions made from the contracts the order settled (`before`: as they
    /// were), following them (in the same transaction: a subscription changed meanwhile makes the
    /// step run again). Contracts only read on the way (an agreement's coverage) are left alone.
    func subscriptionsFollowing(_ contracts: [String: InstalledContract], before: [String: InstalledContract], order: Order,
                                on day: Day) async throws -> [Write] {
        var writes: [Write] = []
        var catalog: Catalog?
        for (id, previous) in before.sorted(by: { $0.key < $1.key }) {
            guard let contract = contracts[id] else { continue }
            for subscription in try await store.everything(Subscription.self, filter: RecordFilter(equals: ["contract": id])) {
                if catalog == nil { catalog = try await orders.catalog(for: order, today: day).catalog }
                let bills = try await store.everything(Bill.self, filter: RecordFilter(equals: ["accounts_receivable": subscription.value.accountsReceivable,
                                                                                             "settled": "no"])).map(\.value)
                let arrivals = try await itemArrivals(in: contract, to: subscription.value, settled: contracts, catalog: catalog!, on: day)
                if let followed = subscription.value.following(contract, before: previous, catalog: catalog!, bills: bills, arrivals: arrivals, on: day) {
                    writes.append(try .update(followed, expectedVersion: subscription.version))
                }
            }
        }
        return writes
    }

    /// R-12.3: the devices that a migration brought into `contract` and `subscription` does not
    /// hold yet (its installed items to be), each with the history it brings: what
    /// it had in the subscription it left — the one made from it or an installed product above it
    /// in its former contract — and the move from that one to this.
    func itemArrivals(in contract: InstalledContract, to subscription: Subscription, settled: [String: InstalledContract], catalog: Catalog,
                      on day: Day) async throws -> [String: [InstalledItemMove]] {
        var found: [String: [InstalledItemMove]] = [:]
        for product in contract.root.all where product.status != .disconnected && !subscription.items.contains(where: { $0.id == product.id }) {
            guard let origin = product.migratedFrom, catalog.product(product.product)?.kind == .device else { continue }
            let sourceID = Subscribe.contractID(of: origin)
            var source = settled[sourceID]
            if source == nil { source = try await store.get(InstalledContract.self, id: sourceID)?.value }
            guard let source else { continue }
            var ancestry: Set<String> = [origin]
            var above = source.product(origin)?.parent
            while let id = above {
                ancestry.insert(id)
                above = source.product(id)?.parent
            }
            let candidates = try await store.everything(Subscription.self, filter: RecordFilter(equals: ["contract": sourceID])).map(\.value)
            guard let left = candidates.first(where: { ancestry.contains($0.installedProduct ?? "") }), left.id != subscription.id else { continue }
            found[product.id] = (left.items.first { $0.id == origin }?.history ?? []) + [InstalledItemMove(from: left.id, to: subscription.id, on: day)]
        }
        return found
    }

    /// The ids among `ids` already stored as aggregates of `type`.
    func stored<A: Aggregate>(_ type: A.Type, _ ids: [String]) async throws -> Set<String> {
        var found: Set<String> = []
        for id in ids where try await store.get(A.self, id: id) != nil { found.insert(id) }
        return found
    }

    /// R-9.4: the changes to installed commitments the order's lines carry (made in a session),
    /// applied as the order completes: each commitment version-checked, the covered products'
    /// references changed with it (their contracts read into `contracts` when the order did not
    /// settle them). A change that no longer applies — the commitment ended meanwhile, a product
    /// to add is no longer active, or a migration of this order moved what it covers
    /// (`skipping`) — is left out, and said in a warning on the order.
    func commitmentChangesApplied(of order: Order, contracts: inout [String: InstalledContract], versions: inout [(id: String, version: Int)],
                                  on day: Day, skipping: Set<String>) async throws -> (writes: [Write], warnings: [String]) {
        var warnings: [String] = []
        let changes = order.commitmentChanges.filter { change in
            guard skipping.contains(change.commitment) else { return true }
            warnings.append("the change of commitment \(change.commitment) was not applied: a migration of this order changed it")
            return false
        }
        guard !changes.isEmpty else { return ([], warnings) }
        let catalog = try await orders.catalog(for: order, today: day)
        var writes: [Write] = []
        for change in changes {
            guard let stored = try await store.get(CommitmentContract.self, id: change.commitment) else { continue }
            for product in (change.add ?? []) + (change.remove ?? []) {
                let contractID = String(product.prefix { $0 != "." })
                guard contracts[contractID] == nil, let found = try await store.get(InstalledContract.self, id: contractID) else { continue }
                contracts[contractID] = found.value
                versions.append((contractID, found.version))
            }
            let changed: CommitmentContract
            do {
                changed = try change.applied(to: stored.value, installed: contracts, coverable: catalog.commitmentCoverage[stored.value.product] ?? [],
                                             today: day)
            } catch {
                warnings.append("the change of commitment \(change.commitment) was not applied: \(error.message)")
                continue
            }
            writes.append(try .update(changed, expectedVersion: stored.version))
            for (id, contract) in contracts {
                contracts[id] = contract.referencing(change.commitment, in: \.commitments, adding: Set(change.add ?? []), removing: Set(change.remove ?? []))
            }
        }
        return (writes, warnings)
    }

    /// R-6.3, R-9: the commitments and service agreements covering products that migrated. A
    /// covered product that left its contract today is marked leaving by its commitments (it did
    /// not end). One that arrived and became active here today: within the customer the coverage
    /// follows it to its new id; to another customer the commitment is broken (Violated, with the
    /// day's penalty) and the agreement no longer covers it. The new products reference what still
    /// covers them. A step run again finds them moved already.
    func coverageFollowingMigrations(_ contracts: inout [String: InstalledContract], on day: Day) async throws -> [Write] {
        var writes: [Write] = []
        // Each as read (its version and value) and as changed.
        var changed: [String: Versioned<CommitmentContract>] = [:]
        var agreements: [String: Versioned<ServiceAgreement>] = [:]
        var readCommitments: [String: CommitmentContract] = [:]
        var readAgreements: [String: ServiceAgreement] = [:]
        var covering: [String: [String]] = [:] // new installed id → commitments that follow it
        var agreeing: [String: [String]] = [:] // new installed id → service agreements that follow it
        for contract in contracts.values.sorted(by: { $0.id < $1.id }) {
            for product in contract.root.all where product.status == .disconnected && product.disconnectedOn == day && product.migratedTo != nil {
                for id in product.commitments ?? [] {
                    var found = changed[id]
                    if found == nil { found = try await store.get(CommitmentContract.self, id: id); readCommitments[id] = found?.value }
                    guard var commitment = found else { continue }
                    commitment.value.leave(product.id)
                    changed[id] = commitment
                }
            }
        }
        for contract in contracts.values.sorted(by: { $0.id < $1.id }) {
            for product in contract.root.all where product.status == .active && product.installedOn == day {
                guard let old = product.migratedFrom else { continue }
                let oldContractID = String(old.prefix { $0 != "." })
                var source = contracts[oldContractID]
                if source == nil { source = try await store.get(InstalledContract.self, id: oldContractID)?.value }
                // R-6.3: a service agreement keeps a product migrated within its customer; across, it ends over it.
                for id in source?.product(old)?.component.agreements ?? [] {
                    var found = agreements[id]
                    if found == nil { found = try await store.get(ServiceAgreement.self, id: id); readAgreements[id] = found?.value }
                    guard var agreement = found else { continue }
                    if agreement.value.productMigrated(old, to: product.id, in: contract.id, owner: product.owner ?? contract.customer, on: day) {
                        agreeing[product.id, default: []].append(id)
                    }
                    agreements[id] = agreement
                }
                for id in source?.product(old)?.component.commitments ?? [] {
                    var found = changed[id]
                    if found == nil { found = try await store.get(CommitmentContract.self, id: id); readCommitments[id] = found?.value }
                    guard var commitment = found else { continue }
                    if try commitment.value.productMigrated(old, to: product.id, in: contract.id, owner: product.owner ?? contract.customer, on: day) {
                        covering[product.id, default: []].append(id)
                    }
                    changed[id] = commitment
                }
            }
        }
        for (id, contract) in contracts {
            var updated = contract
            for (product, ids) in covering where contract.product(product) != nil {
                for commitment in ids { updated = updated.referencing(commitment, in: \.commitments, adding: [product], removing: []) }
            }
            for (product, ids) in agreeing where contract.product(product) != nil {
                for agreement in ids { updated = updated.referencing(agreement, in: \.agreements, adding: [product], removing: []) }
            }
            if updated != contract { contracts[id] = updated }
        }
        for (id, agreement) in agreements.sorted(by: { $0.key < $1.key }) where readAgreements[id] != agreement.value {
            writes.append(try .update(agreement.value, expectedVersion: agreement.version))
        }
        for (id, commitment) in changed.sorted(by: { $0.key < $1.key }) where readCommitments[id] != commitment.value {
            writes.append(try .update(commitment.value, expectedVersion: commitment.version))
        }
        return writes
    }

    /// A parent order (R-7.1) completes once every one of its children has: it reads them when a
    /// child's completion wakes it. Two children completing at once wake it twice; the second
    /// finds it completed.
    func completeParent(_ current: Versioned<Order>, at now: Date, context: ChangeContext) async throws -> String {
        var parent = current.value
        try parent.childrenProgressed(try await orders.childStatuses(of: parent), on: Day(now))
        guard parent != current.value else { return "waiting for its children" }
        try await store.commit([try .update(parent, expectedVersion: current.version)], context: context)
        return parent.status == .completed ? "completed with its last child on \(Day(now))" : "children: " + parent.children.map { "\($0.id) \($0.status?.rawValue ?? "?")" }.joined(separator: ", ")
    }

    /// R-8.5: the order's new accounts become Active with the products they pay (the same transaction).
    func newAccountActivations(for order: Order) async throws -> [Write] {
        var writes: [Write] = []
        for marked in order.newAccounts {
            let id = Fulfillment.accountID(order: order.parentID ?? order.id, newAccount: marked.id)
            guard var account = try await store.get(BillingAccount.self, id: id), account.value.status == .pending else { continue }
            account.value.status = .active
            writes.append(try .update(account.value, expectedVersion: account.version))
        }
        return writes
    }

    /// The billing account a new installed contract is billed to: its owner's first active one.
    func billingAccount(of customer: String) async throws -> String? {
        try await store.all(BillingAccount.self, where: ["owner": customer]).first { $0.value.status == .active }?.value.id
    }

    /// Sends one message (its next attempt) through its system's adapter, or the simulator, then
    /// records it sent with the jobs for its answer time-out (and the simulator's answer). A send
    /// that waits for another order (R-7.4) is marked waiting; that order wakes this one.
    public func send(_ messageID: String, at now: Date, context: ChangeContext) async throws -> String {
        var loaded = try await load(ProvisioningMessage.order(ofMessage: messageID))
        let others = try await awaited(by: loaded.progress.order)
        guard let attempt = try loaded.progress.prepareSend(messageID, others: others) else {
            let message = try loaded.progress.message(messageID)
            guard message.waiting == true else { return "nothing to do: message \(messageID) is \(message.status.rawValue)" }
            try await store.commit(try loaded.writes(), context: context)
            // The awaited order may have reached its milestone, and woken this one, between what was
            // read above and this commit (its wake then found the message not yet waiting): read again.
            if loaded.progress.unmetWaits(for: .send, others: try await awaited(by: loaded.progress.order)).isEmpty {
                try await store.commit([try SendProvisioningJob.job(.init(message: messageID), due: now)], context: context)
                return "the awaited orders got there meanwhile: sending"
            }
            return "waiting: " + loaded.progress.unmetWaits(for: .send, others: others).map { "\($0.order) \($0.milestone.rawValue)" }.joined(separator: ", ")
        }
        let message = try loaded.progress.message(messageID)
        if let adapter = setup.adapters[message.system] {
            // The attempt is recorded sent, with its time-out job, in its own transaction before the
            // call: a write that loses a race fails here, before anything left, so a send is never
            // repeated for it; an answer arriving while the call is still out finds the attempt
            // recorded. Only a crash between this commit and the call leaves the attempt unsent,
            // and its time-out sends it again (the receiver drops repeats by message and attempt).
            try loaded.progress.recordSent(messageID, attempt: attempt, at: now)
            let timeout = try ProvisioningTimeoutJob.job(MessageAttempt(message: messageID, attempt: attempt), due: now.addingTimeInterval(setup.policy.answerTimeout))
            try await store.commit(try loaded.writes() + [timeout] + (try followUps(loaded, completing: false, at: now)), context: context)
            do {
                try await adapter.deliver(ProvisioningEnvelope(message: message.id, order: loaded.progress.order.id,
                                                               customer: loaded.progress.order.header.soldTo,
                                                               system: message.system, attempt: attempt, items: message.items))
            } catch {
                // Recording the failure reads the message again: an answer or another step may have written it since.
                return try await retryingConflicts {
                    var latest = try await load(loaded.progress.order.id)
                    let outcome = try latest.progress.recordFailure(messageID, attempt: attempt, error: "not delivered: \(error)", at: now, policy: setup.policy)
                    return try await record(outcome, latest, messageID: messageID, at: now, context: context)
                }
            }
            return "sent \(messageID) (attempt \(attempt))"
        }
        let jobs = try simulate(&loaded.progress, messageID, attempt: attempt, now: now)
        if loaded.progress.readyToComplete(others: others) {
            // Answered at once (the simulator at zero delay), and it was the last: settle and complete too.
            return "sent and answered \(messageID); " + (try await complete(loaded, others: others, at: now, context: context, extra: jobs))
        }
        try await store.commit(try loaded.writes() + jobs + (try followUps(loaded, completing: false, at: now)), context: context)
        return "sent \(messageID) (attempt \(attempt))"
    }

    /// What an answer or a failure did, written with what follows: a retry's send job, the
    /// completion when it was the last answer, jobs waking this order or others.
    func record(_ outcome: ProvisioningAnswerOutcome, _ loaded: Loaded, messageID: String, at now: Date, context: ChangeContext) async throws -> String {
        var writes: [Write] = []
        let text: String
        switch outcome {
        case let .ignored(why):
            return "nothing changed: \(why)"
        case let .retry(after):
            writes.append(try SendProvisioningJob.job(.init(message: messageID), due: now.addingTimeInterval(after)))
            text = "\(messageID) failed; sent again in \(Int(after)) s"
        case .jeopardy:
            text = "\(messageID) failed for the last time: order \(loaded.progress.order.id) is in jeopardy"
        case .completed:
            let others = try await awaited(by: loaded.progress.order)
            if loaded.progress.readyToComplete(others: others) {
                // Settle and complete in the same transaction as the last answer.
                return "answered \(messageID); " + (try await complete(loaded, others: others, at: now, context: context))
            }
            text = "answered \(messageID)"
        }
        try await store.commit(try loaded.writes() + writes + (try followUps(loaded, completing: false, at: now)), context: context)
        return text
    }

    /// A provisioning system's answer (the callback endpoint, or the simulator's job). Duplicate
    /// and out-of-order answers change nothing twice (see `FulfillmentProgress.recordAnswer`).
    public func answer(_ messageID: String, attempt: Int, success: Bool, error: String?, answers: [ProvisioningItemAnswer] = [],
                       at now: Date, context: ChangeContext) async throws -> String {
        var loaded = try await load(ProvisioningMessage.order(ofMessage: messageID))
        let outcome = try loaded.progress.recordAnswer(messageID, attempt: attempt, success: success, error: error, answers: answers, at: now, policy: setup.policy)
        return try await record(outcome, loaded, messageID: messageID, at: now, context: context)
    }

    /// The answer to a send did not come in time: it counts as a failure of that attempt.
    public func timeout(_ messageID: String, attempt: Int, at now: Date, context: ChangeContext) async throws -> String {
        var loaded = try await load(ProvisioningMessage.order(ofMessage: messageID))
        let outcome = try loaded.progress.recordTimeout(messageID, attempt: attempt, at: now, policy: setup.policy)
        return try await record(outcome, loaded, messageID: messageID, at: now, context: context)
    }

    /// An order's provisioning messages, by id (the API shows them with the order).
    public func provisioningMessages(of order: String) async throws -> [ProvisioningMessage] {
        try await messages(of: order).map(\.value)
    }

    /// Orders in jeopardy (in fulfillment, or still submitted when fulfillment refused to start), by
    /// id after `cursor`: an index lookup on the orders' jeopardy column.
    public func inJeopardy(after cursor: String?, limit: Int) async throws -> [Versioned<Order>] {
        try await store.all(Order.self, where: ["in_jeopardy": "yes"], after: cursor, limit: limit)
    }

    /// An order in jeopardy as agents see it listed.
    public struct JeopardyEntry: Sendable {
        public var order: String
        public var captureType: CaptureType
        public var customer: String
        public var jeopardy: Jeopardy
        public var version: Int
    }

    /// A page of the orders in jeopardy, by id after `cursor`, and the cursor of the next page.
    public func jeopardy(after cursor: String?, limit: Int) async throws -> (items: [JeopardyEntry], nextCursor: String?) {
        let found = try await inJeopardy(after: cursor, limit: limit + 1)
        let page = Array(found.prefix(limit))
        let items = page.compactMap { v in
            v.value.fulfillment?.jeopardy.map { JeopardyEntry(order: v.value.id, captureType: v.value.captureType, customer: v.value.header.soldTo,
                                                              jeopardy: $0, version: v.version) }
        }
        return (items, found.count > limit ? page.last?.value.id : nil)
    }

    /// An agent sends the failed messages of an order in jeopardy again.
    public func retry(_ id: String, expectedVersion: Int?, at now: Date, context: ChangeContext) async throws -> Versioned<Order> {
        var loaded = try await load(id)
        try Self.check(expectedVersion, loaded.order)
        var jobs: [Write] = []
        for message in try loaded.progress.retryProvisioning(policy: setup.policy) { jobs.append(try SendProvisioningJob.job(.init(message: message), due: now)) }
        let versions = try await store.commit(try loaded.writes() + jobs, context: context)
        return Versioned(value: loaded.progress.order, version: versions[0], createdAt: loaded.order.createdAt, updatedAt: now)
    }

    /// An agent resumes an order in jeopardy: its failed messages were carried out by hand.
    public func resume(_ id: String, expectedVersion: Int?, at now: Date, context: ChangeContext) async throws -> Versioned<Order> {
        var loaded = try await load(id)
        try Self.check(expectedVersion, loaded.order)
        _ = try loaded.progress.resumeProvisioning(by: context.actor, at: now)
        let versions = try await store.commit(try loaded.writes() + [try FulfillOrderJob.job(.init(order: id), due: now)], context: context)
        return Versioned(value: loaded.progress.order, version: versions[0], createdAt: loaded.order.createdAt, updatedAt: now)
    }

    static func check(_ expectedVersion: Int?, _ current: Versioned<Order>) throws {
        if let expectedVersion, expectedVersion != current.version {
            throw StoreError(.conflict, "order \(current.value.id) is at version \(current.version), not \(expectedVersion)")
        }
    }
}

extension OrderBook {
    /// Orders that are fulfilled themselves: submitted, with lines, and no children (a parent's
    /// children carry its work).
    static func isFulfilledItself(_ order: Order) -> Bool {
        order.status == .submitted && order.children.isEmpty && !order.lines.isEmpty
    }

    func fulfillmentJob(for order: Order, due: Date) throws -> Write {
        try FulfillOrderJob.job(.init(order: order.id), due: due)
    }
}
