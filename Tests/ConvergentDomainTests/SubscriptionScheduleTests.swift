import ConvergentDomain
import Foundation
import Testing

@Suite("R-12.2, R-16.4 scheduling subscription actions, performed dates and pending actions as objects")
struct SubscriptionScheduleTests {
    typealias F = SubscriptionFixtures
    static let now = Day("2026-12-01")!.startDate.addingTimeInterval(36_000)
    static let today = Day("2026-12-01")!
    static let endResting = SubscriptionAction.endResting(EndSubscriptionResting())
    static let move = SubscriptionAction.moveInstalledItems(MoveInstalledItems(items: ["STB-2"], target: "SUB-BEDROOM"))

    func pending(_ schedule: ActionSchedule, action: SubscriptionAction = endResting) throws(SubscriptionError) -> PendingAction {
        try PendingAction(id: "ACT-1", subscription: "SUB-TV", action: action, details: ActionDetails(caller: "agent", today: Self.today),
                          schedule: schedule, now: Self.now)
    }

    @Test("R-12.2: now; on a date later than now (midnight when only a day is given); after a whole number of days above 0 — each other schedule refused with invalid-schedule")
    func schedules() throws {
        #expect(try ActionSchedule.now.runsAt(now: Self.now) == Self.now)
        #expect(try ActionSchedule.onDay(Day("2026-12-05")!).runsAt(now: Self.now) == Day("2026-12-05")!.startDate)
        #expect(try ActionSchedule.on(Self.now.addingTimeInterval(60)).runsAt(now: Self.now) == Self.now.addingTimeInterval(60))
        #expect(try ActionSchedule.afterDays(7).runsAt(now: Self.now) == Self.now.addingTimeInterval(7 * 86_400))
        for bad in [ActionSchedule.onDay(Self.today), .on(Self.now), .on(Self.now.addingTimeInterval(-1)), .afterDays(0), .afterDays(-3)] {
            #expect(throws: SubscriptionError.self) { _ = try bad.runsAt(now: Self.now) }
            do { _ = try bad.runsAt(now: Self.now) } catch { #expect(error.code == .invalidSchedule) }
        }
    }

    @Test("R-12.2, R-12.3: Move Installed Items runs now only; a schedulable action is pending at its date")
    func schedulable() throws {
        #expect(try pending(.now, action: Self.move).status == .pending)
        #expect(throws: SubscriptionError(.notSchedulable, "MOVEINSTITEMTOANOTHERSUBSCRIPTION cannot be scheduled; it runs now", field: "schedule")) {
            _ = try pending(.afterDays(1), action: Self.move)
        }
        #expect(try pending(.afterDays(2), action: .endResting(EndSubscriptionResting())).runsAt == Self.now.addingTimeInterval(2 * 86_400))
        #expect(SubscriptionAction.amendBundleServices(AmendBundleServices(bundle: "F")).schedulable && SubscriptionAction.rest(RestSubscription(until: Self.today)).schedulable)
    }

    @Test("R-12.2: performed by the caller unless said; performed today unless said — never in the future, in the past only for an activation, and never before a service was added as Draft")
    func performed() {
        let details = ActionDetails(caller: "agent", today: Self.today)
        #expect(details.performedBy == "agent" && details.performedOn == Self.today)
        #expect(ActionDetails(actionType: "RETENTION", performedBy: "supervisor", caller: "agent", today: Self.today).performedBy == "supervisor")
        let services = F.tv().services // added as Draft on 2026-01-01
        #expect(details.validate(for: Self.move, services: services, today: Self.today).isEmpty)
        let future = ActionDetails(performedOn: Self.today.adding(days: 1), caller: "agent", today: Self.today)
        #expect(future.validate(for: Self.endResting, services: services, today: Self.today).map(\.code) == [.invalidPerformedDate])
        let past = ActionDetails(performedOn: Day("2026-11-01")!, caller: "agent", today: Self.today)
        #expect(past.validate(for: Self.move, services: services, today: Self.today).map(\.code) == [.invalidPerformedDate])
        #expect(past.validate(for: Self.endResting, services: services, today: Self.today).isEmpty)
        let beforeDraft = ActionDetails(performedOn: Day("2025-12-31")!, caller: "agent", today: Self.today)
        #expect(beforeDraft.validate(for: Self.endResting, services: services, today: Self.today).map(\.message)
            == ["the performed date 2025-12-31 is before S1 was added as Draft (2026-01-01)", "the performed date 2025-12-31 is before S2 was added as Draft (2026-01-01)"])
    }

    @Test("R-16.4: a pending action is withdrawn or rescheduled while pending only; its run's outcome is recorded, done or refused with the reasons")
    func pendingObjects() throws {
        var action = try pending(.afterDays(3))
        try action.reschedule(.onDay(Day("2026-12-10")!), now: Self.now)
        #expect(action.runsAt == Day("2026-12-10")!.startDate)
        #expect(throws: SubscriptionError.self) { try action.reschedule(.afterDays(0), now: Self.now) }
        #expect(action.runsAt == Day("2026-12-10")!.startDate, "a refused reschedule changes nothing")
        try action.withdraw()
        #expect(action.status == .withdrawn)
        #expect(throws: SubscriptionError(.notPending, "action ACT-1 is withdrawn, not pending")) { try action.withdraw() }
        #expect(throws: SubscriptionError(.notPending, "action ACT-1 is withdrawn, not pending")) { try action.reschedule(.afterDays(1), now: Self.now) }

        var refused = try pending(.afterDays(1))
        try refused.ran(refusals: [SubscriptionError(.accountsReceivableInactive, "accounts receivable BA-1 of SUB-TV is not active")], outcome: "ended")
        #expect(refused.status == .refused && refused.outcome == "accounts receivable BA-1 of SUB-TV is not active")
        var done = try pending(.afterDays(1))
        try done.ran(refusals: [], outcome: "resting ended: Effective")
        #expect(done.status == .done && done.outcome == "resting ended: Effective")
        #expect(throws: SubscriptionError.self) { try done.ran(refusals: [], outcome: "again") }
    }

    @Test("R-16.4: a second action that conflicts with a pending one is refused when scheduled — the same bundle amended twice, two ends of resting, an end of resting before the pending resting starts")
    func conflicts() throws {
        let amend = SubscriptionAction.amendBundleServices(AmendBundleServices(bundle: "F", add: ["KIDS-PACK"]))
        let pendingAmend = try pending(.afterDays(5), action: amend)
        #expect(pendingAmend.conflict(with: .amendBundleServices(AmendBundleServices(bundle: "F", remove: ["F.1"])), at: Self.now) != nil)
        #expect(pendingAmend.conflict(with: .amendBundleServices(AmendBundleServices(bundle: "G", add: ["KIDS-PACK"])), at: Self.now) == nil)
        #expect(try pending(.afterDays(5)).conflict(with: Self.endResting, at: Self.now) == "a pending action ACT-1 already ends the resting on \(Self.now.addingTimeInterval(5 * 86_400))")
        let rest = try pending(.afterDays(5), action: .rest(RestSubscription(until: Day("2027-01-10")!)))
        #expect(rest.conflict(with: Self.endResting, at: Self.now) != nil)
        #expect(rest.conflict(with: Self.endResting, at: Self.now.addingTimeInterval(6 * 86_400)) == nil)
        var withdrawn = rest
        try withdrawn.withdraw()
        #expect(withdrawn.conflict(with: Self.endResting, at: Self.now) == nil, "a withdrawn action conflicts with nothing")
    }
}
