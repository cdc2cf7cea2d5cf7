import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Testing

@Suite("Issue 13 item 7: single order reads answered from what they showed, until it changes")
struct OrderReadTests {
    @Test("R-3.4, R-7.5, R-1.13: a single order read answers the same bytes until the order, one of its provisioning messages or the active catalog changes; then at once what changed", arguments: TestBackend.available)
    func readsFollowChanges(backend: TestBackend) async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(backend, clock: clock, provisioning: ProvisioningSetup(simulator: ProvisioningSimulator(delay: 60)))
        try await app.run { client in
            try await submitHomeOrder(client, number: 1)
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            let first = try await client.call(.get, "/api/v1/orders/COM000002")
            #expect(try await client.call(.get, "/api/v1/orders/COM000002").text == first.text)
            _ = try await client.call(.post, "/api/v1/orders/COM000002/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let withLine = try await client.call(.get, "/api/v1/orders/COM000002")
            #expect(withLine.text != first.text && withLine.lines.count == 1)
            // In fulfillment: each send and each answer writes a message, not the order; the read shows it.
            try await runJobs(app.engine, clock: clock, rounds: 1, step: 0)
            let sent = try await client.call(.get, "/api/v1/orders/COM000001")
            #expect(sent.messages.count == 3 && sent.messages.allSatisfy { $0["status"] as? String == "sent" }, "\(sent.messages)")
            #expect(try await client.call(.get, "/api/v1/orders/COM000001").text == sent.text)
            // One system answers: its message changes, the order does not; the read shows the answer.
            _ = try await app.engine.fulfiller.answer("COM000001/NETWORK", attempt: 1, success: true, error: nil, at: clock.now(),
                                                      context: app.engine.context("provisioning", reason: "provisioning answer"))
            let oneAnswered = try await client.call(.get, "/api/v1/orders/COM000001")
            #expect(oneAnswered.json["version"] as? Int == sent.json["version"] as? Int, "an answer writes its message only")
            #expect(oneAnswered.messages.first { $0["id"] as? String == "COM000001/NETWORK" }?["status"] as? String == "completed")
            clock.set(clock.now().addingTimeInterval(61))
            try await runJobs(app.engine, clock: clock, rounds: 1, step: 0)
            let answered = try await client.call(.get, "/api/v1/orders/COM000001")
            #expect(answered.messages.allSatisfy { $0["status"] as? String == "completed" }, "\(answered.messages)")
            #expect(answered.json["status"] as? String == "completed")
            // Another order's change is not this one's.
            _ = try await client.call(.post, "/api/v1/orders/COM000002/lines", json: #"{"product": "MOBILE-CONTRACT"}"#)
            #expect(try await client.call(.get, "/api/v1/orders/COM000001").text == answered.text)
            // A draft priced from the active catalog: a new version activated with another Fibre 500 price shows at once.
            _ = try await client.call(.post, "/api/v1/orders/COM000002/sessions")
            _ = try await client.call(.post, "/api/v1/sessions/S000002/operations", json: #"{"operations": [{"op": "add", "product": "FIBER-500", "contract": "L1"}]}"#)
            _ = try await client.call(.post, "/api/v1/sessions/S000002/submit")
            let priced = try await client.call(.get, "/api/v1/orders/COM000002")
            #expect(priced.text.contains("39.9") && !priced.text.contains("34.9"))
            #expect(try await client.call(.get, "/api/v1/orders/COM000002").text == priced.text)
            let cheaper = demoYAML(version: "2026.2", effective: "2026-11-01").replacingOccurrences(of: "amount: 39.9", with: "amount: 34.9")
            #expect(try await client.call(.post, "/api/v1/catalog/versions", yaml: cheaper).status == .created)
            #expect(try await client.call(.post, "/api/v1/catalog/versions/2026.2/activate").status == .ok)
            let repriced = try await client.call(.get, "/api/v1/orders/COM000002")
            #expect(repriced.text.contains("34.9") && repriced.json["version"] as? Int == priced.json["version"] as? Int, "the order did not change; its catalog did")
        }
    }
}
