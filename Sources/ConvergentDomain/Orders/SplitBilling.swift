import Foundation

// R-8 split billing: which billing accounts pay for what an order line sells. A line whose
// product is billing-account selectable carries the rows of the product's billing definition
// (R-8.1); each row names who pays (the bill-to customer and contact) and the account, an
// existing one or one the order marks for creation (R-8.5). Defaulting fills required rows
// (R-8.2); changing a component's rows cascades to its descendants once confirmed (R-8.3); the
// BA… holds check the rules (R-8.4, R-5.2); fulfillment creates the new accounts and installs
// every row (R-8.5, R-7.6).

/// R-8.6: the operator's four split-billing switches; all on as delivered.
public struct BillingSetup: Hashable, Sendable, Codable {
    /// RBTACCNONREC: a billing account may pay one-time charges (the nonrecurring billing's `account`).
    public var accountForOneTimeCharges: Bool
    /// RBTCUSTSPLITBIL: a row may name a customer and contact of its own, and an account of a
    /// customer that pays for the line's customer (bill-to). Off: only the line customer's accounts.
    public var customerSplitBilling: Bool
    /// RBTSMNONREC: service-management orders capture nonrecurring billing (BANRM checks them).
    public var serviceManagementOneTime: Bool
    /// RBTREUSEPPACC: a new prepaid account marked on the order may pay for more than one line.
    public var reuseNewPrepaidAccount: Bool

    public init(accountForOneTimeCharges: Bool = true, customerSplitBilling: Bool = true, serviceManagementOneTime: Bool = true,
                reuseNewPrepaidAccount: Bool = true) {
        self.accountForOneTimeCharges = accountForOneTimeCharges
        self.customerSplitBilling = customerSplitBilling
        self.serviceManagementOneTime = serviceManagementOneTime
        self.reuseNewPrepaidAccount = reuseNewPrepaidAccount
    }

    /// The aggregate id of the setup record.
    public static let id = "split-billing"
}

/// R-8.1, R-3.3: one billing account row of a line (or of a component that sets its own).
public struct LineBillingRow: Hashable, Sendable, Codable {
    public var sequence: Int
    public var purpose: String
    public var required: Bool
    public var primary: Bool
    public var allowedType: AllowedAccountType
    /// Who pays: the line's customer or one that pays for it (bill-to).
    public var customer: String?
    public var contact: String?
    /// An existing account.
    public var account: String?
    /// Or a new account the order marks for creation (`NEW-n`).
    public var newAccount: String?
    /// R-8.2: why defaulting left a required row empty ("billing account type mismatch, select manually").
    public var warning: String?

    public init(sequence: Int, purpose: String, required: Bool, primary: Bool, allowedType: AllowedAccountType,
                customer: String? = nil, contact: String? = nil, account: String? = nil, newAccount: String? = nil) {
        self.sequence = sequence
        self.purpose = purpose
        self.required = required
        self.primary = primary
        self.allowedType = allowedType
        self.customer = customer
        self.contact = contact
        self.account = account
        self.newAccount = newAccount
    }

    public var isEmpty: Bool { account == nil && newAccount == nil }

    /// Whether an account of this payment mode may fill the row.
    public func allows(_ mode: PaymentMode) -> Bool {
        switch allowedType {
        case .either: true
        case .prepaid: mode == .prepaid
        case .postpaid: mode == .postpaid
        }
    }
}

/// R-8.5: an account the order marks for creation, for a bill-to customer and contact; fulfillment
/// creates it (Pending → Active) with the products it pays.
public struct NewBillingAccount: Hashable, Sendable, Codable, Identifiable {
    /// `NEW-1`, `NEW-2`, … within the order.
    public var id: String
    public var customer: String
    public var contact: String?
    public var type: BillingAccount.AccountType
    /// The account fulfillment created for it.
    public var created: String?

    public init(id: String, customer: String, contact: String? = nil, type: BillingAccount.AccountType, created: String? = nil) {
        self.id = id
        self.customer = customer
        self.contact = contact
        self.type = type
        self.created = created
    }
}

extension BillingAccount.AccountType {
    /// How an account of this type is paid: Prepaid in advance, the others after.
    public var paymentMode: PaymentMode { self == .prepaid ? .prepaid : .postpaid }
}

/// What one row is set to: who pays and with which account (existing, or new).
public struct BillingChoice: Hashable, Sendable, Codable {
    public var sequence: Int
    public var customer: String?
    public var contact: String?
    public var account: String?
    public var newAccount: String?

    public init(sequence: Int, customer: String? = nil, contact: String? = nil, account: String? = nil, newAccount: String? = nil) {
        self.sequence = sequence
        self.customer = customer
        self.contact = contact
        self.account = account
        self.newAccount = newAccount
    }
}

/// R-8.3: a component whose own rows a change would replace (asked for confirmation first).
public struct BillingCascade: Hashable, Sendable, Codable {
    public var component: String
    public var product: ProductID
    public var rows: [LineBillingRow]
}

extension BillingDefinition {
    /// R-8.1: the rows a line of this product carries — the definition's rows, or only its
    /// primary (else first) row when split billing is off; nil when accounts are not selectable.
    public var lineRows: [LineBillingRow]? {
        guard accountSelectable else { return nil }
        let sorted = rows.sorted { $0.sequence < $1.sequence }
        let kept = splitBilling ? sorted : Array((sorted.first { $0.primary } ?? sorted.first).map { [$0] } ?? [])
        let made = kept.map { LineBillingRow(sequence: $0.sequence, purpose: $0.purpose, required: $0.required, primary: $0.primary, allowedType: $0.allowedType) }
        // Selectable with no row defined: one row for the account that pays everything.
        return made.isEmpty ? [LineBillingRow(sequence: 1, purpose: "all charges", required: true, primary: true, allowedType: .either)] : made
    }
}

/// What the accounts a billing change names are, to check it against the rules.
public struct BillingFacts: Sendable {
    public var accounts: [String: BillingAccount]
    public var customers: [String: Customer]
    public var setup: BillingSetup
    public var day: Day

    public init(accounts: [String: BillingAccount], customers: [String: Customer], setup: BillingSetup, day: Day) {
        self.accounts = accounts
        self.customers = customers
        self.setup = setup
        self.day = day
    }

    /// Whether `payer` may pay for `customer` on the day: itself, or an active bill-to relationship (R-8.4).
    public func mayPay(_ payer: String, for customer: String) -> Bool {
        payer == customer || (customers[customer]?.payers(on: day).contains(payer) ?? false)
    }
}

extension Order {
    /// R-8.5: the accounts this order marks for creation.
    public var newAccounts: [NewBillingAccount] { storedNewAccounts ?? [] }

    /// R-8.5: marks a new account for creation for a bill-to customer (one of the order's
    /// customers or one paying for one of them) and contact.
    @discardableResult
    public mutating func markNewAccount(customer: String, contact: String?, type: BillingAccount.AccountType,
                                        facts: BillingFacts) throws(OrderError) -> NewBillingAccount {
        try requireEditable()
        guard let payer = facts.customers[customer] else {
            throw OrderError(.unknownCustomer, "no customer '\(customer)'", field: "customer")
        }
        guard header.customers.contains(where: { facts.mayPay(customer, for: $0) }) else {
            throw OrderError(.billingNotAllowed, "\(customer) neither is a customer of \(id) nor pays for one (bill-to)", field: "customer")
        }
        if let contact, !payer.contacts.contains(where: { $0.id == contact }) {
            throw OrderError(.billingNotAllowed, "customer \(customer) has no contact '\(contact)'", field: "contact")
        }
        let used = Set(newAccounts.map(\.id))
        var n = newAccounts.count + 1
        while used.contains("NEW-\(n)") { n += 1 }
        let account = NewBillingAccount(id: "NEW-\(n)", customer: customer, contact: contact, type: type)
        storedNewAccounts = newAccounts + [account]
        return account
    }

    /// R-8.5: takes back a new account the order marked (BADMC's resolution), refused while a
    /// row or a customer's billing names it.
    public mutating func unmarkNewAccount(_ id: String) throws(OrderError) {
        try requireEditable()
        guard newAccounts.contains(where: { $0.id == id }) else {
            throw OrderError(.unknownAccount, "order \(self.id) marks no new account '\(id)'", field: "account")
        }
        let lines = allBillingRows.filter { $0.row.newAccount == id }.map(\.line.number)
        let customers = (header.customerInformation ?? []).filter { $0.recurringBilling?.newAccount == id || $0.nonrecurringBilling?.newAccount == id }.map(\.customer)
        guard lines.isEmpty, customers.isEmpty else {
            let users = Set(lines).sorted().map { "line \($0)" } + customers.map { "\($0)'s billing" }
            throw OrderError(.billingNotAllowed, "new account \(id) is named by \(users.joined(separator: ", ")); choose another account there first", field: "account")
        }
        storedNewAccounts = newAccounts.filter { $0.id != id }.nilIfEmpty
    }

    /// R-8.3: sets the rows of a line (`component` nil: the line's own rows) or of one component
    /// of its tree. The component's descendants that set rows of their own lose them to the
    /// change (they inherit it): without `confirmed` nothing changes and the cascade is refused
    /// with `confirmation-required`, naming them. Returns the cascade applied.
    @discardableResult
    public mutating func setBilling(_ choices: [BillingChoice], ofLine number: Int, component: String? = nil, confirmed: Bool,
                                    definition: BillingDefinition?, facts: BillingFacts) throws(OrderError) -> [BillingCascade] {
        try requireEditable()
        let current = try line(number)
        let index = lines.firstIndex { $0.number == number }!
        let key = component ?? current.configuration?.root.id ?? "L\(number)"
        let isRoot = component == nil || component == current.configuration?.root.id
        var rows: [LineBillingRow]
        if isRoot {
            guard let own = current.billingRows else {
                throw OrderError(.billingNotAllowed, "line \(number) (\(current.product)) is not billing-account selectable", field: "line")
            }
            rows = own
        } else if let own = current.componentBilling?[key], current.configuration?.root.find(key) == nil {
            // R-8.7: an installed component paid by rows of its own (the line not configured in a session).
            rows = own
        } else {
            guard let found = current.configuration?.root.find(key) else {
                throw OrderError(.unknownComponent, "line \(number) has no component '\(key)'", field: "component")
            }
            guard let fresh = definition?.lineRows else {
                throw OrderError(.billingNotAllowed, "component \(key) (\(found.product)) is not billing-account selectable", field: "component")
            }
            rows = current.componentBilling?[key] ?? fresh
        }
        for (i, choice) in choices.enumerated() {
            guard let r = rows.firstIndex(where: { $0.sequence == choice.sequence }) else {
                throw OrderError(.unknownBillingRow, "no billing row \(choice.sequence) (the rows are \(rows.map { String($0.sequence) }.joined(separator: ", ")))",
                                 field: "rows[\(i)].sequence")
            }
            rows[r] = try checked(choice, row: rows[r], customer: current.customer, field: "rows[\(i)]", facts: facts)
        }
        // The descendants with rows of their own inherit the change.
        // Below the contract is every component (a service line not configured in a session has no tree yet).
        let subtree = (isRoot ? current.configuration?.root : current.configuration?.root.find(key))?.allKeys.subtracting([key])
            ?? (isRoot ? Set(current.componentBilling?.keys.map { $0 } ?? []) : [])
        let cascade = (current.componentBilling ?? [:]).filter { subtree.contains($0.key) }.sorted { $0.key < $1.key }.map {
            BillingCascade(component: $0.key, product: current.configuration?.root.find($0.key)?.product ?? current.product, rows: $0.value)
        }
        if !cascade.isEmpty, !confirmed {
            throw OrderError(.confirmationRequired,
                             "the change cascades to \(cascade.map(\.component).joined(separator: ", ")), which set billing rows of their own; send it again with confirm: true to apply it to them",
                             field: "confirm")
        }
        var own = current.componentBilling ?? [:]
        for c in cascade { own[c.component] = nil }
        if isRoot { lines[index].billingRows = rows } else { own[key] = rows }
        lines[index].componentBilling = own.isEmpty ? nil : own
        return cascade
    }

    /// A row's choice checked against the rules that refuse at once (the others are holds):
    /// the account exists, belongs to the customer named, is of a type the row allows; another
    /// customer only with customer-level split billing on (RBTCUSTSPLITBIL).
    func checked(_ choice: BillingChoice, row: LineBillingRow, customer lineCustomer: String, field: String,
                 facts: BillingFacts) throws(OrderError) -> LineBillingRow {
        var row = row
        if choice.account != nil, choice.newAccount != nil {
            throw OrderError(.billingNotAllowed, "a row is paid by an existing account or a new one, not both", field: "\(field).newAccount")
        }
        var payer = choice.customer
        var mode: PaymentMode?
        if let id = choice.account {
            guard let account = facts.accounts[id] else { throw OrderError(.unknownAccount, "no billing account '\(id)'", field: "\(field).account") }
            if let payer, payer != account.owner {
                throw OrderError(.billingNotAllowed, "account \(id) belongs to \(account.owner), not \(payer)", field: "\(field).account")
            }
            guard account.status != .closed else { throw OrderError(.billingNotAllowed, "account \(id) is closed", field: "\(field).account") }
            payer = account.owner
            mode = account.paymentMode
        }
        if let id = choice.newAccount {
            if let marked = newAccounts.first(where: { $0.id == id }) {
                if let payer, payer != marked.customer {
                    throw OrderError(.billingNotAllowed, "new account \(id) is marked for \(marked.customer), not \(payer)", field: "\(field).newAccount")
                }
                payer = marked.customer
                mode = marked.type.paymentMode
            }
            // A new account not (yet) marked is a hold (BANAL), not a refusal: it can be marked next.
        }
        if let mode, !row.allows(mode) {
            throw OrderError(.billingNotAllowed, "billing row \(row.sequence) (\(row.purpose)) takes a \(row.allowedType.rawValue) account, not a \(mode.rawValue) one",
                             field: "\(field).account")
        }
        if let payer, payer != lineCustomer, !facts.setup.customerSplitBilling {
            throw OrderError(.billingNotAllowed, "customer-level split billing (RBTCUSTSPLITBIL) is off: only \(lineCustomer)'s accounts pay for this line",
                             field: "\(field).customer")
        }
        if let contact = choice.contact, let payer, let customer = facts.customers[payer], !customer.contacts.contains(where: { $0.id == contact }) {
            throw OrderError(.billingNotAllowed, "customer \(payer) has no contact '\(contact)'", field: "\(field).contact")
        }
        row.customer = payer
        row.contact = choice.contact ?? (choice.account.flatMap { facts.accounts[$0]?.contact })
            ?? (choice.newAccount.flatMap { id in newAccounts.first { $0.id == id }?.contact })
        row.account = choice.account
        row.newAccount = choice.newAccount
        row.warning = nil
        return row
    }

    /// R-8.2: fills the required empty rows of a new line from its customer's recurring billing
    /// (the account chosen on the header, else an active account of the header's bill-to
    /// customer, else of the line's customer) when one matches the row's allowed type; otherwise
    /// the row stays empty and a warning says so. Never on lines a migration created.
    public mutating func defaultBilling(ofLine number: Int, facts: BillingFacts) -> [String] {
        guard let index = lines.firstIndex(where: { $0.number == number }), lines[index].isNew, lines[index].createdByMigration != true,
              var rows = lines[index].billingRows else { return [] }
        let customer = lines[index].customer
        let billing = information(for: customer).recurringBilling
        let payer = billing?.customer ?? customer
        var warnings: [String] = []
        for r in rows.indices where rows[r].required && rows[r].isEmpty {
            if let id = billing?.newAccount, let marked = newAccounts.first(where: { $0.id == id }), rows[r].allows(marked.type.paymentMode) {
                rows[r].customer = marked.customer
                rows[r].contact = marked.contact
                rows[r].newAccount = id
            } else if let id = billing?.account, let account = facts.accounts[id], account.status != .closed, rows[r].allows(account.paymentMode) {
                rows[r].customer = account.owner
                rows[r].contact = account.contact
                rows[r].account = id
            } else if let account = facts.accounts.values.filter({ $0.owner == payer && $0.status == .active && rows[r].allows($0.paymentMode) })
                        .min(by: { $0.id < $1.id }), facts.mayPay(payer, for: customer) {
                rows[r].customer = payer
                rows[r].contact = account.contact ?? billing?.contact
                rows[r].account = account.id
            } else {
                rows[r].warning = "billing account type mismatch, select manually"
                warnings.append("line \(number), billing row \(rows[r].sequence) (\(rows[r].purpose)): billing account type mismatch, select manually")
                continue
            }
            rows[r].warning = nil
        }
        lines[index].billingRows = rows
        return warnings
    }

    /// R-8.3: a sold-to's header default changed: every new contract it owns in the order takes
    /// the new default in its required rows (the rows set by hand included: the header decides).
    public mutating func cascadeHeaderBilling(for customer: String, facts: BillingFacts) -> [String] {
        var warnings: [String] = []
        for line in lines where line.customer == customer && line.isNew && line.createdByMigration != true {
            let i = lines.firstIndex { $0.number == line.number }!
            guard let rows = lines[i].billingRows else { continue }
            lines[i].billingRows = rows.map { row in
                guard row.required else { return row }
                var empty = row
                empty.warning = nil
                empty.customer = nil
                empty.contact = nil
                empty.account = nil
                empty.newAccount = nil
                return empty
            }
            warnings += defaultBilling(ofLine: line.number, facts: facts)
        }
        return warnings
    }

    /// A bulk row's child order: the template's account choices are the bulk customer's, not
    /// the row customer's; every row is emptied and the required ones defaulted afresh.
    public mutating func redefaultBilling(facts: BillingFacts) -> [String] {
        var warnings: [String] = []
        for i in lines.indices {
            lines[i].componentBilling = nil
            lines[i].billingRows = lines[i].billingRows?.map {
                LineBillingRow(sequence: $0.sequence, purpose: $0.purpose, required: $0.required, primary: $0.primary, allowedType: $0.allowedType)
            }
            warnings += defaultBilling(ofLine: lines[i].number, facts: facts)
        }
        return warnings
    }

    /// The billing rows in force for each component of a line: its own, else its nearest
    /// ancestor's (R-8.1: components inherit unless set on themselves).
    public func effectiveBilling(of line: OrderLine) -> [String: [LineBillingRow]] {
        var result: [String: [LineBillingRow]] = [:]
        func walk(_ c: ConfigurationDocument.Component, inherited: [LineBillingRow]?) {
            let rows = line.componentBilling?[c.id] ?? inherited
            if let rows { result[c.id] = rows }
            for child in c.components ?? [] { walk(child, inherited: rows) }
        }
        if let root = line.configuration?.root {
            walk(root, inherited: line.billingRows)
        } else {
            // Not configured: the line's rows, and (R-8.7) the installed components paying with rows of their own.
            if let rows = line.billingRows { result["L\(line.number)"] = rows }
            for (key, rows) in line.componentBilling ?? [:] { result[key] = rows }
        }
        return result
    }

    /// Every row of the order with the line (and component) it belongs to.
    public var allBillingRows: [(line: OrderLine, component: String?, row: LineBillingRow)] {
        lines.flatMap { line in
            (line.billingRows ?? []).map { (line, nil as String?, $0) }
                + (line.componentBilling ?? [:]).sorted { $0.key < $1.key }.flatMap { entry in entry.value.map { (line, entry.key as String?, $0) } }
        }
    }
}

extension CustomerOrderInformation {
    /// R-8.4: a billing choice on the header names an account of its bill-to customer (else of
    /// the customer itself), or a new account the order marked for that customer; a billing
    /// account pays one-time charges only where RBTACCNONREC allows it.
    public func checkBilling(in order: Order, facts: BillingFacts) throws(OrderError) {
        for (field, billing) in [("recurringBilling", recurringBilling), ("nonrecurringBilling", nonrecurringBilling)] {
            guard let billing else { continue }
            let payer = billing.customer ?? customer
            if let id = billing.account {
                guard let account = facts.accounts[id] else { throw OrderError(.unknownAccount, "no billing account '\(id)'", field: "\(field).account") }
                guard account.owner == payer else {
                    throw OrderError(.billingNotAllowed, "account \(id) belongs to \(account.owner), not \(payer)", field: "\(field).account")
                }
            }
            if let id = billing.newAccount, let marked = order.newAccounts.first(where: { $0.id == id }), marked.customer != payer {
                throw OrderError(.billingNotAllowed, "new account \(id) is marked for \(marked.customer), not \(payer)", field: "\(field).newAccount")
            }
            if field == "nonrecurringBilling", billing.account != nil || billing.newAccount != nil, !facts.setup.accountForOneTimeCharges {
                throw OrderError(.billingNotAllowed, "a billing account does not pay one-time charges here (RBTACCNONREC is off): choose a payment method",
                                 field: "\(field).account")
            }
        }
    }
}

extension OrderLine {
    /// R-8.7: a service line's rows are those its installed contract is paid by (the definition's
    /// rows, filled from the installed root's rows, or its one account on the primary row); the
    /// components paid by rows of their own keep them, by installed product id, with what their
    /// own definition says of each row (required, allowed type) read from `catalog`.
    mutating func takeBilling(of installed: InstalledContract, catalog: CatalogIndex) {
        guard var rows = catalog.product(installed.product)?.billing?.lineRows else { return }
        let root = installed.root
        for i in rows.indices {
            if let row = root.billingRows?.first(where: { $0.sequence == rows[i].sequence }) {
                rows[i].customer = row.customer
                rows[i].account = row.account
            } else if rows[i].primary, root.billingRows == nil, let account = root.billingAccount {
                rows[i].customer = root.owner ?? installed.customer
                rows[i].account = account
            }
        }
        billingRows = rows
        var own: [String: [LineBillingRow]] = [:]
        func visit(_ c: InstalledProduct, parentRows: [InstalledBillingRow]?) {
            if let mine = c.billingRows, mine != parentRows {
                let defined = catalog.product(c.product)?.billing?.lineRows ?? []
                own[c.id] = mine.map { row in
                    let definition = defined.first { $0.sequence == row.sequence }
                    return LineBillingRow(sequence: row.sequence, purpose: row.purpose, required: definition?.required ?? false, primary: row.primary,
                                          allowedType: definition?.allowedType ?? .either, customer: row.customer, account: row.account)
                }
            }
            for child in c.components { visit(child, parentRows: c.billingRows ?? parentRows) }
        }
        for child in root.components { visit(child, parentRows: root.billingRows) }
        componentBilling = own.isEmpty ? nil : own
    }
}

extension ConfigurationDocument.Component {
    /// The component with this key in the tree, itself included.
    public func find(_ key: String) -> ConfigurationDocument.Component? {
        if id == key { return self }
        for child in components ?? [] { if let found = child.find(key) { return found } }
        return nil
    }
}

extension BillingSetup {
    /// Four switches: every combination is a valid setup.
    public func validate() throws(SetupError) {}
}
