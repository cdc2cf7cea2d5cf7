import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import Testing

/// Subscriptions of the demo catalog's subscription types, for the actions' rules.
enum SubscriptionFixtures {
    static let catalog = CatalogFiles.validate(DemoCatalog.files).catalog!
    static let day = Day("2026-12-01")!

    /// A life cycle in `state`, reached along its table.
    static func lifecycle(_ state: LifecycleState, _ scope: SubscriptionLifecycle.Scope = .subscription) -> Lifecycle {
        try! SubscriptionLifecycleTests.reach(state, scope)
    }

    static func subscription(_ id: String, type: String = "HOME-TV", account: String = "BA-1", state: LifecycleState = .effective,
                             services: [(String, String, String)] = [], items: [(String, String, [String])] = [],
                             effectiveTerm: Bool = true) -> Subscription {
        let s = services.map { SubscriptionService(id: $0.0, product: ProductID($0.1), distributors: [$0.2], lifecycle: lifecycle(.effective, .service)) }
        let i = items.map { SubscriptionItem(id: $0.0, product: ProductID($0.1), distributors: $0.2) }
        return Subscription(id: id, customer: "CUST-JANE", accountsReceivable: account, type: type,
                            billingTerm: BillingTermInstance(scheme: "HOME-MONTHLY", frequency: .monthly, bindingPeriod: 12, pricePlan: "STANDARD-2026",
                                                             effective: effectiveTerm),
                            lifecycle: lifecycle(state), services: s, items: i,
                            distributors: Array(Set(s.flatMap(\.distributors) + i.flatMap(\.distributors))).sorted())
    }

    /// Jane's TV: essentials and Ultra HD on the TV platform, two HD boxes there.
    static func tv(state: LifecycleState = .effective) -> Subscription {
        subscription("SUB-TV", state: state, services: [("S1", "TV-BASIC-PACK", "TV-PLATFORM"), ("S2", "UHD-PACK", "TV-PLATFORM")],
                     items: [("STB-1", "STB-HD", ["TV-PLATFORM"]), ("STB-2", "STB-HD", ["TV-PLATFORM"])])
    }

    /// Her second TV subscription: essentials only.
    static func bedroom(state: LifecycleState = .effective, boxes: Int = 0, effectiveTerm: Bool = true, account: String = "BA-1") -> Subscription {
        subscription("SUB-BEDROOM", account: account, state: state, services: [("B1", "TV-BASIC-PACK", "TV-PLATFORM")],
                     items: (0..<boxes).map { ("BOX-\($0)", "STB-HD", ["TV-PLATFORM"]) }, effectiveTerm: effectiveTerm)
    }
}

@Suite("R-12.3 Move Installed Items Between Subscriptions (seed 001): every validation, availability and processing")
struct MoveInstalledItemsTests {
    typealias F = SubscriptionFixtures

    func check(_ move: MoveInstalledItems, _ source: Subscription, _ target: Subscription, active: Bool = true) -> [SubscriptionErrorCode] {
        move.validate(source: source, target: target, accountActive: { _ in active }, catalog: F.catalog, on: F.day).map(\.code)
    }

    @Test("R-12.3: one HD box moved to her other TV subscription — valid; the source keeps the other box, the target gains the item on its distributor, the item's history says source → target")
    func moves() {
        let move = MoveInstalledItems(items: ["STB-2"], target: "SUB-BEDROOM")
        #expect(check(move, F.tv(), F.bedroom()).isEmpty)
        let (source, target) = move.applied(source: F.tv(), target: F.bedroom(), on: F.day)
        #expect(source.items.map(\.id) == ["STB-1"] && source.distributors == ["TV-PLATFORM"])
        #expect(target.items.map(\.id) == ["STB-2"] && target.items[0].distributors == ["TV-PLATFORM"])
        #expect(target.items[0].history == [InstalledItemMove(from: "SUB-TV", to: "SUB-BEDROOM", on: F.day)])
        #expect(MoveInstalledItems.behaviourCode == "MOVEINSTITEMTOANOTHERSUBSCRIPTION" && MoveInstalledItems.classificationCode == "MOVEINSTITEM")
        #expect(!MoveInstalledItems.schedulable && !MoveInstalledItems.ratingPreview)
    }

    @Test("R-12.3: distributed on the distributors chosen — the target gains one it lacks; the source drops one left with nothing on it")
    func distributors() {
        let source = F.subscription("SUB-A", services: [("S1", "TV-BASIC-PACK", "TV-PLATFORM")],
                                    items: [("STB-1", "STB-HD", ["TV-PLATFORM"]), ("STB-9", "STB-HD", ["LOGISTICS"])])
        #expect(source.distributors == ["LOGISTICS", "TV-PLATFORM"])
        let move = MoveInstalledItems(items: ["STB-9"], target: "SUB-BEDROOM", distributors: ["STB-9": ["LOGISTICS", "TV-PLATFORM"]])
        #expect(check(move, source, F.bedroom()).isEmpty)
        let (after, target) = move.applied(source: source, target: F.bedroom(), on: F.day)
        #expect(after.distributors == ["TV-PLATFORM"], "nothing is on LOGISTICS any more")
        #expect(target.distributors == ["TV-PLATFORM", "LOGISTICS"] && target.items[0].distributors == ["LOGISTICS", "TV-PLATFORM"])
    }

    @Test("R-12.3 validation: both subscriptions belong to the same accounts receivable")
    func sameAccountsReceivable() {
        #expect(check(MoveInstalledItems(items: ["STB-2"], target: "SUB-BEDROOM"), F.tv(), F.bedroom(account: "BA-2")) == [.differentAccountsReceivable])
    }

    @Test("R-12.3 validation: the target's accounts receivable is active")
    func activeAccountsReceivable() {
        #expect(check(MoveInstalledItems(items: ["STB-2"], target: "SUB-BEDROOM"), F.tv(), F.bedroom(), active: false) == [.accountsReceivableInactive])
    }

    @Test("R-12.3 validation: the target has an effective billing term instance")
    func effectiveBillingTerm() {
        #expect(check(MoveInstalledItems(items: ["STB-2"], target: "SUB-BEDROOM"), F.tv(), F.bedroom(effectiveTerm: false)) == [.billingTermNotEffective])
    }

    @Test("R-12.3 validation: an Effective source keeps its definition's rules after the removal (the Ultra HD pack keeps an HD box on its distributor); a Not Effective one is not checked")
    func sourceDefinition() {
        let both = MoveInstalledItems(items: ["STB-1", "STB-2"], target: "SUB-BEDROOM")
        let refused = both.validate(source: F.tv(), target: F.bedroom(), accountActive: { _ in true }, catalog: F.catalog, on: F.day)
        #expect(refused.map(\.code) == [.sourceDefinitionViolated])
        #expect(refused.first?.message == "without the items, SUB-TV would break: The Ultra HD pack needs an HD set-top box on the same distributor (on TV-PLATFORM)")
        #expect(check(both, F.tv(state: .notEffective), F.bedroom()).isEmpty)
    }

    @Test("R-12.3 validation: the target's type allows the installed item and the distributors it goes on")
    func targetType() {
        let broadband = F.subscription("SUB-BB", type: "HOME-BROADBAND", services: [("F1", "FIBER-500", "NETWORK")])
        let move = MoveInstalledItems(items: ["STB-2"], target: "SUB-BB")
        let refused = move.validate(source: F.tv(), target: broadband, accountActive: { _ in true }, catalog: F.catalog, on: F.day)
        #expect(refused.map(\.code) == [.notAllowedByType, .notAllowedByType])
        #expect(refused.map(\.message) == ["subscription type HOME-BROADBAND does not allow the distributor TV-PLATFORM (STB-HD is on it)",
                                           "subscription type HOME-BROADBAND does not allow the installed item STB-HD"])
        #expect(check(MoveInstalledItems(items: ["STB-2"], target: "SUB-BEDROOM", distributors: ["STB-2": ["NETWORK"]]), F.tv(), F.bedroom())
            == [.notAllowedByType])
    }

    @Test("R-12.3 validation: an Effective target keeps its definition's installed-item rules (at most three boxes); a Not Effective one is not checked")
    func targetDefinition() {
        let move = MoveInstalledItems(items: ["STB-2"], target: "SUB-BEDROOM")
        #expect(check(move, F.tv(), F.bedroom(boxes: 2)).isEmpty)
        #expect(check(move, F.tv(), F.bedroom(boxes: 3)) == [.targetDefinitionViolated])
        #expect(check(move, F.tv(), F.bedroom(state: .notEffective, boxes: 3)).isEmpty)
    }

    @Test("R-12.3: the source may be in any of the eight life cycle states", arguments: LifecycleState.allCases)
    func anyState(state: LifecycleState) {
        #expect(check(MoveInstalledItems(items: ["STB-2"], target: "SUB-BEDROOM"), F.tv(state: state), F.bedroom()).isEmpty)
    }

    @Test("R-12.3, R-16.3: not offered when the accounts receivable has no other subscription, or the source has no installed item — saying which")
    func availability() {
        #expect(MoveInstalledItems.unavailability(of: F.tv(), among: [F.tv(), F.bedroom()]) == nil)
        #expect(MoveInstalledItems.unavailability(of: F.tv(), among: [F.tv(), F.bedroom(account: "BA-2")])
            == SubscriptionError(.notOffered, "not offered: accounts receivable BA-1 has no other subscription"))
        #expect(MoveInstalledItems.unavailability(of: F.bedroom(), among: [F.tv(), F.bedroom()])
            == SubscriptionError(.notOffered, "not offered: subscription SUB-BEDROOM has no installed item"))
    }

    @Test("R-12.3: an item not on the source, or no item, or the source as target, is refused before any rule is judged")
    func badInput() {
        #expect(check(MoveInstalledItems(items: ["STB-7"], target: "SUB-BEDROOM"), F.tv(), F.bedroom()) == [.itemNotOnSubscription])
        #expect(check(MoveInstalledItems(items: [], target: "SUB-BEDROOM"), F.tv(), F.bedroom()) == [.itemNotOnSubscription])
        #expect(check(MoveInstalledItems(items: ["STB-2"], target: "SUB-TV"), F.tv(), F.tv()) == [.sameSubscription])
    }
}
