import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

// MARK: Plans, pools, eligibility and plan migrations

extension Wire.WhyNot {
    init(_ r: WhyNot) { self.init(code: r.code, message: r.message, rule: r.rule, remedy: r.remedy, action: r.action) }
}

extension Wire.PoolAmount {
    init(_ m: PoolAmount) { self.init(amount: m.amount.wire, currency: m.currency) }
}

extension Wire.PoolDecision {
    init(_ d: PoolDecision) {
        self.init(migration: .init(rawValue: d.migration.rawValue)!, state: .init(rawValue: d.state.rawValue)!, allowed: d.allowed,
                  fee: d.fee.map(Wire.PoolAmount.init), discount: d.discount.map(Wire.PoolAmount.init), rule: d.rule, termEnds: d.termEnds?.description)
    }
}

extension Wire.PackagePlan {
    init(_ p: PackagePlan) {
        self.init(id: p.id, name: p.name, serviceType: p.serviceType, rank: p.rank, product: p.product.rawValue, pool: p.pool, eligibleWhen: p.eligibleWhen)
    }
}

extension Wire.CatalogPlans {
    init(_ catalog: Catalog) {
        self.init(plans: catalog.plans.map(Wire.PackagePlan.init),
                  pools: catalog.pools.map { pool in
                      Wire.PackagePool(id: pool.id, name: pool.name, termMonths: pool.termMonths, rows: pool.rows.map { r in
                          .init(migration: r.migration.rawValue, state: r.state.rawValue, allowed: r.allowed, fee: r.fee.map(Wire.PoolAmount.init),
                                discount: r.discount.map(Wire.PoolAmount.init))
                      })
                  },
                  eligibilityRules: catalog.eligibilityRules.map { r in
                      Wire.EligibilityRule(id: r.id, name: r.name, customerKinds: r.customerKinds, segments: r.segments, countries: r.countries,
                                           attributes: r.attributes.map { .init(additionalProperties: $0) }, roles: r.roles, permission: r.permission,
                                           remedy: r.remedy)
                  })
    }
}

extension Wire.PlanOptions {
    init(_ o: PlanMigrations.Options) {
        self.init(instance: o.package.component.id, contract: o.package.contract.value.id, customer: o.package.contract.value.customer,
                  plan: .init(o.package.plan), status: o.package.component.status.rawValue, openPlanMigration: o.package.component.openPlanMigration,
                  blockers: o.blockers.map(Wire.WhyNot.init),
                  plans: o.plans.map { .init(plan: .init($0.plan), offered: $0.offered, decision: $0.decision.map(Wire.PoolDecision.init), reasons: $0.reasons.map(Wire.WhyNot.init)) })
    }
}

extension Wire.EligibilityAnswer {
    init(_ a: PlanMigrations.Answer) {
        self.init(subject: a.subject, visible: a.visible, decision: a.decision.map(Wire.PoolDecision.init), reasons: a.reasons.map(Wire.WhyNot.init))
    }
}

extension Wire.PlanMigration {
    init(_ stored: Versioned<PlanMigration>) {
        let m = stored.value
        self.init(id: m.id, customer: m.customer, contract: m.contract, instance: m.instance, serviceType: m.serviceType, fromPlan: m.fromPlan,
                  toPlan: m.toPlan, step: .init(rawValue: m.step.rawValue)!, open: m.step.isOpen, decision: m.decision.map(Wire.PoolDecision.init),
                  waiver: m.waiver.map { .init(by: $0.by, reason: $0.reason, on: $0.on.description) }, feeCharged: m.feeCharged.map(Wire.PoolAmount.init),
                  order: m.order, startedBy: m.startedBy, actingFor: m.actingFor, startedOn: m.startedOn.description, outcome: m.outcome,
                  history: m.history.map { .init(step: $0.status.rawValue, on: $0.on.description, reason: $0.reason) }, version: stored.version)
    }
}
