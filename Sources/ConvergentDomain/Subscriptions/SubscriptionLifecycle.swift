/// the life cycle states of a subscription and of each of its services (CRM.COM).
public enum LifecycleState: String, Hashable, Sendable, Codable, CaseIterable {
    case draft, effective, notEffective, inResting, regretted, cancelled, shortTermEffective, shortTermNotEffective

    /// As agents read it: "Not Effective", "In Resting", …
    public var title: String {
        switch self {
        case .draft: "Draft"
        case .effective: "Effective"
        case .notEffective: "Not Effective"
        case .inResting: "In Resting"
        case .regretted: "Regretted"
        case .cancelled: "Cancelled"
        case .shortTermEffective: "Short Term Effective"
        case .shortTermNotEffective: "Short Term Not Effective"
        }
    }

    /// Regretted and Cancelled end a life cycle: nothing moves out of them.
    public var isFinal: Bool { self == .regretted || self == .cancelled }
}

/// what moves a subscription, or a service, from one state to another — one table each.
/// A subscription rests as a whole (its services rest with it, remembering their states); a
/// service alone never rests, and comes back from resting with its subscription.
public enum SubscriptionLifecycle {
    public enum Scope: String, Hashable, Sendable, Codable, CaseIterable {
        case subscription, service
    }

    /// One allowed move and the action or event that makes it.
    public struct Transition: Hashable, Sendable {
        public var from: LifecycleState
        public var to: LifecycleState
        public var by: String

        init(_ from: LifecycleState, _ to: LifecycleState, _ by: String) {
            self.from = from
            self.to = to
            self.by = by
        }
    }

    public static let subscription: [Transition] = [
        Transition(.draft, .effective, "activate"),
        Transition(.draft, .shortTermEffective, "activate for a short term"),
        Transition(.draft, .cancelled, "cancel"),
        Transition(.effective, .notEffective, "deactivate, or activation conditions fail"),
        Transition(.effective, .inResting, "Rest Subscription"),
        Transition(.effective, .regretted, "regret (inside the regret period)"),
        Transition(.effective, .cancelled, "cancel"),
        Transition(.notEffective, .effective, "activate"),
        Transition(.notEffective, .inResting, "Rest Subscription"),
        Transition(.notEffective, .cancelled, "cancel"),
        Transition(.inResting, .effective, "End Subscription Resting (it was Effective, activation conditions hold)"),
        Transition(.inResting, .notEffective, "End Subscription Resting (it was Not Effective, or activation conditions fail)"),
        Transition(.inResting, .cancelled, "cancel"),
        Transition(.shortTermEffective, .shortTermNotEffective, "deactivate"),
        Transition(.shortTermEffective, .effective, "activate for good"),
        Transition(.shortTermEffective, .cancelled, "cancel"),
        Transition(.shortTermNotEffective, .shortTermEffective, "activate for a short term"),
        Transition(.shortTermNotEffective, .cancelled, "cancel"),
    ]

    public static let service: [Transition] = [
        Transition(.draft, .effective, "activate"),
        Transition(.draft, .shortTermEffective, "activate for a short term"),
        Transition(.draft, .cancelled, "cancel, or removed from its bundle (Amend Bundle Services)"),
        Transition(.effective, .notEffective, "deactivate"),
        Transition(.effective, .inResting, "its subscription rests"),
        Transition(.effective, .regretted, "regret (inside the regret period)"),
        Transition(.effective, .cancelled, "cancel, or removed from its bundle (Amend Bundle Services)"),
        Transition(.notEffective, .effective, "activate"),
        Transition(.notEffective, .inResting, "its subscription rests"),
        Transition(.notEffective, .cancelled, "cancel, or removed from its bundle (Amend Bundle Services)"),
        Transition(.inResting, .effective, "its subscription's resting ends (it was Effective)"),
        Transition(.inResting, .notEffective, "its subscription's resting ends (it was Not Effective, or activation conditions fail)"),
        Transition(.inResting, .cancelled, "its subscription is cancelled while resting"),
        Transition(.shortTermEffective, .shortTermNotEffective, "deactivate"),
        Transition(.shortTermEffective, .effective, "activate for good"),
        Transition(.shortTermEffective, .cancelled, "cancel"),
        Transition(.shortTermNotEffective, .shortTermEffective, "activate for a short term"),
        Transition(.shortTermNotEffective, .cancelled, "cancel"),
    ]

    public static func transitions(of scope: Scope) -> [Transition] { scope == .subscription ? subscription : service }

    /// The move from `from` to `to`, if the table of `scope` has it.
    public static func transition(_ scope: Scope, from: LifecycleState, to: LifecycleState) -> Transition? {
        transitions(of: scope).first { $0.from == from && $0.to == to }
    }

    /// The table as the docs print it (docs/subscriptions.md; a test keeps them the same).
    public static func markdown(_ scope: Scope) -> String {
        (["| from | to | by |", "|---|---|---|"] + transitions(of: scope).map { "| \($0.from.title) | \($0.to.title) | \($0.by) |" })
            .joined(separator: "\n")
    }
}

/// one period of a subscription's or service's life cycle: the state it entered on a
/// day, with its billing: the bill effective date, the start of the billable period and the
/// billing directives (what billing should do about the period, e.g. "no charge while resting").
public struct LifecyclePeriod: Hashable, Sendable, Codable {
    public var state: LifecycleState
    public var on: Day
    public var billEffectiveDate: Day?
    public var billableStart: Day?
    public var billingDirectives: [String]
    public var reason: String

    public init(state: LifecycleState, on: Day, billEffectiveDate: Day? = nil, billableStart: Day? = nil, billingDirectives: [String] = [],
                reason: String) {
        self.state = state
        self.on = on
        self.billEffectiveDate = billEffectiveDate
        self.billableStart = billableStart
        self.billingDirectives = billingDirectives
        self.reason = reason
    }
}

/// why a life cycle change was refused.
public enum SubscriptionErrorCode: String, RefusalCode {
    /// A move the transition table does not have (nothing leaves Regretted or Cancelled).
    case transitionNotAllowed = "lifecycle-transition-not-allowed"
    /// A change dated before the last one of the history.
    case backdated = "lifecycle-backdated"
    /// Ending a resting of what is not In Resting, or resting what already rests.
    case notResting = "not-in-resting"
    // the actions' refusals, one per validation of the sources.
    /// The action is not offered for this subscription (R-16.3: the reason says why).
    case notOffered = "action-not-offered"
    /// The action is not available in the subscription's life cycle state.
    case stateNotAllowed = "action-not-allowed-in-state"
    /// An installed item named is not on the source subscription.
    case itemNotOnSubscription = "item-not-on-subscription"
    /// Source and target are the same subscription.
    case sameSubscription = "same-subscription"
    /// source and target are owned by different accounts receivable.
    case differentAccountsReceivable = "different-accounts-receivable"
    /// The (target) subscription's accounts receivable is not active.
    case accountsReceivableInactive = "accounts-receivable-inactive"
    /// The (target) subscription has no effective billing term instance.
    case billingTermNotEffective = "billing-term-not-effective"
    /// the source is Effective and its definition's rules would not hold after the removal.
    case sourceDefinitionViolated = "source-definition-violated"
    /// The subscription type does not allow an installed item, a distributor, a service or the scheme.
    case notAllowedByType = "not-allowed-by-subscription-type"
    /// the target is Effective and its definition's installed-item rules would not hold.
    case targetDefinitionViolated = "target-definition-violated"
    /// the subscription breaks its definition's rules.
    case definitionViolated = "subscription-definition-violated"
    /// the billing term has a frequency, binding period or price plan its scheme does not
    /// allow, or a service the scheme does not support.
    case schemeViolated = "billing-term-scheme-violated"
    /// the billing term definition in force allows no resting, a resting this
    /// long or this many times a year, or not the billing term's frequency or binding period.
    case termDefinitionViolated = "billing-term-definition-violated"
    /// a resting that ends on or before the day it starts.
    case invalidRestingEnd = "invalid-resting-end"
    /// the bundle would hold a component it does not have, or fewer or more of one than
    /// its min and max; or a component named is not in the bundle.
    case bundleCompositionViolated = "bundle-composition-violated"
    /// the bundle is scheduled to be removed or swapped.
    case bundleScheduledToChange = "bundle-scheduled-to-change"
    /// the prepaid wallet does not cover activating every added component.
    case insufficientWallet = "insufficient-wallet"
    /// a date not later than now, or a number of days that is not a whole number above 0.
    case invalidSchedule = "invalid-schedule"
    /// the action cannot be scheduled (Move Installed Items runs now only).
    case notSchedulable = "action-not-schedulable"
    /// a performed date in the future, in the past for an action that is not an
    /// activation, or before the service was added as Draft.
    case invalidPerformedDate = "invalid-performed-date"
    /// withdrawing or rescheduling an action that is no longer pending.
    case notPending = "action-not-pending"
    /// an action that conflicts with a pending one (two restings, two ends of resting,
    /// an end of resting before the resting starts), refused when it is scheduled.
    case conflictsWithPending = "conflicts-with-pending-action"
    /// the change order of an earlier action of the subscription (a suspension,
    /// a resumption) is still being fulfilled; resting or ending the resting waits for it.
    case changeInProgress = "change-order-in-progress"
    /// an installed item no migration action of the catalog reparents, or that nothing
    /// installed in the target's play has room for.
    case itemCannotMove = "installed-item-cannot-move"
    /// A subscription made from what is not an installed contract or one of its plays, or from
    /// one that is disconnected.
    case invalidScope = "invalid-subscription-scope"
    /// An accounts receivable that is not one of the customer's billing accounts.
    case accountsReceivableNotOwned = "accounts-receivable-not-owned"
}

public typealias SubscriptionError = Refusal<SubscriptionErrorCode>

/// the life cycle of a subscription or of one service: its state, the dated history of
/// every state it entered (Draft first), and the state it had before resting, which ending the
/// resting restores. Every change goes through the table of its scope.
public struct Lifecycle: Hashable, Sendable, Codable {
    public let scope: SubscriptionLifecycle.Scope
    public private(set) var history: [LifecyclePeriod]
    /// Set while In Resting: the state ending the resting restores.
    public private(set) var beforeResting: LifecycleState?

    /// A new subscription or service: Draft from `day`.
    public init(_ scope: SubscriptionLifecycle.Scope, draftOn day: Day, reason: String) {
        self.scope = scope
        history = [LifecyclePeriod(state: .draft, on: day, reason: reason)]
    }

    public var state: LifecycleState { history.last?.state ?? .draft }
    /// The day the current state was entered.
    public var since: Day { history.last?.on ?? Day(daysSinceEpoch: 0) }

    /// The state on `day` (nil before the first period).
    public func state(on day: Day) -> LifecycleState? {
        history.last { $0.on <= day }?.state
    }

    /// Moves to `period.state` on `period.on`, if the table allows it and the day is not before
    /// the last change. Resting remembers the state it left; ending it clears that.
    public mutating func move(_ period: LifecyclePeriod) throws(SubscriptionError) {
        guard SubscriptionLifecycle.transition(scope, from: state, to: period.state) != nil else {
            throw SubscriptionError(.transitionNotAllowed,
                                    "a \(scope.rawValue) cannot move from \(state.title) to \(period.state.title)"
                                        + (state.isFinal ? " (\(state.title) is final)" : ""), field: "state")
        }
        guard period.on >= since else {
            throw SubscriptionError(.backdated, "the change is dated \(period.on), before the last one (\(since), \(state.title))", field: "on")
        }
        if period.state == .inResting { beforeResting = state }
        if state == .inResting { beforeResting = nil }
        history.append(period)
    }

    /// the state ending the resting restores — the one before it, or Not Effective when
    /// it was Effective and `activationHolds` is false.
    public func stateAfterResting(activationHolds: Bool) throws(SubscriptionError) -> LifecycleState {
        guard state == .inResting, let before = beforeResting else {
            throw SubscriptionError(.notResting, "the \(scope.rawValue) is \(state.title), not In Resting", field: "state")
        }
        return before == .effective && !activationHolds ? .notEffective : before
    }
}
