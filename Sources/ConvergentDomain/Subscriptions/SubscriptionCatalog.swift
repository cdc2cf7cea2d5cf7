/// R-1.11: how often a subscription's billing term bills it.
public enum BillingFrequency: String, Hashable, Sendable, Codable, CaseIterable {
    case monthly, bimonthly, quarterly, semiannual, annual
}

/// R-1.10: a subscription type (CRM.COM) — what a subscription of the type may hold: its
/// services (commercial components: plays, offers, atomic offers), installed items (devices),
/// the provisioning distributors they may be distributed on (provisioning systems of the
/// catalog), and the billing term schemes it may be billed under.
public struct SubscriptionType: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var description: String?
    public var services: [ProductID]
    public var installedItems: [ProductID]
    public var distributors: [String]
    public var billingTermSchemes: [String]
    /// Where it was read from (never stored).
    public var origin: SourceRef?

    public init(id: String, name: String, description: String? = nil, services: [ProductID], installedItems: [ProductID] = [],
                distributors: [String] = [], billingTermSchemes: [String], origin: SourceRef? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.services = services
        self.installedItems = installedItems
        self.distributors = distributors
        self.billingTermSchemes = billingTermSchemes
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey { case id, name, description, services, installedItems, distributors, billingTermSchemes }

    /// What the type does not allow among `holdings` (its services, installed items and
    /// distributors) and `scheme`: one sentence each, empty when everything is allowed (R-12.3, R-12.6).
    public func disallowed(_ holdings: [SubscriptionHolding], scheme: String? = nil) -> [String] {
        var found: [String] = []
        for holding in holdings {
            let allowed = holding.kind == .service ? services : installedItems
            if !allowed.contains(holding.product) {
                found.append("subscription type \(id) does not allow the \(holding.kind.words) \(holding.product)")
            }
            if let distributor = holding.distributor, !distributors.contains(distributor) {
                found.append("subscription type \(id) does not allow the distributor \(distributor) (\(holding.product) is on it)")
            }
        }
        if let scheme, !billingTermSchemes.contains(scheme) {
            found.append("subscription type \(id) does not allow the billing term scheme \(scheme)")
        }
        return Array(Set(found)).sorted()
    }
}

/// What a subscription holds, as its definition's rules see it: a service or an installed item,
/// and the distributor it is distributed on (none yet for one not distributed).
public struct SubscriptionHolding: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case service, installedItem

        var words: String { self == .service ? "service" : "installed item" }

        /// "1 service", "3 installed items".
        func count(_ n: Int) -> String { "\(n) \(words)\(n == 1 ? "" : "s")" }
    }

    public var kind: Kind
    public var product: ProductID
    public var distributor: String?
    /// The service or item it is (one on several distributors is held once on each, and counts once).
    public var instance: String?

    public init(_ kind: Kind, _ product: ProductID, on distributor: String? = nil, instance: String? = nil) {
        self.kind = kind
        self.product = product
        self.distributor = distributor
        self.instance = instance
    }

    /// How many services or items `holdings` are: each instance once, each holding without one once.
    static func count(_ holdings: [SubscriptionHolding]) -> Int {
        var seen: Set<String> = []
        return holdings.filter { $0.instance.map { seen.insert($0).inserted } ?? true }.count
    }
}

/// R-1.10: a subscription definition — restrictions and dependencies for the subscriptions of
/// one type while it is active: how many services and installed items a subscription holds,
/// and rules about one service or installed item, on the whole subscription or on each
/// distributor ("the UHD pack requires an HD set-top box on the same distributor").
public struct SubscriptionDefinition: Hashable, Sendable, Codable, Identifiable {
    /// At least `min`, at most `max` (either may be absent).
    public struct Limits: Hashable, Sendable, Codable {
        public var min: Int?
        public var max: Int?

        public init(min: Int? = nil, max: Int? = nil) {
            self.min = min
            self.max = max
        }
    }

    public var id: String
    public var name: String
    public var subscriptionType: String
    public var activePeriod: Period?
    public var services: Limits?
    public var installedItems: Limits?
    public var rules: [SubscriptionRule]
    /// Where it was read from (never stored).
    public var origin: SourceRef?

    public init(id: String, name: String, subscriptionType: String, activePeriod: Period? = nil, services: Limits? = nil,
                installedItems: Limits? = nil, rules: [SubscriptionRule] = [], origin: SourceRef? = nil) {
        self.id = id
        self.name = name
        self.subscriptionType = subscriptionType
        self.activePeriod = activePeriod
        self.services = services
        self.installedItems = installedItems
        self.rules = rules
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey { case id, name, subscriptionType, activePeriod, services, installedItems, rules }

    public func isActive(on day: Day) -> Bool { activePeriod?.contains(day) ?? true }

    /// Every restriction and dependency `holdings` break (R-12.3, R-12.4, R-12.6), or only those
    /// about `kinds` (moving an installed item checks the installed-item rules of its target).
    public func violations(of holdings: [SubscriptionHolding],
                           about kinds: Set<SubscriptionHolding.Kind> = Set(SubscriptionHolding.Kind.allCases)) -> [SubscriptionViolation] {
        var found: [SubscriptionViolation] = []
        for (kind, limits) in [(SubscriptionHolding.Kind.service, services), (.installedItem, installedItems)] where kinds.contains(kind) {
            guard let limits else { continue }
            let count = SubscriptionHolding.count(holdings.filter { $0.kind == kind })
            if let min = limits.min, count < min {
                found.append(SubscriptionViolation(definition: id, rule: nil, distributor: nil,
                                                   message: "\(name): at least \(kind.count(min)), the subscription would hold \(count)"))
            }
            if let max = limits.max, count > max {
                found.append(SubscriptionViolation(definition: id, rule: nil, distributor: nil,
                                                   message: "\(name): at most \(kind.count(max)), the subscription would hold \(count)"))
            }
        }
        for rule in rules where kinds.contains(rule.subject) {
            found += rule.violations(of: holdings, definition: id)
        }
        return found
    }
}

/// One rule of a subscription definition about a service or an installed item: what it requires
/// (a dependency: at least one of them held), what it excludes and how many of it there may be
/// (restrictions) — on the whole subscription, or on each distributor the product is on.
public struct SubscriptionRule: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var subject: SubscriptionHolding.Kind
    public var product: ProductID
    public var perDistributor: Bool
    public var requires: [ProductID]
    public var excludes: [ProductID]
    public var max: Int?
    public var message: String
    /// Where it was read from (never stored).
    public var origin: SourceRef?

    public init(id: String, subject: SubscriptionHolding.Kind, product: ProductID, perDistributor: Bool = false, requires: [ProductID] = [],
                excludes: [ProductID] = [], max: Int? = nil, message: String, origin: SourceRef? = nil) {
        self.id = id
        self.subject = subject
        self.product = product
        self.perDistributor = perDistributor
        self.requires = requires
        self.excludes = excludes
        self.max = max
        self.message = message
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey { case id, subject, product, perDistributor, requires, excludes, max, message }

    func violations(of holdings: [SubscriptionHolding], definition: String) -> [SubscriptionViolation] {
        let subjects = holdings.filter { $0.kind == subject && $0.product == product }
        guard !subjects.isEmpty else { return [] }
        // Per distributor: each distributor the product is on, against what that distributor holds.
        let scopes: [String?] = perDistributor ? Array(Set(subjects.map(\.distributor))).sorted { ($0 ?? "") < ($1 ?? "") } : [nil]
        var found: [SubscriptionViolation] = []
        for scope in scopes {
            let held = perDistributor ? holdings.filter { $0.distributor == scope } : holdings
            let count = SubscriptionHolding.count(held.filter { $0.kind == subject && $0.product == product })
            var broken = false
            if !requires.isEmpty, !held.contains(where: { requires.contains($0.product) }) { broken = true }
            if held.contains(where: { excludes.contains($0.product) }) { broken = true }
            if let max, count > max { broken = true }
            if broken {
                let place = perDistributor ? " (on \(scope ?? "no distributor"))" : ""
                found.append(SubscriptionViolation(definition: definition, rule: id, distributor: scope, message: message + place))
            }
        }
        return found
    }
}

/// A restriction or dependency of a subscription definition that a subscription would break.
public struct SubscriptionViolation: Hashable, Sendable, Codable, CustomStringConvertible {
    public var definition: String
    /// The rule broken; nil for the definition's limits on services and installed items.
    public var rule: String?
    public var distributor: String?
    public var message: String

    public var description: String { message }
}

/// R-1.11: a billing term scheme — the billing frequencies, binding periods (months; 0 for none),
/// price plans and services a billing term of the scheme may have, and its definitions: the
/// rules in force over a period (resting, activation conditions). Whether ending a resting
/// extends the binding end and allowed cancel dates by the days rested (R-12.6).
public struct BillingTermScheme: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var description: String?
    public var frequencies: [BillingFrequency]
    public var bindingPeriods: [Int]
    public var pricePlans: [String]
    public var services: [ProductID]
    public var restingExtendsBinding: Bool
    public var definitions: [BillingTermDefinition]
    /// Where it was read from (never stored).
    public var origin: SourceRef?

    public init(id: String, name: String, description: String? = nil, frequencies: [BillingFrequency], bindingPeriods: [Int], pricePlans: [String],
                services: [ProductID], restingExtendsBinding: Bool = false, definitions: [BillingTermDefinition], origin: SourceRef? = nil) {
        self.id = id
        self.name = name
        self.description = description
        self.frequencies = frequencies
        self.bindingPeriods = bindingPeriods
        self.pricePlans = pricePlans
        self.services = services
        self.restingExtendsBinding = restingExtendsBinding
        self.definitions = definitions
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, frequencies, bindingPeriods, pricePlans, services, restingExtendsBinding, definitions
    }

    /// The definition in force on `day` (their periods do not overlap in a valid catalog).
    public func definition(on day: Day) -> BillingTermDefinition? {
        definitions.first { $0.activePeriod?.contains(day) ?? true }
    }
}

/// R-1.11: the rules of a billing term scheme over a period: frequencies and binding periods
/// narrower than the scheme's (absent: the scheme's), resting rules (absent: no resting) and
/// the activation conditions a subscription must meet to become Effective.
public struct BillingTermDefinition: Hashable, Sendable, Codable, Identifiable {
    public struct Resting: Hashable, Sendable, Codable {
        public var maxDays: Int
        public var maxTimesPerYear: Int

        public init(maxDays: Int, maxTimesPerYear: Int) {
            self.maxDays = maxDays
            self.maxTimesPerYear = maxTimesPerYear
        }
    }

    public struct Activation: Hashable, Sendable, Codable {
        /// An installed item on each distributor the subscription uses.
        public var installedItemOnEachDistributor: Bool
        /// No unsettled bill older than this many days.
        public var maxUnsettledBillAgeDays: Int?

        public init(installedItemOnEachDistributor: Bool = false, maxUnsettledBillAgeDays: Int? = nil) {
            self.installedItemOnEachDistributor = installedItemOnEachDistributor
            self.maxUnsettledBillAgeDays = maxUnsettledBillAgeDays
        }
    }

    public var id: String
    public var activePeriod: Period?
    public var frequencies: [BillingFrequency]?
    public var bindingPeriods: [Int]?
    public var resting: Resting?
    public var activation: Activation?
    /// Where it was read from (never stored).
    public var origin: SourceRef?

    public init(id: String, activePeriod: Period? = nil, frequencies: [BillingFrequency]? = nil, bindingPeriods: [Int]? = nil,
                resting: Resting? = nil, activation: Activation? = nil, origin: SourceRef? = nil) {
        self.id = id
        self.activePeriod = activePeriod
        self.frequencies = frequencies
        self.bindingPeriods = bindingPeriods
        self.resting = resting
        self.activation = activation
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey { case id, activePeriod, frequencies, bindingPeriods, resting, activation }
}

extension Period {
    /// True when the two periods share a day (an absent bound is open).
    public func overlaps(_ other: Period) -> Bool {
        let both = intersected(with: other)
        if let start = both.start, let end = both.end { return start <= end }
        return true
    }
}
