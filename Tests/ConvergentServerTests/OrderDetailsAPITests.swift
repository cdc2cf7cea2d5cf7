import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("R-3.2, R-3.3, R-10, R-3.1 bulk: order details through the API")
struct OrderDetailsAPITests {
    @Test("R-10.1: trial defaults per source and sub-source are set up by administrators; orders get them, raise them, never lower them")
    func trialSetup() async throws {
        try await TestApp.make().run { client in
            let agent = try await client.agentToken()
            let demo = try await client.call(.get, "/api/v1/setup/trial-periods", token: agent)
            #expect(demo.json["enabled"] as? Bool == true)
            #expect(demo.headers[.eTag] == "\"1\"")
            let setup = #"{"enabled": true, "defaults": [{"source": "web", "days": 21}, {"source": "web", "subSource": "campaign", "days": 30}]}"#
            #expect(try await client.call(.put, "/api/v1/setup/trial-periods", token: agent, json: setup).status == .forbidden)
            #expect(try await client.call(.put, "/api/v1/setup/trial-periods", json: setup, headers: [.ifMatch: "\"7\""]).code == "version-conflict")
            let bad = try await client.call(.put, "/api/v1/setup/trial-periods", json: #"{"enabled": true, "defaults": [{"source": "web", "days": -1}]}"#)
            #expect(bad.code == "invalid-trial-setup")
            #expect(bad.json["field"] as? String == "defaults[0].days")
            #expect(try await client.call(.put, "/api/v1/setup/trial-periods", json: setup, headers: [.ifMatch: "\"1\""]).status == .ok)

            func trial(_ body: String) async throws -> Reply { try await client.call(.post, "/api/v1/orders", token: agent, json: body) }
            #expect((try await trial(#"{"captureType": "simple", "soldTo": "CUST-JANE", "source": "web"}"#).json["header"] as? [String: Any])?["trialDays"] as? Int == 21)
            #expect((try await trial(#"{"captureType": "simple", "soldTo": "CUST-JANE", "source": "web", "subSource": "campaign"}"#).json["header"] as? [String: Any])?["trialDays"] as? Int == 30)
            let lowered = try await trial(#"{"captureType": "simple", "soldTo": "CUST-JANE", "source": "web", "trialDays": 7}"#)
            #expect(lowered.code == "trial-duration-lowered")
            #expect(lowered.json["field"] as? String == "trialDays")
            // A duration beyond ten years is refused with the field, on creation and on the header.
            for body in [#"{"captureType": "simple", "soldTo": "CUST-JANE", "trialDays": 9223372036854775807}"#,
                         #"{"captureType": "simple", "soldTo": "CUST-JANE", "trialDays": -1}"#] {
                let refused = try await trial(body)
                #expect(refused.code == "invalid-trial-duration")
                #expect(refused.json["field"] as? String == "trialDays")
            }
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/header", token: agent, json: #"{"trialDays": 100000}"#).code == "invalid-trial-duration")
            let quote = try await trial(#"{"captureType": "quote", "soldTo": "CUST-JANE", "source": "web", "trialDays": 40}"#)
            #expect((quote.json["header"] as? [String: Any])?["trialDays"] as? Int == 40)
            // Quotes carry it to the order they convert to; raise-only until submission.
            let converted = try await client.call(.post, "/api/v1/orders/QT000001/convert", token: agent, json: #"{"captureType": "simple"}"#)
            #expect((converted.json["header"] as? [String: Any])?["trialDays"] as? Int == 40)
            #expect(try await client.call(.post, "/api/v1/orders/COM000003/header", token: agent, json: #"{"trialDays": 39}"#).code == "trial-duration-lowered")
        }
    }

    @Test("R-3.2: per-customer information is checked against the customer records; R-3.3 product site and adjustments refuse bad input")
    func informationAndAdjustments() async throws {
        try await TestApp.make().run { client in
            let created = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-ACME", "relatedCustomers": ["CUST-JANE"]}"#)
            // Defaults: ACME is billed to its holding company, Jane to herself.
            let info = (created.json["header"] as? [String: Any])?["customerInformation"] as? [[String: Any]] ?? []
            let acme = info.first { $0["customer"] as? String == "CUST-ACME" }
            #expect((acme?["recurringBilling"] as? [String: Any])?["customer"] as? String == "CUST-ACME-HOLDING")
            #expect((acme?["recurringBilling"] as? [String: Any])?["address"] as? String == "AD-1")
            let o = "/api/v1/orders/CO000001"
            for (body, code, field) in [
                (#"{"customer": "CUST-JANE", "shipping": {"contact": "CT-9"}}"#, "invalid-order-information", "shipping.contact"),
                (#"{"customer": "CUST-JANE", "site": {"address": "AD-7"}}"#, "invalid-order-information", "site.address"),
                (#"{"customer": "CUST-ACME", "nonrecurringBilling": {"customer": "CUST-JANE"}}"#, "invalid-order-information", "nonrecurringBilling.customer"),
                (#"{"customer": "CUST-GHOST"}"#, "invalid-request", "customer"),
                (#"{"customer": "CUST-ANON-1"}"#, "unknown-customer-on-order", "customer"),
                (#"{"customer": "CUST-JANE", "shipping": {"shipmentDate": "tomorrow"}}"#, "invalid-value", "shipping.shipmentDate"),
            ] {
                let reply = try await client.call(.post, "\(o)/information", json: body)
                #expect(reply.code == code, "\(body)")
                #expect(reply.json["field"] as? String == field, "\(body)")
            }
            let card = try await client.call(.post, "\(o)/information", json: #"{"customer": "CUST-JANE", "recurringBilling": {"customer": "CUST-JANE", "paymentMethod": "creditCard", "creditCard": {"last4": "4242", "expires": "2029-02"}}}"#)
            #expect(card.status == .ok)
            _ = try await client.call(.post, "\(o)/lines", json: #"{"product": "HOME-CONTRACT", "owner": "CUST-JANE"}"#)
            let line = try await client.call(.get, o).lines.first
            #expect((line?["site"] as? [String: Any])?["address"] as? String == "AD-1") // from Jane's header site
            #expect(try await client.call(.post, "\(o)/lines/1/site", json: #"{"address": "AD-9"}"#).code == "invalid-order-information")
            #expect(try await client.call(.post, "\(o)/lines/1/site", json: #"{"address": "AD-1", "contact": "CT-1"}"#).status == .ok)
            for (body, code, field) in [
                (#"{"type": "oneTime", "amount": 0, "currency": "EUR", "reason": "x"}"#, "invalid-adjustment", "amount"),
                (#"{"type": "oneTime", "amount": -5, "currency": "eur", "reason": "x"}"#, "invalid-adjustment", "currency"),
                (#"{"line": 4, "type": "oneTime", "amount": -5, "currency": "EUR", "reason": "x"}"#, "unknown-line", "line"),
                (#"{"type": "weekly", "amount": -5, "currency": "EUR", "reason": "x"}"#, "invalid-value", "type"),
            ] {
                let reply = try await client.call(.post, "\(o)/adjustments", json: body)
                #expect(reply.code == code, "\(body)")
                #expect(reply.json["field"] as? String == field, "\(body)")
            }
            let added = try await client.call(.post, "\(o)/adjustments", json: #"{"line": 1, "type": "recurring", "amount": -2.5, "currency": "EUR", "reason": "goodwill"}"#)
            let lineTotals = ((added.json["pricing"] as? [String: Any])?["lines"] as? [[String: Any]])?.first?["totals"] as? [[String: Any]]
            #expect(lineTotals?.first?["recurring"] as? Double == -2.5) // the bare contract has no price of its own
            #expect(try await client.call(.post, "\(o)/adjustments/A9/remove").code == "unknown-adjustment")
            #expect((try await client.call(.post, "\(o)/adjustments/A1/remove").json["adjustments"] as? [Any] ?? []).isEmpty)
        }
    }

    @Test("R-7.6, R-3.9: installed contracts by id and by customer; a service line takes the contract's product and owner")
    func installedContracts() async throws {
        try await TestApp.make().run { client in
            let contract = try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1")
            #expect(contract.json["customer"] as? String == "CUST-JANE")
            #expect(contract.json["product"] as? String == "MOBILE-CONTRACT")
            #expect(try await client.call(.get, "/api/v1/installed-contracts/IC-NONE").status == .notFound)
            let acme = try await client.call(.get, "/api/v1/customers/CUST-ACME/installed-contracts")
            #expect((acme.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["IC-ACME-1", "IC-ACME-2"])
            #expect(try await client.call(.get, "/api/v1/customers/CUST-GHOST/installed-contracts").status == .notFound)
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-ACME-1", "action": "change"}"#).code == "unknown-customer-on-order")
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-JANE-1", "action": "add"}"#).code == "not-allowed-for-capture-type")
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"product": "HOME-CONTRACT", "installedContract": "IC-JANE-1", "action": "change"}"#).code == "not-top-level")
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-JANE-1", "action": "change"}"#).status == .created)
            // The session starts from the installed tree.
            let session = try await client.call(.post, "/api/v1/orders/SM000001/sessions")
            let elements = (session.json["report"] as? [String: Any])?["elements"] as? [[String: Any]] ?? []
            #expect(elements.contains { $0["instance"] as? String == "IC-JANE-1.3" && $0["product"] as? String == "MOBILE-VOICE-DATA" })
        }
    }

    @Test("R-3.1, R-10.3: a bulk order's rows become simple children carrying the trial duration; rows refuse unknown customers", arguments: TestBackend.available)
    func bulk(backend: TestBackend) async throws {
        try await TestApp.make(backend).run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "bulk", "soldTo": "CUST-ACME", "source": "doorstep"}"#)
            let b = "/api/v1/orders/BO000001"
            _ = try await client.call(.post, "\(b)/lines", json: #"{"product": "PREPAID-CONTRACT"}"#)
            #expect(try await client.call(.post, "\(b)/submit").code == "no-rows")
            #expect(try await client.call(.post, "\(b)/rows", json: #"{"customer": "CUST-GHOST"}"#).code == "invalid-request")
            #expect(try await client.call(.post, "\(b)/rows", json: #"{"customer": "CUST-JANE", "contact": "CT-5"}"#).json["field"] as? String == "contact")
            #expect(try await client.call(.post, "\(b)/rows", json: #"{"customer": "CUST-JANE", "installedContract": "IC-JANE-1"}"#).code == "not-allowed-for-capture-type")
            _ = try await client.call(.post, "\(b)/rows", json: #"{"customer": "CUST-JANE", "contact": "CT-1"}"#)
            _ = try await client.call(.post, "\(b)/rows", json: #"{"customer": "CUST-ANON-1"}"#)
            _ = try await client.call(.post, "\(b)/rows", json: #"{"customer": "CUST-ACME"}"#)
            #expect((try await client.call(.post, "\(b)/rows/3/remove").json["bulkRows"] as? [Any])?.count == 2)
            // The template must be valid before it is copied (MLCTV on the bulk parent).
            #expect(try await client.call(.post, "\(b)/submit").code == "order-held")
            _ = try await client.call(.post, "\(b)/sessions")
            _ = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "PREPAID-SIM", "contract": "L1"}]}"#)
            _ = try await client.call(.post, "/api/v1/sessions/S000001/submit")
            // R-8.2, BARNS: a prepaid contract needs a prepaid account; Jane has none until now.
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/billing-accounts", json: #"{"type": "Prepaid", "paymentMode": "prepaid", "balance": 5, "currency": "EUR", "contact": "CT-1", "status": "Active"}"#).status == .created)
            let submitted = try await client.call(.post, "\(b)/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(400))")
            let children = submitted.json["children"] as? [[String: Any]] ?? []
            #expect(children.compactMap { $0["id"] as? String } == ["COM000001", "COM000002"])
            #expect(children.compactMap { $0["customer"] as? String } == ["CUST-JANE", "CUST-ANON-1"])
            let child = try await client.call(.get, "/api/v1/orders/COM000002")
            #expect((child.json["header"] as? [String: Any])?["trialDays"] as? Int == 30)
            #expect(child.lines.first?["customer"] as? String == "CUST-ANON-1")
            #expect((child.lines.first?["configuration"] as? [String: Any])?["product"] as? String == "PREPAID-CONTRACT")
            #expect((child.lines.first?["configuration"] as? [String: Any])?["customer"] as? String == "CUST-ANON-1")
            // Each row's child carries its own customer's information, defaulted from its record.
            let jane = try await client.call(.get, "/api/v1/orders/COM000001")
            let information = (jane.json["header"] as? [String: Any])?["customerInformation"] as? [[String: Any]]
            #expect(information?.compactMap { $0["customer"] as? String } == ["CUST-JANE"])
            #expect((jane.lines.first?["site"] as? [String: Any])?["address"] as? String == "AD-1")
        }
    }

    @Test("R-7.1, R-3.8: every capture type's submission path", arguments: ["simple", "serviceManagement", "convergentBecomingServiceManagement", "bulkServiceManagement", "quote"])
    func submissionPaths(path: String) async throws {
        try await TestApp.make().run { client in
            switch path {
            case "simple":
                _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
                _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "PREPAID-CONTRACT"}"#)
                // Jane has no prepaid account: a new one is marked for creation and pays the line (R-8.5).
                _ = try await client.call(.post, "/api/v1/orders/COM000001/new-accounts", json: #"{"customer": "CUST-JANE", "type": "Prepaid"}"#)
                _ = try await client.call(.post, "/api/v1/orders/COM000001/lines/1/billing", json: #"{"rows": [{"sequence": 1, "newAccount": "NEW-1"}]}"#)
                _ = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
                _ = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "PREPAID-SIM", "contract": "L1"}]}"#)
                _ = try await client.call(.post, "/api/v1/sessions/S000001/submit")
                let submitted = try await client.call(.post, "/api/v1/orders/COM000001/submit")
                #expect(submitted.json["status"] as? String == "submitted")
                #expect(submitted.lines.first?["status"] as? String == "submitted")
                #expect((submitted.json["children"] as? [Any])?.isEmpty ?? true)
                // Prices are kept as submitted.
                #expect(((submitted.json["submittedPricing"] as? [String: Any])?["total"] as? [[String: Any]])?.first?["oneTime"] as? Double == 10)
            case "serviceManagement":
                // R-3.8: a suspension needs no configuration session.
                _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
                _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-JANE-1", "action": "suspend"}"#)
                let submitted = try await client.call(.post, "/api/v1/orders/SM000001/submit")
                #expect(submitted.json["status"] as? String == "submitted")
                #expect(submitted.json["captureType"] as? String == "serviceManagement")
            case "convergentBecomingServiceManagement":
                _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-JANE"}"#)
                _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", json: #"{"installedContract": "IC-JANE-1", "action": "disconnect", "reason": "moving"}"#)
                let submitted = try await client.call(.post, "/api/v1/orders/CO000001/submit")
                #expect(submitted.json["id"] as? String == "CO000001")
                #expect(submitted.json["captureType"] as? String == "serviceManagement")
                #expect(submitted.lines.first?["reason"] as? String == "moving")
            case "bulkServiceManagement":
                _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "bulkServiceManagement", "soldTo": "CUST-ACME"}"#)
                let b = "/api/v1/orders/BSM000001"
                #expect(try await client.call(.post, "\(b)/lines", json: #"{"product": "BUSINESS-CONTRACT"}"#).code == "not-allowed-for-capture-type")
                _ = try await client.call(.post, "\(b)/lines", json: #"{"product": "BUSINESS-CONTRACT", "action": "suspend"}"#)
                #expect(try await client.call(.post, "\(b)/rows", json: #"{"customer": "CUST-JANE", "installedContract": "IC-ACME-1"}"#).code == "unknown-customer-on-order")
                #expect(try await client.call(.post, "\(b)/rows", json: #"{"customer": "CUST-JANE", "installedContract": "IC-JANE-1"}"#).code == "not-top-level")
                _ = try await client.call(.post, "\(b)/rows", json: #"{"customer": "CUST-ACME", "installedContract": "IC-ACME-1"}"#)
                let submitted = try await client.call(.post, "\(b)/submit")
                let children = submitted.json["children"] as? [[String: Any]] ?? []
                #expect(children.compactMap { $0["id"] as? String } == ["SM000001"])
                #expect(children.first?["installedContract"] as? String == "IC-ACME-1")
                #expect(children.first?["actions"] as? [String] == ["suspend"])
            default:
                _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "quote", "soldTo": "CUST-JANE"}"#)
                _ = try await client.call(.post, "/api/v1/orders/QT000001/lines", json: #"{"product": "PREPAID-CONTRACT"}"#)
                let refused = try await client.call(.post, "/api/v1/orders/QT000001/submit")
                #expect(refused.code == "not-allowed-for-capture-type")
                #expect(try await client.call(.get, "/api/v1/orders/QT000001").json["status"] as? String == "draft")
            }
        }
    }

    @Test("R-3.3: reason codes per action: set up by administrators; a line's reason must be one of its action's codes")
    func reasonCodes() async throws {
        try await TestApp.make().run { client in
            let demo = try await client.call(.get, "/api/v1/setup/reason-codes")
            #expect((demo.json["codes"] as? [String: [String]])?["suspend"]?.contains("travel") == true)
            let bad = try await client.call(.put, "/api/v1/setup/reason-codes", json: #"{"codes": {"pause": ["x"]}}"#)
            #expect(bad.code == "invalid-reason-codes")
            #expect(bad.json["field"] as? String == "codes.pause")
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            let refused = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-JANE-1", "action": "suspend", "reason": "holiday"}"#)
            #expect(refused.code == "unknown-reason-code")
            #expect(refused.json["field"] as? String == "reason")
            #expect(try await client.call(.put, "/api/v1/setup/reason-codes", json: #"{"codes": {"suspend": ["holiday"]}}"#, headers: [.ifMatch: "\"1\""]).status == .ok)
            let accepted = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-JANE-1", "action": "suspend", "reason": "holiday"}"#)
            #expect(accepted.lines.first?["reason"] as? String == "holiday")
        }
    }

    @Test("R-3.2, R-3.6: related customers are added with their information; removing one removes its lines only once confirmed")
    func relatedCustomers() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-ACME"}"#)
            let o = "/api/v1/orders/CO000001"
            let added = try await client.call(.post, "\(o)/related-customers", json: #"{"customer": "CUST-JANE"}"#)
            #expect(added.status == .created)
            #expect((added.json["header"] as? [String: Any])?["relatedCustomers"] as? [String] == ["CUST-JANE"])
            #expect(((added.json["header"] as? [String: Any])?["customerInformation"] as? [[String: Any]])?.count == 2)
            #expect(try await client.call(.post, "\(o)/related-customers", json: #"{"customer": "CUST-JANE"}"#).code == "customer-already-on-order")
            #expect(try await client.call(.post, "\(o)/related-customers", json: #"{"customer": "CUST-NOBODY"}"#).code == "invalid-request")
            _ = try await client.call(.post, "\(o)/lines", json: #"{"product": "HOME-CONTRACT", "owner": "CUST-JANE"}"#)
            _ = try await client.call(.post, "\(o)/lines", json: #"{"product": "MOBILE-CONTRACT", "owner": "CUST-ACME"}"#)
            let unconfirmed = try await client.call(.post, "\(o)/related-customers/CUST-JANE/remove")
            #expect(unconfirmed.status == .conflict)
            #expect(unconfirmed.code == "confirmation-required")
            #expect(try await client.call(.get, o).lines.count == 2) // nothing changed
            #expect(try await client.call(.post, "\(o)/related-customers/CUST-ACME/remove", json: #"{"confirm": true}"#).code == "sold-to-fixed")
            let removed = try await client.call(.post, "\(o)/related-customers/CUST-JANE/remove", json: #"{"confirm": true}"#)
            #expect(removed.lines.compactMap { $0["customer"] as? String } == ["CUST-ACME"])
            #expect(((removed.json["header"] as? [String: Any])?["relatedCustomers"] as? [String] ?? []).isEmpty)
            #expect(((removed.json["header"] as? [String: Any])?["customerInformation"] as? [[String: Any]])?.compactMap { $0["customer"] as? String } == ["CUST-ACME"])
        }
    }

    @Test("R-11.6: an order shows the selling status of every new element, with its period; sessions show status per contract")
    func sellingStatusAndSessionDetails() async throws {
        try await TestApp.make().run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let session = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
            let details = session.json["contracts"] as? [[String: Any]] ?? []
            #expect(details.first?["contract"] as? String == "L1")
            #expect(details.first?["line"] as? Int == 1)
            #expect(details.first?["status"] as? String == "Invalid")
            #expect((details.first?["messages"] as? [Any])?.isEmpty == false)
            _ = try await client.call(.post, "/api/v1/sessions/S000001/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-1000", "contract": "L1"}]}"#)
            let order = try await client.call(.post, "/api/v1/sessions/S000001/save")
            let selling = order.json["sellingStatus"] as? [[String: Any]] ?? []
            let fibre = try #require(selling.first { $0["product"] as? String == "FIBER-1000" })
            let info = fibre["selling"] as? [String: Any]
            #expect(info?["status"] as? String == "future")
            #expect((info?["period"] as? [String: Any])?["start"] as? String == "2027-01-01")
            #expect(selling.first { $0["product"] as? String == "HOME-CONTRACT" }.flatMap { ($0["selling"] as? [String: Any])?["status"] as? String } == "current")
        }
    }

    @Test("R-15.5: an installed contract as it was at the end of a past day, read from its history", arguments: TestBackend.available)
    func installedContractAsOf(backend: TestBackend) async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(backend, clock: clock)
        // A month later the contract is suspended (as fulfillment will record it).
        clock.set(Day("2026-12-22")!.startDate.addingTimeInterval(3_600))
        let stored = try #require(try await app.engine.store.get(InstalledContract.self, id: "IC-JANE-1"))
        var suspended = stored.value
        suspended.status = .suspended
        try await app.engine.store.update(suspended, expectedVersion: stored.version, context: app.engine.context("fulfillment", reason: "suspended"))
        try await app.run { client in
            #expect(try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1").json["status"] as? String == "suspended")
            #expect(try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1?asOf=2026-12-21").json["status"] as? String == "active")
            #expect(try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1?asOf=2026-12-22").json["status"] as? String == "suspended")
            let before = try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1?asOf=2026-11-21")
            #expect(before.status == .notFound)
            #expect(before.json["field"] as? String == "asOf")
            #expect(try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1?asOf=soon").code == "invalid-parameter")
        }
    }
}
