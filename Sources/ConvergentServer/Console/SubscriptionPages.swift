import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import Hummingbird

// R-12.1, R-12.7, R-16.3, R-2.3 in the console: a customer's subscriptions and making one from an
// installed contract or a play; a subscription with what an agent sees before an action (its
// services, installed items, unsettled bills, each action offered or why not); a billing
// account's bills and wallet, credited by an agent.

/// A life cycle state as agents read it ("Not Effective").
func stateTitle(_ state: Wire.LifecycleState) -> String { LifecycleState(rawValue: state.rawValue)?.title ?? state.rawValue }

struct SubscriptionRow: Sendable {
    var id: String
    var type: String
    var state: String
    var stateTitle: String
    var accountsReceivable: String
    var installedProduct: String

    init(_ s: Wire.Subscription) {
        id = s.id
        type = s._type
        state = s.state.rawValue
        stateTitle = ConvergentServer.stateTitle(s.state)
        accountsReceivable = s.accountsReceivable
        installedProduct = s.installedProduct ?? ""
    }
}

/// The form that makes a subscription, on the customer page (R-12.1).
struct SubscribeFormView: Sendable {
    var types: [Option]
    var schemes: [Option]
    var frequencies: [Option]
    var accounts: [Option]
}

/// The customer page's subscriptions: the first page, the form that makes one, and the
/// customer's pending actions (R-16.4).
struct SubscriptionSectionView: Sendable {
    var rows: [SubscriptionRow]
    var more: String?
    var form: SubscribeFormView
    var pending: [SubscriptionPage.ActionRow]
}

struct SubscriptionsPage: Sendable {
    var layout: Layout
    var customer: String
    var rows: [SubscriptionRow]
    var next: String?
}

struct SubscriptionPage: Sendable {
    struct Service: Sendable {
        var id: String
        var product: String
        var state: String
        var stateTitle: String
        var bundle: String?
        var distributors: String
        var removedOn: String?
    }

    struct Item: Sendable {
        var id: String
        var product: String
        var distributors: String
        var moves: String?
    }

    struct Action: Sendable {
        var behaviourCode: String
        var schedulable: Bool
        var offered: Bool
        var whyNot: String?
        var code: String?
    }

    var layout: Layout
    var id: String
    var customer: String
    var type: String
    var state: String
    var stateTitle: String
    var since: String
    var accountsReceivable: String
    var installedProduct: String?
    var term: String
    var binding: String
    var restingUntil: String?
    var distributors: String
    var services: [Service]
    var items: [Item]
    var bills: [BillRow]
    var actions: [Action]
    var lifecycle: [String]
    /// R-12.4: a form per flexible bundle service; the actions performed (the first page).
    var bundles: [BundleForm] = []
    /// R-12.5, R-12.6: the rest form when resting is offered, the end-of-resting form while In Resting.
    var canRest = false
    var canEndResting = false
    /// R-12.3: the move form while moving installed items is offered.
    var move: MoveFormView?
    var performed: [ActionRow] = []
    var preview: PreviewView?
    var problem: ProblemView?

    struct Choice: Sendable {
        var value: String
        var label: String
        var key: String
        var checked: Bool
    }

    struct BundleForm: Sendable {
        var subscription: String
        var service: String
        var product: String
        var add: [Choice]
        var remove: [Choice]
    }

    /// R-12.3: the items to tick and the other subscriptions of the accounts receivable to move them to.
    struct MoveFormView: Sendable {
        var items: [Choice]
        var targets: [Option]
    }

    struct ActionRow: Sendable {
        var id: String
        var behaviourCode: String
        /// What it does beyond its code: the resting's end day, made by the system.
        var what: String?
        var status: String
        var pending: Bool
        var runsAt: String
        var subscription: String
        var performed: String
        var order: String?
        var outcome: String?
    }

    struct PreviewView: Sendable {
        var bundle: String
        var added: [String]
        var removed: [String]
        var walletDebit: String?
        var refusals: [String]
    }

    init(_ o: Wire.SubscriptionOverview, layout: Layout) {
        let s = o.subscription
        self.layout = layout
        id = s.id
        customer = s.customer
        type = s._type
        state = s.state.rawValue
        stateTitle = ConvergentServer.stateTitle(s.state)
        since = s.since
        accountsReceivable = s.accountsReceivable
        installedProduct = s.installedProduct
        let t = s.billingTerm
        term = "\(t.scheme) · \(t.frequency.rawValue) · \(t.pricePlan)" + (t.effective ? "" : " · not effective")
        binding = t.bindingPeriod == 0 ? "no binding" : "\(t.bindingPeriod) months" + (t.bindingEnd.map { ", to \($0)" } ?? "")
            + (t.allowedCancel.map { "; may be cancelled from \($0)" } ?? "")
        restingUntil = s.restingUntil
        distributors = s.distributors.joined(separator: ", ")
        services = s.services.map {
            Service(id: $0.id, product: $0.product, state: $0.state.rawValue, stateTitle: ConvergentServer.stateTitle($0.state), bundle: $0.bundle, distributors: $0.distributors.joined(separator: ", "),
                    removedOn: $0.removedOn)
        }
        items = s.items.map {
            Item(id: $0.id, product: $0.product, distributors: $0.distributors.joined(separator: ", "),
                 moves: $0.moves.isEmpty ? nil : $0.moves.map { "\($0.on): \($0.from) → \($0.to)" }.joined(separator: "; "))
        }
        bills = o.unsettledBills.map(BillRow.init)
        actions = o.actions.map {
            Action(behaviourCode: $0.behaviourCode, schedulable: $0.schedulable, offered: $0.offered, whyNot: $0.whyNot?.message, code: $0.whyNot?.code)
        }
        canRest = o.actions.contains { $0.behaviourCode == RestSubscription.behaviourCode && $0.offered }
        canEndResting = o.actions.contains { $0.behaviourCode == EndSubscriptionResting.behaviourCode && $0.offered }
        lifecycle = s.lifecycle.map { period in
            ["\(period.on) \(ConvergentServer.stateTitle(period.state))", period.billEffectiveDate.map { "billed from \($0)" }, period.billingDirectives.isEmpty ? nil : period.billingDirectives.joined(separator: ", "),
             "— \(period.reason)"].compactMap { $0 }.joined(separator: " ")
        }
    }
}

struct BillRow: Sendable {
    var id: String
    var amount: String
    var dueDate: String
    var settled: Bool

    init(_ b: Wire.Bill) {
        id = b.id
        amount = "\(requestAmount(b.amount)) \(b.currency)"
        dueDate = b.dueDate
        settled = b.settled
    }
}

struct BillingAccountPage: Sendable {
    struct Movement: Sendable {
        var at: String
        var kind: String
        var amount: String
        var balanceAfter: String
        var reference: String?
        var by: String
    }

    var layout: Layout
    var id: String
    var owner: String
    var type: String
    var status: String
    var prepaid: Bool
    var balance: String?
    var currency: String
    var movements: [Movement]
    var moreMovements: String?
    var bills: [BillRow]
    var moreBills: String?
    var subscriptions: [SubscriptionRow]
    var problem: ProblemView?
}

extension Console {
    struct SubscribeForm: Decodable, Sendable {
        var installedProduct: String
        var type: String
        var accountsReceivable: String?
        var scheme: String
        var frequency: String
        var bindingPeriod: String
        var pricePlan: String
    }

    /// R-12.4: `add[<product>]` and `remove[<service>]` ticked; `intent` preview or amend.
    struct AmendForm: Decodable, Sendable {
        var bundle: String
        var add: [String: String]?
        var remove: [String: String]?
        var intent: String?
        /// R-12.2: a day to run it on (midnight); empty: now.
        var onDay: String?
    }

    /// R-12.3: `items[<installed item>]` ticked and the target subscription.
    struct MoveForm: Decodable, Sendable {
        var items: [String: String]?
        var target: String
    }

    /// R-12.5: the day the resting ends; a day to start it on (midnight), empty: now.
    struct RestForm: Decodable, Sendable {
        var until: String
        var onDay: String?
    }

    /// R-12.6: a performed date (in the past to bill from an earlier day), a day to run it on; empty: today, now.
    struct EndRestingForm: Decodable, Sendable {
        var performedOn: String?
        var onDay: String?
    }

    struct WithdrawForm: Decodable, Sendable {
        var subscription: String
    }

    struct RescheduleForm: Decodable, Sendable {
        var subscription: String
        var onDay: String
    }

    struct WalletForm: Decodable, Sendable {
        var amount: String
        var reference: String?
    }

    func registerSubscriptions(on router: Router<AppRequestContext>) {
        router.get("/subscriptions/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in try await subscription(id, agent) }
        }
        // R-12.4: Amend Bundle Services — previewed (the page again, with what it would do and
        // every refusal), or performed (through its change order); refused, the page with why.
        router.post("/subscriptions/:id/actions") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, AmendForm.self, refused: { agent, problem in try await subscription(id, agent, problem: ProblemView(problem)) },
                                answer: { agent, error in
                                    guard let preview = error as? AmendPreviewAnswer else { return nil }
                                    return try await subscription(id, agent, preview: preview)
                                }) { agent, form in
                _ = try Self.require(agent, .manageCustomers)
                let amend = AmendBundleServices(bundle: form.bundle, add: (form.add ?? [:]).keys.sorted().map { ProductID($0) },
                                                remove: (form.remove ?? [:]).keys.sorted())
                let details = ActionDetails(caller: agent.user.id, today: engine.today)
                if form.intent == "preview" {
                    let found = try await engine.subscriptions.preview(id, .amendBundleServices(amend), details: details, today: engine.today, now: engine.clock.now(), caller: agent.user.id)
                    throw AmendPreviewAnswer(amend: amend, preview: found.preview, refusals: found.refusals)
                }
                let schedule = try dayParameter(Self.text(form.onDay), "onDay").map { ActionSchedule.onDay($0) } ?? .now
                _ = try await engine.subscriptions.perform(id, .amendBundleServices(amend), details: details, schedule: schedule, today: engine.today,
                                                           context: engine.context(agent.user.id))
                return "/subscriptions/\(Self.pathComponent(id))"
            }
        }
        // R-12.3: Move Installed Items — the ticked items to another subscription of the same
        // accounts receivable, through a convergent order migrating them; refused, the page with why.
        router.post("/subscriptions/:id/move") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, MoveForm.self, refused: { agent, problem in try await subscription(id, agent, problem: ProblemView(problem)) }) { agent, form in
                _ = try Self.require(agent, .manageCustomers)
                let move = MoveInstalledItems(items: (form.items ?? [:]).keys.sorted(), target: form.target)
                _ = try await engine.subscriptions.perform(id, .moveInstalledItems(move), details: ActionDetails(caller: agent.user.id, today: engine.today),
                                                           today: engine.today, context: engine.context(agent.user.id))
                return "/subscriptions/\(Self.pathComponent(id))"
            }
        }
        // R-12.5: Rest Subscription — now or from a day; its play suspended through an order, its
        // end of resting scheduled by itself. Refused, the page with every reason.
        router.post("/subscriptions/:id/rest") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, RestForm.self, refused: { agent, problem in try await subscription(id, agent, problem: ProblemView(problem)) }) { agent, form in
                _ = try Self.require(agent, .manageCustomers)
                guard let until = try dayParameter(Self.text(form.until), "until") else {
                    throw Problem(.unprocessableContent, "invalid-value", "choose the day the resting ends", field: "until")
                }
                let schedule = try dayParameter(Self.text(form.onDay), "onDay").map { ActionSchedule.onDay($0) } ?? .now
                _ = try await engine.subscriptions.perform(id, .rest(RestSubscription(until: until)), details: ActionDetails(caller: agent.user.id, today: engine.today),
                                                           schedule: schedule, today: engine.today, context: engine.context(agent.user.id))
                return "/subscriptions/\(Self.pathComponent(id))"
            }
        }
        // R-12.6: End Subscription Resting before its end date — now or on a day, performed on a
        // day in the past to bill from it.
        router.post("/subscriptions/:id/end-resting") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, EndRestingForm.self, refused: { agent, problem in try await subscription(id, agent, problem: ProblemView(problem)) }) { agent, form in
                _ = try Self.require(agent, .manageCustomers)
                let details = ActionDetails(performedOn: try dayParameter(Self.text(form.performedOn), "performedOn"), caller: agent.user.id, today: engine.today)
                let schedule = try dayParameter(Self.text(form.onDay), "onDay").map { ActionSchedule.onDay($0) } ?? .now
                _ = try await engine.subscriptions.perform(id, .endResting(EndSubscriptionResting()), details: details, schedule: schedule, today: engine.today,
                                                           context: engine.context(agent.user.id))
                return "/subscriptions/\(Self.pathComponent(id))"
            }
        }
        // R-16.4: a pending action moved to another day (midnight) from its subscription's page.
        router.post("/subscription-actions/:id/reschedule") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, RescheduleForm.self, refused: { agent, problem in
                let subscription = try await engine.subscriptions.action(id).value.subscription
                return try await self.subscription(subscription, agent, problem: ProblemView(problem))
            }) { agent, form in
                _ = try Self.require(agent, .manageCustomers)
                guard let day = try dayParameter(Self.text(form.onDay), "onDay") else {
                    throw Problem(.unprocessableContent, "invalid-value", "choose the day it runs on", field: "onDay")
                }
                let moved = try await engine.subscriptions.reschedule(id, to: .onDay(day), expectedVersion: nil, context: engine.context(agent.user.id))
                return "/subscriptions/\(Self.pathComponent(moved.value.subscription))"
            }
        }
        // R-16.4: a pending action withdrawn from its subscription's page.
        router.post("/subscription-actions/:id/withdraw") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, WithdrawForm.self, refused: { agent, problem in
                let subscription = try await engine.subscriptions.action(id).value.subscription
                return try await self.subscription(subscription, agent, problem: ProblemView(problem))
            }) { agent, form in
                _ = try Self.require(agent, .manageCustomers)
                let withdrawn = try await engine.subscriptions.withdraw(id, expectedVersion: nil, context: engine.context(agent.user.id))
                return "/subscriptions/\(Self.pathComponent(withdrawn.value.subscription))"
            }
        }
        router.get("/customers/:id/subscriptions") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                _ = try Self.require(agent, .manageCustomers)
                let found = try await engine.subscriptions.subscriptions(of: id, after: Self.text(request.formQuery.get("cursor")), limit: 25)
                return render("subscriptions", SubscriptionsPage(
                    layout: Layout(title: "Subscriptions of \(id)", agent: agent), customer: id, rows: try found.items.map { SubscriptionRow(try Wire.Subscription($0)) },
                    next: found.nextCursor.map { "/customers/\(Self.pathComponent(id))/subscriptions?" + Self.query(["cursor": $0]) }))
            }
        }
        // R-12.1: made from the form on the customer page; refused, that page again with every reason.
        router.post("/customers/:id/subscriptions") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, SubscribeForm.self, refused: { agent, problem in try await customer(id, request, agent, problem: ProblemView(problem)) }) { agent, form in
                guard let months = Int(form.bindingPeriod.trimmingCharacters(in: .whitespaces)) else {
                    throw Problem(.unprocessableContent, "invalid-value", "the binding period is a whole number of months", field: "bindingPeriod")
                }
                let request = Subscribe(installedProduct: form.installedProduct.trimmingCharacters(in: .whitespaces), type: form.type,
                                        accountsReceivable: Self.text(form.accountsReceivable),
                                        billingTerm: .init(scheme: form.scheme, frequency: try Self.choice(BillingFrequency.self, form.frequency, "frequency"),
                                                           bindingPeriod: months, pricePlan: form.pricePlan.trimmingCharacters(in: .whitespaces)))
                // From this customer's page, only this customer's contracts.
                if let contract = try await engine.store.get(InstalledContract.self, id: Subscribe.contractID(of: request.installedProduct)), contract.value.customer != id {
                    throw Problem(.unprocessableContent, "invalid-value", "\(request.installedProduct) is not installed for \(id)", field: "installedProduct")
                }
                let made = try await engine.subscriptions.subscribe(request, today: engine.today, context: engine.context(agent.user.id))
                return "/subscriptions/\(Self.pathComponent(made.value.id))"
            }
        }
        router.get("/billing-accounts/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in try await billingAccount(id, request, agent) }
        }
        // R-2.3: an agent credits a prepaid wallet (a top-up), with a reference.
        router.post("/billing-accounts/:id/wallet") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, WalletForm.self, refused: { agent, problem in try await billingAccount(id, request, agent, problem: ProblemView(problem)) }) { agent, form in
                _ = try Self.require(agent, .manageCustomers)
                guard let amount = Decimal(string: form.amount.trimmingCharacters(in: .whitespaces)) else {
                    throw Problem(.unprocessableContent, "invalid-value", "the amount is a number, e.g. 10.00", field: "amount")
                }
                _ = try await engine.subscriptions.credit(id, amount: amount, currency: nil, reference: Self.text(form.reference), expectedVersion: nil,
                                                          context: engine.context(agent.user.id, reason: Self.text(form.reference)))
                return "/billing-accounts/\(Self.pathComponent(id))"
            }
        }
    }

    /// A preview is answered as a page, not a redirect: carried out of the action as this value.
    struct AmendPreviewAnswer: Error {
        var amend: AmendBundleServices
        var preview: AmendBundleServices.Preview
        var refusals: [SubscriptionError]
    }

    func subscription(_ id: String, _ agent: Agent, problem: ProblemView? = nil, preview: AmendPreviewAnswer? = nil) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let found = try await engine.subscriptions.overview(id, today: engine.today)
        let overview = try Wire.SubscriptionOverview(found.overview, version: found.version, billVersions: found.billVersions)
        var page = SubscriptionPage(overview, layout: Layout(title: "Subscription \(id)", agent: agent))
        let catalog = try await engine.catalogs.active(on: engine.today).catalog
        let subscription = found.overview.subscription
        // A form per flexible bundle while amending is offered (not while resting, say).
        let amendable = found.overview.actions.contains { $0.behaviourCode == AmendBundleServices.behaviourCode && $0.unavailable == nil }
        page.bundles = subscription.services.filter { amendable && AmendBundleServices.isFlexibleBundle($0, in: catalog) }.map { bundle in
            let components = catalog.product(bundle.product)?.components.map(\.product) ?? []
            let chosen = preview?.amend.bundle == bundle.id ? preview?.amend : nil
            return SubscriptionPage.BundleForm(
                subscription: id, service: bundle.id, product: bundle.product.rawValue,
                add: components.filter { catalog.product($0)?.kind != .device }.map { product in
                    let cost = catalog.product(product)?.prices.map { "\($0.amount) \($0.currency)" }.joined(separator: " + ") ?? ""
                    return .init(value: product.rawValue, label: "\(catalog.product(product)?.name ?? product.rawValue)\(cost.isEmpty ? "" : " (\(cost))")",
                                 key: "add-\(bundle.id)-\(product.rawValue)", checked: chosen?.add.contains(product) ?? false)
                },
                remove: subscription.services.filter { $0.bundle == bundle.id && $0.removedOn == nil }.map { service in
                    .init(value: service.id, label: "\(service.product) (\(service.id))", key: "remove-\(service.id)", checked: chosen?.remove.contains(service.id) ?? false)
                })
        }
        if found.overview.actions.contains(where: { $0.behaviourCode == MoveInstalledItems.behaviourCode && $0.unavailable == nil }) {
            let siblings = try await engine.store.all(Subscription.self, where: ["accounts_receivable": subscription.accountsReceivable], limit: 50)
                .map(\.value).filter { $0.id != id }
            page.move = SubscriptionPage.MoveFormView(
                items: subscription.items.map { .init(value: $0.id, label: "\($0.product) (\($0.id))", key: "move-\($0.id)", checked: false) },
                targets: siblings.map { Option(value: $0.id, label: "\($0.id) · \($0.type)", selected: false) })
        }
        page.performed = try await engine.subscriptions.actions(of: id, limit: 20).items.map { Self.actionRow($0.value) }
        page.preview = preview.map { p in
            SubscriptionPage.PreviewView(bundle: p.amend.bundle, added: p.preview.added.map { "\($0.name) (\($0.product)): \($0.cost) \($0.currency ?? "")" },
                                         removed: p.preview.removed.map { "\($0.product) (\($0.id))" },
                                         walletDebit: p.preview.walletDebit.map { "\($0)" }, refusals: p.refusals.map { "\($0.message) (\($0.code.rawValue))" })
        }
        page.problem = problem
        return render("subscription", page, status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    func billingAccount(_ id: String, _ request: Request, _ agent: Agent, problem: ProblemView? = nil) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let query = request.formQuery
        let stored = try await engine.parties.account(id)
        let account = stored.value
        let wallet = engine.subscriptions.walletEntries(of: account, after: query.get("cursor").flatMap { Int($0) }, limit: 20)
        let bills = try await engine.subscriptions.bills(of: id, unsettledOnly: false, after: Self.text(query.get("bills")), limit: 20)
        let owned = try await engine.store.all(Subscription.self, where: ["accounts_receivable": id], limit: 20)
        let page = BillingAccountPage(
            layout: Layout(title: "Billing account \(id)", agent: agent), id: id, owner: account.owner, type: account.type.rawValue, status: account.status.rawValue,
            prepaid: account.paymentMode == .prepaid, balance: account.balance.map { "\($0) \(account.currency ?? "")" }, currency: account.currency ?? "",
            movements: wallet.items.map {
                BillingAccountPage.Movement(at: ISO8601DateFormatter().string(from: $0.at), kind: $0.kind.rawValue, amount: "\($0.amount)",
                                            balanceAfter: "\($0.balanceAfter)", reference: $0.reference, by: $0.by)
            },
            moreMovements: wallet.nextCursor.map { "/billing-accounts/\(Self.pathComponent(id))?" + Self.query(["cursor": String($0)]) },
            bills: bills.items.map { BillRow(Wire.Bill($0)) },
            moreBills: bills.nextCursor.map { "/billing-accounts/\(Self.pathComponent(id))?" + Self.query(["bills": $0]) },
            subscriptions: try owned.map { SubscriptionRow(try Wire.Subscription($0)) }, problem: problem)
        return render("billing-account", page, status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    /// The customer page's subscriptions (the first page) and the form that makes one.
    func subscriptionSection(of id: String, accounts: [String]) async throws -> SubscriptionSectionView {
        let found = try await engine.subscriptions.subscriptions(of: id, limit: 20)
        let catalog = try? await engine.catalogs.active(on: engine.today).catalog
        let form = SubscribeFormView(types: Option.list((catalog?.subscriptionTypes ?? []).map(\.id), selected: nil),
                                     schemes: Option.list((catalog?.billingTermSchemes ?? []).map(\.id), selected: nil),
                                     frequencies: Option.list(BillingFrequency.allCases.map(\.rawValue), selected: BillingFrequency.monthly.rawValue),
                                     accounts: Option.list(accounts, selected: nil, any: "the one paying it"))
        let pending = try await engine.subscriptions.actions(ofCustomer: id, status: .pending, limit: 20).items.map { Self.actionRow($0.value) }
        return SubscriptionSectionView(rows: try found.items.map { SubscriptionRow(try Wire.Subscription($0)) },
                                       more: found.nextCursor.map { "/customers/\(Self.pathComponent(id))/subscriptions?" + Self.query(["cursor": $0]) }, form: form,
                                       pending: pending)
    }

    static func actionRow(_ a: PendingAction) -> SubscriptionPage.ActionRow {
        var what: [String] = []
        if case let .rest(rest) = a.action { what.append("until \(rest.until)") }
        if case let .moveInstalledItems(move) = a.action { what.append("\(move.items.joined(separator: ", ")) to \(move.target)") }
        if a.automatic == true { what.append("automatic, at the end of the resting") }
        return SubscriptionPage.ActionRow(id: a.id, behaviourCode: a.action.behaviourCode, what: what.isEmpty ? nil : what.joined(separator: "; "),
                                   status: a.status.rawValue, pending: a.status == .pending && a.startedAt == nil && a.automatic != true,
                                   runsAt: ISO8601DateFormatter().string(from: a.runsAt), subscription: a.subscription,
                                   performed: "\(a.details.performedOn) by \(a.details.performedBy)", order: a.order, outcome: a.outcome)
    }
}
