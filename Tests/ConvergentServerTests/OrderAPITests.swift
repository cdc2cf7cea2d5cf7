import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("R-3 orders API and Idempotency-Key")
struct OrderAPITests {
    @Test("R-3.1: orders get autonumbered ids per capture type at first save; customers must exist")
    func create() async throws {
        try await TestApp.make().run { client in
            let co = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-ACME", "relatedCustomers": ["CUST-JANE"]}"#)
            #expect(co.status == .created)
            #expect(co.json["id"] as? String == "CO000001")
            #expect(co.json["status"] as? String == "draft")
            #expect(co.json["orderDate"] as? String == "2026-11-22")
            #expect(try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#).json["id"] as? String == "COM000001")
            #expect(try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-JANE"}"#).json["id"] as? String == "CO000002")
            let ghost = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "GHOST"}"#)
            #expect(ghost.code == "invalid-request")
            #expect(ghost.json["field"] as? String == "soldTo")
            let related = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE", "relatedCustomers": ["CUST-ACME"]}"#)
            #expect(related.code == "not-allowed-for-capture-type")
            #expect(try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "barter", "soldTo": "CUST-JANE"}"#).code == "invalid-value")
        }
    }

    @Test("R-3.3, R-3.5: lines start from top-level products, name their owner, clone and remove; history records each change")
    func lines() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-ACME", "relatedCustomers": ["CUST-JANE"]}"#)
            #expect(try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"product": "HOME-CONTRACT"}"#).code == "owner-required")
            #expect(try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"product": "FIBER-500", "owner": "CUST-JANE"}"#).code == "not-top-level")
            let added = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"product": "HOME-CONTRACT", "owner": "CUST-JANE"}"#)
            #expect(added.status == .created)
            let lines = try #require(added.json["lines"] as? [[String: Any]])
            #expect(lines.first?["customer"] as? String == "CUST-JANE")
            #expect(lines.first?["configurationStatus"] as? String == "Not Validated")
            let cloned = try await client.call(.post, "/api/v1/orders/CO000001/lines/1/clone")
            #expect((cloned.json["lines"] as? [[String: Any]])?.last?["configurationStatus"] as? String == "Invalidated")
            #expect(cloned.json["configurationStatus"] as? String == "Invalidated")
            #expect(try await client.call(.post, "/api/v1/orders/CO000001/lines/1/customer", json: #"{"customer": "CUST-ACME"}"#).code == "owner-fixed")
            let removed = try await client.call(.post, "/api/v1/orders/CO000001/lines/2/remove")
            #expect((removed.json["lines"] as? [Any])?.count == 1)
            #expect(try await client.call(.post, "/api/v1/orders/CO000001/lines/9/remove").status == .notFound)
            #expect(try await client.call(.post, "/api/v1/orders/CO000001/lines/x/remove").code == "invalid-parameter")
            let history = try await client.call(.get, "/api/v1/history/order/CO000001?limit=500").items
            #expect(history.compactMap { $0["version"] as? Int } == [1, 2, 3, 4])
            #expect(history.last?["reason"] as? String == "line 2 removed")
        }
    }

    @Test("Order state machine through the API: cancel once, then nothing changes (409 with a stable code)")
    func cancel() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            let stale = try await client.call(.post, "/api/v1/orders/COM000001/cancel", headers: [.ifMatch: "\"7\""])
            #expect(stale.code == "version-conflict")
            let cancelled = try await client.call(.post, "/api/v1/orders/COM000001/cancel", headers: [.ifMatch: "\"1\""])
            #expect(cancelled.json["status"] as? String == "cancelled")
            let again = try await client.call(.post, "/api/v1/orders/COM000001/cancel")
            #expect(again.status == .conflict)
            #expect(again.code == "illegal-transition")
            let edit = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            #expect(edit.code == "order-not-editable")
            #expect(try await client.call(.get, "/api/v1/orders/COM000001").json["version"] as? Int == 2)
        }
    }

    @Test("R-10.1 and R-3.4 through the API: trial raised not lowered; the selling date is set on the header")
    func header() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE", "trialDays": 14}"#)
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/header", json: #"{"trialDays": 7}"#).code == "trial-duration-lowered")
            let raised = try await client.call(.post, "/api/v1/orders/COM000001/header", json: #"{"trialDays": 30, "productSellingDate": "2027-02-01"}"#)
            let header = try #require(raised.json["header"] as? [String: Any])
            #expect(header["trialDays"] as? Int == 30)
            #expect(header["productSellingDate"] as? String == "2027-02-01")
        }
    }

    @Test("R-3: orders are listed by customer, status, capture type and dates, with a cursor")
    func listing() async throws {
        try await TestApp.make().run { client in
            for body in [#"{"captureType": "simple", "soldTo": "CUST-JANE"}"#, #"{"captureType": "convergent", "soldTo": "CUST-JANE"}"#,
                         #"{"captureType": "quote", "soldTo": "CUST-ACME"}"#] {
                _ = try await client.call(.post, "/api/v1/orders", json: body)
            }
            _ = try await client.call(.post, "/api/v1/orders/COM000001/cancel")
            func ids(_ query: String) async throws -> [String] {
                ((try await client.call(.get, "/api/v1/orders\(query)").json["items"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await ids("?customer=CUST-JANE") == ["CO000001", "COM000001"])
            #expect(try await ids("?status=draft") == ["CO000001", "QT000001"])
            #expect(try await ids("?captureType=quote") == ["QT000001"])
            #expect(try await ids("?from=2026-11-22&to=2026-11-22").count == 3)
            #expect(try await ids("?from=2026-11-23").isEmpty)
            let first = try await client.call(.get, "/api/v1/orders?limit=2").json
            #expect(first["nextCursor"] as? String == "COM000001")
            #expect(try await ids("?limit=2&cursor=COM000001") == ["QT000001"])
            #expect(try await client.call(.get, "/api/v1/orders?status=lost").code == "invalid-parameter")
        }
    }

    @Test("R-5.1: validate stores the holds of the capture type and holds the order; only overridable holds can be overridden, by administrators")
    func validate() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let validated = try await client.call(.post, "/api/v1/orders/COM000001/validate")
            #expect(validated.json["status"] as? String == "held")
            let holds = try #require(validated.json["holds"] as? [[String: Any]])
            #expect(holds.compactMap { $0["code"] as? String } == ["MLCTV"])
            #expect(holds.first?["resolution"] as? String != nil)
            #expect(holds.first?["lines"] as? [Int] == [1])
            let refused = try await client.call(.post, "/api/v1/orders/COM000001/holds/MLCTV/override", json: #"{"reason": "trust me"}"#)
            #expect(refused.code == "hold-not-overridable")
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/holds/NOPE/override", json: #"{"reason": "x"}"#).status == .notFound)
            let agent = try await client.agentToken()
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/holds/MLCTV/override", token: agent, json: #"{"reason": "x"}"#).status == .forbidden)
            let history = try await client.call(.get, "/api/v1/history/order/COM000001?limit=500").items
            #expect(history.last?["reason"] as? String == "validation")
        }
    }

    @Test("R-3.9: the customer 360 view shows orders by status and billing accounts")
    func overview() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "quote", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/QT000001/cancel")
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-ACME"}"#)
            let view = try await client.call(.get, "/api/v1/customers/CUST-JANE/360")
            #expect(view.status == .ok)
            let byStatus = try #require(view.json["ordersByStatus"] as? [String: [[String: Any]]])
            #expect(byStatus["draft"]?.compactMap { $0["id"] as? String } == ["COM000001"])
            #expect(byStatus["draft"]?.first?["products"] as? [String] == ["HOME-CONTRACT"])
            #expect(byStatus["cancelled"]?.compactMap { $0["id"] as? String } == ["QT000001"])
            #expect((view.json["billingAccounts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["BA-2001"])
            #expect((view.json["customer"] as? [String: Any])?["name"] as? String == "Jane Doe")
            #expect(try await client.call(.get, "/api/v1/customers/NOPE/360").status == .notFound)
        }
    }

    @Test("R-3.7: conversions through the API: simple to convergent in place, quote to a new order once")
    func conversions() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            let converted = try await client.call(.post, "/api/v1/orders/COM000001/convert", json: #"{"captureType": "convergent"}"#)
            #expect(converted.status == .ok)
            #expect(converted.json["captureType"] as? String == "convergent")
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "quote", "soldTo": "CUST-JANE", "trialDays": 14}"#)
            _ = try await client.call(.post, "/api/v1/orders/QT000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let order = try await client.call(.post, "/api/v1/orders/QT000001/convert", json: #"{"captureType": "simple"}"#)
            #expect(order.status == .created)
            #expect(order.json["id"] as? String == "COM000002")
            #expect(order.json["convertedFrom"] as? String == "QT000001")
            #expect((order.json["header"] as? [String: Any])?["trialDays"] as? Int == 14)
            #expect((order.json["lines"] as? [[String: Any]])?.first?["product"] as? String == "HOME-CONTRACT")
            #expect(try await client.call(.get, "/api/v1/orders/QT000001").json["convertedTo"] as? String == "COM000002")
            #expect(try await client.call(.post, "/api/v1/orders/QT000001/convert", json: #"{"captureType": "simple"}"#).code == "quote-already-converted")
        }
    }

    @Test("Idempotency-Key: a retried POST is answered again without running twice; another request with the key is refused")
    func idempotency() async throws {
        let app = try await TestApp.make()
        let engine = app.engine
        try await app.run { client in
            let body = #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "order-42"]
            let first = try await client.call(.post, "/api/v1/orders", json: body, headers: key)
            let second = try await client.call(.post, "/api/v1/orders", json: body, headers: key)
            #expect(first.status == .created)
            #expect(second.status == .created)
            #expect(second.json["id"] as? String == first.json["id"] as? String)
            #expect(second.headers[HTTPField.Name("Idempotent-Replayed")!] == "true")
            #expect(try await engine.store.all(Order.self).count == 1)
            let other = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "quote", "soldTo": "CUST-JANE"}"#, headers: key)
            #expect(other.code == "idempotency-key-reused")
            // Keys belong to the user who sent them.
            let agent = try await client.agentToken()
            let agents = try await client.call(.post, "/api/v1/orders", token: agent, json: body, headers: key)
            #expect(agents.json["id"] as? String == "COM000002")
            // A refused request is answered the same way again.
            let bad = [HTTPField.Name("Idempotency-Key")!: "bad-1"] as HTTPFields
            let refused = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "GHOST"}"#, headers: bad)
            let refusedAgain = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "GHOST"}"#, headers: bad)
            #expect(refused.code == "invalid-request")
            #expect(refusedAgain.text == refused.text)
            let tooLong = [HTTPField.Name("Idempotency-Key")!: String(repeating: "k", count: 300)] as HTTPFields
            #expect(try await client.call(.post, "/api/v1/orders", json: body, headers: tooLong).code == "invalid-idempotency-key")
        }
    }
}
