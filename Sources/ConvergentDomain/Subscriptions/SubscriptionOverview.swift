import Foundation

/// Every refusal a subscription request met at once (R-12.3–: `validate` returns each
/// rule the request breaks, not only the first).
public struct SubscriptionRefusals: Error, Hashable, Sendable, CustomStringConvertible {
    public var refusals: [SubscriptionError]

    public init(_ refusals: [SubscriptionError]) { self.refusals = refusals }

    public var description: String { refusals.map(\.message).joined(separator: "; ") }
}

/// what an agent sees before performing an action on a subscription:
/// its services, installed items and the unsettled bills of its accounts receivable, and each
/// action offered or not, with why not.
public struct SubscriptionOverview: Hashable, Sendable {
    public struct Availability: Hashable, Sendable {
        public var behaviourCode: String
        public var schedulable: Bool
        /// Nil when the action is offered.
        public var unavailable: SubscriptionError?

        public init(behaviourCode: String, schedulable: Bool, unavailable: SubscriptionError?) {
            self.behaviourCode = behaviourCode
            self.schedulable = schedulable
            self.unavailable = unavailable
        }
    }

    public var subscription: Subscription
    public var unsettledBills: [Bill]
    public var actions: [Availability]

    /// `siblings`: the other subscriptions of its accounts receivable; `bills`: its unsettled bills.
    public init(_ subscription: Subscription, siblings: [Subscription], unsettledBills bills: [Bill], catalog: Catalog, on day: Day) {
        self.subscription = subscription
        unsettledBills = bills.filter { !$0.settled }.sorted { ($0.dueDate, $0.id) < ($1.dueDate, $1.id) }
        let state = subscription.state
        func notIn(_ allowed: Set<LifecycleState>, _ what: String) -> SubscriptionError? {
            allowed.contains(state) ? nil
                : SubscriptionError(.stateNotAllowed, "not offered: subscription \(subscription.id) is \(state.title); \(what)", field: "state")
        }
        let resting: SubscriptionError? = notIn(RestSubscription.allowedStates, "only Effective and Not Effective subscriptions rest") ?? {
            let definition = catalog.billingTermSchemes.first { $0.id == subscription.billingTerm.scheme }?.definition(on: day)
            return definition?.resting == nil
                ? SubscriptionError(.notOffered, "not offered: billing term scheme \(subscription.billingTerm.scheme) allows no resting on \(day)") : nil
        }()
        actions = [
            Availability(behaviourCode: MoveInstalledItems.behaviourCode, schedulable: MoveInstalledItems.schedulable,
                         unavailable: MoveInstalledItems.unavailability(of: subscription, among: siblings + [subscription])),
            Availability(behaviourCode: AmendBundleServices.behaviourCode, schedulable: AmendBundleServices.schedulable,
                         unavailable: notIn(AmendBundleServices.allowedStates, "amending a bundle needs Draft, Effective or Not Effective")
                            ?? AmendBundleServices.unavailability(of: subscription, catalog: catalog)),
            Availability(behaviourCode: RestSubscription.behaviourCode, schedulable: true, unavailable: resting),
            Availability(behaviourCode: EndSubscriptionResting.behaviourCode, schedulable: EndSubscriptionResting.schedulable,
                         unavailable: notIn(EndSubscriptionResting.allowedStates, "only a subscription In Resting ends resting")),
        ]
    }
}
