import Foundation

/// R-12.4 (seed 002): Amend Bundle Services — components added to and removed from a flexible
/// bundle service (an offer whose components the customer chooses between their min and max).
/// Schedulable. Every validation of the seed is a refusal of its own; a prepaid wallet must
/// cover activating every added component, or the whole action is refused; on success it is
/// debited once.
public struct AmendBundleServices: Hashable, Sendable, Codable {
    public static let behaviourCode = "AMENDBUNDLEDSERVICE"
    public static let classificationCode = "AMENDBUNDLEDSERVICE"
    public static let schedulable = true
    public static let allowedStates: Set<LifecycleState> = [.draft, .effective, .notEffective]

    /// The flexible bundle service amended.
    public var bundle: String
    /// Component products added.
    public var add: [ProductID]
    /// Component services removed (their ids).
    public var remove: [String]

    public init(bundle: String, add: [ProductID] = [], remove: [String] = []) {
        self.bundle = bundle
        self.add = add
        self.remove = remove
    }

    /// what the agent sees before submitting: the components added (with what
    /// activating each costs: its one-time and recurring prices) and removed, and the wallet debit.
    public struct Preview: Hashable, Sendable, Codable {
        public struct Added: Hashable, Sendable, Codable {
            public var product: ProductID
            public var name: String
            public var cost: Decimal
            public var currency: String?
        }

        public var added: [Added]
        public var removed: [SubscriptionService]
        /// The wallet debit: what activating every added component costs (nil for a postpaid account).
        public var walletDebit: Decimal?

        /// What an action that changes no component shows.
        public static let nothing = Preview(added: [], removed: [], walletDebit: nil)
    }

    /// A service is a flexible bundle when its product is an offer with a component to choose.
    public static func isFlexibleBundle(_ service: SubscriptionService, in catalog: Catalog) -> Bool {
        guard service.removedOn == nil, let product = catalog.product(service.product), product.kind == .offer else { return false }
        return product.components.contains { $0.min != $0.max }
    }

    /// why the action is not offered (nil when it is): no flexible bundle service.
    public static func unavailability(of subscription: Subscription, catalog: Catalog) -> SubscriptionError? {
        subscription.services.contains { isFlexibleBundle($0, in: catalog) } ? nil
            : SubscriptionError(.notOffered, "not offered: subscription \(subscription.id) has no flexible bundle service")
    }

    public func preview(_ subscription: Subscription, catalog: Catalog, prepaid: Bool) -> Preview {
        let added = add.map { id in
            let product = catalog.product(id)
            let prices = product?.prices ?? []
            return Preview.Added(product: id, name: product?.name ?? id.rawValue, cost: prices.reduce(0) { $0 + $1.amount }, currency: prices.first?.currency)
        }
        let removed = subscription.services.filter { remove.contains($0.id) }
        return Preview(added: added, removed: removed, walletDebit: prepaid ? added.reduce(0) { $0 + $1.cost } : nil)
    }

    /// Every rule of seed 002 the amendment breaks on `day`. `wallet` is the prepaid balance (nil
    /// for a postpaid accounts receivable); `bundleChangeScheduled` the day a pending action
    /// removes or swaps the bundle, if one does.
    public func validate(_ subscription: Subscription, catalog: Catalog, wallet: Decimal?, bundleChangeScheduled: Day?, on day: Day) -> [SubscriptionError] {
        var found: [SubscriptionError] = []
        if !Self.allowedStates.contains(subscription.state) {
            found.append(SubscriptionError(.stateNotAllowed, "subscription \(subscription.id) is \(subscription.state.title); amending a bundle needs Draft, Effective or Not Effective",
                                           field: "state"))
        }
        guard let service = subscription.services.first(where: { $0.id == bundle }), Self.isFlexibleBundle(service, in: catalog),
              let product = catalog.product(service.product) else {
            return found + [SubscriptionError(.notOffered, "\(bundle) is not a flexible bundle service of \(subscription.id)", field: "bundle")]
        }
        if service.lifecycle.state.isFinal {
            found.append(SubscriptionError(.stateNotAllowed, "the bundle service \(bundle) is \(service.lifecycle.state.title)", field: "bundle"))
        }
        if add.isEmpty, remove.isEmpty {
            found.append(SubscriptionError(.bundleCompositionViolated, "add or remove at least one component", field: "add"))
        }
        // The composition afterwards: components of the bundle only, each within min and max.
        for id in add where !product.components.contains(where: { $0.product == id }) {
            found.append(SubscriptionError(.bundleCompositionViolated, "\(id) is not a component of \(product.id)", field: "add"))
        }
        for id in remove where !subscription.services.contains(where: { $0.id == id && $0.bundle == bundle && $0.removedOn == nil }) {
            found.append(SubscriptionError(.bundleCompositionViolated, "\(id) is not a component service of the bundle \(bundle)", field: "remove"))
        }
        let after = applied(subscription, catalog: catalog, on: day)
        for component in product.components {
            let count = after.services.filter { $0.bundle == bundle && $0.removedOn == nil && $0.product == component.product }.count
            if count < component.min || count > component.max {
                found.append(SubscriptionError(.bundleCompositionViolated,
                                               "\(product.id) holds \(component.min) to \(component.max) of \(component.product); it would hold \(count)", field: "add"))
            }
        }
        // The service dependencies of the definition in force.
        if let definition = catalog.subscriptionDefinition(of: subscription.type, on: day) {
            for violation in definition.violations(of: after.holdings, about: [.service]) {
                found.append(SubscriptionError(.definitionViolated, violation.message, field: "add"))
            }
        }
        if let scheduled = bundleChangeScheduled {
            found.append(SubscriptionError(.bundleScheduledToChange, "the bundle \(bundle) is scheduled to be removed or swapped on \(scheduled)", field: "bundle"))
        }
        if let wallet, let debit = preview(subscription, catalog: catalog, prepaid: true).walletDebit, debit > wallet {
            found.append(SubscriptionError(.insufficientWallet, "activating the added components costs \(debit); the wallet holds \(wallet)", field: "add"))
        }
        return found
    }

    /// The subscription amended on `day` (seed 002, system processing): added components join the
    /// bundle on its distributors, with the state the bundle has from that day; removed ones are
    /// kept, marked removed, and off their distributors, which the subscription drops when
    /// nothing else is on them.
    public func applied(_ subscription: Subscription, catalog: Catalog, on day: Day) -> Subscription {
        var amended = subscription
        guard let service = subscription.services.first(where: { $0.id == bundle }) else { return amended }
        for index in amended.services.indices where remove.contains(amended.services[index].id) && amended.services[index].bundle == bundle {
            amended.services[index].removedOn = day
        }
        var next = subscription.services.count
        for product in add {
            next += 1
            var lifecycle = Lifecycle(.service, draftOn: day, reason: "added to \(bundle)")
            if service.lifecycle.state != .draft {
                try? lifecycle.move(LifecyclePeriod(state: service.lifecycle.state, on: day, reason: "as its bundle \(bundle)"))
            }
            amended.services.append(SubscriptionService(id: "\(bundle).\(next)", product: product, distributors: service.distributors,
                                                        lifecycle: lifecycle, bundle: bundle))
        }
        amended.dropUnusedDistributors()
        return amended
    }
}
