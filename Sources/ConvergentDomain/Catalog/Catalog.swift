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

    public init(header: CatalogHeader, products: [Product] = [], rules: [ConfigurationRule] = [], migrations: [MigrationAction] = []) {
        self.header = header
        self.products = products
        self.rules = rules
        self.migrations = migrations
    }

    enum CodingKeys: String, CodingKey { case header, products, rules, migrations }

    /// Versions stored before migration actions existed have none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(header: try c.decode(CatalogHeader.self, forKey: .header), products: try c.decode([Product].self, forKey: .products),
                  rules: try c.decode([ConfigurationRule].self, forKey: .rules),
                  migrations: try c.decodeIfPresent([MigrationAction].self, forKey: .migrations) ?? [])
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
