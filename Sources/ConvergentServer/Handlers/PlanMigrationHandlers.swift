import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes

/// plans and pools, eligibility answers and package plan migrations.
extension API {
    func listCatalogPlans(_ input: Operations.ListCatalogPlans.Input) async throws -> Operations.ListCatalogPlans.Output {
        _ = try require(.readCatalog)
        return .ok(.init(body: .json(Wire.CatalogPlans(try await engine.catalogs.active(on: engine.today).catalog))))
    }

    func checkEligibility(_ input: Operations.CheckEligibility.Input) async throws -> Operations.CheckEligibility.Output {
        let user = try require(.manageCustomers)
        let q = input.query
        let given: [(String, PlanMigrations.Subject)] = [q.product.map { ("product", .product(ProductID($0))) }, q.plan.map { ("plan", .plan($0)) },
                                                         q.action.map { ("action", .action($0)) }].compactMap { $0 }
        guard given.count == 1, let subject = given.first?.1 else {
            throw Problem(.unprocessableContent, "invalid-parameter", "give one of product, plan or action", field: given.isEmpty ? "product" : given[1].0)
        }
        if q.instance != nil, q.plan == nil {
            throw Problem(.unprocessableContent, "invalid-parameter", "instance is the package a plan would replace; give plan with it", field: "instance")
        }
        let answer = try await engine.planMigrations.whyNot(subject, customer: q.customer, instance: q.instance, user: user, today: engine.today)
        return .ok(.init(body: .json(Wire.EligibilityAnswer(answer))))
    }

    func getPlanOptions(_ input: Operations.GetPlanOptions.Input) async throws -> Operations.GetPlanOptions.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(Wire.PlanOptions(try await engine.planMigrations.options(input.path.id, user: user, today: engine.today)))))
    }

    func listPlanMigrations(_ input: Operations.ListPlanMigrations.Input) async throws -> Operations.ListPlanMigrations.Output {
        _ = try require(.manageCustomers)
        let step = input.query.step.map { PlanMigration.Step(rawValue: $0.rawValue)! }
        let page = try await engine.planMigrations.migrations(customer: input.query.customer, step: step, after: input.query.cursor,
                                                              limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(Wire.PlanMigrationPage(items: page.items.map(Wire.PlanMigration.init), nextCursor: page.nextCursor))))
    }

    func startPlanMigration(_ input: Operations.StartPlanMigration.Input) async throws -> Operations.StartPlanMigration.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let made = try await engine.planMigrations.start(body.instance, user: user, today: engine.today, context: engine.context(user.id))
        return .created(.init(body: .json(Wire.PlanMigration(made))))
    }

    func getPlanMigration(_ input: Operations.GetPlanMigration.Input) async throws -> Operations.GetPlanMigration.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(Wire.PlanMigration(try await engine.planMigrations.settled(input.path.id, context: engine.context(user.id))))))
    }

    func choosePlanMigrationTarget(_ input: Operations.ChoosePlanMigrationTarget.Input) async throws -> Operations.ChoosePlanMigrationTarget.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let changed = try await engine.planMigrations.choose(input.path.id, plan: body.plan, user: user, today: engine.today,
                                                             expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))
        return .ok(.init(body: .json(Wire.PlanMigration(changed))))
    }

    func waivePlanMigrationFee(_ input: Operations.WaivePlanMigrationFee.Input) async throws -> Operations.WaivePlanMigrationFee.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let changed = try await engine.planMigrations.waive(input.path.id, reason: body.reason, user: user, today: engine.today,
                                                            expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))
        return .ok(.init(body: .json(Wire.PlanMigration(changed))))
    }

    func confirmPlanMigration(_ input: Operations.ConfirmPlanMigration.Input) async throws -> Operations.ConfirmPlanMigration.Output {
        let user = try require(.manageCustomers)
        let changed = try await engine.planMigrations.confirm(input.path.id, user: user, today: engine.today,
                                                              expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))
        return .ok(.init(body: .json(Wire.PlanMigration(changed))))
    }

    func abortPlanMigration(_ input: Operations.AbortPlanMigration.Input) async throws -> Operations.AbortPlanMigration.Output {
        let user = try require(.manageCustomers)
        let reason = input.body.flatMap { body in switch body { case let .json(body): body.reason } }
        let changed = try await engine.planMigrations.abort(input.path.id, reason: reason, user: user, today: engine.today,
                                                            expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))
        return .ok(.init(body: .json(Wire.PlanMigration(changed))))
    }
}
