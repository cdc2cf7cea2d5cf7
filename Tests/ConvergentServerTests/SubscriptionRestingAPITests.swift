import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("R-12.5, R-12.6, R-14 resting performed: Rest Subscription, End Subscription Resting, the automatic end and the daily activation run")
struct SubscriptionRestingAPITests {
    static let start = Day("2026-11-22")!.startDate.addingTimeInterval(36_000)
    static let tv = "/api/v1/subscriptions/SUB-IC-HOME-1.8"

    /// The installed status of each of the TV play's products (1.8 and below) and of the broadband play.
    static func statuses(_ client: some TestClientProtocol) async throws -> (tv: Set<String>, broadband: Set<String>) {
        let tree = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HOME-1").json)
        func of(_ ids: [String]) -> Set<String> { Set(ids.compactMap { tree[$0]?["installedStatus"] as? String }) }
        return (of(["IC-HOME-1.8", "IC-HOME-1.10", "IC-HOME-1.12", "IC-HOME-1.14"]), of(["IC-HOME-1.1", "IC-HOME-1.3", "IC-HOME-1.7"]))
    }

    static func states(_ subscription: [String: Any]) -> Set<String> {
        Set((subscription["services"] as? [[String: Any]] ?? []).filter { $0["removedOn"] == nil }.compactMap { $0["state"] as? String })
    }

    @Test("R-12.5, R-12.6, R-14 performed: Rest Subscription suspends its play through a service-management order while the subscription rests (In Resting, not Not Effective, when the order completes); its end runs by itself at the end date — Effective again, the play resumed, binding end and allowed cancel date extended by the 18 days rested; each refusal with its code", arguments: TestBackend.available)
    func restAndAutomaticEnd(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let path = Self.tv + "/actions"
            let before = try await client.call(.get, Self.tv).json
            let term = try #require(before["billingTerm"] as? [String: Any])
            let bindingEnd = try #require((term["bindingEnd"] as? String).flatMap(Day.init))
            // Refused, each with its code; nothing recorded.
            let noEnd = try await client.call(.post, path, json: #"{"action": "rest"}"#)
            #expect(noEnd.status == .unprocessableContent && noEnd.code == "invalid-request" && noEnd.json["field"] as? String == "until")
            #expect(try await client.call(.post, path, json: #"{"action": "rest", "until": "2027-02-01"}"#).code == "billing-term-definition-violated", "71 days; 60 allowed")
            #expect(try await client.call(.post, path, json: #"{"action": "rest", "until": "2026-11-22"}"#).code == "invalid-resting-end")
            let notResting = try await client.call(.post, path, json: #"{"action": "endResting"}"#)
            #expect(notResting.status == .conflict && notResting.code == "action-not-allowed-in-state")
            #expect(try await client.call(.get, path).items.isEmpty)

            // Performed: recorded, the subscription In Resting at once, the play's suspension submitted.
            let rest = try await client.call(.post, path, json: #"{"action": "rest", "until": "2026-12-10"}"#)
            #expect(rest.status == .created, "\(rest.text.prefix(400))")
            #expect(rest.json["behaviourCode"] as? String == "RESTSUBSCRIPTION" && rest.json["status"] as? String == "done" && rest.json["until"] as? String == "2026-12-10")
            #expect(rest.json["order"] as? String == "SM000001" && rest.json["startedAt"] == nil)
            var subscription = try await client.call(.get, Self.tv).json
            #expect(subscription["state"] as? String == "inResting" && subscription["restingUntil"] as? String == "2026-12-10")
            #expect(Self.states(subscription) == ["inResting"], "its services rest with it")
            // Its end, made by the system, pending at midnight of the end date.
            let end = try await client.call(.get, "/api/v1/subscription-actions/SA000001-END").json
            #expect(end["behaviourCode"] as? String == "ENDSUBSCRIPTIONRESTING" && end["automatic"] as? Bool == true && end["status"] as? String == "pending")
            #expect(end["runsAt"] as? String == "2026-12-10T00:00:00Z" && end["performedBy"] as? String == "system")
            #expect(try await client.call(.get, "/api/v1/customers/CUST-HOME/subscription-actions?status=pending").items.compactMap { $0["id"] as? String } == ["SA000001-END"])
            #expect(try await client.call(.post, "/api/v1/subscription-actions/SA000001-END/withdraw").code == "action-not-offered", "an agent ends the resting instead")
            #expect(try await client.call(.post, "/api/v1/subscription-actions/SA000001-END/reschedule", json: #"{"schedule": {"afterDays": 3}}"#).code == "action-not-offered")
            #expect(try await client.call(.post, path, json: #"{"action": "rest", "until": "2026-12-12"}"#).code == "action-not-allowed-in-state", "it rests already")
            let early = try await client.call(.post, path, json: #"{"action": "endResting"}"#)
            #expect(early.status == .conflict && early.code == "change-order-in-progress", "the suspension is still on its way: \(early.text.prefix(300))")

            // The suspension completes through fulfillment: the play suspended, the subscription still resting.
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            #expect(try await client.call(.get, "/api/v1/orders/SM000001").json["status"] as? String == "completed")
            var installed = try await Self.statuses(client)
            #expect(installed.tv == ["suspended"] && installed.broadband == ["active"])
            subscription = try await client.call(.get, Self.tv).json
            #expect(subscription["state"] as? String == "inResting" && Self.states(subscription) == ["inResting"])
            #expect(try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.1").json["state"] as? String == "effective")

            // Not due the day before; at the end date it runs by itself.
            clock.set(Day("2026-12-09")!.startDate.addingTimeInterval(3_600))
            try await runJobs(app.engine, clock: clock, rounds: 1, step: 0)
            #expect(try await client.call(.get, "/api/v1/subscription-actions/SA000001-END").json["status"] as? String == "pending")
            clock.set(Day("2026-12-10")!.startDate.addingTimeInterval(3_600))
            try await runJobs(app.engine, clock: clock, rounds: 3, step: 0)
            let ended = try await client.call(.get, "/api/v1/subscription-actions/SA000001-END").json
            #expect(ended["status"] as? String == "done" && ended["order"] as? String == "SM000002", "\(ended)")
            #expect(try await client.call(.get, "/api/v1/orders/SM000002").json["status"] as? String == "completed")
            installed = try await Self.statuses(client)
            #expect(installed.tv == ["active"])
            subscription = try await client.call(.get, Self.tv).json
            #expect(subscription["state"] as? String == "effective" && subscription["restingUntil"] == nil && Self.states(subscription) == ["effective"])
            let extended = subscription["billingTerm"] as? [String: Any]
            #expect(extended?["bindingEnd"] as? String == bindingEnd.adding(days: 18).description, "18 days rested")
            let history = (subscription["lifecycle"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
            #expect(Array(history.suffix(2)) == ["inResting", "effective"], "\(history)")
        }
    }

    @Test("R-12.6 performed by an agent before the end date: two agents at the same moment get one 201 and one 409; the automatic end is withdrawn (superseded); with a bill unsettled for more than 30 days the subscription comes back Not Effective and its play stays suspended; once settled and the play resumed, Effective", arguments: TestBackend.available)
    func endEarly(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let path = Self.tv + "/actions"
            #expect(try await client.call(.post, path, json: #"{"action": "rest", "until": "2026-12-20"}"#).status == .created)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            // A bill due on 2026-10-01, unsettled: older than the 30 days the activation conditions allow.
            let bill = try await client.call(.put, "/api/v1/bills/B-OLD", json: #"{"accountsReceivable": "BA-4002", "amount": 25, "currency": "EUR", "dueDate": "2026-10-01", "settled": false}"#)
            #expect(bill.status.code == 201 || bill.status == .ok, "\(bill.text.prefix(300))")
            clock.set(Self.start.addingTimeInterval(3 * 86_400))
            // Performed in the future: refused.
            #expect(try await client.call(.post, path, json: #"{"action": "endResting", "performedOn": "2026-12-01"}"#).code == "invalid-performed-date")
            async let a = client.call(.post, path, json: #"{"action": "endResting"}"#)
            async let b = client.call(.post, path, json: #"{"action": "endResting"}"#)
            let replies = [try await a, try await b]
            #expect(replies.map(\.status.code).sorted() == [201, 409], "\(replies.map { $0.text.prefix(300) })")
            let ended = try #require(replies.first { $0.status == .created }?.json)
            #expect(ended["status"] as? String == "done" && ended["order"] == nil, "no resumption: it comes back Not Effective")
            #expect((ended["outcome"] as? String)?.contains("activation conditions fail") == true, "\(ended)")
            let automatic = try await client.call(.get, "/api/v1/subscription-actions/SA000001-END").json
            #expect(automatic["status"] as? String == "withdrawn" && (automatic["outcome"] as? String)?.hasPrefix("superseded") == true, "\(automatic)")
            var subscription = try await client.call(.get, Self.tv).json
            #expect(subscription["state"] as? String == "notEffective" && Self.states(subscription) == ["notEffective"])
            #expect(try await Self.statuses(client).tv == ["suspended"], "the play stays suspended")
            #expect(try await client.call(.post, path, json: #"{"action": "endResting"}"#).code == "action-not-allowed-in-state")

            // Settled, the play resumed by an agent: Effective again (its activation conditions hold).
            _ = try await client.call(.put, "/api/v1/bills/B-OLD", json: #"{"accountsReceivable": "BA-4002", "amount": 25, "currency": "EUR", "dueDate": "2026-10-01", "settled": true}"#)
            let resume = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-HOME"}"#)
            let order = try #require(resume.json["id"] as? String)
            #expect(try await client.call(.post, "/api/v1/orders/\(order)/lines", json: #"{"installedContract": "IC-HOME-1", "installedProduct": "IC-HOME-1.8", "action": "resume"}"#).status == .created)
            #expect(try await client.call(.post, "/api/v1/orders/\(order)/submit").json["status"] as? String == "submitted")
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            subscription = try await client.call(.get, Self.tv).json
            #expect(subscription["state"] as? String == "effective", "\(subscription["lifecycle"] ?? "")")
        }
    }

    @Test("R-12.6, R-14: the daily run keeps subscriptions that came out of resting and fail their activation conditions deactivated — Not Effective with why, the play suspended through an order; one that never rested is not touched; run once a day however many job rounds", arguments: TestBackend.available)
    func dailyActivationRun(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let path = Self.tv + "/actions"
            #expect(try await client.call(.post, path, json: #"{"action": "rest", "until": "2026-11-25"}"#).status == .created)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            clock.set(Day("2026-11-25")!.startDate.addingTimeInterval(3_600))
            try await runJobs(app.engine, clock: clock, rounds: 3, step: 0)
            #expect(try await client.call(.get, Self.tv).json["state"] as? String == "effective", "out of resting, Effective")
            // Both accounts receivable get a bill that falls overdue by more than 30 days.
            for (bill, account) in [("B-TV", "BA-4002"), ("B-NET", "BA-4001")] {
                _ = try await client.call(.put, "/api/v1/bills/\(bill)", json: #"{"accountsReceivable": "\#(account)", "amount": 30, "currency": "EUR", "dueDate": "2026-11-26", "settled": false}"#)
            }
            clock.set(Day("2026-12-27")!.startDate.addingTimeInterval(3_600))
            try await runJobs(app.engine, clock: clock, rounds: 3, step: 0)
            let tv = try await client.call(.get, Self.tv).json
            #expect(tv["state"] as? String == "notEffective" && Self.states(tv) == ["notEffective"], "\(tv["lifecycle"] ?? "")")
            let reason = (tv["lifecycle"] as? [[String: Any]])?.last?["reason"] as? String
            #expect(reason?.contains("activation conditions fail") == true && reason?.contains("B-TV") == true, "\(reason ?? "")")
            #expect(try await Self.statuses(client).tv == ["suspended"])
            #expect(try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.1").json["state"] as? String == "effective", "never rested: not the run's")
            let runs = try await client.call(.get, "/api/v1/jobs?kind=subscriptionDay").items
            #expect(runs.filter { $0["subject"] as? String == "2026-12-27" }.count == 1 && runs.allSatisfy { $0["status"] as? String == "done" }, "\(runs)")
            // Run again the same day: nothing more (already Not Effective, the play suspended).
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            let orders = try await client.call(.get, "/api/v1/orders?captureType=serviceManagement").items
            #expect(orders.count == 3, "rest, end, the run's suspension: \(orders.map { ($0["id"] ?? "", $0["status"] ?? "") })")
        }
    }

    @Test("R-14: an action whose carrying out stopped half-way is finished by its recovery job — taken back (wallet credited, action refused) when no order was submitted, done when its order was; while being carried out it can be neither withdrawn nor rescheduled", arguments: TestBackend.available)
    func recovery(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let path = Self.tv + "/actions"
            let context = app.engine.context("jobs:dead", reason: "step 1 of a carrying out, then the process died")
            // Step 1 of an amendment run by its job, as it commits it: started, the wallet debited; then nothing.
            let scheduled = try await client.call(.post, path, json: #"{"action": "amendBundleServices", "bundle": "IC-HOME-1.13", "add": ["MOVIES-PACK"], "schedule": {"afterDays": 1}}"#)
            let id = try #require(scheduled.json["id"] as? String)
            let record = try #require(try await app.engine.store.get(PendingAction.self, id: id))
            let account = try #require(try await app.engine.store.get(BillingAccount.self, id: "BA-4002"))
            var started = record.value
            started.startedAt = clock.now()
            started.walletDebit = 10
            var debited = account.value
            try debited.move(wallet: .debit, amount: 10, reference: id, at: clock.now(), by: "jobs:dead")
            _ = try await app.engine.store.commit([try .update(started, expectedVersion: record.version), try .update(debited, expectedVersion: account.version)],
                                                  context: context)
            #expect(try await client.call(.post, "/api/v1/subscription-actions/\(id)/withdraw").code == "action-not-pending")
            #expect(try await client.call(.post, "/api/v1/subscription-actions/\(id)/reschedule", json: #"{"schedule": {"afterDays": 3}}"#).code == "action-not-pending")
            // Its job, due the next day, finds it started and never finished: taken back.
            clock.set(Self.start.addingTimeInterval(86_400 + 60))
            try await runJobs(app.engine, clock: clock, rounds: 1, step: 0)
            let recovered = try await client.call(.get, "/api/v1/subscription-actions/\(id)").json
            #expect(recovered["status"] as? String == "refused" && recovered["startedAt"] == nil, "\(recovered)")
            #expect((recovered["outcome"] as? String)?.contains("stopped before its change order was submitted") == true)
            let wallet = try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet").json
            #expect(wallet["balance"] as? Double == 40 && (wallet["items"] as? [[String: Any]])?.first?["reference"] as? String == "refund of \(id)")

            // A resting whose order was submitted before the process died: done by its recovery.
            let rest = try await client.call(.post, path, json: #"{"action": "rest", "until": "2026-12-10"}"#)
            let restID = try #require(rest.json["id"] as? String)
            _ = try await app.engine.store.modify(PendingAction.self, id: restID, context: context) {
                $0.status = .pending
                $0.startedAt = clock.now()
                $0.outcome = nil
            }
            clock.set(clock.now().addingTimeInterval(Double(16 * 60)))
            _ = try await app.engine.subscriptions.runScheduled(restID, at: clock.now(), context: context)
            let done = try await client.call(.get, "/api/v1/subscription-actions/\(restID)").json
            #expect(done["status"] as? String == "done" && (done["outcome"] as? String)?.contains("finished by recovery") == true, "\(done)")
            #expect(try await client.call(.get, Self.tv).json["state"] as? String == "inResting")
        }
    }

    @Test("R-12.5: a resting whose suspension order is refused (held: another order on the contract is still open) is taken back — Effective again, its automatic end withdrawn, the action refused, the order cancelled; R-14: the automatic end meeting a change order still on its way runs again an hour later", arguments: TestBackend.available)
    func restRefusedAndEndPostponed(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            // Another order on the home contract, submitted and not yet fulfilled.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-HOME"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-HOME-1", "installedProduct": "IC-HOME-1.1", "action": "suspend"}"#)
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/submit").json["status"] as? String == "submitted")
            let refused = try await client.call(.post, Self.tv + "/actions", json: #"{"action": "rest", "until": "2026-12-10"}"#)
            #expect(refused.status == .conflict, "\(refused.text.prefix(400))")
            let record = try await client.call(.get, "/api/v1/subscription-actions/SA000001").json
            #expect(record["status"] as? String == "refused" && record["order"] as? String == "SM000002", "\(record)")
            #expect(try await client.call(.get, "/api/v1/orders/SM000002").json["status"] as? String == "cancelled")
            #expect(try await client.call(.get, "/api/v1/subscription-actions/SA000001-END").json["status"] as? String == "withdrawn")
            let subscription = try await client.call(.get, Self.tv).json
            #expect(subscription["state"] as? String == "effective" && subscription["restingUntil"] == nil && Self.states(subscription) == ["effective"])
            let history = (subscription["lifecycle"] as? [[String: Any]] ?? []).compactMap { $0["state"] as? String }
            #expect(Array(history.suffix(2)) == ["inResting", "effective"], "both moves kept: \(history)")

            // Once that order is fulfilled, the resting goes through; its end, due while the
            // suspension is still on its way, waits an hour.
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            #expect(try await client.call(.post, Self.tv + "/actions", json: #"{"action": "rest", "until": "2026-11-23"}"#).status == .created)
            let due = Day("2026-11-23")!.startDate
            let context = app.engine.context("jobs:test", reason: "test")
            let outcome = try await app.engine.subscriptions.runScheduled("SA000002-END", at: due, context: context)
            #expect(outcome.hasPrefix("postponed an hour") && outcome.contains("change-order") == false && outcome.contains("SM000003"), "\(outcome)")
            #expect(try await client.call(.get, "/api/v1/subscription-actions/SA000002-END").json["status"] as? String == "pending")
            let jobs = try await client.call(.get, "/api/v1/jobs?kind=subscriptionAction&status=pending").items
            #expect(jobs.contains { $0["subject"] as? String == "SA000002-END" && $0["dueAt"] as? String == "2026-11-23T01:00:00Z" }, "\(jobs)")
        }
    }
}

