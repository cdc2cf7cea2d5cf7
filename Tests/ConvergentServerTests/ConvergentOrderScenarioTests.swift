import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

extension Reply {
    var lines: [[String: Any]] { json["lines"] as? [[String: Any]] ?? [] }
    var holdCodes: [String] { (json["holds"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String } }
}

@Suite("R-7.1 end to end: a convergent order for two customers with new and installed contracts")
struct ConvergentOrderScenarioTests {
    @Test("R-7.1: sold-to ACME with Jane related — new home and mobile contracts, a change and a suspension of installed ones — gives the right child orders", arguments: TestBackend.available)
    func twoCustomersNewAndInstalled(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        let engine = app.engine
        try await app.run { client in
            // 1. The order: ACME sold-to, Jane related, sold on the web (trial default 14 days).
            let created = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-ACME", "contact": "CT-1", "relatedCustomers": ["CUST-JANE"], "source": "web"}"#)
            #expect(created.status == .created)
            #expect(created.json["header"].flatMap { ($0 as? [String: Any])?["trialDays"] as? Int } == 14)
            let o = "/api/v1/orders/CO000001"
            // 2. Lines: a new home contract for Jane, ACME's installed business contract to change,
            //    Jane's installed mobile contract to suspend, a new mobile contract for ACME.
            #expect(try await client.call(.post, "\(o)/lines", json: #"{"product": "HOME-CONTRACT", "owner": "CUST-JANE"}"#).status == .created)
            let change = try await client.call(.post, "\(o)/lines", json: #"{"installedContract": "IC-ACME-1", "action": "change"}"#)
            #expect(change.lines.last?["customer"] as? String == "CUST-ACME")
            #expect(change.lines.last?["product"] as? String == "BUSINESS-CONTRACT")
            _ = try await client.call(.post, "\(o)/lines", json: #"{"installedContract": "IC-JANE-1", "action": "suspend", "reason": "travel"}"#)
            _ = try await client.call(.post, "\(o)/lines", json: #"{"product": "MOBILE-CONTRACT", "owner": "CUST-ACME"}"#)
            // A component of an installed contract is not a top-level installed contract.
            #expect(try await client.call(.post, "\(o)/lines", json: #"{"installedContract": "IC-ACME-1.3", "action": "change"}"#).code == "not-top-level")

            // 3. One session over every contract taking part (not the suspension), installed ones as installed.
            let session = try await client.call(.post, "\(o)/sessions")
            let contracts = ((session.json["session"] as? [String: Any])?["document"] as? [String: Any])?["contracts"] as? [[String: Any]] ?? []
            #expect(contracts.compactMap { $0["id"] as? String } == ["IC-ACME-1", "L4", "L1"])
            #expect(contracts.first?["installedStatus"] as? String == "active")
            var view = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"""
                {"operations": [{"op": "add", "product": "FIBER-500", "contract": "L1"},
                                {"op": "add", "product": "TV-BASIC-PACK", "contract": "L1"},
                                {"op": "remove", "instance": "IC-ACME-1.7"},
                                {"op": "add", "product": "SUPPORT-24-7", "contract": "IC-ACME-1"},
                                {"op": "add", "product": "MOBILE-VOICE-DATA", "contract": "L4"}]}
                """#)
            #expect(view.status == .ok)
            let elements = (view.json["report"] as? [String: Any])?["elements"] as? [[String: Any]] ?? []
            let voice = try #require(elements.first { $0["product"] as? String == "MOBILE-VOICE-DATA" && $0["contract"] as? String == "L4" }?["instance"] as? String)
            view = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "setAttribute", "instance": "\#(voice)", "name": "msisdn", "value": "+32470000001"}]}"#)
            #expect(view.json["status"] as? String != "Invalid")
            let configured = try await client.call(.post, "/api/v1/sessions/S000001/submit")
            #expect(configured.lines.filter { $0["number"] as? Int != 3 }.allSatisfy { ["Valid", "Valid with Warning"].contains($0["configurationStatus"] as? String) })
            // Relationships come back to the order: the fibre sells network access, the TV service relies on it.
            let relationships = configured.json["relationships"] as? [[String: Any]] ?? []
            #expect(relationships.contains { $0["kind"] as? String == "Sells" && $0["toProduct"] as? String == "NET-ACCESS" && $0["fromLine"] as? Int == 1 })
            #expect(relationships.contains { $0["kind"] as? String == "Relies On" && $0["fromProduct"] as? String == "TV-SERVICE" && $0["toProduct"] as? String == "NET-ACCESS" })
            #expect(relationships.contains { $0["kind"] as? String == "Brings and Removes" && $0["toProduct"] as? String == "STB-HD" })

            // 4. Holds: Jane's set-top box ships, and no shipment date was given.
            let validated = try await client.call(.post, "\(o)/validate")
            #expect(validated.holdCodes == ["RSHPDT"])
            #expect(validated.json["status"] as? String == "held")
            let held = try await client.call(.post, "\(o)/submit")
            #expect(held.code == "order-held")
            var jane = ((validated.json["header"] as? [String: Any])?["customerInformation"] as? [[String: Any]])?.first { $0["customer"] as? String == "CUST-JANE" } ?? [:]
            var shipping = jane["shipping"] as? [String: Any] ?? [:]
            shipping["shipmentDate"] = "2026-11-28"
            jane["shipping"] = shipping
            let informed = try await client.call(.post, "\(o)/information", json: String(decoding: try JSONSerialization.data(withJSONObject: jane), as: UTF8.self))
            #expect(informed.status == .ok)
            #expect(try await client.call(.post, "\(o)/information", json: #"{"customer": "CUST-JANE", "recurringBilling": {"customer": "CUST-ACME"}}"#).code == "invalid-order-information")

            // 5. Prices: a promotion on Jane's installation, a bundle discount on the header.
            _ = try await client.call(.post, "\(o)/adjustments", json: #"{"line": 1, "type": "oneTime", "amount": -20, "currency": "EUR", "reason": "install promo"}"#)
            let adjusted = try await client.call(.post, "\(o)/adjustments", json: #"{"type": "recurring", "amount": -10, "currency": "EUR", "reason": "bundle discount"}"#)
            #expect(adjusted.status == .created)
            #expect(((adjusted.json["pricing"] as? [String: Any])?["headerAdjustments"] as? [Any])?.count == 1)

            // 6. Submission generates four children, all submitted with the parent.
            let submitted = try await client.call(.post, "\(o)/submit")
            #expect(submitted.status == .ok)
            #expect(submitted.json["status"] as? String == "submitted")
            let children = submitted.json["children"] as? [[String: Any]] ?? []
            #expect(children.compactMap { $0["id"] as? String } == ["COM000001", "COM000002", "SM000001", "SM000002"])
            #expect(children.compactMap { $0["customer"] as? String } == ["CUST-ACME", "CUST-JANE", "CUST-ACME", "CUST-JANE"])
            // R-9.1: each new bundle's commitment line (5: Jane's fibre, 6: ACME's voice line) goes with it.
            #expect(children.compactMap { $0["lines"] as? [Int] } == [[4, 6], [1, 5], [2], [3]])
            #expect(children.compactMap { $0["actions"] as? [String] } == [["add", "add"], ["add", "add"], ["change"], ["suspend"]])
            #expect(children.compactMap { $0["installedContract"] as? String } == ["IC-ACME-1", "IC-JANE-1"])
            #expect(children.allSatisfy { $0["status"] as? String == "submitted" })
            #expect(children.first?["contact"] as? String == "CT-1")

            var shares: [Decimal] = []
            for (id, simple, customer) in [("COM000001", true, "CUST-ACME"), ("COM000002", true, "CUST-JANE"), ("SM000001", false, "CUST-ACME"), ("SM000002", false, "CUST-JANE")] {
                let child = try await client.call(.get, "/api/v1/orders/\(id)")
                let header = child.json["header"] as? [String: Any] ?? [:]
                #expect(child.json["parentID"] as? String == "CO000001")
                #expect(header["soldTo"] as? String == customer)
                #expect(header["trialDays"] as? Int == 14) // carried to every child
                let info = header["customerInformation"] as? [[String: Any]]
                if simple {
                    // Shipping and billing data go to simple children, each its own customer's.
                    #expect(info?.compactMap { $0["customer"] as? String } == [customer])
                } else {
                    #expect(info == nil)
                }
                for a in child.json["adjustments"] as? [[String: Any]] ?? [] where a["shareOf"] as? String == "A2" {
                    shares.append(Decimal(string: "\(a["amount"]!)")!)
                }
                if id == "COM000002" {
                    let adjustments = child.json["adjustments"] as? [[String: Any]] ?? []
                    #expect(adjustments.contains { $0["reason"] as? String == "install promo" && $0["line"] as? Int == 1 })
                    let relationships = child.json["relationships"] as? [[String: Any]] ?? []
                    #expect(relationships.contains { $0["kind"] as? String == "Relies On" })
                }
            }
            // The header discount is spread over the children with recurring charges, to the cent.
            #expect(shares.count == 3)
            #expect(shares.reduce(0, +) == -10)

            // 7. COV: another order on Jane's mobile contract is held while SM000002 is unfinished.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000003/lines", json: #"{"installedContract": "IC-JANE-1", "action": "resume"}"#)
            let cov = try await client.call(.post, "/api/v1/orders/SM000003/validate")
            #expect(cov.holdCodes == ["COV"])
            #expect(((cov.json["holds"] as? [[String: Any]])?.first?["relatedOrders"] as? [String]) == ["SM000002"])
            // ACME's business contract is being changed by SM000001: an order suspending it is held too.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-ACME"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000004/lines", json: #"{"installedContract": "IC-ACME-1", "action": "suspend"}"#)
            let cov2 = try await client.call(.post, "/api/v1/orders/SM000004/validate")
            #expect(((cov2.json["holds"] as? [[String: Any]])?.first?["relatedOrders"] as? [String]) == ["SM000001"])
            // Without the line on the busy contract, the hold clears.
            _ = try await client.call(.post, "/api/v1/orders/SM000003/lines/1/remove")
            #expect(!(try await client.call(.post, "/api/v1/orders/SM000003/validate").holdCodes.contains("COV")))

            // 8. Fulfillment (R-7.3, the embedded simulator answering at once): the children are
            //    fulfilled, the parent completes with them, and the installed base follows.
            let outcomes = try await JobRunner(engine: engine, worker: "test").runDue(now: engine.clock.now())
            // Each child's completion wakes the parent (CO000001), which reads its children.
            #expect(Set(outcomes.filter { $0.kind == .fulfillOrder }.map(\.subject)) == ["COM000001", "COM000002", "SM000001", "SM000002", "CO000001"])
            // One provisioning message per provisioning system of an order's pending products, each sent and
            // answered once (the simulator at zero delay answers within the fulfillment step).
            var systems: Set<String> = []
            for child in ["COM000001", "COM000002", "SM000001", "SM000002"] {
                let messages = try await client.call(.get, "/api/v1/orders/\(child)").messages
                #expect(messages.allSatisfy { $0["status"] as? String == "completed" && $0["attempts"] as? Int == 1 })
                systems.formUnion(messages.compactMap { $0["id"] as? String })
            }
            #expect(systems.isSuperset(of: ["COM000002/NETWORK", "COM000002/LOGISTICS", "SM000002/MOBILE-HLR"]))
            #expect(outcomes.allSatisfy { $0.status == .done })
            let parent = try await client.call(.get, "/api/v1/orders/CO000001")
            #expect(parent.json["status"] as? String == "completed")
            #expect(parent.json["trialEndsOn"] == nil) // its children carry it (R-10.2)
            // Storage v2: a child's completion does not write its parent; the parent is written once, when it completes.
            let parentHistory = try await client.call(.get, "/api/v1/history/order/CO000001?limit=500").items
            #expect(parentHistory.filter { ($0["actor"] as? String)?.hasPrefix("jobs:") == true }.count == 1)
            #expect((parent.json["children"] as? [[String: Any]])?.allSatisfy { $0["status"] as? String == "completed" } == true)
            let home = try await client.call(.get, "/api/v1/orders/COM000002")
            #expect(home.json["status"] as? String == "completed")
            #expect(home.json["trialEndsOn"] as? String == "2026-12-06") // completed 2026-11-22 + 14 days
            #expect(try await client.call(.get, "/api/v1/orders/SM000002").json["trialEndsOn"] == nil) // a suspension has no trial
            let janeHome = try await client.call(.get, "/api/v1/installed-contracts/IC-COM000002-1")
            #expect(janeHome.json["customer"] as? String == "CUST-JANE")
            #expect(janeHome.json["status"] as? String == "active")
            let acme = try await client.call(.get, "/api/v1/installed-contracts/IC-ACME-1")
            func statuses(_ reply: Reply) -> [String: String] {
                var found: [String: String] = [:]
                func walk(_ c: [String: Any]) {
                    if let product = c["product"] as? String { found[product] = c["installedStatus"] as? String }
                    for child in c["components"] as? [[String: Any]] ?? [] { walk(child) }
                }
                walk(reply.json["root"] as? [String: Any] ?? [:])
                return found
            }
            #expect(statuses(acme)["SUPPORT-24-7"] == "active")
            #expect(statuses(acme)["SUPPORT-8-5"] == "disconnected")
            #expect(statuses(janeHome)["STB-HD"] == "active")
            #expect(try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1").json["status"] as? String == "suspended")
            #expect(try await client.call(.get, "/api/v1/installed-contracts/IC-COM000001-4").json["customer"] as? String == "CUST-ACME")
            // Running the jobs again changes nothing, once the day's commitment run (R-9.3) is done.
            #expect(try await JobRunner(engine: engine, worker: "test").runDue(now: engine.clock.now()).allSatisfy { $0.kind == .commitmentDay })
            #expect(try await JobRunner(engine: engine, worker: "test").runDue(now: engine.clock.now()).isEmpty)

            // 9. The customer 360 view shows Jane's installed contracts — her new home contract's
            // commitment is installed too (R-9.2: line 5, IC-COM000002-5) — and her orders.
            let overview = try await client.call(.get, "/api/v1/customers/CUST-JANE/360")
            #expect((overview.json["installedContracts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["IC-COM000002-1", "IC-COM000002-5", "IC-JANE-1"])
            #expect(try await client.call(.get, "/api/v1/installed-contracts/IC-COM000002-5").json["commitmentContract"] as? String == "CC-COM000002-5")
            #expect(((overview.json["ordersByStatus"] as? [String: Any])?["completed"] as? [Any])?.count == 2)
        }
    }
}
