import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Hummingbird

// An installed contract as a tree, now or as it was at the end of a past day (R-7.6, from the
// history), and the background jobs for whoever watches the work queue.

struct InstalledContractPage: Sendable {
    var layout: Layout
    var contract: ContractView
    var customer: String
    var asOf: String
}

struct JobsPage: Sendable {
    struct Row: Sendable {
        var job: String
        var kind: String
        var subject: String
        var due: String
        var status: String
        var attempts: Int
        var outcome: String?
    }

    var layout: Layout
    var statuses: [Option]
    var rows: [Row]
    var next: String?
}

extension Console {
    func registerInstalled(on router: Router<AppRequestContext>) {
        router.get("/installed-contracts/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                _ = try Self.require(agent, .manageCustomers)
                let day = try dayParameter(Self.text(request.formQuery.get("asOf")), "asOf")
                let contract: Wire.InstalledContract
                if let day {
                    contract = try Wire.InstalledContract(try await engine.installedBase.contract(id, asOf: day))
                } else {
                    contract = try Wire.InstalledContract(try await engine.installedBase.contract(id, field: "id"))
                }
                return render("installed-contract", InstalledContractPage(
                    layout: Layout(title: "Installed contract \(id)" + (day.map { " as of \($0)" } ?? ""), agent: agent),
                    contract: ContractView(contract), customer: contract.customer, asOf: day?.description ?? ""))
            }
        }
        router.get("/jobs") { request, _ in
            await page(request) { agent in
                _ = try Self.require(agent, .manageCustomers)
                let query = request.formQuery
                let status = try Self.text(query.get("status")).map { try Self.choice(JobStatus.self, $0, "status") }
                let limit = 25
                let found = try await engine.jobs(status: status, kind: nil, after: query.get("cursor"), limit: limit + 1)
                let rows = found.prefix(limit).map(Wire.Job.init).map {
                    JobsPage.Row(job: $0.id, kind: $0.kind, subject: $0.subject ?? "", due: ISO8601DateFormatter().string(from: $0.dueAt),
                                 status: $0.status.rawValue, attempts: $0.attempts, outcome: $0.outcome)
                }
                let next = found.count > limit ? rows.last.map { "/jobs?" + Self.query(["status": status?.rawValue, "cursor": $0.job]) } : nil
                return render("jobs", JobsPage(layout: Layout(title: "Background jobs", agent: agent),
                                               statuses: Option.list(JobStatus.allCases.map(\.rawValue), selected: status?.rawValue, any: "any status"),
                                               rows: rows, next: next))
            }
        }
    }
}
