import Foundation

/// R-12.1: a subscription made from an installed contract — the contract itself or one of its
/// plays (a home contract with broadband and TV makes one subscription of each type). It is a
/// view, not a second installed base: its services are the offers and atomic offers installed
/// below, its installed items the devices, its distributors the provisioning systems that serve
/// them; the subscription adds the accounts receivable, the type, the billing term and the
/// life cycle. One subscription per installed product (`subscriptionID(of:)`).
public struct Subscribe: Hashable, Sendable, Codable {
    /// The billing term the subscription is billed under.
    public struct Term: Hashable, Sendable, Codable {
        public var scheme: String
        public var frequency: BillingFrequency
        public var bindingPeriod: Int
        public var pricePlan: String

        public init(scheme: String, frequency: BillingFrequency, bindingPeriod: Int, pricePlan: String) {
            self.scheme = scheme
            self.frequency = frequency
            self.bindingPeriod = bindingPeriod
            self.pricePlan = pricePlan
        }
    }

    /// The installed contract, or one of its plays, the subscription is the view of.
    public var installedProduct: String
    public var type: String
    /// One of the customer's billing accounts; absent: the one paying the installed product.
    public var accountsReceivable: String?
    public var billingTerm: Term

    public init(installedProduct: String, type: String, accountsReceivable: String? = nil, billingTerm: Term) {
        self.installedProduct = installedProduct
        self.type = type
        self.accountsReceivable = accountsReceivable
        self.billingTerm = billingTerm
    }

    /// The id of the subscription made from an installed product: a second one is refused.
    public static func subscriptionID(of installedProduct: String) -> String { "SUB-\(installedProduct)" }

    /// The installed contract an installed product id belongs to (`IC-1.4` → `IC-1`).
    public static func contractID(of installedProduct: String) -> String { String(installedProduct.prefix { $0 != "." }) }

    /// The subscription made on `day` from `contract`, or every reason it cannot be: what it is
    /// made from (the contract or a play of it, not disconnected), its accounts receivable (one of
    /// `accounts`, the customer's, and active), and what the catalog says (`catalogViolations`).
    /// An Effective one whose activation conditions fail on `day` (`bills`: its accounts
    /// receivable's) is made Not Effective, with the reasons in its history.
    public func subscription(from contract: InstalledContract, accounts: [BillingAccount], bills: [Bill], catalog: Catalog,
                             on day: Day) -> (subscription: Subscription?, refusals: [SubscriptionError]) {
        guard let (scope, _) = contract.product(installedProduct),
              scope.id == contract.root.id || catalog.product(scope.product)?.kind == .play else {
            return (nil, [SubscriptionError(.invalidScope, "\(installedProduct) is neither installed contract \(contract.id) nor one of its plays",
                                            field: "installedProduct")])
        }
        guard scope.status.countsAsActive else {
            return (nil, [SubscriptionError(.invalidScope, "\(installedProduct) is \(scope.status.rawValue)", field: "installedProduct")])
        }
        var refusals: [SubscriptionError] = []
        let accountID = accountsReceivable ?? scope.billingAccount ?? contract.root.billingAccount ?? ""
        if let account = accounts.first(where: { $0.id == accountID }) {
            if account.status != .active {
                refusals.append(SubscriptionError(.accountsReceivableInactive, "accounts receivable \(accountID) is \(account.status.rawValue)",
                                                  field: "accountsReceivable"))
            }
        } else {
            refusals.append(SubscriptionError(.accountsReceivableNotOwned, "'\(accountID)' is not a billing account of customer \(contract.customer)",
                                              field: "accountsReceivable"))
        }
        let start = scope.installedOn ?? day
        let term = billingTerm
        let bindingEnd = term.bindingPeriod > 0 ? start.adding(months: term.bindingPeriod) : nil
        var made = Subscription(id: Self.subscriptionID(of: installedProduct), customer: contract.customer, accountsReceivable: accountID, type: type,
                                billingTerm: BillingTermInstance(scheme: term.scheme, frequency: term.frequency, bindingPeriod: term.bindingPeriod,
                                                                 pricePlan: term.pricePlan, bindingEnd: bindingEnd, allowedCancel: bindingEnd, effective: true),
                                lifecycle: Self.lifecycle(.subscription, of: scope, on: day, reason: "made from \(installedProduct)"))
        made.contract = contract.id
        made.installedProduct = installedProduct
        Self.collect(scope, parentService: nil, parentDistributors: [], catalog: catalog, on: day, into: &made)
        made.distributors = Array(Set(made.services.flatMap(\.distributors) + made.items.flatMap(\.distributors))).sorted()

        refusals += made.catalogViolations(catalog: catalog, on: day, becomingEffective: made.services.filter { $0.lifecycle.state == .effective })
        guard refusals.isEmpty else { return (nil, refusals) }
        if made.state == .effective {
            let failures = made.activationFailures(catalog: catalog, bills: bills, on: day)
            if !failures.isEmpty {
                try? made.lifecycle.move(LifecyclePeriod(state: .notEffective, on: max(day, made.lifecycle.since),
                                                         reason: "activation conditions fail: \(failures.joined(separator: "; "))"))
            }
        }
        return (made, [])
    }

    /// Draft from the day it was installed, then the state its installed status says: Effective
    /// (billed from that day) when active, Not Effective when suspended, Draft while it awaits
    /// activation.
    static func lifecycle(_ scope: SubscriptionLifecycle.Scope, of installed: InstalledProduct, on day: Day, reason: String) -> Lifecycle {
        let since = installed.installedOn ?? day
        var lifecycle = Lifecycle(scope, draftOn: since, reason: reason)
        let state: LifecycleState? = switch installed.status {
        case .active, .pendingSuspension, .pendingDisconnection: .effective
        case .suspended, .pendingResumption: .notEffective
        case .pendingActivation, .disconnected, .inactive: nil
        }
        if let state {
            try? lifecycle.move(LifecyclePeriod(state: state, on: since, billEffectiveDate: state == .effective ? since : nil,
                                                billableStart: state == .effective ? since : nil,
                                                billingDirectives: state == .effective ? ["bill from \(since)"] : [], reason: "installed \(installed.status.rawValue)"))
        }
        return lifecycle
    }

    /// The provisioning systems serving an installed product: its own, those of the products it
    /// sells, and those of the components installed below it (devices aside).
    static func distributors(of installed: InstalledProduct, catalog: Catalog) -> Set<String> {
        let product = catalog.product(installed.product)
        var found = Set([product?.provisioningSystem].compactMap { $0 })
        for sold in product?.sells ?? [] { if let system = catalog.product(sold)?.provisioningSystem { found.insert(system) } }
        for child in installed.components where child.status != .disconnected && catalog.product(child.product)?.kind != .device {
            found.formUnion(distributors(of: child, catalog: catalog))
        }
        return found
    }

    /// The services (offers and atomic offers; an atomic offer below a flexible bundle is in that
    /// bundle) and installed items (devices, on their own provisioning system and their parent's
    /// distributors) below `installed`, disconnected ones aside.
    static func collect(_ installed: InstalledProduct, parentService: String?, parentDistributors: Set<String>, catalog: Catalog, on day: Day,
                        into made: inout Subscription) {
        guard installed.status != .disconnected, let product = catalog.product(installed.product) else { return }
        let here = distributors(of: installed, catalog: catalog)
        var service = parentService
        switch product.kind {
        case .offer, .atomicOffer:
            made.services.append(SubscriptionService(id: installed.id, product: installed.product, distributors: here.sorted(),
                                                     lifecycle: lifecycle(.service, of: installed, on: day, reason: "installed as \(installed.id)"),
                                                     bundle: product.kind == .atomicOffer ? parentService : nil))
            service = installed.id
        case .device:
            made.items.append(SubscriptionItem(id: installed.id, product: installed.product, distributors: here.union(parentDistributors).sorted()))
            return
        default:
            break
        }
        for child in installed.components {
            collect(child, parentService: service, parentDistributors: here, catalog: catalog, on: day, into: &made)
        }
    }
}

extension Subscription {
    /// R-12.1: the subscription following its installed contract, which fulfillment changed on
    /// `day` (`before`: the contract as it was): a subscription is a view, not a second installed
    /// base. Services and installed items are those installed now — a new one Draft, then in the
    /// state its status says; one disconnected or gone is removed and Cancelled, kept in the
    /// list; the distributors follow. A service or the subscription whose installed status
    /// changed moves with it: suspended → Not Effective, active again → Effective (billed from
    /// the day) — the subscription only when its activation conditions hold on the day (`bills`:
    /// its accounts receivable's unsettled ones), else it stays Not Effective —,
    /// disconnected → Cancelled; a resting one keeps resting. Nil when nothing changed.
    ///
    /// `arrivals`: installed items that came from another subscription (a migration moved them
    /// here), by their id here, with the history they bring (the move to this one last).
    public func following(_ contract: InstalledContract, before: InstalledContract?, catalog: Catalog, bills: [Bill] = [],
                          arrivals: [String: [InstalledItemMove]] = [:], on day: Day) -> Subscription? {
        guard let scopeID = installedProduct, let (scope, _) = contract.product(scopeID) else { return nil }
        var derived = self
        derived.services = []
        derived.items = []
        Subscribe.collect(scope, parentService: nil, parentDistributors: [], catalog: catalog, on: day, into: &derived)
        var next = self
        next.services = services.map { service in
            var kept = service
            guard let now = derived.services.first(where: { $0.id == service.id }) else {
                if kept.removedOn == nil {
                    kept.removedOn = day
                    Self.follow(&kept.lifecycle, to: .disconnected, on: day, reason: "\(service.id) disconnected")
                }
                return kept
            }
            kept.distributors = now.distributors
            let status = contract.product(service.id)?.component.status
            if let status, status != before?.product(service.id)?.component.status {
                Self.follow(&kept.lifecycle, to: status, on: day, reason: "\(service.id) \(status.rawValue)")
            }
            return kept
        } + derived.services.filter { new in !services.contains { $0.id == new.id } }
        next.items = derived.items.map { item in
            var kept = item
            kept.history = items.first { $0.id == item.id }?.history ?? arrivals[item.id] ?? []
            return kept
        }
        next.distributors = Array(Set(next.services.filter { $0.removedOn == nil }.flatMap(\.distributors) + next.items.flatMap(\.distributors))).sorted()
        if scope.status != before?.product(scopeID)?.component.status {
            let failures = scope.status == .active && state == .notEffective ? next.activationFailures(catalog: catalog, bills: bills, on: day) : []
            // Active again while its activation conditions fail: it stays Not Effective.
            if failures.isEmpty { Self.follow(&next.lifecycle, to: scope.status, on: day, reason: "\(scopeID) \(scope.status.rawValue)") }
        }
        return next == self ? nil : next
    }

    /// A life cycle following an installed status (see `following`); moves the table does not
    /// have (a resting or final one) are left alone.
    static func follow(_ lifecycle: inout Lifecycle, to status: InstalledStatus, on day: Day, reason: String) {
        let target: LifecycleState? = switch (status, lifecycle.state) {
        case (.suspended, .effective), (.pendingResumption, .effective): .notEffective
        case (.active, .notEffective), (.active, .draft): .effective
        case (.disconnected, let state), (.inactive, let state): state.isFinal ? nil : .cancelled
        default: nil
        }
        guard let target else { return }
        try? lifecycle.move(LifecyclePeriod(state: target, on: max(day, lifecycle.since), billEffectiveDate: target == .effective ? day : nil,
                                            billableStart: target == .effective ? day : nil,
                                            billingDirectives: target == .effective ? ["bill from \(day)"] : target == .notEffective ? ["no recurring charge from \(day)"] : [],
                                            reason: reason))
    }
}
