import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Simple order COM<number> for Jane with Fibre 1000 (sold from 2027-01-01), SELCON overridden,
/// submitted: queued until 2027-01-01. Session S<number>.
func queueFibre1000Order(_ client: some TestClientProtocol, number: Int) async throws {
    let id = String(format: "COM%06d", number), session = String(format: "S%06d", number)
    _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
    _ = try await client.call(.post, "/api/v1/orders/\(id)/lines", json: #"{"product": "HOME-CONTRACT"}"#)
    _ = try await client.call(.post, "/api/v1/orders/\(id)/sessions")
    _ = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-1000", "contract": "L1"}]}"#)
    _ = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
    _ = try await client.call(.post, "/api/v1/orders/\(id)/validate")
    _ = try await client.call(.post, "/api/v1/orders/\(id)/holds/SELCON/override", json: #"{"reason": "waits for Fibre 1000"}"#)
    #expect(try await client.call(.post, "/api/v1/orders/\(id)/submit").json["status"] as? String == "queued")
}

@Suite("R-4 configuration sessions bound to orders")
struct SessionAPITests {
    /// A convergent order for ACME with Jane related: a home contract for Jane, a mobile contract for ACME.
    func convergentOrder(_ client: some TestClientProtocol) async throws {
        _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-ACME", "relatedCustomers": ["CUST-JANE"]}"#)
        _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"product": "HOME-CONTRACT", "owner": "CUST-JANE"}"#)
        _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"product": "MOBILE-CONTRACT", "owner": "CUST-ACME"}"#)
    }

    @Test("R-4.1, R-4.7: a session includes every contract of the order, grouped by customer, and shows what it was built from")
    func open() async throws {
        try await TestApp.make().run { client in
            try await convergentOrder(client)
            let opened = try await client.call(.post, "/api/v1/orders/CO000001/sessions")
            #expect(opened.status == .created)
            let session = try #require(opened.json["session"] as? [String: Any])
            let contracts = try #require((session["document"] as? [String: Any])?["contracts"] as? [[String: Any]])
            #expect(contracts.compactMap { $0["customer"] as? String } == ["CUST-ACME", "CUST-JANE"])
            #expect(contracts.compactMap { $0["id"] as? String } == ["L2", "L1"])
            let info = try #require(opened.json["requestInformation"] as? [String: Any])
            #expect(info["catalogVersion"] as? String == "2026.1")
            #expect((info["customers"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["CUST-ACME", "CUST-JANE"])
            #expect(opened.json["status"] as? String == "Invalid") // bare contracts lack their mandatory plays
        }
    }

    @Test("R-4.2, R-4.3: operations re-verify; submit returns each line's configuration and result to the order")
    func submit() async throws {
        try await TestApp.make().run { client in
            try await convergentOrder(client)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/sessions")
            let applied = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-500", "contract": "L1"}]}"#)
            #expect(applied.status == .ok)
            let created = ((applied.json["outcome"] as? [String: Any])?["applied"] as? [[String: Any]])?.first?["created"] as? [String]
            #expect(created?.count == 6)
            let refused = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "DSL-20", "contract": "L1"}]}"#)
            #expect(refused.code == "not-sellable")
            #expect(refused.json["field"] as? String == "operations[0].product")
            let order = try await client.call(.post, "/api/v1/sessions/S000001/submit")
            let lines = try #require(order.json["lines"] as? [[String: Any]])
            #expect(lines.first { $0["number"] as? Int == 1 }?["configurationStatus"] as? String == "Valid")
            #expect(lines.first { $0["number"] as? Int == 2 }?["configurationStatus"] as? String == "Invalid") // no mobile line yet
            #expect(order.json["configurationStatus"] as? String == "Invalid")
            let home = try #require(lines.first { $0["number"] as? Int == 1 }?["configuration"] as? [String: Any])
            #expect(home["product"] as? String == "HOME-CONTRACT")
            #expect(try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": []}"#).code == "session-closed")
            // Reopening starts from what was submitted.
            let reopened = try await client.call(.post, "/api/v1/orders/CO000001/sessions")
            let elements = ((reopened.json["report"] as? [String: Any])?["elements"] as? [[String: Any]]) ?? []
            #expect(elements.contains { $0["product"] as? String == "FIBER-500" })
        }
    }

    @Test("R-4.3: save stores the configuration Not Validated; cancel discards; an order changed meanwhile is a conflict")
    func saveCancelConflict() async throws {
        try await TestApp.make().run { client in
            try await convergentOrder(client)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/sessions")
            _ = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-500", "contract": "L1"}]}"#)
            let saved = try await client.call(.post, "/api/v1/sessions/S000001/save")
            let lines = try #require(saved.json["lines"] as? [[String: Any]])
            #expect(lines.allSatisfy { $0["configurationStatus"] as? String == "Not Validated" })

            _ = try await client.call(.post, "/api/v1/orders/CO000001/sessions")
            let cancelled = try await client.call(.post, "/api/v1/sessions/S000002/cancel")
            #expect(cancelled.json["status"] as? String == "cancelled")
            let before = try await client.call(.get, "/api/v1/orders/CO000001").json["version"] as? Int

            _ = try await client.call(.post, "/api/v1/orders/CO000001/sessions")
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"product": "PREPAID-CONTRACT", "owner": "CUST-JANE"}"#)
            let conflict = try await client.call(.post, "/api/v1/sessions/S000003/submit")
            #expect(conflict.code == "version-conflict")
            #expect(try await client.call(.get, "/api/v1/sessions/S000003").json["session"].flatMap { ($0 as? [String: Any])?["status"] as? String } == "open")
            // Opening a session writes the order (it lists its sessions: two so far); saving wrote it; cancelling did not.
            #expect(before == 6)
            #expect(try await client.call(.get, "/api/v1/orders/CO000001").json["sessions"] as? [String] == ["S000001", "S000002", "S000003"])
        }
    }

    @Test("R-4.1: contracts cannot be added from inside a session; a session needs a line to configure")
    func limits() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/sessions").code == "nothing-to-configure")
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
            let contract = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "MOBILE-CONTRACT", "contract": "L1"}]}"#)
            #expect(contract.code == "not-in-bundle")
        }
    }
}

@Suite("R-7.1, R-11.4 submission through the API")
struct SubmissionAPITests {
    @Test("R-7.1: a convergent order for two customers generates a simple child order per customer, listed on the parent")
    func convergentChildren() async throws {
        let app = try await TestApp.make()
        let engine = app.engine
        try await app.run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-ACME", "relatedCustomers": ["CUST-JANE"]}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"product": "HOME-CONTRACT", "owner": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"product": "BUSINESS-CONTRACT", "owner": "CUST-ACME"}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/sessions")
            _ = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-500", "contract": "L1"}, {"op": "add", "product": "BIZ-FIBER", "contract": "L2"}]}"#)
            _ = try await client.call(.post, "/api/v1/sessions/S000001/submit")
            let submitted = try await client.call(.post, "/api/v1/orders/CO000001/submit")
            #expect(submitted.status == .ok)
            #expect(submitted.json["status"] as? String == "submitted")
            let children = try #require(submitted.json["children"] as? [[String: Any]])
            #expect(children.compactMap { $0["id"] as? String } == ["COM000001", "COM000002"])
            #expect(children.compactMap { $0["customer"] as? String } == ["CUST-ACME", "CUST-JANE"])
            let child = try await client.call(.get, "/api/v1/orders/COM000002")
            #expect(child.json["parentID"] as? String == "CO000001")
            #expect(child.json["status"] as? String == "submitted")
            #expect((child.json["lines"] as? [[String: Any]])?.first?["product"] as? String == "HOME-CONTRACT")
            #expect((child.json["lines"] as? [[String: Any]])?.first?["status"] as? String == "submitted")
            #expect(try await engine.store.all(Order.self).count == 3)
            #expect(try await client.call(.post, "/api/v1/orders/CO000001/submit").code == "illegal-transition")
        }
    }

    @Test("R-5.1: an order with a hold that is not overridden cannot be submitted; it stays held with its holds")
    func held() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let refused = try await client.call(.post, "/api/v1/orders/COM000001/submit")
            #expect(refused.status == .conflict)
            #expect(refused.code == "order-held")
            let order = try await client.call(.get, "/api/v1/orders/COM000001")
            #expect(order.json["status"] as? String == "held")
            #expect((order.json["holds"] as? [[String: Any]])?.first?["code"] as? String == "MLCTV")
        }
    }

    @Test("R-11.4: a future-dated order is queued until its fulfill-by date, then released after the holds run again")
    func queuedRelease() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
            _ = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-1000", "contract": "L1"}]}"#)
            _ = try await client.call(.post, "/api/v1/sessions/S000001/submit")
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/submit").code == "order-held") // SELCON
            _ = try await client.call(.post, "/api/v1/orders/COM000001/holds/SELCON/override", json: #"{"reason": "customer waits for Fibre 1000"}"#)
            let queued = try await client.call(.post, "/api/v1/orders/COM000001/submit")
            #expect(queued.json["status"] as? String == "queued")
            #expect((queued.json["header"] as? [String: Any])?["fulfillBy"] as? String == "2027-01-01")
            // While queued it can still be changed (maintenance) — here, the trial is read-only but lines are not.
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/release", json: #"{"asOf": "2026-12-01"}"#).code == "not-due")
            let released = try await client.call(.post, "/api/v1/orders/COM000001/release", json: #"{"asOf": "2027-01-01"}"#)
            #expect(released.json["status"] as? String == "submitted")
            let history = try await client.call(.get, "/api/v1/history/order/COM000001?limit=500").items
            #expect(history.last?["reason"] as? String == "release")
        }
    }

    @Test("R-4.2: an instance shows its links, the rules naming its product and the instances it could rely on")
    func instanceDetails() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
            let view = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-500", "contract": "L1"}, {"op": "add", "product": "TV-BASIC-PACK", "contract": "L1"}]}"#)
            let elements = (view.json["report"] as? [String: Any])?["elements"] as? [[String: Any]] ?? []
            let tv = try #require(elements.first { $0["product"] as? String == "TV-SERVICE" }?["instance"] as? String)
            let net = try #require(elements.first { $0["product"] as? String == "NET-ACCESS" }?["instance"] as? String)
            let detail = try await client.call(.get, "/api/v1/sessions/S000001/instances/\(tv)")
            #expect(detail.status == .ok)
            #expect((detail.json["linkTargets"] as? [String]) == [net])
            #expect((detail.json["links"] as? [[String: Any]])?.first?["to"] as? String == net)
            #expect((detail.json["rules"] as? [[String: Any]])?.contains { $0["id"] as? String == "REL-TV-NET" && $0["active"] as? Bool == true } == true)
            let missing = try await client.call(.get, "/api/v1/sessions/S000001/instances/nothing")
            #expect(missing.code == "unknown-instance")
            #expect(missing.json["field"] as? String == "instance")
        }
    }

    @Test("Test clock: an administrator moves it forward to a queued order's execution date, and the order is released on that day")
    func testClock() async throws {
        let clock = TestClock(start: Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        try await TestApp.make(clock: clock).run { client in
            let now = try await client.call(.get, "/api/v1/clock")
            #expect(now.json["mode"] as? String == "test")
            #expect(now.json["today"] as? String == "2026-11-22")
            try await queueFibre1000Order(client, number: 1)
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/release").code == "not-due")
            let agent = try await client.agentToken()
            #expect(try await client.call(.post, "/api/v1/clock/advance", token: agent, json: #"{"days": 40}"#).status == .forbidden)
            let backwards = try await client.call(.post, "/api/v1/clock/advance", json: #"{"to": "2026-11-01"}"#)
            #expect(backwards.code == "clock-move-refused")
            #expect(backwards.json["field"] as? String == "to")
            let tooFar = try await client.call(.post, "/api/v1/clock/advance", json: #"{"days": 9223372036854775807}"#)
            #expect(tooFar.code == "clock-move-refused")
            #expect(tooFar.json["field"] as? String == "days")
            #expect(try await client.call(.get, "/api/v1/clock").json["today"] as? String == "2026-11-22") // nothing moved
            let moved = try await client.call(.post, "/api/v1/clock/advance", json: #"{"to": "2027-01-01"}"#)
            #expect(moved.json["today"] as? String == "2027-01-01")
            let released = try await client.call(.post, "/api/v1/orders/COM000001/release")
            #expect(released.json["status"] as? String == "submitted")
            let history = try await client.call(.get, "/api/v1/history/order/COM000001?limit=500").items
            #expect((history.last?["at"] as? String)?.hasPrefix("2027-01-01") == true)
        }
    }

    @Test("Test clock: the system clock cannot be moved")
    func systemClockStays() async throws {
        try await TestApp.make().run { client in
            #expect(try await client.call(.get, "/api/v1/clock").json["mode"] as? String == "system")
            let refused = try await client.call(.post, "/api/v1/clock/advance", json: #"{"days": 1}"#)
            #expect(refused.status == .conflict)
            #expect(refused.code == "clock-not-adjustable")
        }
    }

    @Test("R-6.1: an installed component lists the migrations offered for it, with places in the session and contracts a new one could be made from")
    func possibleMigrations() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-ACME", "relatedCustomers": ["CUST-JANE"]}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"installedContract": "IC-ACME-1", "action": "change"}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"installedContract": "IC-JANE-1", "action": "change"}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"product": "MOBILE-CONTRACT", "owner": "CUST-ACME"}"#)
            #expect(try await client.call(.post, "/api/v1/orders/CO000001/sessions").status == .created)
            // The 8-5 support of ACME's business contract: the upgrade, in place.
            let support = try await client.call(.get, "/api/v1/sessions/S000001/instances/IC-ACME-1.7")
            let upgrade = try #require((support.json["migrations"] as? [[String: Any]])?.first)
            #expect(upgrade["action"] as? String == "SUPPORT-UPGRADE" && upgrade["kind"] as? String == "transformation")
            let places = upgrade["inSession"] as? [[String: Any]] ?? []
            #expect(places.map { $0["parentProduct"] as? String } == ["SUPPORT-OFFER"] && places.first?["contract"] as? String == "IC-ACME-1")
            #expect((upgrade["newContracts"] as? [String])?.isEmpty == false)
            // Jane's mobile line: it may move under ACME's new mobile contract (across customers), or to a new one.
            let line = try await client.call(.get, "/api/v1/sessions/S000001/instances/IC-JANE-1.1")
            let move = try #require((line.json["migrations"] as? [[String: Any]])?.first { $0["action"] as? String == "MOBILE-LINE-MOVE" })
            #expect((move["inSession"] as? [[String: Any]])?.map { $0["parent"] as? String } == ["L3"])
            #expect((move["inSession"] as? [[String: Any]])?.first?["customer"] as? String == "CUST-ACME")
            #expect(move["newContracts"] as? [String] == ["MOBILE-CONTRACT"])
            // New components, and installed ones no action starts from, offer nothing.
            #expect((try await client.call(.get, "/api/v1/sessions/S000001/instances/L3").json["migrations"] as? [Any])?.isEmpty == true)
            #expect((try await client.call(.get, "/api/v1/sessions/S000001/instances/IC-JANE-1").json["migrations"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("R-14, R-11.4: queued orders are released by background jobs on their execution date, each once, by two workers sharing the database", arguments: TestBackend.available)
    func jobsReleaseQueuedOrders(backend: TestBackend) async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(backend, clock: clock)
        let second = Engine(store: try await app.openAnother(), clock: clock)
        try await app.run { client in
            for i in 1...6 {
                try await queueFibre1000Order(client, number: i)
            }
            let pending = try await client.call(.get, "/api/v1/jobs?status=pending").json["items"] as? [[String: Any]] ?? []
            #expect(pending.compactMap { $0["subject"] as? String }.sorted() == (1...6).map { String(format: "COM%06d", $0) })
            #expect(pending.allSatisfy { ($0["dueAt"] as? String)?.hasPrefix("2027-01-01") == true })
            // Before the execution date nothing is due.
            // (The subscriptions' daily run, the demo having subscriptions, is the only job then.)
            #expect(try await JobRunner(engine: app.engine, worker: "a").runDue(now: clock.now()).allSatisfy { $0.kind == .subscriptionDay })
            // Order 6 is released by hand first: its job finds nothing left to do.
            clock.set(Day("2027-01-01")!.startDate.addingTimeInterval(8 * 3_600))
            _ = try await client.call(.post, "/api/v1/orders/COM000006/release")
            async let a = JobRunner(engine: app.engine, worker: "a").runDue(now: clock.now())
            async let b = JobRunner(engine: second, worker: "b").runDue(now: clock.now())
            let outcomes = try await a + b
            let releases = outcomes.filter { $0.kind == .releaseQueuedOrder }
            #expect(releases.count == 6)
            #expect(Set(releases.map(\.subject)).count == 6)
            #expect(outcomes.allSatisfy { $0.status == .done })
            #expect(releases.first { $0.subject == "COM000006" }?.outcome?.hasPrefix("nothing to do") == true)
            // Released orders go on through fulfillment (R-7.3), each step once.
            // One fulfillment job each: it starts and settles the order (should it be cut short, it runs again).
            #expect(outcomes.filter { $0.kind == .fulfillOrder }.count == 6)
            #expect(outcomes.filter { $0.kind == .fulfillOrder }.allSatisfy { $0.outcome?.contains("completed on") == true })
            var messages = 0
            for i in 1...6 {
                let id = String(format: "COM%06d", i)
                let order = try await client.call(.get, "/api/v1/orders/\(id)").json
                #expect(order["status"] as? String == "completed")
                let sent = order["provisioningMessages"] as? [[String: Any]] ?? []
                #expect(!sent.isEmpty && sent.allSatisfy { $0["status"] as? String == "completed" && $0["attempts"] as? Int == 1 })
                messages += sent.count
                let history = try await client.call(.get, "/api/v1/history/order/\(id)?limit=500").items
                // Started, then settled: the simulator at zero delay answers within the step, no job of its own.
                for (reason, count) in [("release", 1), ("fulfillment", 2), ("provisioning message", 0), ("provisioning answer", 0)] {
                    #expect(history.filter { $0["reason"] as? String == reason }.count == count, "\(id): \(reason)")
                }
            }
            #expect(messages >= 6)
            #expect(outcomes.filter { $0.kind == .sendProvisioning || $0.kind == .provisioningCallback }.isEmpty)
            #expect(try await JobRunner(engine: second, worker: "b").runDue(now: clock.now()).isEmpty)
            let done = try await client.call(.get, "/api/v1/jobs?status=done").items.filter { $0["kind"] as? String != "subscriptionDay" }
            #expect(done.count == 12) // six releases, six fulfillments
            #expect(try await client.call(.get, "/api/v1/jobs?status=later").code == "invalid-parameter")
        }
        try await second.store.close()
    }
}
