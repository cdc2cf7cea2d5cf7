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

    /// Disconnects an installed contract with a service-management order and fulfils it; the
    /// commitments the order said, before it was submitted, it would break (R-16.2).
    @discardableResult
    func disconnect(_ contract: String, order number: Int, _ client: some TestClientProtocol, app: TestApp, clock: FixedClock) async throws -> [[String: Any]] {
        let id = String(format: "SM%06d", number)
        _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
        _ = try await client.call(.post, "/api/v1/orders/\(id)/lines", json: #"{"installedContract": "\#(contract)", "action": "disconnect"}"#)
        let breaks = try await client.call(.get, "/api/v1/orders/\(id)").json["commitmentBreaks"] as? [[String: Any]] ?? []
        #expect(try await client.call(.post, "/api/v1/orders/\(id)/submit").json["status"] as? String == "submitted")
        try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
        #expect(try await client.call(.get, "/api/v1/orders/\(id)").json["commitmentBreaks"] == nil, "completed, it breaks nothing more")
        return breaks
    }

    /// Jane's home contract with Fibre 500 and TV, fulfilled on `start` — its 24-month commitment
    /// CC-COM000001-2 active, covering both — then `body`.
    func withFulfilledHome(_ backend: TestBackend, _ body: @Sendable (TestApp, FixedClock, any TestClientProtocol) async throws -> Void) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            try await submitHomeOrder(client, number: 1)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            try await body(app, clock, client)
        }
    }

    /// A service-management order SM000001 changing Jane's home contract (fulfilled by
    /// `withFulfilledHome`); the TV's installed id, which CC-COM000001-2 covers.
    func changingHome(_ client: any TestClientProtocol) async throws -> String {
        let covers = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["covers"] as? [[String: Any]] ?? []
        let tv = try #require(covers.first { $0["product"] as? String == "TV-BASIC-PACK" }?["installedProduct"] as? String)
        _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
        _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-COM000001-1", "action": "change"}"#)
        return tv
    }

    @Test("R-9.1, R-9.2, R-7.6, R-3.9: Fibre 500 brings its 24-month commitment as a line of its own; fulfillment makes an active commitment contract covering fibre and TV, and the installed commitment it stands for, which the covered products, the 360 view and the customer's list show", arguments: TestBackend.available)
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
                // R-7.6: and, through it, their installed commitment.
                #expect(product["installedCommitments"] as? [String] == ["IC-COM000001-2"])
            }
            #expect(try await client.call(.get, "/api/v1/installed-products/IC-COM000001-1").json["commitments"] == nil)
            // R-9.2, R-7.6: the installed commitment — an installed contract of the commitment
            // product, made in the same transaction — and the contract point at each other.
            #expect(contract["installedCommitment"] as? String == "IC-COM000001-2")
            let installed = try await client.call(.get, "/api/v1/installed-contracts/IC-COM000001-2").json
            #expect(installed["product"] as? String == "COMMIT-24M")
            #expect(installed["status"] as? String == "active")
            #expect(installed["installedOn"] as? String == "2026-11-22")
            #expect(installed["commitmentContract"] as? String == "CC-COM000001-2")
            let installedProduct = try await client.call(.get, "/api/v1/installed-products/IC-COM000001-2").json
            #expect(installedProduct["kind"] as? String == "commitment")
            #expect(installedProduct["commitmentStatus"] as? String == "active")
            #expect(installedProduct["commitmentContract"] as? String == "CC-COM000001-2")
            let installedList = try await client.call(.get, "/api/v1/customers/CUST-JANE/installed-contracts").items
            #expect(installedList.compactMap { $0["id"] as? String } == ["IC-COM000001-1", "IC-COM000001-2", "IC-JANE-1"])
            // It changes through its commitment contract (R-9.4), not by a service line.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            let serviced = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-COM000001-2", "action": "change"}"#)
            #expect(serviced.code == "commitment-line")
            #expect(serviced.json["field"] as? String == "installedContract")
            #expect((serviced.json["detail"] as? String)?.contains("CC-COM000001-2") == true)
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
        let app = try await TestApp.make(backend, clock: clock, port: 0)
        // The worked example of docs/commitments.md, against a server on a real port.
        try await app.run(.live) { client in
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
            // R-16.2: before it is submitted, the disconnection order says what it breaks and what it costs.
            let breaks = try await disconnect("IC-COM000001-1", order: 1, client, app: app, clock: clock)
            #expect(breaks.count == 1)
            #expect(breaks.first?["commitmentContract"] as? String == "CC-COM000001-2")
            #expect((breaks.first?["cause"] as? String)?.contains("disconnects IC-COM000001-1") == true)
            #expect((breaks.first?["penalty"] as? [String: Any])?["amount"] as? Double == 237.05)
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
            // The installed commitment shows its commitment's status.
            #expect(try await client.call(.get, "/api/v1/installed-products/IC-COM000001-2").json["commitmentStatus"] as? String == "violated")
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
        try await withFulfilledHome(backend) { app, clock, client in
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

    @Test("R-6.3, R-9, R-16.2: a covered mobile line migrated to another customer breaks its commitment at fulfillment (Violated, the penalty shown on the order before); one migrated within its customer stays covered where it went, and the daily run does not count it as ended", arguments: TestBackend.available)
    func migrations(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        // Jane's family contract with two voice lines, each under a 12-month commitment (120 EUR fixed).
        var jane = mobileFixture("EC1", customer: customerA, plays: 2)
        jane.root = jane.root.map { p in
            var copy = p
            if p.id == "IC-EC1.3" { copy.commitments = ["CC-A"]; copy.agreements = ["SA-A"] }
            if p.id == "IC-EC1.7" { copy.commitments = ["CC-B"]; copy.agreements = ["SA-B"] }
            return copy
        }
        let terms = try #require(try await app.engine.catalogs.active(on: Day(clock.now())).catalog.products.first { $0.id == "COMMIT-12M-MOBILE" }?.commitment)
        func commitment(_ id: String, covering product: String) -> CommitmentContract {
            CommitmentContract(id: id, customer: customerA, product: "COMMIT-12M-MOBILE", terms: terms, order: "COM-OLD", line: 2, triggeredBy: product,
                               covers: [.init(installedProduct: product, installedContract: "IC-EC1", product: "MOBILE-VOICE-DATA")],
                               startsOn: Day("2026-06-01")!, trialEndsOn: nil, monthlyFee: 25, currency: "EUR")
        }
        // And each under a service agreement of Jane's (R-6.3).
        func agreement(_ id: String, covering product: String) -> ServiceAgreement {
            ServiceAgreement(id: id, customer: customerA, product: "CARE-PLUS", type: "maintenance", order: "COM-OLD", line: 3,
                             covers: [.init(installedProduct: product, installedContract: "IC-EC1", product: "MOBILE-VOICE-DATA")], startsOn: Day("2026-06-01")!)
        }
        try await app.engine.store.commit([try .insert(jane), try .insert(mobileFixture("EC2", customer: customerB, plays: 1)),
                                           try .insert(commitment("CC-A", covering: "IC-EC1.3")), try .insert(commitment("CC-B", covering: "IC-EC1.7")),
                                           try .insert(agreement("SA-A", covering: "IC-EC1.3")), try .insert(agreement("SA-B", covering: "IC-EC1.7"))],
                                          context: app.engine.context("system"))
        try await app.run { client in
            // Line 2 (IC-EC1.5) goes to ACME's contract; line 1 (IC-EC1.1) to a new contract of Jane's.
            let (order, session) = try await openMigrationOrder(client, contracts: ["IC-EC1", "IC-EC2"])
            let move = #"{"operations": [{"op": "migrate", "instance": "IC-EC1.5", "action": "MOBILE-LINE-MOVE", "parent": "IC-EC2"}, {"op": "migrate", "instance": "IC-EC1.1", "action": "MOBILE-LINE-MOVE", "newContract": {"product": "MOBILE-CONTRACT", "customer": "\#(customerA)"}}]}"#
            #expect(try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: move).status == .ok)
            let configured = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            let created = try #require(configured.lines.first { $0["createdByMigration"] as? Bool == true }?["number"] as? Int)
            _ = try await client.call(.post, "/api/v1/orders/\(order)/lines/\(created)/billing", json: #"{"rows": [{"sequence": 1, "account": "BA-2001"}]}"#)
            // Before submission: only the move to ACME breaks a commitment, priced as the run will.
            let breaks = try await client.call(.get, "/api/v1/orders/\(order)").json["commitmentBreaks"] as? [[String: Any]] ?? []
            #expect(breaks.compactMap { $0["commitmentContract"] as? String } == ["CC-B"])
            #expect((breaks.first?["cause"] as? String)?.contains("to CUST-ACME") == true)
            #expect((breaks.first?["penalty"] as? [String: Any])?["amount"] as? Double == 120)
            #expect(try await client.call(.post, "/api/v1/orders/\(order)/submit").json["status"] as? String == "submitted")
            #expect(try await fulfil(app, client, order: order, clock: clock).json["status"] as? String == "completed")

            let broken = try await client.call(.get, "/api/v1/commitment-contracts/CC-B").json
            #expect(broken["status"] as? String == "violated")
            #expect((broken["penalty"] as? [String: Any])?["amount"] as? Double == 120)
            #expect(((broken["history"] as? [[String: Any]])?.last?["reason"] as? String)?.contains("migrated to another customer, CUST-ACME") == true)
            // CC-A follows Jane's line to its new contract; the new installed line references it.
            let followed = try await client.call(.get, "/api/v1/commitment-contracts/CC-A").json
            #expect(followed["status"] as? String == "active")
            let cover = try #require((followed["covers"] as? [[String: Any]])?.first)
            let newID = try #require(cover["installedProduct"] as? String)
            #expect(newID != "IC-EC1.3" && cover["installedContract"] as? String != "IC-EC1")
            let moved = try await client.call(.get, "/api/v1/installed-products/\(newID)").json
            #expect(moved["product"] as? String == "MOBILE-VOICE-DATA" && moved["commitments"] as? [String] == ["CC-A"])
            // R-6.3: the old owner's agreement over the line that went to ACME ends (nothing else left: ended);
            // the one over the line that stayed Jane's follows it.
            let ended = try await client.call(.get, "/api/v1/service-agreements/SA-B").json
            #expect(ended["status"] as? String == "ended")
            #expect((ended["covers"] as? [[String: Any]])?.first?["active"] as? Bool == false)
            #expect(((ended["history"] as? [[String: Any]])?.dropLast().last?["reason"] as? String)?.contains("migrated to another customer, CUST-ACME") == true)
            let kept = try await client.call(.get, "/api/v1/service-agreements/SA-A").json
            #expect(kept["status"] as? String == "active")
            #expect((kept["covers"] as? [[String: Any]])?.first?["installedProduct"] as? String == newID)
            #expect(moved["agreements"] as? [String] == ["SA-A"])
            // The next day's run: the old line is disconnected, but it moved — nothing is violated.
            clock.set(clock.now().addingTimeInterval(86_400))
            _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: clock.now())
            #expect(try await client.call(.get, "/api/v1/commitment-contracts/CC-A").json["status"] as? String == "active")
        }
    }

    @Test("R-9.1, R-9.2: a voice line added to an installed family contract by a service-management order brings its own 12-month commitment line; fulfilled, the commitment covers the new line's installed product only, which references it", arguments: TestBackend.available)
    func serviceLineCommitment(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.engine.store.commit([try .insert(mobileFixture("EC1", customer: customerA, plays: 1))], context: app.engine.context("system"))
        try await app.run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-EC1", "action": "change"}"#)
            let session = try #require((try await client.call(.post, "/api/v1/orders/SM000001/sessions").json["session"] as? [String: Any])?["id"] as? String)
            var view = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "add", "product": "MOBILE-PLAY", "contract": "IC-EC1"}]}"#)
            func elements(_ product: String) -> [String] {
                ((view.json["report"] as? [String: Any])?["elements"] as? [[String: Any]] ?? [])
                    .filter { $0["product"] as? String == product }.compactMap { $0["instance"] as? String }
            }
            let play = try #require(elements("MOBILE-PLAY").first { $0 != "IC-EC1.1" })
            view = try await client.call(.post, "/api/v1/sessions/\(session)/operations",
                                         json: #"{"operations": [{"op": "add", "product": "MOBILE-LINE-OFFER", "contract": "IC-EC1", "parent": "\#(play)"}]}"#)
            let offer = try #require(elements("MOBILE-LINE-OFFER").first { $0 != "IC-EC1.2" }, "\(view.text.prefix(400))")
            view = try await client.call(.post, "/api/v1/sessions/\(session)/operations",
                                         json: #"{"operations": [{"op": "add", "product": "MOBILE-VOICE-DATA", "contract": "IC-EC1", "parent": "\#(offer)"}]}"#)
            let voice = try #require(elements("MOBILE-VOICE-DATA").first { $0 != "IC-EC1.3" }, "\(view.text.prefix(400))")
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/operations",
                                      json: #"{"operations": [{"op": "setAttribute", "instance": "\#(voice)", "name": "msisdn", "value": "+32470000077"}]}"#)
            let configured = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            #expect(configured.lines.compactMap { $0["product"] as? String } == ["MOBILE-CONTRACT", "COMMIT-12M-MOBILE"])
            let line = try #require(configured.lines.last?["commitment"] as? [String: Any])
            #expect(line["commits"] as? Int == 1 && line["triggeredBy"] as? String == voice)
            #expect(line["covers"] as? [String] == [voice], "the installed voice line keeps the commitments it was sold with")
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/submit").json["status"] as? String == "submitted")
            #expect(try await fulfil(app, client, order: "SM000001", clock: clock).json["status"] as? String == "completed")
            let contract = try await client.call(.get, "/api/v1/commitment-contracts/CC-SM000001-2").json
            #expect(contract["status"] as? String == "active" && contract["product"] as? String == "COMMIT-12M-MOBILE")
            let covers = contract["covers"] as? [[String: Any]] ?? []
            let installed = try #require(covers.first?["installedProduct"] as? String)
            #expect(covers.count == 1 && covers.first?["installedContract"] as? String == "IC-EC1" && installed.hasPrefix("IC-EC1.") && installed != "IC-EC1.3")
            #expect(contract["triggeredBy"] as? String == installed)
            let product = try await client.call(.get, "/api/v1/installed-products/\(installed)").json
            #expect(product["product"] as? String == "MOBILE-VOICE-DATA" && product["commitments"] as? [String] == ["CC-SM000001-2"])
            #expect(try await client.call(.get, "/api/v1/installed-products/IC-EC1.3").json["commitments"] == nil)
        }
    }

    @Test("R-4.2, R-9.4: in a session an agent extends an installed commitment and uncovers a product; uncovering the one that triggered it makes the configuration invalid (its triggering rule) until undone; the order carries the change and it applies when the order completes", arguments: TestBackend.available)
    func commitmentChangeInSession(backend: TestBackend) async throws {
        try await withFulfilledHome(backend) { app, clock, client in
            let covers = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["covers"] as? [[String: Any]] ?? []
            func covered(_ product: String) -> String? { covers.first { $0["product"] as? String == product }?["installedProduct"] as? String }
            let fibre = try #require(covered("FIBER-500")), tv = try #require(covered("TV-BASIC-PACK"))
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-COM000001-1", "action": "change"}"#)
            let session = try #require((try await client.call(.post, "/api/v1/orders/SM000001/sessions").json["session"] as? [String: Any])?["id"] as? String)
            let path = "/api/v1/sessions/\(session)/commitment-changes"
            var view = try await client.call(.post, path, json: #"{"commitment": "CC-COM000001-2", "endsOn": "2029-11-22", "remove": ["\#(tv)"], "reason": "loyalty"}"#)
            #expect(view.status == .ok && view.json["status"] as? String != "Invalid", "\(view.text.prefix(300))")
            #expect(((view.json["session"] as? [String: Any])?["commitmentChanges"] as? [[String: Any]])?.count == 1)
            // Uncovering fibre, which brought the commitment, while it stays: invalid, with the triggering rule.
            view = try await client.call(.post, path, json: #"{"commitment": "CC-COM000001-2", "remove": ["\#(fibre)"], "reason": "test"}"#)
            #expect(view.json["status"] as? String == "Invalid")
            let element = ((view.json["report"] as? [String: Any])?["elements"] as? [[String: Any]])?.first { $0["instance"] as? String == fibre }
            #expect((element?["errors"] as? [[String: Any]])?.contains { $0["rule"] as? String == "TRG-COMMIT-FIBER" } == true)
            // Refused as the direct changes are: an end not after today, an unknown commitment, one not triggered in the session's contracts.
            #expect(try await client.call(.post, path, json: #"{"commitment": "CC-COM000001-2", "endsOn": "2026-01-01"}"#).code == "invalid-commitment-term")
            #expect(try await client.call(.post, path, json: #"{"commitment": "CC-NOPE", "endsOn": "2029-01-01"}"#).code == "not-found")
            // Two agents changing it in the session at the same moment, from the version they read: one wins, the other is refused.
            let version = try #require(try await client.call(.get, "/api/v1/sessions/\(session)").json["version"] as? Int)
            let headers: HTTPFields = [.ifMatch: "\"\(version)\""]
            async let a = client.call(.post, path, json: #"{"commitment": "CC-COM000001-2", "endsOn": "2029-05-22"}"#, headers: headers)
            async let b = client.call(.post, path, json: #"{"commitment": "CC-COM000001-2", "endsOn": "2029-06-22"}"#, headers: headers)
            let codes = [try await a, try await b].map(\.status.code).sorted()
            #expect(codes == [200, 409], "\(codes)")
            // The later change replaces the earlier one: valid again.
            view = try await client.call(.post, path, json: #"{"commitment": "CC-COM000001-2", "endsOn": "2029-11-22", "remove": ["\#(tv)"], "reason": "loyalty"}"#)
            #expect(view.json["status"] as? String != "Invalid")
            let configured = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            let changes = configured.lines.first?["commitmentChanges"] as? [[String: Any]] ?? []
            #expect(changes.count == 1 && changes.first?["endsOn"] as? String == "2029-11-22" && changes.first?["remove"] as? [String] == [tv])
            #expect(try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["endsOn"] as? String == "2028-11-22", "applied only when the order completes")
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/submit").json["status"] as? String == "submitted")
            #expect(try await fulfil(app, client, order: "SM000001", clock: clock).json["status"] as? String == "completed")
            let changed = try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json
            #expect(changed["endsOn"] as? String == "2029-11-22" && changed["status"] as? String == "active")
            let after = changed["covers"] as? [[String: Any]] ?? []
            #expect(after.first { $0["installedProduct"] as? String == tv }?["active"] as? Bool == false)
            #expect(after.first { $0["installedProduct"] as? String == fibre }?["active"] as? Bool == true)
            #expect(((changed["history"] as? [[String: Any]])?.compactMap { $0["reason"] as? String }.joined(separator: " | ") ?? "").contains("extended from 2028-11-22 to 2029-11-22: loyalty"))
            #expect(try await client.call(.get, "/api/v1/installed-products/\(tv)").json["commitments"] == nil)
            #expect(try await client.call(.get, "/api/v1/installed-products/\(fibre)").json["commitments"] as? [String] == ["CC-COM000001-2"])
        }
    }

    @Test("R-16.2, R-9.4: the penalty preview counts the order's own commitment changes — removing the TV breaks the commitment, unless a session of the order uncovers it too; a new end date reprices the break; a later session starts with the order's changes", arguments: TestBackend.available)
    func breaksNetOfSessionChanges(backend: TestBackend) async throws {
        try await withFulfilledHome(backend) { app, clock, client in
            let tv = try await changingHome(client)
            /// A session on the order doing `body`, then saved; the breaks the order then shows.
            func saved(_ body: (String) async throws -> Void) async throws -> [[String: Any]] {
                let session = try #require((try await client.call(.post, "/api/v1/orders/SM000001/sessions").json["session"] as? [String: Any])?["id"] as? String)
                try await body(session)
                #expect(try await client.call(.post, "/api/v1/sessions/\(session)/save").status == .ok)
                return try await client.call(.get, "/api/v1/orders/SM000001").json["commitmentBreaks"] as? [[String: Any]] ?? []
            }
            // Removing the covered TV breaks the commitment, priced to its end date.
            var found = try await saved { (session: String) async throws in
                #expect(try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "remove", "instance": "\#(tv)"}]}"#).status == .ok)
            }
            #expect(found.count == 1 && found.first?["installedProduct"] as? String == tv, "\(found)")
            #expect((found.first?["penalty"] as? [String: Any])?["remainingMonths"] as? Int == 24)
            // A shorter term in a later session: the same break, priced to the new end.
            found = try await saved { (session: String) async throws in
                #expect(try await client.call(.post, "/api/v1/sessions/\(session)/commitment-changes", json: #"{"commitment": "CC-COM000001-2", "endsOn": "2027-11-22", "reason": "shorter"}"#).status == .ok)
            }
            #expect(found.count == 1 && (found.first?["penalty"] as? [String: Any])?["remainingMonths"] as? Int == 12, "\(found)")
            // The next session starts with that change; uncovering the TV there too: nothing breaks.
            found = try await saved { (session: String) async throws in
                let open = try await client.call(.get, "/api/v1/sessions/\(session)").json
                #expect(((open["session"] as? [String: Any])?["commitmentChanges"] as? [[String: Any]])?.first?["endsOn"] as? String == "2027-11-22")
                #expect(try await client.call(.post, "/api/v1/sessions/\(session)/commitment-changes", json: #"{"commitment": "CC-COM000001-2", "endsOn": "2027-11-22", "remove": ["\#(tv)"], "reason": "moving to streaming"}"#).status == .ok)
            }
            #expect(found.isEmpty, "\(found)")
            // Nothing of this is applied before the order completes.
            #expect(try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["endsOn"] as? String == "2028-11-22")
        }
    }

    @Test("R-9.4: a session's change that no longer applies when its order completes — the product it uncovers was uncovered directly meanwhile — is left out, the order completes and says so in a warning", arguments: TestBackend.available)
    func commitmentChangeNoLongerApplies(backend: TestBackend) async throws {
        try await withFulfilledHome(backend) { app, clock, client in
            let tv = try await changingHome(client)
            let session = try #require((try await client.call(.post, "/api/v1/orders/SM000001/sessions").json["session"] as? [String: Any])?["id"] as? String)
            let change = try await client.call(.post, "/api/v1/sessions/\(session)/commitment-changes", json: #"{"commitment": "CC-COM000001-2", "remove": ["\#(tv)"]}"#)
            #expect(change.status == .ok)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/submit").json["status"] as? String == "submitted")
            // Meanwhile another agent uncovers the TV directly.
            #expect(try await client.call(.post, "/api/v1/commitment-contracts/CC-COM000001-2/coverage", json: #"{"remove": ["\#(tv)"]}"#).status == .ok)
            let version = try #require(try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["version"] as? Int)
            let completed = try await fulfil(app, client, order: "SM000001", clock: clock).json
            #expect(completed["status"] as? String == "completed")
            let warnings = (completed["fulfillment"] as? [String: Any])?["warnings"] as? [String] ?? []
            #expect(warnings.contains { $0.contains("the change of commitment CC-COM000001-2 was not applied") && $0.contains("does not cover \(tv)") }, "\(warnings)")
            #expect(try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["version"] as? Int == version, "left as it was")
        }
    }

    @Test("R-9.4: an agent extends and shortens an active commitment, each in its history with the reason; an end not after today or a final commitment is refused; two agents changing it from the same version at the same moment: one succeeds, the other is refused", arguments: TestBackend.available)
    func changeTerm(backend: TestBackend) async throws {
        try await withFulfilledHome(backend) { app, clock, client in
            let path = "/api/v1/commitment-contracts/CC-COM000001-2"
            let extended = try await client.call(.post, path + "/term", json: #"{"endsOn": "2029-05-22", "reason": "retention offer"}"#)
            #expect(extended.status == .ok, "\(extended.text.prefix(300))")
            #expect(extended.json["endsOn"] as? String == "2029-05-22")
            #expect(((extended.json["history"] as? [[String: Any]])?.last?["reason"] as? String) == "extended from 2028-11-22 to 2029-05-22: retention offer")
            let shortened = try await client.call(.post, path + "/term", json: #"{"endsOn": "2027-11-22", "reason": "goodwill"}"#)
            #expect(shortened.json["endsOn"] as? String == "2027-11-22")
            // The penalty follows the new term: 240 EUR reducing over 365 days, 356 left on 1 December.
            #expect(((try await client.call(.get, path + "/penalty?on=2026-12-01")).json["penalty"] as? [String: Any])?["amount"] as? Double == 234.08)
            let today = try await client.call(.post, path + "/term", json: #"{"endsOn": "2026-11-22"}"#)
            #expect(today.status == .unprocessableContent && today.code == "invalid-commitment-term" && today.json["field"] as? String == "endsOn")
            #expect(try await client.call(.post, path + "/term", json: #"{"endsOn": "22/11/2027"}"#).code == "invalid-parameter")
            #expect(try await client.call(.post, "/api/v1/commitment-contracts/CC-NONE/term", json: #"{"endsOn": "2028-01-01"}"#).status == .notFound)
            // Two agents at the same moment, both from the version they read.
            let version = try #require(try await client.call(.get, path).json["version"] as? Int)
            let headers: HTTPFields = [.ifMatch: "\"\(version)\""]
            async let a = client.call(.post, path + "/term", json: #"{"endsOn": "2028-02-01"}"#, headers: headers)
            async let b = client.call(.post, path + "/term", json: #"{"endsOn": "2028-03-01"}"#, headers: headers)
            let codes = [try await a, try await b].map(\.status.code).sorted()
            #expect(codes == [200, 409], "\(codes)")
            // Once final, it does not change.
            clock.set(Day("2026-12-01")!.startDate.addingTimeInterval(36_000))
            try await disconnect("IC-COM000001-1", order: 1, client, app: app, clock: clock)
            _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: clock.now().addingTimeInterval(86_400))
            let final = try await client.call(.post, path + "/term", json: #"{"endsOn": "2029-01-01"}"#)
            #expect(final.status == .conflict && final.code == "commitment-not-active")
        }
    }

    @Test("R-9.4: changing what a commitment covers — a product its covering rules name is added (the installed product references it), one removed (its link inactive, the reference gone); the triggering product, a product the rules do not name, another customer's, and one not covered are refused with their codes", arguments: TestBackend.available)
    func changeCoverage(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            try await submitHomeOrder(client, number: 1, tv: false)
            try await submitHomeOrder(client, number: 2)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            let path = "/api/v1/commitment-contracts/CC-COM000001-2/coverage"
            let tree = components(try await client.call(.get, "/api/v1/installed-contracts/IC-COM000002-1").json)
            let tv = try #require(tree.values.first { $0["product"] as? String == "TV-BASIC-PACK" }?["id"] as? String)
            let added = try await client.call(.post, path, json: #"{"add": ["\#(tv)"], "reason": "TV joins the commitment"}"#)
            #expect(added.status == .ok, "\(added.text.prefix(300))")
            #expect((added.json["covers"] as? [[String: Any]])?.compactMap { $0["installedProduct"] as? String }.contains(tv) == true)
            #expect(Set(try await client.call(.get, "/api/v1/installed-products/\(tv)").json["commitments"] as? [String] ?? []) == ["CC-COM000001-2", "CC-COM000002-2"])
            let fibre = try #require((added.json["covers"] as? [[String: Any]])?.first?["installedProduct"] as? String)
            let trigger = try await client.call(.post, path, json: #"{"remove": ["\#(fibre)"]}"#)
            #expect(trigger.code == "commitment-trigger-kept" && trigger.json["field"] as? String == "remove[0]")
            #expect(try await client.call(.post, path, json: #"{"add": ["IC-COM000002-1"]}"#).code == "not-coverable", "HOME-CONTRACT is not named by the covering rules")
            #expect(try await client.call(.post, path, json: #"{"add": ["IC-ACME-1.1"]}"#).code == "not-coverable", "another customer's")
            #expect(try await client.call(.post, path, json: #"{"add": ["IC-NONE.1"]}"#).code == "not-coverable")
            #expect(try await client.call(.post, path, json: #"{"remove": ["IC-JANE-1.1"]}"#).code == "not-covered")
            #expect(try await client.call(.post, path, json: #"{}"#).code == "nothing-to-change")
            let removed = try await client.call(.post, path, json: #"{"remove": ["\#(tv)"], "reason": "TV cancelled"}"#)
            #expect(((removed.json["covers"] as? [[String: Any]])?.first { $0["installedProduct"] as? String == tv })?["active"] as? Bool == false)
            #expect(try await client.call(.get, "/api/v1/installed-products/\(tv)").json["commitments"] as? [String] == ["CC-COM000002-2"])
            #expect(((removed.json["history"] as? [[String: Any]])?.last?["reason"] as? String) == "coverage changed: -\(tv): TV cancelled")
        }
    }

    @Test("R-4.2, R-9.1: in a session, a component shows its commitments — what its product brings, what may cover it, and installed, the commitment contracts covering it (API and the console's element page)", arguments: TestBackend.available)
    func commitmentsInSession(backend: TestBackend) async throws {
        try await withFulfilledHome(backend) { app, clock, client in
            let covered = try #require((try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["covers"] as? [[String: Any]])?
                .first { $0["product"] as? String == "FIBER-500" }?["installedProduct"] as? String)
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-COM000001-1", "action": "change"}"#)
            let session = try #require((try await client.call(.post, "/api/v1/orders/SM000001/sessions").json["session"] as? [String: Any])?["id"] as? String)
            let fibre = try await client.call(.get, "/api/v1/sessions/\(session)/instances/\(covered)").json["commitments"] as? [String: Any]
            #expect(fibre?["triggers"] as? [String] == ["COMMIT-24M"])
            #expect(fibre?["coveredBy"] as? [String] == ["COMMIT-24M"])
            #expect((fibre?["contracts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["CC-COM000001-2"])
            let root = try await client.call(.get, "/api/v1/sessions/\(session)/instances/IC-COM000001-1").json
            #expect(root["commitments"] == nil, "the home contract brings, and is covered by, no commitment")
            let console = try await ConsoleSession.signIn(client, token: adminToken)
            let page = try await client.page(.get, "/sessions/\(session)/instances/\(covered)", cookie: console.cookie)
            #expect(page.text.contains("Configuring it brings the commitment COMMIT-24M") && page.text.contains(#"<a href="/commitment-contracts/CC-COM000001-2">"#))
            #expect(accessibilityProblems(page.text) == [])
        }
    }

    @Test("R-6.3: a service agreement ordered for installed products — AGRCOV holds until it covers something; products of another customer, not active or not named by the agreement are refused; fulfilled, it covers them and they list it; a customer's agreements are listed (API and console)", arguments: TestBackend.available)
    func serviceAgreements(backend: TestBackend) async throws {
        try await withFulfilledHome(backend) { app, clock, client in
            let tree = components(try await client.call(.get, "/api/v1/installed-contracts/IC-COM000001-1").json)
            let fibre = try #require(tree.values.first { $0["product"] as? String == "FIBER-500" }?["id"] as? String)
            let tv = try #require(tree.values.first { $0["product"] as? String == "TV-BASIC-PACK" }?["id"] as? String)
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            let line = try await client.call(.post, "/api/v1/orders/COM000002/lines", json: #"{"product": "CARE-PLUS"}"#)
            #expect(line.status == .created, "\(line.text.prefix(300))")
            #expect((line.lines.first?["agreement"] as? [String: Any])?["covers"] as? [String] == [])
            #expect(try await client.call(.post, "/api/v1/orders/COM000002/validate").holdCodes.contains("AGRCOV"))
            let path = "/api/v1/orders/COM000002/lines/1/agreement"
            let mobile = try await client.call(.post, path, json: #"{"covers": ["\#(fibre)", "IC-JANE-1.3"]}"#)
            #expect(mobile.code == "agreement-not-coverable" && mobile.json["field"] as? String == "covers[1]")
            #expect(try await client.call(.post, path, json: #"{"covers": ["IC-ACME-1.1"]}"#).code == "agreement-not-coverable")
            #expect(try await client.call(.post, path, json: #"{"covers": ["IC-NONE.2"]}"#).code == "agreement-not-coverable")
            let none = try await client.call(.post, path, json: #"{"covers": []}"#)
            #expect([400, 422].contains(none.status.code), "an agreement covers at least one product")
            let covered = try await client.call(.post, path, json: #"{"covers": ["\#(fibre)", "\#(tv)"]}"#)
            #expect((covered.lines.first?["agreement"] as? [String: Any])?["covers"] as? [String] == [fibre, tv])
            #expect(!(try await client.call(.post, "/api/v1/orders/COM000002/validate")).holdCodes.contains("AGRCOV"))
            let submitted = try await client.call(.post, "/api/v1/orders/COM000002/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(600))")
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            let agreement = try await client.call(.get, "/api/v1/service-agreements/SA-COM000002-1").json
            #expect(agreement["status"] as? String == "active" && agreement["type"] as? String == "maintenance")
            #expect((agreement["covers"] as? [[String: Any]])?.compactMap { $0["installedProduct"] as? String } == [fibre, tv])
            #expect(try await client.call(.get, "/api/v1/installed-products/\(fibre)").json["agreements"] as? [String] == ["SA-COM000002-1"])
            #expect(try await client.call(.get, "/api/v1/customers/CUST-JANE/service-agreements").items.count == 1)
            #expect(try await client.call(.get, "/api/v1/service-agreements/SA-NONE").status == .notFound)
            let console = try await ConsoleSession.signIn(client, token: adminToken)
            let customer = try await client.page(.get, "/customers/CUST-JANE", cookie: console.cookie).text
            #expect(customer.contains(#"<a href="/service-agreements/SA-COM000002-1">"#))
            let page = try await client.page(.get, "/service-agreements/SA-COM000002-1", cookie: console.cookie).text
            #expect(page.contains("CARE-PLUS") && page.contains(fibre) && accessibilityProblems(page) == [])
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
