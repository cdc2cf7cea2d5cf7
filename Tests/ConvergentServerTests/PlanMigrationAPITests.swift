import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// A token for demo user `user`, issued by the administrator.
func token(for user: String, _ client: some TestClientProtocol) async throws -> String {
    try #require(try await client.call(.post, "/api/v1/users/\(user)/tokens", json: #"{"label": "tests"}"#).json["secret"] as? String)
}

@Suite("R-13, R-1.5, R-1.12, R-2.4 package plan migrations, eligibility rules and named permissions")
struct PlanMigrationAPITests {
    /// Eleni's Fibre 500 was installed on 2026-02-02: in its 24-month contract until 2028-02-02.
    static let start = Day("2026-12-03")!.startDate.addingTimeInterval(36_000)
    static let package = "IC-HOME-1.3"

    static func offer(_ options: [String: Any], _ plan: String) -> [String: Any]? {
        (options["plans"] as? [[String: Any]])?.first { ($0["plan"] as? [String: Any])?["id"] as? String == plan }
    }

    static func codes(_ reasons: Any?) -> [String] { (reasons as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }

    @Test("R-13.1, R-13.3, R-13.4: a downgrade in contract — offered plans with why not for the others, the break-out fee shown before confirmation and waived only with waive-fees (who and why recorded), saved at each step, listed and resumed, fulfilled to the new plan with the fee on the package's history", arguments: TestBackend.available)
    func downgradeInContract(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            // R-13.4: every plan, offered or not and why; the fee of each offered one.
            let options = try await client.call(.get, "/api/v1/installed-products/\(Self.package)/plan-options")
            #expect(options.status == .ok, "\(options.text.prefix(400))")
            #expect(Self.codes(options.json["blockers"]).isEmpty && (options.json["plan"] as? [String: Any])?["id"] as? String == "BB-FIBRE-500")
            let down = try #require(Self.offer(options.json, "BB-FIBRE-200"))
            let decision = try #require(down["decision"] as? [String: Any])
            #expect(down["offered"] as? Bool == true && decision["migration"] as? String == "downgrade" && decision["state"] as? String == "inContract")
            #expect((decision["fee"] as? [String: Any])?["amount"] as? Double == 120 && decision["rule"] as? String == "POOL-24M[downgrade/inContract]")
            #expect(decision["termEnds"] as? String == "2028-02-02")
            let up = try #require(Self.offer(options.json, "BB-FIBRE-1000"))
            #expect(up["offered"] as? Bool == false && Self.codes(up["reasons"]) == ["plan-not-on-sale"], "Fibre 1000 is sold from 2027-01-01")
            #expect(((up["decision"] as? [String: Any])?["discount"] as? [String: Any])?["amount"] as? Double == 20, "the early-upgrade discount it would get")
            #expect(Self.codes(Self.offer(options.json, "BB-FIBRE-500")?["reasons"]) == ["same-plan"])

            // Step 1: started; the package records it, so a second one is blocked.
            let started = try await client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(Self.package)"}"#)
            #expect(started.status == .created && started.json["id"] as? String == "PM-000001" && started.json["step"] as? String == "chooseTarget", "\(started.text.prefix(300))")
            #expect(started.json["actingFor"] as? String == "agent", "the administrator acts for the agent attributed to Eleni's sale")
            let twice = try await client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(Self.package)"}"#)
            #expect(twice.status == .conflict && twice.code == "plan-migration-blocked" && twice.reasonCodes == ["package-in-migration"], "\(twice.text.prefix(300))")
            #expect(twice.reasons.first?["remedy"] is String && twice.reasons.first?["action"] as? String == "resume PM-000001")

            // Step 2: a plan not offered is refused with why; the offered one answers its fee before confirmation.
            let notSold = try await client.call(.post, "/api/v1/plan-migrations/PM-000001/target", json: #"{"plan": "BB-FIBRE-1000"}"#)
            #expect(notSold.status == .unprocessableContent && notSold.code == "plan-not-offered" && notSold.reasonCodes == ["plan-not-on-sale"])
            #expect(try await client.call(.post, "/api/v1/plan-migrations/PM-000001/confirm").code == "plan-migration-not-at-step", "a target first")
            let chosen = try await client.call(.post, "/api/v1/plan-migrations/PM-000001/target", json: #"{"plan": "BB-FIBRE-200"}"#)
            #expect(chosen.json["step"] as? String == "reviewFee" && chosen.json["toPlan"] as? String == "BB-FIBRE-200")
            #expect(((chosen.json["feeCharged"] as? [String: Any])?["amount"] as? Double) == 120)

            // Listed with its step, and read back where it stopped (resume).
            let listed = try await client.call(.get, "/api/v1/plan-migrations?customer=CUST-HOME")
            #expect(listed.items.map { "\($0["id"] ?? "") \($0["step"] ?? "") \($0["open"] as? Bool ?? false)" } == ["PM-000001 reviewFee true"])
            #expect(try await client.call(.get, "/api/v1/plan-migrations?step=completed").items.isEmpty)

            // R-2.4: waiving takes waive-fees; the refusal names it. The supervisor holds it.
            let agent = try await token(for: "agent", client)
            let refused = try await client.call(.post, "/api/v1/plan-migrations/PM-000001/waiver", token: agent, json: #"{"reason": "loyal customer"}"#)
            #expect(refused.status == .forbidden && refused.json["permission"] as? String == "waive-fees", "\(refused.text)")
            let supervisor = try await token(for: "supervisor", client)
            let waived = try await client.call(.post, "/api/v1/plan-migrations/PM-000001/waiver", token: supervisor, json: #"{"reason": "moving abroad in March"}"#)
            #expect(waived.status == .ok, "\(waived.text.prefix(300))")
            #expect((waived.json["waiver"] as? [String: Any])?["by"] as? String == "supervisor" && waived.json["feeCharged"] == nil)

            // Step 3: confirmed into a convergent change order, fulfilled through provisioning.
            let confirmed = try await client.call(.post, "/api/v1/plan-migrations/PM-000001/confirm", token: agent)
            #expect(confirmed.status == .ok && confirmed.json["step"] as? String == "fulfilling", "\(confirmed.text.prefix(400))")
            let order = try #require(confirmed.json["order"] as? String)
            #expect(try await client.call(.post, "/api/v1/plan-migrations/PM-000001/abort").code == "plan-migration-not-at-step", "the order carries it now")
            #expect(try await client.call(.get, "/api/v1/orders/\(order)").json["adjustments"] == nil, "the fee was waived: no charge on the order")
            #expect(try await fulfil(app, client, order: order, clock: clock).json["status"] as? String == "completed")
            let done = try await client.call(.get, "/api/v1/plan-migrations/PM-000001").json
            #expect(done["step"] as? String == "completed" && done["open"] as? Bool == false)
            #expect((done["history"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String } == ["chooseTarget", "reviewFee", "reviewFee", "fulfilling", "completed"])

            // The package is on Fibre 200, its history recording the migration and its waived fee; the old one is gone.
            let tree = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HOME-1").json)
            #expect(tree[Self.package]?["installedStatus"] as? String == "disconnected" && tree[Self.package]?["openPlanMigration"] == nil)
            let fibre200 = try #require(tree.values.first { $0["product"] as? String == "FIBER-200" })
            #expect(fibre200["installedStatus"] as? String == "active")
            let change = try #require(fibre200["planChange"] as? [String: Any])
            #expect(change["migration"] as? String == "PM-000001" && change["type"] as? String == "downgrade" && change["fromPlan"] as? String == "BB-FIBRE-500")
            #expect((change["fee"] as? [String: Any])?["amount"] as? Double == 120 && change["waivedBy"] as? String == "supervisor")

            // The new package migrates again: nothing blocks it.
            let again = try await client.call(.get, "/api/v1/installed-products/\(fibre200["id"] as! String)/plan-options")
            #expect(Self.codes(again.json["blockers"]).isEmpty && (again.json["plan"] as? [String: Any])?["id"] as? String == "BB-FIBRE-200")
        }
    }

    @Test("R-13.1, R-13.3: an upgrade out of contract is free; an abort frees the package; two agents starting or confirming at once get one success and one refusal; only those acting for the attributed agent work on it; a cancelled order fails the migration", arguments: TestBackend.available)
    func upgradeOutOfContract(backend: TestBackend) async throws {
        let clock = FixedClock(Day("2028-03-01")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            // Concurrency: one start wins, the other is refused (blocked or a version conflict).
            async let first = client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(Self.package)"}"#)
            async let second = client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(Self.package)"}"#)
            let replies = try await [first, second]
            #expect(replies.filter { $0.status == .created }.count == 1, "\(replies.map(\.text))")
            #expect(replies.filter { $0.status == .conflict && ["plan-migration-blocked", "version-conflict"].contains($0.code ?? "") }.count == 1)
            let id = try #require(replies.first { $0.status == .created }?.json["id"] as? String)
            let aborted = try await client.call(.post, "/api/v1/plan-migrations/\(id)/abort", json: #"{"reason": "customer hesitates"}"#)
            #expect(aborted.json["step"] as? String == "aborted" && (aborted.json["outcome"] as? String)?.contains("customer hesitates") == true)
            let options = try await client.call(.get, "/api/v1/installed-products/\(Self.package)/plan-options").json
            #expect(Self.codes(options["blockers"]).isEmpty, "aborted: the package is free")

            let started = try await client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(Self.package)"}"#)
            let pm = try #require(started.json["id"] as? String)
            let chosen = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/target", json: #"{"plan": "BB-FIBRE-1000"}"#)
            let decision = try #require(chosen.json["decision"] as? [String: Any])
            #expect(decision["migration"] as? String == "upgrade" && decision["state"] as? String == "outOfContract" && decision["fee"] == nil && decision["discount"] == nil)
            let noFee = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/waiver", json: #"{"reason": "none"}"#)
            #expect(noFee.code == "no-fee-to-waive")
            let stale = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/confirm", headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .conflict && stale.code == "version-conflict")
            let confirmed = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/confirm")
            let order = try #require(confirmed.json["order"] as? String, "\(confirmed.text.prefix(300))")
            #expect(try await fulfil(app, client, order: order, clock: clock).json["status"] as? String == "completed")
            let tree = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HOME-1").json)
            let fibre1000 = try #require(tree.values.first { $0["product"] as? String == "FIBER-1000" })
            let change = try #require(fibre1000["planChange"] as? [String: Any])
            #expect(change["type"] as? String == "upgrade" && change["fee"] == nil && change["discount"] == nil)

            // Only users who may act for the agent attributed to the sale work on a migration (R-13.2, R-2.4).
            let next = try #require(try await client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(fibre1000["id"] as! String)"}"#).json["id"] as? String)
            let trainee = try await token(for: "trainee", client)
            let notHis = try await client.call(.post, "/api/v1/plan-migrations/\(next)/target", token: trainee, json: #"{"plan": "BB-FIBRE-500"}"#)
            #expect(notHis.status == .forbidden && notHis.json["permission"] as? String == "act-for:agent")
            // Two agents confirming at the same moment: one order, one refusal; the winner's migration intact.
            let agent = try await token(for: "agent", client), supervisor = try await token(for: "supervisor", client)
            _ = try await client.call(.post, "/api/v1/plan-migrations/\(next)/target", token: agent, json: #"{"plan": "BB-FIBRE-500"}"#)
            async let one = client.call(.post, "/api/v1/plan-migrations/\(next)/confirm", token: agent)
            async let two = client.call(.post, "/api/v1/plan-migrations/\(next)/confirm", token: supervisor)
            let confirms = try await [one, two]
            #expect(confirms.filter { $0.status == .ok }.count == 1 && confirms.filter { $0.status == .conflict }.count == 1, "\(confirms.map(\.text))")
            let won = try #require(confirms.first { $0.status == .ok }?.json["order"] as? String)
            var read = try await client.call(.get, "/api/v1/plan-migrations/\(next)").json
            #expect(read["step"] as? String == "fulfilling" && read["order"] as? String == won)
            // Its order cancelled before fulfillment: the migration failed, the package free again.
            #expect(try await client.call(.post, "/api/v1/orders/\(won)/cancel").status == .ok)
            read = try await client.call(.get, "/api/v1/plan-migrations/\(next)").json
            #expect(read["step"] as? String == "failed" && (read["outcome"] as? String)?.contains("cancelled") == true, "\(read)")
            #expect(Self.codes(try await client.call(.get, "/api/v1/installed-products/\(fibre1000["id"] as! String)/plan-options").json["blockers"]).isEmpty)
        }
    }

    @Test("R-13.2: every blocker of seed 000 is raised — all listed at once, each with code and remedy — and cleared: the user not attributed without act-for, the package and a service not active (pre-active: cancel the order), the package in a change order (upgrade), awaiting provisioning, in a migration", arguments: TestBackend.available)
    func blockers(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        // The provisioning systems answer ten minutes after each request: the order waits in fulfillment.
        let app = try await TestApp.make(backend, clock: clock, provisioning: ProvisioningSetup(simulator: ProvisioningSimulator(delay: 600)))
        try await app.run { client in
            let path = "/api/v1/installed-products/\(Self.package)/plan-options"
            // Not the attributed agent (agent), without act-for: refused, naming the permission.
            let trainee = try await token(for: "trainee", client)
            let blocked = try await client.call(.post, "/api/v1/plan-migrations", token: trainee, json: #"{"instance": "\#(Self.package)"}"#)
            #expect(blocked.status == .conflict && blocked.reasonCodes == ["not-attributed-agent"], "\(blocked.text.prefix(300))")
            #expect(blocked.reasons.first?["rule"] as? String == "act-for:agent" && (blocked.reasons.first?["remedy"] as? String)?.contains("act-for:agent") == true)
            // Cleared: the administrator grants trainee act-for:agent (R-2.4), a change with its history.
            let granted = try await client.call(.put, "/api/v1/users/trainee/permissions", json: #"{"permissions": ["act-for:agent"]}"#)
            #expect(granted.status == .ok && granted.json["permissions"] as? [String] == ["act-for:agent"], "\(granted.text)")
            #expect(Self.codes(try await client.call(.get, path, token: trainee).json["blockers"]).isEmpty)
            #expect(try await client.call(.put, "/api/v1/users/trainee/permissions", json: #"{"permissions": ["fly"]}"#).json["field"] as? String == "permissions[0]")
            #expect(try await client.call(.put, "/api/v1/users/trainee/permissions", token: trainee, json: #"{"permissions": []}"#).json["permission"] as? String == "manage-users")

            // The package suspended, a service under it pre-active: both listed, with the order to cancel.
            let store = app.engine.store, context = app.engine.context("tests")
            func setStatuses(_ statuses: [String: InstalledStatus]) async throws {
                let stored = try #require(try await store.get(InstalledContract.self, id: "IC-HOME-1"))
                var contract = stored.value
                contract.root = contract.root.map { p in
                    var copy = p
                    if let status = statuses[p.id] { copy.status = status }
                    return copy
                }
                _ = try await store.update(contract, expectedVersion: stored.version, context: context)
            }
            try await setStatuses(["IC-HOME-1.3": .pendingSuspension, "IC-HOME-1.4": .pendingSuspension])
            try await setStatuses(["IC-HOME-1.3": .suspended, "IC-HOME-1.4": .suspended])
            var options = try await client.call(.get, path).json
            #expect(Self.codes(options["blockers"]) == ["package-not-active", "service-not-active"])
            try await setStatuses(["IC-HOME-1.3": .pendingResumption, "IC-HOME-1.4": .pendingResumption])
            try await setStatuses(["IC-HOME-1.3": .active, "IC-HOME-1.4": .active])
            #expect(Self.codes(try await client.call(.get, path).json["blockers"]).isEmpty, "resumed: cleared")

            // A draft change order on the contract: the package is in an upgrade; cancelled, cleared.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-HOME"}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"installedContract": "IC-HOME-1", "action": "change"}"#)
            options = try await client.call(.get, path).json
            #expect(Self.codes(options["blockers"]) == ["package-in-upgrade"], "\(options["blockers"] ?? "")")
            _ = try await client.call(.post, "/api/v1/orders/CO000001/cancel")
            #expect(Self.codes(try await client.call(.get, path).json["blockers"]).isEmpty)

            // Confirmed: in a migration until its order completes (its own order is the migration, not another change).
            let pm = try #require(try await client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(Self.package)"}"#).json["id"] as? String)
            _ = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/target", json: #"{"plan": "BB-FIBRE-200"}"#)
            let confirmed = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/confirm")
            let order = try #require(confirmed.json["order"] as? String, "\(confirmed.text.prefix(500))")
            #expect(Self.codes(try await client.call(.get, path).json["blockers"]) == ["package-in-migration"])
            #expect(try await fulfil(app, client, order: order, clock: clock, rounds: 20).json["status"] as? String == "completed")
            let tree = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HOME-1").json)
            let fibre200 = try #require(tree.values.first { $0["product"] as? String == "FIBER-200" }?["id"] as? String)
            let newPath = "/api/v1/installed-products/\(fibre200)/plan-options"
            #expect(Self.codes(try await client.call(.get, newPath).json["blockers"]).isEmpty, "completed: the new package is free")

            // A suspension sent to provisioning systems that answer ten minutes later: awaiting their outcome,
            // the package and its service on their way to suspended — every reason listed at once.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-HOME"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-HOME-1", "action": "suspend"}"#)
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/submit").json["status"] as? String == "submitted")
            try await runJobs(app.engine, clock: clock, rounds: 1, step: 0)
            let during = try await client.call(.get, newPath).json
            #expect(Self.codes(during["blockers"]) == ["package-not-active", "service-not-active", "awaiting-provisioning"], "\(during["blockers"] ?? "")")
            #expect((during["blockers"] as? [[String: Any]] ?? []).allSatisfy { $0["remedy"] is String && $0["message"] is String })
            #expect(try await fulfil(app, client, order: "SM000001", clock: clock, rounds: 20).json["status"] as? String == "completed")
            #expect(Self.codes(try await client.call(.get, newPath).json["blockers"]) == ["package-not-active", "service-not-active"], "suspended")
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-HOME"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000002/lines", json: #"{"installedContract": "IC-HOME-1", "action": "resume"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000002/submit")
            #expect(try await fulfil(app, client, order: "SM000002", clock: clock, rounds: 20).json["status"] as? String == "completed")
            #expect(Self.codes(try await client.call(.get, newPath).json["blockers"]).isEmpty, "resumed: cleared")
        }
    }

    @Test("R-13.2: the pool allowing no such migration under contract blocks that plan (raised by a catalog whose pool refuses downgrades in contract, cleared when the term ends); a change of ownership of the package's contract blocks it (raised by an open order moving the contract to another customer, cleared when cancelled)", arguments: TestBackend.available)
    func poolAndOwnership(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let path = "/api/v1/installed-products/\(Self.package)/plan-options"
            // A catalog version whose pool allows no downgrade in contract.
            let strict = demoYAML(version: "2026.2", effective: "2026-06-01")
                .replacingOccurrences(of: "{migration: downgrade, state: inContract, fee: {amount: 120, currency: EUR}}", with: "{migration: downgrade, state: inContract, allowed: false}")
            #expect(strict.contains("allowed: false"))
            #expect(try await client.call(.post, "/api/v1/catalog/versions", yaml: strict).status == .created)
            #expect(try await client.call(.post, "/api/v1/catalog/versions/2026.2/activate").status == .ok)
            var down = try #require(Self.offer(try await client.call(.get, path).json, "BB-FIBRE-200"))
            #expect(down["offered"] as? Bool == false && Self.codes(down["reasons"]) == ["pool-refuses-migration"], "\(down)")
            let reason = try #require((down["reasons"] as? [[String: Any]])?.first)
            #expect(reason["rule"] as? String == "POOL-24M[downgrade/inContract]" && (reason["remedy"] as? String)?.contains("2028-02-02") == true)
            let pm = try #require(try await client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(Self.package)"}"#).json["id"] as? String)
            let refused = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/target", json: #"{"plan": "BB-FIBRE-200"}"#)
            #expect(refused.code == "plan-not-offered" && refused.reasonCodes == ["pool-refuses-migration"])
            _ = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/abort")
            // Out of contract the row no longer applies: offered, free.
            clock.set(Day("2028-02-02")!.startDate.addingTimeInterval(36_000))
            down = try #require(Self.offer(try await client.call(.get, path).json, "BB-FIBRE-200"))
            #expect(down["offered"] as? Bool == true && (down["decision"] as? [String: Any])?["state"] as? String == "outOfContract")

            // A change of ownership: the contract's line given to Jane on an open order.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-HOME", "relatedCustomers": ["CUST-JANE"]}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"installedContract": "IC-HOME-1", "action": "change"}"#)
            let moved = try await client.call(.post, "/api/v1/orders/CO000001/lines/1/customer", json: #"{"customer": "CUST-JANE"}"#)
            #expect(moved.status == .ok, "\(moved.text.prefix(300))")
            #expect(Self.codes(try await client.call(.get, path).json["blockers"]) == ["package-in-ownership-change"])
            _ = try await client.call(.post, "/api/v1/orders/CO000001/cancel")
            #expect(Self.codes(try await client.call(.get, path).json["blockers"]).isEmpty)
        }
    }

    @Test("R-13.3, R-14: a confirmation cut short (the process stopped after naming the order, before submitting it) is taken back when the migration is next read, minutes later: the draft order cancelled, the migration at its review again, confirmed once more", arguments: TestBackend.available)
    func confirmationCutShort(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let pm = try #require(try await client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(Self.package)"}"#).json["id"] as? String)
            _ = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/target", json: #"{"plan": "BB-FIBRE-200"}"#)
            // What a process dying in the middle of confirm leaves: the order made and named, still a draft.
            let draft = try #require(try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-HOME"}"#).json["id"] as? String)
            let store = app.engine.store
            let stored = try #require(try await store.get(PlanMigration.self, id: pm))
            var cut = stored.value
            try cut.confirm(order: draft, on: app.engine.today)
            _ = try await store.update(cut, expectedVersion: stored.version, context: app.engine.context("tests"))
            #expect(try await client.call(.get, "/api/v1/plan-migrations/\(pm)").json["step"] as? String == "fulfilling", "a confirmation may still be under way")
            clock.set(Self.start.addingTimeInterval(600))
            let back = try await client.call(.get, "/api/v1/plan-migrations/\(pm)").json
            #expect(back["step"] as? String == "reviewFee" && back["order"] == nil && (back["outcome"] as? String)?.contains("cut short") == true, "\(back)")
            #expect(try await client.call(.get, "/api/v1/orders/\(draft)").json["status"] as? String == "cancelled")
            let confirmed = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/confirm")
            #expect(confirmed.json["step"] as? String == "fulfilling" && confirmed.json["order"] as? String != draft, "\(confirmed.text.prefix(300))")
            // The break-out fee, a one-time charge on the change order's line.
            let adjustment = try #require((try await client.call(.get, "/api/v1/orders/\(confirmed.json["order"] as! String)").json["adjustments"] as? [[String: Any]])?.first)
            #expect(adjustment["amount"] as? Double == 120 && adjustment["line"] as? Int == 1 && (adjustment["reason"] as? String)?.contains("break-out fee of plan migration \(pm)") == true, "\(adjustment)")
        }
    }

    @Test("R-13.1: an early upgrade in contract earns the pool's discount — shown before confirming, a negative one-time charge on the change order, recorded on the new package", arguments: TestBackend.available)
    func earlyUpgradeDiscount(backend: TestBackend) async throws {
        let clock = FixedClock(Day("2027-03-01")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let pm = try #require(try await client.call(.post, "/api/v1/plan-migrations", json: #"{"instance": "\#(Self.package)"}"#).json["id"] as? String)
            let chosen = try await client.call(.post, "/api/v1/plan-migrations/\(pm)/target", json: #"{"plan": "BB-FIBRE-1000"}"#).json
            let decision = try #require(chosen["decision"] as? [String: Any])
            #expect(decision["migration"] as? String == "upgrade" && decision["state"] as? String == "inContract" && (decision["discount"] as? [String: Any])?["amount"] as? Double == 20)
            let order = try #require(try await client.call(.post, "/api/v1/plan-migrations/\(pm)/confirm").json["order"] as? String)
            let adjustment = try #require((try await client.call(.get, "/api/v1/orders/\(order)").json["adjustments"] as? [[String: Any]])?.first)
            #expect(adjustment["amount"] as? Double == -20 && (adjustment["reason"] as? String)?.hasPrefix("discount of plan migration") == true)
            #expect(try await fulfil(app, client, order: order, clock: clock).json["status"] as? String == "completed")
            let tree = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HOME-1").json)
            let change = try #require(tree.values.first { $0["product"] as? String == "FIBER-1000" }?["planChange"] as? [String: Any])
            #expect(change["type"] as? String == "upgrade" && (change["discount"] as? [String: Any])?["amount"] as? Double == 20 && change["fee"] == nil)
        }
    }

    @Test("R-2.4: the existing checks use named permissions — an agent refused a hold override and a catalog upload, each 403 naming the permission, may do them once granted; setup and the clock stay the administrators' (manage-setup, never granted)", arguments: TestBackend.available)
    func namedPermissionsInExistingChecks(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend, clock: FixedClock(Self.start))
        try await app.run { client in
            let agent = try await token(for: "agent", client)
            // Fibre 1000 is sold from 2027-01-01: the order is held by SELCON.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
            _ = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-1000", "contract": "L1"}]}"#)
            _ = try await client.call(.post, "/api/v1/sessions/S000001/submit")
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/validate").json["status"] as? String == "held")
            let override = "/api/v1/orders/COM000001/holds/SELCON/override"
            let refused = try await client.call(.post, override, token: agent, json: #"{"reason": "waits for Fibre 1000"}"#)
            #expect(refused.status == .forbidden && refused.json["permission"] as? String == "override-holds", "\(refused.text)")
            let upload = demoYAML(version: "2026.9", effective: "2026-06-01")
            let notCatalog = try await client.call(.post, "/api/v1/catalog/versions", token: agent, yaml: upload)
            #expect(notCatalog.status == .forbidden && notCatalog.json["permission"] as? String == "manage-catalog")
            let granted = try await client.call(.put, "/api/v1/users/agent/permissions", json: #"{"permissions": ["override-holds", "manage-catalog"]}"#)
            #expect(granted.json["permissions"] as? [String] == ["manage-catalog", "override-holds"], "\(granted.text)")
            #expect(try await client.call(.post, override, token: agent, json: #"{"reason": "waits for Fibre 1000"}"#).status == .ok)
            #expect(try await client.call(.post, "/api/v1/catalog/versions", token: agent, yaml: upload).status == .created)
            let clock = try await client.call(.post, "/api/v1/clock/advance", token: agent, json: #"{"days": 1}"#)
            #expect(clock.status == .forbidden && clock.json["permission"] as? String == "manage-setup")
            #expect(try await client.call(.put, "/api/v1/users/agent/permissions", json: #"{"permissions": ["manage-setup"]}"#).json["field"] as? String == "permissions[0]",
                    "manage-setup is never granted")
            // The grant is a change with its history entry.
            let history = try await client.call(.get, "/api/v1/history/user/agent")
            #expect(history.status == .ok && history.text.contains("override-holds"), "\(history.text.prefix(400))")
        }
    }

    @Test("R-1.5, R-13.4, R-16.3: why can't I see it — products, plans and migration actions answer visible or not with code, rule and remedy; a session refuses an ineligible product with the same reasons", arguments: TestBackend.available)
    func whyNot(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend, clock: FixedClock(Self.start))
        try await app.run { client in
            let visible = try await client.call(.get, "/api/v1/eligibility?customer=CUST-HOME&product=FIBER-200").json
            #expect(visible["visible"] as? Bool == true && Self.codes(visible["reasons"]).isEmpty)
            let business = try await client.call(.get, "/api/v1/eligibility?customer=CUST-ACME&plan=BB-FIBRE-200")
            #expect(business.json["visible"] as? Bool == false && Self.codes(business.json["reasons"]) == ["ineligible-segment"], "\(business.text.prefix(600))")
            let reason = try #require((business.json["reasons"] as? [[String: Any]])?.first)
            #expect(reason["rule"] as? String == "EL-RESIDENTIAL" && (reason["remedy"] as? String)?.contains("Business Fibre") == true)
            #expect(Self.codes(try await client.call(.get, "/api/v1/eligibility?customer=CUST-HOME&plan=BB-FIBRE-1000").json["reasons"]) == ["plan-not-on-sale"])
            let withPackage = try await client.call(.get, "/api/v1/eligibility?customer=CUST-HOME&plan=BB-FIBRE-200&instance=\(Self.package)").json
            #expect(withPackage["visible"] as? Bool == true && (withPackage["decision"] as? [String: Any])?["migration"] as? String == "downgrade")
            let action = try await client.call(.get, "/api/v1/eligibility?customer=CUST-JANE&action=SUPPORT-UPGRADE").json
            #expect(Self.codes(action["reasons"]) == ["ineligible-customer-kind"])
            #expect(Self.codes(try await client.call(.get, "/api/v1/eligibility?customer=CUST-ACME&action=TV-PACK-TO-SPORTS").json["reasons"]) == ["migration-action-private"])
            #expect(try await client.call(.get, "/api/v1/eligibility?customer=CUST-HOME").code == "invalid-parameter")
            #expect(try await client.call(.get, "/api/v1/eligibility?customer=CUST-HOME&plan=NOPE").status == .notFound)
            #expect(try await client.call(.get, "/api/v1/installed-products/IC-HOME-1.5/plan-options").code == "not-a-package-subscription")
            // The catalog's plans, pools and rules.
            let plans = try await client.call(.get, "/api/v1/catalog/plans").json
            #expect((plans["plans"] as? [[String: Any]])?.compactMap { $0["rank"] as? Int } == [1, 2, 3])
            #expect((plans["pools"] as? [[String: Any]])?.first?["termMonths"] as? Int == 24)
            // A session refuses Fibre 200 for a business customer with the same reasons.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-ACME"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
            let refused = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-200", "contract": "L1"}]}"#)
            #expect(refused.status == .unprocessableContent && refused.code == "not-eligible" && refused.reasonCodes == ["ineligible-segment"], "\(refused.text.prefix(300))")
            #expect(refused.json["field"] as? String == "operations[0].product")
        }
    }
}

@Suite("R-13, R-16.3 from the command line")
struct PlanMigrationCLITests {
    /// Runs the built `convergent` with `arguments`: its exit status and everything it printed.
    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let binary = try #require(CrashTests.binary, "the convergent executable is built next to the tests (swift build builds it)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("R-13.2, R-13.4, R-16.3, R-2.4: the CLI answers the same reasons (code, remedy, rule) as the API — blockers and plans of a package, why a plan is not visible; a refused start exits 1 with every reason; permissions granted; a migration moved step by step and listed")
    func commandLine() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        #expect(try Self.run(["demo", "load", "--database", path]).status == 0)
        let options = try Self.run(["plans", "options", "IC-HOME-1.3", "--as", "trainee", "--database", path])
        #expect(options.status == 0 && options.output.contains("not-attributed-agent:") && options.output.contains("BB-FIBRE-200 (rank 1): offered — downgrade, in contract (term ends 2028-02-02): break-out fee 120 EUR"), "\(options.output)")
        let why = try Self.run(["plans", "why-not", "--customer", "CUST-ACME", "--plan", "BB-FIBRE-200", "--database", path])
        #expect(why.output.contains("not visible") && why.output.contains("ineligible-segment:") && why.output.contains("[rule EL-RESIDENTIAL]"), "\(why.output)")
        let refused = try Self.run(["plans", "start", "IC-HOME-1.3", "--as", "trainee", "--database", path])
        #expect(refused.status == 1 && refused.output.contains("plan-migration-blocked") && refused.output.contains("act-for:agent"))
        #expect(try Self.run(["plans", "grant", "trainee", "act-for:agent", "--database", path]).output.contains("trainee: act-for:agent"))
        #expect(try Self.run(["plans", "start", "IC-HOME-1.3", "--as", "trainee", "--database", path]).output.contains("PM-000001 chooseTarget"))
        let target = try Self.run(["plans", "target", "PM-000001", "BB-FIBRE-200", "--as", "trainee", "--database", path])
        #expect(target.output.contains("(downgrade, in contract (term ends 2028-02-02): break-out fee 120 EUR; charged: break-out fee 120 EUR)"), "\(target.output)")
        let waive = try Self.run(["plans", "waive", "PM-000001", "--reason", "moving", "--as", "trainee", "--database", path])
        #expect(waive.status == 1 && waive.output.contains("missing permission waive-fees"))
        #expect(try Self.run(["plans", "list", "--step", "reviewFee", "--database", path]).output.contains("PM-000001 reviewFee"))
    }
}
