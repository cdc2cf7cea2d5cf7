import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import Hummingbird

// R-13 in the console: a package subscription's plans (offered or why not, with the pool's fee or
// discount) and what blocks migrating it; the migration step by step — target, fee (waived with
// the permission), confirm, abort — and the list of every migration, each resumed at its step.

/// One reason, as the console shows it (R-16.3).
struct ReasonView: Sendable {
    var code: String
    var message: String
    var remedy: String
    var rule: String?
    var action: String?

    init(_ r: WhyNot) {
        code = r.code
        message = r.message
        remedy = r.remedy
        rule = r.rule
        action = r.action
    }
}

struct PlanOptionsPage: Sendable {
    struct Row: Sendable {
        var plan: String
        var name: String
        var serviceType: String
        var rank: Int
        var offered: Bool
        var decision: String?
        var reasons: [ReasonView]
    }

    var layout: Layout
    var instance: String
    var contract: String
    var customer: String
    var plan: String
    var status: String
    var openMigration: String?
    var blockers: [ReasonView]
    var mayStart: Bool
    var rows: [Row]
    var problem: ProblemView?
}

struct PlanMigrationPage: Sendable {
    struct Target: Sendable {
        var plan: String
        var name: String
        var decision: String
    }

    var layout: Layout
    var id: String
    var customer: String
    var instance: String
    var fromPlan: String
    var toPlan: String?
    var step: String
    var version: Int
    var choosing: Bool
    var reviewing: Bool
    var abortable: Bool
    var targets: [Target]
    var decision: String?
    var feeCharged: String?
    var waiver: String?
    var mayWaive: Bool
    var order: String?
    var actingFor: String?
    var outcome: String?
    var history: [String]
    var problem: ProblemView?
}

struct PlanMigrationsPage: Sendable {
    struct Row: Sendable {
        var id: String
        var customer: String
        var instance: String
        var plans: String
        var step: String
        var open: Bool
        var startedOn: String
    }

    var layout: Layout
    var steps: [Option]
    var customer: String
    var rows: [Row]
    var next: String?
}

/// R-1.5, R-1.12: the active catalog's plans, pools and eligibility rules.
struct CatalogPlansPage: Sendable {
    struct Plan: Sendable {
        var id: String
        var name: String
        var serviceType: String
        var rank: Int
        var product: String
        var pool: String
        var eligibleWhen: String
    }

    struct Pool: Sendable {
        var id: String
        var name: String
        var term: String
        var rows: [String]
    }

    struct Rule: Sendable {
        var id: String
        var name: String
        var conditions: String
        var remedy: String
    }

    var layout: Layout
    var catalogVersion: String
    var plans: [Plan]
    var pools: [Pool]
    var rules: [Rule]

    init(_ catalog: Catalog, layout: Layout) {
        self.layout = layout
        catalogVersion = catalog.header.version
        plans = catalog.plans.map {
            Plan(id: $0.id, name: $0.name, serviceType: $0.serviceType, rank: $0.rank, product: $0.product.rawValue, pool: $0.pool ?? "none",
                 eligibleWhen: ($0.eligibleWhen ?? []).joined(separator: ", "))
        }
        pools = catalog.pools.map { pool in
            Pool(id: pool.id, name: pool.name, term: "\(pool.termMonths) months", rows: pool.rows.map { r in
                "\(r.migration.rawValue), \(r.state.rawValue): " + (!r.allowed ? "not allowed"
                    : r.fee.map { "fee \($0.amount) \($0.currency)" } ?? r.discount.map { "discount \($0.amount) \($0.currency)" } ?? "free")
            })
        }
        rules = catalog.eligibilityRules.map { r in
            let conditions = [r.customerKinds.map { "customer kind \($0.joined(separator: " or "))" }, r.segments.map { "segment \($0.joined(separator: " or "))" },
                              r.countries.map { "country \($0.joined(separator: " or "))" }]
                + (r.attributes ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.joined(separator: " or "))" }
                + [r.roles.map { "role \($0.joined(separator: " or "))" }, r.permission.map { "permission \($0)" }]
            return Rule(id: r.id, name: r.name, conditions: conditions.compactMap { $0 }.joined(separator: "; "), remedy: r.remedy ?? "")
        }
    }
}

extension Console {
    func registerPlanMigrations(on router: Router<AppRequestContext>) {
        router.get("/catalog/plans") { request, _ in
            await page(request) { agent in
                _ = try Self.require(agent, .readCatalog)
                let catalog = try await engine.catalogs.active(on: engine.today).catalog
                return render("catalog-plans", CatalogPlansPage(catalog, layout: Layout(title: "Plans, pools and eligibility rules", agent: agent)))
            }
        }
        router.get("/installed-products/:id/plans") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in try await planOptions(id, agent, problem: nil) }
        }
        router.post("/installed-products/:id/plans/migrate") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, EmptyForm.self, refused: { agent, problem in try await planOptions(id, agent, problem: ProblemView(problem)) }) { agent, _ in
                let made = try await engine.planMigrations.start(id, user: agent.user, today: engine.today, context: engine.context(agent.user.id))
                return "/plan-migrations/\(Self.pathComponent(made.value.id))"
            }
        }
        router.get("/plan-migrations") { request, _ in
            await page(request) { agent in
                _ = try Self.require(agent, .manageCustomers)
                let query = request.formQuery
                let step = try Self.text(query.get("step")).map { try Self.choice(PlanMigration.Step.self, $0, "step") }
                let customer = Self.text(query.get("customer"))
                let found = try await engine.planMigrations.migrations(customer: customer, step: step, after: query.get("cursor"), limit: 25)
                let rows = found.items.map(\.value).map {
                    PlanMigrationsPage.Row(id: $0.id, customer: $0.customer, instance: $0.instance, plans: $0.fromPlan + ($0.toPlan.map { " → \($0)" } ?? ""),
                                           step: $0.step.rawValue, open: $0.step.isOpen, startedOn: $0.startedOn.description)
                }
                return render("plan-migrations", PlanMigrationsPage(
                    layout: Layout(title: "Plan migrations", agent: agent),
                    steps: Option.list(PlanMigration.Step.allCases.map(\.rawValue), selected: step?.rawValue, any: "any step"), customer: customer ?? "",
                    rows: rows, next: found.nextCursor.map { "/plan-migrations?" + Self.query(["step": step?.rawValue, "customer": customer, "cursor": $0]) }))
            }
        }
        router.get("/plan-migrations/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in try await planMigration(id, agent, problem: nil) }
        }
        planMigrationAction(router, "target", TargetForm.self) { agent, id, form in
            _ = try await engine.planMigrations.choose(id, plan: form.plan, user: agent.user, today: engine.today, expectedVersion: form.version,
                                                       context: engine.context(agent.user.id))
        }
        planMigrationAction(router, "waiver", ReasonForm.self) { agent, id, form in
            _ = try await engine.planMigrations.waive(id, reason: form.reason ?? "", user: agent.user, today: engine.today, expectedVersion: form.version,
                                                      context: engine.context(agent.user.id, reason: form.reason))
        }
        planMigrationAction(router, "confirm", ReasonForm.self) { agent, id, form in
            _ = try await engine.planMigrations.confirm(id, user: agent.user, today: engine.today, expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        planMigrationAction(router, "abort", ReasonForm.self) { agent, id, form in
            _ = try await engine.planMigrations.abort(id, reason: Self.text(form.reason), user: agent.user, today: engine.today, expectedVersion: form.version,
                                                      context: engine.context(agent.user.id, reason: form.reason))
        }
    }

    struct EmptyForm: Decodable, Sendable {}

    struct TargetForm: Decodable, Sendable {
        var version: Int?
        var plan: String
    }

    struct ReasonForm: Decodable, Sendable {
        var version: Int?
        var reason: String?
    }

    func planMigrationAction<Form: Decodable & Sendable>(_ router: Router<AppRequestContext>, _ path: String, _ form: Form.Type,
                                                         _ act: @escaping @Sendable (Agent, String, Form) async throws -> Void) {
        router.post(RouterPath("/plan-migrations/:id/" + path)) { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, form, refused: { agent, problem in try await planMigration(id, agent, problem: ProblemView(problem)) }) { agent, fields in
                try await act(agent, id, fields)
                return "/plan-migrations/\(Self.pathComponent(id))"
            }
        }
    }

    func planOptions(_ id: String, _ agent: Agent, problem: ProblemView?) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let options = try await engine.planMigrations.options(id, user: agent.user, today: engine.today)
        let rows = options.plans.filter { $0.plan.serviceType == options.package.plan.serviceType }.map {
            PlanOptionsPage.Row(plan: $0.plan.id, name: $0.plan.name, serviceType: $0.plan.serviceType, rank: $0.plan.rank, offered: $0.offered,
                                decision: $0.decision?.text, reasons: $0.reasons.map(ReasonView.init))
        }
        return render("plan-options", PlanOptionsPage(
            layout: Layout(title: "Plans for \(id)", agent: agent), instance: id, contract: options.package.contract.value.id,
            customer: options.package.contract.value.customer, plan: "\(options.package.plan.name) (\(options.package.plan.id), rank \(options.package.plan.rank))",
            status: options.package.component.status.rawValue, openMigration: options.package.component.openPlanMigration,
            blockers: options.blockers.map(ReasonView.init), mayStart: options.blockers.isEmpty, rows: rows, problem: problem),
            status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    func planMigration(_ id: String, _ agent: Agent, problem: ProblemView?) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let stored = try await engine.planMigrations.settled(id, context: engine.context(agent.user.id))
        let m = stored.value
        var targets: [PlanMigrationPage.Target] = []
        if m.step.isTheAgents {
            let options = try await engine.planMigrations.options(m.instance, user: agent.user, today: engine.today, excluding: id)
            targets = options.plans.filter(\.offered).map { .init(plan: $0.plan.id, name: $0.plan.name, decision: $0.decision?.text ?? "") }
        }
        return render("plan-migration", PlanMigrationPage(
            layout: Layout(title: "Plan migration \(id)", agent: agent), id: id, customer: m.customer, instance: m.instance, fromPlan: m.fromPlan,
            toPlan: m.toPlan, step: m.step.rawValue, version: stored.version, choosing: m.step.isTheAgents, reviewing: m.step == .reviewFee,
            abortable: m.step.isTheAgents, targets: targets, decision: m.decision?.text,
            feeCharged: m.feeCharged.map { "\($0.amount) \($0.currency)" },
            waiver: m.waiver.map { "waived by \($0.by) on \($0.on): \($0.reason)" },
            mayWaive: m.step == .reviewFee && m.feeCharged != nil && agent.user.may(.waiveFees),
            order: m.order, actingFor: m.actingFor, outcome: m.outcome,
            history: m.history.map { "\($0.on) \($0.status.rawValue) — \($0.reason)" }, problem: problem),
            status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }
}
