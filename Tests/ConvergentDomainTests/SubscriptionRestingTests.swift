import ConvergentDomain
import Foundation
import Testing

@Suite("R-12.5, R-12.6 Rest Subscription and End Subscription Resting (seed 003): every validation and the processing")
struct SubscriptionRestingTests {
    typealias F = SubscriptionFixtures
    static let start = Day("2026-06-01")!

    /// Jane's TV subscription, bound until 2027-06-01 (cancellable from 2027-05-01), rested from 1 June until `until`.
    static func resting(_ source: Subscription = F.tv(), until: Day = Day("2026-07-01")!) throws -> Subscription {
        var subscription = source
        subscription.billingTerm.bindingEnd = Day("2027-06-01")
        subscription.billingTerm.allowedCancel = Day("2027-05-01")
        #expect(RestSubscription(until: until).validate(subscription, catalog: F.catalog, on: start).isEmpty)
        return try RestSubscription(until: until).applied(subscription, on: start)
    }

    func codes(_ subscription: Subscription, rest until: Day, on day: Day = start, catalog: Catalog = F.catalog) -> [SubscriptionErrorCode] {
        RestSubscription(until: until).validate(subscription, catalog: catalog, on: day).map(\.code)
    }

    func codes(ending subscription: Subscription, active: Bool = true, on day: Day = Day("2026-07-01")!, catalog: Catalog = F.catalog) -> [SubscriptionErrorCode] {
        EndSubscriptionResting().validate(subscription, accountActive: active, catalog: catalog, on: day).map(\.code)
    }

    @Test("R-12.5: an Effective subscription rests until a day — it and its services In Resting, remembering Effective, the end day kept")
    func rests() throws {
        let rested = try Self.resting()
        #expect(rested.state == .inResting && rested.lifecycle.beforeResting == .effective && rested.restingUntil == Day("2026-07-01"))
        #expect(rested.services.allSatisfy { $0.lifecycle.state == .inResting && $0.lifecycle.beforeResting == .effective })
        #expect(rested.lifecycle.history.last?.billingDirectives == ["no recurring charge until 2026-07-01"])
    }

    @Test("R-12.5 validation: only Effective and Not Effective subscriptions rest, until a later day")
    func restStates() {
        #expect(codes(F.tv(state: .draft), rest: Day("2026-07-01")!) == [.stateNotAllowed])
        #expect(codes(F.tv(state: .notEffective), rest: Day("2026-07-01")!).isEmpty)
        #expect(codes(F.tv(), rest: Self.start) == [.invalidRestingEnd])
    }

    @Test("R-12.5 validation: within the resting rules of the billing term definition — none under the annual scheme, at most 60 days, at most twice a calendar year")
    func restingRules() throws {
        var annual = F.tv()
        annual.billingTerm.scheme = "HOME-ANNUAL"
        #expect(codes(annual, rest: Day("2026-07-01")!) == [.termDefinitionViolated])
        #expect(codes(F.tv(), rest: Self.start.adding(days: 60)).isEmpty)
        #expect(codes(F.tv(), rest: Self.start.adding(days: 61)) == [.termDefinitionViolated])
        // Twice in 2026, then a third time refused; in 2027 again allowed.
        var twice = try Self.resting()
        for (from, to) in [("2026-07-01", "2026-08-01"), ("2026-08-01", "2026-09-01")] {
            if twice.state == .inResting {
                twice = try EndSubscriptionResting().applied(twice, bills: [], catalog: F.catalog, on: Day(from)!).subscription
            } else {
                twice = try RestSubscription(until: Day(to)!).applied(twice, on: Day(from)!)
            }
        }
        twice = try EndSubscriptionResting().applied(twice, bills: [], catalog: F.catalog, on: Day("2026-09-01")!).subscription
        #expect(twice.lifecycle.history.filter { $0.state == .inResting }.count == 2)
        #expect(codes(twice, rest: Day("2026-10-01")!, on: Day("2026-09-15")!) == [.termDefinitionViolated])
        #expect(codes(twice, rest: Day("2027-01-20")!, on: Day("2027-01-05")!).isEmpty)
    }

    @Test("R-12.6: ending the resting restores Effective for it and its services, bills from the day, and extends binding end and allowed cancel date by the 30 days rested")
    func ends() throws {
        let ended = try EndSubscriptionResting().applied(try Self.resting(), bills: [], catalog: F.catalog, on: Day("2026-07-01")!)
        #expect(ended.activationFailures.isEmpty)
        #expect(ended.subscription.state == .effective && ended.subscription.restingUntil == nil)
        #expect(ended.subscription.services.allSatisfy { $0.lifecycle.state == .effective })
        let last = try #require(ended.subscription.lifecycle.history.last)
        #expect(last.billEffectiveDate == Day("2026-07-01") && last.billableStart == Day("2026-07-01"))
        #expect(ended.subscription.billingTerm.bindingEnd == Day("2027-07-01") && ended.subscription.billingTerm.allowedCancel == Day("2027-05-31"))
        #expect(EndSubscriptionResting.behaviourCode == "ENDSUBSCRIPTIONRESTING" && EndSubscriptionResting.schedulable)
    }

    @Test("R-12.6: activation conditions that fail — a bill unsettled 40 days, a distributor without an installed item — bring it back Not Effective, services too, saying why; a Not Effective one comes back Not Effective")
    func activationConditions() throws {
        let overdue = Bill(id: "BILL-7", accountsReceivable: "BA-1", amount: 30, currency: "EUR", dueDate: Day("2026-05-22")!)
        let ended = try EndSubscriptionResting().applied(try Self.resting(), bills: [overdue], catalog: F.catalog, on: Day("2026-07-01")!)
        #expect(ended.subscription.state == .notEffective && ended.subscription.services.allSatisfy { $0.lifecycle.state == .notEffective })
        #expect(ended.activationFailures == ["bill BILL-7 is unsettled 40 days after its due date (at most 30)"])
        var settled = overdue
        settled.settled = true
        #expect(try EndSubscriptionResting().applied(try Self.resting(), bills: [settled], catalog: F.catalog, on: Day("2026-07-01")!).subscription.state == .effective)
        let boxless = F.subscription("SUB-X", services: [("S1", "TV-BASIC-PACK", "TV-PLATFORM")])
        let without = try EndSubscriptionResting().applied(try Self.resting(boxless), bills: [], catalog: F.catalog, on: Day("2026-07-01")!)
        #expect(without.activationFailures == ["no installed item on distributor TV-PLATFORM"] && without.subscription.state == .notEffective)
        let wasNot = try EndSubscriptionResting().applied(try Self.resting(F.tv(state: .notEffective)), bills: [], catalog: F.catalog, on: Day("2026-07-01")!)
        #expect(wasNot.subscription.state == .notEffective)
    }

    @Test("R-12.6 validation: only In Resting; the accounts receivable active; the billing term effective")
    func endBasics() throws {
        #expect(codes(ending: F.tv()) == [.stateNotAllowed])
        #expect(codes(ending: try Self.resting()).isEmpty)
        #expect(codes(ending: try Self.resting(), active: false) == [.accountsReceivableInactive])
        var ineffective = try Self.resting()
        ineffective.billingTerm.effective = false
        #expect(codes(ending: ineffective) == [.billingTermNotEffective])
    }

    @Test("R-12.6 validation: the type's rules — services, installed items, distributors and billing term scheme allowed")
    func endType() throws {
        var other = try Self.resting()
        other.services.append(SubscriptionService(id: "S9", product: "FIBER-500", distributors: ["NETWORK"], lifecycle: F.lifecycle(.inResting, .service)))
        #expect(Set(codes(ending: other)) == [.notAllowedByType])
        var scheme = try Self.resting()
        scheme.billingTerm.scheme = "HOME-ANNUAL"
        #expect(codes(ending: scheme).contains(.notAllowedByType))
    }

    @Test("R-12.6 validation: the definition's rules — the Ultra HD pack without an HD box on its distributor")
    func endDefinition() throws {
        var boxes = F.tv()
        boxes.items = []
        #expect(codes(ending: try Self.resting(boxes)) == [.definitionViolated])
    }

    @Test("R-12.6 validation: the scheme's rules — frequency, binding period, price plan, and the services that become effective supported")
    func endScheme() throws {
        for change in [{ (s: inout Subscription) in s.billingTerm.frequency = .annual }, { s in s.billingTerm.bindingPeriod = 36 }, { s in s.billingTerm.pricePlan = "PROMO" }] {
            var subscription = try Self.resting()
            change(&subscription)
            #expect(codes(ending: subscription) == [.schemeViolated])
        }
        var catalog = F.catalog
        catalog.billingTermSchemes[0].services.removeAll { $0 == "UHD-PACK" }
        #expect(codes(ending: try Self.resting(), catalog: catalog) == [.schemeViolated])
    }

    @Test("R-12.6 validation: the billing term definition's rules — resting no longer than allowed, its frequency and binding period")
    func endTermDefinition() throws {
        #expect(codes(ending: try Self.resting(), on: Self.start.adding(days: 61)) == [.termDefinitionViolated])
        var catalog = F.catalog
        catalog.billingTermSchemes[0].definitions[0].frequencies = [.quarterly]
        #expect(codes(ending: try Self.resting(), catalog: catalog) == [.termDefinitionViolated])
        catalog.billingTermSchemes[0].definitions[0].frequencies = nil
        catalog.billingTermSchemes[0].definitions[0].bindingPeriods = [24]
        #expect(codes(ending: try Self.resting(), catalog: catalog) == [.termDefinitionViolated])
    }
}

@Suite("R-12.5, R-12.6, R-14 what carrying out a resting decides")
struct RestingCarriedOutTests {
    typealias F = SubscriptionFixtures

    @Test("R-12.5, R-12.6: resting suspends an active play only; ending it resumes a suspended play only when it comes back Effective")
    func playFollows() throws {
        #expect(RestSubscription.suspendsPlay(.active) && !RestSubscription.suspendsPlay(.suspended) && !RestSubscription.suspendsPlay(nil))
        #expect(EndSubscriptionResting.resumesPlay(F.tv(), playStatus: .suspended))
        #expect(!EndSubscriptionResting.resumesPlay(F.tv(state: .notEffective), playStatus: .suspended) && !EndSubscriptionResting.resumesPlay(F.tv(), playStatus: .active))
    }

    @Test("R-12.5, R-12.6: resting and ending it wait for a change order still on its way (change-order-in-progress); moving items and amending a bundle do not")
    func waiting() throws {
        let rest = try PendingAction(id: "SA1", subscription: "SUB-TV", action: .rest(RestSubscription(until: F.day.adding(days: 5))),
                                     details: ActionDetails(caller: "agent", today: F.day), schedule: .now, now: F.day.startDate)
        let open = [(order: "SM1", action: rest)]
        #expect(SubscriptionAction.endResting(EndSubscriptionResting()).waiting(for: open).map(\.code) == [.changeInProgress])
        #expect(SubscriptionAction.rest(RestSubscription(until: F.day.adding(days: 9))).waiting(for: open).map(\.code) == [.changeInProgress])
        #expect(SubscriptionAction.amendBundleServices(AmendBundleServices(bundle: "F", add: [], remove: [])).waiting(for: open).isEmpty)
        #expect(SubscriptionAction.endResting(EndSubscriptionResting()).waiting(for: []).isEmpty)
        // Its automatic end: the system's, at midnight of the end day; agents neither withdraw nor move it.
        let end = try PendingAction.automaticEnd(of: rest, until: F.day.adding(days: 5))
        #expect(end.id == "SA1-END" && end.automatic == true && end.details.performedBy == "system" && end.runsAt == F.day.adding(days: 5).startDate)
        #expect(throws: SubscriptionError.self) { try end.requireAgentsOwn() }
        #expect(throws: Never.self) { try rest.requireAgentsOwn() }
    }

    @Test("R-12.6, R-14: the daily run keeps deactivated only subscriptions that came out of resting and fail their activation conditions")
    func keptDeactivated() throws {
        let old = Bill(id: "B1", accountsReceivable: "BA-1", amount: 20, currency: "EUR", dueDate: F.day.adding(days: -40), settled: false)
        let never = F.tv()
        #expect(never.keptDeactivated(catalog: F.catalog, bills: [old], on: F.day) == nil, "never rested")
        var rested = try RestSubscription(until: F.day.adding(days: 2)).applied(F.tv(), on: F.day.adding(days: -10))
        rested = try EndSubscriptionResting().applied(rested, bills: [], catalog: F.catalog, on: F.day.adding(days: -5)).subscription
        #expect(rested.hasRested && rested.state == .effective)
        #expect(rested.keptDeactivated(catalog: F.catalog, bills: [], on: F.day) == nil, "its conditions hold")
        #expect(rested.keptDeactivated(catalog: F.catalog, bills: [old], on: F.day)?.first?.contains("B1") == true)
        let deactivated = try #require(rested.deactivated(on: F.day, reason: "daily run"))
        #expect(deactivated.state == .notEffective && deactivated.services.allSatisfy { $0.lifecycle.state == .notEffective })
        #expect(deactivated.deactivated(on: F.day, reason: "again") == nil, "nothing Effective left")
    }
}
