import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

/// Every validation row of seeds 001 (Move Installed Items), 002 (Amend Bundle Services) and 003
/// (End Subscription Resting), and the resting rules of R-12.5, through the API on each backend:
/// the action's preview answers no refusal while the rule holds, and the row's code once the
/// stored facts break it (they are put back after each row).
@Suite("R-12.3 – R-12.6 every validation row of the seeds, through the API on both backends")
struct SubscriptionRulesAPITests {
    static let start = Day("2026-11-22")!.startDate.addingTimeInterval(36_000)

    /// The codes the preview of `body` on `subscription` answers.
    static func refusals(_ client: some TestClientProtocol, _ subscription: String, _ body: String) async throws -> [String] {
        let reply = try await client.call(.post, "/api/v1/subscriptions/\(subscription)/actions/preview", json: body)
        #expect(reply.status == .ok, "\(reply.text.prefix(300))")
        return (reply.json["refusals"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
    }

    /// Runs `body` with `A` `id` changed by `change`, then puts it back as it was.
    static func with<A: Aggregate>(_ app: TestApp, _ type: A.Type, _ id: String, _ change: @escaping @Sendable (inout A) -> Void,
                                   _ body: () async throws -> Void) async throws {
        let context = app.engine.context("test", reason: "a rule broken for the test")
        let original = try #require(try await app.engine.store.get(A.self, id: id)).value
        _ = try await app.engine.store.modify(A.self, id: id, context: context) { change(&$0) }
        try await body()
        _ = try await app.engine.store.modify(A.self, id: id, context: context) { $0 = original }
    }

    @Test("R-12.3, seed 001: each validation row — items on the source and at least one, another target, the same accounts receivable, the target's active, its billing term effective, an Effective source keeping its definition without the items, the target's type allowing the items and their distributors, an Effective target keeping its installed-item rules; any source state; a place in the target", arguments: TestBackend.available)
    func moveRows(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend, clock: FixedClock(Self.start))
        try await SubscriptionAPITests.secondHome(app)
        try await app.run { client in
            #expect(try await client.call(.post, "/api/v1/subscriptions", json: SubscriptionAPITests.tvRequest).status == .created)
            func move(_ items: [String] = ["IC-HOME-1.12"], to target: String = "SUB-IC-HOME-2.8", extra: String = "") -> String {
                #"{"action": "moveInstalledItems", "items": [\#(items.map { "\"\($0)\"" }.joined(separator: ", "))], "target": "\#(target)"\#(extra)}"#
            }
            func codes(_ body: String = move()) async throws -> [String] { try await Self.refusals(client, "SUB-IC-HOME-1.8", body) }
            #expect(try await codes() == [], "every rule holds")
            #expect(try await codes(move(["IC-HOME-1.7"])) == ["item-not-on-subscription"])
            #expect(try await codes(move([])) == ["item-not-on-subscription"])
            #expect(try await codes(move(to: "SUB-IC-HOME-1.8")) == ["same-subscription"])
            #expect(try await codes(move(to: "SUB-IC-HOME-1.1")).contains("different-accounts-receivable"))
            try await Self.with(app, BillingAccount.self, "BA-4002", { $0.status = .closed }) { () async throws in
                #expect(try await codes().contains("accounts-receivable-inactive"))
            }
            try await Self.with(app, Subscription.self, "SUB-IC-HOME-2.8", { $0.billingTerm.effective = false }) { () async throws in
                #expect(try await codes() == ["billing-term-not-effective"])
            }
            // An Effective source with the Ultra HD pack loses the box its definition wants beside it.
            let uhd = SubscriptionService(id: "IC-HOME-1.99", product: "UHD-PACK", distributors: ["TV-PLATFORM"],
                                          lifecycle: Lifecycle(.service, draftOn: Day("2026-02-02")!, reason: "test"))
            try await Self.with(app, Subscription.self, "SUB-IC-HOME-1.8", { $0.services.append(uhd) }) { () async throws in
                #expect(try await codes() == ["source-definition-violated"])
            }
            #expect(try await codes(move(extra: #", "distributors": {"IC-HOME-1.12": ["NETWORK"]}"#)) == ["not-allowed-by-subscription-type"])
            // An Effective target already at its three installed items.
            let boxes = (1...3).map { SubscriptionItem(id: "BOX-\($0)", product: "STB-HD", distributors: ["TV-PLATFORM"]) }
            try await Self.with(app, Subscription.self, "SUB-IC-HOME-2.8", { $0.items = boxes }) { () async throws in
                #expect(try await codes().contains("target-definition-violated"))
            }
            // Any state of the source: a Not Effective one moves too.
            try await Self.with(app, Subscription.self, "SUB-IC-HOME-1.8", {
                try? $0.lifecycle.move(LifecyclePeriod(state: .notEffective, on: Day("2026-11-22")!, reason: "test"))
            }) { () async throws in
                #expect(try await codes() == [])
            }
            // A place in the target's play: its TV essentials hold three boxes at most.
            try await Self.with(app, InstalledContract.self, "IC-HOME-2", { contract in
                contract.root = contract.root.map { product in
                    var p = product
                    if p.id == "IC-HOME-2.9" {
                        p.components += (1...2).map { InstalledProduct(id: "IC-HOME-2.9\($0)", product: "STB-HD", status: .active) }
                    }
                    return p
                }
            }) { () async throws in
                #expect(try await codes() == ["installed-item-cannot-move"])
            }
            #expect(try await codes(move(extra: #", "schedule": {"afterDays": 1}"#)) == ["action-not-schedulable"])
        }
    }

    @Test("R-12.4, seed 002: each validation row — Draft, Effective or Not Effective with the bundle not final, a flexible bundle, its composition afterwards, the definition's dependencies afterwards, the bundle not scheduled to change, the prepaid wallet covering the added components", arguments: TestBackend.available)
    func amendRows(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend, clock: FixedClock(Self.start))
        try await app.run { client in
            func amend(_ add: [String] = ["MOVIES-PACK"], remove: [String] = [], bundle: String = "IC-HOME-1.13", extra: String = "") -> String {
                #"{"action": "amendBundleServices", "bundle": "\#(bundle)", "add": [\#(add.map { "\"\($0)\"" }.joined(separator: ", "))], "remove": [\#(remove.map { "\"\($0)\"" }.joined(separator: ", "))]\#(extra)}"#
            }
            func codes(_ body: String = amend()) async throws -> [String] { try await Self.refusals(client, "SUB-IC-HOME-1.8", body) }
            #expect(try await codes() == [], "every rule holds")
            try await Self.with(app, Subscription.self, "SUB-IC-HOME-1.8", { try? $0.lifecycle.move(LifecyclePeriod(state: .inResting, on: Day("2026-11-22")!, reason: "test")) }) { () async throws in
                #expect(try await codes() == ["action-not-allowed-in-state"])
            }
            try await Self.with(app, Subscription.self, "SUB-IC-HOME-1.8", { s in
                if let i = s.services.firstIndex(where: { $0.id == "IC-HOME-1.13" }) {
                    try? s.services[i].lifecycle.move(LifecyclePeriod(state: .cancelled, on: Day("2026-11-22")!, reason: "test"))
                }
            }) { () async throws in
                #expect(try await codes().contains("action-not-allowed-in-state"))
            }
            #expect(try await codes(amend(bundle: "IC-HOME-1.10")) == ["action-not-offered"])
            #expect(try await codes(amend(["SPORTS-PACK"])).contains("bundle-composition-violated"))
            #expect(try await codes(amend([], remove: [])) == ["bundle-composition-violated"])
            #expect(try await codes(amend(["MOVIES-PACK"], remove: ["IC-HOME-1.9"])) == ["bundle-composition-violated"], "not a component of the bundle")
            // The Ultra HD pack without an HD box beside it breaks the definition.
            try await Self.with(app, Subscription.self, "SUB-IC-HOME-1.8", { $0.items = [] }) { () async throws in
                #expect(try await codes(amend(["UHD-PACK"])) == ["subscription-definition-violated"])
            }
            #expect(try await client.call(.post, "/api/v1/subscriptions/SUB-IC-HOME-1.8/actions", json: amend(["KIDS-PACK"], extra: #", "schedule": {"afterDays": 3}"#)).status == .created)
            #expect(try await codes() == ["bundle-scheduled-to-change"])
            _ = try await client.call(.post, "/api/v1/subscription-actions/SA000001/withdraw")
            try await Self.with(app, BillingAccount.self, "BA-4002", { $0.balance = 9 }) { () async throws in
                #expect(try await codes() == ["insufficient-wallet"], "the movies pack costs 10")
            }
            #expect(try await codes() == [])
        }
    }

    @Test("R-12.5, R-12.6, seed 003: each validation row of ending a resting — only In Resting, the accounts receivable active, the billing term effective, the type's, the definition's, the scheme's and the billing term definition's rules (a resting no longer than allowed); and resting's own — Effective or Not Effective, a later end, at most 60 days, twice a calendar year", arguments: TestBackend.available)
    func restingRows(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            let id = "SUB-IC-HOME-1.8"
            let end = #"{"action": "endResting"}"#
            func codes(_ body: String = end) async throws -> [String] { try await Self.refusals(client, id, body) }
            // Resting's rules.
            #expect(try await codes(#"{"action": "rest", "until": "2026-12-20"}"#) == [])
            #expect(try await codes(#"{"action": "rest", "until": "2026-11-22"}"#) == ["invalid-resting-end"])
            #expect(try await codes(#"{"action": "rest", "until": "2027-01-22"}"#) == ["billing-term-definition-violated"], "61 days; 60 allowed")
            try await Self.with(app, Subscription.self, id, { try? $0.lifecycle.move(LifecyclePeriod(state: .cancelled, on: Day("2026-11-22")!, reason: "test")) }) { () async throws in
                #expect(try await codes(#"{"action": "rest", "until": "2026-12-20"}"#) == ["action-not-allowed-in-state"])
            }
            #expect(try await codes() == ["action-not-allowed-in-state"], "not In Resting")
            #expect(try await client.call(.post, "/api/v1/subscriptions/\(id)/actions", json: #"{"action": "rest", "until": "2026-12-20"}"#).status == .created)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            #expect(try await codes() == [], "every rule holds")
            try await Self.with(app, BillingAccount.self, "BA-4002", { $0.status = .closed }) { () async throws in
                #expect(try await codes() == ["accounts-receivable-inactive"])
            }
            try await Self.with(app, Subscription.self, id, { $0.billingTerm.effective = false }) { () async throws in
                #expect(try await codes() == ["billing-term-not-effective"])
            }
            try await Self.with(app, Subscription.self, id, { $0.billingTerm.scheme = "HOME-ANNUAL" }) { () async throws in
                #expect(try await codes().contains("not-allowed-by-subscription-type"), "HOME-TV does not allow the annual scheme")
            }
            let uhd = SubscriptionService(id: "IC-HOME-1.99", product: "UHD-PACK", distributors: ["NETWORK"],
                                          lifecycle: Lifecycle(.service, draftOn: Day("2026-02-02")!, reason: "test"))
            try await Self.with(app, Subscription.self, id, { $0.services.append(uhd) }) { () async throws in
                #expect(try await codes().contains("subscription-definition-violated"), "the Ultra HD pack without an HD box on its distributor")
            }
            try await Self.with(app, Subscription.self, id, { $0.billingTerm.pricePlan = "GOLD" }) { () async throws in
                #expect(try await codes() == ["billing-term-scheme-violated"])
            }
            try await Self.with(app, Subscription.self, id, { $0.billingTerm.frequency = .annual }) { () async throws in
                #expect(try await codes().contains("billing-term-scheme-violated"), "the monthly scheme does not bill yearly")
            }
            // Rested longer than the definition allows (the automatic end not run): 61 days.
            clock.set(Self.start.addingTimeInterval(61 * 86_400))
            #expect(try await codes() == ["billing-term-definition-violated"])
            clock.set(Self.start.addingTimeInterval(5 * 86_400))
            #expect(try await client.call(.post, "/api/v1/subscriptions/\(id)/actions", json: end).status == .created)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            // Twice a calendar year: a second resting in 2026 is allowed, a third is not.
            #expect(try await client.call(.post, "/api/v1/subscriptions/\(id)/actions", json: #"{"action": "rest", "until": "2026-12-20"}"#).status == .created)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            #expect(try await client.call(.post, "/api/v1/subscriptions/\(id)/actions", json: end).status == .created)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            #expect(try await codes(#"{"action": "rest", "until": "2026-12-20"}"#) == ["billing-term-definition-violated"], "a third resting in 2026")
        }
    }

    @Test("R-12.2, R-2.4: performed by the caller unless said; naming another user needs the right to act for them — an administrator acts for anyone, the supervisor for the agents it acts for; an agent for no one else (403); an unknown user is refused (422)", arguments: TestBackend.available)
    func performedBy(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend, clock: FixedClock(Self.start))
        let agent = try await app.engine.access.issueToken(for: "agent", label: "test", context: app.engine.context("admin")).secret
        let supervisor = try await app.engine.access.issueToken(for: "supervisor", label: "test", context: app.engine.context("admin")).secret
        try await app.run { client in
            let path = "/api/v1/subscriptions/SUB-IC-HOME-1.8/actions"
            func rest(by user: String?) -> String {
                #"{"action": "rest", "until": "2026-12-20"\#(user.map { #", "performedBy": "\#($0)""# } ?? "")}"#
            }
            let unknown = try await client.call(.post, path + "/preview", json: rest(by: "nobody"))
            #expect(unknown.status == .unprocessableContent && unknown.code == "invalid-request" && unknown.json["field"] as? String == "performedBy")
            let forbidden = try await client.call(.post, path + "/preview", token: agent, json: rest(by: "supervisor"))
            #expect(forbidden.status == .forbidden && forbidden.json["field"] as? String == "performedBy", "\(forbidden.text.prefix(300))")
            #expect(try await client.call(.post, path + "/preview", token: supervisor, json: rest(by: "agent")).status == .ok, "the supervisor acts for the agent")
            #expect(try await client.call(.post, path + "/preview", token: agent, json: rest(by: "agent")).status == .ok, "oneself")
            let mine = try await client.call(.post, path, token: agent, json: rest(by: nil))
            #expect(mine.status == .created && mine.json["performedBy"] as? String == "agent", "the caller by default")
            let end = try await client.call(.post, path, json: #"{"action": "endResting", "performedBy": "supervisor", "schedule": {"afterDays": 3}}"#)
            #expect(end.status == .created && end.json["performedBy"] as? String == "supervisor", "an administrator acts for anyone: \(end.text.prefix(300))")
        }
    }
}

