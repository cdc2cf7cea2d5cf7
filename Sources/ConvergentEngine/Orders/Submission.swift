import ConvergentDomain
import ConvergentStore
import Foundation

extension OrderBook {
    /// Submits an order: runs its holds (a blocking one keeps the order
    /// held and refuses), then queues a future-dated order, or submits it — a convergent order
    /// becoming a simple or service-management order, or generating its child orders, all in
    /// one transaction with the parent.
    public func submit(_ id: String, expectedVersion: Int?, today: Day, context: ChangeContext) async throws -> Versioned<Order> {
        try await retryingContractRaces {
            let current = try await order(id)
            if let expectedVersion, expectedVersion != current.version {
                throw StoreError(.conflict, "order \(id) is at version \(current.version), not \(expectedVersion)")
            }
            guard current.value.status == .draft || current.value.status == .held else {
                throw OrderError(.illegalTransition, "order \(id) is \(current.value.status.rawValue); only draft or held orders are submitted", field: "status")
            }
            return try await release(current, on: today, context: context)
        }
    }

    /// COV under concurrency: a submission that lost the race on an installed contract's
    /// version (another order was submitted on it meanwhile) runs again, reads that order and is
    /// held by COV — one success and one clear refusal, never two submissions.
    func retryingContractRaces<T>(_ body: () async throws -> T) async throws -> T {
        try await retryingConflicts(of: [.installedContract], attempts: 3, body)
    }

    /// Releases a queued order on its execution date: holds run again; it is submitted
    /// (with its child orders, R-7.2) or held.
    public func release(_ id: String, asOf day: Day, context: ChangeContext) async throws -> Versioned<Order> {
        try await retryingContractRaces {
            let current = try await order(id)
            guard current.value.status == .queued else {
                throw OrderError(.illegalTransition, "order \(id) is \(current.value.status.rawValue), not queued", field: "status")
            }
            if let due = current.value.header.fulfillBy, due > day {
                throw OrderError(.notDue, "order \(id) is due on \(due), not on \(day)", field: "asOf")
            }
            return try await release(current, on: day, context: context)
        }
    }

    /// Releases every queued order due on `day` (R-11.4, run by hand or by the job runner):
    /// each one is submitted, or held with the reason.
    public func releaseDue(asOf day: Day, context: ChangeContext) async throws -> [(order: String, outcome: Result<Order, OrderError>)] {
        var results: [(String, Result<Order, OrderError>)] = []
        var cursor: String?
        repeat {
            let page = try await store.all(Order.self, filter: RecordFilter(equals: ["status": OrderStatus.queued.rawValue]), after: cursor, limit: 200)
            for order in page where (order.value.header.fulfillBy ?? day) <= day {
                do {
                    results.append((order.value.id, .success(try await release(order, on: day, context: context).value)))
                } catch let error as OrderError where error.code == .held {
                    results.append((order.value.id, .failure(error)))
                }
            }
            cursor = page.count == 200 ? page.last?.value.id : nil
        } while cursor != nil
        return results
    }

    private func release(_ current: Versioned<Order>, on day: Day, context: ChangeContext) async throws -> Versioned<Order> {
        var order = current.value
        // COV: the installed contracts are read before the other orders (holdContext), and written
        // back with their version checked at commit: an order submitted on one of them in between
        // makes this commit fail, and the retry finds that order.
        var serviced: [Versioned<InstalledContract>] = []
        for contract in Set(order.lines.compactMap(\.installedContract)).sorted() {
            if let stored = try await store.get(InstalledContract.self, id: contract) { serviced.append(stored) }
        }
        let holdContext = try await holdContext(for: order, today: day, submitting: true)
        // What cannot be submitted at all is said before any hold; holds do not change what is planned.
        let plan = try SubmissionPlan.plan(for: holdContext)
        try order.recordHolds(HoldRegistry.holds(for: holdContext))
        order.recordBalanceChecks(holdContext.balancesChecked())
        if let blocking = order.holds.first(where: \.isBlocking) {
            if order.status == .queued { try order.move(to: .held) }
            _ = try await store.update(order, expectedVersion: current.version, context: context)
            let details = (blocking.details ?? []).map { " \($0)." }.joined()
            throw OrderError(.held, "order \(order.id) is held (\(blocking.code.rawValue)):\(details) \(blocking.resolution)", field: "holds")
        }
        var children: [Order] = []
        if case let .children(drafts) = plan.shape, !((plan.fulfillBy.map { $0 > day }) ?? false) {
            var ids: [String] = []
            for draft in drafts {
                ids.append(numbering.id(for: draft.captureType, number: try await store.nextNumber(numbering.sequenceName(for: draft.captureType))))
            }
            children = try await generatedChildren(of: order, drafts: drafts, ids: ids, catalog: holdContext.catalog, day: day)
            for i in children.indices {
                try children[i].submit(plan: SubmissionPlan(shape: .asIs, fulfillBy: nil), children: [],
                                       pricing: Pricing.price(children[i], catalog: holdContext.catalog), today: day)
            }
        }
        let refs = children.map { ChildOrderRef(id: $0.id, captureType: $0.captureType, customer: $0.header.soldTo,
                                                lines: $0.lines.map(\.number), products: $0.lines.map(\.product),
                                                installedContract: $0.lines.compactMap(\.installedContract).first,
                                                contact: $0.header.contact, actions: $0.lines.map(\.action), status: $0.status) }
        try order.submit(plan: plan, children: refs, pricing: holdContext.pricing, today: day)
        var writes = [try Write.update(order, expectedVersion: current.version)] + (try children.map { try Write.insert($0) })
        // the accounts it marked for creation exist (Pending) once it is submitted.
        if order.status != .queued { writes += try await newAccountInserts(for: order) }
        for var contract in serviced {
            contract.value.lastOrder = order.id
            writes.append(try .update(contract.value, expectedVersion: contract.version))
        }
        // each order fulfilled itself (the order, or each child) gets its fulfillment job, due now.
        for fulfilled in [order] + children where Self.isFulfilledItself(fulfilled) {
            writes.append(try fulfillmentJob(for: fulfilled, due: context.at))
        }
        if order.status == .queued, let due = order.header.fulfillBy {
            // the release on the execution date is a durable job, written with the order.
            writes.append(try ReleaseQueuedOrderJob.job(.init(order: order.id), due: due.startDate))
        }
        let versions = try await store.commit(writes, context: context)
        return Versioned(value: order, version: versions[0], createdAt: current.createdAt, updatedAt: context.at)
    }

    /// A convergent or bulk order's children as generated. A bulk row's customer
    /// is not on the parent's header: its information comes from its record, and the
    /// template's billing rows are defaulted afresh for it.
    func generatedChildren(of order: Order, drafts: [SubmissionPlan.Draft], ids: [String], catalog: CatalogIndex, day: Day) async throws -> [Order] {
        var children = try Order.children(of: order, drafts: drafts, ids: ids, catalog: catalog)
        for i in children.indices where children[i].captureType == .simple && children[i].header.customerInformation == nil {
            guard let customer = try await store.get(Customer.self, id: children[i].header.soldTo)?.value else { continue }
            let information = try await defaultInformation(for: customer, on: day)
            try children[i].setInformation(information)
            for line in children[i].lines where line.isNew { try children[i].setSite(information.site, ofLine: line.number) }
            _ = children[i].redefaultBilling(facts: try await billingFacts(for: children[i], day: day))
        }
        return children
    }
}
