import ConvergentAPI
import ConvergentDomain
import ConvergentStore
import Foundation

// Subscriptions, their overview before an action, bills and
// prepaid wallets on the wire.

extension Wire.LifecyclePeriod {
    init(_ p: ConvergentDomain.LifecyclePeriod) throws {
        self.init(state: try sameCase(p.state), on: p.on.description, billEffectiveDate: p.billEffectiveDate?.description,
                  billableStart: p.billableStart?.description, billingDirectives: p.billingDirectives, reason: p.reason)
    }
}

extension Wire.Subscription {
    init(_ stored: Versioned<ConvergentDomain.Subscription>) throws { try self.init(stored.value, version: stored.version) }

    init(_ s: ConvergentDomain.Subscription, version: Int) throws {
        let term = s.billingTerm
        self.init(id: s.id, version: version, customer: s.customer, accountsReceivable: s.accountsReceivable, _type: s.type, contract: s.contract,
                  installedProduct: s.installedProduct, state: try sameCase(s.state), since: s.lifecycle.since.description,
                  stateBeforeResting: try s.lifecycle.beforeResting.map { try sameCase($0) }, restingUntil: s.restingUntil?.description,
                  billingTerm: .init(scheme: term.scheme, frequency: try sameCase(term.frequency), bindingPeriod: term.bindingPeriod, pricePlan: term.pricePlan,
                                     bindingEnd: term.bindingEnd?.description, allowedCancel: term.allowedCancel?.description, effective: term.effective),
                  lifecycle: try s.lifecycle.history.map(Wire.LifecyclePeriod.init), distributors: s.distributors,
                  services: try s.services.map {
                      .init(id: $0.id, product: $0.product.rawValue, distributors: $0.distributors, state: try sameCase($0.lifecycle.state),
                            bundle: $0.bundle, removedOn: $0.removedOn?.description, lifecycle: try $0.lifecycle.history.map(Wire.LifecyclePeriod.init))
                  },
                  items: s.items.map {
                      .init(id: $0.id, product: $0.product.rawValue, distributors: $0.distributors,
                            moves: $0.history.map { .init(from: $0.from, to: $0.to, on: $0.on.description) })
                  })
    }
}

extension Wire.SubscriptionOverview {
    init(_ o: SubscriptionOverview, version: Int, billVersions: [String: Int]) throws {
        self.init(subscription: try Wire.Subscription(o.subscription, version: version),
                  unsettledBills: o.unsettledBills.map { Wire.Bill($0, version: billVersions[$0.id] ?? 1) },
                  actions: o.actions.map {
                      .init(behaviourCode: $0.behaviourCode, schedulable: $0.schedulable, offered: $0.unavailable == nil,
                            whyNot: $0.unavailable.map { Wire.ProblemItem(code: $0.code.rawValue, message: $0.message, path: $0.field) })
                  })
    }
}

extension Wire.Bill {
    init(_ stored: Versioned<ConvergentDomain.Bill>) { self.init(stored.value, version: stored.version) }

    init(_ b: ConvergentDomain.Bill, version: Int) {
        self.init(id: b.id, version: version, accountsReceivable: b.accountsReceivable, amount: b.amount.wire, currency: b.currency,
                  dueDate: b.dueDate.description, settled: b.settled)
    }
}

extension Wire.Wallet {
    init(_ account: Versioned<BillingAccount>, entries: [WalletEntry], nextCursor: Int?) throws {
        self.init(account: account.value.id, version: account.version, balance: (account.value.balance ?? 0).wire, currency: account.value.currency,
                  items: try entries.map {
                      .init(kind: try sameCase($0.kind), amount: $0.amount.wire, balanceAfter: $0.balanceAfter.wire, reference: $0.reference,
                            at: $0.at, by: $0.by)
                  },
                  nextCursor: nextCursor)
    }
}

extension Wire.SubscriptionAction {
    init(_ stored: Versioned<PendingAction>) throws {
        let a = stored.value, d = a.details
        var bundle: String?, add: [String]?, remove: [String]?, until: String?, items: [String]?, target: String?
        switch a.action {
        case let .amendBundleServices(amend):
            bundle = amend.bundle
            add = amend.add.map(\.rawValue)
            remove = amend.remove
        case let .rest(rest):
            until = rest.until.description
        case let .moveInstalledItems(move):
            items = move.items
            target = move.target
        case .endResting:
            break
        }
        self.init(id: a.id, version: stored.version, subscription: a.subscription, customer: a.customer, behaviourCode: a.action.behaviourCode,
                  classificationCode: d.classificationCode, actionType: d.actionType, subActionType: d.subActionType, performedBy: d.performedBy,
                  performedOn: d.performedOn.description, runsAt: a.runsAt, status: try sameCase(a.status), outcome: a.outcome, order: a.order,
                  walletDebit: a.walletDebit?.wire, bundle: bundle, add: add, remove: remove, until: until, automatic: a.automatic,
                  startedAt: a.startedAt, items: items, target: target)
    }
}

extension Wire.SubscriptionActionPreview {
    init(_ preview: AmendBundleServices.Preview, refusals: [SubscriptionError]) {
        self.init(added: preview.added.map { .init(product: $0.product.rawValue, name: $0.name, cost: $0.cost.wire, currency: $0.currency) },
                  removed: preview.removed.map { .init(id: $0.id, product: $0.product.rawValue) }, walletDebit: preview.walletDebit?.wire,
                  refusals: refusals.map { Wire.ProblemItem(code: $0.code.rawValue, message: $0.message, path: $0.field) })
    }
}
