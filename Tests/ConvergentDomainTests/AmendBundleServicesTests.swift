import ConvergentDomain
import Foundation
import Testing

@Suite("R-12.4 Amend Bundle Services (seed 002): every validation, the preview, the wallet and the processing")
struct AmendBundleServicesTests {
    typealias F = SubscriptionFixtures

    /// Jane's flexible TV bundle (F) with the sports pack (F.1), beside the essentials, an HD box on the TV platform.
    static func flex(state: LifecycleState = .effective, basic: Bool = true, box: Bool = true, sportsOn: [String] = ["TV-PLATFORM"]) -> Subscription {
        var subscription = F.subscription("SUB-FLEX", state: state, services: [("F", "TV-FLEX-OFFER", "TV-PLATFORM")] + (basic ? [("B", "TV-BASIC-PACK", "TV-PLATFORM")] : []),
                                          items: box ? [("STB-1", "STB-HD", ["TV-PLATFORM"])] : [])
        subscription.services.append(SubscriptionService(id: "F.1", product: "SPORTS-PACK", distributors: sportsOn, lifecycle: F.lifecycle(.effective, .service), bundle: "F"))
        subscription.distributors = Array(Set(subscription.distributors + sportsOn)).sorted()
        return subscription
    }

    func codes(_ amend: AmendBundleServices, _ subscription: Subscription = flex(), wallet: Decimal? = nil, scheduled: Day? = nil) -> [SubscriptionErrorCode] {
        amend.validate(subscription, catalog: F.catalog, wallet: wallet, bundleChangeScheduled: scheduled, on: F.day).map(\.code)
    }

    @Test("R-12.4: the movies pack added and the sports pack removed — valid; the preview lists both; the movies pack joins the bundle Effective on its distributor, the sports pack is kept, marked removed")
    func amends() throws {
        let amend = AmendBundleServices(bundle: "F", add: ["MOVIES-PACK"], remove: ["F.1"])
        #expect(codes(amend).isEmpty)
        let preview = amend.preview(Self.flex(), catalog: F.catalog, prepaid: false)
        #expect(preview.added.map(\.product) == ["MOVIES-PACK"] && preview.added.first?.cost == 10 && preview.added.first?.currency == "EUR")
        #expect(preview.removed.map(\.id) == ["F.1"] && preview.walletDebit == nil)
        let after = amend.applied(Self.flex(), catalog: F.catalog, on: F.day)
        let movies = try #require(after.services.first { $0.product == "MOVIES-PACK" })
        #expect(movies.bundle == "F" && movies.distributors == ["TV-PLATFORM"] && movies.lifecycle.state == .effective)
        #expect(movies.lifecycle.history.map(\.state) == [.draft, .effective] && movies.lifecycle.since == F.day)
        #expect(after.services.first { $0.id == "F.1" }?.removedOn == F.day, "kept, marked removed")
        #expect(!after.holdings.contains { $0.product == "SPORTS-PACK" })
        #expect(AmendBundleServices.behaviourCode == "AMENDBUNDLEDSERVICE" && AmendBundleServices.schedulable)
    }

    @Test("R-12.4: a removed component's distributor is dropped when nothing else is distributed on it")
    func dropsDistributor() {
        let subscription = Self.flex(sportsOn: ["LOGISTICS"])
        #expect(subscription.distributors == ["LOGISTICS", "TV-PLATFORM"])
        #expect(AmendBundleServices(bundle: "F", remove: ["F.1"]).applied(subscription, catalog: F.catalog, on: F.day).distributors == ["TV-PLATFORM"])
    }

    @Test("R-12.4 validation: only Draft, Effective and Not Effective subscriptions, whose bundle service is not final", arguments: LifecycleState.allCases)
    func states(state: LifecycleState) {
        let allowed: Set<LifecycleState> = [.draft, .effective, .notEffective]
        #expect(codes(AmendBundleServices(bundle: "F", add: ["KIDS-PACK"]), Self.flex(state: state)) == (allowed.contains(state) ? [] : [.stateNotAllowed]))
    }

    @Test("R-12.4 validation: the bundle service itself in a valid state (not Cancelled)")
    func bundleState() throws {
        var subscription = Self.flex()
        let index = try #require(subscription.services.firstIndex { $0.id == "F" })
        try subscription.services[index].lifecycle.move(LifecyclePeriod(state: .cancelled, on: F.day, reason: "cancelled"))
        #expect(codes(AmendBundleServices(bundle: "F", add: ["KIDS-PACK"]), subscription) == [.stateNotAllowed])
    }

    @Test("R-12.4, R-16.3: offered only for a subscription with a flexible bundle service")
    func availability() {
        #expect(AmendBundleServices.unavailability(of: Self.flex(), catalog: F.catalog) == nil)
        #expect(AmendBundleServices.unavailability(of: F.tv(), catalog: F.catalog)
            == SubscriptionError(.notOffered, "not offered: subscription SUB-TV has no flexible bundle service"))
        #expect(codes(AmendBundleServices(bundle: "S1", add: ["KIDS-PACK"]), F.tv()) == [.notOffered])
    }

    @Test("R-12.4 validation: the bundle's composition holds afterwards — its components only, each within min and max; components removed are the bundle's")
    func composition() {
        #expect(codes(AmendBundleServices(bundle: "F", add: ["SPORTS-PACK"])) == [.bundleCompositionViolated, .definitionViolated],
                "a second sports pack: the bundle's max 1, and the definition's one sports pack per subscription")
        #expect(codes(AmendBundleServices(bundle: "F", add: ["FIBER-500"])) == [.bundleCompositionViolated])
        #expect(codes(AmendBundleServices(bundle: "F", remove: ["B"])) == [.bundleCompositionViolated])
        #expect(codes(AmendBundleServices(bundle: "F")) == [.bundleCompositionViolated])
    }

    @Test("R-12.4 validation: the service dependencies hold afterwards — the Ultra HD pack needs an HD box on its distributor; the sports pack needs the essentials")
    func dependencies() {
        #expect(codes(AmendBundleServices(bundle: "F", add: ["UHD-PACK"])).isEmpty)
        #expect(codes(AmendBundleServices(bundle: "F", add: ["UHD-PACK"]), Self.flex(box: false)) == [.definitionViolated])
        #expect(codes(AmendBundleServices(bundle: "F", add: ["KIDS-PACK"]), Self.flex(basic: false)) == [.definitionViolated],
                "the sports pack already there breaks its dependency")
        #expect(codes(AmendBundleServices(bundle: "F", add: ["KIDS-PACK"], remove: ["F.1"]), Self.flex(basic: false)).isEmpty)
    }

    @Test("R-12.4 validation: the bundle is not scheduled to be removed or swapped")
    func scheduled() {
        #expect(codes(AmendBundleServices(bundle: "F", add: ["KIDS-PACK"]), scheduled: Day("2027-01-01")) == [.bundleScheduledToChange])
    }

    @Test("R-12.4: a prepaid wallet covers activating every added component or the whole action is refused; the preview gives the one debit")
    func wallet() {
        let amend = AmendBundleServices(bundle: "F", add: ["MOVIES-PACK", "KIDS-PACK"])
        #expect(amend.preview(Self.flex(), catalog: F.catalog, prepaid: true).walletDebit == 15)
        #expect(codes(amend, wallet: 15).isEmpty)
        let refused = amend.validate(Self.flex(), catalog: F.catalog, wallet: 14.5, bundleChangeScheduled: nil, on: F.day)
        #expect(refused == [SubscriptionError(.insufficientWallet, "activating the added components costs 15; the wallet holds 14.5", field: "add")])
    }
}
