import AsyncHTTPClient
import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentStore
import Foundation
import Hummingbird
import NIOCore
import NIOHTTP1
import HummingbirdTesting
import HTTPTypes
import Testing

/// Defects found by testing from outside (issue 11), each named after the requirement or the
/// input class it breaks; storage-related ones run on both databases.
@Suite("Issue 11: concurrency, provisioning, sessions, secrets, hostile input and small things people hit")
struct DefectTests {
    static let start = Day("2026-11-22")!.startDate.addingTimeInterval(36_000)

    @Test("R-5.2 COV under concurrency: two service orders on one installed contract submitted at the same moment: one is submitted, the other held by COV naming it", arguments: TestBackend.available)
    func covUnderConcurrency(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            for (contract, customer) in [("IC-ACME-1", "CUST-ACME"), ("IC-JANE-1", "CUST-JANE"), ("IC-ACME-2", "CUST-ACME")] {
                var ids: [String] = []
                for action in ["suspend", "disconnect"] {
                    let order = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "\#(customer)"}"#)
                    let id = try #require(order.json["id"] as? String)
                    let line = try await client.call(.post, "/api/v1/orders/\(id)/lines", json: #"{"installedContract": "\#(contract)", "action": "\#(action)"}"#)
                    #expect(line.status == .created, "\(line.text.prefix(300))")
                    ids.append(id)
                }
                let replies = try await withThrowingTaskGroup(of: (String, Reply).self) { group in
                    for id in ids { group.addTask { (id, try await client.call(.post, "/api/v1/orders/\(id)/submit")) } }
                    var all: [String: Reply] = [:]
                    for try await (id, reply) in group { all[id] = reply }
                    return all
                }
                let submitted = replies.filter { $0.value.status == .ok }
                let refused = replies.filter { $0.value.status != .ok }
                #expect(submitted.count == 1 && refused.count == 1, "\(contract): \(replies.mapValues { "\($0.status.code) \($0.text.prefix(200))" })")
                guard let winner = submitted.first?.key, let loser = refused.first?.key else { continue }
                #expect(refused[loser]?.code == "order-held")
                let held = try await client.call(.get, "/api/v1/orders/\(loser)")
                #expect(held.holdCodes == ["COV"])
                #expect((held.json["holds"] as? [[String: Any]])?.first?["relatedOrders"] as? [String] == [winner])
                let installed = try await client.call(.get, "/api/v1/installed-contracts/\(contract)").json
                #expect(installed["lastOrder"] as? String == winner)
            }
        }
    }

    @Test("R-5.2, R-7.3: fulfillment refuses a change to a contract disconnected since the order was validated (jeopardy, no resurrection)", arguments: TestBackend.available)
    func noResurrection(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-JANE-1", "action": "suspend"}"#)
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/submit").json["status"] as? String == "submitted")
            // Another order disconnected the contract meanwhile (a path COV no longer lets happen, written here by hand).
            try await app.engine.store.modify(InstalledContract.self, id: "IC-JANE-1", context: app.engine.context("test", reason: "disconnected elsewhere")) {
                $0.status = .disconnected
                $0.lastOrder = "SM999999"
            }
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 1)
            let order = try await client.call(.get, "/api/v1/orders/SM000001").json
            #expect(order["status"] as? String == "submitted")
            let jeopardy = (order["fulfillment"] as? [String: Any])?["jeopardy"] as? [String: Any]
            #expect((jeopardy?["reason"] as? String)?.contains("IC-JANE-1 is disconnected") == true, "\(String(describing: jeopardy))")
            let contract = try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1").json
            #expect(contract["status"] as? String == "disconnected")
            // Agents find it where they find every order in jeopardy.
            let listed = (try await client.call(.get, "/api/v1/fulfillment/jeopardy").json["items"] as? [[String: Any]])?.compactMap { $0["order"] as? String }
            #expect(listed == ["SM000001"])
            // The agent cancels the order it can no longer fulfil.
            #expect(try await client.call(.post, "/api/v1/orders/SM000001/cancel").json["status"] as? String == "cancelled")
        }
    }

    @Test("R-5.2 MLCTV [CO]: a convergent order with an Invalid configuration is held, never submitted", arguments: TestBackend.available)
    func convergentInvalidConfiguration(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            let order = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "CUST-JANE"}"#)
            let id = try #require(order.json["id"] as? String)
            _ = try await client.call(.post, "/api/v1/orders/\(id)/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let session = try await client.call(.post, "/api/v1/orders/\(id)/sessions")
            let sessionID = try #require((session.json["session"] as? [String: Any])?["id"] as? String)
            // Nothing added: the home contract's mandatory broadband play is missing.
            let submitted = try await client.call(.post, "/api/v1/sessions/\(sessionID)/submit")
            #expect(submitted.lines.first?["configurationStatus"] as? String == "Invalid")
            #expect(try await client.call(.post, "/api/v1/orders/\(id)/validate").holdCodes.contains("MLCTV"))
            let refused = try await client.call(.post, "/api/v1/orders/\(id)/submit")
            #expect(refused.code == "order-held")
            #expect(try await client.call(.get, "/api/v1/orders/\(id)").json["status"] as? String == "held")
        }
    }

    @Test("R-4.4, R-4.6: a session over an installed contract keeps its relies-on links; R-3.5: a clone keeps the links inside its contract", arguments: TestBackend.available)
    func installedLinksInSessions(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            try await submitHomeOrder(client, number: 1, tv: true)
            try await runJobs(app.engine, clock: clock, rounds: 3, step: 1)
            #expect(try await client.call(.get, "/api/v1/orders/COM000001").json["status"] as? String == "completed")
            let contract = "IC-COM000001-1"
            // A change with no change at all: the session opens Valid, and the order raises no MLCTV.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "\#(contract)", "action": "change"}"#)
            let opened = try await client.call(.post, "/api/v1/orders/SM000001/sessions")
            let report = opened.json["report"] as? [String: Any] ?? [:]
            #expect(report["status"] as? String == "Valid", "\(opened.text.prefix(600))")
            let sessionID = try #require((opened.json["session"] as? [String: Any])?["id"] as? String)
            #expect(try await client.call(.post, "/api/v1/sessions/\(sessionID)/submit").lines.first?["configurationStatus"] as? String == "Valid")
            #expect(!(try await client.call(.post, "/api/v1/orders/SM000001/validate").holdCodes.contains("MLCTV")))

            // R-3.5: cloning a home line with TV copies the TV → network access link with the contract.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000002/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let first = try await client.call(.post, "/api/v1/orders/COM000002/sessions")
            let firstID = try #require((first.json["session"] as? [String: Any])?["id"] as? String)
            _ = try await client.call(.post, "/api/v1/sessions/\(firstID)/operations",
                                      json: #"{"operations": [{"op": "add", "product": "FIBER-500", "contract": "L1"}, {"op": "add", "product": "TV-BASIC-PACK", "contract": "L1"}]}"#)
            #expect(try await client.call(.post, "/api/v1/sessions/\(firstID)/submit").lines.first?["configurationStatus"] as? String == "Valid")
            #expect(try await client.call(.post, "/api/v1/orders/COM000002/lines/1/clone").status == .created)
            let again = try await client.call(.post, "/api/v1/orders/COM000002/sessions")
            let againID = try #require((again.json["session"] as? [String: Any])?["id"] as? String)
            let both = try await client.call(.post, "/api/v1/sessions/\(againID)/submit")
            // R-9.1: the copy brings its own commitment line (4), as the original did (2); each is as valid as its bundle.
            #expect(both.lines.map { $0["configurationStatus"] as? String } == ["Valid", "Valid", "Valid", "Valid"], "\(both.text.prefix(600))")
            #expect(both.lines.map { $0["product"] as? String } == ["HOME-CONTRACT", "COMMIT-24M", "HOME-CONTRACT", "COMMIT-24M"])
        }
    }

    @Test("R-4.1: an order has one open session; opening again (even at the same moment) answers it, and the order lists its sessions", arguments: TestBackend.available)
    func oneOpenSessionPerOrder(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<2 { group.addTask { try await client.call(.post, "/api/v1/orders/COM000001/sessions") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let ids = Set(replies.compactMap { ($0.json["session"] as? [String: Any])?["id"] as? String })
            #expect(ids.count == 1, "\(replies.map { "\($0.status.code) \($0.text.prefix(200))" })")
            #expect(Set(replies.map(\.status.code)) == [201, 200])
            let session = try #require(ids.first)
            #expect(try await client.call(.get, "/api/v1/orders/COM000001").json["sessions"] as? [String] == [session])
            // Work in the open session is what a second opening shows.
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-500", "contract": "L1"}]}"#)
            let reopened = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
            #expect(reopened.status == .ok)
            let products = ((reopened.json["report"] as? [String: Any])?["elements"] as? [[String: Any]])?.compactMap { $0["product"] as? String } ?? []
            #expect(products.contains("FIBER-500"))
            // Once it is submitted, the next opening is a new session, listed after it.
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            let next = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
            #expect(next.status == .created)
            let nextID = try #require((next.json["session"] as? [String: Any])?["id"] as? String)
            #expect(try await client.call(.get, "/api/v1/orders/COM000001").json["sessions"] as? [String] == [session, nextID])
        }
    }

    @Test("R-7.5: a send is never repeated because a database write lost a race; the attempt is recorded before the call, so an answer during it is consistent", arguments: TestBackend.available)
    func sendRecordedBeforeTheCall(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let racing = RacingAdapter()
        let systems = ["NETWORK", "LOGISTICS", "TV-PLATFORM", "VOICE-SWITCH", "MOBILE-HLR"]
        let app = try await TestApp.make(backend, clock: clock, provisioning: ProvisioningSetup(adapters: Dictionary(uniqueKeysWithValues: systems.map { ($0, racing as any ProvisioningAdapter) })))
        let otherNode = try await app.openAnother()
        await racing.use(otherNode)
        try await app.run { client in
            try await submitHomeOrder(client, number: 1, tv: true)
            try await runJobs(app.engine, clock: clock, rounds: 3, step: 1)
            let sends = await racing.sends
            #expect(!sends.isEmpty)
            // Every (message, attempt) went out once, though another node wrote the message and the order during each call.
            #expect(Dictionary(grouping: sends, by: { "\($0.message)#\($0.attempt)" }).values.allSatisfy { $0.count == 1 }, "\(sends)")
            // During the call, the message already said the attempt was sent.
            let seen = await racing.seenDuringCall
            #expect(!seen.isEmpty && seen.allSatisfy { $0.attempts == 1 && $0.sentAt != nil }, "\(seen)")
            // The systems answer: the order completes.
            for send in sends {
                _ = try await app.engine.fulfiller.answer(send.message, attempt: send.attempt, success: true, error: nil,
                                                          at: clock.now(), context: app.engine.context("system"))
            }
            #expect(try await client.call(.get, "/api/v1/orders/COM000001").json["status"] as? String == "completed")
        }
        try await otherNode.close()
    }

    @Test("R-2.4 secrets: an API token issued with an Idempotency-Key is not kept in clear; a replay is refused with a clear problem", arguments: TestBackend.available)
    func tokenSecretNotStored(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            let key: HTTPFields = [HTTPField.Name("Idempotency-Key")!: "token-1"]
            let tokensBefore = try await client.call(.get, "/api/v1/users/agent/tokens").array.count
            let issued = try await client.call(.post, "/api/v1/users/agent/tokens", json: #"{"label": "console"}"#, headers: key)
            #expect(issued.status == .created)
            #expect(issued.headers[.cacheControl] == "no-store")
            let secret = try #require(issued.json["secret"] as? String)
            let replay = try await client.call(.post, "/api/v1/users/agent/tokens", json: #"{"label": "console"}"#, headers: key)
            #expect(replay.status == .conflict && replay.code == "idempotent-answer-withheld")
            #expect(!replay.text.contains(secret))
            #expect(try await client.call(.get, "/api/v1/users/agent/tokens").array.count == tokensBefore + 1, "the replay issued nothing")
            // What the idempotency table keeps for the key holds no secret.
            let kept = try #require(try await app.engine.store.reserveIdempotencyKey("token-1", actor: "admin", request: "", at: Self.start))
            #expect(!String(decoding: kept.body, as: UTF8.self).contains(secret))
        }
    }

    @Test("Hostile input: a 10 MB body sent chunked (no Content-Length) to a real server is a 413 with problem details")
    func chunkedBody() async throws {
        let app = try await TestApp.make(port: 0)
        try await app.run(.live) { client in
            let port = try #require(client.port)
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/customers")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(adminToken)")
            request.headers.add(name: "Content-Type", value: "application/json")
            let chunks = AsyncStream<ByteBuffer> { continuation in
                for _ in 0..<160 { continuation.yield(ByteBuffer(repeating: UInt8(ascii: " "), count: 64 << 10)) }
                continuation.finish()
            }
            request.body = .stream(chunks, length: .unknown)
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            let body = try await response.body.collect(upTo: 1 << 20)
            #expect(response.status == .payloadTooLarge, "\(response.status) \(String(buffer: body).prefix(200))")
            #expect(String(buffer: body).contains("body-too-large"))
            #expect(response.headers.first(name: "Content-Type") == "application/problem+json")
        }
    }

    @Test("Hostile input: a 2 MB configuration to verify is a 413: the JSON limit is 1 MiB on every endpoint but catalog uploads")
    func oversizeBodies() async throws {
        try await TestApp.make().run { client in
            let configuration = #"{"configuration": {"contracts": []}, "padding": ""# + String(repeating: "x", count: 2 << 20) + #""}"#
            let verify = try await client.call(.post, "/api/v1/configurations/verify", json: configuration)
            #expect(verify.status == .contentTooLarge && verify.code == "body-too-large")
            #expect(try await client.call(.get, "/api/v1/customers").status == .ok)
        }
    }

    @Test("R-1.13, hostile input: a catalog upload with invalid UTF-8 is refused with the line at fault, and nothing is stored")
    func invalidUTF8Catalog() async throws {
        try await TestApp.make().run { client in
            let before = try await client.call(.get, "/api/v1/catalog/versions").text
            var bytes = Array("catalog:\n  version: \"2027.1\"\n  effective: 2027-01-01\nproducts:\n  - id: BAD-".utf8)
            bytes += [0xC3, 0x28, 0xFF]
            bytes += Array("\n    name: Bad\n    kind: contract\n".utf8)
            let reply = try await client.execute(uri: "/api/v1/catalog/versions", method: .post,
                                                 headers: [.authorization: "Bearer \(adminToken)", .contentType: "application/yaml"],
                                                 body: ByteBuffer(bytes: bytes)) { response in
                Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
            }
            #expect(reply.status == .unprocessableContent && reply.code == "catalog-invalid", "\(reply.text.prefix(300))")
            let problem = (reply.json["problems"] as? [[String: Any]])?.first
            #expect(problem?["code"] as? String == "invalid-utf8" && problem?["line"] as? Int == 5)
            #expect(try await client.call(.get, "/api/v1/catalog/versions").text == before)
        }
    }

    @Test("R-2.1, R-2.3: a refused customer or billing account takes no number; addresses get ids as contacts do; a contact needs a name", arguments: TestBackend.available)
    func refusedCreationsTakeNoNumber(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.run { client in
            let nameless = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person"}"#)
            #expect(nameless.code == "name-required")
            let emptyContact = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": "Ann", "contacts": [{"name": " "}]}"#)
            #expect(emptyContact.code == "contact-name-required" && emptyContact.json["field"] as? String == "contacts[0].name")
            // Addresses get ids as contacts do.
            let created = try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": "Ann", "contacts": [{"name": "Ann"}], "addresses": [{"purpose": "billing", "line1": "1 Main St", "city": "Ghent", "country": "BE"}]}"#)
            #expect(created.json["id"] as? String == "CUST-000001", "\(created.text.prefix(300))")
            #expect((created.json["addresses"] as? [[String: Any]])?.first?["id"] as? String == "AD-1")
            #expect((created.json["contacts"] as? [[String: Any]])?.first?["id"] as? String == "CT-1")
            let negative = try await client.call(.post, "/api/v1/customers/CUST-000001/billing-accounts",
                                                 json: #"{"type": "Prepaid", "paymentMode": "prepaid", "balance": -5}"#)
            #expect(negative.code == "negative-balance")
            let account = try await client.call(.post, "/api/v1/customers/CUST-000001/billing-accounts", json: #"{"type": "Prepaid", "paymentMode": "prepaid", "balance": 5}"#)
            #expect(account.json["id"] as? String == "BA-000001", "\(account.text.prefix(300))")
        }
    }

    @Test("R-1.13: what the API exports as YAML, the API imports; activation answers the version's own upload time; R-15.5: history takes kebab-case kinds")
    func exportImportAndSmallThings() async throws {
        try await TestApp.make().run { client in
            let export = try await client.call(.get, "/api/v1/catalog/versions/2026.1/export?format=yaml")
            #expect(export.status == .ok)
            let renamed = export.text.replacingOccurrences(of: "version: '2026.1'", with: "version: '2027.1'")
                .replacingOccurrences(of: "version: \"2026.1\"", with: "version: \"2027.1\"")
                .replacingOccurrences(of: "effective: 2026-01-01", with: "effective: 2027-01-01")
            #expect(renamed != export.text)
            let uploaded = try await client.call(.post, "/api/v1/catalog/versions", yaml: renamed)
            #expect(uploaded.status == .created, "\(uploaded.text.prefix(400))")
            let activated = try await client.call(.post, "/api/v1/catalog/versions/2027.1/activate")
            #expect(activated.status == .ok)
            #expect(activated.json["uploadedAt"] as? String == uploaded.json["uploadedAt"] as? String)
            let history = try await client.call(.get, "/api/v1/history/installed-contract/IC-JANE-1")
            #expect(history.status == .ok && !history.items.isEmpty)
            #expect(try await client.call(.get, "/api/v1/history/billing-account/BA-2001").status == .ok)
            #expect(try await client.call(.get, "/api/v1/history/installed_contract/IC-JANE-1").status == .ok)
        }
    }

    @Test("R-1.13: `bench catalog` generates a valid catalog of the size asked for and imports it", arguments: TestBackend.available)
    func catalogBenchmark(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        let result = try await CatalogBenchmark.run(engine: app.engine, products: 1_000, rules: 400)
        #expect(result.products == 5 * 181 && result.rules == 400 && result.backend == backend.rawValue.replacingOccurrences(of: "postgres", with: "postgresql"))
        #expect(try await app.engine.catalogs.versions().count == 2)
        try await app.run { _ in }
    }

    @Test("R-8.2, R-5.2 BARNS, BAPNL: a contract is never installed unbilled — the owner's only account is Pending: no default, BARNS; chosen, BAPNL at submission; active, submitted and installed with it", arguments: TestBackend.available)
    func unbilledWarning(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            _ = try await client.call(.post, "/api/v1/customers", json: #"{"id": "CUST-NEW", "kind": "person", "name": "New Customer"}"#)
            let account = try await client.call(.post, "/api/v1/customers/CUST-NEW/billing-accounts", json: #"{"type": "Individual", "paymentMode": "postpaid", "status": "Pending"}"#)
            let accountID = try #require(account.json["id"] as? String)
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-NEW"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines", json: #"{"product": "MOBILE-CONTRACT"}"#)
            let opened = try await client.call(.post, "/api/v1/orders/COM000001/sessions")
            let session = try #require((opened.json["session"] as? [String: Any])?["id"] as? String)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "add", "product": "MOBILE-VOICE-DATA", "contract": "L1"}]}"#)
            let report = try await client.call(.get, "/api/v1/sessions/\(session)")
            let msisdn = ((report.json["report"] as? [String: Any])?["elements"] as? [[String: Any]])?.first { $0["product"] as? String == "MOBILE-VOICE-DATA" }?["instance"] as? String
            if let msisdn {
                _ = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "setAttribute", "instance": "\#(msisdn)", "name": "msisdn", "value": "+32470000001"}]}"#)
            }
            let submittedSession = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            #expect(["Valid", "Valid with Warning"].contains(submittedSession.lines.first?["configurationStatus"] as? String ?? ""), "\(submittedSession.text.prefix(600))")
            // Nothing active to default from: the required row stays empty, with the warning.
            let row = try #require((submittedSession.lines.first?["billingRows"] as? [[String: Any]])?.first)
            #expect(row["account"] == nil && row["warning"] as? String == "billing account type mismatch, select manually")
            var refused = try await client.call(.post, "/api/v1/orders/COM000001/submit")
            #expect(refused.code == "order-held" && refused.text.contains("BARNS"))
            // The Pending account chosen: BAPNL at submission (a validation alone does not raise it).
            _ = try await client.call(.post, "/api/v1/orders/COM000001/lines/1/billing", json: #"{"rows": [{"sequence": 1, "account": "\#(accountID)"}]}"#)
            #expect(try await client.call(.post, "/api/v1/orders/COM000001/validate").json["status"] as? String == "draft")
            refused = try await client.call(.post, "/api/v1/orders/COM000001/submit")
            #expect(refused.code == "order-held" && refused.text.contains("BAPNL"))
            _ = try await client.call(.post, "/api/v1/billing-accounts/\(accountID)/status", json: #"{"status": "Active"}"#)
            let submitted = try await client.call(.post, "/api/v1/orders/COM000001/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(400))")
            try await runJobs(app.engine, clock: clock, rounds: 3, step: 1)
            let order = try await client.call(.get, "/api/v1/orders/COM000001").json
            #expect(order["status"] as? String == "completed")
            #expect(((order["fulfillment"] as? [String: Any])?["warnings"] as? [String] ?? []).isEmpty)
            let installed = try await client.call(.get, "/api/v1/installed-products/IC-COM000001-1").json
            #expect(installed["billingAccount"] as? String == accountID)
            #expect((installed["billingRows"] as? [[String: Any]])?.first?["account"] as? String == accountID)
        }
    }
}

/// A provisioning system reached "over the network" while another node writes the message and
/// its order during each call, as a second `serve` process does: counts what it is sent and what
/// the message said during the call.
actor RacingAdapter: ProvisioningAdapter {
    struct Seen: Sendable, CustomStringConvertible {
        var attempts: Int
        var sentAt: Date?
        var description: String { "attempts \(attempts), sentAt \(sentAt.map { "\($0)" } ?? "nil")" }
    }

    var sends: [(message: String, attempt: Int)] = []
    var seenDuringCall: [Seen] = []
    var otherNode: (any ConvergentStore)?

    func use(_ store: any ConvergentStore) { otherNode = store }

    func deliver(_ envelope: ProvisioningEnvelope) async throws {
        sends.append((envelope.message, envelope.attempt))
        guard let otherNode else { return }
        let message = try #require(try await otherNode.get(ProvisioningMessage.self, id: envelope.message))
        seenDuringCall.append(Seen(attempts: message.value.attempts, sentAt: message.value.sentAt))
        // The other node writes a version of the message and of the order while the call is out.
        try await otherNode.update(message.value, expectedVersion: message.version, context: ChangeContext(actor: "node-2", at: Date(), reason: "another step"))
        let order = try #require(try await otherNode.get(Order.self, id: envelope.order))
        try await otherNode.update(order.value, expectedVersion: order.version, context: ChangeContext(actor: "node-2", at: Date(), reason: "another step"))
    }
}
