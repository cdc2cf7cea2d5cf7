import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// An order through the API, for the split-billing tests: calls on one order, its holds after a
/// validation or a submission.
struct BillingOrder {
    let client: any TestClientProtocol
    let path: String

    static func simple(_ client: any TestClientProtocol, soldTo: String) async throws -> BillingOrder {
        let made = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "\#(soldTo)"}"#)
        return BillingOrder(client: client, path: "/api/v1/orders/" + (try #require(made.json["id"] as? String)))
    }

    @discardableResult
    func post(_ suffix: String, _ json: String? = nil) async throws -> Reply {
        try await client.call(.post, path + suffix, json: json)
    }

    func line(_ number: Int) async throws -> [String: Any] {
        try #require(try await client.call(.get, path).lines.first { $0["number"] as? Int == number })
    }

    func rows(_ number: Int) async throws -> [[String: Any]] { try await line(number)["billingRows"] as? [[String: Any]] ?? [] }

    /// The hold codes a validation finds.
    func holds() async throws -> Set<String> {
        Set(((try await post("/validate")).json["holds"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
    }

    /// The hold codes a submission finds (it is refused while any blocks).
    func holdsAtSubmission() async throws -> Set<String> {
        _ = try await post("/submit")
        return Set((try await client.call(.get, path).json["holds"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
    }
}

@Suite("R-8 split billing: rows on lines, defaulting, cascading, rules, new accounts, the BA holds")
struct SplitBillingTests {
    @Test("R-8.1, R-3.3 rows on lines: a billing-account selectable product's line carries its definition's rows (one when split billing is off); the count cannot change", arguments: TestBackend.available)
    func rowsOnLines(backend: TestBackend) async throws {
        try await TestApp.make(backend).run { client in
            let order = try await BillingOrder.simple(client, soldTo: "CUST-JANE")
            try await order.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
            try await order.post("/lines", #"{"product": "BUSINESS-CONTRACT"}"#)
            let home = try await order.rows(1)
            #expect(home.map { $0["sequence"] as? Int } == [1, 2])
            #expect(home.map { $0["purpose"] as? String } == ["recurring charges", "one-time charges"])
            #expect(home.map { $0["required"] as? Bool } == [true, false] && home.map { $0["primary"] as? Bool } == [true, false])
            #expect(home.map { $0["allowedType"] as? String } == ["postpaid", "either"])
            #expect(try await order.rows(2).count == 1, "split billing off: one row")
            let unknown = try await order.post("/lines/1/billing", #"{"rows": [{"sequence": 3, "account": "BA-2001"}]}"#)
            #expect(unknown.code == "unknown-billing-row" && unknown.json["field"] as? String == "rows[0].sequence")
            #expect(try await order.rows(1).count == 2)
            let ghost = try await order.post("/lines/1/billing", #"{"rows": [{"sequence": 2, "account": "BA-GHOST"}]}"#)
            #expect(ghost.code == "unknown-billing-account" && ghost.json["field"] as? String == "rows[0].account")
        }
    }

    @Test("R-8.2 defaulting: required rows only, from the customer's default account or the header's bill-to customer, matching the allowed type; a mismatch leaves the row empty with a warning", arguments: TestBackend.available)
    func defaulting(backend: TestBackend) async throws {
        try await TestApp.make(backend).run { client in
            let order = try await BillingOrder.simple(client, soldTo: "CUST-JANE")
            try await order.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
            let home = try await order.rows(1)
            #expect(home[0]["account"] as? String == "BA-2001" && home[0]["customer"] as? String == "CUST-JANE" && home[0]["contact"] as? String == "CT-1")
            #expect(home[1]["account"] == nil, "a row that is not required is not defaulted")
            // Jane has no prepaid account for a prepaid contract.
            try await order.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
            let prepaid = try await order.rows(2)
            #expect(prepaid[0]["account"] == nil && prepaid[0]["warning"] as? String == "billing account type mismatch, select manually")
            // The header's bill-to customer: ACME pays for Jane; her lines default to ACME's account.
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {}}"#).status == .created)
            let second = try await BillingOrder.simple(client, soldTo: "CUST-JANE")
            try await second.post("/information", #"{"customer": "CUST-JANE", "recurringBilling": {"customer": "CUST-ACME", "paymentMethod": "invoice"}}"#)
            try await second.post("/lines", #"{"product": "MOBILE-CONTRACT"}"#)
            #expect(try await second.rows(1).first?["account"] as? String == "BA-1002")
        }
    }

    @Test("R-8.3 cascading: a component's rows replace its descendants' own rows only when confirmed; a sold-to's new header default cascades to every contract it owns in the order", arguments: TestBackend.available)
    func cascading(backend: TestBackend) async throws {
        try await TestApp.make(backend).run { client in
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {}}"#).status == .created)
            let order = try await BillingOrder.simple(client, soldTo: "CUST-JANE")
            try await order.post("/lines", #"{"product": "MOBILE-CONTRACT"}"#)
            let session = try #require((try await order.post("/sessions")).json["session"] as? [String: Any])["id"] as? String
            let added = try await client.call(.post, "/api/v1/sessions/\(try #require(session))/operations",
                                              json: #"{"operations": [{"op": "add", "product": "MOBILE-VOICE-DATA", "contract": "L1"}]}"#)
            let line = try #require((added.json["report"] as? [String: Any])?["elements"] as? [[String: Any]])
                .first { $0["product"] as? String == "MOBILE-VOICE-DATA" }?["instance"] as? String
            _ = try await client.call(.post, "/api/v1/sessions/\(session!)/submit")
            let mobile = try #require(line)
            // The worked example: ACME pays the line's monthly fee, Jane its usage.
            let own = try await order.post("/lines/1/billing", #"{"component": "\#(mobile)", "rows": [{"sequence": 1, "account": "BA-1002"}, {"sequence": 2, "account": "BA-2001"}]}"#)
            #expect(own.status == .ok, "\(own.text.prefix(300))")
            let component = try #require(((try await order.line(1))["componentBilling"] as? [String: Any])?[mobile] as? [[String: Any]])
            #expect(component.map { $0["account"] as? String } == ["BA-1002", "BA-2001"] && component[0]["customer"] as? String == "CUST-ACME")
            // Changing the contract's rows would replace the line's own: asked first, nothing changed.
            let asked = try await order.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "BA-2001"}]}"#)
            #expect(asked.code == "confirmation-required" && asked.text.contains(mobile))
            #expect(((try await order.line(1))["componentBilling"] as? [String: Any])?[mobile] != nil)
            let confirmed = try await order.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "BA-2001"}], "confirm": true}"#)
            let inherited = try await order.line(1)["componentBilling"]
            #expect(confirmed.status == .ok && inherited == nil, "the component inherits again")
            // A new header default for Jane: her contracts' required rows take it.
            try await order.post("/information", #"{"customer": "CUST-JANE", "recurringBilling": {"customer": "CUST-ACME", "account": "BA-1002", "paymentMethod": "invoice"}}"#)
            #expect(try await order.rows(1).first?["account"] as? String == "BA-1002")
        }
    }

    @Test("R-8.4, R-8.6 rules and switches: an account of the row's allowed type, of its customer; another customer's only with customer-level split billing (RBTCUSTSPLITBIL); a billing account for one-time charges only with RBTACCNONREC", arguments: TestBackend.available)
    func rulesAndSwitches(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            let setup = try await client.call(.get, "/api/v1/setup/split-billing")
            #expect(setup.json["customerSplitBilling"] as? Bool == true && setup.json["accountForOneTimeCharges"] as? Bool == true)
            let order = try await BillingOrder.simple(client, soldTo: "CUST-JANE")
            try await order.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
            let wrongType = try await order.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "BA-3001"}]}"#)
            #expect(wrongType.code == "billing-not-allowed" && wrongType.text.contains("postpaid"))
            // The header's default account belongs to the bill-to customer it names (Jane's own, when it names none).
            let headerOwner = try await order.post("/information", #"{"customer": "CUST-JANE", "recurringBilling": {"account": "BA-1002", "paymentMethod": "invoice"}}"#)
            #expect(headerOwner.code == "billing-not-allowed" && headerOwner.json["field"] as? String == "recurringBilling.account")
            #expect(try await order.post("/information", #"{"customer": "CUST-JANE", "recurringBilling": {"account": "BA-GHOST"}}"#).code == "unknown-billing-account")
            let wrongOwner = try await order.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "customer": "CUST-JANE", "account": "BA-1002"}]}"#)
            #expect(wrongOwner.code == "billing-not-allowed" && wrongOwner.json["field"] as? String == "rows[0].account")
            // Switches off: another customer's account is refused; a billing account does not pay one-time charges.
            let off = #"{"accountForOneTimeCharges": false, "customerSplitBilling": false, "serviceManagementOneTime": true, "reuseNewPrepaidAccount": false}"#
            #expect(try await client.call(.put, "/api/v1/setup/split-billing", json: off).status == .ok)
            let other = try await order.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "BA-1002"}]}"#)
            #expect(other.code == "billing-not-allowed" && other.text.contains("RBTCUSTSPLITBIL"))
            let oneTime = try await order.post("/information", #"{"customer": "CUST-JANE", "nonrecurringBilling": {"customer": "CUST-JANE", "account": "BA-2001"}}"#)
            #expect(oneTime.code == "billing-not-allowed" && oneTime.text.contains("RBTACCNONREC"))
            let on = #"{"accountForOneTimeCharges": true, "customerSplitBilling": true, "serviceManagementOneTime": true, "reuseNewPrepaidAccount": true}"#
            #expect(try await client.call(.put, "/api/v1/setup/split-billing", json: on, headers: [.ifMatch: "\"1\""]).status == .ok)
            #expect(try await order.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "BA-1002"}]}"#).status == .ok)
            #expect(try await order.post("/information", #"{"customer": "CUST-JANE", "nonrecurringBilling": {"customer": "CUST-JANE", "account": "BA-2001"}}"#).status == .ok)
            // Only administrators change the switches.
            #expect(try await client.call(.put, "/api/v1/setup/split-billing", token: agent, json: off).status == .forbidden)
        }
    }
}

extension SplitBillingTests {
    /// A contract line configured with one mobile line (its msisdn set), the session submitted to the order.
    static func configureMobile(_ client: any TestClientProtocol, order: BillingOrder, lines: [Int]) async throws {
        let session = try #require(((try await order.post("/sessions")).json["session"] as? [String: Any])?["id"] as? String)
        var seen: Set<String> = []
        for (i, line) in lines.enumerated() {
            let added = try await client.call(.post, "/api/v1/sessions/\(session)/operations",
                                              json: #"{"operations": [{"op": "add", "product": "MOBILE-VOICE-DATA", "contract": "L\#(line)"}]}"#)
            let instances = ((added.json["report"] as? [String: Any])?["elements"] as? [[String: Any]] ?? [])
                .filter { $0["product"] as? String == "MOBILE-VOICE-DATA" }.compactMap { $0["instance"] as? String }
            let instance = try #require(instances.first { !seen.contains($0) })
            seen.insert(instance)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/operations",
                                      json: #"{"operations": [{"op": "setAttribute", "instance": "\#(instance)", "name": "msisdn", "value": "+3247000000\#(i)"}]}"#)
        }
        let submitted = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
        #expect(submitted.status == .ok, "\(submitted.text.prefix(400))")
        for line in lines {
            let status = try await order.line(line)["configurationStatus"] as? String ?? ""
            #expect(["Valid", "Valid with Warning"].contains(status), "line \(line): \(status) \(submitted.text.prefix(3000))")
        }
    }

    @Test("R-8.5, R-7.6: a new account marked once for a bill-to customer pays the lines of two sold-to customers of a convergent order; it is created once (Pending) when the order is submitted and made Active by fulfillment with the products, and every installed product keeps its rows", arguments: TestBackend.available)
    func newAccountsThroughFulfillment(backend: TestBackend) async throws {
        let clock = FixedClock(DefectTests.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            // ACME's holding pays for ACME (demo data) and, from now, for Jane.
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME-HOLDING", "period": {}}"#).status == .created)
            let made = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-JANE", "relatedCustomers": ["CUST-ACME"]}"#)
            let order = BillingOrder(client: client, path: "/api/v1/orders/" + (try #require(made.json["id"] as? String)))
            try await order.post("/lines", #"{"product": "MOBILE-CONTRACT", "owner": "CUST-JANE"}"#)
            try await order.post("/lines", #"{"product": "MOBILE-CONTRACT", "owner": "CUST-ACME"}"#)
            // Refused: a customer who neither is on the order nor pays for one.
            #expect(try await order.post("/new-accounts", #"{"customer": "CUST-ANON-1", "type": "Individual"}"#).code == "billing-not-allowed")
            let marked = try await order.post("/new-accounts", #"{"customer": "CUST-ACME-HOLDING", "contact": "CT-1", "type": "Individual"}"#)
            #expect(marked.status == .created && (marked.json["newAccounts"] as? [[String: Any]])?.first?["id"] as? String == "NEW-1")
            for line in [1, 2] {
                let set = try await order.post("/lines/\(line)/billing", #"{"rows": [{"sequence": 1, "newAccount": "NEW-1"}]}"#)
                #expect(set.status == .ok, "\(set.text.prefix(300))")
            }
            #expect(try await order.rows(2).first?["customer"] as? String == "CUST-ACME-HOLDING")
            try await Self.configureMobile(client, order: order, lines: [1, 2])
            let submitted = try await order.post("/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(600))")
            try await runJobs(app.engine, clock: clock, rounds: 8, step: 1)
            let completed = try await client.call(.get, order.path)
            #expect(completed.json["status"] as? String == "completed", "\(completed.text.prefix(300))")
            let id = "BA-\(made.json["id"] as! String)-NEW-1"
            let account = try await client.call(.get, "/api/v1/billing-accounts/\(id)")
            #expect(account.json["status"] as? String == "Active" && account.json["owner"] as? String == "CUST-ACME-HOLDING" && account.json["contact"] as? String == "CT-1")
            // Created once (Pending, with the submission), made Active once (with the active products).
            let history = try await client.call(.get, "/api/v1/history/billing-account/\(id)")
            #expect(history.items.count == 2, "\(history.text.prefix(400))")
            for child in ((try await client.call(.get, order.path)).json["children"] as? [[String: Any]] ?? []).compactMap({ $0["id"] as? String }) {
                let contract = "IC-\(child)-1"
                for product in [contract, contract + ".1", contract + ".1.1"] {
                    let installed = try await client.call(.get, "/api/v1/installed-products/\(product)")
                    guard installed.status == .ok else { continue }
                    #expect(installed.json["billingAccount"] as? String == id, "\(product)")
                    let rows = installed.json["billingRows"] as? [[String: Any]] ?? []
                    #expect(rows.first?["account"] as? String == id && rows.first?["primary"] as? Bool == true, "\(product)")
                }
            }
        }
    }

    /// Each BA hold: the order that raises it, and the change that clears it (R-5.2).
    static let holdScenarios: [String] = ["BARNS", "BANBT", "BAIMIX", "BAPRH", "BAPRL", "BANAN", "BANAH", "BANAL", "BANRM", "BADMC", "BAPND", "BAPNL", "BABAL"]

    @Test("R-5.2 the thirteen BA holds: each is raised by what it checks and cleared by putting it right", arguments: holdScenarios)
    func billingHold(code: String) async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let jane = try await BillingOrder.simple(client, soldTo: code == "BAPRH" || code == "BAPRL" || code == "BABAL" ? "CUST-ANON-1" : "CUST-JANE")
            var raised: Set<String> = []
            var cleared: Set<String> = []
            switch code {
            case "BARNS":
                try await jane.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
                raised = try await jane.holds()
                try await jane.post("/new-accounts", #"{"customer": "CUST-JANE", "type": "Prepaid"}"#)
                try await jane.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "newAccount": "NEW-1"}]}"#)
                cleared = try await jane.holds()
            case "BANBT":
                try await jane.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
                try await jane.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "BA-1002"}]}"#)
                raised = try await jane.holds()
                _ = try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {}}"#)
                cleared = try await jane.holds()
            case "BAIMIX":
                try await jane.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
                try await jane.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
                try await jane.post("/new-accounts", #"{"customer": "CUST-JANE", "type": "Prepaid"}"#)
                try await jane.post("/lines/2/billing", #"{"rows": [{"sequence": 1, "newAccount": "NEW-1"}]}"#)
                raised = try await jane.holds()
                try await jane.post("/lines/2/remove")
                cleared = try await jane.holds()
            case "BAPRH":
                try await jane.post("/information", #"{"customer": "CUST-ANON-1", "recurringBilling": {"customer": "CUST-ANON-1", "account": "BA-3001", "paymentMethod": "invoice"}}"#)
                try await jane.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
                try await jane.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
                raised = try await jane.holds()
                #expect(!raised.contains("BAPRL"), "the header's account is BAPRH, not BAPRL")
                try await jane.post("/lines/2/remove")
                cleared = try await jane.holds()
            case "BAPRL":
                try await jane.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
                try await jane.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
                raised = try await jane.holds()
                try await jane.post("/lines/2/remove")
                cleared = try await jane.holds()
            case "BANAN":
                try await jane.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
                try await jane.post("/information", #"{"customer": "CUST-JANE", "nonrecurringBilling": {"customer": "CUST-JANE", "newAccount": "NEW-1"}}"#)
                raised = try await jane.holds()
                try await jane.post("/new-accounts", #"{"customer": "CUST-JANE", "type": "Individual"}"#)
                cleared = try await jane.holds()
            case "BANAH":
                try await jane.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
                try await jane.post("/information", #"{"customer": "CUST-JANE", "recurringBilling": {"customer": "CUST-JANE", "newAccount": "NEW-1", "paymentMethod": "invoice"}}"#)
                raised = try await jane.holds()
                try await jane.post("/new-accounts", #"{"customer": "CUST-JANE", "type": "Individual"}"#)
                cleared = try await jane.holds()
            case "BANAL":
                try await jane.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
                try await jane.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "newAccount": "NEW-1"}]}"#)
                raised = try await jane.holds()
                try await jane.post("/new-accounts", #"{"customer": "CUST-JANE", "type": "Individual"}"#)
                cleared = try await jane.holds()
            case "BANRM":
                try await jane.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
                try await jane.post("/adjustments", #"{"line": 1, "type": "oneTime", "amount": 30, "currency": "EUR", "reason": "activation"}"#)
                try await jane.post("/information", #"{"customer": "CUST-JANE", "nonrecurringBilling": {"customer": "CUST-JANE"}}"#)
                raised = try await jane.holds()
                try await jane.post("/information", #"{"customer": "CUST-JANE", "nonrecurringBilling": {"customer": "CUST-JANE", "paymentMethod": "invoice"}}"#)
                cleared = try await jane.holds()
            case "BADMC":
                try await jane.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
                try await jane.post("/new-accounts", #"{"customer": "CUST-JANE", "contact": "CT-1", "type": "Individual"}"#)
                try await jane.post("/new-accounts", #"{"customer": "CUST-JANE", "contact": "CT-1", "type": "Individual"}"#)
                try await jane.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "newAccount": "NEW-2"}]}"#)
                raised = try await jane.holds()
                // The one a row names cannot be taken back; the other can, and the hold clears.
                let named = try await jane.post("/new-accounts/NEW-2/remove")
                #expect(named.code == "billing-not-allowed" && named.text.contains("line 1"))
                #expect(try await jane.post("/new-accounts/NEW-9/remove").code == "unknown-billing-account")
                let taken = try await jane.post("/new-accounts/NEW-1/remove")
                #expect((taken.json["newAccounts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["NEW-2"])
                cleared = try await jane.holds()
            case "BAPND":
                let pending = try await client.call(.post, "/api/v1/customers/CUST-JANE/billing-accounts", json: #"{"type": "Individual", "paymentMode": "postpaid", "status": "Pending"}"#)
                let id = try #require(pending.json["id"] as? String)
                try await jane.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
                try await jane.post("/information", #"{"customer": "CUST-JANE", "recurringBilling": {"customer": "CUST-JANE", "account": "\#(id)", "paymentMethod": "invoice"}}"#)
                #expect(!(try await jane.holds()).contains("BAPND"), "checked at submission only")
                raised = try await jane.holdsAtSubmission()
                _ = try await client.call(.post, "/api/v1/billing-accounts/\(id)/status", json: #"{"status": "Active"}"#)
                cleared = try await jane.holdsAtSubmission()
            case "BAPNL":
                let pending = try await client.call(.post, "/api/v1/customers/CUST-JANE/billing-accounts", json: #"{"type": "Individual", "paymentMode": "postpaid", "status": "Pending"}"#)
                let id = try #require(pending.json["id"] as? String)
                try await jane.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
                try await jane.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "\#(id)"}]}"#)
                #expect(!(try await jane.holds()).contains("BAPNL"), "checked at submission only")
                raised = try await jane.holdsAtSubmission()
                _ = try await client.call(.post, "/api/v1/billing-accounts/\(id)/status", json: #"{"status": "Active"}"#)
                cleared = try await jane.holdsAtSubmission()
            case "BABAL":
                // BA-3001 holds 20; the one-time charges are 25, then 15.
                try await jane.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
                try await jane.post("/information", #"{"customer": "CUST-ANON-1", "nonrecurringBilling": {"customer": "CUST-ANON-1", "account": "BA-3001"}}"#)
                let added = try await jane.post("/adjustments", #"{"line": 1, "type": "oneTime", "amount": 25, "currency": "EUR", "reason": "activation"}"#)
                raised = try await jane.holds()
                let adjustment = try #require((added.json["adjustments"] as? [[String: Any]])?.first?["id"] as? String)
                try await jane.post("/adjustments/\(adjustment)/remove")
                try await jane.post("/adjustments", #"{"line": 1, "type": "oneTime", "amount": 15, "currency": "EUR", "reason": "activation"}"#)
                cleared = try await jane.holds()
                #expect(((try await client.call(.get, jane.path)).json["holds"] as? [[String: Any]] ?? []).allSatisfy { $0["code"] as? String != "BABAL" })
            default:
                Issue.record("no scenario for \(code)")
            }
            #expect(raised.contains(code), "\(code) raised: \(raised.sorted())")
            #expect(!cleared.contains(code), "\(code) cleared: \(cleared.sorted())")
            let definition = try #require(HoldRegistry.standard.first { $0.code.rawValue == code })
            #expect(!definition.overridable, "as delivered, no BA hold is overridden")
        }
    }

    @Test("R-5.2 BABAL timing: once a balance covered the one-time charges it is not checked again unless they change; a future-dated order is checked at submission only; never while Queued")
    func balanceTiming() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let order = try await BillingOrder.simple(client, soldTo: "CUST-ANON-1")
            try await order.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
            try await order.post("/information", #"{"customer": "CUST-ANON-1", "nonrecurringBilling": {"customer": "CUST-ANON-1", "account": "BA-3001"}}"#)
            try await order.post("/adjustments", #"{"line": 1, "type": "oneTime", "amount": 15, "currency": "EUR", "reason": "activation"}"#)
            #expect(!(try await order.holds()).contains("BABAL"))
            #expect((try await client.call(.get, order.path)).json["holds"] != nil)
            // A future-dated order: not checked by a validation, checked at submission.
            let future = try await BillingOrder.simple(client, soldTo: "CUST-ANON-1")
            try await future.post("/header", #"{"productSellingDate": "2027-03-01"}"#)
            try await future.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
            try await future.post("/information", #"{"customer": "CUST-ANON-1", "nonrecurringBilling": {"customer": "CUST-ANON-1", "account": "BA-3001"}}"#)
            try await future.post("/adjustments", #"{"line": 1, "type": "oneTime", "amount": 25, "currency": "EUR", "reason": "activation"}"#)
            #expect(!(try await future.holds()).contains("BABAL"))
            #expect(try await future.holdsAtSubmission().contains("BABAL"))
        }
    }
}

extension SplitBillingTests {
    @Test("R-8 worked example (docs/billing.md) against a live server: ACME pays the monthly fee of Jane's mobile line, Jane pays its usage; installed, the line keeps both rows")
    func workedExample() async throws {
        let clock = FixedClock(DefectTests.start)
        let app = try await TestApp.make(clock: clock, port: 0)
        try await app.run(.live) { client in
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {}}"#).status == .created)
            let order = try await BillingOrder.simple(client, soldTo: "CUST-JANE")
            #expect(order.path == "/api/v1/orders/COM000001")
            try await order.post("/lines", #"{"product": "MOBILE-CONTRACT"}"#)
            let defaulted = try await order.rows(1)
            #expect(defaulted.first?["account"] as? String == "BA-1002" && defaulted.first?["customer"] as? String == "CUST-ACME", "Jane's billing defaults to ACME, who pays for her")
            #expect(defaulted.last?["account"] == nil)
            try await Self.configureMobile(client, order: order, lines: [1])
            let mobile = try #require(((try await order.line(1))["configuration"] as? [String: Any]).flatMap { root in
                var found: String?
                func walk(_ c: [String: Any]) {
                    if c["product"] as? String == "MOBILE-VOICE-DATA" { found = c["id"] as? String }
                    (c["components"] as? [[String: Any]] ?? []).forEach(walk)
                }
                walk(root)
                return found
            })
            #expect(mobile == "new-3", "the instance the docs name")
            let split = try await order.post("/lines/1/billing", #"{"component": "\#(mobile)", "rows": [{"sequence": 1, "account": "BA-1002"}, {"sequence": 2, "account": "BA-2001"}]}"#)
            #expect(split.status == .ok)
            let submitted = try await order.post("/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(400))")
            try await runJobs(app.engine, clock: clock, rounds: 4, step: 1)
            let installed = try await client.call(.get, "/api/v1/installed-products/IC-COM000001-1.3")
            #expect(installed.json["product"] as? String == "MOBILE-VOICE-DATA" && installed.json["billingAccount"] as? String == "BA-1002")
            let rows = installed.json["billingRows"] as? [[String: Any]] ?? []
            #expect(rows.map { $0["account"] as? String } == ["BA-1002", "BA-2001"])
            #expect(rows.map { $0["customer"] as? String } == ["CUST-ACME", "CUST-JANE"] && rows.map { $0["purpose"] as? String } == ["monthly fee", "usage"])
            // The contract itself keeps its own rows (the line's): ACME pays its line charges.
            let contract = try await client.call(.get, "/api/v1/installed-products/IC-COM000001-1")
            #expect((contract.json["billingRows"] as? [[String: Any]])?.first?["account"] as? String == "BA-1002")
        }
    }
}

extension SplitBillingTests {
    @Test("R-8.3, R-8.5 under concurrency: two agents set a line's billing rows, or mark a new account, on the same version at the same moment — one succeeds, the other gets version-conflict and nothing of it is stored", arguments: TestBackend.available)
    func concurrentBillingChanges(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            let order = try await BillingOrder.simple(client, soldTo: "CUST-JANE")
            let added = try await order.post("/lines", #"{"product": "HOME-CONTRACT"}"#)
            let version = try #require(added.json["version"] as? Int)
            let bodies = [#"{"rows": [{"sequence": 2, "account": "BA-2001"}]}"#, #"{"rows": [{"sequence": 2, "account": "BA-1002"}]}"#]
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for body in bodies {
                    group.addTask { try await client.call(.post, order.path + "/lines/1/billing", json: body, headers: [.ifMatch: "\"\(version)\""]) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.map(\.status.code).sorted() == [200, 409], "\(replies.map { "\($0.status.code) \($0.text.prefix(200))" })")
            #expect(replies.first { $0.status == .conflict }?.code == "version-conflict")
            let winner = try #require(replies.first { $0.status == .ok })
            let stored = try await order.rows(1)
            #expect(stored.last?["account"] as? String == (winner.lines.first?["billingRows"] as? [[String: Any]])?.last?["account"] as? String)
            let current = try #require((try await client.call(.get, order.path)).json["version"] as? Int)
            let marks = try await withThrowingTaskGroup(of: Reply.self) { group in
                for type in ["Individual", "Prepaid"] {
                    group.addTask {
                        try await client.call(.post, order.path + "/new-accounts", json: #"{"customer": "CUST-JANE", "type": "\#(type)"}"#,
                                              headers: [.ifMatch: "\"\(current)\""])
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(marks.map(\.status.code).sorted() == [201, 409])
            #expect(((try await client.call(.get, order.path)).json["newAccounts"] as? [Any])?.count == 1)
        }
    }
}

extension SplitBillingTests {
    @Test("R-8.7: a service-management order changes the account paying an installed contract — its line carries the installed rows; components paying with rows of their own are replaced only when confirmed; fulfilled, the installed products are paid by the new account; carried component rows keep their definition's required and allowed type", arguments: TestBackend.available)
    func serviceManagementAccountChange(backend: TestBackend) async throws {
        let clock = FixedClock(DefectTests.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {}}"#).status == .created)
            // Jane's mobile contract is installed paid by BA-2001 (demo data).
            let made = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            let order = BillingOrder(client: client, path: "/api/v1/orders/" + (try #require(made.json["id"] as? String)))
            try await order.post("/lines", #"{"installedContract": "IC-JANE-1", "action": "change"}"#)
            let carried = try await order.rows(1)
            #expect(carried.first?["account"] as? String == "BA-2001" && carried.first?["customer"] as? String == "CUST-JANE", "the rows it is installed with")
            let session = try #require(((try await order.post("/sessions")).json["session"] as? [String: Any])?["id"] as? String)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            let changed = try await order.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "BA-1002"}]}"#)
            #expect(changed.status == .ok, "\(changed.text.prefix(300))")
            let submitted = try await order.post("/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(500))")
            try await runJobs(app.engine, clock: clock, rounds: 4, step: 1)
            for product in ["IC-JANE-1", "IC-JANE-1.3"] {
                let installed = try await client.call(.get, "/api/v1/installed-products/\(product)").json
                #expect(installed["billingAccount"] as? String == "BA-1002", "\(product)")
                #expect((installed["billingRows"] as? [[String: Any]])?.first?["customer"] as? String == "CUST-ACME", "\(product)")
            }
            // The mobile line now pays with rows of its own (Jane pays its usage); a change of the
            // contract's rows would replace them: asked first, then applied.
            let second = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            let own = BillingOrder(client: client, path: "/api/v1/orders/" + (try #require(second.json["id"] as? String)))
            try await own.post("/lines", #"{"installedContract": "IC-JANE-1", "action": "change"}"#)
            let ownSession = try #require(((try await own.post("/sessions")).json["session"] as? [String: Any])?["id"] as? String)
            _ = try await client.call(.post, "/api/v1/sessions/\(ownSession)/submit")
            #expect(try await own.post("/lines/1/billing", #"{"component": "IC-JANE-1.3", "rows": [{"sequence": 1, "account": "BA-1002"}, {"sequence": 2, "account": "BA-2001"}]}"#).status == .ok)
            #expect(try await own.post("/submit").json["status"] as? String == "submitted")
            try await runJobs(app.engine, clock: clock, rounds: 4, step: 1)
            let line = try await client.call(.get, "/api/v1/installed-products/IC-JANE-1.3").json
            #expect((line["billingRows"] as? [[String: Any]])?.map { $0["account"] as? String } == ["BA-1002", "BA-2001"])
            let third = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            let back = BillingOrder(client: client, path: "/api/v1/orders/" + (try #require(third.json["id"] as? String)))
            try await back.post("/lines", #"{"installedContract": "IC-JANE-1", "action": "change"}"#)
            let carriedOwn = try #require(((try await back.line(1))["componentBilling"] as? [String: Any])?["IC-JANE-1.3"] as? [[String: Any]],
                                          "the component's own rows are carried")
            // …with what the component's own definition says of each row: the monthly fee is required and postpaid.
            #expect(carriedOwn.first?["required"] as? Bool == true && carriedOwn.first?["allowedType"] as? String == "postpaid")
            #expect(carriedOwn.last?["required"] as? Bool == false && carriedOwn.last?["allowedType"] as? String == "either")
            let wallet = try await client.call(.post, "/api/v1/customers/CUST-JANE/billing-accounts", json: #"{"type": "Prepaid", "paymentMode": "prepaid", "balance": 15, "currency": "EUR", "contact": "CT-1"}"#)
            let walletID = try #require(wallet.json["id"] as? String)
            let prepaidOnPostpaid = try await back.post("/lines/1/billing", #"{"component": "IC-JANE-1.3", "rows": [{"sequence": 1, "account": "\#(walletID)"}]}"#)
            #expect(prepaidOnPostpaid.code == "billing-not-allowed" && prepaidOnPostpaid.text.contains("postpaid"), "\(prepaidOnPostpaid.text.prefix(300))")
            let asked = try await back.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "BA-2001"}]}"#)
            #expect(asked.code == "confirmation-required" && asked.text.contains("IC-JANE-1.3"))
            #expect(try await back.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "BA-2001"}], "confirm": true}"#).status == .ok)
            let backSession = try #require(((try await back.post("/sessions")).json["session"] as? [String: Any])?["id"] as? String)
            _ = try await client.call(.post, "/api/v1/sessions/\(backSession)/submit")
            #expect(try await back.post("/submit").json["status"] as? String == "submitted")
            try await runJobs(app.engine, clock: clock, rounds: 4, step: 1)
            let inherited = try await client.call(.get, "/api/v1/installed-products/IC-JANE-1.3").json
            #expect(inherited["billingAccount"] as? String == "BA-2001" && (inherited["billingRows"] as? [[String: Any]])?.count == 2)
            #expect((inherited["billingRows"] as? [[String: Any]])?.last?["account"] == nil, "it inherits the contract's rows again")
        }
    }
}

extension SplitBillingTests {
    @Test("R-8.2, R-5.2 BARNS on a bulk order: a row whose customer has no account of a required row's type holds the order at validation and submission, naming the row; with an account, the child is generated billed", arguments: TestBackend.available)
    func bulkRowsWithoutAccount(backend: TestBackend) async throws {
        try await TestApp.make(backend).run { client in
            let made = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "bulk", "soldTo": "CUST-ACME"}"#)
            let order = BillingOrder(client: client, path: "/api/v1/orders/" + (try #require(made.json["id"] as? String)))
            try await order.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
            let session = try #require(((try await order.post("/sessions")).json["session"] as? [String: Any])?["id"] as? String)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "add", "product": "PREPAID-SIM", "contract": "L1"}]}"#)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            // CUST-ANON-1 has a prepaid account (BA-3001); Jane has none.
            try await order.post("/rows", #"{"customer": "CUST-ANON-1"}"#)
            try await order.post("/rows", #"{"customer": "CUST-JANE", "contact": "CT-1"}"#)
            let validated = try await order.post("/validate")
            let hold = try #require((validated.json["holds"] as? [[String: Any]])?.first { $0["code"] as? String == "BARNS" }, "\(validated.text.prefix(600))")
            let details = hold["details"] as? [String] ?? []
            #expect(details.count == 1 && details[0].contains("bulk row CUST-JANE") && details[0].contains("wallet"), "\(details)")
            let refused = try await order.post("/submit")
            #expect(refused.code == "order-held" && refused.text.contains("BARNS"))
            let listed = try await client.call(.get, "/api/v1/orders?status=submitted")
            #expect(listed.status == .ok && listed.items.isEmpty, "no child generated")
            let wallet = try await client.call(.post, "/api/v1/customers/CUST-JANE/billing-accounts", json: #"{"type": "Prepaid", "paymentMode": "prepaid", "balance": 5, "currency": "EUR", "contact": "CT-1", "status": "Active"}"#)
            let walletID = try #require(wallet.json["id"] as? String)
            let submitted = try await order.post("/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(400))")
            let children = (submitted.json["children"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(children.count == 2)
            let paid = try await client.call(.get, "/api/v1/orders/\(try #require(children.last))").lines.first?["billingRows"] as? [[String: Any]]
            #expect(paid?.first?["account"] as? String == walletID && paid?.first?["customer"] as? String == "CUST-JANE")
        }
    }
}

extension SplitBillingTests {
    @Test("R-8.4, R-5.2 BAPRL: a prepaid account already paying another customer's installed contract (under a bill-to) is seen — it cannot pay a second contract", arguments: TestBackend.available)
    func prepaidPayingAnotherOwnersContract(backend: TestBackend) async throws {
        let clock = FixedClock(DefectTests.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {}}"#).status == .created)
            let wallet = try await client.call(.post, "/api/v1/customers/CUST-ACME/billing-accounts", json: #"{"type": "Prepaid", "paymentMode": "prepaid", "balance": 50, "currency": "EUR", "status": "Active"}"#)
            let walletID = try #require(wallet.json["id"] as? String)
            // ACME's wallet pays Jane's prepaid contract, installed.
            let jane = try await BillingOrder.simple(client, soldTo: "CUST-JANE")
            try await jane.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
            #expect(try await jane.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "\#(walletID)"}]}"#).status == .ok)
            let session = try #require(((try await jane.post("/sessions")).json["session"] as? [String: Any])?["id"] as? String)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "add", "product": "PREPAID-SIM", "contract": "L1"}]}"#)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            let submitted = try await jane.post("/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(400))")
            try await runJobs(app.engine, clock: clock, rounds: 4, step: 1)
            // ACME now buys a prepaid contract of its own paid by the same wallet: BAPRL, naming the line.
            let acme = try await BillingOrder.simple(client, soldTo: "CUST-ACME")
            try await acme.post("/lines", #"{"product": "PREPAID-CONTRACT"}"#)
            #expect(try await acme.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "\#(walletID)"}]}"#).status == .ok)
            #expect(try await acme.holds().contains("BAPRL"))
            // Another wallet clears it.
            let second = try await client.call(.post, "/api/v1/customers/CUST-ACME/billing-accounts", json: #"{"type": "Prepaid", "paymentMode": "prepaid", "balance": 50, "currency": "EUR", "status": "Active"}"#)
            #expect(try await acme.post("/lines/1/billing", #"{"rows": [{"sequence": 1, "account": "\#(try #require(second.json["id"] as? String))"}]}"#).status == .ok)
            #expect(!(try await acme.holds().contains("BAPRL")))
        }
    }
}

extension SplitBillingTests {
    @Test("R-4.2: in a session, a component only the session has shows the rows it inherits, is given rows of its own and a new account, with the order API's validation and cascade confirmation; the order takes them when the session is submitted; in the console too", arguments: TestBackend.available)
    func billingInSessions(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {}}"#).status == .created)
            let order = try await BillingOrder.simple(client, soldTo: "CUST-JANE")
            try await order.post("/lines", #"{"product": "MOBILE-CONTRACT"}"#)
            let session = try #require(((try await order.post("/sessions")).json["session"] as? [String: Any])?["id"] as? String)
            let added = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "add", "product": "MOBILE-VOICE-DATA", "contract": "L1"}]}"#)
            let mobile = try #require(((added.json["report"] as? [String: Any])?["elements"] as? [[String: Any]] ?? [])
                .first { $0["product"] as? String == "MOBILE-VOICE-DATA" }?["instance"] as? String)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "setAttribute", "instance": "\#(mobile)", "name": "msisdn", "value": "+32470000001"}]}"#)
            // Seen in the session: it inherits the contract's rows (ACME's account, defaulted), and may set its own.
            let seen = try await client.call(.get, "/api/v1/sessions/\(session)/instances/\(mobile)").json["billing"] as? [String: Any]
            #expect(seen?["own"] as? Bool == false && seen?["selectable"] as? Bool == true)
            #expect((seen?["rows"] as? [[String: Any]])?.first?["account"] as? String == "BA-1002")
            // The order API's rules: another customer's account that does not pay for Jane is refused, nothing kept.
            let before = try await client.call(.get, "/api/v1/sessions/\(session)").json["version"] as? Int
            let refused = try await client.call(.post, "/api/v1/sessions/\(session)/billing", json: #"{"component": "\#(mobile)", "rows": [{"sequence": 1, "account": "BA-NOPE"}]}"#)
            #expect(refused.code == "unknown-billing-account")
            let nowhere = try await client.call(.post, "/api/v1/sessions/\(session)/billing", json: #"{"component": "no-such-instance", "rows": [{"sequence": 1, "account": "BA-1002"}]}"#)
            #expect(nowhere.code == "unknown-component" && nowhere.json["field"] as? String == "component")
            #expect(try await client.call(.get, "/api/v1/sessions/\(session)").json["version"] as? Int == before)
            // A new account marked in the session pays the usage; ACME's account the monthly fee.
            #expect(try await client.call(.post, "/api/v1/sessions/\(session)/new-accounts", json: #"{"customer": "CUST-JANE", "contact": "CT-1", "type": "Individual"}"#).status == .ok)
            let set = try await client.call(.post, "/api/v1/sessions/\(session)/billing", json: #"{"component": "\#(mobile)", "rows": [{"sequence": 1, "account": "BA-1002"}, {"sequence": 2, "newAccount": "NEW-1"}]}"#)
            #expect(set.status == .ok, "\(set.text.prefix(300))")
            let own = try await client.call(.get, "/api/v1/sessions/\(session)/instances/\(mobile)").json["billing"] as? [String: Any]
            #expect(own?["own"] as? Bool == true && (own?["rows"] as? [[String: Any]])?.last?["newAccount"] as? String == "NEW-1")
            #expect((own?["newAccounts"] as? [[String: Any]])?.first?["id"] as? String == "NEW-1")
            // The contract's rows would replace the component's: confirmation first (checked in the session).
            let root = try #require(((added.json["session"] as? [String: Any])?["document"] as? [String: Any]).flatMap { ($0["contracts"] as? [[String: Any]])?.first?["id"] as? String })
            let cascade = try await client.call(.post, "/api/v1/sessions/\(session)/billing", json: #"{"component": "\#(root)", "rows": [{"sequence": 1, "account": "BA-2001"}]}"#)
            #expect(cascade.code == "confirmation-required" && cascade.text.contains(mobile), "\(cascade.text.prefix(300))")
            // The order is untouched until the session is submitted; then it has all of it.
            #expect(((try await order.line(1))["componentBilling"]) == nil)
            let submitted = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            #expect(submitted.status == .ok, "\(submitted.text.prefix(400))")
            let rows = try #require(((try await order.line(1))["componentBilling"] as? [String: Any])?[mobile] as? [[String: Any]])
            #expect(rows.map { $0["account"] as? String } == ["BA-1002", nil] && rows.last?["newAccount"] as? String == "NEW-1")
            #expect(((try await client.call(.get, order.path)).json["newAccounts"] as? [[String: Any]])?.count == 1)
            // In the console: the instance page of a new session shows the rows and sets them.
            let console = try await ConsoleSession.signIn(client, token: adminToken)
            let reopened = try #require(((try await order.post("/sessions")).json["session"] as? [String: Any])?["id"] as? String)
            let page = try await client.page(.get, "/sessions/\(reopened)/instances/\(mobile)", cookie: console.cookie)
            #expect(page.text.contains("Billing accounts") && page.text.contains("NEW-1") && page.text.contains("monthly fee"), "\(page.text.prefix(200))")
            #expect(accessibilityProblems(page.text).isEmpty, "\(accessibilityProblems(page.text))")
            let posted = try await client.page(.post, "/sessions/\(reopened)/instances/\(mobile)/billing", cookie: console.cookie,
                                               form: "_csrf=\(console.csrf)&rows%5Bs2%5D=account%3ABA-2001")
            #expect(posted.headers[.location] == "/sessions/\(reopened)/instances/\(mobile)", "\(posted.text.prefix(300))")
            let after = try await client.call(.get, "/api/v1/sessions/\(reopened)/instances/\(mobile)").json["billing"] as? [String: Any]
            #expect((after?["rows"] as? [[String: Any]])?.last?["account"] as? String == "BA-2001")
            let bad = try await client.page(.post, "/sessions/\(reopened)/instances/\(mobile)/billing", cookie: console.cookie,
                                            form: "_csrf=\(console.csrf)&rows%5Bs1%5D=account%3ABA-3001")
            #expect(bad.status == .unprocessableContent && bad.text.contains("billing-not-allowed"), "\(bad.text.prefix(300))")
        }
    }
}
