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

    /// Performs the amendment now (see the type's comment). Refused — by a rule, by the
    /// configuration, or by the order's submission — the wallet is credited back (recorded), the
    /// order cancelled and the action recorded refused; the refusal is thrown.
    public func amend(_ id: String, _ change: AmendBundleServices, details: ActionDetails, today: Day,
                      context: ChangeContext) async throws -> Versioned<PendingAction> {
        let facts = try await amendmentFacts(id, today: today)
        let subscription = facts.subscription
        let action = SubscriptionAction.amendBundleServices(change)
        let refusals = details.validate(for: action, services: subscription.services, today: today)
            + change.validate(subscription, catalog: facts.catalog, wallet: facts.wallet, bundleChangeScheduled: facts.scheduled[change.bundle], on: today)
        guard refusals.isEmpty else { throw SubscriptionRefusals(refusals) }
        guard let contract = subscription.contract else {
            throw EngineError(.invalidRequest, "subscription \(id) is not made from an installed contract", field: "id")
        }
        let debit = facts.wallet == nil ? nil : change.preview(subscription, catalog: facts.catalog, prepaid: true).walletDebit.flatMap { $0 > 0 ? $0 : nil }
        // 1. The action and the wallet's one debit, in one transaction (a wallet changed since it
        //    was read refuses it: nothing is debited twice or below what it holds).
        let account = facts.account
        let (number, versions) = try await store.commit(numbering: "subscription-action", context: context) { number in
            let record = try Self.record(number: number, subscription: subscription, action: action, details: details, debit: debit, at: context.at)
            var writes = [try Write.insert(record)]
            if let debit {
                var debited = account.value
                try debited.move(wallet: .debit, amount: debit, reference: record.id, at: context.at, by: context.actor)
                writes.append(try .update(debited, expectedVersion: account.version))
            }
            return writes
        }
        var record = try Self.record(number: number, subscription: subscription, action: action, details: details, debit: debit, at: context.at)
        var version = versions[0]
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
            if let debit {
                _ = try? await store.modify(BillingAccount.self, id: account.value.id, context: context) {
                    try $0.move(wallet: .credit, amount: debit, reference: "refund of \(record.id)", at: context.at, by: context.actor)
                }
            }
            record.status = .refused
            record.order = orderID
            record.outcome = "refused: \(error)"
            _ = try? await store.commit([try .update(record, expectedVersion: version)], context: context)
            throw error
        }
        // 3b. Performed: the order carries it through fulfillment.
        record.status = .done
        record.order = orderID
        record.outcome = "change order \(orderID ?? "") submitted"
        version = try await store.commit([try .update(record, expectedVersion: version)], context: context)[0]
        return Versioned(value: record, version: version, createdAt: context.at, updatedAt: context.at)
    }

    /// A subscription's actions, by id, paged.
    public func actions(of subscription: String, after cursor: String? = nil, limit: Int) async throws -> (items: [Versioned<PendingAction>], nextCursor: String?) {
        _ = try await self.subscription(subscription)
        let found = try await store.all(PendingAction.self, where: ["subscription": subscription], after: cursor, limit: limit + 1)
        let page = Array(found.prefix(limit))
        return (page, found.count > limit ? page.last?.value.id : nil)
    }

    public func action(_ id: String) async throws -> Versioned<PendingAction> {
        guard let found = try await store.get(PendingAction.self, id: id) else { throw EngineError(.notFound, "no subscription action '\(id)'", field: "id") }
        return found
    }

    static func record(number: Int, subscription: Subscription, action: SubscriptionAction, details: ActionDetails, debit: Decimal?,
                       at now: Date) throws -> PendingAction {
        var record = try PendingAction(id: String(format: "SA%06d", number), subscription: subscription.id, action: action, details: details,
                                       schedule: .now, now: now)
        record.customer = subscription.customer
        record.walletDebit = debit
        return record
    }

    /// What the amendment rules read: the subscription, the catalog in force, its accounts
    /// receivable (the wallet when prepaid) and the days pending actions change each bundle.
    func amendmentFacts(_ id: String, today: Day) async throws
        -> (subscription: Subscription, catalog: Catalog, account: Versioned<BillingAccount>, wallet: Decimal?, scheduled: [String: Day]) {
        let subscription = try await self.subscription(id).value
        let catalog = try await catalogs.active(on: today).catalog
        let account = try await parties.account(subscription.accountsReceivable)
        var scheduled: [String: Day] = [:]
        for pending in try await store.everything(PendingAction.self, filter: RecordFilter(equals: ["subscription": id, "status": PendingAction.Status.pending.rawValue])) {
            if case let .amendBundleServices(other) = pending.value.action { scheduled[other.bundle] = Day(pending.value.runsAt) }
        }
        return (subscription, catalog, account, account.value.paymentMode == .prepaid ? account.value.balance ?? 0 : nil, scheduled)
    }
}
