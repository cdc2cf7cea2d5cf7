import ConvergentDemo
import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("R-12.1, R-12.7, R-2.3 subscriptions, bills and prepaid wallets through the API")
struct SubscriptionAPITests {
    /// A second home contract of Eleni's, as IC-HOME-1 with ids IC-HOME-2…, without subscriptions.
    static func secondHome(_ app: TestApp) async throws {
        let first = try #require(DemoInstalledBase.contracts.first { $0.id == "IC-HOME-1" })
        func renamed(_ id: String) -> String { id.replacingOccurrences(of: "IC-HOME-1", with: "IC-HOME-2") }
        var second = first
        second.id = "IC-HOME-2"
        second.root = first.root.map { var c = $0; c.id = renamed(c.id); return c }
        second.links = first.links?.map { var link = $0; link.from = renamed(link.from); link.to = renamed(link.to); return link }
        _ = try await app.engine.store.insert(second, context: app.engine.context("system", reason: "test"))
    }

    static let tvRequest = #"{"installedProduct": "IC-HOME-2.8", "type": "HOME-TV", "accountsReceivable": "BA-4002", "billingTerm": {"scheme": "HOME-MONTHLY", "frequency": "monthly", "bindingPeriod": 12, "pricePlan": "STANDARD-2026"}}"#

    @Test("R-12.1, R-15.5: the demo household's subscriptions — read with services, installed items and life cycle; listed per customer, paged; as of a day; with their history", arguments: TestBackend.available)
    func demoSubscriptions(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            let tv = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8")
            #expect(tv.status == .ok, "\(tv.text.prefix(400))")
            #expect(tv.json["state"] as? String == "effective" && tv.json["accountsReceivable"] as? String == "BA-4002" && tv.json["type"] as? String == "HOME-TV")
            #expect(tv.json["since"] as? String == "2026-02-02" && tv.json["distributors"] as? [String] == ["LOGISTICS", "TV-PLATFORM"])
            #expect((tv.json["services"] as? [[String: Any]])?.compactMap { $0["product"] as? String } == ["TV-BASIC-OFFER", "TV-BASIC-PACK", "TV-FLEX-OFFER", "SPORTS-PACK"])
            #expect((tv.json["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["IC-HOME-1.12"])
            #expect((tv.json["lifecycle"] as? [[String: Any]])?.compactMap { $0["state"] as? String } == ["draft", "effective"])
            let first = try await client.call(.get, "/api/v1/customers/CUST-HOME/subscriptions?limit=1")
            #expect(first.items.compactMap { $0["id"] as? String } == ["SUB-IC-HOME-1.1"] && first.json["nextCursor"] as? String == "SUB-IC-HOME-1.1")
            let second = try await client.call(.get, "/api/v1/customers/CUST-HOME/subscriptions?limit=1&cursor=SUB-IC-HOME-1.1")
            #expect(second.items.compactMap { $0["id"] as? String } == ["SUB-IC-HOME-1.8"] && second.json["nextCursor"] == nil)
            #expect(try await client.call(.get, "/api/v1/customers/CUST-NONE/subscriptions").status == .notFound)
            #expect(try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8?asOf=2026-11-22").json["version"] as? Int == 1)
            let before = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8?asOf=2026-11-21")
            #expect(before.status == .notFound && before.json["field"] as? String == "asOf")
            #expect(try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8?asOf=yesterday").code == "invalid-parameter")
            #expect(try await client.call(.get, "/api/v1/subscriptions/SUB-NONE").status == .notFound)
            let history = try await client.call(.get, "/api/v1/history/subscription/SUB-IC-HOME-1.8").items
            #expect(history.count == 1 && history.first?["actor"] as? String == "system")
        }
    }

    @Test("R-12.1: a subscription made from a play through the API — every refusal listed in problems with its code and field; two agents making the same one at the same moment get one 201 and one 409", arguments: TestBackend.available)
    func create(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await Self.secondHome(app)
        try await app.run { client in
            let wrong = try await client.call(.post, "/api/v1/subscriptions", json: #"{"installedProduct": "IC-HOME-2.1", "type": "HOME-TV", "billingTerm": {"scheme": "HOME-MONTHLY", "frequency": "annual", "bindingPeriod": 36, "pricePlan": "GOLD"}}"#)
            #expect(wrong.status == .unprocessableContent && wrong.code == "not-allowed-by-subscription-type", "\(wrong.text.prefix(400))")
            let problems = wrong.json["problems"] as? [[String: Any]] ?? []
            #expect(Set(problems.compactMap { $0["code"] as? String }) == ["not-allowed-by-subscription-type", "billing-term-scheme-violated"])
            #expect(problems.filter { $0["path"] as? String == "billingTerm" }.count == 3)
            let refusals: [(String, String, String?)] = [
                (#""installedProduct": "IC-HOME-2.9", "type": "HOME-TV""#, "invalid-subscription-scope", "installedProduct"),
                (#""installedProduct": "IC-NOPE.1", "type": "HOME-TV""#, "invalid-request", "installedProduct"),
                (#""installedProduct": "IC-HOME-2.8", "type": "HOME-TV", "accountsReceivable": "BA-2001""#, "accounts-receivable-not-owned", "accountsReceivable"),
            ]
            for (fields, code, field) in refusals {
                let reply = try await client.call(.post, "/api/v1/subscriptions", json: #"{\#(fields), "billingTerm": {"scheme": "HOME-MONTHLY", "frequency": "monthly", "bindingPeriod": 12, "pricePlan": "STANDARD-2026"}}"#)
                #expect(reply.status == .unprocessableContent && reply.code == code && reply.json["field"] as? String == field, "\(fields): \(reply.text.prefix(300))")
            }
            #expect(try await client.call(.post, "/api/v1/subscriptions", json: #"{"installedProduct": "IC-HOME-2.8", "type": "HOME-TV"}"#).code == "missing-field")
            async let a = client.call(.post, "/api/v1/subscriptions", json: Self.tvRequest)
            async let b = client.call(.post, "/api/v1/subscriptions", json: Self.tvRequest)
            let replies = [try await a, try await b]
            #expect(replies.map(\.status.code).sorted() == [201, 409], "\(replies.map(\.text))")
            #expect(replies.first { $0.status == .conflict }?.code == "already-exists")
            let made = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-2.8").json
            #expect(made["installedProduct"] as? String == "IC-HOME-2.8" && made["contract"] as? String == "IC-HOME-2" && made["version"] as? Int == 1)
            // With a second subscription on the prepaid wallet, moving installed items is offered.
            let overview = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-2.8/overview").json
            let move = (overview["actions"] as? [[String: Any]])?.first { $0["behaviourCode"] as? String == "MOVEINSTITEMTOANOTHERSUBSCRIPTION" }
            #expect(move?["offered"] as? Bool == true && move?["whyNot"] == nil)
            #expect(try await client.call(.get, "/api/v1/customers/CUST-HOME/subscriptions").items.count == 3)
        }
    }

    @Test("R-12.7, R-16.3: bills posted by the billing system — new, then settled as a new version; listed per accounts receivable (unsettled only when asked); shown before an action with each action offered or why not; bad posts refused with the field", arguments: TestBackend.available)
    func bills(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            let overview = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8/overview").json
            let actions = overview["actions"] as? [[String: Any]] ?? []
            let move = actions.first { $0["behaviourCode"] as? String == "MOVEINSTITEMTOANOTHERSUBSCRIPTION" }
            #expect(move?["offered"] as? Bool == false && (move?["whyNot"] as? [String: Any])?["code"] as? String == "action-not-offered")
            #expect(((move?["whyNot"] as? [String: Any])?["message"] as? String)?.contains("BA-4002 has no other subscription") == true)
            #expect(actions.compactMap { $0["offered"] as? Bool } == [false, true, true, false])
            #expect(overview["unsettledBills"] as? [Any] != nil && (overview["unsettledBills"] as? [Any])?.isEmpty == true)

            let posted = try await client.call(.put, "/api/v1/bills/INV-1", json: #"{"accountsReceivable": "BA-4002", "amount": 25.5, "currency": "EUR", "dueDate": "2026-11-01"}"#)
            #expect(posted.status == .ok && posted.json["version"] as? Int == 1 && posted.json["settled"] as? Bool == false, "\(posted.text.prefix(300))")
            #expect(try await client.call(.get, "/api/v1/bills/INV-1").json["amount"] as? Double == 25.5)
            _ = try await client.call(.put, "/api/v1/bills/INV-0", json: #"{"accountsReceivable": "BA-4002", "amount": 10, "currency": "EUR", "dueDate": "2026-12-01"}"#)
            let shown = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8/overview").json["unsettledBills"] as? [[String: Any]] ?? []
            #expect(shown.compactMap { $0["id"] as? String } == ["INV-1", "INV-0"], "oldest due first")
            #expect(try await client.call(.get, "/api/v1/billing-accounts/BA-4002/bills?unsettled=true").items.count == 2)

            let settled = try await client.call(.put, "/api/v1/bills/INV-1", json: #"{"accountsReceivable": "BA-4002", "amount": 25.5, "currency": "EUR", "dueDate": "2026-11-01", "settled": true}"#, headers: [.ifMatch: "\"1\""])
            #expect(settled.json["version"] as? Int == 2 && settled.json["settled"] as? Bool == true)
            let stale = try await client.call(.put, "/api/v1/bills/INV-1", json: #"{"accountsReceivable": "BA-4002", "amount": 20, "currency": "EUR", "dueDate": "2026-11-01"}"#, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .conflict && stale.code == "version-conflict")
            #expect(try await client.call(.get, "/api/v1/billing-accounts/BA-4002/bills?unsettled=true").items.compactMap { $0["id"] as? String } == ["INV-0"])
            let all = try await client.call(.get, "/api/v1/billing-accounts/BA-4002/bills?limit=1")
            #expect(all.items.count == 1 && all.json["nextCursor"] as? String == "INV-0")
            #expect(try await client.call(.get, "/api/v1/history/bill/INV-1").items.count == 2)

            let bad: [(String, String, String, String)] = [
                ("INV-1", #""accountsReceivable": "BA-4001", "amount": 1, "currency": "EUR", "dueDate": "2026-11-01""#, "invalid-request", "accountsReceivable"),
                ("INV-2", #""accountsReceivable": "BA-NONE", "amount": 1, "currency": "EUR", "dueDate": "2026-11-01""#, "invalid-request", "accountsReceivable"),
                ("INV-2", #""accountsReceivable": "BA-4002", "amount": -1, "currency": "EUR", "dueDate": "2026-11-01""#, "invalid-request", "amount"),
                ("INV-2", #""accountsReceivable": "BA-4002", "amount": 1, "currency": "eur", "dueDate": "2026-11-01""#, "invalid-request", "currency"),
                ("INV-2", #""accountsReceivable": "BA-4002", "amount": 1, "currency": "EUR", "dueDate": "2026-13-01""#, "invalid-value", "dueDate"),
                ("bad%20id", #""accountsReceivable": "BA-4002", "amount": 1, "currency": "EUR", "dueDate": "2026-11-01""#, "invalid-id", "id"),
            ]
            for (id, fields, code, field) in bad {
                let reply = try await client.call(.put, "/api/v1/bills/\(id)", json: "{\(fields)}")
                #expect(reply.status == .unprocessableContent && reply.code == code && reply.json["field"] as? String == field, "\(fields): \(reply.text.prefix(300))")
            }
            #expect(try await client.call(.get, "/api/v1/bills/INV-2").status == .notFound, "nothing refused was stored")
            #expect(try await client.call(.get, "/api/v1/bills/INV-1").json["version"] as? Int == 2)
        }
    }

    @Test("R-2.3: a prepaid wallet — credited with who and why, its movements newest first and paged; amounts above 0 in its currency, postpaid accounts have none; two credits from the same version at once: one 200, one 409", arguments: TestBackend.available)
    func wallet(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            let empty = try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet")
            #expect(empty.json["balance"] as? Double == 40 && empty.items.isEmpty && empty.json["currency"] as? String == "EUR", "\(empty.text.prefix(300))")
            let credited = try await client.call(.post, "/api/v1/billing-accounts/BA-4002/wallet", json: #"{"amount": 10, "currency": "EUR", "reference": "PAY-77"}"#)
            #expect(credited.json["balance"] as? Double == 50)
            let entry = credited.items.first
            #expect(entry?["kind"] as? String == "credit" && entry?["by"] as? String == "admin" && entry?["reference"] as? String == "PAY-77" && entry?["balanceAfter"] as? Double == 50)
            #expect(try await client.call(.post, "/api/v1/billing-accounts/BA-4002/wallet", json: #"{"amount": 0}"#).code == "invalid-wallet-amount")
            let currency = try await client.call(.post, "/api/v1/billing-accounts/BA-4002/wallet", json: #"{"amount": 5, "currency": "USD"}"#)
            #expect(currency.code == "invalid-wallet-amount" && currency.json["field"] as? String == "currency")
            #expect(try await client.call(.post, "/api/v1/billing-accounts/BA-4001/wallet", json: #"{"amount": 5}"#).code == "balance-on-postpaid")
            #expect(try await client.call(.post, "/api/v1/billing-accounts/BA-NONE/wallet", json: #"{"amount": 5}"#).status == .notFound)
            #expect(try await client.call(.get, "/api/v1/billing-accounts/BA-NONE/wallet").status == .notFound)

            let version = try #require(credited.json["version"] as? Int)
            let headers: HTTPFields = [.ifMatch: "\"\(version)\""]
            async let a = client.call(.post, "/api/v1/billing-accounts/BA-4002/wallet", json: #"{"amount": 1, "reference": "PAY-78"}"#, headers: headers)
            async let b = client.call(.post, "/api/v1/billing-accounts/BA-4002/wallet", json: #"{"amount": 2, "reference": "PAY-79"}"#, headers: headers)
            let codes = [try await a, try await b].map(\.status.code).sorted()
            #expect(codes == [200, 409], "\(codes)")
            let page = try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet?limit=1")
            #expect(page.items.count == 1 && page.items.first?["reference"] as? String != "PAY-77", "newest first")
            let cursor = try #require(page.json["nextCursor"] as? Int)
            let rest = try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet?cursor=\(cursor)")
            #expect(rest.items.compactMap { $0["reference"] as? String } == ["PAY-77"] && rest.json["nextCursor"] == nil)
            let balance = try #require(rest.json["balance"] as? Double)
            #expect(balance == 51 || balance == 52)
        }
    }

    @Test("R-12.1, R-7: fulfillment keeps subscriptions the view of their contract — a service-management order suspending the home contract makes both subscriptions Not Effective when it completes, resuming it Effective again, in the subscription's history", arguments: TestBackend.available)
    func followsFulfillment(backend: TestBackend) async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            for (number, action) in [(1, "suspend"), (2, "resume")] {
                let id = String(format: "SM%06d", number)
                _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-HOME"}"#)
                let line = try await client.call(.post, "/api/v1/orders/\(id)/lines", json: #"{"installedContract": "IC-HOME-1", "action": "\#(action)"}"#)
                #expect(line.status == .created, "\(line.text.prefix(300))")
                let submitted = try await client.call(.post, "/api/v1/orders/\(id)/submit")
                #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(400))")
                try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
                #expect(try await client.call(.get, "/api/v1/orders/\(id)").json["status"] as? String == "completed")
                let expected = action == "suspend" ? "notEffective" : "effective"
                for subscription in ["SUB-IC-HOME-1.1", "SUB-IC-HOME-1.8"] {
                    let read = try await client.call(.get, "/api/v1/subscriptions/\(subscription)").json
                    #expect(read["state"] as? String == expected, "\(subscription) after \(action)")
                    #expect((read["services"] as? [[String: Any]])?.allSatisfy { $0["state"] as? String == expected } == true)
                }
                clock.set(clock.now().addingTimeInterval(86_400))
            }
            let lifecycle = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8").json["lifecycle"] as? [[String: Any]] ?? []
            #expect(lifecycle.compactMap { $0["state"] as? String } == ["draft", "effective", "notEffective", "effective"])
            #expect(lifecycle.last?["billEffectiveDate"] as? String == "2026-11-23")
            #expect(try await client.call(.get, "/api/v1/history/subscription/SUB-IC-HOME-1.8").items.count == 3)
        }
    }

    @Test("R-12.4 performed: Amend Bundle Services previewed, refused by its rules (each with its code), performed through a service-management order — the wallet debited once, the subscription following the contract when the order completes; two agents at the same moment: one 201, one 409; a change the configuration refuses is refunded and recorded refused", arguments: TestBackend.available)
    func amendBundle(backend: TestBackend) async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let path = "/api/v1/subscriptions/SUB-IC-HOME-1.8/actions"
            func request(_ add: [String], remove: [String] = [], bundle: String = "IC-HOME-1.13", extra: String = "") -> String {
                #"{"action": "amendBundleServices", "bundle": "\#(bundle)", "add": [\#(add.map { "\"\($0)\"" }.joined(separator: ", "))], "remove": [\#(remove.map { "\"\($0)\"" }.joined(separator: ", "))]\#(extra)}"#
            }
            let preview = try await client.call(.post, path + "/preview", json: request(["MOVIES-PACK"], remove: ["IC-HOME-1.14"]))
            #expect(preview.status == .ok, "\(preview.text.prefix(400))")
            #expect((preview.json["added"] as? [[String: Any]])?.first?["cost"] as? Double == 10 && preview.json["walletDebit"] as? Double == 10)
            #expect((preview.json["removed"] as? [[String: Any]])?.first?["product"] as? String == "SPORTS-PACK" && (preview.json["refusals"] as? [Any])?.isEmpty == true)
            // Refused by the seed's rules, each with its code; nothing recorded, nothing debited.
            let notBundle = try await client.call(.post, path, json: request(["MOVIES-PACK"], bundle: "IC-HOME-1.10"))
            #expect(notBundle.status == .conflict && notBundle.code == "action-not-offered")
            #expect(try await client.call(.post, path, json: request(["SPORTS-PACK"])).code == "bundle-composition-violated")
            #expect(try await client.call(.post, path, json: request(["MOVIES-PACK"], extra: #", "performedOn": "2026-12-01""#)).code == "invalid-performed-date")
            #expect(try await client.call(.post, path, json: request(["NOT-A-PACK"])).code == "bundle-composition-violated")
            #expect(try await client.call(.get, path).items.isEmpty)

            // Two agents amending from the same wallet at the same moment: one performs, one is refused.
            async let a = client.call(.post, path, json: request(["MOVIES-PACK"], remove: ["IC-HOME-1.14"]))
            async let b = client.call(.post, path, json: request(["KIDS-PACK"]))
            let replies = [try await a, try await b]
            #expect(replies.map(\.status.code).sorted() == [201, 409], "\(replies.map { $0.text.prefix(300) })")
            let performed = try #require(replies.first { $0.status == .created }?.json)
            #expect(performed["status"] as? String == "done" && performed["performedBy"] as? String == "admin" && performed["order"] as? String != nil)
            let debit = try #require(performed["walletDebit"] as? Double)
            let wallet = try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet").json
            #expect(wallet["balance"] as? Double == 40 - debit && (wallet["items"] as? [[String: Any]])?.count == 1, "debited once")
            // The order completes through fulfillment; the subscription follows the contract.
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            let order = try #require(performed["order"] as? String)
            #expect(try await client.call(.get, "/api/v1/orders/\(order)").json["status"] as? String == "completed")
            let services = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8").json["services"] as? [[String: Any]] ?? []
            let added = performed["add"] as? [String] == ["MOVIES-PACK"] ? "MOVIES-PACK" : "KIDS-PACK"
            #expect(services.contains { $0["product"] as? String == added && $0["state"] as? String == "effective" && $0["bundle"] as? String == "IC-HOME-1.13" })
            if added == "MOVIES-PACK" {
                #expect(services.contains { $0["id"] as? String == "IC-HOME-1.14" && $0["state"] as? String == "cancelled" && $0["removedOn"] as? String == "2026-11-22" })
            }
            #expect(try await client.call(.get, path).items.count == 1)
            let id = try #require(performed["id"] as? String)
            #expect(try await client.call(.get, "/api/v1/subscription-actions/\(id)").json["behaviourCode"] as? String == "AMENDBUNDLEDSERVICE")

            // A pack not sold today (Ultra HD, from 2027-03): the order's configuration refuses it;
            // the wallet is credited back and the action recorded refused.
            let before = try #require(try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet").json["balance"] as? Double)
            let refused = try await client.call(.post, path, json: request(["UHD-PACK"]))
            #expect([409, 422].contains(refused.status.code), "\(refused.text.prefix(400))")
            let after = try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet").json
            #expect(after["balance"] as? Double == before)
            #expect((after["items"] as? [[String: Any]])?.first?["reference"] as? String == "refund of SA000002")
            let recorded = try await client.call(.get, "/api/v1/subscription-actions/SA000002").json
            #expect(recorded["status"] as? String == "refused" && recorded["walletDebit"] as? Double == 7)
            if let cancelled = recorded["order"] as? String {
                #expect(try await client.call(.get, "/api/v1/orders/\(cancelled)").json["status"] as? String == "cancelled")
            }
            // The wallet must cover every added component, or the whole action is refused.
            _ = try await app.engine.store.modify(BillingAccount.self, id: "BA-4002", context: app.engine.context("test")) { $0.balance = 4 }
            let short = try await client.call(.post, path, json: request([added == "MOVIES-PACK" ? "KIDS-PACK" : "MOVIES-PACK"]))
            #expect(short.code == "insufficient-wallet", "\(short.text.prefix(300))")
        }
    }

    @Test("R-12.2, R-14, R-16.4: Amend Bundle Services scheduled — validated when scheduled, a conflicting second one refused then; listed pending per customer, rescheduled, withdrawn; run by its job when due exactly once across two nodes, the wallet debited then", arguments: TestBackend.available)
    func scheduledAmendment(backend: TestBackend) async throws {
        let start = Day("2026-11-22")!.startDate.addingTimeInterval(36_000)
        let clock = FixedClock(start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let path = "/api/v1/subscriptions/SUB-IC-HOME-1.8/actions"
            let movies = #"{"action": "amendBundleServices", "bundle": "IC-HOME-1.13", "add": ["MOVIES-PACK"], "schedule": {"afterDays": 2}}"#
            let scheduled = try await client.call(.post, path, json: movies)
            #expect(scheduled.status == .created && scheduled.json["status"] as? String == "pending", "\(scheduled.text.prefix(300))")
            #expect(scheduled.json["order"] == nil && scheduled.json["walletDebit"] == nil)
            let id = try #require(scheduled.json["id"] as? String)
            #expect(try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet").json["balance"] as? Double == 40, "nothing debited until it runs")
            // A second amendment of the same bundle is refused when it is scheduled, not when it runs.
            let second = try await client.call(.post, path, json: #"{"action": "amendBundleServices", "bundle": "IC-HOME-1.13", "add": ["KIDS-PACK"]}"#)
            #expect(second.code == "bundle-scheduled-to-change")
            for bad in [#"{"afterDays": 0}"#, #"{"on": "2026-01-01T00:00:00Z"}"#, #"{"afterDays": 1, "onDay": "2026-12-24"}"#, "{}"] {
                let reply = try await client.call(.post, path, json: #"{"action": "amendBundleServices", "bundle": "IC-HOME-1.9", "add": ["STB-HD"], "schedule": \#(bad)}"#)
                #expect(reply.status == .unprocessableContent && (reply.json["problems"] as? [[String: Any]] ?? [reply.json]).contains { $0["code"] as? String == "invalid-schedule" }, "\(bad): \(reply.text.prefix(300))")
            }
            let pending = try await client.call(.get, "/api/v1/customers/CUST-HOME/subscription-actions?status=pending").items
            #expect(pending.compactMap { $0["id"] as? String } == [id])
            // Rescheduled to the 25th (midnight); the job of the 24th then finds it not due.
            let moved = try await client.call(.post, "/api/v1/subscription-actions/\(id)/reschedule", json: #"{"schedule": {"onDay": "2026-11-25"}}"#)
            #expect(moved.json["runsAt"] as? String == "2026-11-25T00:00:00Z", "\(moved.text.prefix(300))")
            clock.set(start.addingTimeInterval(2 * 86_400))
            try await runJobs(app.engine, clock: clock, rounds: 1, step: 0)
            #expect(try await client.call(.get, "/api/v1/subscription-actions/\(id)").json["status"] as? String == "pending")
            // Due: two nodes run their jobs at the same moment; it is performed once.
            clock.set(start.addingTimeInterval(3 * 86_400))
            async let a = JobRunner(engine: app.engine, worker: "node-a").runDue(now: clock.now())
            async let b = JobRunner(engine: app.engine, worker: "node-b").runDue(now: clock.now())
            _ = try await (a, b)
            try await runJobs(app.engine, clock: clock, rounds: 3, step: 0)
            let done = try await client.call(.get, "/api/v1/subscription-actions/\(id)").json
            #expect(done["status"] as? String == "done" && done["order"] as? String == "SM000001" && done["walletDebit"] as? Double == 10, "\(done)")
            #expect(try await client.call(.get, "/api/v1/orders?captureType=serviceManagement").items.count == 1, "one change order")
            let wallet = try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet").json
            #expect(wallet["balance"] as? Double == 30 && (wallet["items"] as? [Any])?.count == 1, "debited once")
            #expect(try await client.call(.get, "/api/v1/orders/SM000001").json["status"] as? String == "completed")
            // Withdrawn before it is due: its job does nothing.
            let kids = try await client.call(.post, path, json: #"{"action": "amendBundleServices", "bundle": "IC-HOME-1.13", "add": ["KIDS-PACK"], "schedule": {"afterDays": 1}}"#)
            let kidsID = try #require(kids.json["id"] as? String)
            #expect(try await client.call(.post, "/api/v1/subscription-actions/\(kidsID)/withdraw").json["status"] as? String == "withdrawn")
            #expect(try await client.call(.post, "/api/v1/subscription-actions/\(kidsID)/withdraw").code == "action-not-pending")
            #expect(try await client.call(.post, "/api/v1/subscription-actions/\(kidsID)/reschedule", json: #"{"schedule": {"afterDays": 3}}"#).code == "action-not-pending")
            clock.set(start.addingTimeInterval(5 * 86_400))
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            #expect(try await client.call(.get, "/api/v1/subscription-actions/\(kidsID)").json["status"] as? String == "withdrawn")
            #expect(try await client.call(.get, "/api/v1/billing-accounts/BA-4002/wallet").json["balance"] as? Double == 30)
            #expect(try await client.call(.get, "/api/v1/customers/CUST-HOME/subscription-actions?status=pending").items.isEmpty)
        }
    }

    @Test("R-3.3, R-7, R-12.1: a service-management line suspends or resumes one play of a contract — only it and what is below it change, provisioned through fulfillment; its subscription follows, the other play's does not; a scope on another action or outside the contract is refused", arguments: TestBackend.available)
    func suspendOnePlay(backend: TestBackend) async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-HOME"}"#)
            let change = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-HOME-1", "installedProduct": "IC-HOME-1.8", "action": "change"}"#)
            #expect(change.code == "not-allowed-for-capture-type" && change.json["field"] as? String == "installedProduct")
            let outside = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-HOME-1", "installedProduct": "IC-JANE-1.1", "action": "suspend"}"#)
            #expect(outside.code == "unknown-component" && outside.json["field"] as? String == "installedProduct")
            for (number, action) in [(1, "suspend"), (2, "resume")] {
                let id = String(format: "SM%06d", number)
                if number > 1 { _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-HOME"}"#) }
                let line = try await client.call(.post, "/api/v1/orders/\(id)/lines", json: #"{"installedContract": "IC-HOME-1", "installedProduct": "IC-HOME-1.8", "action": "\#(action)"}"#)
                #expect(line.status == .created && line.lines.first?["installedProduct"] as? String == "IC-HOME-1.8", "\(line.text.prefix(300))")
                #expect(try await client.call(.post, "/api/v1/orders/\(id)/submit").json["status"] as? String == "submitted")
                try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
                #expect(try await client.call(.get, "/api/v1/orders/\(id)").json["status"] as? String == "completed")
                let tree = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HOME-1").json)
                let tv = action == "suspend" ? "suspended" : "active"
                #expect(["IC-HOME-1.8", "IC-HOME-1.10", "IC-HOME-1.12", "IC-HOME-1.14"].allSatisfy { tree[$0]?["installedStatus"] as? String == tv }, "\(action)")
                #expect(["IC-HOME-1", "IC-HOME-1.1", "IC-HOME-1.3", "IC-HOME-1.7"].allSatisfy { tree[$0]?["installedStatus"] as? String == "active" }, "the rest untouched")
                #expect(try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8").json["state"] as? String == (action == "suspend" ? "notEffective" : "effective"))
                #expect(try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.1").json["state"] as? String == "effective")
                clock.set(clock.now().addingTimeInterval(86_400))
            }
        }
    }

    @Test("R-12.3 performed: Move Installed Items Between Subscriptions — refused by its rules (each with its code; now only), then carried out by a convergent order whose session migrates the HD box (the built-in MOVEINSTITEM reparenting) under the other home's TV; fulfilled, the box leaves the source subscription and joins the target with its move in its history", arguments: TestBackend.available)
    func moveInstalledItems(backend: TestBackend) async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(backend, clock: clock)
        try await Self.secondHome(app)
        try await app.run { client in
            #expect(try await client.call(.post, "/api/v1/subscriptions", json: Self.tvRequest).status == .created)
            let path = "/api/v1/subscriptions/SUB-IC-HOME-1.8/actions"
            func move(_ items: [String], to target: String, extra: String = "") -> String {
                #"{"action": "moveInstalledItems", "items": [\#(items.map { "\"\($0)\"" }.joined(separator: ", "))], "target": "\#(target)"\#(extra)}"#
            }
            let offered = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8/overview").json["actions"] as? [[String: Any]] ?? []
            #expect(offered.first { $0["behaviourCode"] as? String == "MOVEINSTITEMTOANOTHERSUBSCRIPTION" }?["offered"] as? Bool == true)
            // Refused, each with its code; nothing recorded.
            #expect(try await client.call(.post, path, json: move(["IC-HOME-1.12"], to: "SUB-IC-HOME-1.1")).code == "different-accounts-receivable")
            #expect(try await client.call(.post, path, json: move(["IC-HOME-1.7"], to: "SUB-IC-HOME-2.8")).code == "item-not-on-subscription")
            #expect(try await client.call(.post, path, json: move(["IC-HOME-1.12"], to: "SUB-IC-HOME-1.8")).code == "same-subscription")
            let later = try await client.call(.post, path, json: move(["IC-HOME-1.12"], to: "SUB-IC-HOME-2.8", extra: #", "schedule": {"afterDays": 2}"#))
            #expect(later.code == "action-not-schedulable", "\(later.text.prefix(300))")
            let nowhere = try await client.call(.post, path, json: move(["IC-HOME-1.12"], to: "SUB-NONE"))
            #expect(nowhere.code == "invalid-request" && nowhere.json["field"] as? String == "target")
            #expect(try await client.call(.post, path, json: #"{"action": "moveInstalledItems", "items": ["IC-HOME-1.12"]}"#).json["field"] as? String == "target")
            #expect(try await client.call(.get, path).items.isEmpty)

            // Performed: a convergent order servicing both contracts, migrating the box.
            let moved = try await client.call(.post, path, json: move(["IC-HOME-1.12"], to: "SUB-IC-HOME-2.8"))
            #expect(moved.status == .created, "\(moved.text.prefix(500))")
            #expect(moved.json["status"] as? String == "done" && moved.json["behaviourCode"] as? String == "MOVEINSTITEMTOANOTHERSUBSCRIPTION")
            #expect(moved.json["items"] as? [String] == ["IC-HOME-1.12"] && moved.json["target"] as? String == "SUB-IC-HOME-2.8")
            let order = try #require(moved.json["order"] as? String)
            let placed = try await client.call(.get, "/api/v1/orders/\(order)").json
            #expect(placed["captureType"] as? String == "convergent" && (placed["migrations"] as? [[String: Any]])?.first?["migration"].map { ($0 as? [String: Any])?["action"] as? String } == "MOVEINSTITEM", "\(placed)")
            let done = try await fulfil(app, client, order: order, clock: clock)
            #expect(done.json["status"] as? String == "completed", "\(done.text.prefix(400))")
            let source = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-1.8").json
            #expect((source["items"] as? [[String: Any]])?.isEmpty == true, "\(source["items"] ?? "")")
            let target = try await client.call(.get, "/api/v1/subscriptions/SUB-IC-HOME-2.8").json
            let items = target["items"] as? [[String: Any]] ?? []
            let arrived = try #require(items.first { $0["id"] as? String != "IC-HOME-2.12" }, "\(items)")
            #expect(items.count == 2 && arrived["product"] as? String == "STB-HD")
            let history = arrived["moves"] as? [[String: Any]] ?? []
            #expect(history.count == 1 && history.first?["from"] as? String == "SUB-IC-HOME-1.8" && history.first?["to"] as? String == "SUB-IC-HOME-2.8"
                    && history.first?["on"] as? String == "2026-11-22", "\(arrived)")
            let tree = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HOME-1").json)
            #expect(tree["IC-HOME-1.12"]?["installedStatus"] as? String == "disconnected" && tree["IC-HOME-1.12"]?["migratedTo"] != nil)
            let arrivedID = try #require(arrived["id"] as? String)
            let other = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HOME-2").json)
            #expect(other[arrivedID]?["migratedFrom"] as? String == "IC-HOME-1.12" && other[arrivedID]?["installedStatus"] as? String == "active")
        }
    }
}

