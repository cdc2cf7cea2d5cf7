import ConvergentDomain
import ConvergentStore
import Foundation

// R-8 split billing in the order book: the facts a billing change reads, the changes (rows,
// new accounts), defaulting when a line is added and cascading when a header default changes.

extension OrderBook {
    /// the split-billing switches (all on until an administrator changes them).
    public func billingSetup() async throws -> BillingSetup {
        try await store.get(BillingSetup.self, id: BillingSetup.id)?.value ?? .unset
    }

    /// What a billing change or check reads: the order's customers, the customers paying for
    /// them (bill-to) and any the order names, with every account they own and any other account
    /// the order (or `naming`) names.
    public func billingFacts(for order: Order, day: Day, naming accounts: [String] = [], customers named: [String] = []) async throws -> BillingFacts {
        var customers: [String: Customer] = [:]
        func load(_ id: String) async throws {
            guard customers[id] == nil, let found = try await store.get(Customer.self, id: id)?.value else { return }
            customers[id] = found
        }
        for id in order.header.customers { try await load(id) }
        for id in order.header.customers { for payer in customers[id]?.payers(on: day) ?? [] { try await load(payer) } }
        let information = order.header.customerInformation ?? []
        for id in named + order.newAccounts.map(\.customer) + order.allBillingRows.compactMap(\.row.customer)
            + information.flatMap({ [$0.recurringBilling?.customer, $0.nonrecurringBilling?.customer].compactMap { $0 } }) {
            try await load(id)
        }
        var found: [String: BillingAccount] = [:]
        for owner in customers.keys.sorted() {
            for account in try await store.all(BillingAccount.self, where: ["owner": owner]) { found[account.value.id] = account.value }
        }
        let referenced = accounts + order.allBillingRows.compactMap(\.row.account)
            + information.flatMap { [$0.recurringBilling?.account, $0.nonrecurringBilling?.account].compactMap { $0 } }
        for id in Set(referenced).subtracting(found.keys).sorted() {
            if let account = try await store.get(BillingAccount.self, id: id)?.value { found[id] = account }
        }
        return BillingFacts(accounts: found, customers: customers, setup: try await billingSetup(), day: day)
    }

    /// What an order's billing rows may name — the accounts of its customers and of those paying
    /// for them (not closed), the new accounts it marked — and who a new account may be for.
    public func billingOptions(forOrder id: String, today: Day) async throws -> BillingOptions {
        let order = try await order(id).value
        let facts = try await billingFacts(for: order, day: order.header.productSellingDate ?? today)
        return BillingOptions(accounts: facts.accounts.values.filter { $0.status != .closed }.sorted { $0.id < $1.id },
                              newAccounts: order.newAccounts, customers: facts.customers.keys.sorted(), soldTo: order.header.soldTo)
    }

    /// What the BA… holds read: the billing facts, and the installed contracts the order's
    /// prepaid accounts already pay, whoever owns them (an index lookup by account, each
    /// candidate confirmed on the contract it names).
    func billingHoldFacts(for order: Order, day: Day, submitting: Bool) async throws -> BillingHoldFacts {
        let facts = try await billingFacts(for: order, day: day)
        let prepaid = Set(order.allBillingRows.compactMap(\.row.account).filter { facts.accounts[$0]?.paymentMode == .prepaid })
        var installed: [String: Set<String>] = [:]
        if !prepaid.isEmpty {
            let rows = try await store.everyIndexRow(.installedBilling, where: "account", in: prepaid.sorted())
            for contract in Set(rows.compactMap { $0["contract"] }).sorted() {
                guard let found = try await store.get(InstalledContract.self, id: contract)?.value else { continue }
                for account in found.accountsPaying.intersection(prepaid) { installed[account, default: []].insert(contract) }
            }
        }
        return BillingHoldFacts(facts: facts, prepaidInstalled: installed, submitting: submitting)
    }

    /// sets the billing rows of a line, or of one component of its tree as saved to
    /// the order (a session's own components are not reachable until it is saved: is not
    /// done); a change that would replace the rows descendants set themselves needs `confirmed`.
    public func setBilling(_ choices: [BillingChoice], ofLine number: Int, component: String?, confirmed: Bool, onOrder id: String,
                           expectedVersion: Int?, today: Day, context: ChangeContext) async throws -> (order: Versioned<Order>, cascaded: [BillingCascade]) {
        let current = try await order(id).value
        let line = try current.line(number)
        let facts = try await billingFacts(for: current, day: current.header.productSellingDate ?? today, naming: choices.compactMap(\.account),
                                           customers: choices.compactMap(\.customer))
        var definition: BillingDefinition?
        if let component, let product = line.configuration?.root.find(component)?.product {
            definition = try await catalog(for: current, today: today).product(product)?.billing
        }
        var cascaded: [BillingCascade] = []
        let changed = try await change(id, expectedVersion: expectedVersion, context: context) { order in
            cascaded = try order.setBilling(choices, ofLine: number, component: component, confirmed: confirmed, definition: definition, facts: facts)
        }
        return (changed, cascaded)
    }

    /// inserts of the accounts an order being submitted marked for creation, Pending, in
    /// the transaction that submits it (a convergent order's children then share them: none
    /// races another to create one); fulfillment makes them Active with the products they pay.
    func newAccountInserts(for order: Order) async throws -> [Write] {
        var writes: [Write] = []
        for marked in order.newAccounts {
            let id = Fulfillment.accountID(order: order.id, newAccount: marked.id)
            guard try await store.get(BillingAccount.self, id: id) == nil else { continue }
            writes.append(try .insert(BillingAccount(id: id, owner: marked.customer, contact: marked.contact, type: marked.type,
                                                     paymentMode: marked.type.paymentMode, status: .pending,
                                                     balance: marked.type == .prepaid ? 0 : nil)))
        }
        return writes
    }

    /// chooses the new owner's account paying a product migrated across customers.
    public func setBilledTo(_ account: String, migration: String, onOrder id: String, expectedVersion: Int?, today: Day,
                            context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await order(id).value
        let facts = try await billingFacts(for: current, day: current.header.productSellingDate ?? today, naming: [account])
        return try await change(id, expectedVersion: expectedVersion, context: context) { order in
            try order.setBilledTo(account, migration: migration, facts: facts)
        }
    }

    /// marks a new account for creation on the order.
    public func markNewAccount(customer: String, contact: String?, type: BillingAccount.AccountType, onOrder id: String,
                               expectedVersion: Int?, today: Day, context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await order(id).value
        let facts = try await billingFacts(for: current, day: current.header.productSellingDate ?? today, customers: [customer])
        return try await change(id, expectedVersion: expectedVersion, context: context) { order in
            _ = try order.markNewAccount(customer: customer, contact: contact, type: type, facts: facts)
        }
    }

    /// takes back a new account the order marked (refused while something names it).
    public func unmarkNewAccount(_ account: String, onOrder id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context) { try $0.unmarkNewAccount(account) }
    }
}

/// What a console form offers for an order's billing.
public struct BillingOptions: Sendable {
    public var accounts: [BillingAccount]
    public var newAccounts: [NewBillingAccount]
    public var customers: [String]
    public var soldTo: String
}
