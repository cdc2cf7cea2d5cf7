import ConvergentDomain
import ConvergentStore
import Foundation

/// R-12.2–R-12.6 performed: Move Installed Items, Amend Bundle Services, Rest Subscription and End
/// Subscription Resting through the order machinery. Each is validated by every rule of its seed,
/// then carried out in three steps:
///
/// 1. **Recorded**, in one transaction: the action (a subscription action, `SA<n>`), what it
///    changes at once — the wallet's one debit (amend), the subscription In Resting with the
///    automatic end of the resting at its end date (rest), the states restored (end resting) —
///    and a recovery job.
/// 2. **Carried out** by a service-management order on the installed contract: a configuration
///    session adding and removing the bundle's components (amend), a suspension (rest) or a
///    resumption (end resting) of the subscription's play — or by a convergent order whose
///    session migrates each device to the target's contract (move); fulfilled and provisioned
///    as any order. The subscription follows its contract when that order completes
///    (`Subscription.following`); a resting subscription keeps resting.
/// 3. **Done**; or, refused on the way (by the configuration, a hold, a race), **taken back**:
///    the order cancelled, the wallet credited back, the resting undone — and the action
///    recorded refused. An ended resting whose play cannot be resumed stays ended, Not Effective.
///
/// Should the process stop between 1 and 3, the recovery job finishes the action: done when its
/// order was submitted, otherwise taken back. A resting whose play is already suspended, or an
/// end of resting that leaves it Not Effective, needs no order and is done in step 1.
extension Subscriptions {
    /// How long an action's carrying out may take before its recovery job finishes it.
    static let recoveryDelay: TimeInterval = 900

    /// What the agent sees before submitting an action (R-12.7, R-16.2): for an amendment the
    /// components added with their cost, those removed and the wallet debit; for any, every
    /// refusal it would meet, submitted now with `schedule`.
    public func preview(_ id: String, _ action: SubscriptionAction, details: ActionDetails, schedule: ActionSchedule = .now, today: Day,
                        now: Date, caller: String) async throws -> (preview: AmendBundleServices.Preview, refusals: [SubscriptionError]) {
        try await checkPerformer(details, caller: caller)
        let facts = try await actionFacts(id, today: today, for: action)
        var (runsAt, refusals) = Self.when(action, schedule, now: now)
        refusals += self.refusals(of: action, facts: facts, details: details, at: runsAt, today: today, runsLater: schedule != .now)
        guard case let .amendBundleServices(change) = action else { return (.nothing, refusals) }
        return (change.preview(facts.subscription.value, catalog: facts.catalog, prepaid: facts.wallet != nil), refusals)
    }

    /// Performs an action now (see the type's comment), or schedules it (R-12.2): validated now,
    /// every rule, and refused when it conflicts with a pending action (R-16.4); stored pending
    /// with the job that runs it when due (`runScheduled`), validated again then. Every refusal
    /// at once (`SubscriptionRefusals`); refused while carried out, the refusal is thrown.
    public func perform(_ id: String, _ action: SubscriptionAction, details: ActionDetails, schedule: ActionSchedule = .now, today: Day,
                        context: ChangeContext) async throws -> Versioned<PendingAction> {
        try await checkPerformer(details, caller: context.actor)
        let facts = try await actionFacts(id, today: today, for: action)
        var (runsAt, refusals) = Self.when(action, schedule, now: context.at)
        refusals += self.refusals(of: action, facts: facts, details: details, at: runsAt, today: today, runsLater: schedule != .now)
        guard refusals.isEmpty else { throw SubscriptionRefusals(refusals) }
        guard schedule != .now else {
            return try await carryOut(action, facts: facts, details: details, existing: nil, on: details.performedOn, today: today, context: context)
        }
        let subscription = facts.subscription.value
        let (number, versions) = try await store.commit(numbering: "subscription-action", context: context) { number in
            let record = try Self.record(number: number, subscription: subscription, action: action, details: details, schedule: schedule, at: context.at)
            return [try Write.insert(record), try SubscriptionActionJob.job(.init(action: record.id), due: record.runsAt)]
        }
        let record = try Self.record(number: number, subscription: subscription, action: action, details: details, schedule: schedule, at: context.at)
        return Versioned(value: record, version: versions[0], createdAt: context.at, updatedAt: context.at)
    }

    /// R-12.2, R-2.4: who performs an action: the caller, or an active user the caller may act
    /// for (`User.may(.actFor)`) — 403 otherwise, 422 for a user that does not exist or is inactive.
    func checkPerformer(_ details: ActionDetails, caller: String) async throws {
        guard details.performedBy != caller else { return }
        guard let performer = try await store.get(User.self, id: details.performedBy)?.value, performer.active else {
            throw EngineError(.invalidRequest, "performedBy names no active user '\(details.performedBy)'", field: "performedBy")
        }
        let user = try await store.get(User.self, id: caller)?.value ?? User(id: caller, name: caller, role: .agent, active: false)
        guard user.may(.actFor(performer.id)) else { throw EngineError.missing(.actFor(performer.id), user: user, field: "performedBy") }
    }

    /// R-12.2: when an action submitted at `now` with `schedule` runs, and what is wrong with the
    /// schedule (a date not later than now, days not above 0, an action that runs now only).
    static func when(_ action: SubscriptionAction, _ schedule: ActionSchedule, now: Date) -> (runsAt: Date, refusals: [SubscriptionError]) {
        var refusals: [SubscriptionError] = []
        var runsAt = now
        do { runsAt = try schedule.runsAt(now: now) } catch { refusals.append(error) }
        if schedule != .now, !action.schedulable {
            refusals.append(SubscriptionError(.notSchedulable, "\(action.behaviourCode) cannot be scheduled; it runs now", field: "schedule"))
        }
        return (runsAt, refusals)
    }

    /// Every rule `action` breaks for the subscription in `facts`: its performed date, its seed's
    /// validations on the day it runs, and — when it is submitted (`at`), not when it runs — a
    /// conflict with a pending action (an amendment's with a pending one of the same bundle is
    /// one of its own rules).
    func refusals(of action: SubscriptionAction, facts: ActionFacts, details: ActionDetails, at submitted: Date?, today: Day,
                  runsLater: Bool = false) -> [SubscriptionError] {
        // A change order still on its way is judged when the action runs, not when it is scheduled.
        let inProgress = runsLater ? [] : action.waiting(for: facts.openOrders)
        let subscription = facts.subscription.value
        // The day it takes effect: the day it is scheduled for, or its performed date.
        let day = submitted.map { Day($0) > today ? Day($0) : details.performedOn } ?? details.performedOn
        var found = details.validate(for: action, services: subscription.services, today: today)
        switch action {
        case let .amendBundleServices(change):
            return found + change.validate(subscription, catalog: facts.catalog, wallet: facts.wallet, bundleChangeScheduled: facts.scheduled[change.bundle], on: day)
        case let .rest(rest):
            found += rest.validate(subscription, catalog: facts.catalog, on: day) + inProgress
        case let .endResting(end):
            found += end.validate(subscription, accountActive: facts.account.value.status == .active, catalog: facts.catalog, on: day) + inProgress
        case let .moveInstalledItems(move):
            guard let target = facts.target, let contract = target.contract else {
                return found + [SubscriptionError(.itemCannotMove, "the target is not made from an installed contract", field: "target")]
            }
            let source = facts.account.value
            let rules = move.validate(source: subscription, target: target.subscription.value,
                                      accountActive: { $0 == source.id ? source.status == .active : target.accountActive }, catalog: facts.catalog, on: day)
            found += rules
            if !rules.contains(where: { $0.code == .itemNotOnSubscription || $0.code == .sameSubscription }) {
                found += move.carriage(source: subscription, target: target.subscription.value, targetContract: contract, catalog: facts.catalog, on: day).refusals
            }
        }
        if let submitted {
            found += facts.pending.compactMap { $0.value.conflict(with: action, at: submitted) }.map { SubscriptionError(.conflictsWithPending, $0, field: "schedule") }
        }
        return found
    }

    /// R-12.2, R-14: a scheduled action run by its job: nothing when it is no longer pending
    /// (withdrawn, or already run by another node) or not yet due (rescheduled later: its own
    /// job runs it); finished by `recover` when its carrying out began and stopped; otherwise
    /// validated again on the day it runs, and performed or recorded refused. Run twice at once,
    /// the action's version lets one through.
    public func runScheduled(_ actionID: String, at now: Date, context: ChangeContext) async throws -> String {
        guard let stored = try await store.get(PendingAction.self, id: actionID) else { return "nothing to do: no action \(actionID)" }
        guard stored.value.status == .pending else { return "nothing to do: \(actionID) is \(stored.value.status.rawValue)" }
        if stored.value.startedAt != nil { return try await recover(stored, context: context) }
        guard stored.value.runsAt <= now else { return "not due: \(actionID) runs at \(stored.value.runsAt)" }
        let today = Day(now)
        let facts = try await actionFacts(stored.value.subscription, today: today, excluding: actionID, for: stored.value.action)
        var details = stored.value.details
        details.performedOn = today
        let refusals = refusals(of: stored.value.action, facts: facts, details: details, at: nil, today: today)
        if !refusals.isEmpty, refusals.allSatisfy({ $0.code == .changeInProgress }) {
            // Waiting for an earlier change order: run again in an hour.
            try await store.commit([try SubscriptionActionJob.job(.init(action: actionID), due: now.addingTimeInterval(3_600))], context: context)
            return "postponed an hour: \(refusals.map(\.message).joined(separator: "; "))"
        }
        guard refusals.isEmpty else {
            var refused = stored.value
            try refused.ran(refusals: refusals, outcome: "")
            try await store.commit([try .update(refused, expectedVersion: stored.version)], context: context)
            return "refused: \(refused.outcome ?? "")"
        }
        do {
            let done = try await carryOut(stored.value.action, facts: facts, details: details, existing: stored, on: today, today: today, context: context)
            return "\(done.value.status == .done ? "performed" : done.value.status.rawValue): \(done.value.outcome ?? "")"
        } catch let error as StoreError where error.code == .conflict {
            throw error
        } catch {
            return "refused: \(error)"
        }
    }

    /// What the change order of an action does, once made.
    enum ChangeWork: Sendable {
        case configure(AmendBundleServices)
        case line(LineAction)
        /// R-12.3: a convergent order servicing both contracts, whose session migrates each item.
        case migrate([MoveInstalledItems.Carriage], contracts: [String])

        var captureType: CaptureType {
            if case .migrate = self { return .convergent }
            return .serviceManagement
        }
    }

    /// The three steps of the type's comment, `day` being the day the action takes effect (an
    /// end of resting may be performed in the past) and `today` the order's.
    func carryOut(_ action: SubscriptionAction, facts: ActionFacts, details: ActionDetails, existing: Versioned<PendingAction>?, on day: Day, today: Day,
                  context: ChangeContext) async throws -> Versioned<PendingAction> {
        let subscription = facts.subscription
        guard let contract = subscription.value.contract, let play = subscription.value.installedProduct else {
            throw EngineError(.invalidRequest, "subscription \(subscription.value.id) is not made from an installed contract", field: "id")
        }
        let plan = try self.plan(action, facts: facts, existing: existing?.value.id, play: play, on: day, context: context)
        let work = plan.work

        // 1. The record and what changes at once, in one transaction, with the recovery job.
        @Sendable func started(_ base: PendingAction) -> PendingAction {
            var record = base
            record.walletDebit = plan.debit
            record.details = details
            if work == nil {
                record.status = .done
                record.outcome = plan.done
            } else {
                record.startedAt = context.at
            }
            return record
        }
        let recovery: @Sendable (PendingAction) throws -> [Write] = { record in
            record.startedAt == nil ? [] : [try SubscriptionActionJob.job(.init(action: record.id), due: context.at.addingTimeInterval(Self.recoveryDelay))]
        }
        var record: PendingAction
        var version: Int
        if let existing {
            record = started(existing.value)
            version = try await store.commit([try .update(record, expectedVersion: existing.version)] + plan.changes(record) + recovery(record), context: context)[0]
        } else {
            let (number, versions) = try await store.commit(numbering: "subscription-action", context: context) { number in
                let made = started(try Self.record(number: number, subscription: subscription.value, action: action, details: details, at: context.at))
                return [try Write.insert(made)] + (try plan.changes(made)) + (try recovery(made))
            }
            record = started(try Self.record(number: number, subscription: subscription.value, action: action, details: details, at: context.at))
            version = versions[0]
        }
        guard let work else { return Versioned(value: record, version: version, createdAt: existing?.createdAt ?? context.at, updatedAt: context.at) }

        // 2. The change order, made (and named on the record), configured and submitted.
        do {
            let order = try await orders.create(work.captureType, header: OrderHeader(soldTo: subscription.value.customer), on: today, context: context)
            record.order = order.value.id
            version = try await store.commit([try .update(record, expectedVersion: version)], context: context)[0]
            try await change(order.value.id, work, contract: contract, play: play, today: today, context: context)
            _ = try await orders.submit(order.value.id, expectedVersion: nil, today: today, context: context)
        } catch {
            // 3a. Refused: taken back.
            let finished = try await takeBack(Versioned(value: record, version: version, createdAt: context.at, updatedAt: context.at), because: "\(error)",
                                              context: context)
            if finished.value.status == .refused { throw error }
            return finished
        }
        // 3b. Done: the order carries it through fulfillment.
        record.status = .done
        record.startedAt = nil
        record.outcome = plan.done.replacingOccurrences(of: "order submitted", with: "order \(record.order ?? "") submitted")
        version = try await store.commit([try .update(record, expectedVersion: version)], context: context)[0]
        return Versioned(value: record, version: version, createdAt: existing?.createdAt ?? context.at, updatedAt: context.at)
    }

    /// What carrying out an action writes with its record, the order work it needs (none when
    /// its play is already as it must be) and what the record says once done.
    struct Plan: Sendable {
        var debit: Decimal?
        var changes: @Sendable (PendingAction) throws -> [Write] = { _ in [] }
        var work: ChangeWork?
        var done = ""
    }

    func plan(_ action: SubscriptionAction, facts: ActionFacts, existing: String?, play: String, on day: Day, context: ChangeContext) throws -> Plan {
        let subscription = facts.subscription
        var plan = Plan()
        switch action {
        case let .amendBundleServices(change):
            let account = facts.account
            let debit = facts.wallet == nil ? nil : change.preview(subscription.value, catalog: facts.catalog, prepaid: true).walletDebit.flatMap { $0 > 0 ? $0 : nil }
            plan.debit = debit
            // A wallet changed since it was read refuses the action: nothing is debited twice, or below what it holds.
            plan.changes = { record in
                guard let debit else { return [] }
                var debited = account.value
                try debited.move(wallet: .debit, amount: debit, reference: record.id, at: context.at, by: context.actor)
                return [try .update(debited, expectedVersion: account.version)]
            }
            plan.work = .configure(change)
            plan.done = "change order submitted"
        case let .rest(rest):
            let rested = try rest.applied(subscription.value, on: day)
            plan.changes = { record in
                let end = try PendingAction.automaticEnd(of: record, until: rest.until)
                return [try .update(rested, expectedVersion: subscription.version), try .insert(end), try SubscriptionActionJob.job(.init(action: end.id), due: end.runsAt)]
            }
            let suspend = RestSubscription.suspendsPlay(facts.playStatus)
            plan.work = suspend ? .line(.suspend) : nil
            plan.done = "In Resting until \(rest.until)" + (suspend ? "; suspension order submitted" : "; \(play) was already suspended")
        case let .endResting(end):
            let (ended, failures) = try end.applied(subscription.value, bills: facts.bills, catalog: facts.catalog, on: day)
            let others = facts.pending.filter { $0.value.id != existing && $0.value.action.behaviourCode == EndSubscriptionResting.behaviourCode }
            plan.changes = { record in
                try [.update(ended, expectedVersion: subscription.version)] + others.map { other in
                    var superseded = other.value
                    try superseded.withdraw()
                    superseded.outcome = "superseded: \(record.id) ended the resting"
                    return try .update(superseded, expectedVersion: other.version)
                }
            }
            let resume = EndSubscriptionResting.resumesPlay(ended, playStatus: facts.playStatus)
            plan.work = resume ? .line(.resume) : nil
            plan.done = "resting ended: \(ended.state.title)" + (failures.isEmpty ? "" : " (activation conditions fail: \(failures.joined(separator: "; ")))")
                + (resume ? "; resumption order submitted" : "")
        case let .moveInstalledItems(move):
            guard let target = facts.target, let targetContract = target.contract, let contract = subscription.value.contract else {
                throw SubscriptionRefusals([SubscriptionError(.itemCannotMove, "the target is not made from an installed contract", field: "target")])
            }
            let (carriage, refusals) = move.carriage(source: subscription.value, target: target.subscription.value, targetContract: targetContract,
                                                     catalog: facts.catalog, on: day)
            guard refusals.isEmpty else { throw SubscriptionRefusals(refusals) }
            plan.work = .migrate(carriage, contracts: Array(Set([contract, targetContract.id])).sorted())
            plan.done = "\(move.items.joined(separator: ", ")) to \(move.target): change order submitted"
        }
        return plan
    }

    /// Step 2's work on the change order: a line changing the contract configured by a session
    /// (amend), or a service line suspending or resuming the subscription's play. No reason on
    /// the line: an operator's reason codes are the agents' words; the action record names the order.
    func change(_ order: String, _ work: ChangeWork, contract: String, play: String, today: Day, context: ChangeContext) async throws {
        switch work {
        case let .line(action):
            _ = try await orders.addLine(toOrder: order, product: nil, installedContract: contract, installedProduct: play, action: action, owner: nil,
                                         reason: nil, expectedVersion: nil, today: today, context: context)
        case let .migrate(carriage, contracts):
            for contract in contracts {
                _ = try await orders.addLine(toOrder: order, product: nil, installedContract: contract, action: .change, owner: nil,
                                             reason: nil, expectedVersion: nil, today: today, context: context)
            }
            let session = try await orders.openSession(order: order, today: today, context: context).view.session
            let operations = carriage.map { ConfigurationOperation.migrate(instance: $0.item, action: MigrationAction.moveInstalledItem, destination: .parent($0.holder)) }
            try await finish(session.id, try await orders.apply(operations, toSession: session.id, expectedVersion: nil, today: today, context: context),
                             refusing: .itemCannotMove, field: "items", today: today, context: context)
        case let .configure(change):
            _ = try await orders.addLine(toOrder: order, product: nil, installedContract: contract, action: .change, owner: nil,
                                         reason: nil, expectedVersion: nil, today: today, context: context)
            let session = try await orders.openSession(order: order, today: today, context: context).view.session
            let operations = change.remove.map { ConfigurationOperation.remove(instance: $0) }
                + change.add.map { ConfigurationOperation.add(product: $0, contract: contract, parent: change.bundle, placements: [:]) }
            try await finish(session.id, try await orders.apply(operations, toSession: session.id, expectedVersion: nil, today: today, context: context),
                             refusing: .bundleCompositionViolated, field: "add", today: today, context: context)
        }
    }

    /// The change's session finished into its order when the configuration is valid and asks
    /// nothing; otherwise cancelled, and refused with what the configuration says is wrong
    /// (its contracts' rules, its elements').
    func finish(_ session: String, _ view: SessionView, refusing code: SubscriptionErrorCode, field: String, today: Day,
                context: ChangeContext) async throws {
        guard view.outcome?.question != nil || view.status == .invalid else {
            _ = try await orders.finishSession(session, submit: true, today: today, context: context)
            return
        }
        _ = try? await orders.cancelSession(session, context: context)
        let errors = (view.report.contractMessages + view.report.elements.flatMap(\.errors)).filter { $0.severity == .error }.map(\.message)
        throw SubscriptionRefusals([SubscriptionError(code, errors.isEmpty ? "the configuration asks for a choice of placement" : errors.joined(separator: "; "),
                                                      field: field)])
    }

    /// Step 3a, and the recovery of an action whose order was not submitted: its order (if any)
    /// cancelled, what step 1 wrote taken back — the wallet credited back (amend), the resting
    /// undone and its automatic end withdrawn (rest) — and the action refused; an ended resting
    /// whose play could not be resumed stays ended, Not Effective, and the action is done. Each
    /// write is retried over concurrent changes; should one still fail, the outcome says what to
    /// do by hand.
    func takeBack(_ stored: Versioned<PendingAction>, because why: String, context: ChangeContext) async throws -> Versioned<PendingAction> {
        var record = stored.value
        if let order = record.order { _ = try? await orders.cancel(order, expectedVersion: nil, context: context) }
        let today = Day(context.at)
        var status = PendingAction.Status.refused
        var outcome = "refused: \(why)"
        do {
            switch record.action {
            case .amendBundleServices:
                guard let debit = record.walletDebit else { break }
                let subscription = try await subscription(record.subscription).value
                _ = try await retryingConflicts(of: [.billingAccount]) {
                    try await store.modify(BillingAccount.self, id: subscription.accountsReceivable, context: context) {
                        try $0.move(wallet: .credit, amount: debit, reference: "refund of \(record.id)", at: context.at, by: context.actor)
                    }
                }
            case .rest:
                try await retryingConflicts(of: [.subscription, .subscriptionAction]) {
                    let subscription = try await subscription(record.subscription)
                    var writes: [Write] = []
                    if subscription.value.state == .inResting {
                        writes.append(try .update(try subscription.value.restingUndone(on: today, reason: "resting not carried out: \(why)"),
                                                  expectedVersion: subscription.version))
                    }
                    if let end = try await store.get(PendingAction.self, id: PendingAction.automaticEndID(of: record.id)), end.value.status == .pending {
                        var withdrawn = end.value
                        try withdrawn.withdraw()
                        withdrawn.outcome = "the resting \(record.id) was not carried out"
                        writes.append(try .update(withdrawn, expectedVersion: end.version))
                    }
                    if !writes.isEmpty { _ = try await store.commit(writes, context: context) }
                }
            case .endResting:
                status = .done
                outcome = "resting ended; the play could not be resumed (\(why)): Not Effective until it is resumed"
                _ = try await retryingConflicts(of: [.subscription]) {
                    let subscription = try await subscription(record.subscription)
                    if let deactivated = subscription.value.deactivated(on: today, reason: "the play could not be resumed: \(why)") {
                        _ = try await store.commit([try .update(deactivated, expectedVersion: subscription.version)], context: context)
                    }
                }
            case .moveInstalledItems:
                break
            }
        } catch {
            outcome += "; taking it back failed (\(error)): " + (record.walletDebit.map { "credit \($0) back by hand" } ?? "restore the subscription by hand")
        }
        record.status = status
        record.startedAt = nil
        record.outcome = outcome
        let version = try await retryingConflicts(of: [.subscriptionAction]) {
            let current = try await action(record.id)
            return try await store.commit([try .update(record, expectedVersion: current.version)], context: context)[0]
        }
        return Versioned(value: record, version: version, createdAt: stored.createdAt, updatedAt: context.at)
    }

    /// R-14: an action whose carrying out began and stopped (the process died between steps 1
    /// and 3), finished by its recovery job: done when its order was submitted, otherwise taken back.
    func recover(_ stored: Versioned<PendingAction>, context: ChangeContext) async throws -> String {
        var status: OrderStatus?
        if let order = stored.value.order { status = try await store.get(Order.self, id: order)?.value.status }
        switch status {
        case .submitted?, .inFulfillment?, .completed?:
            var record = stored.value
            record.status = .done
            record.startedAt = nil
            record.outcome = "change order \(record.order ?? "") submitted (finished by recovery)"
            try await store.commit([try .update(record, expectedVersion: stored.version)], context: context)
            return "recovered: \(record.outcome ?? "")"
        default:
            let finished = try await takeBack(stored, because: "its carrying out stopped before its change order was submitted", context: context)
            return "recovered: \(finished.value.outcome ?? "")"
        }
    }

    /// R-16.4: a pending action withdrawn; its job then finds nothing to do.
    public func withdraw(_ actionID: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<PendingAction> {
        try await action(actionID).value.requireAgentsOwn()
        return try await store.modify(PendingAction.self, id: actionID, expectedVersion: expectedVersion, context: context) { try $0.withdraw() }
    }

    /// R-16.4: a pending action moved to another time, with the job that runs it then (the
    /// earlier job finds it not due and does nothing).
    public func reschedule(_ actionID: String, to schedule: ActionSchedule, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<PendingAction> {
        let stored = try await action(actionID)
        try stored.value.requireAgentsOwn()
        if let expectedVersion, expectedVersion != stored.version {
            throw StoreError(.conflict, "subscription action \(actionID) is at version \(stored.version), not \(expectedVersion)")
        }
        var moved = stored.value
        try moved.reschedule(schedule, now: context.at)
        let versions = try await store.commit([try .update(moved, expectedVersion: stored.version), try SubscriptionActionJob.job(.init(action: actionID), due: moved.runsAt)],
                                              context: context)
        return Versioned(value: moved, version: versions[0], createdAt: stored.createdAt, updatedAt: context.at)
    }

    /// A customer's subscription actions, by id, paged; only those in `status` when given.
    public func actions(ofCustomer customer: String, status: PendingAction.Status?, after cursor: String? = nil,
                        limit: Int) async throws -> (items: [Versioned<PendingAction>], nextCursor: String?) {
        _ = try await parties.customer(customer)
        var filter = ["customer": customer]
        filter["status"] = status?.rawValue
        return try await store.page(PendingAction.self, where: filter, after: cursor, limit: limit)
    }

    /// A subscription's actions, by id, paged.
    public func actions(of subscription: String, after cursor: String? = nil, limit: Int) async throws -> (items: [Versioned<PendingAction>], nextCursor: String?) {
        _ = try await self.subscription(subscription)
        return try await store.page(PendingAction.self, where: ["subscription": subscription], after: cursor, limit: limit)
    }

    public func action(_ id: String) async throws -> Versioned<PendingAction> {
        guard let found = try await store.get(PendingAction.self, id: id) else { throw EngineError(.notFound, "no subscription action '\(id)'", field: "id") }
        return found
    }

    static func record(number: Int, subscription: Subscription, action: SubscriptionAction, details: ActionDetails,
                       schedule: ActionSchedule = .now, at now: Date) throws -> PendingAction {
        var record = try PendingAction(id: String(format: "SA%06d", number), subscription: subscription.id, action: action, details: details,
                                       schedule: schedule, now: now)
        record.customer = subscription.customer
        return record
    }

    /// What the action rules read: the subscription, the catalog in force, its accounts
    /// receivable (the wallet when prepaid) and unsettled bills, the installed status of its play,
    /// and its pending actions (but `excluding`).
    struct ActionFacts: Sendable {
        var subscription: Versioned<Subscription>
        var catalog: Catalog
        var account: Versioned<BillingAccount>
        var bills: [Bill]
        var playStatus: InstalledStatus?
        var pending: [Versioned<PendingAction>]
        /// The change orders of its earlier actions still being fulfilled, each with its action.
        var openOrders: [(order: String, action: PendingAction)] = []
        /// R-12.3: the subscription items move to, whether its accounts receivable is active, and
        /// the installed contract it is made from.
        var target: (subscription: Versioned<Subscription>, accountActive: Bool, contract: InstalledContract?)?

        var wallet: Decimal? { account.value.paymentMode == .prepaid ? account.value.balance ?? 0 : nil }

        /// The day a pending amendment changes each bundle.
        var scheduled: [String: Day] {
            var days: [String: Day] = [:]
            for pending in pending { if case let .amendBundleServices(other) = pending.value.action { days[other.bundle] = Day(pending.value.runsAt) } }
            return days
        }
    }

    func actionFacts(_ id: String, today: Day, excluding: String? = nil, for action: SubscriptionAction? = nil) async throws -> ActionFacts {
        let subscription = try await self.subscription(id)
        let catalog = try await catalogs.active(on: today).catalog
        let account = try await parties.account(subscription.value.accountsReceivable)
        let bills = try await unsettledBills(of: account.value.id).map(\.value)
        var playStatus: InstalledStatus?
        if let contract = subscription.value.contract, let play = subscription.value.installedProduct {
            playStatus = try await store.get(InstalledContract.self, id: contract)?.value.product(play)?.component.status
        }
        let pending = try await store.everything(PendingAction.self, filter: RecordFilter(equals: ["subscription": id, "status": PendingAction.Status.pending.rawValue]))
            .filter { $0.value.id != excluding }
        var facts = ActionFacts(subscription: subscription, catalog: catalog, account: account, bills: bills, playStatus: playStatus, pending: pending)
        for done in try await store.everything(PendingAction.self, filter: RecordFilter(equals: ["subscription": id, "status": PendingAction.Status.done.rawValue])) {
            guard let order = done.value.order, let status = try await store.get(Order.self, id: order)?.value.status,
                  status != .completed, status != .cancelled else { continue }
            facts.openOrders.append((order, done.value))
        }
        if case let .moveInstalledItems(move) = action {
            guard let target = try await store.get(Subscription.self, id: move.target) else {
                throw EngineError(.invalidRequest, "no subscription '\(move.target)'", field: "target")
            }
            let active = try await store.get(BillingAccount.self, id: target.value.accountsReceivable)?.value.status == .active
            var contract: InstalledContract?
            if let id = target.value.contract { contract = try await store.get(InstalledContract.self, id: id)?.value }
            facts.target = (target, active, contract)
        }
        return facts
    }
}

/// R-12.2, R-14: the job that runs a scheduled subscription action when it is due.
struct SubscriptionActionJob: JobDefinition {
    struct Parameters: Codable, Sendable { var action: String }
    static let kind = JobKind.subscriptionAction
    static let reason = "scheduled subscription action"
    let subscriptions: Subscriptions

    static func subject(of parameters: Parameters) -> String { parameters.action }
    static func parameters(fromSubject subject: String) -> Parameters { Parameters(action: subject) }

    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String {
        try await subscriptions.runScheduled(parameters.action, at: now, context: context)
    }
}
