import ConvergentDomain
import Foundation
import Testing

@Suite("R-7.5 provisioning messages, retries, jeopardy and the simulator (domain)")
struct ProvisioningTests {
    let now = today.startDate.addingTimeInterval(36_000)
    let policy = ProvisioningPolicy(maxAttempts: 3, backoff: 60, answerTimeout: 600)

    /// Jane's home order in fulfillment, with its messages built from its pending installed contract.
    func inFulfillment() throws -> (order: FulfillmentProgress, contract: InstalledContract) {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWithFibreAndBox(), status: .valid, ofLine: 1)
        try o.submit(plan: try plan(o), children: [], pricing: nil, today: today)
        var keys: [String: String] = [:]
        let contract = try #require(Fulfillment.pending(line: o.lines[0], order: o.id, existing: nil, on: today, keys: &keys))
        var progress = FulfillmentProgress(order: o, messages: [])
        try progress.start(messages: Fulfillment.messages(order: o.id, contracts: [contract], catalog: demoIndex), at: now)
        return (progress, contract)
    }

    @Test("R-7.5: one message per provisioning system, with every pending functional component and device of that system")
    func messagesPerSystem() throws {
        let (o, contract) = try inFulfillment()
        let messages = o.messages
        // The TV pack's service is not in this document (a session adds it); the box and the network access are.
        #expect(messages.map(\.system) == ["LOGISTICS", "NETWORK"])
        #expect(messages.map(\.id) == ["\(o.order.id)/LOGISTICS", "\(o.order.id)/NETWORK"])
        #expect(messages.allSatisfy { $0.order == o.order.id } && o.order.status == .inFulfillment && o.order.fulfillment?.startedAt == now)
        let logistics = messages[0].items
        #expect(logistics.map(\.product) == ["STB-HD"] && logistics.allSatisfy { $0.device == true && $0.action == .activate })
        #expect(messages[1].items.map(\.product) == ["NET-ACCESS"])
        #expect(messages.allSatisfy { $0.status == .ready && $0.attempts == 0 })
        // Commercial components (no provisioning system) are in no message.
        let inMessages = Set(messages.flatMap { $0.items.map(\.installedProduct) })
        #expect(inMessages.count == 2 && inMessages.isSubset(of: Set(Set(contract.root.all.map(\.id)))))
    }

    @Test("R-7.5: failures retry with doubling backoff, the last one puts the order in jeopardy; an agent retries with fresh attempts or resumes")
    func retriesAndJeopardy() throws {
        var (o, _) = try inFulfillment()
        let id = "\(o.order.id)/NETWORK"
        for attempt in 1...2 {
            #expect(try o.prepareSend(id, others: [:]) == attempt)
            try o.recordSent(id, attempt: attempt, at: now)
            #expect(try o.recordAnswer(id, attempt: attempt, success: false, error: "busy", answers: [], at: now, policy: policy)
                == .retry(after: attempt == 1 ? 60 : 120))
        }
        #expect(try o.prepareSend(id, others: [:]) == 3)
        try o.recordSent(id, attempt: 3, at: now)
        // No answer in time: the time-out of an older attempt changes nothing; of the last one, it is the last failure.
        #expect(try o.recordTimeout(id, attempt: 2, at: now, policy: policy) == .ignored("attempt 2 of \(id) was answered"))
        #expect(try o.recordTimeout(id, attempt: 3, at: now, policy: policy) == .jeopardy)
        #expect(o.order.fulfillment?.jeopardy?.messages == [id])
        #expect(o.order.fulfillment?.jeopardy?.reason.contains("no answer within 600 s") == true)
        #expect(!o.readyToComplete(others: [:]))
        // A late failure of the failed message changes nothing.
        #expect(try o.recordAnswer(id, attempt: 3, success: false, error: nil, answers: [], at: now, policy: policy)
            == .ignored("message \(id) already failed; an agent retries or resumes it"))

        var retried = o
        #expect(try retried.retryProvisioning(policy: policy) == [id])
        #expect(retried.order.fulfillment?.jeopardy == nil)
        #expect(try retried.prepareSend(id, others: [:]) == 4) // attempt numbers go on
        for attempt in 4...6 {
            try retried.recordSent(id, attempt: attempt, at: now)
            _ = try retried.recordAnswer(id, attempt: attempt, success: false, error: "down", answers: [], at: now, policy: policy)
        }
        #expect(retried.order.fulfillment?.jeopardy != nil) // three more attempts, then jeopardy again

        var resumed = o
        #expect(try resumed.resumeProvisioning(by: "agent", at: now) == [id])
        let message = try resumed.message(id)
        #expect(message.status == .completed && message.resumedBy == "agent")
        #expect(throws: ProvisioningError.self) { try resumed.resumeProvisioning(by: "agent", at: now) } // not in jeopardy any more
    }

    @Test("R-7.5: duplicate and out-of-order answers change nothing twice; an attempt never sent is refused")
    func duplicatesAndOrder() throws {
        var (o, _) = try inFulfillment()
        let id = "\(o.order.id)/LOGISTICS"
        _ = try o.prepareSend(id, others: [:])
        try o.recordSent(id, attempt: 1, at: now)
        #expect(throws: ProvisioningError.self) { try o.recordAnswer(id, attempt: 5, success: true, error: nil, answers: [], at: now, policy: policy) }
        #expect(throws: ProvisioningError.self) { try o.recordAnswer("\(o.order.id)/BILLING", attempt: 1, success: true, error: nil, answers: [], at: now, policy: policy) }
        _ = try o.recordAnswer(id, attempt: 1, success: false, error: "x", answers: [], at: now, policy: policy)
        _ = try o.prepareSend(id, others: [:])
        try o.recordSent(id, attempt: 2, at: now)
        // The failure of attempt 1 again (out of order): ignored. The success of attempt 1 arriving late: the work is done.
        #expect(try o.recordAnswer(id, attempt: 1, success: false, error: "x", answers: [], at: now, policy: policy)
            == .ignored("a failure of attempt 1, message \(id) is at attempt 2"))
        #expect(try o.recordAnswer(id, attempt: 1, success: true, error: nil, answers: [], at: now, policy: policy) == .completed)
        let once = o
        #expect(try o.recordAnswer(id, attempt: 2, success: true, error: nil, answers: [], at: now, policy: policy)
            == .ignored("message \(id) was already completed"))
        #expect(o == once)
    }

    @Test("R-7.5: the simulator is deterministic under its seed and fails about as often as asked")
    func simulator() {
        let simulator = ProvisioningSimulator(delay: 2, failureRate: 0.3, timeoutRate: 0.1, seed: 7)
        var counts: [String: Int] = [:]
        for i in 0..<2_000 {
            let answer = simulator.answer(message: "COM\(i)/NETWORK", attempt: 1)
            #expect(answer == simulator.answer(message: "COM\(i)/NETWORK", attempt: 1))
            switch answer {
            case .succeeds(after: 2): counts["ok", default: 0] += 1
            case .fails(after: 2): counts["failed", default: 0] += 1
            case .silent: counts["silent", default: 0] += 1
            default: Issue.record("unexpected \(answer)")
            }
        }
        #expect((500...700).contains(counts["failed"] ?? 0))
        #expect((140...260).contains(counts["silent"] ?? 0))
        let other = ProvisioningSimulator(delay: 2, failureRate: 0.3, timeoutRate: 0.1, seed: 8)
        #expect((0..<50).contains { simulator.answer(message: "M\($0)", attempt: 1) != other.answer(message: "M\($0)", attempt: 1) })
        #expect(ProvisioningSimulator().answer(message: "any", attempt: 1) == .succeeds(after: 0))
    }

    @Test("R-7.4: an order's steps wait for milestones of other orders; a migration is three waits")
    func waits() throws {
        var (target, _) = try inFulfillment()
        let (source, target2) = FulfillmentWait.migration(source: "S", target: target.order.id)
        #expect(source == [FulfillmentWait(step: .send, order: target.order.id, milestone: .answered)])
        #expect(target2.map(\.step) == [.start, .complete])
        target.order.addFulfillmentWaits(target2.map { FulfillmentWait(step: $0.step, order: "S", milestone: $0.milestone) }, waitedOnBy: ["S"])
        var s = try order(.simple)
        s.id = "S"
        #expect(target.unmetWaits(for: .complete, others: ["S": FulfillmentProgress(order: s, messages: [])]).count == 1)
        #expect(target.unmetWaits(for: .send, others: ["S": FulfillmentProgress(order: s, messages: [])]).isEmpty)
        #expect(target.order.fulfillment?.waitedOnBy == ["S"])
        // S's messages answered: the milestone is reached once S started and every one of them is completed.
        var started = try inFulfillment().order
        started.order.id = "S"
        #expect(target.unmetWaits(for: .complete, others: ["S": started]).count == 1)
        for m in started.messages {
            _ = try started.prepareSend(m.id, others: [:])
            try started.recordSent(m.id, attempt: 1, at: now)
            #expect(target.unmetWaits(for: .complete, others: ["S": started]).count == 1 || m.id == started.messages.last?.id)
            _ = try started.recordAnswer(m.id, attempt: 1, success: true, error: nil, answers: [], at: now, policy: policy)
        }
        #expect(started.reached(.sent) && started.reached(.answered))
        #expect(target.unmetWaits(for: .complete, others: ["S": started]).isEmpty)
    }

    @Test("R-7.3: an owner or billing account given to an installed product goes down to all its descendants")
    func reassign() throws {
        var keys: [String: String] = [:]
        var s = try order(.simple)
        try s.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try s.recordConfiguration(homeWithFibreAndBox(), status: .valid, ofLine: 1)
        var contract = Fulfillment.provisioned(try #require(Fulfillment.pending(line: s.lines[0], order: "COM1", existing: nil, on: today, keys: &keys)),
                                               on: today, billingAccount: "BA-JANE")
        let tv = try #require(keys["tv"])
        try contract.reassign(tv, owner: "CUST-ACME", billingAccount: "BA-ACME")
        for id in Set(contract.root.all.map(\.id)) {
            let component = try #require(contract.product(id)?.component)
            let expected = try isBelow(id, tv, in: contract) ? ("CUST-ACME", "BA-ACME") : ("CUST-JANE", "BA-JANE")
            #expect(component.owner == expected.0 && component.billingAccount == expected.1, "\(id)")
        }
        #expect(throws: OrderError.self) { try contract.reassign("IC-NOPE.1", owner: "X", billingAccount: nil) }
    }

    func isBelow(_ id: String, _ ancestor: String, in contract: InstalledContract) throws -> Bool {
        var current: String? = id
        while let c = current {
            if c == ancestor { return true }
            current = contract.product(c)?.parent
        }
        return false
    }
}
