import Foundation

/// What the split-billing holds read besides the order (R-8, R-5.2 BA…): the accounts and
/// customers the order names, the setup, and what the installed base's prepaid accounts pay.
public struct BillingHoldFacts: Sendable {
    public var facts: BillingFacts
    /// Per prepaid account, the installed contracts it already pays (outside this order).
    public var prepaidInstalled: [String: Set<String>]
    /// Whether the order is being submitted (BAPND, BAPNL; BABAL of a future-dated order).
    public var submitting: Bool
    /// A bulk order's children as they would be generated, their rows defaulted for each row's
    /// customer (BARNS: a row customer with no account of a required row's type).
    public var bulkChildren: [Order] = []

    public init(facts: BillingFacts, prepaidInstalled: [String: Set<String>] = [:], submitting: Bool) {
        self.facts = facts
        self.prepaidInstalled = prepaidInstalled
        self.submitting = submitting
    }
}

/// A header-level billing choice: a customer's recurring or nonrecurring billing.
public struct HeaderBilling: Sendable {
    public var customer: String
    public var recurring: Bool
    public var info: BillingInformation
}

/// BABAL: a prepaid account paying one-time charges, the charges and its balance.
public struct BalanceDue: Hashable, Sendable {
    public var account: String
    public var customer: String
    public var oneTime: Decimal
    public var balance: Decimal
    public var lines: [Int]
}

extension HoldContext {
    var headerBilling: [HeaderBilling] {
        order.header.customers.flatMap { customer -> [HeaderBilling] in
            let info = order.information(for: customer)
            return [info.recurringBilling.map { HeaderBilling(customer: customer, recurring: true, info: $0) },
                    info.nonrecurringBilling.map { HeaderBilling(customer: customer, recurring: false, info: $0) }].compactMap { $0 }
        }
    }

    func lines(ofCustomer customer: String) -> [Int] { order.lines.filter { $0.customer == customer }.map(\.number) }

    /// The payment mode of an existing or new account; nil when unknown.
    func mode(account: String?, newAccount: String?, _ b: BillingHoldFacts) -> PaymentMode? {
        if let account { return b.facts.accounts[account]?.paymentMode }
        if let newAccount { return order.newAccounts.first { $0.id == newAccount }?.type.paymentMode }
        return nil
    }

    /// Every account choice of the order (existing `id` or new `NEW-n`) with the lines it pays.
    func choices(_ b: BillingHoldFacts) -> [(key: String, mode: PaymentMode?, lines: [Int], header: Bool)] {
        var found: [(String, PaymentMode?, [Int], Bool)] = []
        for h in headerBilling {
            if let key = h.info.account ?? h.info.newAccount {
                found.append((key, mode(account: h.info.account, newAccount: h.info.newAccount, b), lines(ofCustomer: h.customer), true))
            }
        }
        for r in order.allBillingRows {
            if let key = r.row.account ?? r.row.newAccount {
                found.append((key, mode(account: r.row.account, newAccount: r.row.newAccount, b), [r.line.number], false))
            }
        }
        return found
    }

    /// R-8.4: the prepaid accounts paying more than one contract — the contracts of this order
    /// whose rows name it, and the installed ones it already pays. A new prepaid account may pay
    /// several when RBTREUSEPPACC allows its reuse.
    func prepaidOverused(_ b: BillingHoldFacts, header: Bool) -> [(account: String, lines: [Int])] {
        let headerKeys = Set(headerBilling.filter(\.recurring).compactMap { $0.info.account ?? $0.info.newAccount })
        var paying: [String: Set<String>] = [:]
        var lines: [String: Set<Int>] = [:]
        for r in order.allBillingRows {
            guard let key = r.row.account ?? r.row.newAccount, mode(account: r.row.account, newAccount: r.row.newAccount, b) == .prepaid else { continue }
            paying[key, default: []].insert(r.line.installedContract ?? "line \(r.line.number)")
            lines[key, default: []].insert(r.line.number)
        }
        let serviced = Set(order.lines.compactMap(\.installedContract))
        return paying.keys.sorted().compactMap { key in
            guard headerKeys.contains(key) == header else { return nil }
            let isNew = order.newAccounts.contains { $0.id == key }
            if isNew, b.facts.setup.reuseNewPrepaidAccount { return nil }
            let all = paying[key, default: []].union((b.prepaidInstalled[key] ?? []).subtracting(serviced))
            return all.count > 1 ? (key, lines[key, default: []].sorted()) : nil
        }
    }

    /// BABAL: the prepaid accounts paying a customer's one-time charges, with the charges; those
    /// already found to cover the same amount are left out (not checked again unless it changes).
    public func balancesDue(_ b: BillingHoldFacts) -> [BalanceDue] {
        order.header.customers.compactMap { customer in
            guard let id = order.information(for: customer).nonrecurringBilling?.account, let account = b.facts.accounts[id],
                  account.paymentMode == .prepaid else { return nil }
            let numbers = lines(ofCustomer: customer)
            let oneTime = pricing.lines.filter { numbers.contains($0.line) }.flatMap(\.totals).reduce(Decimal(0)) { $0 + $1.oneTime }
            guard oneTime > 0 else { return nil }
            return BalanceDue(account: id, customer: customer, oneTime: oneTime, balance: account.balance ?? 0, lines: numbers)
        }
    }

    /// BABAL's timing (R-5.2): never while Queued; a future-dated order only when submitted.
    func balanceCheckRuns(_ b: BillingHoldFacts) -> Bool {
        guard order.status != .queued else { return false }
        let futureDated = (order.header.productSellingDate.map { $0 > today } ?? false) || (order.header.fulfillBy.map { $0 > today } ?? false)
        return !futureDated || b.submitting
    }

    /// BABAL: the prepaid accounts short of the one-time charges; an amount already found
    /// covered is not checked again (until it changes).
    func balanceShort(_ b: BillingHoldFacts) -> [BalanceDue] {
        guard balanceCheckRuns(b) else { return [] }
        return balancesDue(b).filter { $0.oneTime > $0.balance && order.balanceChecks[$0.account] != $0.oneTime }
    }

    /// The balances the check found covering the charges (recorded on the order), when it ran.
    public func balancesChecked() -> [BalanceDue] {
        guard let b = billing, balanceCheckRuns(b) else { return [] }
        return balancesDue(b).filter { $0.oneTime <= $0.balance }
    }
}

extension HoldRegistry {
    /// A bulk parent's lines are templates for the rows' customers: its children's rows are
    /// defaulted from each row's customer when they are generated, so the BA… holds leave it out
    /// — but for BARNS, which checks those children's rows before they are generated.
    static let all: Set<CaptureType> = [.simple, .serviceManagement, .convergent]

    /// BARNS: the required rows no account pays — the order's own, or on a bulk order those of
    /// its rows' children (the template's rows defaulted for each row's customer).
    static func unbilledRows(_ ctx: HoldContext, _ b: BillingHoldFacts) -> [(line: Int, detail: String)] {
        func unbilled(_ order: Order) -> [(line: OrderLine, component: String?, row: LineBillingRow)] {
            order.allBillingRows.filter { $0.row.required && $0.row.isEmpty }
        }
        func place(_ r: (line: OrderLine, component: String?, row: LineBillingRow)) -> String {
            "line \(r.line.number)\(r.component.map { " component \($0)" } ?? ""), row \(r.row.sequence) (\(r.row.purpose))"
                + (r.line.createdByMigration == true ? " — a contract created by a migration is never defaulted (R-8.2): choose its account" : "")
        }
        guard ctx.order.captureType == .bulk else { return unbilled(ctx.order).map { ($0.line.number, place($0)) } }
        return b.bulkChildren.flatMap { child in
            unbilled(child).map { ($0.line.number, "bulk row \(child.header.soldTo): \(place($0)) — no active \($0.row.allowedType.rawValue) account of \(child.header.soldTo) or its payer") }
        }
    }

    /// One BA… hold: its check reads the billing facts (none loaded: nothing to check).
    static func billing(_ code: HoldCode, _ message: String, _ resolution: String, captureTypes: Set<CaptureType> = all,
                        check: @escaping @Sendable (HoldContext, BillingHoldFacts) -> [Int]?,
                        details: (@Sendable (HoldContext, BillingHoldFacts) -> [String])? = nil) -> HoldDefinition {
        let checking: @Sendable (HoldContext) -> (lines: [Int], relatedOrders: [String])? = { ctx in
            guard let b = ctx.billing, let lines = check(ctx, b) else { return nil }
            return (Array(Set(lines)).sorted(), [])
        }
        var definition = HoldDefinition(code: code, captureTypes: captureTypes, message: message, resolution: resolution, overridable: false, check: checking)
        if let details {
            definition.details = { ctx in
                guard let b = ctx.billing else { return [] }
                return details(ctx, b)
            }
        }
        return definition
    }

    /// R-5.2, R-8.4: the thirteen split-billing holds, none overridable (as delivered).
    static let splitBilling: [HoldDefinition] = [
        billing(.BARNS, "A billing account is required but not selected on an order line.",
                "Select a billing account for each required row of the line (POST /orders/{id}/lines/{line}/billing), then validate again. On a bulk order, give the row's customer an active account of the row's type (or a payer with one), or take the row out.",
                captureTypes: all.union([.bulk]),
                check: { ctx, b in
                    let bad = unbilledRows(ctx, b)
                    return bad.isEmpty ? nil : bad.map(\.line)
                },
                details: { ctx, b in unbilledRows(ctx, b).map(\.detail) }),
        billing(.BANBT, "The bill-to customer has no active bill-to relationship with the sold-to customer.",
                "Establish the bill-to relationship (POST /customers/{id}/bill-to) or choose an account of a customer who pays for the line's customer.",
                check: { ctx, b in
                    let rows = ctx.order.allBillingRows.filter { r in r.row.customer.map { !b.facts.mayPay($0, for: r.line.customer) } ?? false }.map(\.line.number)
                    let header = ctx.headerBilling.filter { h in h.info.customer.map { !b.facts.mayPay($0, for: h.customer) } ?? false }
                        .flatMap { ctx.lines(ofCustomer: $0.customer) }
                    return rows.isEmpty && header.isEmpty ? nil : rows + header
                },
                details: { ctx, b in
                    ctx.order.allBillingRows.compactMap { r in
                        guard let payer = r.row.customer, !b.facts.mayPay(payer, for: r.line.customer) else { return nil }
                        return "line \(r.line.number), row \(r.row.sequence): \(payer) does not pay for \(r.line.customer) on \(b.facts.day)"
                    }
                }),
        billing(.BAIMIX, "Prepaid and postpaid accounts are referenced in one order.",
                "Make every billing account of the order (header and lines) prepaid, or every one postpaid.",
                check: { ctx, b in
                    let choices = ctx.choices(b)
                    let modes = Set(choices.compactMap(\.mode))
                    return modes.count > 1 ? choices.flatMap(\.lines) : nil
                }),
        billing(.BAPRH, "The prepaid account chosen on the header already pays for another contract.",
                "Use a prepaid account that pays for no other contract or package.",
                check: { ctx, b in
                    let found = ctx.prepaidOverused(b, header: true)
                    return found.isEmpty ? nil : found.flatMap(\.lines)
                },
                details: { ctx, b in ctx.prepaidOverused(b, header: true).map { "\($0.account) pays for more than one contract" } }),
        billing(.BAPRL, "A line's prepaid account already pays for another contract or package.",
                "Use a prepaid account that pays for no other contract or package.",
                check: { ctx, b in
                    let found = ctx.prepaidOverused(b, header: false)
                    return found.isEmpty ? nil : found.flatMap(\.lines)
                },
                details: { ctx, b in ctx.prepaidOverused(b, header: false).map { "\($0.account) pays for more than one contract" } }),
        billing(.BANAN, "A new account pays one-time charges, but no new account is marked for creation for that bill-to customer.",
                "Mark a new account for the bill-to customer (POST /orders/{id}/new-accounts) or pay the one-time charges with an existing account.",
                check: { ctx, _ in
                    let bad = ctx.headerBilling.filter { h in !h.recurring && h.info.newAccount.map { !ctx.marked($0, for: h.info.customer ?? h.customer) } ?? false }
                    return bad.isEmpty ? nil : bad.flatMap { ctx.lines(ofCustomer: $0.customer) }
                }),
        billing(.BANAH, "A new (or reused new) account pays recurring charges, but no new account is marked for creation for that bill-to customer.",
                "Mark a new account for the bill-to customer (POST /orders/{id}/new-accounts) or choose an existing account.",
                check: { ctx, _ in
                    let bad = ctx.headerBilling.filter { h in h.recurring && h.info.newAccount.map { !ctx.marked($0, for: h.info.customer ?? h.customer) } ?? false }
                    return bad.isEmpty ? nil : bad.flatMap { ctx.lines(ofCustomer: $0.customer) }
                }),
        billing(.BANAL, "A line's row names a new account, but none is marked for creation for its bill-to customer.",
                "Mark the new account for the row's bill-to customer (POST /orders/{id}/new-accounts) or choose another account for the row.",
                check: { ctx, _ in
                    let bad = ctx.order.allBillingRows.filter { r in r.row.newAccount.map { !ctx.marked($0, for: r.row.customer ?? r.line.customer) } ?? false }
                    return bad.isEmpty ? nil : bad.map(\.line.number)
                }),
        billing(.BANRM, "The order has one-time charges but no nonrecurring billing details to pay them.",
                "Give the customer's nonrecurring billing (POST /orders/{id}/information): a payment method, or an account where RBTACCNONREC allows it — never a new prepaid account.",
                check: { ctx, b in
                    if ctx.order.captureType.installedContracts.lowerBound > 0 || ctx.order.captureType == .bulkServiceManagement,
                       !b.facts.setup.serviceManagementOneTime { return nil }
                    let bad = ctx.order.header.customers.filter { customer in
                        guard ctx.pricing.charges(of: customer, in: ctx.order).oneTime else { return false }
                        return ctx.oneTimeBillingProblem(for: customer, b) != nil
                    }
                    return bad.isEmpty ? nil : bad.flatMap { ctx.lines(ofCustomer: $0) }
                },
                details: { ctx, b in
                    ctx.order.header.customers.compactMap { customer in
                        guard ctx.pricing.charges(of: customer, in: ctx.order).oneTime else { return nil }
                        return ctx.oneTimeBillingProblem(for: customer, b).map { "\(customer): \($0)" }
                    }
                }),
        billing(.BADMC, "More than one new account is marked for creation for the same bill-to customer and contact.",
                "Keep one new account per bill-to customer and contact; the lines of several customers may share it.",
                check: { ctx, _ in
                    let groups = Dictionary(grouping: ctx.order.newAccounts) { "\($0.customer)|\($0.contact ?? "")" }.filter { $0.value.count > 1 }
                    guard !groups.isEmpty else { return nil }
                    let ids = Set(groups.values.flatMap { $0.map(\.id) })
                    return ctx.order.allBillingRows.filter { $0.row.newAccount.map(ids.contains) ?? false }.map(\.line.number)
                },
                details: { ctx, _ in
                    Dictionary(grouping: ctx.order.newAccounts) { "\($0.customer)|\($0.contact ?? "")" }.filter { $0.value.count > 1 }.values
                        .map { group in "\(group.map(\.id).joined(separator: ", ")) for \(group[0].customer)\(group[0].contact.map { " (\($0))" } ?? "")" }.sorted()
                }),
        billing(.BAPND, "A billing account chosen on the header is still Pending at submission.",
                "Wait until the account is Active, or choose an active account of the bill-to customer.",
                check: { ctx, b in
                    guard b.submitting else { return nil }
                    let bad = ctx.headerBilling.filter { h in h.info.account.map { b.facts.accounts[$0]?.status == .pending } ?? false }
                    return bad.isEmpty ? nil : bad.flatMap { ctx.lines(ofCustomer: $0.customer) }
                }),
        billing(.BAPNL, "A billing account chosen on a line is still Pending at submission.",
                "Wait until the account is Active, or choose an active account for the line.",
                check: { ctx, b in
                    guard b.submitting else { return nil }
                    let bad = ctx.order.allBillingRows.filter { r in r.row.account.map { b.facts.accounts[$0]?.status == .pending } ?? false }
                    return bad.isEmpty ? nil : bad.map(\.line.number)
                }),
        billing(.BABAL, "The prepaid account paying one-time charges does not have the balance to cover them.",
                "Top up the account, or pay the one-time charges with another account or payment method, then validate again.",
                check: { ctx, b in
                    let short = ctx.balanceShort(b)
                    return short.isEmpty ? nil : short.flatMap(\.lines)
                },
                details: { ctx, b in ctx.balanceShort(b).map { "\($0.account) holds \($0.balance), the one-time charges are \($0.oneTime)" } }),
    ]
}

extension HoldContext {
    /// Whether a new account `NEW-n` is marked for creation for `customer`.
    func marked(_ id: String, for customer: String) -> Bool {
        order.newAccounts.contains { $0.id == id && $0.customer == customer }
    }

    /// BANRM: what is wrong with how a customer's one-time charges are paid; nil when they are.
    func oneTimeBillingProblem(for customer: String, _ b: BillingHoldFacts) -> String? {
        guard let info = order.information(for: customer).nonrecurringBilling,
              info.account != nil || info.newAccount != nil || info.paymentMethod != nil else {
            return "no nonrecurring billing details"
        }
        if info.account != nil || info.newAccount != nil, !b.facts.setup.accountForOneTimeCharges {
            return "a billing account does not pay one-time charges here (RBTACCNONREC is off)"
        }
        if let id = info.newAccount, order.newAccounts.first(where: { $0.id == id })?.type == .prepaid {
            return "a new prepaid account cannot pay one-time charges"
        }
        return nil
    }
}

extension Order {
    /// BABAL: the one-time amounts each prepaid account was found to cover (not checked again
    /// unless the amount changes).
    public var balanceChecks: [String: Decimal] { storedBalanceChecks ?? [:] }

    /// Records the prepaid balances found to cover the one-time charges at a validation or submission.
    public mutating func recordBalanceChecks(_ passed: [BalanceDue]) {
        var checks = balanceChecks
        for due in passed where due.oneTime <= due.balance { checks[due.account] = due.oneTime }
        storedBalanceChecks = checks.isEmpty ? nil : checks
    }
}
