import ConvergentDomain
import ConvergentStore
import Foundation

/// R-12.4 performed: Amend Bundle Services through the order machinery — validated by every
/// rule of seed 002 (the prepaid wallet covering every added component among them), recorded as
/// a subscription action with the wallet's one debit, then carried out by a service-management
/// order changing the installed contract (a configuration session adds and removes the
/// components), fulfilled and provisioned as any order; the subscription follows the contract
/// when that order completes (`Subscription.following`).
extension Subscriptions {
    /// What the agent sees before submitting (R-12.7, R-16.2): the components added with their
    /// cost, those removed, the wallet debit, and every refusal the amendment would meet now.
    public func previewAmendment(_ id: String, _ change: AmendBundleServices, details: ActionDetails,
                                 today: Day) async throws -> (preview: AmendBundleServices.Preview, refusals: [SubscriptionError]) {
        let facts = try await amendmentFacts(id, today: today)
        let refusals = details.validate(for: .amendBundleServices(change), services: facts.subscription.services, today: today)
            + change.validate(facts.subscription, catalog: facts.catalog, wallet: facts.wallet, bundleChangeScheduled: facts.scheduled[change.bundle], on: today)
        return (change.preview(facts.subscription, catalog: facts.catalog, prepaid: facts.wallet != nil), refusals)
    }

    /// Performs the amendment now (see the type's comment), or schedules it (R-12.2): validated
    /// now, every rule, and refused when it conflicts with a pending action (R-16.4); stored
    /// pending with the job that runs it when due (`runScheduled`), validated again then. Refused
    /// on the way — by the configuration, or by the order's submission — the wallet is credited
    /// back (recorded), the order cancelled and the action recorded refused; the refusal is thrown.
    public func amend(_ id: String, _ change: AmendBundleServices, details: ActionDetails, schedule: ActionSchedule = .now, today: Day,
                      context: ChangeContext) async throws -> Versioned<PendingAction> {
        let facts = try await amendmentFacts(id, today: today)
        let action = SubscriptionAction.amendBundleServices(change)
        var refusals = details.validate(for: action, services: facts.subscription.services, today: today)
            + change.validate(facts.subscription, catalog: facts.catalog, wallet: facts.wallet, bundleChangeScheduled: facts.scheduled[change.bundle], on: today)
        do { _ = try schedule.runsAt(now: context.at) } catch { refusals.append(error) }
        guard refusals.isEmpty else { throw SubscriptionRefusals(refusals) }
        guard schedule != .now else { return try await carryOut(change, facts: facts, details: details, existing: nil, today: today, context: context) }
        let subscription = facts.subscription
        let (number, versions) = try await store.commit(numbering: "subscription-action", context: context) { number in
            let record = try Self.record(number: number, subscription: subscription, action: action, details: details, debit: nil, schedule: schedule, at: context.at)
            return [try Write.insert(record), try SubscriptionActionJob.job(.init(action: record.id), due: record.runsAt)]
        }
        let record = try Self.record(number: number, subscription: subscription, action: action, details: details, debit: nil, schedule: schedule, at: context.at)
        return Versioned(value: record, version: versions[0], createdAt: context.at, updatedAt: context.at)
    }

    /// R-12.2, R-14: a scheduled action run by its job: nothing when it is no longer pending
    /// (withdrawn, or already run by another node) or not yet due (rescheduled later: its own
    /// job runs it); otherwise validated again, and performed or recorded refused. Run twice at
    /// once, the action's version lets one through.
    public func runScheduled(_ actionID: String, at now: Date, context: ChangeContext) async throws -> String {
        guard let stored = try await store.get(PendingAction.self, id: actionID) else { return "nothing to do: no action \(actionID)" }
        guard stored.value.status == .pending else { return "nothing to do: \(actionID) is \(stored.value.status.rawValue)" }
        guard stored.value.runsAt <= now else { return "not due: \(actionID) runs at \(stored.value.runsAt)" }
        let today = Day(now)
        guard case let .amendBundleServices(change) = stored.value.action else {
            var refused = stored.value
            try refused.ran(refusals: [SubscriptionError(.notOffered, "\(stored.value.action.behaviourCode) is not performed by this release")], outcome: "")
            try await store.commit([try .update(refused, expectedVersion: stored.version)], context: context)
            return "refused: \(refused.outcome ?? "")"
        }
        let facts = try await amendmentFacts(stored.value.subscription, today: today, excluding: actionID)
        let refusals = change.validate(facts.subscription, catalog: facts.catalog, wallet: facts.wallet, bundleChangeScheduled: facts.scheduled[change.bundle], on: today)
        guard refusals.isEmpty else {
            var refused = stored.value
            try refused.ran(refusals: refusals, outcome: "")
            try await store.commit([try .update(refused, expectedVersion: stored.version)], context: context)
            return "refused: \(refused.outcome ?? "")"
        }
        do {
            let done = try await carryOut(change, facts: facts, details: stored.value.details, existing: stored, today: today, context: context)
            return "performed: \(done.value.outcome ?? "")"
        } catch let error as StoreError where error.code == .conflict {
            throw error
        } catch {
            return "refused: \(error)"
        }
    }

    /// Records the action (or the scheduled one, now running) with the wallet's one debit in one
    /// transaction, then changes the contract through a service-management order (see the type's
    /// comment).
    func carryOut(_ change: AmendBundleServices, facts: AmendmentFacts, details: ActionDetails, existing: Versioned<PendingAction>?, today: Day,
                  context: ChangeContext) async throws -> Versioned<PendingAction> {
        let subscription = facts.subscription
        let action = SubscriptionAction.amendBundleServices(change)
        guard let contract = subscription.contract else {
            throw EngineError(.invalidRequest, "subscription \(subscription.id) is not made from an installed contract", field: "id")
        }
        let debit = facts.wallet == nil ? nil : change.preview(subscription, catalog: facts.catalog, prepaid: true).walletDebit.flatMap { $0 > 0 ? $0 : nil }
        // 1. The action and the wallet's one debit, in one transaction (a wallet or an action
        //    changed since it was read refuses it: nothing is debited twice, or below what it holds).
        let account = facts.account
        @Sendable func debited(_ record: PendingAction) throws -> [Write] {
            guard let debit else { return [] }
            var debited = account.value
            try debited.move(wallet: .debit, amount: debit, reference: record.id, at: context.at, by: context.actor)
            return [try .update(debited, expectedVersion: account.version)]
        }
        var record: PendingAction
        var version: Int
        if let existing {
            record = existing.value
            record.walletDebit = debit
            version = try await store.commit([try .update(record, expectedVersion: existing.version)] + debited(record), context: context)[0]
        } else {
            let (number, versions) = try await store.commit(numbering: "subscription-action", context: context) { number in
                let made = try Self.record(number: number, subscription: subscription, action: action, details: details, debit: debit, at: context.at)
                return [try Write.insert(made)] + (try debited(made))
            }
            record = try Self.record(number: number, subscription: subscription, action: action, details: details, debit: debit, at: context.at)
            version = versions[0]
        }
        // 2. The change order, configured and submitted.
        var orderID: String?
        do {
            let order = try await orders.create(.serviceManagement, header: OrderHeader(soldTo: subscription.customer), on: today, context: context)
            orderID = order.value.id
            // No reason on the line: an operator's reason codes are the agents' words; the action
            // record names the order.
            _ = try await orders.addLine(toOrder: order.value.id, product: nil, installedContract: contract, action: .change, owner: nil,
                                         reason: nil, expectedVersion: nil, today: today, context: context)
            let session = try await orders.openSession(order: order.value.id, today: today, context: context).view.session
            let operations = change.remove.map { ConfigurationOperation.remove(instance: $0) }
                + change.add.map { ConfigurationOperation.add(product: $0, contract: contract, parent: change.bundle, placements: [:]) }
            let view = try await orders.apply(operations, toSession: session.id, expectedVersion: nil, today: today, context: context)
            if view.outcome?.question != nil || view.status == .invalid {
                _ = try? await orders.cancelSession(session.id, context: context)
                let errors = view.report.elements.flatMap(\.errors).map(\.message)
                throw SubscriptionRefusals([SubscriptionError(.bundleCompositionViolated, errors.isEmpty ? "the change needs a choice of placement" : errors.joined(separator: "; "),
                                                              field: "add")])
            }
            _ = try await orders.finishSession(session.id, submit: true, today: today, context: context)
            _ = try await orders.submit(order.value.id, expectedVersion: nil, today: today, context: context)
        } catch {
            // 3a. Refused: the order cancelled, the wallet credited back, the action refused.
            if let orderID { _ = try? await orders.cancel(orderID, expectedVersion: nil, context: context) }
            // The refund is retried over concurrent wallet changes; should it still fail, the
            // action's outcome says so, for an agent to credit it by hand.
            var refundFailure: String?
            if let debit {
                do {
                    _ = try await retryingConflicts(of: [.billingAccount]) {
                        try await store.modify(BillingAccount.self, id: account.value.id, context: context) {
                            try $0.move(wallet: .credit, amount: debit, reference: "refund of \(record.id)", at: context.at, by: context.actor)
                        }
                    }
                } catch let failure {
                    refundFailure = "; the refund of \(debit) failed (\(failure)): credit it by hand"
                }
            }
            record.status = .refused
            record.order = orderID
            record.outcome = "refused: \(error)" + (refundFailure ?? "")
            _ = try? await store.commit([try .update(record, expectedVersion: version)], context: context)
            throw error
        }
        // 3b. Performed: the order carries it through fulfillment.
        record.status = .done
        record.order = orderID
        record.outcome = "change order \(orderID ?? "") submitted"
        version = try await store.commit([try .update(record, expectedVersion: version)], context: context)[0]
        return Versioned(value: record, version: version, createdAt: existing?.createdAt ?? context.at, updatedAt: context.at)
    }

    /// R-16.4: a pending action withdrawn; its job then finds nothing to do.
    public func withdraw(_ actionID: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<PendingAction> {
        _ = try await action(actionID)
        return try await store.modify(PendingAction.self, id: actionID, expectedVersion: expectedVersion, context: context) { try $0.withdraw() }
    }

    /// R-16.4: a pending action moved to another time, with the job that runs it then (the
    /// earlier job finds it not due and does nothing).
    public func reschedule(_ actionID: String, to schedule: ActionSchedule, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<PendingAction> {
        let stored = try await action(actionID)
        if let expectedVersion, expectedVersion != stored.version {
            throw StoreError(.conflict, "subscription action \(actionID) is at version \(stored.version), not \(expectedVersion)")
        }
        var moved = stored.value
        try moved.reschedule(schedule, now: context.at)
        let versions = try await store.commit([try .update(moved, expectedVersion: stored.version), try SubscriptionActionJob.job(.init(action: actionID), due: moved.runsAt)],
                                              context: context)
        return Versioned(value: moved, version: versions[0], createdAt: stored.createdAt, updatedAt: context.at)
    }

    /// A customer's subscription actions, by id, paged; only those in `status` when given.
    public func actions(ofCustomer customer: String, status: PendingAction.Status?, after cursor: String? = nil,
                        limit: Int) async throws -> (items: [Versioned<PendingAction>], nextCursor: String?) {
        _ = try await parties.customer(customer)
        var filter = ["customer": customer]
        filter["status"] = status?.rawValue
        return try await page(PendingAction.self, where: filter, after: cursor, limit: limit)
    }

    /// A subscription's actions, by id, paged.
    public func actions(of subscription: String, after cursor: String? = nil, limit: Int) async throws -> (items: [Versioned<PendingAction>], nextCursor: String?) {
        _ = try await self.subscription(subscription)
        return try await page(PendingAction.self, where: ["subscription": subscription], after: cursor, limit: limit)
    }

    public func action(_ id: String) async throws -> Versioned<PendingAction> {
        guard let found = try await store.get(PendingAction.self, id: id) else { throw EngineError(.notFound, "no subscription action '\(id)'", field: "id") }
        return found
    }

    static func record(number: Int, subscription: Subscription, action: SubscriptionAction, details: ActionDetails, debit: Decimal?,
                       schedule: ActionSchedule = .now, at now: Date) throws -> PendingAction {
        var record = try PendingAction(id: String(format: "SA%06d", number), subscription: subscription.id, action: action, details: details,
                                       schedule: schedule, now: now)
        record.customer = subscription.customer
        record.walletDebit = debit
        return record
    }

    typealias AmendmentFacts = (subscription: Subscription, catalog: Catalog, account: Versioned<BillingAccount>, wallet: Decimal?, scheduled: [String: Day])

    /// What the amendment rules read: the subscription, the catalog in force, its accounts
    /// receivable (the wallet when prepaid) and the days pending actions (but `excluding`) change each bundle.
    func amendmentFacts(_ id: String, today: Day, excluding: String? = nil) async throws -> AmendmentFacts {
        let subscription = try await self.subscription(id).value
        let catalog = try await catalogs.active(on: today).catalog
        let account = try await parties.account(subscription.accountsReceivable)
        var scheduled: [String: Day] = [:]
        for pending in try await store.everything(PendingAction.self, filter: RecordFilter(equals: ["subscription": id, "status": PendingAction.Status.pending.rawValue])) {
            if pending.value.id != excluding, case let .amendBundleServices(other) = pending.value.action { scheduled[other.bundle] = Day(pending.value.runsAt) }
        }
        return (subscription, catalog, account, account.value.paymentMode == .prepaid ? account.value.balance ?? 0 : nil, scheduled)
    }
}

/// R-12.2, R-14: the job that runs a scheduled subscription action when it is due.
struct SubscriptionActionJob: JobDefinition {
    struct Parameters: Codable, Sendable { var action: String }
    static let kind = JobKind.subscriptionAction
    static let reason = "scheduled subscription action"
    let subscriptions: Subscriptions

    static func subject(of parameters: Parameters) -> String { parameters.action }
    static func parameters(fromSubject subject: String) -> Parameters { Parameters(action: subject) }

    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String {
        try await subscriptions.runScheduled(parameters.action, at: now, context: context)
    }
}
