import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The two customers of the scenarios: A (Jane, account BA-2001) and B (ACME, account BA-1002).
let customerA = "CUST-JANE", customerB = "CUST-ACME"
let accounts = [customerA: "BA-2001", customerB: "BA-1002"]

/// An installed family contract `IC-<name>` of `customer` with `plays` mobile lines, installed
/// and billed: each line is `IC-<name>.<4k+1>` (the play) with its offer, voice and line service.
func mobileFixture(_ name: String, customer: String, plays: Int) -> InstalledContract {
    let id = "IC-\(name)"
    func c(_ n: Int, _ product: ProductID, _ children: [InstalledProduct] = [], attributes: [String: String]? = nil) -> InstalledProduct {
        var component = InstalledProduct(id: "\(id).\(n)", product: product, status: .active, attributes: attributes,
                                                        components: children)
        component.installedOn = Day("2025-05-01")
        component.owner = customer
        component.billingAccount = accounts[customer]
        return component
    }
    var root = InstalledProduct(id: id, product: "MOBILE-CONTRACT", status: .active, components: (0..<plays).map { k in
        c(4 * k + 1, "MOBILE-PLAY", [c(4 * k + 2, "MOBILE-LINE-OFFER", [c(4 * k + 3, "MOBILE-VOICE-DATA", [c(4 * k + 4, "MOBILE-LINE")],
                                                                              attributes: ["msisdn": "+3247\(name.count)00\(k)"])])])
    })
    root.owner = customer
    root.billingAccount = accounts[customer]
    return InstalledContract(id: id, customer: customer, installedOn: Day("2025-05-01"), root: root)
}

/// One R-6.5 scenario: installed contracts, mobile lines moved (to an installed contract, or to a
/// new contract named by a tag and created for a customer), and the stated result.
struct MigrationScenario: CustomTestStringConvertible, Sendable {
    enum To: Sendable {
        case installed(String)
        case new(String, customer: String)
    }

    var number: Int
    var contracts: [(name: String, customer: String, plays: Int)]
    var moves: [(play: String, to: To)]
    var terminated: [String]
    var kept: [String]
    /// New contracts by tag: owner and number of mobile lines.
    var created: [String: (customer: String, plays: Int)]

    var testDescription: String { "scenario \(number)" }

    static let all: [MigrationScenario] = [
        .init(number: 1, contracts: [("EC1", customerA, 2)], moves: [("IC-EC1.1", .new("NC2", customer: customerA)), ("IC-EC1.5", .new("NC2", customer: customerA))],
              terminated: ["IC-EC1"], kept: [], created: ["NC2": (customerA, 2)]),
        .init(number: 2, contracts: [("EC1", customerA, 1), ("EC2", customerA, 1)],
              moves: [("IC-EC1.1", .new("NC3", customer: customerA)), ("IC-EC2.1", .new("NC3", customer: customerA))],
              terminated: ["IC-EC1", "IC-EC2"], kept: [], created: ["NC3": (customerA, 2)]),
        .init(number: 3, contracts: [("EC1", customerA, 2), ("EC2", customerA, 1)], moves: [("IC-EC1.1", .installed("IC-EC2")), ("IC-EC1.5", .installed("IC-EC2"))],
              terminated: ["IC-EC1"], kept: ["IC-EC2"], created: [:]),
        .init(number: 4, contracts: [("EC1", customerA, 2), ("EC2", customerB, 1)], moves: [("IC-EC1.1", .installed("IC-EC2")), ("IC-EC1.5", .installed("IC-EC2"))],
              terminated: ["IC-EC1"], kept: ["IC-EC2"], created: [:]),
        .init(number: 5, contracts: [("EC1", customerA, 2)], moves: [("IC-EC1.5", .new("NC2", customer: customerA))],
              terminated: [], kept: ["IC-EC1"], created: ["NC2": (customerA, 1)]),
        .init(number: 6, contracts: [("EC1", customerA, 2)], moves: [("IC-EC1.5", .new("NC2", customer: customerB))],
              terminated: [], kept: ["IC-EC1"], created: ["NC2": (customerB, 1)]),
        .init(number: 7, contracts: [("EC1", customerA, 2)], moves: [("IC-EC1.1", .new("NC2", customer: customerA)), ("IC-EC1.5", .new("NC3", customer: customerA))],
              terminated: ["IC-EC1"], kept: [], created: ["NC2": (customerA, 1), "NC3": (customerA, 1)]),
        .init(number: 8, contracts: [("EC1", customerA, 2), ("EC2", customerA, 2)], moves: [("IC-EC1.1", .installed("IC-EC2")), ("IC-EC2.1", .installed("IC-EC1"))],
              terminated: [], kept: ["IC-EC1", "IC-EC2"], created: [:]),
        .init(number: 9, contracts: [("EC1", customerA, 2), ("EC2", customerB, 1)], moves: [("IC-EC1.5", .installed("IC-EC2"))],
              terminated: [], kept: ["IC-EC1", "IC-EC2"], created: [:]),
        .init(number: 10, contracts: [("EC1", customerA, 2), ("EC2", customerA, 2)],
              moves: [("IC-EC1.5", .new("NC3", customer: customerA)), ("IC-EC2.5", .new("NC3", customer: customerA))],
              terminated: [], kept: ["IC-EC1", "IC-EC2"], created: ["NC3": (customerA, 2)]),
        .init(number: 11, contracts: [("EC1", customerA, 1), ("EC2", customerA, 2)],
              moves: [("IC-EC1.1", .new("NC3", customer: customerA)), ("IC-EC2.5", .new("NC3", customer: customerA))],
              terminated: ["IC-EC1"], kept: ["IC-EC2"], created: ["NC3": (customerA, 2)]),
        .init(number: 12, contracts: [("EC1", customerA, 2), ("EC2", customerB, 1)],
              moves: [("IC-EC1.5", .new("NC3", customer: customerA)), ("IC-EC2.1", .new("NC3", customer: customerA))],
              terminated: ["IC-EC2"], kept: ["IC-EC1"], created: ["NC3": (customerA, 2)]),
    ]
}

extension Reply {
    var sessionMigrations: [[String: Any]] {
        (((json["session"] as? [String: Any])?["document"] as? [String: Any])?["migrations"] as? [[String: Any]]) ?? []
    }
}

/// Every component of an installed contract's tree, by id.
func components(_ contract: [String: Any]) -> [String: [String: Any]] {
    var found: [String: [String: Any]] = [:]
    func walk(_ c: [String: Any]) {
        if let id = c["id"] as? String { found[id] = c }
        for child in c["components"] as? [[String: Any]] ?? [] { walk(child) }
    }
    walk(contract["root"] as? [String: Any] ?? [:])
    return found
}

/// Opens a convergent order for A (B related) servicing the given installed contracts with one session.
func openMigrationOrder(_ client: some TestClientProtocol, contracts: [String]) async throws -> (order: String, session: String) {
    let created = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "convergent", "soldTo": "\#(customerA)", "relatedCustomers": ["\#(customerB)"]}"#)
    let order = try #require(created.json["id"] as? String)
    for contract in contracts {
        let line = try await client.call(.post, "/api/v1/orders/\(order)/lines", json: #"{"installedContract": "\#(contract)", "action": "change"}"#)
        #expect(line.status == .created, "\(line.text.prefix(300))")
    }
    let session = try await client.call(.post, "/api/v1/orders/\(order)/sessions")
    return (order, try #require((session.json["session"] as? [String: Any])?["id"] as? String))
}

/// Runs jobs until the order is completed (or `rounds` pass).
func fulfil(_ app: TestApp, _ client: some TestClientProtocol, order: String, clock: FixedClock, rounds: Int = 12) async throws -> Reply {
    var reply = try await client.call(.get, "/api/v1/orders/\(order)")
    for _ in 0..<rounds where reply.json["status"] as? String != "completed" {
        try await runJobs(app.engine, clock: clock, rounds: 1, step: 60)
        reply = try await client.call(.get, "/api/v1/orders/\(order)")
    }
    return reply
}

@Suite("R-6.5 the twelve migration scenarios end to end, and their refusals")
struct MigrationScenarioTests {
    static let start = Day("2026-11-22")!.startDate.addingTimeInterval(36_000)

    @Test("R-6.5", arguments: TestBackend.available, MigrationScenario.all)
    func scenario(backend: TestBackend, scenario: MigrationScenario) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        let fixtures = scenario.contracts.map { mobileFixture($0.name, customer: $0.customer, plays: $0.plays) }
        try await app.engine.store.commit(try fixtures.map { try .insert($0) }, context: app.engine.context("system"))
        try await app.run { client in
            let (order, session) = try await openMigrationOrder(client, contracts: fixtures.map(\.id))
            // Migrate every line as the scenario says; a new contract is created by the first move into it.
            var newContracts: [String: String] = [:] // tag → contract key in the session
            for (play, to) in scenario.moves {
                let destination: String
                switch to {
                case let .installed(contract):
                    destination = #""parent": "\#(contract)""#
                case let .new(tag, customer):
                    destination = newContracts[tag].map { #""parent": "\#($0)""# }
                        ?? #""newContract": {"product": "MOBILE-CONTRACT", "customer": "\#(customer)"}"#
                }
                let view = try await client.call(.post, "/api/v1/sessions/\(session)/operations",
                                                 json: #"{"operations": [{"op": "migrate", "instance": "\#(play)", "action": "MOBILE-LINE-MOVE", \#(destination)}]}"#)
                #expect(view.status == .ok, "\(play): \(view.text.prefix(400))")
                if case let .new(tag, _) = to, newContracts[tag] == nil {
                    newContracts[tag] = view.sessionMigrations.last?["targetContract"] as? String
                }
            }
            let configured = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            #expect(configured.status == .ok, "\(configured.text.prefix(400))")
            // Contracts emptied by the migrations are now disconnected; new contracts are lines of their owners.
            for line in configured.lines {
                let contract = line["installedContract"] as? String
                if let contract { #expect((line["action"] as? String == "disconnect") == scenario.terminated.contains(contract), "line \(line)") }
            }
            #expect(configured.lines.filter { $0["createdByMigration"] as? Bool == true }.count == scenario.created.count)
            #expect(((configured.json["migrations"] as? [[String: Any]]) ?? []).count == scenario.moves.count)
            // R-6.4: relationships of reparenting — Child Of removed and added; no migration link.
            let relationships = configured.json["relationships"] as? [[String: Any]] ?? []
            #expect(relationships.filter { $0["migration"] != nil && $0["kind"] as? String == "Child Of" }.count == 2 * scenario.moves.count)
            #expect(!relationships.contains { ["Migrates To", "Migrated From"].contains($0["kind"] as? String) })
            let crossCustomer = scenario.moves.filter { move in
                let from = scenario.contracts.first { move.play.hasPrefix("IC-\($0.name).") }!.customer
                let to: String = switch move.to {
                case let .installed(c): scenario.contracts.first { "IC-\($0.name)" == c }!.customer
                case let .new(_, customer): customer
                }
                return from != to
            }.count
            #expect(relationships.filter { $0["kind"] as? String == "Owned By" }.count == 2 * crossCustomer)
            #expect(relationships.filter { $0["kind"] as? String == "Billed To" }.count == 2 * crossCustomer)
            #expect(relationships.filter { ["Owned By", "Billed To"].contains($0["kind"] as? String) && $0["change"] as? String == "add" }
                .allSatisfy { rel in scenario.moves.contains { $0.play == rel["from"] as? String } })

            // R-6.3 Billed To: across customers, defaulted from the installed contract joined; into a
            // new contract nothing pays it until the agent chooses (MLBAV), then the new owner's account does.
            for recorded in configured.json["migrations"] as? [[String: Any]] ?? [] {
                let m = recorded["migration"] as? [String: Any] ?? [:]
                guard let target = m["targetCustomer"] as? String, m["sourceCustomer"] as? String != target else {
                    #expect(recorded["billedTo"] == nil, "within a customer the target contract pays")
                    continue
                }
                let intoInstalled = scenario.contracts.contains { "IC-\($0.name)" == m["targetContract"] as? String }
                if intoInstalled {
                    #expect(recorded["billedTo"] as? String == accounts[target], "\(recorded)")
                } else {
                    #expect(recorded["billedTo"] == nil)
                    #expect(((try await client.call(.post, "/api/v1/orders/\(order)/validate")).holdCodes).contains("MLBAV"))
                    let chosen = try await client.call(.post, "/api/v1/orders/\(order)/migrations/\(m["id"] as! String)/billed-to", json: #"{"account": "\#(accounts[target]!)"}"#)
                    #expect(chosen.status == .ok, "\(chosen.text.prefix(300))")
                }
            }
            // R-8.2: a contract a migration created is never defaulted. Into another customer its primary
            // row follows Billed To; within one customer BARNS holds, naming the line, until the agent chooses.
            let chosen = try await client.call(.get, "/api/v1/orders/\(order)")
            for line in chosen.lines where line["createdByMigration"] as? Bool == true {
                let number = try #require(line["number"] as? Int), owner = try #require(line["customer"] as? String)
                let primary = (line["billingRows"] as? [[String: Any]] ?? []).first { $0["primary"] as? Bool == true }
                guard primary?["account"] == nil else {
                    #expect(primary?["account"] as? String == accounts[owner], "line \(number) paid as Billed To says")
                    continue
                }
                let held = try await client.call(.post, "/api/v1/orders/\(order)/validate")
                let details = (held.json["holds"] as? [[String: Any]])?.first { $0["code"] as? String == "BARNS" }?["details"] as? [String] ?? []
                #expect(details.contains { $0.hasPrefix("line \(number),") && $0.contains("never defaulted") }, "\(details)")
                let set = try await client.call(.post, "/api/v1/orders/\(order)/lines/\(number)/billing", json: #"{"rows": [{"sequence": 1, "account": "\#(accounts[owner]!)"}]}"#)
                #expect(set.status == .ok, "\(set.text.prefix(300))")
            }
            let submitted = try await client.call(.post, "/api/v1/orders/\(order)/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(600))")
            let children = submitted.json["children"] as? [[String: Any]] ?? []
            #expect(children.count == scenario.contracts.count + Set(scenario.created.values.map(\.customer)).count)
            // R-7.4: each child order a migration reaches waits for the one it leaves (start after its pending).
            for child in children {
                let waits = ((try await client.call(.get, "/api/v1/orders/\(child["id"] as! String)").json["fulfillment"] as? [String: Any])?["waits"] as? [[String: Any]]) ?? []
                for wait in waits { #expect(children.contains { $0["id"] as? String == wait["order"] as? String }) }
                let isTarget = scenario.moves.contains { move in
                    switch move.to {
                    case let .installed(c): child["installedContract"] as? String == c
                    case .new: child["captureType"] as? String == "simple"
                    }
                }
                if isTarget, scenario.number != 8 {
                    #expect(waits.contains { $0["step"] as? String == "start" && $0["milestone"] as? String == "pending" }, "\(child["id"] ?? "") waits for its sources")
                }
            }
            let done = try await fulfil(app, client, order: order, clock: clock)
            #expect(done.json["status"] as? String == "completed", "\(done.text.prefix(600))")

            // The installed base as the scenario states.
            var moved: [String: String] = [:] // former installed id → its new owner
            for (play, to) in scenario.moves {
                moved[play] = switch to {
                case let .installed(c): scenario.contracts.first { "IC-\($0.name)" == c }!.customer
                case let .new(_, customer): customer
                }
            }
            for name in scenario.terminated + scenario.kept {
                let contract = try await client.call(.get, "/api/v1/installed-contracts/\(name)").json
                let all = components(contract)
                #expect((contract["status"] as? String == "disconnected") == scenario.terminated.contains(name), "\(name): \(contract["status"] ?? "")")
                // Lines that left are disconnected here, naming where they went; lines that stayed are active.
                for (id, c) in all where id.hasPrefix(name + ".") && c["product"] as? String == "MOBILE-PLAY" {
                    if moved[id] != nil || scenario.terminated.contains(name) {
                        #expect(c["installedStatus"] as? String == "disconnected", "\(id)")
                        if moved[id] != nil { #expect(c["migratedTo"] as? String != nil, "\(id) names its destination") }
                    } else {
                        #expect(c["installedStatus"] as? String == "active", "\(id)")
                    }
                }
                // Lines that arrived: active, owned and billed by this contract's owner, down to the leaves.
                let owner = contract["customer"] as? String ?? ""
                for (id, c) in all where c["migratedFrom"] != nil && c["product"] as? String == "MOBILE-PLAY" {
                    #expect(c["installedStatus"] as? String == "active")
                    #expect(moved[c["migratedFrom"] as! String] == owner, "\(id) came from \(c["migratedFrom"] ?? "")")
                    #expect(c["owner"] as? String == owner && c["billingAccount"] as? String == accounts[owner])
                    let leaves = (c["components"] as? [[String: Any]])?.first?["components"] as? [[String: Any]] ?? []
                    #expect(leaves.first?["owner"] as? String == owner && leaves.first?["billingAccount"] as? String == accounts[owner])
                }
            }
            // New contracts: created for their owner with the lines that came.
            var childOrders: [String: [String: Any]] = [:]
            for child in children { childOrders[child["id"] as! String] = child }
            var createdContracts: [[String: Any]] = []
            for child in children where child["captureType"] as? String == "simple" {
                for line in child["lines"] as? [Int] ?? [] {
                    let contract = try await client.call(.get, "/api/v1/installed-contracts/IC-\(child["id"] as! String)-\(line)")
                    #expect(contract.status == .ok)
                    createdContracts.append(contract.json)
                }
            }
            #expect(createdContracts.count == scenario.created.count)
            for (tag, expected) in scenario.created {
                let matching = createdContracts.filter { contract in
                    let plays = components(contract).values.filter { $0["product"] as? String == "MOBILE-PLAY" }
                    return contract["customer"] as? String == expected.customer && plays.count == expected.plays
                        && plays.allSatisfy { $0["installedStatus"] as? String == "active" && $0["migratedFrom"] != nil && $0["owner"] as? String == expected.customer }
                        && components(contract).values.allSatisfy { $0["billingAccount"] as? String == accounts[expected.customer] }
                }
                #expect(!matching.isEmpty, "\(tag) for \(expected.customer) with \(expected.plays) line(s)")
            }
        }
    }

    @Test("R-6.3 Billed To: across customers the agent chooses which of the new owner's accounts pays the migrated line (defaulted from the contract it joins); another owner's account, a closed one or a migration within a customer is refused; MLBAV holds while the chosen account is not active; installed, the line and its descendants are paid by it", arguments: TestBackend.available)
    func billedToAcrossCustomers(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        let fixtures = [mobileFixture("EC1", customer: customerA, plays: 2), mobileFixture("EC2", customer: customerB, plays: 1)]
        try await app.engine.store.commit(try fixtures.map { try .insert($0) }, context: app.engine.context("system"))
        try await app.run { client in
            let (order, session) = try await openMigrationOrder(client, contracts: fixtures.map(\.id))
            let move = #"{"operations": [{"op": "migrate", "instance": "IC-EC1.5", "action": "MOBILE-LINE-MOVE", "parent": "IC-EC2"}, {"op": "migrate", "instance": "IC-EC1.1", "action": "MOBILE-LINE-MOVE", "newContract": {"product": "MOBILE-CONTRACT", "customer": "\#(customerA)"}}]}"#
            let moved = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: move)
            #expect(moved.status == .ok, "\(moved.text.prefix(300))")
            let configured = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            let migrations = configured.json["migrations"] as? [[String: Any]] ?? []
            let across = try #require(migrations.first { ($0["migration"] as? [String: Any])?["targetCustomer"] as? String == customerB })
            let acrossID = try #require((across["migration"] as? [String: Any])?["id"] as? String)
            #expect(across["billedTo"] as? String == "BA-1002", "defaulted from IC-EC2")
            let path = "/api/v1/orders/\(order)/migrations/\(acrossID)/billed-to"
            #expect(try await client.call(.post, path, json: #"{"account": "BA-2001"}"#).code == "billing-not-allowed", "Jane's account, not the new owner's")
            #expect(try await client.call(.post, path, json: #"{"account": "BA-NOPE"}"#).code == "unknown-billing-account")
            #expect(try await client.call(.post, "/api/v1/orders/\(order)/migrations/M99/billed-to", json: #"{"account": "BA-1002"}"#).code == "unknown-migration")
            let within = try #require(migrations.first { ($0["migration"] as? [String: Any])?["targetCustomer"] as? String == customerA })
            if let withinID = (within["migration"] as? [String: Any])?["id"] as? String {
                #expect(try await client.call(.post, "/api/v1/orders/\(order)/migrations/\(withinID)/billed-to", json: #"{"account": "BA-2001"}"#).code == "billing-not-allowed")
            }
            // ACME opens a second account; while it is pending MLBAV holds, active it is accepted.
            let opened = try await client.call(.post, "/api/v1/customers/\(customerB)/billing-accounts", json: #"{"type": "Individual", "paymentMode": "postpaid", "status": "Pending", "currency": "EUR"}"#)
            let second = try #require(opened.json["id"] as? String)
            // Chosen in the console, on the order's page.
            let console = try await ConsoleSession.signIn(client, token: adminToken)
            let page = try await client.page(.get, "/orders/\(order)", cookie: console.cookie)
            #expect(page.text.contains("Billed To across customers") && page.text.contains(#"<option value="BA-1002" selected>"#), "the default shown")
            #expect(accessibilityProblems(page.text).isEmpty, "\(accessibilityProblems(page.text))")
            let chosen = try await client.page(.post, "/orders/\(order)/migrations/\(acrossID)/billed-to", cookie: console.cookie,
                                                form: "_csrf=\(console.csrf)&account=\(second)")
            #expect(chosen.headers[.location] == "/orders/\(order)", "\(chosen.text.prefix(300))")
            let refusedInConsole = try await client.page(.post, "/orders/\(order)/migrations/\(acrossID)/billed-to", cookie: console.cookie,
                                                         form: "_csrf=\(console.csrf)&account=BA-2001")
            #expect(refusedInConsole.status == .unprocessableContent && refusedInConsole.text.contains("billing-not-allowed"))
            #expect(try await client.page(.get, "/orders/\(order)", cookie: console.cookie).text.contains("paid by \(second)"))
            let held = try await client.call(.post, "/api/v1/orders/\(order)/validate")
            let details = (held.json["holds"] as? [[String: Any]])?.first { $0["code"] as? String == "MLBAV" }?["details"] as? [String] ?? []
            #expect(details.contains { $0.contains(second) && $0.contains("pending") }, "\(details)")
            _ = try await client.call(.post, "/api/v1/billing-accounts/\(second)/status", json: #"{"status": "Active"}"#)
            #expect(!(try await client.call(.post, "/api/v1/orders/\(order)/validate")).holdCodes.contains("MLBAV"))
            // The contract created within customer A is not defaulted (R-8.2): BARNS until the agent chooses.
            let created = try #require(configured.lines.first { $0["createdByMigration"] as? Bool == true }?["number"] as? Int)
            #expect((try await client.call(.post, "/api/v1/orders/\(order)/validate")).holdCodes.contains("BARNS"))
            _ = try await client.call(.post, "/api/v1/orders/\(order)/lines/\(created)/billing", json: #"{"rows": [{"sequence": 1, "account": "BA-2001"}]}"#)
            let submitted = try await client.call(.post, "/api/v1/orders/\(order)/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(600))")
            let done = try await fulfil(app, client, order: order, clock: clock)
            #expect(done.json["status"] as? String == "completed", "\(done.text.prefix(400))")
            let arrived = components(try await client.call(.get, "/api/v1/installed-contracts/IC-EC2").json).values.filter { $0["migratedFrom"] != nil }
            #expect(arrived.count == 4, "the play and its three descendants")
            #expect(arrived.allSatisfy { $0["billingAccount"] as? String == second && $0["owner"] as? String == customerB }, "\(arrived)")
            let stayed = components(try await client.call(.get, "/api/v1/installed-contracts/IC-EC2").json)["IC-EC2.1"]
            #expect(stayed?["billingAccount"] as? String == "BA-1002", "the rest of the contract is paid as before")
        }
    }

    @Test("R-6.3, R-8.2: a contract created in another customer by a migration is not defaulted; its primary row follows Billed To (a later choice too) until the agent sets it by hand; installed, the contract is paid by its row and the migrated line by Billed To", arguments: TestBackend.available)
    func billedToNewContractAcrossCustomers(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        let fixture = mobileFixture("EC1", customer: customerA, plays: 2)
        try await app.engine.store.commit([try .insert(fixture)], context: app.engine.context("system"))
        try await app.run { client in
            let (order, session) = try await openMigrationOrder(client, contracts: [fixture.id])
            let move = #"{"operations": [{"op": "migrate", "instance": "IC-EC1.1", "action": "MOBILE-LINE-MOVE", "newContract": {"product": "MOBILE-CONTRACT", "customer": "\#(customerB)"}}]}"#
            #expect(try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: move).status == .ok)
            let configured = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            let line = try #require(configured.lines.first { $0["createdByMigration"] as? Bool == true })
            let number = try #require(line["number"] as? Int)
            func primary() async throws -> String? {
                let rows = (try await client.call(.get, "/api/v1/orders/\(order)").lines.first { $0["number"] as? Int == number })?["billingRows"] as? [[String: Any]]
                return rows?.first { $0["primary"] as? Bool == true }?["account"] as? String
            }
            #expect(try await primary() == nil, "never defaulted")
            let held = try await client.call(.post, "/api/v1/orders/\(order)/validate").holdCodes
            #expect(held.contains("MLBAV") && held.contains("BARNS"), "\(held)")
            let migration = try #require(((configured.json["migrations"] as? [[String: Any]])?.first?["migration"] as? [String: Any])?["id"] as? String)
            let path = "/api/v1/orders/\(order)/migrations/\(migration)/billed-to"
            #expect(try await client.call(.post, path, json: #"{"account": "BA-1002"}"#).status == .ok)
            #expect(try await primary() == "BA-1002")
            let opened = try await client.call(.post, "/api/v1/customers/\(customerB)/billing-accounts", json: #"{"type": "Individual", "paymentMode": "postpaid", "status": "Active", "currency": "EUR"}"#)
            let second = try #require(opened.json["id"] as? String)
            #expect(try await client.call(.post, path, json: #"{"account": "\#(second)"}"#).status == .ok)
            #expect(try await primary() == second, "the row follows a later choice")
            // Set by hand, the row is the agent's: Billed To no longer moves it.
            _ = try await client.call(.post, "/api/v1/orders/\(order)/lines/\(number)/billing", json: #"{"rows": [{"sequence": 1, "account": "BA-1002"}]}"#)
            #expect(try await client.call(.post, path, json: #"{"account": "\#(second)"}"#).status == .ok)
            #expect(try await primary() == "BA-1002")
            let validated = try await client.call(.post, "/api/v1/orders/\(order)/validate").holdCodes
            #expect(!validated.contains("MLBAV") && !validated.contains("BARNS"), "\(validated)")
            let submitted = try await client.call(.post, "/api/v1/orders/\(order)/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(600))")
            let done = try await fulfil(app, client, order: order, clock: clock)
            #expect(done.json["status"] as? String == "completed", "\(done.text.prefix(400))")
            let child = try #require((submitted.json["children"] as? [[String: Any]])?.first { $0["captureType"] as? String == "simple" })
            let contract = try await client.call(.get, "/api/v1/installed-contracts/IC-\(child["id"] as! String)-\((child["lines"] as? [Int])?.first ?? 0)").json
            let all = components(contract)
            let root = try #require(all[contract["id"] as? String ?? ""])
            #expect(root["billingAccount"] as? String == "BA-1002" && root["owner"] as? String == customerB, "\(root)")
            let arrived = all.values.filter { $0["migratedFrom"] != nil }
            #expect(!arrived.isEmpty && arrived.allSatisfy { $0["billingAccount"] as? String == second }, "\(arrived)")
        }
    }

    @Test("R-6.2, R-6.4, R-7.3: a transformation end to end — ACME's 8-5 support becomes 24/7 support; Migrates To / Migrated From recorded; the installed base keeps the old one disconnected", arguments: TestBackend.available)
    func transformationEndToEnd(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let agent = try await client.agentToken()
            let created = try await client.call(.post, "/api/v1/orders", token: agent, json: #"{"captureType": "convergent", "soldTo": "CUST-ACME"}"#)
            let order = try #require(created.json["id"] as? String)
            _ = try await client.call(.post, "/api/v1/orders/\(order)/lines", token: agent, json: #"{"installedContract": "IC-ACME-1", "action": "change"}"#)
            let opened = try await client.call(.post, "/api/v1/orders/\(order)/sessions", token: agent)
            let session = try #require((opened.json["session"] as? [String: Any])?["id"] as? String)
            // The agent finds the migration offered for the support, with its place in the session.
            let detail = try await client.call(.get, "/api/v1/sessions/\(session)/instances/IC-ACME-1.7", token: agent)
            let offered = try #require((detail.json["migrations"] as? [[String: Any]])?.first { $0["action"] as? String == "SUPPORT-UPGRADE" })
            let place = try #require((offered["inSession"] as? [[String: Any]])?.first?["parent"] as? String)
            #expect(place == "IC-ACME-1.6")
            // Applied, reversed (the tree is as before), applied again — all by the agent.
            let migrate = #"{"operations": [{"op": "migrate", "instance": "IC-ACME-1.7", "action": "SUPPORT-UPGRADE", "parent": "\#(place)"}]}"#
            #expect(try await client.call(.post, "/api/v1/sessions/\(session)/operations", token: agent, json: migrate).status == .ok)
            let reversed = try await client.call(.post, "/api/v1/sessions/\(session)/operations", token: agent, json: #"{"operations": [{"op": "reverseMigration", "migration": "M1"}]}"#)
            #expect(reversed.sessionMigrations.isEmpty)
            func tree(_ reply: Reply) -> [String] {
                ((reply.json["report"] as? [String: Any])?["elements"] as? [[String: Any]] ?? []).map {
                    "\($0["instance"] ?? "") \($0["product"] ?? "") under \($0["parent"] ?? "-") removed \($0["removed"] ?? "")"
                }
            }
            #expect(tree(reversed) == tree(opened) && !tree(opened).isEmpty)
            let view = try await client.call(.post, "/api/v1/sessions/\(session)/operations", token: agent, json: migrate)
            #expect(view.status == .ok, "\(view.text.prefix(400))")
            let migration = try #require(view.sessionMigrations.first)
            let target = try #require(migration["target"] as? String)
            // The removal shows in the source tree, the addition in the target tree.
            let elements = (view.json["report"] as? [String: Any])?["elements"] as? [[String: Any]] ?? []
            #expect(elements.contains { $0["instance"] as? String == "IC-ACME-1.7" && $0["removed"] as? Bool == true })
            #expect(elements.contains { $0["instance"] as? String == target && $0["product"] as? String == "SUPPORT-24-7" && $0["parent"] as? String == place })
            let configured = try await client.call(.post, "/api/v1/sessions/\(session)/submit", token: agent)
            let relationships = configured.json["relationships"] as? [[String: Any]] ?? []
            #expect(relationships.contains { $0["kind"] as? String == "Migrates To" && $0["from"] as? String == "IC-ACME-1.7" && $0["to"] as? String == target })
            #expect(relationships.contains { $0["kind"] as? String == "Migrated From" && $0["from"] as? String == target && $0["to"] as? String == "IC-ACME-1.7" })
            #expect(relationships.contains { $0["kind"] as? String == "Child Of" && $0["change"] as? String == "remove" && $0["from"] as? String == "IC-ACME-1.7" })
            let submitted = try await client.call(.post, "/api/v1/orders/\(order)/submit", token: agent)
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(1400))")
            #expect(submitted.json["captureType"] as? String == "serviceManagement", "one installed contract, nothing new (R-7.1)")
            let done = try await fulfil(app, client, order: order, clock: clock)
            #expect(done.json["status"] as? String == "completed")
            let all = components(try await client.call(.get, "/api/v1/installed-contracts/IC-ACME-1").json)
            #expect(all["IC-ACME-1.7"]?["installedStatus"] as? String == "disconnected")
            let upgraded = all.values.filter { $0["product"] as? String == "SUPPORT-24-7" }
            #expect(upgraded.count == 1 && upgraded.first?["installedStatus"] as? String == "active" && upgraded.first?["owner"] as? String == "CUST-ACME")
        }
    }

    @Test("R-6 refusals through the API: a cycle (MLCMV), a missing billing account (MLBAV), a suspended source or contract, a disconnected target, a target without the level or holding it obsolete, eligibility, removing a migrating line; reversal", arguments: TestBackend.available)
    func refusals(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        var janeBusiness = mobileFixture("JB", customer: customerA, plays: 0)
        janeBusiness.root = .init(id: "IC-JB", product: "BUSINESS-CONTRACT", status: .active, components: [
            .init(id: "IC-JB.1", product: "BIZ-PLAY", status: .active, components: [.init(id: "IC-JB.2", product: "BIZ-INTERNET-OFFER", status: .active, components: [
                .init(id: "IC-JB.3", product: "BIZ-FIBER", status: .active)])]),
            .init(id: "IC-JB.5", product: "SUPPORT-PLAY", status: .active, components: [.init(id: "IC-JB.6", product: "SUPPORT-OFFER", status: .active, components: [
                .init(id: "IC-JB.7", product: "SUPPORT-8-5", status: .active)])]),
        ])
        janeBusiness.product = "BUSINESS-CONTRACT"
        // A contract whose products were never given a billing account.
        var unbilled = mobileFixture("UB", customer: customerA, plays: 1)
        func unbill(_ c: InstalledProduct) -> InstalledProduct {
            var copy = c
            copy.billingAccount = nil
            copy.components = c.components.map(unbill)
            return copy
        }
        unbilled.root = unbill(unbilled.root)
        var suspended = mobileFixture("SU", customer: customerA, plays: 1)
        func suspend(_ c: InstalledProduct) -> InstalledProduct {
            var copy = c
            copy.status = .suspended
            copy.components = c.components.map(suspend)
            return copy
        }
        suspended.root = suspend(suspended.root)
        suspended.status = .suspended
        var voice = mobileFixture("VO", customer: customerA, plays: 0)
        voice.product = "HOME-CONTRACT"
        voice.root = .init(id: "IC-VO", product: "HOME-CONTRACT", status: .active, components: [
            .init(id: "IC-VO.1", product: "BB-PLAY", status: .active, components: [.init(id: "IC-VO.5", product: "INTERNET-OFFER", status: .active, components: [
                .init(id: "IC-VO.6", product: "FIBER-500", status: .active, components: [.init(id: "IC-VO.7", product: "NET-ACCESS", status: .active)])])]),
            .init(id: "IC-VO.2", product: "VOICE-PLAY", status: .active, components: [.init(id: "IC-VO.3", product: "VOICE-OFFER", status: .active, components: [
                .init(id: "IC-VO.4", product: "VOIP-LINE", status: .active, components: [.init(id: "IC-VO.8", product: "VOIP-SERVICE", status: .active)])])]),
        ])
        let fixtures = [mobileFixture("EC1", customer: customerA, plays: 2), mobileFixture("EC2", customer: customerA, plays: 1), janeBusiness, unbilled,
                        suspended, voice]
        try await app.engine.store.commit(try fixtures.map { try .insert($0) }, context: app.engine.context("system"))
        try await app.run { client in
            let (order, session) = try await openMigrationOrder(client, contracts: ["IC-EC1", "IC-EC2", "IC-JB"])
            func migrate(_ play: String, _ action: String = "MOBILE-LINE-MOVE", to parent: String) async throws -> Reply {
                try await client.call(.post, "/api/v1/sessions/\(session)/operations",
                                      json: #"{"operations": [{"op": "migrate", "instance": "\#(play)", "action": "\#(action)", "parent": "\#(parent)"}]}"#)
            }
            // R-1.5: 24/7 support is offered to companies; Jane is a person — every reason with its code, rule and remedy.
            let ineligible = try await migrate("IC-JB.7", "SUPPORT-UPGRADE", to: "IC-JB.6")
            #expect(ineligible.status == .unprocessableContent && ineligible.code == "not-eligible", "\(ineligible.text)")
            let reason = ineligible.reasons.first
            #expect(reason?["code"] as? String == "ineligible-customer-kind" && reason?["rule"] as? String == "SUPPORT-UPGRADE" && reason?["remedy"] is String,
                    "\(ineligible.text)")
            #expect(try await migrate("IC-EC1.1", to: "IC-JB").code == "not-in-bundle", "a business contract has no mobile line level")
            let noPlace = try await client.call(.post, "/api/v1/sessions/\(session)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-EC1.1", "action": "MOBILE-LINE-MOVE"}]}"#)
            #expect(noPlace.status == .unprocessableContent && noPlace.json["field"] != nil, "\(noPlace.text)")
            // A cycle: EC1's line goes to EC2 and comes back: MLCMV holds the order.
            #expect(try await migrate("IC-EC1.1", to: "IC-EC2").status == .ok)
            #expect(try await migrate("IC-EC1.1", to: "IC-EC1").status == .ok)
            _ = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            let cyclic = try await client.call(.post, "/api/v1/orders/\(order)/validate")
            #expect(cyclic.holdCodes.contains("MLCMV"), "\(cyclic.holdCodes)")
            #expect(try await client.call(.post, "/api/v1/orders/\(order)/submit").code == "order-held")
            // R-3.6: a line taking part in a migration cannot be removed; nor its customer.
            let removal = try await client.call(.post, "/api/v1/orders/\(order)/lines/2/remove")
            #expect(removal.code == "migration-in-progress", "\(removal.text)")

            // Reversing both (the later first) ends the cycle; then EC2's only line leaves: EC2 is disconnected, and nothing may migrate into it.
            let reopened = try await client.call(.post, "/api/v1/orders/\(order)/sessions")
            let second = try #require((reopened.json["session"] as? [String: Any])?["id"] as? String)
            #expect(reopened.sessionMigrations.count == 2)
            #expect(try await client.call(.post, "/api/v1/sessions/\(second)/operations", json: #"{"operations": [{"op": "reverseMigration", "migration": "M1"}]}"#).code == "migration-in-progress")
            var view = try await client.call(.post, "/api/v1/sessions/\(second)/operations", json: #"{"operations": [{"op": "reverseMigration", "migration": "M2"}, {"op": "reverseMigration", "migration": "M1"}]}"#)
            #expect(view.status == .ok && view.sessionMigrations.isEmpty)
            view = try await client.call(.post, "/api/v1/sessions/\(second)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-EC2.1", "action": "MOBILE-LINE-MOVE", "parent": "IC-EC1"}]}"#)
            #expect(view.status == .ok, "\(view.text.prefix(300))")
            view = try await client.call(.post, "/api/v1/sessions/\(second)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-EC1.5", "action": "MOBILE-LINE-MOVE", "parent": "IC-EC2"}]}"#)
            #expect(view.code == "migration-into-disconnected-contract")
            #expect(try await client.call(.post, "/api/v1/sessions/\(second)/operations", json: #"{"operations": [{"op": "reverseMigration", "migration": "M9"}]}"#).code == "unknown-migration")
            let saved = try await client.call(.post, "/api/v1/sessions/\(second)/submit")
            #expect(saved.lines.first { $0["installedContract"] as? String == "IC-EC2" }?["action"] as? String == "disconnect")
            let validated = try await client.call(.post, "/api/v1/orders/\(order)/validate")
            #expect(!validated.holdCodes.contains("MLCMV") && !validated.holdCodes.contains("MLBAV"), "\(validated.holdCodes)")

            // MLBAV: a contract never billed; moving its line to another contract holds the order.
            let (other, third) = try await openMigrationOrder(client, contracts: ["IC-UB", "IC-EC1"])
            #expect(try await client.call(.post, "/api/v1/sessions/\(third)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-UB.1", "action": "MOBILE-LINE-MOVE", "parent": "IC-EC1"}]}"#).status == .ok)
            _ = try await client.call(.post, "/api/v1/sessions/\(third)/submit")
            let unbilledHold = try await client.call(.post, "/api/v1/orders/\(other)/validate")
            #expect(unbilledHold.holdCodes.contains("MLBAV"))
            // Issue 11 item 22: the hold names the component without a billing account.
            let details = (unbilledHold.json["holds"] as? [[String: Any]])?.first { $0["code"] as? String == "MLBAV" }?["details"] as? [String] ?? []
            #expect(details.contains { $0.contains("IC-UB.1") && $0.contains("no billing account") }, "\(details)")

            // Issue 11 item 5: one component migrating twice (EC1 → EC2, then EC2 → a new contract) is billed: no MLBAV.
            let (twice, twiceSession) = try await openMigrationOrder(client, contracts: ["IC-EC1", "IC-EC2"])
            #expect(try await client.call(.post, "/api/v1/sessions/\(twiceSession)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-EC1.1", "action": "MOBILE-LINE-MOVE", "parent": "IC-EC2"}]}"#).status == .ok)
            let onward = try await client.call(.post, "/api/v1/sessions/\(twiceSession)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-EC1.1", "action": "MOBILE-LINE-MOVE", "newContract": {"product": "MOBILE-CONTRACT", "customer": "\#(customerA)"}}]}"#)
            #expect(onward.status == .ok, "\(onward.text.prefix(300))")
            _ = try await client.call(.post, "/api/v1/sessions/\(twiceSession)/submit")
            let twiceHolds = try await client.call(.post, "/api/v1/orders/\(twice)/validate").holdCodes
            #expect(!twiceHolds.contains("MLBAV"), "\(twiceHolds)")

            // R-4.4: a contract of the session being suspended (suspend/change) stops migrations.
            let (suspending, fourth) = try await openMigrationOrder(client, contracts: ["IC-EC1"])
            _ = try await client.call(.post, "/api/v1/orders/\(suspending)/lines", json: #"{"installedContract": "IC-JB", "action": "suspendChange"}"#)
            _ = try await client.call(.post, "/api/v1/sessions/\(fourth)/cancel")
            let fifth = try #require((try await client.call(.post, "/api/v1/orders/\(suspending)/sessions").json["session"] as? [String: Any])?["id"] as? String)
            #expect(try await client.call(.post, "/api/v1/sessions/\(fifth)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-EC1.1", "action": "MOBILE-LINE-MOVE", "newContract": {"product": "MOBILE-CONTRACT", "customer": "\#(customerA)"}}]}"#).code == "suspended-contract")
            // R-4.4: a suspended source contract takes part in no migrating session.
            let (_, seventh) = try await openMigrationOrder(client, contracts: ["IC-SU", "IC-EC1"])
            #expect(try await client.call(.post, "/api/v1/sessions/\(seventh)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-SU.1", "action": "MOBILE-LINE-MOVE", "parent": "IC-EC1"}]}"#).code == "suspended-contract")
            // R-6.2: the target holds the component obsolete. A catalog version effective from 2026-11-01 has an action
            // back to copper voice, obsolete in the voice offer since 2026-03-01.
            var catalog = try #require(CatalogFiles.validate(DemoCatalog.files).catalog)
            catalog.header.version = "2026.11"
            catalog.header.effectiveFrom = Day("2026-11-01")!
            catalog.migrations.append(MigrationAction(id: "VOIP-TO-COPPER", name: "VoIP back to copper", kind: .transformation, source: "VOIP-LINE",
                                                      target: "COPPER-VOICE", functional: [.init(source: "VOIP-SERVICE", target: nil)]))
            let uploaded = try await client.call(.post, "/api/v1/catalog/versions", yaml: try CatalogFiles.render(catalog).map(\.text).joined())
            #expect(uploaded.status == .created, "\(uploaded.text.prefix(300))")
            #expect(try await client.call(.post, "/api/v1/catalog/versions/2026.11/activate").status == .ok)
            let (_, eighth) = try await openMigrationOrder(client, contracts: ["IC-VO"])
            #expect(try await client.call(.post, "/api/v1/sessions/\(eighth)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-VO.4", "action": "VOIP-TO-COPPER", "parent": "IC-VO.3"}]}"#).code == "target-obsolete")
            // Only convergent orders migrate.
            let simple = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "\#(customerA)"}"#)
            let sm = try #require(simple.json["id"] as? String)
            _ = try await client.call(.post, "/api/v1/orders/\(sm)/lines", json: #"{"installedContract": "IC-EC1", "action": "change"}"#)
            let sixth = try #require((try await client.call(.post, "/api/v1/orders/\(sm)/sessions").json["session"] as? [String: Any])?["id"] as? String)
            #expect(try await client.call(.post, "/api/v1/sessions/\(sixth)/operations", json: #"{"operations": [{"op": "migrate", "instance": "IC-EC1.1", "action": "MOBILE-LINE-MOVE", "newContract": {"product": "MOBILE-CONTRACT", "customer": "\#(customerA)"}}]}"#).code == "not-allowed-for-capture-type")
        }
    }

    @Test("R-6.5 scenario 4 on the demo data as docs/migrations.md walks through it, with a provisioning delay: R-7.4, the reparenting is performed by the target's child order", arguments: TestBackend.available)
    func walkthrough(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock, provisioning: ProvisioningSetup(simulator: ProvisioningSimulator(delay: 120)))
        try await app.run { client in
            let agent = try await client.agentToken()
            // 1. A convergent order for Jane with ACME related, servicing both family contracts.
            _ = try await client.call(.post, "/api/v1/orders", token: agent, json: #"{"captureType": "convergent", "soldTo": "CUST-JANE", "relatedCustomers": ["CUST-ACME"]}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", token: agent, json: #"{"installedContract": "IC-JANE-1", "action": "change"}"#)
            _ = try await client.call(.post, "/api/v1/orders/CO000001/lines", token: agent, json: #"{"installedContract": "IC-ACME-2", "action": "change"}"#)
            // 2. A session; the migrations offered for Jane's line, with their places.
            _ = try await client.call(.post, "/api/v1/orders/CO000001/sessions", token: agent)
            let detail = try await client.call(.get, "/api/v1/sessions/S000001/instances/IC-JANE-1.1", token: agent)
            let move = try #require((detail.json["migrations"] as? [[String: Any]])?.first { $0["action"] as? String == "MOBILE-LINE-MOVE" })
            #expect((move["inSession"] as? [[String: Any]])?.compactMap { $0["parent"] as? String } == ["IC-ACME-2"])
            #expect((move["newContracts"] as? [String]) == ["MOBILE-CONTRACT"])
            // 3. Migrate, 4. submit the session, 5. submit the order.
            let view = try await client.call(.post, "/api/v1/sessions/S000001/operations", token: agent,
                                             json: #"{"operations": [{"op": "migrate", "instance": "IC-JANE-1.1", "action": "MOBILE-LINE-MOVE", "parent": "IC-ACME-2"}]}"#)
            #expect(view.sessionMigrations.first?["emptied"] as? [String] == ["IC-JANE-1"])
            // The removal shows in the source contract, the addition in the target contract.
            let details = (view.json["contracts"] as? [[String: Any]] ?? []).reduce(into: [String: [String: Any]]()) { $0[$1["contract"] as! String] = $1 }
            #expect(details["IC-JANE-1"]?["migratingOut"] as? [String: String] == ["M1": "IC-JANE-1.1"])
            #expect(details["IC-ACME-2"]?["migratingIn"] as? [String: String] == ["M1": "IC-JANE-1.1"])
            #expect((details["IC-ACME-2"]?["products"] as? [String])?.filter { $0 == "MOBILE-PLAY" }.count == 2)
            #expect(view.sessionMigrations.first?["brokenCommitments"] as? [String] == ["COMMIT-12M-MOBILE"])
            let configured = try await client.call(.post, "/api/v1/sessions/S000001/submit", token: agent)
            #expect(configured.lines.map { $0["action"] as? String } == ["disconnect", "change"])
            let submitted = try await client.call(.post, "/api/v1/orders/CO000001/submit", token: agent)
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(500))")
            let children = (submitted.json["children"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) { $0[$1["installedContract"] as! String] = $1["id"] as? String }
            let source = try #require(children["IC-JANE-1"]), target = try #require(children["IC-ACME-2"])

            // R-7.4, run step by step: answers come 120 s after each send. A reparenting is performed by the target's order.
            func order(_ id: String) async throws -> [String: Any] { try await client.call(.get, "/api/v1/orders/\(id)").json }
            func messages(_ o: [String: Any]) -> [[String: Any]] { (o["provisioningMessages"] as? [[String: Any]]) ?? [] }
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            var s = try await order(source), t = try await order(target)
            // Both pending; T's message sent, carrying the move; S sends nothing for the line it loses.
            #expect(s["status"] as? String == "inFulfillment" && t["status"] as? String == "inFulfillment")
            #expect(messages(s).isEmpty)
            #expect(messages(t).allSatisfy { $0["status"] as? String == "sent" } && !messages(t).isEmpty)
            let items = messages(t).flatMap { $0["items"] as? [[String: Any]] ?? [] }
            #expect(items.contains { $0["migratedFrom"] as? String == "IC-JANE-1.4" && $0["action"] as? String == "activate" })
            let jane = try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1").json
            #expect(Set(installedStatuses(jane).values) == ["pendingDisconnection"])
            // T's answer: S settles (Jane's line Disconnected), then T (the line Installed at ACME).
            clock.set(clock.now().addingTimeInterval(120))
            try await runJobs(app.engine, clock: clock, rounds: 3, step: 0)
            s = try await order(source)
            t = try await order(target)
            #expect(s["status"] as? String == "completed" && t["status"] as? String == "completed")
            #expect((try await order("CO000001"))["status"] as? String == "completed")
            let acme = try await client.call(.get, "/api/v1/installed-contracts/IC-ACME-2").json
            let arrived = components(acme).values.filter { $0["migratedFrom"] as? String == "IC-JANE-1.1" }
            #expect(arrived.count == 1 && arrived.first?["installedStatus"] as? String == "active" && arrived.first?["owner"] as? String == "CUST-ACME"
                && arrived.first?["billingAccount"] as? String == "BA-1002")
            let left = try await client.call(.get, "/api/v1/installed-contracts/IC-JANE-1").json
            #expect(left["status"] as? String == "disconnected")
            #expect(components(left)["IC-JANE-1.1"]?["migratedTo"] as? String == "IC-ACME-2")
        }
    }

    @Test("R-7.4 with a transformation across two contracts — Jane's DSL in one home contract becomes fibre in another; the network access moves — the eight steps in order", arguments: TestBackend.available)
    func transformationAcrossContracts(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock, provisioning: ProvisioningSetup(simulator: ProvisioningSimulator(delay: 120)))
        func c(_ id: String, _ product: ProductID, _ children: [InstalledProduct] = []) -> InstalledProduct {
            var component = InstalledProduct(id: id, product: product, status: .active, components: children)
            component.owner = customerA
            component.billingAccount = accounts[customerA]
            return component
        }
        let dsl = InstalledContract(id: "IC-HC1", customer: customerA, root: c("IC-HC1", "HOME-CONTRACT", [
            c("IC-HC1.1", "BB-PLAY", [c("IC-HC1.2", "INTERNET-OFFER", [c("IC-HC1.3", "DSL-20", [c("IC-HC1.4", "NET-ACCESS")])])])]))
        let modem = InstalledContract(id: "IC-HC2", customer: customerA, root: c("IC-HC2", "HOME-CONTRACT", [
            c("IC-HC2.1", "BB-PLAY", [c("IC-HC2.2", "INTERNET-OFFER", [c("IC-HC2.3", "MODEM-RENTAL", [c("IC-HC2.4", "HOME-GATEWAY")])])])]))
        try await app.engine.store.commit([try .insert(dsl), try .insert(modem)], context: app.engine.context("system"))
        try await app.run { client in
            let (order, session) = try await openMigrationOrder(client, contracts: ["IC-HC1", "IC-HC2"])
            let view = try await client.call(.post, "/api/v1/sessions/\(session)/operations",
                                             json: #"{"operations": [{"op": "migrate", "instance": "IC-HC1.3", "action": "DSL-TO-FIBRE", "parent": "IC-HC2.2"}]}"#)
            #expect(view.status == .ok, "\(view.text.prefix(400))")
            #expect((view.sessionMigrations.first?["moved"] as? [[String: Any]])?.first?["instance"] as? String == "IC-HC1.4")
            let configured = try await client.call(.post, "/api/v1/sessions/\(session)/submit")
            // R-6.4: the network access's Sells goes from the DSL (line 1) to the new fibre (line 2).
            let sells = (configured.json["relationships"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "Sells" && $0["migration"] != nil }
            #expect(sells.contains { $0["change"] as? String == "remove" && $0["from"] as? String == "IC-HC1.3" && $0["to"] as? String == "IC-HC1.4" && $0["fromLine"] as? Int == 1 })
            #expect(sells.contains { $0["change"] as? String == "add" && $0["fromProduct"] as? String == "FIBER-500" && $0["to"] as? String == "IC-HC1.4" && $0["fromLine"] as? Int == 2 })
            let submitted = try await client.call(.post, "/api/v1/orders/\(order)/submit")
            #expect(submitted.json["status"] as? String == "submitted", "\(submitted.text.prefix(500))")
            let children = (submitted.json["children"] as? [[String: Any]] ?? []).reduce(into: [String: String]()) { $0[$1["installedContract"] as! String] = $1["id"] as? String }
            let source = try #require(children["IC-HC1"]), target = try #require(children["IC-HC2"])
            func get(_ id: String) async throws -> [String: Any] { try await client.call(.get, "/api/v1/orders/\(id)").json }
            func network(_ o: [String: Any]) -> [String: Any] {
                ((o["provisioningMessages"] as? [[String: Any]]) ?? []).first { $0["system"] as? String == "NETWORK" } ?? [:]
            }
            // 1–5: S pending, then T pending; T's message sent; S's waits for T's answer.
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            var s = try await get(source), t = try await get(target)
            #expect(network(t)["status"] as? String == "sent")
            #expect(network(s)["status"] as? String == "ready" && network(s)["waiting"] as? Bool == true)
            let items = network(t)["items"] as? [[String: Any]] ?? []
            #expect(items.contains { $0["migratedFrom"] as? String == "IC-HC1.4" })
            #expect((network(s)["items"] as? [[String: Any]] ?? []).contains { $0["installedProduct"] as? String == "IC-HC1.4" && $0["action"] as? String == "disconnect" })
            // 6: T answered, S's message sent; T does not settle before S is answered.
            clock.set(clock.now().addingTimeInterval(120))
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            s = try await get(source)
            t = try await get(target)
            #expect(network(t)["status"] as? String == "completed" && network(s)["status"] as? String == "sent")
            #expect(t["status"] as? String == "inFulfillment")
            // 7–8: S answered; S's network access Disconnected, T's Installed, with the fibre.
            clock.set(clock.now().addingTimeInterval(120))
            try await runJobs(app.engine, clock: clock, rounds: 3, step: 0)
            #expect(try await get(order)["status"] as? String == "completed")
            let left = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HC1").json)
            #expect(left["IC-HC1.3"]?["installedStatus"] as? String == "disconnected" && left["IC-HC1.4"]?["installedStatus"] as? String == "disconnected")
            #expect(left["IC-HC1.2"]?["installedStatus"] as? String == "active", "the contract keeps its internet offer")
            let arrived = components(try await client.call(.get, "/api/v1/installed-contracts/IC-HC2").json).values
            #expect(arrived.contains { $0["product"] as? String == "FIBER-500" && $0["installedStatus"] as? String == "active" })
            #expect(arrived.contains { $0["migratedFrom"] as? String == "IC-HC1.4" && $0["installedStatus"] as? String == "active" && $0["product"] as? String == "NET-ACCESS" })
        }
    }

    @Test("R-6.1: a migration into a new contract adds its line for the chosen customer; reversed in a later session, the line leaves and the emptied contract goes back to Change", arguments: TestBackend.available)
    func reverseInLaterSession(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        try await app.engine.store.commit([try .insert(mobileFixture("EC1", customer: customerA, plays: 1))], context: app.engine.context("system"))
        try await app.run { client in
            let (order, session) = try await openMigrationOrder(client, contracts: ["IC-EC1"])
            let moved = try await client.call(.post, "/api/v1/sessions/\(session)/operations",
                                              json: #"{"operations": [{"op": "migrate", "instance": "IC-EC1.1", "action": "MOBILE-LINE-MOVE", "newContract": {"product": "MOBILE-CONTRACT", "customer": "\#(customerB)"}}]}"#)
            #expect(moved.status == .ok, "\(moved.text.prefix(300))")
            let saved = try await client.call(.post, "/api/v1/sessions/\(session)/save")
            #expect(saved.lines.map { $0["action"] as? String } == ["disconnect", "add"])
            #expect(saved.lines.last?["customer"] as? String == customerB && saved.lines.last?["createdByMigration"] as? Bool == true)
            let reopened = try await client.call(.post, "/api/v1/orders/\(order)/sessions")
            let again = try #require((reopened.json["session"] as? [String: Any])?["id"] as? String)
            #expect(reopened.sessionMigrations.count == 1)
            #expect(try await client.call(.post, "/api/v1/sessions/\(again)/operations", json: #"{"operations": [{"op": "reverseMigration", "migration": "M1"}]}"#).status == .ok)
            let reverted = try await client.call(.post, "/api/v1/sessions/\(again)/submit")
            #expect(reverted.lines.map { $0["action"] as? String } == ["change"])
            #expect(reverted.json["migrations"] == nil)
            #expect(reverted.lines.first?["emptiedByMigration"] == nil)
        }
    }
}
