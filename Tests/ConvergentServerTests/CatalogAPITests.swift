import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The demo catalog as one YAML text with another version and effective date.
func demoYAML(version: String, effective: String, extra: String = "") -> String {
    let catalog = CatalogFiles.validate(DemoCatalog.files).catalog!
    var changed = catalog
    changed.header.version = version
    changed.header.effectiveFrom = Day(effective)!
    let files = try! CatalogFiles.render(changed)
    // catalog.yaml, products.yaml and rules.yaml each hold one top-level key: one mapping once joined.
    return files.map(\.text).joined() + extra
}

@Suite("R-1.13 catalog API: upload → validate → activate, versions by date, selling status")
struct CatalogAPITests {
    @Test("R-1.13: an invalid upload is refused with every problem and its line; nothing is stored")
    func invalidUpload() async throws {
        let app = try await TestApp.make()
        let engine = app.engine
        try await app.run { client in
            let bad = demoYAML(version: "2027.1", effective: "2027-01-01")
                .replacingOccurrences(of: "product: BB-PLAY, min: 1, max: 1", with: "product: NO-SUCH-PLAY, min: 2, max: 1")
            let reply = try await client.call(.post, "/api/v1/catalog/versions", yaml: bad)
            #expect(reply.status == .unprocessableContent)
            #expect(reply.code == "catalog-invalid")
            let problems = try #require(reply.json["problems"] as? [[String: Any]])
            #expect(Set(problems.compactMap { $0["code"] as? String }) == ["unknown-reference", "min-above-max"])
            let line = try #require(problems.first?["line"] as? Int)
            #expect(bad.components(separatedBy: "\n")[line - 1].contains("NO-SUCH-PLAY"))
            #expect(try await engine.catalogs.versions().map(\.version) == ["2026.1"])
            let dry = try await client.call(.post, "/api/v1/catalog/validate", yaml: bad)
            #expect(dry.status == .ok)
            #expect(dry.json["valid"] as? Bool == false)
            let syntax = try await client.call(.post, "/api/v1/catalog/versions", yaml: "catalog: [unclosed\n")
            #expect(syntax.code == "catalog-invalid")
            #expect(try await client.call(.post, "/api/v1/catalog/versions", yaml: "").status == .badRequest)
            #expect(try await client.call(.post, "/api/v1/catalog/versions", yaml: "catalog: {}", headers: [.contentType: "image/png"]).code == "unsupported-media-type")
            #expect(try await client.call(.post, "/api/v1/catalog/versions", headers: [.contentType: "image/png"]).code == "empty-body")
        }
    }

    @Test("R-1.13: a valid upload is stored unactivated; once activated it is the version active from its effective date")
    func uploadActivate() async throws {
        try await TestApp.make().run { client in
            let yaml = demoYAML(version: "2027.1", effective: "2027-01-01")
            let uploaded = try await client.call(.post, "/api/v1/catalog/versions", yaml: yaml)
            #expect(uploaded.status == .created)
            #expect(uploaded.json["status"] as? String == "validated")
            #expect(try await client.call(.post, "/api/v1/catalog/versions", yaml: yaml).code == "catalog-version-exists")
            func active(on day: String) async throws -> String? {
                try await client.call(.get, "/api/v1/catalog/products?kind=contract&date=\(day)").json["catalogVersion"] as? String
            }
            #expect(try await active(on: "2027-02-01") == "2026.1") // not activated yet
            let activated = try await client.call(.post, "/api/v1/catalog/versions/2027.1/activate")
            #expect(activated.json["status"] as? String == "active")
            #expect(try await client.call(.post, "/api/v1/catalog/versions/2027.1/activate").code == "catalog-already-active")
            #expect(try await active(on: "2027-02-01") == "2027.1")
            #expect(try await active(on: "2026-12-31") == "2026.1")
            let none = try await client.call(.get, "/api/v1/catalog/products?date=2019-01-01")
            #expect(none.code == "no-active-catalog")
            let versions = try await client.call(.get, "/api/v1/catalog/versions").array
            #expect(versions.compactMap { $0["version"] as? String } == ["2026.1", "2027.1"])
        }
    }

    @Test("R-1.13: export re-imports unchanged; diff shows what changed between versions")
    func exportAndDiff() async throws {
        try await TestApp.make().run { client in
            // R-1.6: the demo version carries its migration actions.
            #expect(try await client.call(.get, "/api/v1/catalog/versions/2026.1").json["migrations"] as? Int == 5)
            let export = try await client.call(.get, "/api/v1/catalog/versions/2026.1/export")
            let files = try #require(export.json["files"] as? [[String: String]])
            #expect(files.compactMap { $0["name"] } == ["catalog.yaml", "products.yaml", "rules.yaml", "migrations.yaml", "subscriptions.yaml", "plans.yaml"])
            let body = try JSONSerialization.data(withJSONObject: ["files": files.map { ["name": $0["name"]!, "text": $0["text"]!.replacingOccurrences(of: "2026.1", with: "2026.2")] }])
            let reimport = try await client.call(.post, "/api/v1/catalog/versions", json: String(decoding: body, as: UTF8.self))
            #expect(reimport.status == .created)
            let same = try await client.call(.get, "/api/v1/catalog/diff?from=2026.1&to=2026.2")
            #expect((same.json["entries"] as? [Any])?.isEmpty == true)
            let changed = demoYAML(version: "2027.1", effective: "2027-01-01").replacingOccurrences(of: "amount: 39.9", with: "amount: 34.9")
            #expect(try await client.call(.post, "/api/v1/catalog/versions", yaml: changed).status == .created)
            let diff = try await client.call(.get, "/api/v1/catalog/diff?from=2026.1&to=2027.1")
            let entries = try #require(diff.json["entries"] as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["id"] as? String == "FIBER-500")
            #expect(entries.first?["fields"] as? [String] == ["prices"])
            let yaml = try await client.call(.get, "/api/v1/catalog/versions/2026.1/export?format=yaml")
            #expect(yaml.headers[.contentType] == "application/yaml")
            #expect(try await client.call(.get, "/api/v1/catalog/diff?from=2026.1").code == "missing-parameter")
        }
    }

    @Test("R-11.6, R-1.6: products and bundles show their selling status as of a date; a product shows its migration actions")
    func sellingStatus() async throws {
        try await TestApp.make().run { client in
            func status(_ product: String, in parent: String, on day: String) async throws -> String? {
                let reply = try await client.call(.get, "/api/v1/catalog/products/\(product)?version=2026.1&date=\(day)")
                let memberships = reply.json["memberOf"] as? [[String: Any]] ?? []
                return (memberships.first { $0["parent"] as? String == parent }?["selling"] as? [String: Any])?["status"] as? String
            }
            #expect(try await status("FIBER-1000", in: "INTERNET-OFFER", on: "2026-11-22") == "future")
            #expect(try await status("FIBER-1000", in: "INTERNET-OFFER", on: "2027-01-01") == "current")
            #expect(try await status("DSL-20", in: "INTERNET-OFFER", on: "2026-11-22") == "past")
            #expect(try await status("DSL-20", in: "INTERNET-OFFER", on: "2025-06-01") == "current")
            #expect(try await status("COPPER-VOICE", in: "VOICE-OFFER", on: "2026-11-22") == "past") // obsolete since 2026-03-01
            let bundle = try await client.call(.get, "/api/v1/catalog/bundles/HOME-CONTRACT?date=2026-11-22")
            let root = try #require(bundle.json["bundle"] as? [String: Any])
            #expect(root["product"] as? String == "HOME-CONTRACT")
            #expect((root["components"] as? [Any])?.count == 3)
            #expect(try await client.call(.get, "/api/v1/catalog/products/NOPE").status == .notFound)
            // R-1.6: a product's migration actions, with whether each is active on the date.
            let later = demoYAML(version: "2027.1", effective: "2027-01-01").replacingOccurrences(of: "active: {start: 2026-01-01}", with: "active: {start: 2027-06-01}")
            #expect(try await client.call(.post, "/api/v1/catalog/versions", yaml: later).status == .created)
            let support = try await client.call(.get, "/api/v1/catalog/products/SUPPORT-24-7?version=2027.1&date=2027-02-01").json["migrationActions"] as? [[String: Any]]
            #expect(support?.compactMap { $0["id"] as? String } == ["SUPPORT-UPGRADE"])
            #expect(support?.first?["source"] as? String == "SUPPORT-8-5" && support?.first?["activeOnDate"] as? Bool == false, "active from 2027-06-01")
            #expect((support?.first?["eligibility"] as? [String: Any])?["customerKinds"] as? [String] == ["company"])
            let active = try await client.call(.get, "/api/v1/catalog/products/SUPPORT-8-5?version=2027.1&date=2027-06-01").json["migrationActions"] as? [[String: Any]]
            #expect(active?.first?["activeOnDate"] as? Bool == true)
            #expect((try await client.call(.get, "/api/v1/catalog/products/FIBER-500").json["migrationActions"] as? [[String: Any]])?.map { $0["id"] as? String } == ["DSL-TO-FIBRE"], "as a target")
            #expect((try await client.call(.get, "/api/v1/catalog/products/HOME-CONTRACT").json["migrationActions"] as? [Any])?.isEmpty == true)
            let list = try await client.call(.get, "/api/v1/catalog/products?q=fibre")
            #expect(Set((list.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == ["FIBER-200", "FIBER-500", "FIBER-1000", "BIZ-FIBER", "BIZ-INTERNET-OFFER"])
        }
    }
}

@Suite("R-2 customers API")
struct CustomerAPITests {
    @Test("R-1.10, R-1.11: subscription types paged by id, one with its definitions (the one in force marked) and billing term schemes, a scheme with the types allowing it — from the catalog in force on the date; an unknown id is not found", arguments: TestBackend.available)
    func subscriptionCatalog(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            let first = try await client.call(.get, "/api/v1/catalog/subscription-types?limit=1").json
            #expect((first["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["HOME-BROADBAND"])
            #expect(first["catalogVersion"] as? String == "2026.1")
            let cursor = try #require(first["nextCursor"] as? String)
            let second = try await client.call(.get, "/api/v1/catalog/subscription-types?limit=1&cursor=\(cursor)").json
            #expect((second["items"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["HOME-TV"])
            #expect(second["nextCursor"] == nil)
            #expect(try await client.call(.get, "/api/v1/catalog/subscription-types?limit=0").code == "invalid-parameter")

            let detail = try await client.call(.get, "/api/v1/catalog/subscription-types/HOME-TV?date=2026-12-01").json
            let type = try #require(detail["subscriptionType"] as? [String: Any])
            #expect(type["installedItems"] as? [String] == ["STB-HD"] && type["distributors"] as? [String] == ["TV-PLATFORM", "LOGISTICS"])
            let definition = try #require((detail["definitions"] as? [[String: Any]])?.first)
            #expect(definition["id"] as? String == "HOME-TV-2026" && definition["inForce"] as? Bool == true)
            #expect((definition["services"] as? [String: Any])?["max"] as? Int == 8)
            let rule = try #require((definition["rules"] as? [[String: Any]])?.first)
            #expect(rule["subject"] as? String == "service" && rule["product"] as? String == "UHD-PACK" && rule["perDistributor"] as? Bool == true)
            #expect(rule["requires"] as? [String] == ["STB-HD"])
            let scheme = try #require((detail["billingTermSchemes"] as? [[String: Any]])?.first)
            #expect(scheme["id"] as? String == "HOME-MONTHLY" && scheme["frequencies"] as? [String] == ["monthly", "quarterly"])
            let schemeDefinition = try #require((scheme["definitions"] as? [[String: Any]])?.first)
            #expect((schemeDefinition["resting"] as? [String: Any])?["maxDays"] as? Int == 60)
            #expect((schemeDefinition["activation"] as? [String: Any])?["maxUnsettledBillAgeDays"] as? Int == 30)
            // The catalog in force on 2026-01-01 is the same version; its definitions start that day.
            let early = try await client.call(.get, "/api/v1/catalog/subscription-types/HOME-TV?version=2026.1&date=2025-12-31").json
            #expect((early["definitions"] as? [[String: Any]])?.first?["inForce"] as? Bool == false)

            let annual = try await client.call(.get, "/api/v1/catalog/billing-term-schemes/HOME-ANNUAL").json
            #expect(annual["subscriptionTypes"] as? [String] == ["HOME-BROADBAND"])
            #expect((annual["scheme"] as? [String: Any])?["bindingPeriods"] as? [Int] == [12])
            #expect(((annual["scheme"] as? [String: Any])?["definitions"] as? [[String: Any]])?.first?["resting"] == nil)
            #expect(try await client.call(.get, "/api/v1/catalog/subscription-types/HOME-RADIO").code == "not-found")
            #expect(try await client.call(.get, "/api/v1/catalog/billing-term-schemes/NOPE").code == "not-found")
            #expect(try await client.call(.get, "/api/v1/catalog/subscription-types/HOME-TV?date=2026-13-01").code == "invalid-parameter")
            #expect(try await client.call(.get, "/api/v1/catalog/subscription-types", token: nil).status == .unauthorized)
        }
    }

    @Test("R-2.1: create, read and list customers with cursor pagination")
    func customers() async throws {
        try await TestApp.make().run { client in
            let created = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": "Ann Lee", "contacts": [{"name": "Ann Lee", "email": "ann@example.org"}]}"#)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(id.hasPrefix("CUST-"))
            #expect(created.json["version"] as? Int == 1)
            #expect(created.headers[.location] == "/api/v1/customers/\(id)")
            #expect(try await client.call(.get, "/api/v1/customers/\(id)").json["name"] as? String == "Ann Lee")
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.call(.get, "/api/v1/customers?limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")).json
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen.count == 6, "the five demo customers and this one")
            #expect(Set(seen).count == 6)
            let companies = try await client.call(.get, "/api/v1/customers?kind=company").json["items"] as? [[String: Any]]
            #expect(companies?.count == 2)
            let anonymous = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "anonymous": true}"#)
            #expect(anonymous.status == .created)
        }
    }

    @Test("R-2.1 search: customers by name, contact and address words (each the start of a word, any case and accents), with kind, paged; a renamed customer is no longer found by its old name", arguments: TestBackend.available)
    func search(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        let store = app.engine.store
        try await app.run { client in
            func found(_ query: String) async throws -> [String] {
                let page = try await client.call(.get, "/api/v1/customers?" + query)
                #expect(page.status == .ok, "\(query)")
                return (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            }
            #expect(try await found("q=brussels") == ["CUST-ACME-HOLDING", "CUST-JANE"], "by city")
            #expect(try await found("q=BRUSS%20jane") == ["CUST-JANE"], "every word must match")
            #expect(try await found("q=marie.dubois") == ["CUST-ACME-HOLDING"], "by a contact's e-mail")
            #expect(try await found("q=sofie") == ["CUST-ACME"], "by a second contact's name")
            #expect(try await found("q=havenlaan%207") == ["CUST-ACME"], "by an address line")
            #expect(try await found("q=32470") == ["CUST-JANE"], "by the digits of a phone number")
            #expect(try await found("q=acme&kind=company").count == 2)
            #expect(try await found("q=acme&kind=person").isEmpty)
            #expect(try await found("q=nobody-here").isEmpty)
            #expect(try await found("q=%20%2C").count == 5, "no words: every customer")
            // Names with accents, found with or without them; paged one at a time without repeats.
            for name in ["Zoë Dupont", "Zoe Martin", "Chloé Zoéline"] {
                #expect(try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": "\#(name)"}"#).status == .created)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await client.call(.get, "/api/v1/customers?q=zoe&limit=1" + (cursor.map { "&cursor=\($0)" } ?? "")).json
                seen += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
                cursor = page["nextCursor"] as? String
            } while cursor != nil
            #expect(seen.sorted() == ["Chloé Zoéline", "Zoe Martin", "Zoë Dupont"])
            #expect(try await found("q=Z%C3%96%C3%8B%20dup").count == 1, "ZÖË: case and accents ignored")
            // A change of name: found by the new words only (the old word's row stays; the customer is checked).
            var jane = try #require(try await store.get(Customer.self, id: "CUST-JANE"))
            jane.value.name = "Janet Doe-Smith"
            jane.value.contacts = []
            try await store.update(jane.value, expectedVersion: jane.version, context: ChangeContext(actor: "test", at: Date()))
            #expect(try await found("q=smith") == ["CUST-JANE"])
            #expect(try await found("q=jane%20doe") == ["CUST-JANE"], "janet starts with jane")
            #expect(try await found("q=jane.doe%40example").isEmpty, "the removed contact's e-mail no longer finds her")
            let created = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": "Quentin Quarry", "addresses": [{"purpose": "site", "line1": "Quai 1", "city": "Quimper", "country": "FR"}]}"#)
            let id = try #require(created.json["id"] as? String)
            #expect(try await found("q=quarry%20quimper") == [id])
            #expect(try await client.call(.get, "/api/v1/customers?q=" + String(repeating: "a", count: 201)).code == "invalid-parameter")
        }
    }

    @Test("R-2.2: bill-to relationships name an existing payer; overlaps are refused; stale versions conflict")
    func billTo() async throws {
        let app = try await TestApp.make()
        let engine = app.engine
        try await app.run { client in
            let added = try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {"start": "2026-01-01", "end": "2026-12-31"}}"#)
            #expect(added.status == .created)
            #expect(added.json["version"] as? Int == 2)
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-ACME", "period": {"start": "2026-06-01"}}"#).code == "bill-to-overlap")
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "GHOST", "period": {}}"#).code == "invalid-request")
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/bill-to", json: #"{"payer": "CUST-JANE", "period": {}}"#).code == "bill-to-self")
            let stale = try await client.call(.post, "/api/v1/customers/CUST-JANE/contacts", json: #"{"name": "Joe"}"#, headers: [.ifMatch: "\"1\""])
            #expect(stale.status == .conflict)
            #expect(stale.code == "version-conflict")
            let fresh = try await client.call(.post, "/api/v1/customers/CUST-JANE/contacts", json: #"{"name": "Joe"}"#, headers: [.ifMatch: "\"2\""])
            #expect(fresh.status == .created)
            #expect(try await engine.store.get(Customer.self, id: "CUST-JANE")?.value.contacts.count == 2)
            #expect(try await client.call(.post, "/api/v1/customers/NOPE/contacts", json: #"{"name": "Joe"}"#).status == .notFound)
        }
    }

    @Test("R-2.3: billing accounts as data, with their status moves; R-15.5: every change has a history entry")
    func billingAccounts() async throws {
        try await TestApp.make().run { client in
            let created = try await client.call(.post, "/api/v1/customers/CUST-JANE/billing-accounts", json: #"{"type": "Prepaid", "paymentMode": "prepaid", "balance": 15, "currency": "EUR", "contact": "CT-1"}"#)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["status"] as? String == "Pending")
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/billing-accounts", json: #"{"type": "Prepaid", "paymentMode": "postpaid"}"#).code == "account-type-mismatch")
            #expect(try await client.call(.post, "/api/v1/customers/CUST-JANE/billing-accounts", json: #"{"type": "Individual", "paymentMode": "postpaid", "contact": "CT-9"}"#).code == "unknown-contact")
            #expect(try await client.call(.post, "/api/v1/billing-accounts/\(id)/status", json: #"{"status": "Active"}"#).json["status"] as? String == "Active")
            #expect(try await client.call(.post, "/api/v1/billing-accounts/\(id)/status", json: #"{"status": "Pending"}"#).code == "invalid-status-change")
            let accounts = try await client.call(.get, "/api/v1/customers/CUST-JANE/billing-accounts").array
            #expect(accounts.count == 2)
            let history = try await client.call(.get, "/api/v1/history/billing_account/\(id)?limit=500").items
            #expect(history.compactMap { $0["action"] as? String } == ["created", "updated"])
            #expect(history.compactMap { $0["actor"] as? String } == ["admin", "admin"])
            #expect(try await client.call(.get, "/api/v1/history/customer/CUST-ACME?limit=500").items.first?["actor"] as? String == "system")
        }
    }
}

@Suite("R-4.3 verify API")
struct VerifyAPITests {
    @Test("R-4.3: stateless verify applies operations with the session engine and returns status, messages and selling status")
    func verify() async throws {
        try await TestApp.make().run { client in
            let body = #"""
            {"configuration": {"productSellingDate": "2026-11-22", "contracts": [{"customer": "CUST-JANE", "id": "c1", "product": "HOME-CONTRACT"}]},
             "operations": [{"op": "add", "product": "FIBER-500", "contract": "c1"}, {"op": "add", "product": "STATIC-IP", "contract": "c1"}]}
            """#
            let reply = try await client.call(.post, "/api/v1/configurations/verify", json: body)
            #expect(reply.status == .ok)
            #expect(reply.json["status"] as? String == "Valid")
            #expect(reply.json["catalogVersion"] as? String == "2026.1")
            let report = try #require(reply.json["report"] as? [String: Any])
            let elements = try #require(report["elements"] as? [[String: Any]])
            #expect(elements.contains { $0["product"] as? String == "MODEM-RENTAL" }) // brought on creation
            #expect(elements.allSatisfy { ($0["selling"] as? [String: Any])?["status"] != nil })

            let invalid = #"{"configuration": {"contracts": [{"customer": "CUST-JANE", "id": "c1", "product": "HOME-CONTRACT"}]}, "operations": [{"op": "add", "product": "STATIC-IP", "contract": "c1"}]}"#
            let prq = try await client.call(.post, "/api/v1/configurations/verify", json: invalid)
            #expect(prq.json["status"] as? String == "Invalid")
            let messages = try #require((prq.json["report"] as? [String: Any])?["contractMessages"] as? [[String: Any]])
            #expect(messages.contains { $0["rule"] as? String == "PRQ-STATICIP-FIBER" && $0["severity"] as? String == "error" && $0["detail"] != nil })

            let refused = #"{"configuration": {"contracts": [{"customer": "CUST-JANE", "id": "c1", "product": "HOME-CONTRACT"}]}, "operations": [{"op": "add", "product": "DSL-20", "contract": "c1"}]}"#
            let notSellable = try await client.call(.post, "/api/v1/configurations/verify", json: refused)
            #expect(notSellable.code == "not-sellable")
            #expect(notSellable.json["field"] as? String == "operations[0].product")
            let badDoc = #"{"configuration": {"contracts": [{"customer": "X", "id": "c1", "product": "FIBER-500"}]}}"#
            #expect(try await client.call(.post, "/api/v1/configurations/verify", json: badDoc).json["field"] as? String == "configuration.contracts[0].product")
            let badOp = #"{"configuration": {"contracts": []}, "operations": [{"op": "explode"}]}"#
            #expect(try await client.call(.post, "/api/v1/configurations/verify", json: badOp).code == "invalid-value")
        }
    }

    @Test("R-1.4: an ambiguous brings-on-creation comes back as a question, answered with placements")
    func question() async throws {
        try await TestApp.make().run { client in
            let lines = #"[{"id": "l1", "product": "MOBILE-PLAY", "components": [{"id": "o1", "product": "MOBILE-LINE-OFFER", "components": [{"id": "v1", "product": "MOBILE-VOICE-DATA", "attributes": {"msisdn": "1"}}]}]}, {"id": "l2", "product": "MOBILE-PLAY", "components": [{"id": "o2", "product": "MOBILE-LINE-OFFER", "components": [{"id": "v2", "product": "MOBILE-VOICE-DATA", "attributes": {"msisdn": "2"}}]}]}]"#
            let ask = #"{"configuration": {"contracts": [{"customer": "CUST-JANE", "id": "m1", "product": "MOBILE-CONTRACT", "components": \#(lines)}]}, "operations": [{"op": "add", "product": "FAMILY-SHARED-DATA", "contract": "m1"}]}"#
            let reply = try await client.call(.post, "/api/v1/configurations/verify", json: ask)
            let question = try #require(reply.json["question"] as? [String: Any])
            #expect(question["rule"] as? String == "BOC-FAMILY-DATASIM")
            #expect(Set((question["candidates"] as? [[String: Any]] ?? []).compactMap { $0["instance"] as? String }) == ["o1", "o2"])
            #expect(reply.json["questionOperation"] as? Int == 0)
            let answer = ask.replacingOccurrences(of: #""contract": "m1"}"#, with: #""contract": "m1", "placements": {"DATA-SIM": "o2"}}"#)
            let answered = try await client.call(.post, "/api/v1/configurations/verify", json: answer)
            #expect(answered.json["question"] == nil)
            #expect(answered.json["status"] as? String == "Valid")
        }
    }
}
