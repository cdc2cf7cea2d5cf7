import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes

/// Subscriptions, what an agent sees before an action, bills the
/// billing system posts and prepaid wallets.
extension API {
    func createSubscription(_ input: Operations.CreateSubscription.Input) async throws -> Operations.CreateSubscription.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let term = body.billingTerm
        let request = Subscribe(installedProduct: body.installedProduct, type: body._type, accountsReceivable: body.accountsReceivable,
                                billingTerm: .init(scheme: term.scheme, frequency: try sameCase(term.frequency), bindingPeriod: term.bindingPeriod,
                                                   pricePlan: term.pricePlan))
        let made = try await engine.subscriptions.subscribe(request, today: engine.today, context: engine.context(user.id))
        return .created(.init(body: .json(try Wire.Subscription(made))))
    }

    func getSubscription(_ input: Operations.GetSubscription.Input) async throws -> Operations.GetSubscription.Output {
        _ = try require(.manageCustomers)
        if let day = try dayParameter(input.query.asOf, "asOf") {
            return .ok(.init(body: .json(try Wire.Subscription(try await engine.subscriptions.subscription(input.path.id, asOf: day)))))
        }
        return .ok(.init(body: .json(try Wire.Subscription(try await engine.subscriptions.subscription(input.path.id)))))
    }

    func getSubscriptionOverview(_ input: Operations.GetSubscriptionOverview.Input) async throws -> Operations.GetSubscriptionOverview.Output {
        _ = try require(.manageCustomers)
        let found = try await engine.subscriptions.overview(input.path.id, today: engine.today)
        return .ok(.init(body: .json(try Wire.SubscriptionOverview(found.overview, version: found.version, billVersions: found.billVersions))))
    }

    func listCustomerSubscriptions(_ input: Operations.ListCustomerSubscriptions.Input) async throws -> Operations.ListCustomerSubscriptions.Output {
        _ = try require(.manageCustomers)
        let page = try await engine.subscriptions.subscriptions(of: input.path.id, after: input.query.cursor, limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(Wire.SubscriptionPage(items: try page.items.map(Wire.Subscription.init), nextCursor: page.nextCursor))))
    }
}

extension API {
    func getBill(_ input: Operations.GetBill.Input) async throws -> Operations.GetBill.Output {
        _ = try require(.manageCustomers)
        return .ok(.init(body: .json(Wire.Bill(try await engine.subscriptions.bill(input.path.id)))))
    }

    func postBill(_ input: Operations.PostBill.Input) async throws -> Operations.PostBill.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        guard let due = Day(body.dueDate) else {
            throw Problem(.unprocessableContent, "invalid-value", "dueDate should be a date as YYYY-MM-DD, got '\(body.dueDate)'", field: "dueDate")
        }
        let bill = Bill(id: input.path.id, accountsReceivable: body.accountsReceivable, amount: requestAmount(body.amount), currency: body.currency,
                        dueDate: due, settled: body.settled ?? false)
        let posted = try await engine.subscriptions.post(bill, expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))
        return .ok(.init(body: .json(Wire.Bill(posted))))
    }

    func listAccountBills(_ input: Operations.ListAccountBills.Input) async throws -> Operations.ListAccountBills.Output {
        _ = try require(.manageCustomers)
        let page = try await engine.subscriptions.bills(of: input.path.id, unsettledOnly: input.query.unsettled ?? false, after: input.query.cursor,
                                                        limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(Wire.BillPage(items: page.items.map(Wire.Bill.init), nextCursor: page.nextCursor))))
    }

    func getWallet(_ input: Operations.GetWallet.Input) async throws -> Operations.GetWallet.Output {
        _ = try require(.manageCustomers)
        let account = try await engine.parties.account(input.path.id)
        let page = engine.subscriptions.walletEntries(of: account.value, after: input.query.cursor, limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(try Wire.Wallet(account, entries: page.items, nextCursor: page.nextCursor))))
    }

    func creditWallet(_ input: Operations.CreditWallet.Input) async throws -> Operations.CreditWallet.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let account = try await engine.subscriptions.credit(input.path.id, amount: requestAmount(body.amount), currency: body.currency, reference: body.reference,
                                                            expectedVersion: try expectedVersion(input.headers.ifMatch),
                                                            context: engine.context(user.id, reason: body.reference))
        let page = engine.subscriptions.walletEntries(of: account.value, after: nil, limit: 50)
        return .ok(.init(body: .json(try Wire.Wallet(account, entries: page.items, nextCursor: page.nextCursor))))
    }
}

/// subscription actions — previewed, performed, listed.
extension API {
    /// The action and its details a request names (the caller performs it unless it says who;
    /// the engine checks the caller may act for them, R-2.4).
    func subscriptionAction(_ body: Components.Schemas.SubscriptionActionRequest, caller: User) throws -> (SubscriptionAction, ActionDetails) {
        let performedOn = try dayParameter(body.performedOn, "performedOn")
        let details = ActionDetails(classificationCode: body.classificationCode, actionType: body.actionType, subActionType: body.subActionType,
                                    performedBy: body.performedBy, performedOn: performedOn, caller: caller.id, today: engine.today)
        switch body.action {
        case .amendBundleServices:
            guard let bundle = body.bundle else { throw EngineError(.invalidRequest, "Amend Bundle Services names the bundle it amends", field: "bundle") }
            return (.amendBundleServices(AmendBundleServices(bundle: bundle, add: (body.add ?? []).map { ProductID($0) }, remove: body.remove ?? [])), details)
        case .rest:
            guard let until = try dayParameter(body.until, "until") else {
                throw EngineError(.invalidRequest, "Rest Subscription names the day the resting ends", field: "until")
            }
            return (.rest(RestSubscription(until: until)), details)
        case .endResting:
            return (.endResting(EndSubscriptionResting()), details)
        case .moveInstalledItems:
            guard let target = body.target else { throw EngineError(.invalidRequest, "Move Installed Items names the target subscription", field: "target") }
            return (.moveInstalledItems(MoveInstalledItems(items: body.items ?? [], target: target, distributors: body.distributors?.additionalProperties ?? [:])), details)
        }
    }

    func performSubscriptionAction(_ input: Operations.PerformSubscriptionAction.Input) async throws -> Operations.PerformSubscriptionAction.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let (action, details) = try subscriptionAction(body, caller: user)
        let schedule = try body.schedule.map(actionSchedule) ?? .now
        let performed = try await engine.subscriptions.perform(input.path.id, action, details: details, schedule: schedule, today: engine.today,
                                                               context: engine.context(user.id))
        return .created(.init(body: .json(try Wire.SubscriptionAction(performed))))
    }

    func previewSubscriptionAction(_ input: Operations.PreviewSubscriptionAction.Input) async throws -> Operations.PreviewSubscriptionAction.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let (action, details) = try subscriptionAction(body, caller: user)
        let schedule = try body.schedule.map(actionSchedule) ?? .now
        let found = try await engine.subscriptions.preview(input.path.id, action, details: details, schedule: schedule, today: engine.today, now: engine.clock.now(), caller: user.id)
        return .ok(.init(body: .json(Wire.SubscriptionActionPreview(found.preview, refusals: found.refusals))))
    }

    /// exactly one of a moment, a day (midnight) or a number of days.
    func actionSchedule(_ wire: Components.Schemas.ActionSchedule) throws -> ActionSchedule {
        let given: [ActionSchedule] = [wire.on.map { .on($0) }, try dayParameter(wire.onDay, "schedule.onDay").map { .onDay($0) },
                                       wire.afterDays.map { .afterDays($0) }].compactMap { $0 }
        guard given.count == 1, let schedule = given.first else {
            throw SubscriptionError(.invalidSchedule, "give exactly one of schedule.on, schedule.onDay and schedule.afterDays", field: "schedule")
        }
        return schedule
    }

    func withdrawSubscriptionAction(_ input: Operations.WithdrawSubscriptionAction.Input) async throws -> Operations.WithdrawSubscriptionAction.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try Wire.SubscriptionAction(try await engine.subscriptions.withdraw(
            input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func rescheduleSubscriptionAction(_ input: Operations.RescheduleSubscriptionAction.Input) async throws -> Operations.RescheduleSubscriptionAction.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try Wire.SubscriptionAction(try await engine.subscriptions.reschedule(
            input.path.id, to: try actionSchedule(body.schedule), expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func listCustomerSubscriptionActions(_ input: Operations.ListCustomerSubscriptionActions.Input) async throws -> Operations.ListCustomerSubscriptionActions.Output {
        _ = try require(.manageCustomers)
        let status = try input.query.status.map { try sameCase($0, as: PendingAction.Status.self) }
        let page = try await engine.subscriptions.actions(ofCustomer: input.path.id, status: status, after: input.query.cursor, limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(Wire.SubscriptionActionPage(items: try page.items.map(Wire.SubscriptionAction.init), nextCursor: page.nextCursor))))
    }

    func listSubscriptionActions(_ input: Operations.ListSubscriptionActions.Input) async throws -> Operations.ListSubscriptionActions.Output {
        _ = try require(.manageCustomers)
        let page = try await engine.subscriptions.actions(of: input.path.id, after: input.query.cursor, limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(Wire.SubscriptionActionPage(items: try page.items.map(Wire.SubscriptionAction.init), nextCursor: page.nextCursor))))
    }

    func getSubscriptionAction(_ input: Operations.GetSubscriptionAction.Input) async throws -> Operations.GetSubscriptionAction.Output {
        _ = try require(.manageCustomers)
        return .ok(.init(body: .json(try Wire.SubscriptionAction(try await engine.subscriptions.action(input.path.id)))))
    }
}
