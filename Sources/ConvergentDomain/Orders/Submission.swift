import Foundation

/// A child order generated from a convergent (or bulk) order, as listed on the parent:
/// id, action, products, customer, contact and status.
public struct ChildOrderRef: Hashable, Sendable, Codable {
    public var id: String
    public var captureType: CaptureType
    public var customer: String
    public var lines: [Int]
    public var products: [ProductID]
    public var installedContract: String?
    public var contact: String?
    public var actions: [LineAction]?
    public var status: OrderStatus?

    public init(id: String, captureType: CaptureType, customer: String, lines: [Int], products: [ProductID],
                installedContract: String? = nil, contact: String? = nil, actions: [LineAction]? = nil, status: OrderStatus? = nil) {
        self.id = id
        self.captureType = captureType
        self.customer = customer
        self.lines = lines
        self.products = products
        self.installedContract = installedContract
        self.contact = contact
        self.actions = actions
        self.status = status
    }
}

/// What submitting an order does, decided from the order alone.
public struct SubmissionPlan: Hashable, Sendable {
    public enum Shape: Hashable, Sendable {
        /// Simple, service-management and bulk orders are submitted as they are.
        case asIs
        /// A convergent order with one new bundle and nothing installed becomes a simple order,
        /// keeping its id; with one installed contract and nothing new, a service-management order.
        case becomes(CaptureType)
        /// Otherwise: a simple order per customer for new products, a service-management order
        /// per installed contract, submitted together.
        case children([Draft])
    }

    public struct Draft: Hashable, Sendable {
        public var captureType: CaptureType
        public var customer: String
        public var contact: String?
        public var installedContract: String?
        public var lines: [OrderLine]
    }

    public var shape: Shape
    /// the latest selling-period start among future elements; nil when none is future.
    public var fulfillBy: Day?

    public init(shape: Shape, fulfillBy: Day?) {
        self.shape = shape
        self.fulfillBy = fulfillBy
    }

    /// Queued when some element is sold only from a later day than the reference date.
    public var isFutureDated: Bool { fulfillBy != nil }

    /// a bulk order's children, one per row, each a copy of the template lines for the
    /// row's customer (and, for service management, the row's installed contract).
    public static func bulkDrafts(of order: Order) -> [Draft] {
        let type: CaptureType = order.captureType == .bulk ? .simple : .serviceManagement
        return order.bulkRows.map { row in
            Draft(captureType: type, customer: row.customer, contact: row.contact, installedContract: row.installedContract,
                  lines: order.lines.map { line in
                      var copy = line
                      copy.customer = row.customer
                      copy.configuration?.customer = row.customer
                      copy.site = nil // the row customer's own site is filled in with its information
                      if let contract = row.installedContract { copy.installedContract = contract }
                      return copy
                  })
        }
    }

    public static func plan(for context: HoldContext) throws(OrderError) -> SubmissionPlan {
        let order = context.order
        guard order.captureType != .quote else {
            throw OrderError(.notAllowedForCaptureType, "a quote is not submitted; convert it to an order", field: "captureType")
        }
        guard !order.lines.isEmpty else {
            throw OrderError(.nothingToConfigure, "order \(order.id) has no line to submit", field: "lines")
        }
        let fulfillBy = context.latestFutureStart()
        if order.captureType == .bulk || order.captureType == .bulkServiceManagement {
            // one child per row, each a copy of the template lines for the row's customer
            // (and, for service management, the row's installed contract).
            guard !order.bulkRows.isEmpty else {
                throw OrderError(.noRows, "bulk order \(order.id) has no row: add one per customer (or installed contract) first", field: "bulkRows")
            }
            return SubmissionPlan(shape: .children(bulkDrafts(of: order)), fulfillBy: fulfillBy)
        }
        guard order.captureType == .convergent else { return SubmissionPlan(shape: .asIs, fulfillBy: fulfillBy) }
        let new = order.lines.filter(\.isNew)
        let installed = Set(order.lines.compactMap(\.installedContract))
        // One new bundle (with its commitment lines, R-9.1) and nothing installed: a simple order.
        if new.filter({ $0.commitment == nil }).count == 1, installed.isEmpty { return SubmissionPlan(shape: .becomes(.simple), fulfillBy: fulfillBy) }
        if new.isEmpty, installed.count == 1 { return SubmissionPlan(shape: .becomes(.serviceManagement), fulfillBy: fulfillBy) }
        var drafts: [Draft] = []
        for customer in order.header.customers {
            let lines = new.filter { $0.customer == customer }
            if !lines.isEmpty { drafts.append(Draft(captureType: .simple, customer: customer, contact: nil, installedContract: nil, lines: lines)) }
        }
        for contract in installed.sorted() {
            let lines = order.lines.filter { $0.installedContract == contract }
            drafts.append(Draft(captureType: .serviceManagement, customer: lines[0].customer, contact: nil, installedContract: contract, lines: lines))
        }
        return SubmissionPlan(shape: .children(drafts), fulfillBy: fulfillBy)
    }
}

extension Order {
    /// The child orders of a parent (R-7.1, R-3.1 bulk): each gets the parent's header for its
    /// customer — the trial duration cascades; that customer's shipping and billing
    /// information goes to simple children only — its lines with their adjustments and the links
    /// among them, and a share of every header adjustment in proportion to its totals (the
    /// rounding remainder to the largest child).
    public static func children(of parent: Order, drafts: [SubmissionPlan.Draft], ids: [String], catalog: CatalogIndex) throws(OrderError) -> [Order] {
        var children: [Order] = []
        for (draft, id) in zip(drafts, ids) {
            var header = parent.header
            header.soldTo = draft.customer
            header.relatedCustomers = []
            header.contact = draft.contact ?? (draft.customer == parent.header.soldTo ? parent.header.contact : nil)
            header.customerInformation = draft.captureType == .simple
                ? parent.header.customerInformation?.filter { $0.customer == draft.customer }.nilIfEmpty : nil
            var child = try Order(id: id, captureType: draft.captureType, orderDate: parent.orderDate, header: header)
            child.parentID = parent.id
            child.lines = draft.lines
            child.nextLineNumber = (draft.lines.map(\.number).max() ?? 0) + 1
            let numbers = Set(draft.lines.map(\.number))
            child.storedAdjustments = parent.adjustments.filter { $0.line.map(numbers.contains) ?? false }.nilIfEmpty
            // the new accounts the child's lines name (created once, under the parent's id).
            let named = Set(child.lines.flatMap { line in ((line.billingRows ?? []) + (line.componentBilling ?? [:]).values.flatMap { $0 }).compactMap(\.newAccount) })
                .union(child.header.customerInformation?.flatMap { [$0.recurringBilling?.newAccount, $0.nonrecurringBilling?.newAccount].compactMap { $0 } } ?? [])
            child.storedNewAccounts = parent.newAccounts.filter { named.contains($0.id) }.nilIfEmpty
            let keys = draft.lines.reduce(into: Set<String>()) { $0.formUnion($1.configuration?.root.allKeys ?? []) }
            child.storedLinks = parent.links.filter { keys.contains($0.from) && keys.contains($0.to) }.nilIfEmpty
            children.append(child)
        }
        synchroniseMigrations(of: parent, in: &children)
        let totals = children.map { Pricing.price($0, catalog: catalog).total }
        for adjustment in parent.adjustments where adjustment.line == nil {
            let weights = totals.map { t in t.first { $0.currency == adjustment.currency }?[adjustment.type] ?? 0 }
            for (i, share) in Pricing.spread(adjustment.amount, over: weights).enumerated() where share != 0 {
                var copy = adjustment
                copy.id = "A\((children[i].adjustments.compactMap { Int($0.id.dropFirst()) }.max() ?? 0) + 1)"
                copy.amount = share
                copy.shareOf = adjustment.id
                children[i].storedAdjustments = children[i].adjustments + [copy]
            }
        }
        return children
    }

    /// Submits: a future-dated order is queued with its fulfill-by date; an order
    /// due now is submitted and its lines with it. A blocking hold refuses it.
    public mutating func submit(plan: SubmissionPlan, children: [ChildOrderRef], pricing: OrderPricing?, today: Day) throws(OrderError) {
        if let blocking = holds.first(where: \.isBlocking) {
            throw OrderError(.held, "order \(id) has a hold that is not overridden (\(blocking.code.rawValue)): \(blocking.resolution)", field: "holds")
        }
        if case let .becomes(type) = plan.shape { captureType = type }
        header.fulfillBy = plan.fulfillBy
        if let day = plan.fulfillBy, day > today {
            try move(to: .queued)
            return
        }
        try move(to: .submitted)
        self.children = children
        submittedPricing = pricing
        for i in lines.indices { lines[i].status = try lines[i].status.transition(to: .submitted) }
    }
}

extension Order {
    /// each child order keeps the migrations that leave or reach its lines, with the
    /// installed contract at each end; where a migration spans two child orders, they wait for
    /// each other as `FulfillmentWait.migration` says (the target's products go pending after
    /// the source's; the source's message, or for a reparenting its settling, comes after the
    /// target's answer; the target settles after the source's answer). Two orders that migrate into each other would wait for each other for ever: the
    /// first pair (in migration order) sets the synchronisation, a pair that would close a cycle
    /// of waits is left out.
    static func synchroniseMigrations(of parent: Order, in children: inout [Order]) {
        guard !parent.migrations.isEmpty else { return }
        func child(of line: Int) -> Int? { children.firstIndex { $0.lines.contains { $0.number == line } } }
        func installed(_ line: Int) -> String? {
            guard let i = child(of: line), let l = children[i].lines.first(where: { $0.number == line }) else { return nil }
            return l.installedContract ?? Fulfillment.contractID(order: children[i].id, line: line)
        }
        var after: [Int: Set<Int>] = [:] // child → children it waits for
        func waits(_ a: Int, for b: Int) -> Bool {
            var seen: Set<Int> = [], stack = [a]
            while let next = stack.popLast() {
                if next == b { return true }
                if seen.insert(next).inserted { stack += after[next] ?? [] }
            }
            return false
        }
        for m in parent.migrations {
            var resolved = m
            resolved.sourceInstalledContract = installed(m.sourceLine)
            resolved.targetInstalledContract = installed(m.targetLine)
            guard let s = child(of: m.sourceLine), let t = child(of: m.targetLine) else { continue }
            for i in Set([s, t]) { children[i].storedMigrations = children[i].migrations + [resolved] }
            guard s != t, !waits(s, for: t) else { continue }
            after[t, default: []].insert(s)
            let (sourceWaits, targetWaits) = FulfillmentWait.migration(source: children[s].id, target: children[t].id,
                                                                       reparenting: m.migration.kind == .reparenting)
            for wait in sourceWaits where !(children[s].fulfillment?.waits ?? []).contains(wait) {
                children[s].addFulfillmentWaits([wait], waitedOnBy: [children[t].id])
            }
            for wait in targetWaits where !(children[t].fulfillment?.waits ?? []).contains(wait) {
                children[t].addFulfillmentWaits([wait], waitedOnBy: [children[s].id])
            }
        }
    }
}
