import Foundation

/// the subscription actions, as one value a request, a pending action or a job carries.
public enum SubscriptionAction: Hashable, Sendable, Codable {
    case moveInstalledItems(MoveInstalledItems)
    case amendBundleServices(AmendBundleServices)
    case rest(RestSubscription)
    case endResting(EndSubscriptionResting)

    public var behaviourCode: String {
        switch self {
        case .moveInstalledItems: MoveInstalledItems.behaviourCode
        case .amendBundleServices: AmendBundleServices.behaviourCode
        case .rest: RestSubscription.behaviourCode
        case .endResting: EndSubscriptionResting.behaviourCode
        }
    }

    public var schedulable: Bool {
        switch self {
        case .moveInstalledItems: MoveInstalledItems.schedulable
        case .amendBundleServices: AmendBundleServices.schedulable
        case .rest: true
        case .endResting: EndSubscriptionResting.schedulable
        }
    }

    /// resting and ending it decide from the play's installed status now, which a
    /// suspension or resumption still on its way (`open`: each order with the action it carries)
    /// would undo: they wait for it (`change-order-in-progress`). Other actions do not.
    public func waiting(for open: [(order: String, action: PendingAction)]) -> [SubscriptionError] {
        switch self {
        case .rest, .endResting:
            open.map { SubscriptionError(.changeInProgress, "order \($0.order) of \($0.action.id) (\($0.action.action.behaviourCode)) is still being fulfilled; try again once it completes") }
        case .amendBundleServices, .moveInstalledItems:
            []
        }
    }

    /// Whether it activates services (their billing may start on a performed date in the past):
    /// ending a resting does.
    public var activates: Bool {
        if case .endResting = self { return true }
        return false
    }
}

/// when an action runs — now, on a date (later than now; at midnight when no time is
/// given), or after a number of days (a whole number above 0).
public enum ActionSchedule: Hashable, Sendable, Codable {
    case now
    case on(Date)
    case onDay(Day)
    case afterDays(Int)

    /// The moment it runs, asked at `now`; refused when the date is not later than now or the days not above 0.
    public func runsAt(now: Date) throws(SubscriptionError) -> Date {
        switch self {
        case .now:
            return now
        case let .on(date):
            guard date > now else { throw SubscriptionError(.invalidSchedule, "the date must be later than now (\(now))", field: "schedule.on") }
            return date
        case let .onDay(day):
            let midnight = day.startDate
            guard midnight > now else { throw SubscriptionError(.invalidSchedule, "\(day) at midnight is not later than now (\(now))", field: "schedule.on") }
            return midnight
        case let .afterDays(days):
            guard days > 0 else { throw SubscriptionError(.invalidSchedule, "the number of days must be a whole number above 0, not \(days)", field: "schedule.afterDays") }
            return now.addingTimeInterval(Double(days) * 86_400)
        }
    }
}

/// what every action carries besides its own inputs: its classification, the optional
/// configured action type and sub-type, who performed it (the caller unless said) and when.
public struct ActionDetails: Hashable, Sendable, Codable {
    public var classificationCode: String?
    public var actionType: String?
    public var subActionType: String?
    public var performedBy: String
    public var performedOn: Day

    public init(classificationCode: String? = nil, actionType: String? = nil, subActionType: String? = nil, performedBy: String? = nil,
                performedOn: Day? = nil, caller: String, today: Day) {
        self.classificationCode = classificationCode
        self.actionType = actionType
        self.subActionType = subActionType
        self.performedBy = performedBy ?? caller
        self.performedOn = performedOn ?? today
    }

    /// the performed date is never in the future; it lies in the past only for an action
    /// that activates services, and then never before any of `services` was added as Draft.
    public func validate(for action: SubscriptionAction, services: [SubscriptionService], today: Day) -> [SubscriptionError] {
        if performedOn > today {
            return [SubscriptionError(.invalidPerformedDate, "the performed date \(performedOn) is after today (\(today))", field: "performedOn")]
        }
        guard performedOn < today else { return [] }
        guard action.activates else {
            return [SubscriptionError(.invalidPerformedDate, "only an activation may be performed in the past (\(performedOn))", field: "performedOn")]
        }
        return services.compactMap { service in
            guard let added = service.lifecycle.history.first?.on, performedOn < added else { return nil }
            return SubscriptionError(.invalidPerformedDate, "the performed date \(performedOn) is before \(service.id) was added as Draft (\(added))", field: "performedOn")
        }
    }
}

/// a scheduled action as an object: listed with its date, withdrawable and reschedulable
/// while pending; validated when scheduled and again when it runs, the outcome recorded either way.
public struct PendingAction: Hashable, Sendable, Codable, Identifiable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case pending, withdrawn, done, refused
    }

    public var id: String
    public var subscription: String
    /// The subscription's customer, to list a customer's pending actions.
    public var customer: String?
    public var action: SubscriptionAction
    public var details: ActionDetails
    public var runsAt: Date
    public var status: Status
    /// Why it was refused when it ran, or what it did.
    public var outcome: String?
    /// The order that carries it through fulfillment, once it has one.
    public var order: String?
    /// What it debited from the prepaid wallet, once.
    public var walletDebit: Decimal?
    /// When its carrying out began (its record written, its order not yet submitted): while
    /// set and pending it can be neither withdrawn nor rescheduled, and its recovery job
    /// finishes it — done when its order was submitted, otherwise refused and taken back.
    public var startedAt: Date?
    /// made by the system, not an agent — the end of a resting at its end date. Ending
    /// the resting otherwise withdraws it; another end of resting does not conflict with it.
    public var automatic: Bool?

    /// An action scheduled at `now`: refused when it cannot be scheduled, or for its schedule.
    public init(id: String, subscription: String, action: SubscriptionAction, details: ActionDetails, schedule: ActionSchedule,
                now: Date) throws(SubscriptionError) {
        if schedule != .now, !action.schedulable {
            throw SubscriptionError(.notSchedulable, "\(action.behaviourCode) cannot be scheduled; it runs now", field: "schedule")
        }
        self.id = id
        self.subscription = subscription
        self.action = action
        self.details = details
        runsAt = try schedule.runsAt(now: now)
        status = .pending
    }

    public mutating func withdraw() throws(SubscriptionError) {
        try requireWaiting()
        status = .withdrawn
    }

    public mutating func reschedule(_ schedule: ActionSchedule, now: Date) throws(SubscriptionError) {
        try requireWaiting()
        runsAt = try schedule.runsAt(now: now)
    }

    /// the automatic end of a resting is the resting's own: an agent ends the resting
    /// (End Subscription Resting), never withdraws or moves its end.
    public func requireAgentsOwn() throws(SubscriptionError) {
        if automatic == true {
            throw SubscriptionError(.notOffered, "\(id) is the automatic end of a resting; end the resting instead (\(EndSubscriptionResting.behaviourCode))")
        }
    }

    /// the end of the resting `rest` started, made by the system to run at midnight of
    /// its end date (its id: the resting's with `-END`).
    public static func automaticEnd(of rest: PendingAction, until: Day) throws(SubscriptionError) -> PendingAction {
        let details = ActionDetails(classificationCode: EndSubscriptionResting.classificationCode, performedBy: "system", performedOn: until,
                                    caller: "system", today: until)
        var end = try PendingAction(id: automaticEndID(of: rest.id), subscription: rest.subscription, action: .endResting(EndSubscriptionResting()),
                                    details: details, schedule: .onDay(until), now: rest.runsAt)
        end.customer = rest.customer
        end.automatic = true
        return end
    }

    public static func automaticEndID(of rest: String) -> String { "\(rest)-END" }

    /// Pending and not yet being carried out.
    func requireWaiting() throws(SubscriptionError) {
        guard status == .pending else { throw SubscriptionError(.notPending, "action \(id) is \(status.rawValue), not pending") }
        if let startedAt { throw SubscriptionError(.notPending, "action \(id) is being carried out since \(startedAt)") }
    }

    /// The outcome of running it: done, or refused with the reasons its validation gave then.
    public mutating func ran(refusals: [SubscriptionError], outcome: String) throws(SubscriptionError) {
        guard status == .pending else { throw SubscriptionError(.notPending, "action \(id) is \(status.rawValue), not pending") }
        status = refusals.isEmpty ? .done : .refused
        self.outcome = refusals.isEmpty ? outcome : refusals.map(\.message).joined(separator: "; ")
    }

    /// whether `other`, scheduled now, conflicts with this pending action (and is refused
    /// when scheduled, not when it runs): an amendment of a bundle another pending amendment
    /// removes components from or adds to, two pending ends of resting (but the automatic one at
    /// the resting's end date) or restings, a resting and
    /// its end in the wrong order.
    public func conflict(with other: SubscriptionAction, at: Date) -> String? {
        guard status == .pending else { return nil }
        switch (action, other) {
        case let (.amendBundleServices(a), .amendBundleServices(b)) where a.bundle == b.bundle:
            return "a pending action \(id) already amends the bundle \(a.bundle) on \(runsAt)"
        case (.endResting, .endResting) where automatic != true:
            return "a pending action \(id) already ends the resting on \(runsAt)"
        case (.rest, .rest):
            return "a pending action \(id) already rests the subscription on \(runsAt)"
        case (.rest, .endResting) where at < runsAt:
            return "the resting of pending action \(id) starts only on \(runsAt)"
        default:
            return nil
        }
    }
}
