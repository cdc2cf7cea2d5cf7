import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Hummingbird

/// Configuration sessions in the console: the configuration of an order's
/// contracts as trees, with each element's selling status, installed status and rule messages;
/// add, add instance, remove, attributes, relies-on links; placement questions answered by
/// choosing a place; an element's rules and the migrations offered for it, applied and
/// reversed; save, submit, cancel.
extension Console {
    func registerSessions(on router: Router<AppRequestContext>) {
        router.post("/orders/:id/sessions") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, Empty.self, refused: { agent, problem in try await order(id, agent, problem: ProblemView(problem)) }) { agent, _ in
                let (view, _) = try await engine.orders.openSession(order: id, today: engine.today, context: engine.context(agent.user.id, reason: "session opened"))
                return "/sessions/\(Self.pathComponent(try Wire.Session(view).session.id))"
            }
        }
        router.get("/sessions/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in try await session(id, agent, question: nil, problem: nil) }
        }
        router.get("/sessions/:id/instances/:instance") { request, context in
            let id = context.parameters.get("id") ?? "", key = context.parameters.get("instance") ?? ""
            return await page(request) { agent in try await instance(key, in: id, agent, problem: nil) }
        }
        router.post("/sessions/:id/operations") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await operation(request, session: id)
        }
        registerSessionBilling(on: router)
        registerSessionCommitmentChange(on: router)
        router.post("/sessions/:id/save") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, Empty.self, refused: { agent, problem in try await session(id, agent, question: nil, problem: ProblemView(problem)) }) { agent, _ in
                let order = try Wire.Order(OrderDetail(try await engine.orders.finishSession(id, submit: false, today: engine.today,
                                                                                              context: engine.context(agent.user.id, reason: "session saved"))))
                return "/orders/\(Self.pathComponent(order.id))"
            }
        }
        router.post("/sessions/:id/submit") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, Empty.self, refused: { agent, problem in try await session(id, agent, question: nil, problem: ProblemView(problem)) }) { agent, _ in
                let order = try Wire.Order(OrderDetail(try await engine.orders.finishSession(id, submit: true, today: engine.today,
                                                                                              context: engine.context(agent.user.id, reason: "session submitted"))))
                return "/orders/\(Self.pathComponent(order.id))"
            }
        }
        router.post("/sessions/:id/cancel") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, Empty.self, refused: { agent, problem in try await session(id, agent, question: nil, problem: ProblemView(problem)) }) { agent, _ in
                let cancelled = try Wire.ConfigurationSession(try await engine.orders.cancelSession(id, context: engine.context(agent.user.id, reason: "session cancelled")))
                return "/orders/\(Self.pathComponent(cancelled.orderID))"
            }
        }
    }

    /// One operation of a session's form: `op` names it; the other fields are what it needs.
    struct OperationForm: Decodable, Sendable {
        var version: Int?
        var op: String
        var product: String?
        var contract: String?
        var parent: String?
        var instance: String?
        var name: String?
        var value: String?
        var from: String?
        var to: String?
        var action: String?
        /// A placement question's answer: the product placed and the instance chosen.
        var placementProduct: String?
        var placement: String?
        /// Where a migrated component goes: an instance of the session, or a new contract of this product for a customer.
        var newContractProduct: String?
        var newContractCustomer: String?
        var migration: String?
        /// The page to show after (an element's page, or the session).
        var back: String?
    }

    func operation(_ request: Request, session id: String) async -> Response {
        await action(request, OperationForm.self, refused: { agent, problem in try await session(id, agent, question: nil, problem: ProblemView(problem)) },
                     answer: { agent, error in
                         guard let asked = error as? PlacementAsked else { return nil }
                         return try await session(id, agent, question: asked.question, problem: nil)
                     }) { agent, form in
            let operation = try Self.operation(form)
            let view = try Wire.Session(try await engine.orders.apply([operation], toSession: id, expectedVersion: form.version, today: engine.today,
                                                                     user: agent.user, context: engine.context(agent.user.id)))
            if let question = view.outcome?.question {
                throw PlacementAsked(question: QuestionView(question, form: form))
            }
            return form.back.map(Self.safeNext) ?? "/sessions/\(Self.pathComponent(id))"
        }
    }

    /// Not a refusal: the operation needs a place chosen; the session page asks (nothing changed).
    struct PlacementAsked: Error {
        var question: QuestionView
    }

    /// The form's operation, read as the API reads one (`Wire.Operation`): the same members
    /// needed, the same refusals.
    static func operation(_ form: OperationForm) throws -> ConfigurationOperation {
        func text(_ value: String?) -> String? { value.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }
        guard let op = Wire.Operation.OpPayload(rawValue: form.op) else {
            throw Problem(.unprocessableContent, "invalid-value", "op '\(form.op)' is not an operation", field: "op")
        }
        let placements = text(form.placementProduct).flatMap { product in text(form.placement).map { [product: $0] } }
        let newContract = text(form.newContractProduct).map { Wire.Operation.NewContractPayload(product: $0, customer: text(form.newContractCustomer) ?? "") }
        let wire = Wire.Operation(op: op, product: text(form.product), contract: text(form.contract), parent: newContract == nil ? text(form.parent) : nil,
                                  instance: text(form.instance), name: text(form.name), value: op == .setAttribute ? form.value ?? "" : text(form.value),
                                  from: text(form.from), to: text(form.to),
                                  placements: placements.map { Wire.Operation.PlacementsPayload(additionalProperties: $0) },
                                  action: text(form.action), newContract: newContract, migration: text(form.migration))
        return try wire.operation(field: "")
    }

    func session(_ id: String, _ agent: Agent, question: QuestionView?, problem: ProblemView?) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let view = try Wire.Session(try await engine.orders.session(id, today: engine.today))
        return render("session", SessionPage(view, layout: Layout(title: "Configuration \(id)", agent: agent), question: question, problem: problem),
                      status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    func instance(_ instance: String, in session: String, _ agent: Agent, problem: ProblemView?) async throws -> Response {
        let user = try Self.require(agent, .manageCustomers)
        let found = try await engine.orders.instance(instance, inSession: session, today: engine.today, user: user)
        let detail = try Wire.InstanceDetail(found)
        let opened = try await engine.orders.session(session, today: engine.today)
        let view = try Wire.Session(opened)
        let customers = Array(Set(view.contracts.map(\.customer))).sorted()
        let e = detail.element
        var page = InstancePage(
            layout: Layout(title: "\(e.product) · \(instance)", agent: agent), session: session, version: view.version, instance: instance,
            product: e.product, contract: e.contract, customer: e.customer, selling: e.selling.status.rawValue, installedStatus: e.installedStatus?.rawValue,
            attributes: e.attributes.additionalProperties.sorted { $0.key < $1.key }.map { Option(value: $0.value, label: $0.key, selected: false) },
            errors: e.errors.map(MessageView.init), warnings: e.warnings.map(MessageView.init),
            rules: detail.rules.map { RuleView(id: $0.id, kind: $0.kind, severity: $0.severity.rawValue, message: $0.message, active: $0.active) },
            links: detail.links.map { "\($0.from) relies on \($0.to) (\($0.rule))" }, linkTargets: detail.linkTargets,
            migrations: (detail.migrations ?? []).map { m in
                let places = (m.inSession ?? []).map { Option(value: $0.parent, label: "\($0.parentProduct) \($0.parent) in \($0.contract) (\($0.customer))", selected: false) }
                return PossibleMigrationView(action: m.action, name: m.name, kind: m.kind.rawValue, target: m.target, places: places,
                                             newContracts: m.newContracts ?? [], hasPlaces: !places.isEmpty, hasNewContracts: !(m.newContracts ?? []).isEmpty)
            },
            customers: customers.map { Option(value: $0, label: $0, selected: false) }, problem: problem)
        if let commitments = detail.commitments {
            page.commitmentTriggers = commitments.triggers.isEmpty ? nil : commitments.triggers.joined(separator: ", ")
            page.commitmentCoveredBy = commitments.coveredBy.isEmpty ? nil : commitments.coveredBy.joined(separator: ", ")
            page.commitmentRows = commitments.contracts.map(CommitmentRow.init)
            // the active ones whose change belongs in this session can change in this order.
            let changeable = Set((found.commitments?.contracts ?? []).map(\.value).filter { $0.status == .active && opened.session.holds($0) }.map(\.id))
            page.commitmentForms = commitments.contracts.filter { changeable.contains($0.id) }
                .map { c in
                    CommitmentFormView(c, change: view.session.commitmentChanges?.first { $0.commitment == c.id },
                                       coverable: found.commitments?.coverable[c.id] ?? [])
                }
        }
        if let billing = detail.billing {
            // the accounts the order's rows may name, and the new accounts marked (in the session too).
            var options = try await engine.orders.billingOptions(forOrder: view.session.orderID, today: engine.today)
            options.newAccounts = try billing.newAccounts.map { NewBillingAccount(id: $0.id, customer: $0.customer, contact: $0.contact, type: try sameCase($0._type)) }
            let choices = Self.accountOptions(options)
            page.billing = billing.rows.map { BillingRowView($0, component: nil, choices: choices) }
            page.billingNote = billing.own ? "its own rows" : "inherited from the contract or a parent"
            page.billingSelectable = billing.selectable
        }
        return render("instance", page, status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    struct CommitmentChangeForm: Decodable, Sendable {
        var version: Int?
        var commitment: String?
        var endsOn: String?
        var remove: [String: String]?
        var add: [String: String]?
        var reason: String?
        var withdraw: String?
    }

    /// an installed commitment changed in the session, from its instance's page
    /// (`withdraw`: the session's change of it taken back).
    func registerSessionCommitmentChange(on router: Router<AppRequestContext>) {
        router.post("/sessions/:id/instances/:instance/commitment-change") { request, context in
            let id = context.parameters.get("id") ?? "", key = context.parameters.get("instance") ?? ""
            return await action(request, CommitmentChangeForm.self, refused: { agent, problem in try await instance(key, in: id, agent, problem: ProblemView(problem)) }) { agent, form in
                let reason = (form.reason ?? "").trimmingCharacters(in: .whitespaces)
                var change = CommitmentChange(commitment: form.commitment ?? "", reason: reason)
                if form.withdraw != "true" {
                    if let text = form.endsOn, !text.isEmpty {
                        guard let day = Day(text) else { throw CommitmentError(.invalidTerm, "'\(text)' is not a date (yyyy-mm-dd)", field: "endsOn") }
                        change.endsOn = day
                    }
                    let removed = (form.remove ?? [:]).values.filter { !$0.isEmpty }.sorted()
                    change.remove = removed.isEmpty ? nil : removed
                    let added = (form.add ?? [:]).values.filter { !$0.isEmpty }.sorted()
                    change.add = added.isEmpty ? nil : added
                    if change.isEmpty { throw CommitmentError(.nothingToChange, "choose a new end date, or products to cover or uncover", field: "endsOn") }
                }
                _ = try await engine.orders.changeCommitment(change, inSession: id, expectedVersion: form.version, today: engine.today,
                                                             context: engine.context(agent.user.id, reason: reason.isEmpty ? nil : reason))
                return "/sessions/\(Self.pathComponent(id))/instances/\(Self.pathComponent(key))"
            }
        }
    }

    /// the billing rows of a session's instance, as the line page's form sends them.
    func registerSessionBilling(on router: Router<AppRequestContext>) {
        router.post("/sessions/:id/instances/:instance/billing") { request, context in
            let id = context.parameters.get("id") ?? "", key = context.parameters.get("instance") ?? ""
            return await action(request, BillingForm.self, refused: { agent, problem in try await instance(key, in: id, agent, problem: ProblemView(problem)) }) { agent, form in
                let choices = try Self.billingChoices(form.rows)
                _ = try await engine.orders.changeBilling(.rows(component: key, choices: choices, confirmed: form.confirm == "true"), inSession: id,
                                                          expectedVersion: form.version, today: engine.today, context: engine.context(agent.user.id))
                return "/sessions/\(Self.pathComponent(id))/instances/\(Self.pathComponent(key))"
            }
        }
    }
}

extension QuestionView {
    init(_ q: Wire.PlacementQuestion, form: Console.OperationForm) {
        product = q.product
        rule = q.rule
        message = q.message
        candidates = q.candidates.enumerated().map { index, c in
            CandidateView(instance: c.instance, product: c.product, via: c.via.isEmpty ? nil : c.via.joined(separator: " › "), first: index == 0)
        }
        op = form.op
        opProduct = form.product
        opContract = form.contract
        opParent = form.parent
        opInstance = form.instance
    }
}
