import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Hummingbird

// Commitment contracts: a customer's, one with what it covers and its history, and
// what ending a covered product on a day would cost, asked before the agent acts.

/// One commitment contract in a list.
struct CommitmentRow: Sendable {
    var id: String
    var product: String
    var status: String
    var startsOn: String
    var endsOn: String
    var penalty: String?

    init(_ c: Wire.CommitmentContract) {
        id = c.id
        product = c.product
        status = c.status.rawValue
        startsOn = c.startsOn
        endsOn = c.endsOn
        penalty = c.penalty.map { CommitmentPage.penaltyText($0) }
    }
}

struct CommitmentsPage: Sendable {
    var layout: Layout
    var customer: String
    var statuses: [Option]
    var commitmentRows: [CommitmentRow]
    var next: String?
}

struct CommitmentPage: Sendable {
    struct Cover: Sendable {
        var installedProduct: String
        var product: String
        var link: String
        /// it may be uncovered (active, and not the product that triggered the commitment).
        var removable: Bool
    }

    var layout: Layout
    var id: String
    var customer: String
    var product: String
    var status: String
    var terms: String
    var order: String
    var line: Int
    var period: String
    var trialEndsOn: String?
    var monthlyFee: String
    var penalty: String?
    var brokenBy: String?
    var covers: [Cover]
    var history: [String]
    /// the preview asked for, the day it was asked for.
    var on: String
    var preview: String?
    /// Only an active commitment can still be broken or changed: the preview and the forms are offered for it alone.
    var breakable: Bool
    var version: Int
    var endsOn: String
    var problem: ProblemView?

    init(_ c: Wire.CommitmentContract, preview: Wire.Penalty?, on: String, layout: Layout, problem: ProblemView? = nil) {
        self.layout = layout
        self.problem = problem
        version = c.version
        endsOn = c.endsOn
        id = c.id
        customer = c.customer
        product = c.product
        status = c.status.rawValue
        let t = c.terms
        terms = "\(t.duration) \(t.unit.rawValue), penalty " + [t.penaltyRule.rawValue, t.penaltyAmount.map { OrderPage.money($0, t.penaltyCurrency ?? "") },
                                                            t.penaltyPercentage.map { "\($0) %" }].compactMap { $0 }.joined(separator: " ")
        order = c.order
        line = c.line
        period = "\(c.startsOn) to \(c.endsOn)"
        trialEndsOn = c.trialEndsOn
        monthlyFee = OrderPage.money(c.monthlyFee, c.currency ?? "")
        penalty = c.penalty.map(Self.penaltyText)
        brokenBy = c.brokenBy
        covers = c.covers.map {
            Cover(installedProduct: $0.installedProduct, product: $0.product,
                  link: ($0.active ? "active" : "inactive") + ($0.endedOn.map { ", ended \($0)" } ?? "") + ($0.leaving == true ? ", migrating" : ""),
                  removable: c.status == .active && $0.active && $0.installedProduct != c.triggeredBy)
        }
        history = c.history.map { "\($0.on) \($0.status.rawValue) — \($0.reason)" }
        self.on = on
        self.preview = preview.map(Self.penaltyText)
        breakable = c.status == .active
    }

    static func penaltyText(_ p: Wire.Penalty) -> String {
        if p.insideTrial { return "nothing: \(p.on) is inside the trial period" }
        return OrderPage.money(p.amount, p.currency ?? "") + " on \(p.on) (\(p.rule.rawValue), \(p.remainingMonths) month(s) left)"
    }
}

/// a service agreement, with what it covers and its history.
struct AgreementPage: Sendable {
    var layout: Layout
    var id: String
    var customer: String
    var product: String
    var type: String
    var status: String
    var order: String
    var line: Int
    var period: String
    var covers: [CommitmentPage.Cover]
    var history: [String]

    init(_ a: Wire.ServiceAgreement, layout: Layout) {
        self.layout = layout
        id = a.id
        customer = a.customer
        product = a.product
        type = a._type
        status = a.status.rawValue
        order = a.order
        line = a.line
        period = "from \(a.startsOn)" + (a.endedOn.map { " to \($0)" } ?? "")
        covers = a.covers.map {
            CommitmentPage.Cover(installedProduct: $0.installedProduct, product: $0.product,
                                 link: ($0.active ? "covered" : "no longer covered") + ($0.endedOn.map { " since \($0)" } ?? ""), removable: false)
        }
        history = a.history.map { "\($0.on) \($0.status.rawValue) — \($0.reason)" }
    }
}

/// One service agreement in a list.
struct AgreementRow: Sendable {
    var id: String
    var product: String
    var type: String
    var status: String
    var covers: String

    init(_ a: Wire.ServiceAgreement) {
        id = a.id
        product = a.product
        type = a._type
        status = a.status.rawValue
        covers = a.covers.filter(\.active).map(\.installedProduct).joined(separator: ", ")
    }
}

extension Console {
    func registerCommitments(on router: Router<AppRequestContext>) {
        router.get("/service-agreements/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                _ = try Self.require(agent, .manageCustomers)
                let agreement = try Wire.ServiceAgreement(try await engine.agreements.agreement(id))
                return render("agreement", AgreementPage(agreement, layout: Layout(title: "Service agreement \(id)", agent: agent)))
            }
        }
        router.get("/customers/:id/commitments") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                _ = try Self.require(agent, .manageCustomers)
                _ = try await engine.parties.customer(id)
                let query = request.formQuery
                let status = try Self.text(query.get("status")).map { try Self.choice(CommitmentStatus.self, $0, "status") }
                let found = try await engine.commitments.contracts(of: id, status: status, after: query.get("cursor"), limit: 25)
                return render("commitments", CommitmentsPage(
                    layout: Layout(title: "Commitments of \(id)", agent: agent), customer: id,
                    statuses: Option.list(CommitmentStatus.allCases.map(\.rawValue), selected: status?.rawValue, any: "any status"),
                    commitmentRows: try found.items.map { CommitmentRow(try Wire.CommitmentContract($0)) },
                    next: found.nextCursor.map { "/customers/\(Self.pathComponent(id))/commitments?" + Self.query(["status": status?.rawValue, "cursor": $0]) }))
            }
        }
        router.get("/commitment-contracts/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                try await commitment(id, agent, on: try dayParameter(Self.text(request.formQuery.get("on")), "on"), problem: nil)
            }
        }
        // shorten or extend; change what it covers. Refused: the page again, with the refusal.
        commitmentAction(router, "term", TermForm.self) { agent, id, form in
            _ = try await engine.commitments.changeTerm(id, endsOn: try dayParameter(form.endsOn, "endsOn") ?? engine.today, reason: form.reason ?? "",
                                                        expectedVersion: form.version, today: engine.today, context: engine.context(agent.user.id, reason: form.reason))
        }
        commitmentAction(router, "coverage", CoverageForm.self) { agent, id, form in
            let catalog = try await engine.catalogs.index(of: try await engine.catalogs.active(on: engine.today))
            _ = try await engine.commitments.changeCoverage(id, adding: Self.text(form.add).map { [$0] } ?? [], removing: Self.text(form.remove).map { [$0] } ?? [],
                                                            reason: form.reason ?? "", expectedVersion: form.version, today: engine.today, catalog: catalog,
                                                            context: engine.context(agent.user.id, reason: form.reason))
        }
    }

    struct TermForm: Decodable, Sendable {
        var version: Int?
        var endsOn: String
        var reason: String?
    }

    struct CoverageForm: Decodable, Sendable {
        var version: Int?
        var add: String?
        var remove: String?
        var reason: String?
    }

    func commitmentAction<Form: Decodable & Sendable>(_ router: Router<AppRequestContext>, _ path: String, _ form: Form.Type,
                                                      _ act: @escaping @Sendable (Agent, String, Form) async throws -> Void) {
        router.post(RouterPath("/commitment-contracts/:id/" + path)) { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, form, refused: { agent, problem in try await commitment(id, agent, on: nil, problem: ProblemView(problem)) }) { agent, fields in
                try await act(agent, id, fields)
                return "/commitment-contracts/\(Self.pathComponent(id))"
            }
        }
    }

    func commitment(_ id: String, _ agent: Agent, on: Day?, problem: ProblemView?) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let contract = try Wire.CommitmentContract(try await engine.commitments.contract(id))
        var preview: Wire.Penalty?
        if let on { preview = try Wire.Penalty(try await engine.commitments.penalty(of: id, endingOn: on).penalty) }
        return render("commitment", CommitmentPage(contract, preview: preview, on: (on ?? engine.today).description,
                                                   layout: Layout(title: "Commitment \(id)", agent: agent), problem: problem),
                      status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }
}
