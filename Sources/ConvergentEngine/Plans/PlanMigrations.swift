import ConvergentDomain
import ConvergentStore
import Foundation

/// package plan migrations (Emersion). A migration is started on a package subscription
/// (an installed product of a plan), takes its target plan, shows the pool's fee or discount,
/// is confirmed into a convergent change order, and completes when fulfillment has moved the
/// package to the new plan. Each step is saved; an open one resumes where it stopped.
public struct PlanMigrations: Sendable {
    let store: any ConvergentStore
    let catalogs: CatalogLibrary
    let parties: PartyDirectory
    let orders: OrderBook

    /// A package subscription with its plan and where it sits.
    public struct Package: Sendable {
        public var contract: Versioned<InstalledContract>
        public var component: InstalledProduct
        public var parentProduct: ProductID?
        public var plan: PackagePlan
        public var customer: Customer?
    }

    /// One plan as offered (or not) to move a package to.
    public struct PlanOffer: Sendable {
        public var plan: PackagePlan
        public var offered: Bool
        public var decision: PoolDecision?
        public var reasons: [WhyNot]
    }

    /// a package's blockers and every plan of the catalog with whether it is offered and why not.
    public struct Options: Sendable {
        public var package: Package
        public var blockers: [WhyNot]
        public var plans: [PlanOffer]
    }

    // MARK: Reading

    public func package(_ instance: String, today: Day) async throws -> Package {
        let contractID = String(instance.prefix { $0 != "." })
        guard let contract = try await store.get(InstalledContract.self, id: contractID), let found = contract.value.product(instance) else {
            throw EngineError(.notFound, "no installed product '\(instance)'", field: "instance")
        }
        let catalog = try await catalogs.active(on: today).catalog
        guard let plan = PlanMigrationRules.plan(of: found.component.product, in: catalog) else {
            throw PlanMigrationError(.notAPackage, "\(instance) is \(found.component.product), which is no plan of catalog \(catalog.header.version)", field: "instance")
        }
        let parent = found.parent.flatMap { contract.value.product($0)?.component.product }
        let customer = try await store.get(Customer.self, id: contract.value.customer)?.value
        return Package(contract: contract, component: found.component, parentProduct: parent, plan: plan, customer: customer)
    }

    /// The facts the blockers read for `package`, for `user`; `excluding` a migration asking about itself.
    func facts(_ package: Package, user: User, excluding: String? = nil) async throws -> PlanMigrationRules.Facts {
        let open = package.component.openPlanMigration.map { [$0] } ?? []
        // The open migration's own order is that migration, not another change.
        var own: Set<String> = []
        for id in open { if let order = try await store.get(PlanMigration.self, id: id)?.value.order { own.insert(order) } }
        var orders: [PlanMigrationRules.OpenOrder] = []
        // The orders on the contract still open (the index row carries each order's status: finished ones are not read).
        let rows = try await store.everyIndexRow(.orderContracts, where: "contract", in: [package.contract.value.id])
            .filter { $0["order_status"].flatMap(OrderStatus.init(rawValue:))?.isFinished != true }
        for orderID in Set(rows.compactMap { $0["order_id"] }).subtracting(own).sorted() {
            guard let order = try await store.get(Order.self, id: orderID)?.value,
                  let open = PlanMigrationRules.OpenOrder(order, contract: package.contract.value) else { continue }
            orders.append(open)
        }
        return PlanMigrationRules.Facts(contract: package.contract.value, instance: package.component.id, customer: package.customer, user: user,
                                        openMigrations: open.filter { $0 != excluding }, openOrders: orders)
    }

    /// what blocks migrating `instance`, and every plan with whether it is offered
    /// and why not — the same decisions `start` and `choose` make.
    public func options(_ instance: String, user: User, today: Day, excluding: String? = nil) async throws -> Options {
        let package = try await package(instance, today: today)
        let blockers = PlanMigrationRules.blockers(try await facts(package, user: user, excluding: excluding))
        let catalog = await catalogs.index(of: try await catalogs.active(on: today))
        let eligibility = EligibilityFacts(customer: package.customer, user: user)
        let offers = catalog.catalog.plans.map { plan in
            let (decision, reasons) = PlanMigrationRules.offer(plan, from: package.plan, installedOn: package.component.installedOn ?? package.contract.value.installedOn ?? today,
                                                               parentProduct: package.parentProduct, catalog: catalog, eligibility: eligibility, today: today)
            return PlanOffer(plan: plan, offered: reasons.isEmpty, decision: decision, reasons: reasons)
        }
        return Options(package: package, blockers: blockers, plans: offers)
    }

    public func migration(_ id: String) async throws -> Versioned<PlanMigration> {
        guard let found = try await store.get(PlanMigration.self, id: id) else { throw EngineError(.notFound, "no plan migration '\(id)'", field: "id") }
        return found
    }

    /// every migration (of a customer, at a step), by id, paged.
    public func migrations(customer: String?, step: PlanMigration.Step?, after cursor: String?, limit: Int) async throws
        -> (items: [Versioned<PlanMigration>], nextCursor: String?) {
        var filter: [String: String] = [:]
        if let customer { filter["customer"] = customer }
        if let step { filter["step"] = step.rawValue }
        return try await store.page(PlanMigration.self, where: filter, after: cursor, limit: limit)
    }

    // MARK: Steps

    /// Step 1: started on a package nothing blocks (R-13.2: otherwise refused with every reason).
    /// The package records the migration in the same transaction, so two agents starting one at
    /// the same moment get one migration and one refusal.
    public func start(_ instance: String, user: User, today: Day, context: ChangeContext) async throws -> Versioned<PlanMigration> {
        let package = try await package(instance, today: today)
        let blockers = PlanMigrationRules.blockers(try await facts(package, user: user))
        guard blockers.isEmpty else {
            throw NotAllowed(.planMigrationBlocked, "a migration of \(instance) cannot start", field: "instance", reasons: blockers)
        }
        let contract = package.contract
        let make = { @Sendable (number: Int) in
            PlanMigration(id: PlanMigration.id(number: number), customer: contract.value.customer, contract: contract.value.id, instance: instance,
                          serviceType: package.plan.serviceType, fromPlan: package.plan.id, startedBy: user.id,
                          actingFor: package.customer?.attributedAgent, startedOn: today)
        }
        let (number, versions) = try await store.commit(numbering: "plan-migration", context: context) { number in
            let made = make(number)
            return [try .insert(made), try .update(contract.value.markingPlanMigration(instance, made.id), expectedVersion: contract.version)]
        }
        let made = make(number)
        return Versioned(value: made, version: versions[0], createdAt: context.at, updatedAt: context.at)
    }

    /// Step 2: the target plan — offered (R-13.4: otherwise refused with every reason) — and what
    /// the pool decides for it, shown before confirmation.
    public func choose(_ id: String, plan planID: String, user: User, today: Day, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<PlanMigration> {
        let stored = try await editable(id, user: user, expectedVersion: expectedVersion)
        let options = try await options(stored.value.instance, user: user, today: today, excluding: id)
        guard let offer = options.plans.first(where: { $0.plan.id == planID }) else {
            throw EngineError(.invalidRequest, "no plan '\(planID)' in the active catalog", field: "plan")
        }
        guard offer.offered, let decision = offer.decision else {
            throw NotAllowed(.planNotOffered, "\(planID) is not offered for \(stored.value.instance)", field: "plan", reasons: offer.reasons)
        }
        var migration = stored.value
        try migration.choose(offer.plan, decision: decision, on: today)
        return try await store.update(migration, expectedVersion: stored.version, createdAt: stored.createdAt, context: context)
    }

    /// the break-out fee waived — with `waive-fees` (403 naming it otherwise) — with who and why.
    public func waive(_ id: String, reason: String, user: User, today: Day, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<PlanMigration> {
        guard user.may(.waiveFees) else { throw EngineError.missing(.waiveFees, user: user, field: "reason") }
        let stored = try await editable(id, user: user, expectedVersion: expectedVersion)
        var migration = stored.value
        try migration.waive(by: user.id, reason: reason, on: today)
        return try await store.update(migration, expectedVersion: stored.version, createdAt: stored.createdAt, context: context)
    }

    /// Step 3: confirmed — the blockers judged again — into a convergent change order whose session
    /// moves the package to the target plan's product, submitted for fulfillment. The order is
    /// named on the migration as soon as it exists; refused, it is cancelled and the migration
    /// stays at its review, saying why.
    public func confirm(_ id: String, user: User, today: Day, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<PlanMigration> {
        var stored = try await editable(id, user: user, expectedVersion: expectedVersion)
        guard stored.value.step == .reviewFee, let toPlan = stored.value.toPlan else {
            throw PlanMigrationError(.notAtStep, "\(id) is \(stored.value.step.rawValue); choose the target plan and review the fee first", field: "step")
        }
        let options = try await options(stored.value.instance, user: user, today: today, excluding: id)
        guard options.blockers.isEmpty else {
            throw NotAllowed(.planMigrationBlocked, "\(id) cannot be confirmed", field: "step", reasons: options.blockers)
        }
        guard let offer = options.plans.first(where: { $0.plan.id == toPlan }), offer.offered, let decision = offer.decision else {
            throw NotAllowed(.planNotOffered, "\(toPlan) is no longer offered for \(stored.value.instance)", field: "plan",
                             reasons: options.plans.first { $0.plan.id == toPlan }?.reasons ?? [])
        }
        if decision != stored.value.decision {
            // The pool decides otherwise today (the term ended, the catalog changed): shown again before confirming.
            var migration = stored.value
            try migration.choose(offer.plan, decision: decision, on: today)
            _ = try await store.update(migration, expectedVersion: stored.version, createdAt: stored.createdAt, context: context)
            throw PlanMigrationError(.notAtStep, "the pool's decision changed since it was shown (now \(decision.migration.rawValue), \(decision.state.rawValue)); review it and confirm again", field: "step")
        }
        let package = options.package
        let order = try await orders.create(.convergent, header: OrderHeader(soldTo: package.contract.value.customer), on: today, context: context)
        var migration = stored.value
        do {
            try migration.confirm(order: order.value.id, on: today)
            stored = try await store.update(migration, expectedVersion: stored.version, createdAt: stored.createdAt, context: context)
            _ = try await orders.addLine(toOrder: order.value.id, product: nil, installedContract: package.contract.value.id, action: .change, owner: nil,
                                         reason: nil, expectedVersion: nil, today: today, context: context)
            let session = try await orders.openSession(order: order.value.id, today: today, context: context).view.session
            let parent = try await parentKey(of: package)
            let view = try await orders.apply([.migrate(instance: package.component.id, action: "\(MigrationAction.planMigration):\(offer.plan.product)",
                                                        destination: .parent(parent))],
                                              toSession: session.id, expectedVersion: nil, today: today, user: user, context: context)
            guard view.outcome?.question == nil, view.status != .invalid else {
                _ = try? await orders.cancelSession(session.id, context: context)
                let errors = (view.report.contractMessages + view.report.elements.flatMap(\.errors)).filter { $0.severity == .error }.map(\.message)
                throw PlanMigrationError(.invalid, "the package's contract refuses \(offer.plan.product): " + (errors.isEmpty ? "a placement is asked" : errors.joined(separator: "; ")),
                                         field: "plan")
            }
            _ = try await orders.finishSession(session.id, submit: true, today: today, context: context)
            // the break-out fee (unless waived) or the discount, a one-time charge on the change line.
            if let charge = migration.charge {
                _ = try await orders.addAdjustment(toOrder: order.value.id, line: 1, type: .oneTime, amount: charge.amount, currency: charge.currency,
                                                   reason: charge.reason, expectedVersion: nil, context: context)
            }
            _ = try await orders.submit(order.value.id, expectedVersion: nil, today: today, context: context)
            return try await self.migration(id)
        } catch {
            // Only this confirmation's own record: another agent's confirmation that won stays as it is.
            if let current = try? await self.migration(id), current.value.step == .fulfilling, current.value.order == order.value.id {
                _ = try? await takeBack(current, because: "confirmation refused: \(error)", context: context)
            } else {
                _ = try? await orders.cancel(order.value.id, expectedVersion: nil, context: context)
            }
            throw error
        }
    }

    /// A confirmation that did not get its order submitted, taken back: the order cancelled, the
    /// migration at its review again, saying why (the agent confirms again).
    func takeBack(_ current: Versioned<PlanMigration>, because why: String, context: ChangeContext) async throws -> Versioned<PlanMigration> {
        if let order = current.value.order { _ = try? await orders.cancel(order, expectedVersion: nil, context: context) }
        var back = current.value
        back.takeBack(because: why, on: Day(context.at))
        return try await store.update(back, expectedVersion: current.version, createdAt: current.createdAt, context: context)
    }

    /// Aborted while it is the agent's (not yet confirmed); the package is free again.
    public func abort(_ id: String, reason: String?, user: User, today: Day, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<PlanMigration> {
        let stored = try await editable(id, user: user, expectedVersion: expectedVersion)
        var migration = stored.value
        try migration.abort(because: reason.map { "aborted by \(user.id): \($0)" } ?? "aborted by \(user.id)", on: today)
        return try await ended(migration, version: stored.version, context: context)
    }

    /// read on the way: a migration whose order was cancelled after confirmation has
    /// failed (the package free again); one whose order is still a draft minutes after its
    /// confirmation was cut short (the process stopped before submitting it) and is taken back to
    /// its review, to be confirmed again.
    public func settled(_ id: String, context: ChangeContext) async throws -> Versioned<PlanMigration> {
        let stored = try await migration(id)
        guard stored.value.step == .fulfilling, let orderID = stored.value.order, let order = try await store.get(Order.self, id: orderID)?.value else {
            return stored
        }
        if stored.value.isCutShort(orderStatus: order.status, lastWritten: stored.updatedAt, now: context.at) {
            return try await takeBack(stored, because: "confirmation cut short before order \(orderID) was submitted; confirm again", context: context)
        }
        guard order.status == .cancelled else { return stored }
        var failed = stored.value
        failed.finish(completed: false, on: Day(context.at), because: "order \(orderID) was cancelled")
        return try await ended(failed, version: stored.version, context: context)
    }

    /// A migration that ended without moving the package (aborted, failed), written with the package
    /// free again, in one transaction.
    func ended(_ migration: PlanMigration, version: Int, context: ChangeContext) async throws -> Versioned<PlanMigration> {
        var writes: [Write] = [try .update(migration, expectedVersion: version)]
        if let contract = try await store.get(InstalledContract.self, id: migration.contract) {
            writes.append(try .update(contract.value.markingPlanMigration(migration.instance, nil), expectedVersion: contract.version))
        }
        _ = try await store.commit(writes, context: context)
        return try await self.migration(migration.id)
    }

    /// whether a product, plan or migration action is visible to `customer` for
    /// `user`, and every reason it is not — the eligibility rules; for a plan also its product on
    /// sale and, given the package it would replace (`instance`), the pool row and the blockers.
    public struct Answer: Sendable {
        public var subject: String
        public var visible: Bool { reasons.isEmpty }
        public var decision: PoolDecision?
        public var reasons: [WhyNot]
    }

    public enum Subject: Sendable {
        case product(ProductID), plan(String), action(String)
    }

    public func whyNot(_ subject: Subject, customer customerID: String, instance: String?, user: User, today: Day) async throws -> Answer {
        let customer = try await parties.customer(customerID).value
        let stored = try await catalogs.active(on: today)
        let catalog = stored.catalog
        let facts = EligibilityFacts(customer: customer, user: user)
        switch subject {
        case let .product(id):
            guard let product = catalog.product(id) else { throw EngineError(.notFound, "no product '\(id)' in the active catalog", field: "product") }
            return Answer(subject: "product:\(id)", reasons: EligibilityCheck.decide(CatalogIntegrity.rules(product.eligibleWhen, in: catalog), facts))
        case let .action(id):
            guard let action = catalog.migrations.first(where: { $0.id == id }) else {
                throw EngineError(.notFound, "no migration action '\(id)' in the active catalog", field: "action")
            }
            let reasons = action.whyNot(facts, in: catalog, on: today)
            return Answer(subject: "action:\(id)", reasons: reasons)
        case let .plan(id):
            guard let plan = catalog.plans.first(where: { $0.id == id }) else { throw EngineError(.notFound, "no plan '\(id)' in the active catalog", field: "plan") }
            if let instance {
                let options = try await options(instance, user: user, today: today)
                guard options.package.contract.value.customer == customerID else {
                    throw EngineError(.invalidRequest, "\(instance) belongs to \(options.package.contract.value.customer), not \(customerID)", field: "instance")
                }
                let offer = options.plans.first { $0.plan.id == id }!
                return Answer(subject: "plan:\(id)", decision: offer.decision, reasons: offer.reasons + options.blockers)
            }
            let index = await catalogs.index(of: stored)
            let reasons = PlanMigrationRules.visibility(of: plan, under: nil, catalog: index, eligibility: facts, today: today)
            return Answer(subject: "plan:\(id)", reasons: reasons)
        }
    }

    // MARK: Helpers

    /// A migration the user may work on — only users who may act for the agent attributed to the
    /// sale — at the version read, if given.
    func editable(_ id: String, user: User, expectedVersion: Int?) async throws -> Versioned<PlanMigration> {
        let stored = try await migration(id)
        if let expectedVersion, expectedVersion != stored.version {
            throw StoreError(.conflict, "plan migration \(id) is at version \(stored.version), not \(expectedVersion)")
        }
        if let agent = stored.value.actingFor, !user.may(.actFor(agent)) {
            throw EngineError.missing(.actFor(agent), user: user, field: "id")
        }
        return stored
    }

    /// The session key of the package's parent (installed instances keep their ids as keys).
    func parentKey(of package: Package) async throws -> String {
        guard let parent = package.contract.value.product(package.component.id)?.parent else {
            throw PlanMigrationError(.notAPackage, "\(package.component.id) is a contract; a plan is a product within one", field: "instance")
        }
        return parent
    }
}

extension Engine {
    public var planMigrations: PlanMigrations { PlanMigrations(store: store, catalogs: catalogs, parties: parties, orders: orders) }
}
