/// R-12.5: Rest Subscription — an Effective or Not Effective subscription In Resting until a
/// day, within the resting rules of its billing term definition in force (at most so many
/// days, so many times a calendar year); its services rest with it. Each remembers the state it
/// left, which the end of the resting restores.
public struct RestSubscription: Hashable, Sendable, Codable {
    public static let behaviourCode = "RESTSUBSCRIPTION"
    public static let allowedStates: Set<LifecycleState> = [.effective, .notEffective]

    public var until: Day

    public init(until: Day) { self.until = until }

    /// Every rule resting `subscription` from `day` until `until` breaks.
    public func validate(_ subscription: Subscription, catalog: Catalog, on day: Day) -> [SubscriptionError] {
        var found: [SubscriptionError] = []
        if !Self.allowedStates.contains(subscription.state) {
            found.append(SubscriptionError(.stateNotAllowed, "subscription \(subscription.id) is \(subscription.state.title); only Effective and Not Effective ones rest",
                                           field: "state"))
        }
        if until <= day { found.append(SubscriptionError(.invalidRestingEnd, "the resting ends on \(until), not after it starts (\(day))", field: "until")) }
        guard let definition = catalog.billingTermSchemes.first(where: { $0.id == subscription.billingTerm.scheme })?.definition(on: day) else {
            return found + [SubscriptionError(.termDefinitionViolated, "billing term scheme \(subscription.billingTerm.scheme) has no definition in force on \(day)",
                                              field: "billingTerm")]
        }
        guard let resting = definition.resting else {
            return found + [SubscriptionError(.termDefinitionViolated, "billing term definition \(definition.id) allows no resting", field: "until")]
        }
        let days = until.daysSinceEpoch - day.daysSinceEpoch
        if days > resting.maxDays {
            found.append(SubscriptionError(.termDefinitionViolated, "a resting of \(days) days; \(definition.id) allows at most \(resting.maxDays)", field: "until"))
        }
        let year = day.components.year
        let times = subscription.lifecycle.history.filter { $0.state == .inResting && $0.on.components.year == year }.count
        if times >= resting.maxTimesPerYear {
            found.append(SubscriptionError(.termDefinitionViolated,
                                           "\(subscription.id) has rested \(times) times in \(year); \(definition.id) allows \(resting.maxTimesPerYear) a year", field: "until"))
        }
        return found
    }

    /// An Effective subscription is one whose play is delivered: resting suspends an active play
    /// (one already suspended stays so).
    public static func suspendsPlay(_ playStatus: InstalledStatus?) -> Bool { playStatus == .active }

    /// The subscription In Resting from `day`, its services that can rest with it.
    public func applied(_ subscription: Subscription, on day: Day) throws(SubscriptionError) -> Subscription {
        var rested = subscription
        let period = LifecyclePeriod(state: .inResting, on: day, billingDirectives: ["no recurring charge until \(until)"], reason: "rest until \(until)")
        try rested.lifecycle.move(period)
        for index in rested.services.indices where SubscriptionLifecycle.transition(.service, from: rested.services[index].lifecycle.state, to: .inResting) != nil {
            try rested.services[index].lifecycle.move(period)
        }
        rested.restingUntil = until
        return rested
    }
}

/// R-12.6 (seed 003): End Subscription Resting — schedulable; only In Resting. Every validation
/// of the seed is a refusal of its own; processing restores the states before resting (Not
/// Effective instead of Effective when the activation conditions fail), starts billing again on
/// the day, and extends the binding end and allowed cancel dates by the days rested when the
/// scheme says so.
public struct EndSubscriptionResting: Hashable, Sendable, Codable {
    public static let behaviourCode = "ENDSUBSCRIPTIONRESTING"
    public static let classificationCode = "ENDSUBSCRIPTIONRESTING"
    public static let schedulable = true
    public static let allowedStates: Set<LifecycleState> = [.inResting]

    public init() {}

    /// The play is resumed only when the resting ends Effective and the play is suspended; one
    /// that comes back Not Effective (activation conditions fail) stays suspended.
    public static func resumesPlay(_ ended: Subscription, playStatus: InstalledStatus?) -> Bool {
        ended.state == .effective && playStatus == .suspended
    }

    public func validate(_ subscription: Subscription, accountActive: Bool, catalog: Catalog, on day: Day) -> [SubscriptionError] {
        var found: [SubscriptionError] = []
        let id = subscription.id, term = subscription.billingTerm
        if !Self.allowedStates.contains(subscription.state) {
            return [SubscriptionError(.stateNotAllowed, "subscription \(id) is \(subscription.state.title), not In Resting", field: "state")]
        }
        if !accountActive { found.append(SubscriptionError(.accountsReceivableInactive, "accounts receivable \(subscription.accountsReceivable) of \(id) is not active")) }
        if !term.effective { found.append(SubscriptionError(.billingTermNotEffective, "\(id) has no effective billing term", field: "billingTerm")) }
        found += subscription.catalogViolations(catalog: catalog, on: day,
                                                becomingEffective: subscription.services.filter { $0.lifecycle.beforeResting == .effective })
        // The resting rules of the billing term definition in force.
        if let definition = catalog.billingTermSchemes.first(where: { $0.id == term.scheme })?.definition(on: day) {
            let rested = day.daysSinceEpoch - subscription.lifecycle.since.daysSinceEpoch
            if let resting = definition.resting, rested > resting.maxDays {
                found.append(SubscriptionError(.termDefinitionViolated, "\(id) has rested \(rested) days; \(definition.id) allows at most \(resting.maxDays)"))
            } else if definition.resting == nil {
                found.append(SubscriptionError(.termDefinitionViolated, "\(definition.id) allows no resting"))
            }
        }
        return found
    }

    /// The subscription out of resting on `day`: what the activation conditions found (empty
    /// when they hold) and the subscription with its and its services' states restored.
    public func applied(_ subscription: Subscription, bills: [Bill], catalog: Catalog, on day: Day) throws(SubscriptionError)
        -> (subscription: Subscription, activationFailures: [String]) {
        let scheme = catalog.billingTermSchemes.first { $0.id == subscription.billingTerm.scheme }
        let failures = subscription.activationFailures(catalog: catalog, bills: bills, on: day)
        var ended = subscription
        let rested = day.daysSinceEpoch - subscription.lifecycle.since.daysSinceEpoch
        func period(_ state: LifecycleState) -> LifecyclePeriod {
            LifecyclePeriod(state: state, on: day, billEffectiveDate: state == .effective ? day : nil, billableStart: state == .effective ? day : nil,
                            billingDirectives: state == .effective ? ["bill from \(day)"] : [],
                            reason: failures.isEmpty ? "resting ended" : "resting ended; activation conditions fail: \(failures.joined(separator: "; "))")
        }
        try ended.lifecycle.move(period(try ended.lifecycle.stateAfterResting(activationHolds: failures.isEmpty)))
        for index in ended.services.indices where ended.services[index].lifecycle.state == .inResting {
            try ended.services[index].lifecycle.move(period(try ended.services[index].lifecycle.stateAfterResting(activationHolds: failures.isEmpty)))
        }
        ended.restingUntil = nil
        if scheme?.restingExtendsBinding == true {
            ended.billingTerm.bindingEnd = ended.billingTerm.bindingEnd?.adding(days: rested)
            ended.billingTerm.allowedCancel = ended.billingTerm.allowedCancel?.adding(days: rested)
        }
        return (ended, failures)
    }
}

extension Subscription {
    /// R-12.5: a resting taken back on `day` because it could not be carried out (its play could
    /// not be suspended): the subscription and its resting services back in the states they
    /// left, billing unchanged; the history keeps both moves.
    public func restingUndone(on day: Day, reason: String) throws(SubscriptionError) -> Subscription {
        var undone = self
        func back(_ lifecycle: inout Lifecycle) throws(SubscriptionError) {
            guard lifecycle.state == .inResting, let before = lifecycle.beforeResting else { return }
            try lifecycle.move(LifecyclePeriod(state: before, on: max(day, lifecycle.since), reason: reason))
        }
        try back(&undone.lifecycle)
        for index in undone.services.indices { try back(&undone.services[index].lifecycle) }
        undone.restingUntil = nil
        return undone
    }

    /// R-12.6: deactivated on `day` — the subscription and its Effective services Not Effective,
    /// no recurring charge from the day (the end of a resting whose play could not be resumed;
    /// the daily run of activation conditions). Nil when nothing is Effective.
    public func deactivated(on day: Day, reason: String) -> Subscription? {
        var next = self
        Self.follow(&next.lifecycle, to: .suspended, on: day, reason: reason)
        for index in next.services.indices where next.services[index].removedOn == nil {
            Self.follow(&next.services[index].lifecycle, to: .suspended, on: day, reason: reason)
        }
        return next == self ? nil : next
    }

    /// It was In Resting once.
    public var hasRested: Bool { lifecycle.history.contains { $0.state == .inResting } }

    /// R-12.6, R-14 (seed 003's batch process): why the daily run keeps this subscription
    /// deactivated on `day` — it came out of resting, is Effective or Not Effective, and fails the
    /// activation conditions in force; nil when the run leaves it alone.
    public func keptDeactivated(catalog: Catalog, bills: [Bill], on day: Day) -> [String]? {
        guard [.effective, .notEffective].contains(state), hasRested else { return nil }
        let failures = activationFailures(catalog: catalog, bills: bills, on: day)
        return failures.isEmpty ? nil : failures
    }

    /// R-12.6, R-14: what the activation conditions of the billing term definition in force on
    /// `day` find against the subscription (`bills`: its accounts receivable's unsettled ones);
    /// empty when they hold or there are none.
    public func activationFailures(catalog: Catalog, bills: [Bill], on day: Day) -> [String] {
        catalog.billingTermSchemes.first { $0.id == billingTerm.scheme }?.definition(on: day)?.activation?.failures(of: self, bills: bills, on: day) ?? []
    }

    /// R-1.10, R-1.11: what the catalog says against the subscription on `day`: its type (the
    /// services, installed items, distributors and billing term scheme it allows), its definition
    /// in force (restrictions and dependencies, per distributor too), its billing term scheme
    /// (frequency, binding period, price plan, and the services in `becomingEffective` supported)
    /// and the scheme's definition in force (frequency and binding period).
    public func catalogViolations(catalog: Catalog, on day: Day, becomingEffective: [SubscriptionService]) -> [SubscriptionError] {
        var found: [SubscriptionError] = []
        let term = billingTerm
        if let allowed = catalog.subscriptionTypes.first(where: { $0.id == type }) {
            for reason in allowed.disallowed(holdings, scheme: term.scheme) { found.append(SubscriptionError(.notAllowedByType, reason, field: "type")) }
        } else {
            found.append(SubscriptionError(.notAllowedByType, "subscription type \(type) of \(id) is not in the catalog", field: "type"))
        }
        if let definition = catalog.subscriptionDefinition(of: type, on: day) {
            for violation in definition.violations(of: holdings) { found.append(SubscriptionError(.definitionViolated, violation.message)) }
        }
        guard let scheme = catalog.billingTermSchemes.first(where: { $0.id == term.scheme }) else {
            return found + [SubscriptionError(.schemeViolated, "billing term scheme \(term.scheme) is not in the catalog", field: "billingTerm")]
        }
        if !scheme.frequencies.contains(term.frequency) {
            found.append(SubscriptionError(.schemeViolated, "\(scheme.id) does not allow billing \(term.frequency.rawValue)", field: "billingTerm"))
        }
        if !scheme.bindingPeriods.contains(term.bindingPeriod) {
            found.append(SubscriptionError(.schemeViolated, "\(scheme.id) does not allow a binding period of \(term.bindingPeriod) months", field: "billingTerm"))
        }
        if !scheme.pricePlans.contains(term.pricePlan) {
            found.append(SubscriptionError(.schemeViolated, "\(scheme.id) does not allow price plan \(term.pricePlan)", field: "billingTerm"))
        }
        for service in becomingEffective where !scheme.services.contains(service.product) {
            found.append(SubscriptionError(.schemeViolated, "\(scheme.id) does not support \(service.product), which would become effective", field: "services"))
        }
        guard let definition = scheme.definition(on: day) else {
            return found + [SubscriptionError(.termDefinitionViolated, "\(scheme.id) has no definition in force on \(day)", field: "billingTerm")]
        }
        if let frequencies = definition.frequencies, !frequencies.contains(term.frequency) {
            found.append(SubscriptionError(.termDefinitionViolated, "\(definition.id) does not allow billing \(term.frequency.rawValue)", field: "billingTerm"))
        }
        if let periods = definition.bindingPeriods, !periods.contains(term.bindingPeriod) {
            found.append(SubscriptionError(.termDefinitionViolated, "\(definition.id) does not allow a binding period of \(term.bindingPeriod) months", field: "billingTerm"))
        }
        return found
    }
}
