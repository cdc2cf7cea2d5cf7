import Foundation

/// a subscription's billing term instance — the scheme it is billed under, the
/// frequency, binding period and price plan chosen from it, the binding end and the allowed
/// cancel date, and whether it is in effect.
public struct BillingTermInstance: Hashable, Sendable, Codable {
    public var scheme: String
    public var frequency: BillingFrequency
    public var bindingPeriod: Int
    public var pricePlan: String
    public var bindingEnd: Day?
    public var allowedCancel: Day?
    public var effective: Bool

    public init(scheme: String, frequency: BillingFrequency, bindingPeriod: Int, pricePlan: String, bindingEnd: Day? = nil,
                allowedCancel: Day? = nil, effective: Bool = true) {
        self.scheme = scheme
        self.frequency = frequency
        self.bindingPeriod = bindingPeriod
        self.pricePlan = pricePlan
        self.bindingEnd = bindingEnd
        self.allowedCancel = allowedCancel
        self.effective = effective
    }
}

/// a service of a subscription — a commercial component of its installed contract —
/// with its own life cycle and the distributors it is distributed on.
public struct SubscriptionService: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var product: ProductID
    public var distributors: [String]
    public var lifecycle: Lifecycle
    /// the flexible bundle service it is a component of.
    public var bundle: String?
    /// the day it was removed from its bundle (kept, never deleted; its history says removed).
    public var removedOn: Day?

    public init(id: String, product: ProductID, distributors: [String], lifecycle: Lifecycle, bundle: String? = nil, removedOn: Day? = nil) {
        self.id = id
        self.product = product
        self.distributors = distributors
        self.lifecycle = lifecycle
        self.bundle = bundle
        self.removedOn = removedOn
    }
}

/// an installed item's move from one subscription to another, in its history.
public struct InstalledItemMove: Hashable, Sendable, Codable {
    public var from: String
    public var to: String
    public var on: Day

    public init(from: String, to: String, on: Day) {
        self.from = from
        self.to = to
        self.on = on
    }
}

/// an installed item (a device) of a subscription, the distributors it is distributed
/// on, and the subscriptions it was moved between.
public struct SubscriptionItem: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var product: ProductID
    public var distributors: [String]
    public var history: [InstalledItemMove]

    public init(id: String, product: ProductID, distributors: [String], history: [InstalledItemMove] = []) {
        self.id = id
        self.product = product
        self.distributors = distributors
        self.history = history
    }
}

/// a subscription (CRM.COM) — the view of an installed contract that an accounts
/// receivable owns, of a subscription type, billed under a billing term instance, with its
/// services, installed items and provisioning distributors, and its life cycle.
public struct Subscription: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var customer: String
    /// The owning accounts receivable (a billing account of the customer's).
    public var accountsReceivable: String
    public var type: String
    public var billingTerm: BillingTermInstance
    public var lifecycle: Lifecycle
    public var services: [SubscriptionService]
    public var items: [SubscriptionItem]
    /// The provisioning distributors its services and items are distributed on.
    public var distributors: [String]
    /// while In Resting, the day the resting ends by itself.
    public var restingUntil: Day?
    /// The installed contract it is the view of, and the installed product it was made from
    /// (the contract or one of its plays); nil for one made by hand.
    public var contract: String?
    public var installedProduct: String?

    public init(id: String, customer: String, accountsReceivable: String, type: String, billingTerm: BillingTermInstance, lifecycle: Lifecycle,
                services: [SubscriptionService] = [], items: [SubscriptionItem] = [], distributors: [String] = []) {
        self.id = id
        self.customer = customer
        self.accountsReceivable = accountsReceivable
        self.type = type
        self.billingTerm = billingTerm
        self.lifecycle = lifecycle
        self.services = services
        self.items = items
        self.distributors = distributors
    }

    public var state: LifecycleState { lifecycle.state }

    /// What its definition's rules and its type see: each service and item on each of its
    /// distributors (once, with none, when it is on no distributor).
    public var holdings: [SubscriptionHolding] {
        func spread(_ kind: SubscriptionHolding.Kind, _ product: ProductID, _ distributors: [String], _ id: String) -> [SubscriptionHolding] {
            distributors.isEmpty ? [SubscriptionHolding(kind, product, instance: id)]
                : distributors.map { SubscriptionHolding(kind, product, on: $0, instance: id) }
        }
        return services.filter { $0.removedOn == nil }.flatMap { spread(.service, $0.product, $0.distributors, $0.id) }
            + items.flatMap { spread(.installedItem, $0.product, $0.distributors, $0.id) }
    }

    /// Drops the distributors nothing is distributed on any more.
    mutating func dropUnusedDistributors() {
        let used = Set(services.filter { $0.removedOn == nil }.flatMap(\.distributors) + items.flatMap(\.distributors))
        distributors.removeAll { !used.contains($0) }
    }
}

/// a bill the billing system posted: its accounts receivable, amount, due date, and
/// whether it is settled. Activation conditions read the unsettled ones.
public struct Bill: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var accountsReceivable: String
    public var amount: Decimal
    public var currency: String
    public var dueDate: Day
    public var settled: Bool

    public init(id: String, accountsReceivable: String, amount: Decimal, currency: String, dueDate: Day, settled: Bool = false) {
        self.id = id
        self.accountsReceivable = accountsReceivable
        self.amount = amount
        self.currency = currency
        self.dueDate = dueDate
        self.settled = settled
    }

    /// what is wrong with a bill as posted (nil when nothing is): an amount below 0, a
    /// currency that is not three capital letters (ISO 4217); with the field at fault.
    public var invalidity: (message: String, field: String)? {
        if amount < 0 { return ("a bill's amount is 0 or more, not \(amount)", "amount") }
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) {
            return ("the currency is a three-letter ISO 4217 code, not '\(currency)'", "currency")
        }
        return nil
    }
}

extension BillingTermDefinition.Activation {
    /// why `subscription` cannot become Effective on `day` (empty when it can):
    /// a distributor without an installed item, a bill of its accounts receivable unsettled for
    /// more than the days allowed.
    public func failures(of subscription: Subscription, bills: [Bill], on day: Day) -> [String] {
        var found: [String] = []
        if installedItemOnEachDistributor {
            for distributor in subscription.distributors where !subscription.items.contains(where: { $0.distributors.contains(distributor) }) {
                found.append("no installed item on distributor \(distributor)")
            }
        }
        if let days = maxUnsettledBillAgeDays {
            for bill in bills where bill.accountsReceivable == subscription.accountsReceivable && !bill.settled && bill.dueDate.adding(days: days) < day {
                found.append("bill \(bill.id) is unsettled \(day.daysSinceEpoch - bill.dueDate.daysSinceEpoch) days after its due date (at most \(days))")
            }
        }
        return found
    }
}
