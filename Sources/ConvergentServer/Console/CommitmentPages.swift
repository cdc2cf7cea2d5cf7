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
    /// Only an active commitment can still be broken: the preview is offered for it alone.
    var breakable: Bool

    init(_ c: Wire.CommitmentContract, preview: Wire.Penalty?, on: String, layout: Layout) {
        self.layout = layout
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
                  link: ($0.active ? "active" : "inactive") + ($0.endedOn.map { ", ended \($0)" } ?? ""))
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

extension Console {
    func registerCommitments(on router: Router<AppRequestContext>) {
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
                _ = try Self.require(agent, .manageCustomers)
                let contract = try Wire.CommitmentContract(try await engine.commitments.contract(id))
                let on = try dayParameter(Self.text(request.formQuery.get("on")), "on")
                var preview: Wire.Penalty?
                if let on { preview = try Wire.Penalty(try await engine.commitments.penalty(of: id, endingOn: on).penalty) }
                return render("commitment", CommitmentPage(contract, preview: preview, on: (on ?? engine.today).description,
                                                           layout: Layout(title: "Commitment \(id)", agent: agent)))
            }
        }
    }
}
