import Foundation

/// R-1.12: how a change between two plans of one service type is classified, by their ranks.
public enum PlanChange: String, Hashable, Sendable, Codable, CaseIterable {
    case upgrade, crossgrade, downgrade

    /// From a plan of rank `from` to one of rank `to`: higher is an upgrade, equal a cross-grade.
    public static func between(_ from: Int, _ to: Int) -> PlanChange {
        to > from ? .upgrade : to == from ? .crossgrade : .downgrade
    }
}

/// Whether a package subscription is still within its pool's contract term.
public enum ContractState: String, Hashable, Sendable, Codable, CaseIterable {
    case inContract, outOfContract
}

/// R-1.12 (Emersion): a package plan — a product sold as a plan of a service type, ranked within
/// it. A customer's installed instance of the product is its package subscription.
public struct PackagePlan: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var serviceType: String
    /// Higher is more: an upgrade goes up the ranks (unique within a service type).
    public var rank: Int
    /// The product a package subscription of this plan is an installed instance of.
    public var product: ProductID
    /// The pool whose rows decide the break-out fee or discount of leaving this plan.
    public var pool: String?
    /// R-1.5: the eligibility rules that must all hold for the plan to be offered.
    public var eligibleWhen: [String]?
    public var origin: SourceRef?

    public init(id: String, name: String, serviceType: String, rank: Int, product: ProductID, pool: String? = nil,
                eligibleWhen: [String]? = nil, origin: SourceRef? = nil) {
        self.id = id
        self.name = name
        self.serviceType = serviceType
        self.rank = rank
        self.product = product
        self.pool = pool
        self.eligibleWhen = eligibleWhen
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey { case id, name, serviceType, rank, product, pool, eligibleWhen }
}

/// An amount of money a pool row charges or gives.
public struct PoolAmount: Hashable, Sendable, Codable {
    public var amount: Decimal
    public var currency: String
    public init(amount: Decimal, currency: String) {
        self.amount = amount
        self.currency = currency
    }
}

/// R-1.12: a package pool — the contract's terms: how long the contract runs and, per migration
/// type and contract state, whether the migration is allowed and the break-out fee or discount.
/// A migration type and state without a row: allowed free out of contract, not allowed in contract.
public struct PackagePool: Hashable, Sendable, Codable, Identifiable {
    public struct Row: Hashable, Sendable, Codable {
        public var migration: PlanChange
        public var state: ContractState
        public var allowed: Bool
        public var fee: PoolAmount?
        public var discount: PoolAmount?
        public var origin: SourceRef?

        public init(migration: PlanChange, state: ContractState, allowed: Bool = true, fee: PoolAmount? = nil, discount: PoolAmount? = nil,
                    origin: SourceRef? = nil) {
            self.migration = migration
            self.state = state
            self.allowed = allowed
            self.fee = fee
            self.discount = discount
            self.origin = origin
        }

        enum CodingKeys: String, CodingKey { case migration, state, allowed, fee, discount }
    }

    public var id: String
    public var name: String
    /// The contract term in months, counted from the day the package subscription was installed.
    public var termMonths: Int
    public var rows: [Row]
    public var origin: SourceRef?

    public init(id: String, name: String, termMonths: Int, rows: [Row], origin: SourceRef? = nil) {
        self.id = id
        self.name = name
        self.termMonths = termMonths
        self.rows = rows
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey { case id, name, termMonths, rows }

    /// In contract until the term has run from `installedOn`.
    public func state(installedOn: Day, today: Day) -> ContractState {
        today < installedOn.adding(months: termMonths) ? .inContract : .outOfContract
    }

    /// The row that decides a migration, if the pool has one.
    public func row(_ migration: PlanChange, _ state: ContractState) -> Row? {
        rows.first { $0.migration == migration && $0.state == state }
    }
}

/// R-13.1: what the pool decides for one migration: its type, the contract state, whether it is
/// allowed, and the fee or discount — the same answer the preview shows and the migration records.
public struct PoolDecision: Hashable, Sendable, Codable {
    public var migration: PlanChange
    public var state: ContractState
    public var allowed: Bool
    public var fee: PoolAmount?
    public var discount: PoolAmount?
    /// The pool row that decided (`POOL-24M[downgrade/inContract]`), nil when no row applied.
    public var rule: String?
    /// The day the contract term ends.
    public var termEnds: Day?

    /// R-13.1: the decision of `pool` (nil: no pool, every migration free) for a subscription of
    /// `from`, installed on `installedOn`, moving to `to` on `today`.
    public static func decide(from: PackagePlan, to: PackagePlan, pool: PackagePool?, installedOn: Day, today: Day) -> PoolDecision {
        let migration = PlanChange.between(from.rank, to.rank)
        guard let pool else { return PoolDecision(migration: migration, state: .outOfContract, allowed: true) }
        let state = pool.state(installedOn: installedOn, today: today)
        let ends = installedOn.adding(months: pool.termMonths)
        guard let row = pool.row(migration, state) else {
            return PoolDecision(migration: migration, state: state, allowed: state == .outOfContract, termEnds: ends)
        }
        return PoolDecision(migration: migration, state: state, allowed: row.allowed, fee: row.fee, discount: row.discount,
                            rule: "\(pool.id)[\(migration.rawValue)/\(state.rawValue)]", termEnds: ends)
    }

    /// In words, as the console and the CLI show it: "downgrade, in contract (term ends
    /// 2028-02-02): break-out fee 120 EUR".
    public var text: String {
        let state = self.state == .inContract ? "in contract" + (termEnds.map { " (term ends \($0))" } ?? "") : "out of contract"
        let money = fee.map { "break-out fee \($0.amount) \($0.currency)" } ?? discount.map { "discount \($0.amount) \($0.currency)" } ?? "no fee"
        return "\(migration.rawValue), \(state): \(allowed ? money : "not allowed")"
    }

    /// R-13.2: the blocker when the pool allows no such migration in contract.
    public var refusal: WhyNot? {
        guard !allowed else { return nil }
        return WhyNot("pool-refuses-migration",
                      "the customer is under contract\(termEnds.map { " until \($0)" } ?? "") and the pool allows no \(migration.rawValue) in contract",
                      rule: rule, remedy: "choose a plan the pool allows in contract, or migrate once the term has ended\(termEnds.map { " (\($0))" } ?? "")")
    }
}

extension CatalogIntegrity {
    /// R-1.12: plan and pool ids unique; every plan names a product and pool of this catalog;
    /// ranks unique per service type; pool terms positive; every row names a migration type and a
    /// contract state once, fees and discounts are money (not negative, a currency) and not both.
    static func planProblems(in catalog: Catalog, byID: [ProductID: Product]) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        var pools: Set<String> = []
        for pool in catalog.pools {
            let path = "pools[\(pool.id)]"
            if !pools.insert(pool.id).inserted {
                problems.append(.init(.duplicateID, "pool id '\(pool.id)' is used more than once", path: path, at: pool.origin, field: "id"))
            }
            if pool.termMonths < 1 {
                problems.append(.init(.invalidValue, "pool '\(pool.id)': the term is at least one month", path: path, at: pool.origin, field: "termMonths"))
            }
            var seen: Set<String> = []
            for (i, row) in pool.rows.enumerated() {
                let rowPath = "\(path).rows[\(i)]"
                if !seen.insert("\(row.migration.rawValue)/\(row.state.rawValue)").inserted {
                    problems.append(.init(.duplicateID, "pool '\(pool.id)' has two rows for \(row.migration.rawValue) \(row.state.rawValue)",
                                          path: rowPath, at: row.origin ?? pool.origin, field: "migration"))
                }
                if row.fee != nil, row.discount != nil {
                    problems.append(.init(.invalidPrice, "a pool row gives a fee or a discount, not both", path: rowPath, at: row.origin ?? pool.origin, field: "discount"))
                }
                if !row.allowed, row.fee != nil || row.discount != nil {
                    problems.append(.init(.invalidPrice, "a row that allows no migration charges nothing", path: rowPath, at: row.origin ?? pool.origin, field: "fee"))
                }
                for (field, money) in [("fee", row.fee), ("discount", row.discount)] {
                    guard let money else { continue }
                    if money.amount < 0 {
                        problems.append(.init(.invalidPrice, "the \(field) is not negative", path: rowPath, at: row.origin ?? pool.origin, field: field))
                    }
                    if money.currency.count != 3 || !money.currency.allSatisfy({ $0.isUppercase && $0.isASCII }) {
                        problems.append(.init(.invalidPrice, "the \(field)'s currency '\(money.currency)' is not a three-letter code", path: rowPath,
                                              at: row.origin ?? pool.origin, field: field))
                    }
                }
            }
        }
        var plans: Set<String> = [], ranks: [String: String] = [:], products: [ProductID: String] = [:]
        for plan in catalog.plans {
            let path = "plans[\(plan.id)]"
            if !plans.insert(plan.id).inserted {
                problems.append(.init(.duplicateID, "plan id '\(plan.id)' is used more than once", path: path, at: plan.origin, field: "id"))
            }
            if let other = ranks.updateValue(plan.id, forKey: "\(plan.serviceType)#\(plan.rank)"), other != plan.id {
                problems.append(.init(.duplicateID, "plans '\(other)' and '\(plan.id)' share rank \(plan.rank) in service type \(plan.serviceType)",
                                      path: path, at: plan.origin, field: "rank"))
            }
            if byID[plan.product] == nil {
                problems.append(.init(.unknownReference, "plan '\(plan.id)' names product '\(plan.product)', which is not in this catalog",
                                      path: path, at: plan.origin, field: "product"))
            } else if let other = products.updateValue(plan.id, forKey: plan.product), other != plan.id {
                problems.append(.init(.duplicateID, "plans '\(other)' and '\(plan.id)' are both product \(plan.product)", path: path, at: plan.origin, field: "product"))
            }
            if let pool = plan.pool, !pools.contains(pool) {
                problems.append(.init(.unknownReference, "plan '\(plan.id)' names pool '\(pool)', which is not in this catalog", path: path, at: plan.origin, field: "pool"))
            }
        }
        return problems
    }
}
