import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("R-9, R-10.4 commitments through the API: from the order line to the daily run")
struct CommitmentAPITests {
    static let start = Day("2026-11-22")!.startDate.addingTimeInterval(36_000)

    /// Disconnects an installed contract with a service-management order and fulfils it.
    func disconnect(_ contract: String, order number: Int, _ client: some TestClientProtocol, app: TestApp, clock: FixedClock) async throws {
        let id = String(format: "SM%06d", number)
        _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
        _ = try await client.call(.post, "/api/v1/orders/\(id)/lines", json: #"{"installedContract": "\#(contract)", "action": "disconnect"}"#)
        #expect(try await client.call(.post, "/api/v1/orders/\(id)/submit").json["status"] as? String == "submitted")
        try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
    }

    @Test("R-9.1, R-9.2, R-7.6, R-3.9: Fibre 500 brings its 24-month commitment as a line of its own; fulfillment makes an active commitment contract covering fibre and TV, which the covered products, the 360 view and the customer's list show", arguments: TestBackend.available)
    func fromLineToContract(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            try await submitHomeOrder(client, number: 1)
            let order = try await client.call(.get, "/api/v1/orders/COM000001").json
            let lines = order["lines"] as? [[String: Any]] ?? []
            #expect(lines.compactMap { $0["product"] as? String } == ["HOME-CONTRACT", "COMMIT-24M"])
            let commitment = try #require(lines.last?["commitment"] as? [String: Any])
            #expect(commitment["commits"] as? Int == 1)
            #expect((commitment["covers"] as? [String])?.count == 2)
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/lines/2/remove").code != nil)

            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            #expect(try await client.call(.get, "/api/v1/orders/COM000001").json["status"] as? String == "completed")
            let contract = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json
            #expect(contract["status"] as? String == "active")
            #expect(contract["customer"] as? String == "CUST-JANE")
            #expect(contract["product"] as? String == "COMMIT-24M")
            #expect(contract["startsOn"] as? String == "2026-11-22")
            #expect(contract["endsOn"] as? String == "2028-11-22")
            #expect((contract["terms"] as? [String: Any])?["penaltyRule"] as? String == "reducing")
            let covers = contract["covers"] as? [[String: Any]] ?? []
            #expect(Set(covers.compactMap { $0["product"] as? String }) == ["FIBER-500", "TV-BASIC-PACK"])
            #expect(covers.allSatisfy { $0["active"] as? Bool == true && $0["installedContract"] as? String == "IC-COM000001-1" })
            // The covered installed products reference it; the others do not.
            for cover in covers {
                let product = try await client.call(.get, "/api/v1/installed-products/\(cover["installedProduct"] as? String ?? "")").json
                #expect(product["commitments"] as? [String] == ["CC-COM000001-2"])
            }
            #expect(try await client.call(.get, "/api/v1/installed-products/IC-COM000001-1").json["commitments"] == nil)
            let overview = try await client.call(.get, "/api/v1/customers/CUST-JANE/360").json
            #expect((overview["commitments"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["CC-COM000001-2"])
            #expect(try await client.call(.get, "/api/v1/customers/CUST-JANE/commitment-contracts?status=active").items.count == 1)
            #expect(try await client.call(.get, "/api/v1/customers/CUST-JANE/commitment-contracts?status=violated").items.isEmpty)
            #expect([400, 422].contains(try await client.call(.get, "/api/v1/customers/CUST-JANE/commitment-contracts?status=broken").status.code))
            #expect(try await client.call(.get, "/api/v1/commitment-contracts/CC-NOPE").code == "not-found")
        }
    }

    @Test("R-9.3, R-16.2: a covered product disconnected early — the preview gives the penalty before, the daily run marks the commitment Violated with the same penalty; running the day again changes nothing", arguments: TestBackend.available)
    func violation(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            try await submitHomeOrder(client, number: 1)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            // 240 EUR reducing to zero over 731 days; 722 of them remain on 1 December 2026.
            let preview = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2/penalty?on=2026-12-01").json
            let penalty = try #require(preview["penalty"] as? [String: Any])
            #expect(penalty["amount"] as? Double == 237.05)
            #expect(penalty["currency"] as? String == "EUR")
            #expect(penalty["remainingMonths"] as? Int == 24)
            #expect(try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2/penalty?on=12/01").code == "invalid-parameter")

            clock.set(Day("2026-12-01")!.startDate.addingTimeInterval(36_000))
            try await disconnect("IC-COM000001-1", order: 1, client, app: app, clock: clock)
            // The day's run (a job like any other; made once whoever asks).
            clock.set(Day("2026-12-02")!.startDate.addingTimeInterval(3_600))
            let outcomes = try await JobRunner(engine: app.engine, worker: "test").runDue(now: clock.now())
            let run = try #require(outcomes.first { $0.kind == .commitmentDay })
            #expect(run.subject == "2026-12-02" && run.status == .done)
            let contract = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json
            #expect(contract["status"] as? String == "violated")
            #expect((contract["penalty"] as? [String: Any])?["amount"] as? Double == 237.05)
            #expect((contract["penalty"] as? [String: Any])?["on"] as? String == "2026-12-01")
            #expect(contract["brokenBy"] as? String != nil)
            #expect((contract["history"] as? [[String: Any]])?.compactMap { $0["status"] as? String } == ["active", "violated"])
            // Again, the same day and a later one: nothing more.
            let versions = contract["version"] as? Int
            #expect(try await app.engine.commitments.run(asOf: Day("2026-12-02")!, context: app.engine.context("test")).violated == 0)
            _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: clock.now())
            #expect(try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["version"] as? Int == versions)
            #expect(try await client.call(.get, "/api/v1/customers/CUST-JANE/commitment-contracts?status=violated").items.count == 1)
        }
    }

    @Test("R-10.4, R-9.3: returned inside the trial period — no violation, no penalty (Cancelled); a commitment kept to its end date expires with its links inactive, run by hand as of a later day", arguments: TestBackend.available)
    func trialAndExpiry(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            try await submitHomeOrder(client, number: 1, trialDays: 14)
            try await submitHomeOrder(client, number: 2)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            let withTrial = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json
            #expect(withTrial["trialEndsOn"] as? String == "2026-12-06")
            let inside = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2/penalty?on=2026-12-01").json["penalty"] as? [String: Any]
            #expect(inside?["amount"] as? Double == 0 && inside?["insideTrial"] as? Bool == true)

            clock.set(Day("2026-12-01")!.startDate.addingTimeInterval(36_000))
            try await disconnect("IC-COM000001-1", order: 1, client, app: app, clock: clock)
            clock.set(Day("2026-12-02")!.startDate.addingTimeInterval(3_600))
            _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: clock.now())
            let returned = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json
            #expect(returned["status"] as? String == "cancelled")
            #expect(returned["penalty"] == nil)

            // `convergent jobs run --as-of 2028-11-23` is this: the run due by the end of that day.
            let late = Day("2028-11-23")!.adding(days: 1).startDate.addingTimeInterval(-0.001)
            let outcomes = try await JobRunner(engine: app.engine, worker: "cli").runDue(now: late)
            #expect(outcomes.filter { $0.kind == .commitmentDay }.map(\.subject) == ["2028-11-23"])
            let kept = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000002-2").json
            #expect(kept["status"] as? String == "expired")
            #expect((kept["covers"] as? [[String: Any]])?.allSatisfy { $0["active"] as? Bool == false } == true)
            #expect((kept["history"] as? [[String: Any]])?.last?["on"] as? String == "2028-11-22")
        }
    }

    @Test("R-9.3, R-14: two workers asking for the same day at the same moment — one daily run, the commitment violated once", arguments: TestBackend.available)
    func oneRunAcrossNodes(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            try await submitHomeOrder(client, number: 1)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            clock.set(Day("2026-12-01")!.startDate.addingTimeInterval(36_000))
            try await disconnect("IC-COM000001-1", order: 1, client, app: app, clock: clock)
            let now = Day("2026-12-03")!.startDate.addingTimeInterval(60)
            async let a = JobRunner(engine: app.engine, worker: "node-a").runDue(now: now)
            async let b = JobRunner(engine: app.engine, worker: "node-b").runDue(now: now)
            let runs = (try await a + b).filter { $0.kind == .commitmentDay }
            #expect(runs.count == 1)
            #expect(runs.first?.status == .done)
            let history = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["history"] as? [[String: Any]]
            #expect(history?.compactMap { $0["status"] as? String } == ["active", "violated"])
            #expect(try await client.call(.get, "/api/v1/jobs?kind=commitmentDay").items.filter { $0["subject"] as? String == "2026-12-03" }.count == 1)
        }
    }

    @Test("R-9.1, R-5.2 CMTCHO through the API: choosing a commitment that the line does not trigger is refused with the field at fault", arguments: TestBackend.available)
    func chooseRefused(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend, clock: FixedClock(Self.start))
        try await app.run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let refused = try await client.call(.post, "/api/v1/orders/COM000001/lines/1/commitment", json: #"{"commitment": "COMMIT-24M"}"#)
            #expect(refused.status == .unprocessableContent)
            #expect(refused.code == "commitment-not-offered")
            #expect(refused.json["field"] as? String == "commitment")
            let added = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "COMMIT-24M"}"#)
            #expect(added.code == "commitment-line")
        }
    }
}
