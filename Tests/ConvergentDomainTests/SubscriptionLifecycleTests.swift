import ConvergentDomain
import Foundation
import Testing

@Suite("R-12.1 subscription and service life cycles")
struct SubscriptionLifecycleTests {
    /// A life cycle brought to `state` along the table (breadth first from Draft), a day a move.
    static func reach(_ state: LifecycleState, _ scope: SubscriptionLifecycle.Scope) throws -> Lifecycle {
        var paths: [LifecycleState: [LifecycleState]] = [.draft: []]
        var frontier: [LifecycleState] = [.draft]
        while !frontier.isEmpty {
            let next = frontier.removeFirst()
            for t in SubscriptionLifecycle.transitions(of: scope) where t.from == next && paths[t.to] == nil {
                paths[t.to] = paths[next]! + [t.to]
                frontier.append(t.to)
            }
        }
        let path = try #require(paths[state], "\(state) cannot be reached")
        var lifecycle = Lifecycle(scope, draftOn: Day("2026-01-01")!, reason: "created")
        for (i, step) in path.enumerated() {
            try lifecycle.move(LifecyclePeriod(state: step, on: Day("2026-01-01")!.adding(days: i + 1), reason: "step"))
        }
        return lifecycle
    }

    @Test("R-12.1: every state of both tables is reached from Draft; a move is accepted exactly when its table has it, every other refused with lifecycle-transition-not-allowed; nothing leaves Regretted or Cancelled", arguments: SubscriptionLifecycle.Scope.allCases)
    func tables(scope: SubscriptionLifecycle.Scope) throws {
        for from in LifecycleState.allCases {
            for to in LifecycleState.allCases {
                var lifecycle = try Self.reach(from, scope)
                let period = LifecyclePeriod(state: to, on: Day("2026-06-01")!, reason: "test")
                if SubscriptionLifecycle.transition(scope, from: from, to: to) != nil {
                    try lifecycle.move(period)
                    #expect(lifecycle.state == to && lifecycle.history.last == period)
                } else {
                    do {
                        try lifecycle.move(period)
                        Issue.record("\(scope): \(from) → \(to) was accepted")
                    } catch {
                        #expect(error.code == .transitionNotAllowed && error.message.contains(from.title))
                    }
                    #expect(lifecycle.state == from, "a refused move changes nothing")
                }
            }
            if from.isFinal { #expect(SubscriptionLifecycle.transitions(of: scope).allSatisfy { $0.from != from }) }
        }
        #expect(SubscriptionLifecycle.transition(scope, from: .draft, to: .inResting) == nil, "a draft never rests")
    }

    @Test("R-12.5, R-12.6: resting remembers the state it left; its end restores it, or Not Effective when an Effective subscription fails its activation conditions; the dated history keeps every period")
    func resting() throws {
        var lifecycle = Lifecycle(.subscription, draftOn: Day("2026-03-01")!, reason: "ordered")
        try lifecycle.move(LifecyclePeriod(state: .effective, on: Day("2026-03-05")!, billEffectiveDate: Day("2026-03-05"), billableStart: Day("2026-03-05"), reason: "activated"))
        #expect(throws: SubscriptionError(.notResting, "the subscription is Effective, not In Resting", field: "state")) {
            _ = try lifecycle.stateAfterResting(activationHolds: true)
        }
        try lifecycle.move(LifecyclePeriod(state: .inResting, on: Day("2026-06-01")!, billingDirectives: ["no recurring charge while resting"], reason: "rest until 2026-07-31"))
        #expect(lifecycle.beforeResting == .effective)
        #expect(try lifecycle.stateAfterResting(activationHolds: true) == .effective)
        #expect(try lifecycle.stateAfterResting(activationHolds: false) == .notEffective)
        try lifecycle.move(LifecyclePeriod(state: try lifecycle.stateAfterResting(activationHolds: false), on: Day("2026-07-31")!, reason: "resting ended"))
        #expect(lifecycle.state == .notEffective && lifecycle.beforeResting == nil && lifecycle.since == Day("2026-07-31"))
        #expect(lifecycle.history.map(\.state) == [.draft, .effective, .inResting, .notEffective])
        #expect(lifecycle.history[2].billingDirectives == ["no recurring charge while resting"])
        #expect(lifecycle.state(on: Day("2026-06-15")!) == .inResting && lifecycle.state(on: Day("2026-02-01")!) == nil)
        // A Not Effective subscription rests and comes back Not Effective whatever the conditions.
        try lifecycle.move(LifecyclePeriod(state: .inResting, on: Day("2026-08-01")!, reason: "rest"))
        #expect(try lifecycle.stateAfterResting(activationHolds: true) == .notEffective)
        // A change dated before the last one is refused, and changes nothing.
        #expect(throws: SubscriptionError(.backdated, "the change is dated 2026-07-01, before the last one (2026-08-01, In Resting)", field: "on")) {
            try lifecycle.move(LifecyclePeriod(state: .cancelled, on: Day("2026-07-01")!, reason: "late"))
        }
        #expect(lifecycle.state == .inResting)
        // Stored and read back as it was.
        #expect(try JSONDecoder().decode(Lifecycle.self, from: try JSONEncoder().encode(lifecycle)) == lifecycle)
    }

    @Test("R-12.1: docs/subscriptions.md prints both transition tables as the code has them")
    func documented() throws {
        let docs = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/subscriptions.md"), encoding: .utf8)
        for scope in SubscriptionLifecycle.Scope.allCases {
            #expect(docs.contains(SubscriptionLifecycle.markdown(scope)), "the \(scope) table differs; print it with SubscriptionLifecycle.markdown")
        }
    }
}
