/// The header of a catalog version: which version it is and from when it applies.
public struct CatalogHeader: Hashable, Sendable, Codable {
    public var version: String
    public var effectiveFrom: Day
    public var name: String?
    public var description: String?
    public var source: SourceRef?

    public init(version: String, effectiveFrom: Day, name: String? = nil, description: String? = nil, source: SourceRef? = nil) {
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.name = name
        self.description = description
        self.source = source
    }
}

/// One catalog version: every product, rule and migration action, as data.
public struct Catalog: Hashable, Sendable, Codable {
    public var header: CatalogHeader
    public var products: [Product]
    public var rules: [ConfigurationRule]
    /// migration action definitions.
    public var migrations: [MigrationAction]
    /// subscription types and the definitions of their rules.
    public var subscriptionTypes: [SubscriptionType]
    public var subscriptionDefinitions: [SubscriptionDefinition]
    /// billing term schemes, each with its definitions.
    public var billingTermSchemes: [BillingTermScheme]
    /// eligibility rules products, plans and migration actions name.
    public var eligibilityRules: [EligibilityRule]
    /// package plans and the pools of their contract terms.
    public var plans: [PackagePlan]
    public var pools: [PackagePool]

    public init(header: CatalogHeader, products: [Product] = [], rules: [ConfigurationRule] = [], migrations: [MigrationAction] = [],
                subscriptionTypes: [SubscriptionType] = [], subscriptionDefinitions: [SubscriptionDefinition] = [],
                billingTermSchemes: [BillingTermScheme] = [], eligibilityRules: [EligibilityRule] = [], plans: [PackagePlan] = [],
                pools: [PackagePool] = []) {
        self.header = header
        self.products = products
        self.rules = rules
        self.migrations = migrations
        self.subscriptionTypes = subscriptionTypes
        self.subscriptionDefinitions = subscriptionDefinitions
        self.billingTermSchemes = billingTermSchemes
        self.eligibilityRules = eligibilityRules
        self.plans = plans
        self.pools = pools
    }

    enum CodingKeys: String, CodingKey {
        case header, products, rules, migrations, subscriptionTypes, subscriptionDefinitions, billingTermSchemes, eligibilityRules, plans, pools
    }

    /// Versions stored before migration actions, subscriptions, eligibility rules or plans existed have none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(header: try c.decode(CatalogHeader.self, forKey: .header), products: try c.decode([Product].self, forKey: .products),
                  rules: try c.decode([ConfigurationRule].self, forKey: .rules),
                  migrations: try c.decodeIfPresent([MigrationAction].self, forKey: .migrations) ?? [],
                  subscriptionTypes: try c.decodeIfPresent([SubscriptionType].self, forKey: .subscriptionTypes) ?? [],
                  subscriptionDefinitions: try c.decodeIfPresent([SubscriptionDefinition].self, forKey: .subscriptionDefinitions) ?? [],
                  billingTermSchemes: try c.decodeIfPresent([BillingTermScheme].self, forKey: .billingTermSchemes) ?? [],
                  eligibilityRules: try c.decodeIfPresent([EligibilityRule].self, forKey: .eligibilityRules) ?? [],
                  plans: try c.decodeIfPresent([PackagePlan].self, forKey: .plans) ?? [],
                  pools: try c.decodeIfPresent([PackagePool].self, forKey: .pools) ?? [])
    }

    /// The subscription, eligibility and plan sections are written only when the catalog has some: a catalog without
    /// them is stored as it was before they existed.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(header, forKey: .header)
        try c.encode(products, forKey: .products)
        try c.encode(rules, forKey: .rules)
        try c.encode(migrations, forKey: .migrations)
        if !subscriptionTypes.isEmpty { try c.encode(subscriptionTypes, forKey: .subscriptionTypes) }
        if !subscriptionDefinitions.isEmpty { try c.encode(subscriptionDefinitions, forKey: .subscriptionDefinitions) }
        if !billingTermSchemes.isEmpty { try c.encode(billingTermSchemes, forKey: .billingTermSchemes) }
        if !eligibilityRules.isEmpty { try c.encode(eligibilityRules, forKey: .eligibilityRules) }
        if !plans.isEmpty { try c.encode(plans, forKey: .plans) }
        if !pools.isEmpty { try c.encode(pools, forKey: .pools) }
    }

    /// the definition of a subscription type in force on `day`.
    public func subscriptionDefinition(of type: String, on day: Day) -> SubscriptionDefinition? {
        subscriptionDefinitions.first { $0.subscriptionType == type && $0.isActive(on: day) }
    }

    /// The first product with this id (ids are unique in a valid catalog).
    public func product(_ id: ProductID) -> Product? {
        products.first { $0.id == id }
    }

    /// Products no other product contains: contract-level products and standalone ones.
    public var topLevelProducts: [Product] {
        let members = Set(products.flatMap { $0.components.map(\.product) })
        return products.filter { !members.contains($0.id) && $0.kind != .functional }
    }
}
