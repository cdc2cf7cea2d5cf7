/// R-12.3 (seed 001): Move Installed Items Between Subscriptions — installed items of one
/// subscription moved to another of the same accounts receivable, each distributed there on the
/// distributors chosen (ENABLE) or, when none are named, on those it had. Not schedulable, no
/// rating preview. Every validation of the source is a refusal of its own (`validate`), and
/// `apply` does what the source's system processing says.
public struct MoveInstalledItems: Hashable, Sendable, Codable {
    public static let behaviourCode = "MOVEINSTITEMTOANOTHERSUBSCRIPTION"
    public static let classificationCode = "MOVEINSTITEM"
    public static let schedulable = false
    public static let ratingPreview = false
    /// The source may be in any of the eight states.
    public static let allowedStates = Set(LifecycleState.allCases)

    public var items: [String]
    public var target: String
    /// The distributors each item is distributed on in the target (by item id); absent: its own.
    public var distributors: [String: [String]]

    public init(items: [String], target: String, distributors: [String: [String]] = [:]) {
        self.items = items
        self.target = target
        self.distributors = distributors
    }

    /// why the action is not offered for `source` (nil when it is): no other
    /// subscription of its accounts receivable among `subscriptions`, or no installed item.
    public static func unavailability(of source: Subscription, among subscriptions: [Subscription]) -> SubscriptionError? {
        if !subscriptions.contains(where: { $0.id != source.id && $0.accountsReceivable == source.accountsReceivable }) {
            return SubscriptionError(.notOffered, "not offered: accounts receivable \(source.accountsReceivable) has no other subscription")
        }
        if source.items.isEmpty {
            return SubscriptionError(.notOffered, "not offered: subscription \(source.id) has no installed item")
        }
        return nil
    }

    /// Every rule of seed 001 that moving `items` from `source` to `target` on `day` breaks, in
    /// the seed's order; empty when the move may be done. `accountActive` says whether an
    /// accounts receivable is active.
    public func validate(source: Subscription, target: Subscription, accountActive: (String) -> Bool, catalog: Catalog,
                         on day: Day) -> [SubscriptionError] {
        var found: [SubscriptionError] = []
        if source.id == target.id {
            return [SubscriptionError(.sameSubscription, "the target is the source subscription \(source.id)", field: "target")]
        }
        for id in items where !source.items.contains(where: { $0.id == id }) {
            found.append(SubscriptionError(.itemNotOnSubscription, "installed item \(id) is not on subscription \(source.id)", field: "items"))
        }
        if items.isEmpty { found.append(SubscriptionError(.itemNotOnSubscription, "name at least one installed item to move", field: "items")) }
        if !Self.allowedStates.contains(source.state) {
            found.append(SubscriptionError(.stateNotAllowed, "subscription \(source.id) is \(source.state.title)", field: "source"))
        }
        if source.accountsReceivable != target.accountsReceivable {
            found.append(SubscriptionError(.differentAccountsReceivable,
                                           "\(source.id) is owned by accounts receivable \(source.accountsReceivable), \(target.id) by \(target.accountsReceivable)",
                                           field: "target"))
        }
        if !accountActive(target.accountsReceivable) {
            found.append(SubscriptionError(.accountsReceivableInactive, "accounts receivable \(target.accountsReceivable) of \(target.id) is not active", field: "target"))
        }
        if !target.billingTerm.effective {
            found.append(SubscriptionError(.billingTermNotEffective, "\(target.id) has no effective billing term", field: "target"))
        }
        guard found.isEmpty || found.allSatisfy({ $0.code != .itemNotOnSubscription }) else { return found }
        let (sourceAfter, targetAfter) = applied(source: source, target: target, on: day)
        if source.state == .effective, let definition = catalog.subscriptionDefinition(of: source.type, on: day) {
            for violation in definition.violations(of: sourceAfter.holdings) {
                found.append(SubscriptionError(.sourceDefinitionViolated, "without the items, \(source.id) would break: \(violation.message)", field: "items"))
            }
        }
        let moved = targetAfter.holdings.filter { $0.kind == .installedItem && items.contains($0.instance ?? "") }
        if let type = catalog.subscriptionTypes.first(where: { $0.id == target.type }) {
            for reason in type.disallowed(moved) { found.append(SubscriptionError(.notAllowedByType, reason, field: "distributors")) }
        } else {
            found.append(SubscriptionError(.notAllowedByType, "subscription type \(target.type) of \(target.id) is not in the catalog", field: "target"))
        }
        if target.state == .effective, let definition = catalog.subscriptionDefinition(of: target.type, on: day) {
            for violation in definition.violations(of: targetAfter.holdings, about: [.installedItem]) {
                found.append(SubscriptionError(.targetDefinitionViolated, "with the items, \(target.id) would break: \(violation.message)", field: "target"))
            }
        }
        return found
    }

    /// The two subscriptions after the move (seed 001, system processing): each item and its
    /// distribution removed from the source, which drops the distributors left unused; added to
    /// the target on its distributors, which the target gains when it lacks them; the item's
    /// history gains source → target.
    public func applied(source: Subscription, target: Subscription, on day: Day) -> (source: Subscription, target: Subscription) {
        var source = source, target = target
        for id in items {
            guard let index = source.items.firstIndex(where: { $0.id == id }) else { continue }
            var item = source.items.remove(at: index)
            item.distributors = distributors[id] ?? item.distributors
            item.history.append(InstalledItemMove(from: source.id, to: target.id, on: day))
            for distributor in item.distributors where !target.distributors.contains(distributor) { target.distributors.append(distributor) }
            target.items.append(item)
        }
        source.dropUnusedDistributors()
        return (source, target)
    }

    /// How one installed item is moved through the installed base: by the built-in
    /// migration action `MigrationAction.moveInstalledItem`, under the installed product of the
    /// target's contract that takes it.
    public struct Carriage: Hashable, Sendable, Codable {
        public var item: String
        public var holder: String
    }

    /// performed: for each item, the first installed product under the target's play
    /// (breadth first) whose catalog product holds that device and has room for one more; each
    /// item without one is refused with `installed-item-cannot-move`.
    public func carriage(source: Subscription, target: Subscription, targetContract: InstalledContract, catalog: Catalog,
                         on day: Day) -> (carriage: [Carriage], refusals: [SubscriptionError]) {
        var carriage: [Carriage] = [], refusals: [SubscriptionError] = []
        guard let scope = target.installedProduct.flatMap({ targetContract.product($0)?.component }) else {
            return ([], [SubscriptionError(.itemCannotMove, "\(target.id) is not made from an installed contract", field: "target")])
        }
        var taken: [String: Int] = [:]
        for id in items {
            guard let item = source.items.first(where: { $0.id == id }) else { continue }
            var queue = [scope]
            var holder: InstalledProduct?
            while !queue.isEmpty, holder == nil {
                let candidate = queue.removeFirst()
                guard candidate.status != .disconnected else { continue }
                if let slot = catalog.product(candidate.product)?.components.first(where: { $0.product == item.product }),
                   candidate.components.filter({ $0.product == item.product && $0.status != .disconnected }).count + taken[candidate.id, default: 0] < slot.max {
                    holder = candidate
                }
                queue += candidate.components
            }
            guard let holder else {
                refusals.append(SubscriptionError(.itemCannotMove, "nothing installed under \(scope.id) (\(target.id)) has room for one more \(item.product)", field: "target"))
                continue
            }
            taken[holder.id, default: 0] += 1
            carriage.append(Carriage(item: id, holder: holder.id))
        }
        return (carriage, refusals)
    }
}
