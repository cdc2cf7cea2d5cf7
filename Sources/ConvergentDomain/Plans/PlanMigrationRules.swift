/// R-13.2, R-13.4: when a package plan migration may start, and which plans it may go to — every
/// reason that applies, each with its stable code, the rule and the remedy (R-16.3). Pure: the
/// engine gathers the facts, these decide.
public enum PlanMigrationRules {
    /// An order still open on the package's contract.
    public struct OpenOrder: Hashable, Sendable {
        public var id: String
        public var status: OrderStatus
        /// It moves the package (or something of its contract) to another customer (a CHOWN).
        public var changesOwnership: Bool
        public init(id: String, status: OrderStatus, changesOwnership: Bool) {
            self.id = id
            self.status = status
            self.changesOwnership = changesOwnership
        }

        /// `order` as it bears on `contract`: nil when finished; a change of ownership when a
        /// line on the contract belongs to another customer or a migration takes something of it
        /// to another customer.
        public init?(_ order: Order, contract: InstalledContract) {
            guard !order.status.isFinished else { return nil }
            let ownership = order.migrations.contains { m in
                m.migration.sourceContract == contract.id && m.migration.targetCustomer != m.migration.sourceCustomer
            } || order.lines.contains { $0.installedContract == contract.id && $0.customer != contract.customer }
            self.init(id: order.id, status: order.status, changesOwnership: ownership)
        }
    }

    /// What the blockers read.
    public struct Facts: Sendable {
        public var contract: InstalledContract
        public var instance: String
        public var customer: Customer?
        public var user: User
        /// Open plan migrations of the package (other than the one asking).
        public var openMigrations: [String]
        public var openOrders: [OpenOrder]

        public init(contract: InstalledContract, instance: String, customer: Customer?, user: User, openMigrations: [String] = [],
                    openOrders: [OpenOrder] = []) {
            self.contract = contract
            self.instance = instance
            self.customer = customer
            self.user = user
            self.openMigrations = openMigrations
            self.openOrders = openOrders
        }
    }

    /// Every code a plan migration or plan offer is refused with, besides eligibility's.
    public static let codes = ["package-not-active", "service-not-active", "package-in-migration",
                               "package-in-ownership-change", "package-in-upgrade", "awaiting-provisioning", "not-attributed-agent",
                               "same-plan", "other-service-type", "plan-not-on-sale", "plan-does-not-fit", "pool-refuses-migration",
                               "migration-action-private", "migration-action-inactive"]

    /// The plan an installed product of `product` is a package subscription of.
    public static func plan(of product: ProductID, in catalog: Catalog) -> PackagePlan? {
        catalog.plans.first { $0.product == product }
    }

    /// R-13.2: why a migration of the package cannot start — all that apply; empty: it can.
    public static func blockers(_ facts: Facts) -> [WhyNot] {
        guard let package = facts.contract.product(facts.instance)?.component else {
            return [WhyNot("not-a-package-subscription", "\(facts.instance) is not in installed contract \(facts.contract.id)",
                           remedy: "name an installed product of a plan")]
        }
        var found: [WhyNot] = []
        if package.status != .active {
            found.append(WhyNot("package-not-active", "the package subscription \(package.id) is \(package.status.rawValue), not active",
                                remedy: package.status == .suspended ? "resume it first" : "wait until it is active"))
        }
        for service in package.components.flatMap(\.all) where service.status != .active && service.status != .disconnected {
            if service.status == .inactive {
                // Pre-active, never activated: aborted first — disconnected by a service-management order.
                found.append(WhyNot("service-not-active", "service \(service.id) (\(service.product)) is pre-active (inactive)",
                                    remedy: "abort the pre-active service first: disconnect \(service.id) with a service-management order",
                                    action: "disconnect \(service.id)"))
            } else if service.status == .pendingActivation {
                // Being activated by an order in fulfillment: it finishes first.
                let order = facts.openOrders.first { $0.status == .inFulfillment }?.id ?? facts.contract.lastOrder
                found.append(WhyNot("service-not-active", "service \(service.id) (\(service.product)) is pre-active (pending activation)",
                                    remedy: "wait for\(order.map { " order \($0)" } ?? " its order") to activate it (retry or resume its provisioning if it is in jeopardy)",
                                    action: order.map { "open order \($0)" }))
            } else {
                found.append(WhyNot("service-not-active", "service \(service.id) (\(service.product)) is \(service.status.rawValue), not active",
                                    remedy: "resume the service, or wait for its change to finish"))
            }
        }
        for migration in facts.openMigrations {
            found.append(WhyNot("package-in-migration", "the package is already part of plan migration \(migration)",
                                remedy: "resume \(migration), or abort it first", action: "resume \(migration)"))
        }
        for order in facts.openOrders where order.changesOwnership {
            found.append(WhyNot("package-in-ownership-change", "the package is part of a change of ownership: order \(order.id) (\(order.status.rawValue))",
                                remedy: "finish or cancel order \(order.id) first", action: "open order \(order.id)"))
        }
        for order in facts.openOrders where !order.changesOwnership && order.status != .inFulfillment {
            found.append(WhyNot("package-in-upgrade", "the package's contract is being changed by order \(order.id) (\(order.status.rawValue))",
                                remedy: "submit or cancel order \(order.id) first", action: "open order \(order.id)"))
        }
        for order in facts.openOrders where order.status == .inFulfillment {
            found.append(WhyNot("awaiting-provisioning", "the service awaits an automated provisioning outcome: order \(order.id) is in fulfillment",
                                remedy: "wait for the provisioning systems to answer (or retry the order's provisioning)", action: "open order \(order.id)"))
        }
        if let agent = facts.customer?.attributedAgent, !facts.user.may(.actFor(agent)) {
            found.append(WhyNot("not-attributed-agent",
                                "\(facts.user.id) is not the agent attributed to the sale (\(agent)) and lacks the permission 'act-for:\(agent)'",
                                rule: Permission.actFor(agent).name,
                                remedy: "ask \(agent) to migrate, or ask an administrator to grant you 'act-for:\(agent)'"))
        }
        return found
    }

    /// R-13.4: whether `target` is offered to move a package of `from` (installed on
    /// `installedOn`, its parent a `parentProduct`) on `today`, and why not — the plan, its
    /// visibility, the pool row. The pool's decision only between two plans of one service type.
    public static func offer(_ target: PackagePlan, from: PackagePlan, installedOn: Day, parentProduct: ProductID?, catalog: CatalogIndex,
                             eligibility: EligibilityFacts, today: Day) -> (decision: PoolDecision?, reasons: [WhyNot]) {
        var reasons: [WhyNot] = []
        if target.id == from.id {
            reasons.append(WhyNot("same-plan", "the package is on \(target.id) already", remedy: "choose another plan"))
        }
        if target.serviceType != from.serviceType {
            reasons.append(WhyNot("other-service-type", "\(target.id) is a \(target.serviceType) plan; the package is \(from.serviceType)",
                                  remedy: "a migration stays within its service type; order the other service instead"))
        }
        reasons += visibility(of: target, under: parentProduct, catalog: catalog, eligibility: eligibility, today: today)
        guard target.serviceType == from.serviceType, target.id != from.id else { return (nil, reasons) }
        let pool = from.pool.flatMap { id in catalog.catalog.pools.first { $0.id == id } }
        let decision = PoolDecision.decide(from: from, to: target, pool: pool, installedOn: installedOn, today: today)
        if let refusal = decision.refusal { reasons.append(refusal) }
        return (decision, reasons)
    }

    /// R-1.5, R-13.4: why `plan` is not visible to a customer and user, wherever it would sit
    /// (`parent`: the product holding the package it would replace; nil: its first holder) — its
    /// and its product's eligibility rules, its product not on sale on `today`, or not holdable there.
    public static func visibility(of plan: PackagePlan, under parent: ProductID?, catalog: CatalogIndex, eligibility: EligibilityFacts,
                                  today: Day) -> [WhyNot] {
        var reasons = EligibilityCheck.decide(rules(of: plan, in: catalog.catalog), eligibility)
        let holder = parent ?? catalog.index[plan.product].flatMap { catalog.parents[$0].first }.map { catalog.products[$0].id }
        if let selling = sellingPeriod(of: plan.product, under: holder, catalog: catalog), !selling.contains(today) {
            let when = selling.start.map { today < $0 ? "from \($0)" : "" } ?? ""
            reasons.append(WhyNot("plan-not-on-sale", "\(plan.product) is not on sale on \(today)" + (when.isEmpty ? " (no longer sold)" : " (sold \(when))"),
                                  rule: plan.product.rawValue, remedy: when.isEmpty ? "choose a plan on sale" : "migrate \(when)"))
        }
        if let parent, let p = catalog.index[parent], let child = catalog.index[plan.product], catalog.membership(parent: p, child: child) == nil {
            reasons.append(WhyNot("plan-does-not-fit", "\(parent), which holds the package, cannot hold \(plan.product)", rule: parent.rawValue,
                                  remedy: "a plan migration replaces the package in place; order \(plan.product) where it fits instead"))
        }
        return reasons
    }

    /// The eligibility rules of a plan and of its product, each once.
    public static func rules(of plan: PackagePlan, in catalog: Catalog) -> [EligibilityRule] {
        var names: [String] = []
        for name in (plan.eligibleWhen ?? []) + (catalog.product(plan.product)?.eligibleWhen ?? []) where !names.contains(name) { names.append(name) }
        return CatalogIntegrity.rules(names, in: catalog)
    }

    /// The selling period of `product` where it would sit: its membership under `parent`, else its own.
    static func sellingPeriod(of product: ProductID, under parent: ProductID?, catalog: CatalogIndex) -> Period? {
        if let parent, let p = catalog.index[parent], let c = catalog.index[product], let m = catalog.membership(parent: p, child: c), let period = m.period {
            return period
        }
        return catalog.catalog.product(product)?.sellingPeriod
    }
}
