import ConvergentDomain
import ConvergentStore
import Foundation

/// subscriptions made from installed contracts, the bills the billing system posts
/// and the prepaid wallets their actions debit.
public struct Subscriptions: Sendable {
    let store: any ConvergentStore
    let catalogs: CatalogLibrary
    let parties: PartyDirectory
    let orders: OrderBook

    // MARK: Subscriptions

    /// the subscription made from an installed contract or one of its plays on `today`;
    /// every reason it cannot be is refused at once (`SubscriptionRefusals`). A second one from
    /// the same installed product is a conflict, also when two agents make it at the same moment.
    public func subscribe(_ request: Subscribe, today: Day, context: ChangeContext) async throws -> Versioned<Subscription> {
        let contractID = Subscribe.contractID(of: request.installedProduct)
        guard let contract = try await store.get(InstalledContract.self, id: contractID)?.value else {
            throw EngineError(.invalidRequest, "no installed contract '\(contractID)'", field: "installedProduct")
        }
        let id = Subscribe.subscriptionID(of: request.installedProduct)
        if try await store.get(Subscription.self, id: id) != nil {
            throw StoreError(.duplicate, "installed product \(request.installedProduct) already has subscription \(id)")
        }
        let accounts = try await store.all(BillingAccount.self, where: ["owner": contract.customer]).map(\.value)
        let catalog = try await catalogs.active(on: today).catalog
        let accountID = request.accountsReceivable ?? contract.product(request.installedProduct)?.component.billingAccount ?? contract.root.billingAccount
        var bills: [Bill] = []
        if let accountID { bills = try await unsettledBills(of: accountID).map(\.value) }
        let (made, refusals) = request.subscription(from: contract, accounts: accounts, bills: bills, catalog: catalog, on: today)
        guard let made else { throw SubscriptionRefusals(refusals) }
        return try await store.insert(made, context: context)
    }

    public func subscription(_ id: String) async throws -> Versioned<Subscription> {
        guard let found = try await store.get(Subscription.self, id: id) else {
            throw EngineError(.notFound, "no subscription '\(id)'", field: "id")
        }
        return found
    }

    /// the subscription as it was at the end of `day`, from its history.
    public func subscription(_ id: String, asOf day: Day) async throws -> Versioned<Subscription> {
        guard let found = try await store.get(Subscription.self, id: id, asOf: day.adding(days: 1).startDate.addingTimeInterval(-0.001)) else {
            _ = try await subscription(id)
            throw EngineError(.notFound, "subscription '\(id)' did not exist yet on \(day)", field: "asOf")
        }
        return found
    }

    /// A customer's subscriptions, by id, paged.
    public func subscriptions(of customer: String, after cursor: String? = nil, limit: Int) async throws -> (items: [Versioned<Subscription>], nextCursor: String?) {
        _ = try await parties.customer(customer)
        return try await store.page(Subscription.self, where: ["customer": customer], after: cursor, limit: limit)
    }

    /// the subscription with the unsettled bills of its accounts
    /// receivable and each action offered or not, and why not; with the versions read.
    public func overview(_ id: String, today: Day) async throws -> (overview: SubscriptionOverview, version: Int, billVersions: [String: Int]) {
        let stored = try await subscription(id)
        let subscription = stored.value
        let siblings = try await store.everything(Subscription.self, filter: RecordFilter(equals: ["accounts_receivable": subscription.accountsReceivable]))
            .map(\.value).filter { $0.id != id }
        let catalog = try await catalogs.active(on: today).catalog
        let bills = try await unsettledBills(of: subscription.accountsReceivable)
        return (SubscriptionOverview(subscription, siblings: siblings, unsettledBills: bills.map(\.value), catalog: catalog, on: today), stored.version,
                Dictionary(uniqueKeysWithValues: bills.map { ($0.value.id, $0.version) }))
    }

    // MARK: Bills

    /// Posts a bill as the billing system sends it: a new one, or a new version of one (its
    /// amount, due date, whether it is settled); its accounts receivable never changes.
    public func post(_ bill: Bill, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Bill> {
        try PartyError.checkID(bill.id)
        if let wrong = bill.invalidity { throw EngineError(.invalidRequest, wrong.message, field: wrong.field) }
        guard try await store.get(BillingAccount.self, id: bill.accountsReceivable) != nil else {
            throw EngineError(.invalidRequest, "no billing account '\(bill.accountsReceivable)'", field: "accountsReceivable")
        }
        guard let existing = try await store.get(Bill.self, id: bill.id) else {
            return try await store.insert(bill, context: context)
        }
        guard existing.value.accountsReceivable == bill.accountsReceivable else {
            throw EngineError(.invalidRequest, "bill \(bill.id) belongs to \(existing.value.accountsReceivable); a bill never changes accounts receivable",
                              field: "accountsReceivable")
        }
        return try await store.modify(Bill.self, id: bill.id, expectedVersion: expectedVersion ?? existing.version, context: context) { $0 = bill }
    }

    public func bill(_ id: String) async throws -> Versioned<Bill> {
        guard let found = try await store.get(Bill.self, id: id) else { throw EngineError(.notFound, "no bill '\(id)'", field: "id") }
        return found
    }

    /// An accounts receivable's bills, by id, paged; only the unsettled ones when asked.
    public func bills(of account: String, unsettledOnly: Bool, after cursor: String? = nil, limit: Int) async throws -> (items: [Versioned<Bill>], nextCursor: String?) {
        _ = try await parties.account(account)
        return try await store.page(Bill.self, where: ["accounts_receivable": account].merging(unsettledOnly ? ["settled": "no"] : [:]) { a, _ in a },
                              after: cursor, limit: limit)
    }

    /// Every unsettled bill of an accounts receivable (what activation conditions read).
    func unsettledBills(of account: String) async throws -> [Versioned<Bill>] {
        try await store.everything(Bill.self, filter: RecordFilter(equals: ["accounts_receivable": account, "settled": "no"]))
    }

    // MARK: Wallet

    /// Credits a prepaid wallet (a top-up), recorded with who and why.
    public func credit(_ account: String, amount: Decimal, currency: String?, reference: String?, expectedVersion: Int?,
                       context: ChangeContext) async throws -> Versioned<BillingAccount> {
        do {
            return try await store.modify(BillingAccount.self, id: account, expectedVersion: expectedVersion, context: context) {
                try $0.move(wallet: .credit, amount: amount, currency: currency, reference: reference, at: context.at, by: context.actor)
            }
        } catch let error as StoreError where error.code == .notFound {
            throw EngineError(.notFound, "no billing account '\(account)'", field: "id")
        }
    }

    /// A wallet's movements, newest first, paged by position (the cursor is the position of the
    /// last one read).
    public func walletEntries(of account: BillingAccount, after cursor: Int?, limit: Int) -> (items: [WalletEntry], nextCursor: Int?) {
        let rest = (account.wallet ?? []).enumerated().reversed().filter { entry in cursor.map { entry.offset < $0 } ?? true }
        let page = Array(rest.prefix(limit))
        return (page.map(\.element), rest.count > limit ? page.last?.offset : nil)
    }
}

extension Engine {
    public var subscriptions: Subscriptions { Subscriptions(store: store, catalogs: catalogs, parties: parties, orders: orders) }
}
