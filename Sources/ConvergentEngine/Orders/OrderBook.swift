import ConvergentDomain
import ConvergentStore
import Foundation

/// Orders: create with an autonumbered id, read, list, and change through the domain's rules
/// (R-3.1 … ). Sessions, holds and submission build on this.
public struct OrderBook: Sendable {
    let store: any ConvergentStore
    let catalogs: CatalogLibrary
    /// This node's open sessions (see `SessionCache`); nil rebuilds every time.
    var sessionCache: SessionCache?
    public var numbering: OrderNumbering = .standard

    /// Creates a draft order: the id is assigned at first save; the customers must exist.
    /// the trial duration defaults from the source and sub-source and cannot be set below
    /// that default.: each customer's billing, shipping and site information defaults from
    /// its record (and its payer's) unless given.
    public func create(_ type: CaptureType, header: OrderHeader, on day: Day, context: ChangeContext) async throws -> Versioned<Order> {
        var header = header
        var defaults: [CustomerOrderInformation] = []
        for (field, id) in [("soldTo", header.soldTo)] + header.relatedCustomers.map({ ("relatedCustomers", $0) }) {
            guard let customer = try await store.get(Customer.self, id: id)?.value else {
                throw EngineError(.invalidRequest, "customer '\(id)' does not exist", field: field)
            }
            defaults.append(try await defaultInformation(for: customer, on: day))
        }
        let setup = try await store.get(TrialSetup.self, id: TrialSetup.id)?.value ?? .unset
        header.trialDays = try setup.trialDays(requested: header.trialDays, source: header.source, subSource: header.subSource)
        if header.customerInformation == nil { header.customerInformation = defaults }
        if let contact = header.contact, let soldTo = try await store.get(Customer.self, id: header.soldTo)?.value,
           !soldTo.contacts.contains(where: { $0.id == contact }) {
            throw EngineError(.invalidRequest, "customer \(header.soldTo) has no contact '\(contact)'", field: "contact")
        }
        // The number is drawn in the transaction that stores the order: a refused order takes none.
        let numbering = self.numbering, fixed = header
        @Sendable func order(numbered number: Int) throws -> Order {
            var order = try Order(id: numbering.id(for: type, number: number), captureType: type, orderDate: day, header: fixed)
            for information in fixed.customerInformation ?? [] { try order.setInformation(information) }
            return order
        }
        let (number, versions) = try await store.commit(numbering: numbering.sequenceName(for: type), context: context) { [try .insert(order(numbered: $0))] }
        return Versioned(value: try order(numbered: number), version: versions[0], createdAt: context.at, updatedAt: context.at)
    }

    /// a customer's order information as its record (and its payer's on `day`) gives it.
    func defaultInformation(for customer: Customer, on day: Day) async throws -> CustomerOrderInformation {
        var payer: Customer?
        if let payerID = customer.payers(on: day).first { payer = try await store.get(Customer.self, id: payerID)?.value }
        return .defaults(for: customer, payer: payer, on: day)
    }

    /// updates one customer's billing, shipping and site information on the header: each
    /// section given (recurring billing, nonrecurring billing, shipping, site) replaces the one on
    /// the order; sections not given stay. Every customer, contact and address it names must
    /// exist: a bill-to customer is the customer or one that pays for it on `day`;
    /// contacts and addresses belong to the customer named.
    public func setInformation(_ given: CustomerOrderInformation, onOrder id: String, expectedVersion: Int?, day: Day,
                               context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await order(id).value.information(for: given.customer)
        let information = CustomerOrderInformation(customer: given.customer, recurringBilling: given.recurringBilling ?? current.recurringBilling,
                                                   nonrecurringBilling: given.nonrecurringBilling ?? current.nonrecurringBilling,
                                                   shipping: given.shipping ?? current.shipping, site: given.site ?? current.site)
        var customers: [String: Customer] = [:]
        for (field, named) in [("customer", information.customer)] + information.namedCustomers {
            guard let found = try await store.get(Customer.self, id: named)?.value else {
                throw EngineError(.invalidRequest, "customer '\(named)' does not exist", field: field)
            }
            customers[named] = found
        }
        try information.validate(customers: customers, on: day)
        let order = try await order(id).value
        let facts = try await billingFacts(for: order, day: day,
                                           naming: [information.recurringBilling?.account, information.nonrecurringBilling?.account].compactMap { $0 },
                                           customers: [information.recurringBilling?.customer, information.nonrecurringBilling?.customer].compactMap { $0 })
        try information.checkBilling(in: order, facts: facts)
        return try await change(id, expectedVersion: expectedVersion, context: context) { order in
            let before = order.information(for: information.customer).recurringBilling
            try order.setInformation(information)
            // a new default account (or bill-to customer) cascades to every new contract the customer owns in the order.
            let after = information.recurringBilling
            if before?.account != after?.account || before?.newAccount != after?.newAccount || before?.customer != after?.customer {
                _ = order.cascadeHeaderBilling(for: information.customer, facts: facts)
            }
        }
    }

    /// Sets a line's product site: an address and contact of the line's customer.
    public func setSite(_ site: SiteInformation?, ofLine number: Int, onOrder id: String, expectedVersion: Int?,
                        context: ChangeContext) async throws -> Versioned<Order> {
        let line = try await order(id).value.line(number)
        if let site, let customer = try await store.get(Customer.self, id: line.customer)?.value {
            try customer.checkReferences(contact: site.contact, address: site.address, field: "")
        }
        return try await change(id, expectedVersion: expectedVersion, context: context) { try $0.setSite(site, ofLine: number) }
    }

    /// Adds a line: a new top-level product, or a service line over an installed contract
    /// whose product is the contract's.
    public func addLine(toOrder id: String, product: ProductID?, installedContract: String?, installedProduct: String? = nil, action: LineAction?,
                        owner: String?, reason: String?, expectedVersion: Int?, today: Day, context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await order(id).value
        let catalog = try await catalog(for: current, today: today)
        var installed: InstalledContract?
        if let installedContract { installed = try await InstalledBase(store: store).contract(installedContract) }
        guard let product = product ?? installed?.product else {
            throw EngineError(.invalidRequest, "name the product, or the installed contract to service", field: "product")
        }
        let action = action ?? (installed == nil ? .add : .change)
        try (try await store.get(ReasonCodes.self, id: ReasonCodes.id)?.value ?? .unset).check(reason, for: action)
        let facts = try await billingFacts(for: current, day: current.header.productSellingDate ?? today)
        return try await change(id, expectedVersion: expectedVersion, context: context) { order in
            let line = try order.addLine(product: product, action: action, owner: owner, installed: installed, scope: installedProduct,
                                         reason: reason, catalog: catalog)
            // the required rows of a new line default from its customer's billing.
            _ = order.defaultBilling(ofLine: line.number, facts: facts)
        }
    }

    /// adds a related customer to a convergent order, its information defaulted from its record.
    public func addRelatedCustomer(_ id: String, toOrder orderID: String, expectedVersion: Int?, day: Day,
                                   context: ChangeContext) async throws -> Versioned<Order> {
        guard let customer = try await store.get(Customer.self, id: id)?.value else {
            throw EngineError(.invalidRequest, "customer '\(id)' does not exist", field: "customer")
        }
        let information = try await defaultInformation(for: customer, on: day)
        return try await change(orderID, expectedVersion: expectedVersion, context: context) { try $0.addRelatedCustomer(information) }
    }

    /// Adds a row to a bulk parent: the customer (and its contact) must exist; a bulk
    /// service-management row's installed contract must belong to that customer.
    public func addBulkRow(toOrder id: String, customer: String, contact: String?, installedContract: String?, expectedVersion: Int?,
                           context: ChangeContext) async throws -> Versioned<Order> {
        guard let found = try await store.get(Customer.self, id: customer)?.value else {
            throw EngineError(.invalidRequest, "customer '\(customer)' does not exist", field: "customer")
        }
        if let contact, !found.contacts.contains(where: { $0.id == contact }) {
            throw EngineError(.invalidRequest, "customer \(customer) has no contact '\(contact)'", field: "contact")
        }
        var installed: InstalledContract?
        if let installedContract, try await order(id).value.captureType == .bulkServiceManagement {
            installed = try await InstalledBase(store: store).contract(installedContract)
        }
        return try await change(id, expectedVersion: expectedVersion, context: context) { order in
            try order.addBulkRow(customer: customer, contact: contact, installedContract: installedContract, installed: installed)
        }
    }

    /// A parent order listing its children with their statuses now: the parent is written
    /// when it completes, not at each child's step.
    public func withChildStatuses(_ parent: Order) async throws -> Order {
        parent.listingChildren(try await childStatuses(of: parent))
    }

    /// A parent's children's statuses now, by id.
    func childStatuses(of parent: Order) async throws -> [String: OrderStatus] {
        var statuses: [String: OrderStatus] = [:]
        for child in parent.children {
            if let found = try await store.get(Order.self, id: child.id) { statuses[child.id] = found.value.status }
        }
        return statuses
    }

    public func order(_ id: String) async throws -> Versioned<Order> {
        guard let found = try await store.get(Order.self, id: id) else { throw EngineError(.notFound, "no order '\(id)'") }
        return found
    }

    /// Orders by sold-to customer, status, capture type and order date range, by id.
    public func orders(customer: String?, status: OrderStatus?, captureType: CaptureType?, from: Day?, to: Day?,
                       after cursor: String?, limit: Int) async throws -> [Versioned<Order>] {
        var filter = RecordFilter()
        filter.equals["sold_to"] = customer
        filter.equals["status"] = status?.rawValue
        filter.equals["capture_type"] = captureType?.rawValue
        filter.atLeast["order_date"] = from?.description
        filter.atMost["order_date"] = to?.description
        return try await store.all(Order.self, filter: filter, after: cursor, limit: limit)
    }

    /// Applies a change through the order's own methods, in one transaction with its history;
    /// a stale version is a conflict, a refused change stores nothing.
    func change(_ id: String, expectedVersion: Int?, context: ChangeContext,
                       _ body: (inout Order) throws -> Void) async throws -> Versioned<Order> {
        do {
            return try await store.modify(Order.self, id: id, expectedVersion: expectedVersion, context: context, body)
        } catch let error as StoreError where error.code == .notFound {
            throw EngineError(.notFound, "no order '\(id)'")
        }
    }

    /// Runs every hold check of the order's capture type and stores what it found.
    public func validate(_ id: String, expectedVersion: Int?, today: Day, context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await order(id).value
        let context_ = try await holdContext(for: current, today: today, submitting: false)
        return try await change(id, expectedVersion: expectedVersion, context: context) { order in
            var holdContext = context_
            holdContext.order = order
            try order.recordHolds(HoldRegistry.holds(for: holdContext))
            order.recordBalanceChecks(holdContext.balancesChecked())
        }
    }

    /// What the hold checks read: the order, its catalog, and (COV) the other orders already
    /// submitted and not finished that service the same installed contracts.
    func holdContext(for order: Order, today: Day, submitting: Bool) async throws -> HoldContext {
        let catalog = try await catalog(for: order, today: today)
        // MLBAV reads the installed contracts migrations leave and who has an active billing account.
        var installed: [String: InstalledContract] = [:]
        var accounts: Set<String> = []
        if !order.migrations.isEmpty {
            for line in order.lines {
                if let id = line.installedContract { installed[id] = try await store.get(InstalledContract.self, id: id)?.value }
            }
            for customer in Set(order.migrations.map(\.migration.targetCustomer)) {
                let owned = try await store.all(BillingAccount.self, where: ["owner": customer])
                if owned.contains(where: { $0.value.status == .active }) { accounts.insert(customer) }
            }
        }
        var context = HoldContext(order: order, catalog: catalog, today: today, concurrentOrders: try await concurrentOrders(for: order),
                                  installed: installed, customersWithActiveAccount: accounts)
        let day = order.header.productSellingDate ?? today
        context.billing = try await billingHoldFacts(for: order, day: day, submitting: submitting)
        if order.captureType == .bulk, !order.bulkRows.isEmpty {
            // BARNS on a bulk order: its rows' children as they would be generated, their billing
            // rows defaulted for each row's customer (numbered when really generated).
            let drafts = SubmissionPlan.bulkDrafts(of: order)
            context.billing?.bulkChildren = try await generatedChildren(of: order, drafts: drafts, ids: drafts.indices.map { "\(order.id)-ROW\($0 + 1)" },
                                                               catalog: catalog, day: day)
        }
        return context
    }

    /// COV: per installed contract of the order, the submitted or in-fulfillment orders
    /// servicing it. A convergent parent that generated children is left out (its children carry
    /// the work), and so are the order's own parent and children.
    func concurrentOrders(for order: Order) async throws -> [String: [String]] {
        let contracts = Set(order.lines.compactMap(\.installedContract))
        guard !contracts.isEmpty else { return [:] }
        // An index lookup (order_contracts by contract and status); each candidate is then read to
        // confirm it still services the contract in that status.
        var candidates: Set<String> = []
        for status in [OrderStatus.submitted, .inFulfillment] {
            let rows = try await store.everyIndexRow(.orderContracts, where: "contract", in: contracts.sorted(), equals: ["order_status": status.rawValue])
            candidates.formUnion(rows.compactMap { $0["order_id"] }.filter { $0 != order.id })
        }
        var found: [String: [String]] = [:]
        for id in candidates.sorted() {
            guard let other = try await store.get(Order.self, id: id)?.value, [.submitted, .inFulfillment].contains(other.status),
                  order.competes(with: other) else { continue }
            for contract in Set(other.lines.compactMap(\.installedContract)).sorted() where contracts.contains(contract) {
                found[contract, default: []].append(other.id)
            }
        }
        return found
    }

    /// The catalog an order's lines use: the one in force on its product selling date, else today.
    public func catalog(for order: Order, today: Day) async throws -> CatalogIndex {
        await catalogs.index(of: try await catalogs.active(on: order.header.productSellingDate ?? today))
    }
}

extension Engine {
    public var orders: OrderBook { OrderBook(store: store, catalogs: catalogs, sessionCache: sessionCache) }
}

extension OrderBook {
    /// a simple or service-management order becomes convergent (same id); a quote
    /// converts to a new simple or convergent order, recorded on both, in one transaction.
    public func convert(_ id: String, to type: CaptureType, today: Day, context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await order(id)
        if current.value.captureType != .quote {
            guard type == .convergent else {
                throw OrderError(.notAllowedForCaptureType, "a \(current.value.captureType.rawValue) order converts to a convergent order only", field: "captureType")
            }
            return try await change(id, expectedVersion: current.version, context: context) { try $0.convertToConvergent() }
        }
        guard current.value.convertedTo == nil else {
            throw OrderError(.alreadyConverted, "quote \(id) was already converted to \(current.value.convertedTo!)", field: "id")
        }
        let catalog = try await catalog(for: current.value, today: today)
        let newID = numbering.id(for: type, number: try await store.nextNumber(numbering.sequenceName(for: type)))
        let order = try Order.converted(from: current.value, id: newID, captureType: type, orderDate: today, catalog: catalog, today: today)
        var quote = current.value
        try quote.markConverted(to: newID)
        let versions = try await store.commit([try .insert(order), try .update(quote, expectedVersion: current.version)], context: context)
        return Versioned(value: order, version: versions[0], createdAt: context.at, updatedAt: context.at)
    }
}
