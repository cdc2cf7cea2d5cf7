import Foundation
import ConvergentDomain
import Testing

func order(_ type: CaptureType = .convergent, related: [String] = []) throws -> Order {
    try Order(id: OrderNumbering.standard.id(for: type, number: 1), captureType: type, orderDate: today,
              header: OrderHeader(soldTo: "CUST-JANE", relatedCustomers: related))
}

@Suite("R-3 orders: capture types, lines, configuration status, state machines")
struct OrderTests {
    @Test("R-3.1: ids are numbered per capture type with configurable prefixes", arguments: [
        (CaptureType.convergent, "CO000042"), (.simple, "COM000042"), (.serviceManagement, "SM000042"), (.quote, "QT000042"),
    ])
    func numbering(type: CaptureType, expected: String) {
        #expect(OrderNumbering.standard.id(for: type, number: 42) == expected)
        var custom = OrderNumbering.standard
        custom.prefixes[type] = "X-"
        custom.digits = 3
        #expect(custom.id(for: type, number: 7) == "X-007")
        #expect(OrderNumbering.standard.sequenceName(for: .simple) != OrderNumbering.standard.sequenceName(for: .convergent))
    }

    @Test("R-3.1: what each capture type may hold")
    func captureTypes() throws {
        var simple = try order(.simple)
        try simple.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        #expect(throws: OrderError.self) { try simple.addLine(product: "HOME-CONTRACT", action: .change, installed: ic("IC-1", "HOME-CONTRACT"), catalog: demoIndex) }

        var sm = try order(.serviceManagement)
        #expect(throws: OrderError.self) { try sm.addLine(product: "HOME-CONTRACT", catalog: demoIndex) } // nothing new
        try sm.addLine(product: "HOME-CONTRACT", action: .change, installed: ic("IC-1", "HOME-CONTRACT"), catalog: demoIndex)
        do {
            try sm.addLine(product: "MOBILE-CONTRACT", action: .disconnect, installed: ic("IC-2", "MOBILE-CONTRACT"), catalog: demoIndex)
            Issue.record("a second installed contract was accepted")
        } catch {
            #expect(error.code == .notAllowedForCaptureType) // exactly one multilevel installed contract
        }

        var convergent = try order(.convergent)
        try convergent.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try convergent.addLine(product: "MOBILE-CONTRACT", action: .change, installed: ic("IC-1", "MOBILE-CONTRACT"), catalog: demoIndex)
        try convergent.addLine(product: "HOME-CONTRACT", action: .suspend, installed: ic("IC-2", "HOME-CONTRACT"), catalog: demoIndex)
        #expect(convergent.lines.map(\.number) == [1, 2, 3])
        #expect(throws: OrderError.self) { try Order(id: "COM1", captureType: .simple, orderDate: today, header: OrderHeader(soldTo: "A", relatedCustomers: ["B"])) }
    }

    @Test("R-3.3: only top-level products start a line")
    func topLevelOnly() throws {
        var o = try order()
        for component: ProductID in ["BB-PLAY", "FIBER-500", "NET-ACCESS"] {
            do {
                try o.addLine(product: component, catalog: demoIndex)
                Issue.record("\(component) started a line")
            } catch {
                #expect(error.code == .notTopLevel)
            }
        }
        #expect(o.lines.isEmpty)
    }

    @Test("R-3.3: with related customers a new contract names its owner, who cannot change afterwards")
    func owners() throws {
        var o = try order(related: ["CUST-ACME"])
        #expect(throws: OrderError.self) { try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex) }
        let line = try o.addLine(product: "HOME-CONTRACT", owner: "CUST-ACME", catalog: demoIndex)
        #expect(line.customer == "CUST-ACME")
        #expect(throws: OrderError.self) { try o.setCustomer("CUST-JANE", ofLine: line.number) }
        #expect(throws: OrderError.self) { try o.addLine(product: "HOME-CONTRACT", owner: "CUST-STRANGER", catalog: demoIndex) }
    }

    /// Each trigger, applied to an order whose lines were validated.
    @Test("R-3.4: every trigger invalidates validated lines", arguments: ["customer", "clone", "remove", "sellingDate"])
    func invalidation(trigger: String) throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.addLine(product: "MOBILE-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(nil, status: .valid, ofLine: 1)
        try o.recordConfiguration(nil, status: .validWithWarning, ofLine: 2)
        #expect(o.configurationStatus == .validWithWarning)
        var relatedOrder = try order(.convergent, related: ["CUST-ACME"])
        switch trigger {
        case "customer":
            try relatedOrder.addLine(product: "HOME-CONTRACT", action: .change, installed: ic("IC-1", "HOME-CONTRACT"), catalog: demoIndex)
            try relatedOrder.recordConfiguration(nil, status: .valid, ofLine: 1)
            try relatedOrder.setCustomer("CUST-ACME", ofLine: 1)
            #expect(relatedOrder.lines[0].configurationStatus == .invalidated)
            return
        case "clone":
            let copy = try o.cloneLine(1)
            #expect(copy.configurationStatus == .invalidated)
            #expect(copy.clonedFrom == 1)
            #expect(copy.product == "HOME-CONTRACT")
        case "remove":
            try o.removeLine(2)
        default:
            try o.setProductSellingDate(Day("2027-01-01"))
        }
        #expect(o.lines.allSatisfy { $0.configurationStatus == .invalidated })
        #expect(o.configurationStatus == .invalidated)
    }

    @Test("R-3.4: a line that was never validated stays Not Validated")
    func notValidatedStays() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.setProductSellingDate(Day("2027-01-01"))
        #expect(o.lines[0].configurationStatus == .notValidated)
    }

    @Test("Order state machine: every pair of statuses follows the transition table")
    func orderTransitions() throws {
        for from in OrderStatus.allCases {
            for to in OrderStatus.allCases {
                let allowed = OrderStatus.transitions[from]!.contains(to)
                do {
                    #expect(try from.transition(to: to) == to)
                    #expect(allowed, "\(from) → \(to) was allowed")
                } catch {
                    #expect(!allowed, "\(from) → \(to) was refused")
                    #expect(error.code == .illegalTransition)
                }
            }
        }
        #expect(OrderStatus.transitions[.completed]!.isEmpty && OrderStatus.transitions[.cancelled]!.isEmpty)
    }

    @Test("Line state machine: every pair of statuses follows the transition table")
    func lineTransitions() {
        for from in LineStatus.allCases {
            for to in LineStatus.allCases {
                #expect(((try? from.transition(to: to)) != nil) == LineStatus.transitions[from]!.contains(to), "\(from) → \(to)")
            }
        }
    }

    @Test("R-11.4: a submitted order can no longer be edited; a queued one can")
    func editing() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.move(to: .queued)
        try o.addLine(product: "MOBILE-CONTRACT", catalog: demoIndex) // maintenance while queued
        try o.move(to: .submitted)
        do {
            try o.removeLine(1)
            Issue.record("a submitted order was changed")
        } catch {
            #expect(error.code == .notEditable)
        }
        #expect(o.lines.count == 2)
    }

    @Test("R-10.1: the trial duration can be raised, never lowered, and is read-only after submission")
    func trial() throws {
        var o = try order(.simple)
        try o.setTrialDays(14)
        try o.setTrialDays(30)
        #expect(throws: OrderError.self) { try o.setTrialDays(7) }
        #expect(o.header.trialDays == 30)
        try o.move(to: .submitted)
        #expect(throws: OrderError.self) { try o.setTrialDays(60) }
    }
}

@Suite("Clock")
struct ClockTests {
    @Test("The test clock runs like the wall clock from its start and only moves forward")
    func testClock() throws {
        let wall = FixedClock(Date(timeIntervalSince1970: 1_000_000))
        let clock = TestClock(start: Day("2026-11-22")!.startDate, wall: { wall.now() })
        #expect(Day(clock.now()) == Day("2026-11-22"))
        wall.set(Date(timeIntervalSince1970: 1_000_000 + 3_600))
        #expect(clock.now() == Day("2026-11-22")!.startDate.addingTimeInterval(3_600))
        try clock.advance(by: 86_400)
        #expect(Day(clock.now()) == Day("2026-11-23"))
        #expect(throws: ClockError.self) { try clock.advance(by: -1) }
        #expect(throws: ClockError.self) { try clock.advance(by: .greatestFiniteMagnitude) }
        #expect(Day(clock.now()) == Day("2026-11-23"))
    }
}

@Suite("R-14 jobs")
struct JobTests {
    @Test("Job state machine: every pair of statuses follows the transition table")
    func transitions() {
        for from in JobStatus.allCases {
            for to in JobStatus.allCases {
                #expect(((try? from.transition(to: to)) != nil) == (JobStatus.transitions[from]?.contains(to) ?? false))
            }
        }
    }

    @Test("R-14: a failing job is retried with exponential backoff, then given up after its last attempt")
    func backoff() throws {
        let t0 = Date(timeIntervalSince1970: 1_790_000_000)
        var job = Job(id: "J1", kind: .releaseQueuedOrder, subject: "CO1", dueAt: t0)
        var dues: [TimeInterval] = []
        for attempt in 1...Job.maxAttempts {
            try job.claim(by: "w", until: t0.addingTimeInterval(300))
            #expect(job.attempts == attempt)
            try job.retry(after: "database unavailable", at: t0)
            if job.status == .pending { dues.append(job.dueAt.timeIntervalSince(t0)) }
        }
        #expect(dues == [60, 120, 240, 480])
        #expect(job.status == .failed)
        #expect(job.outcome == "database unavailable")
        #expect(throws: JobError.self) { try job.finish("late", at: t0) }
        #expect(JobTime.text(t0) == "001790000000000")
    }
}
