import ConvergentDomain
import ConvergentStore
import Foundation

/// The catalog as agents and integrators browse it: products with their selling
/// status on a day, a product with its components and rules, a bundle's tree — queries of the
/// engine that the API, a console and the facades read alike.
extension CatalogLibrary {
    public struct MembershipView: Sendable {
        public var parent: ProductID
        public var min: Int
        public var max: Int
        public var selling: SellingInfo
    }

    public struct ProductSummary: Sendable {
        public var id: ProductID
        public var name: String
        public var kind: ProductKind
        /// Selling status of the product itself (what a contract-level product is sold under).
        public var selling: SellingInfo
        /// Selling status in each bundle that contains it.
        public var memberOf: [MembershipView]
    }

    public struct ProductDetail: Sendable {
        public var catalogVersion: String
        public var date: Day
        public var product: Product
        public var selling: SellingInfo
        public var memberOf: [MembershipView]
        public var components: [ComponentView]
        public var rules: [ConfigurationRule]
        /// the migration actions from or to the product.
        public var migrationActions: [MigrationAction]
    }

    public struct ComponentView: Sendable {
        public var product: ProductID
        public var name: String
        public var kind: ProductKind
        public var min: Int
        public var max: Int
        public var selling: SellingInfo
    }

    public struct ProductList: Sendable {
        public var catalogVersion: String
        public var date: Day
        public var items: [ProductSummary]
    }

    public struct BundleNode: Sendable {
        public var product: ProductID
        public var name: String
        public var kind: ProductKind
        public var min: Int?
        public var max: Int?
        public var selling: SellingInfo
        public var sells: [ProductID]
        public var components: [BundleNode]
    }

    public struct BundleView: Sendable {
        public var catalogVersion: String
        public var date: Day
        public var bundle: BundleNode
    }

    /// The version asked for, or the one active on `day`.
    func resolve(_ version: String?, on day: Day) async throws -> StoredCatalogVersion {
        if let version { return try await self.version(version).value }
        return try await active(on: day)
    }

    /// Products of a kind and whose id or name holds `text` (any case), with their selling status on `day`.
    public func products(kind: ProductKind?, matching text: String?, version: String?, on day: Day) async throws -> ProductList {
        let stored = try await resolve(version, on: day)
        let index = await self.index(of: stored)
        let text = text?.lowercased()
        let items = stored.catalog.products.filter { product in
            (kind == nil || product.kind == kind) && (text == nil || product.id.rawValue.lowercased().contains(text!) || product.name.lowercased().contains(text!))
        }.map { Self.summary(of: $0, index: index, on: day) }
        return ProductList(catalogVersion: stored.catalog.header.version, date: day, items: items)
    }

    /// One product: its selling status on `day`, the bundles holding it, its components and the rules naming it.
    public func product(_ id: ProductID, version: String?, on day: Day) async throws -> ProductDetail {
        let stored = try await resolve(version, on: day)
        let index = await self.index(of: stored)
        guard let i = index.index[id] else { throw EngineError(.notFound, "no product '\(id)' in catalog \(stored.catalog.header.version)") }
        let product = index.products[i]
        let s = Self.summary(of: product, index: index, on: day)
        let components = index.memberships[i].map { m in
            ComponentView(product: index.products[m.child].id, name: index.products[m.child].name, kind: index.products[m.child].kind,
                          min: m.min, max: m.max, selling: index.sellingInfo(of: m.child, under: i, on: day))
        }
        let rules = stored.catalog.rules.filter { $0.kind.namedProducts.contains { $0.product == id } }
        let migrations = stored.catalog.migrations.filter { $0.source == id || $0.target == id }
        return ProductDetail(catalogVersion: stored.catalog.header.version, date: day, product: product, selling: s.selling,
                             memberOf: s.memberOf, components: components, rules: rules, migrationActions: migrations)
    }

    /// A bundle's tree (six levels at most) with cardinalities and selling status on `day`.
    public func bundle(_ id: ProductID, version: String?, on day: Day) async throws -> BundleView {
        let stored = try await resolve(version, on: day)
        let index = await self.index(of: stored)
        guard let root = index.index[id] else { throw EngineError(.notFound, "no product '\(id)' in catalog \(stored.catalog.header.version)") }
        func node(_ p: Int, parent: Int?, min: Int?, max: Int?, depth: Int) -> BundleNode {
            BundleNode(product: index.products[p].id, name: index.products[p].name, kind: index.products[p].kind, min: min, max: max,
                       selling: index.sellingInfo(of: p, under: parent, on: day), sells: index.products[p].sells,
                       components: depth > 6 ? [] : index.memberships[p].map { node($0.child, parent: p, min: $0.min, max: $0.max, depth: depth + 1) })
        }
        return BundleView(catalogVersion: stored.catalog.header.version, date: day, bundle: node(root, parent: nil, min: nil, max: nil, depth: 0))
    }

    static func summary(of product: Product, index: CatalogIndex, on day: Day) -> ProductSummary {
        let i = index.index[product.id]!
        let memberOf = index.parents[i].map { parent in
            let m = index.membership(parent: parent, child: i)!
            return MembershipView(parent: index.products[parent].id, min: m.min, max: m.max, selling: index.sellingInfo(of: i, under: parent, on: day))
        }
        return ProductSummary(id: product.id, name: product.name, kind: product.kind,
                              selling: index.sellingInfo(of: i, under: nil, on: day), memberOf: memberOf)
    }
}

/// subscription types, their definitions and billing term schemes, as the
/// catalog in force on a day (or a version asked for) has them.
extension CatalogLibrary {
    public struct SubscriptionTypeList: Sendable {
        public var catalogVersion: String
        public var date: Day
        public var items: [SubscriptionType]
        public var nextCursor: String?
    }

    public struct SubscriptionTypeDetail: Sendable {
        public var catalogVersion: String
        public var date: Day
        public var type: SubscriptionType
        public var definitions: [SubscriptionDefinition]
        public var billingTermSchemes: [BillingTermScheme]
    }

    public struct BillingTermSchemeDetail: Sendable {
        public var catalogVersion: String
        public var date: Day
        public var scheme: BillingTermScheme
        /// The subscription types that allow it.
        public var subscriptionTypes: [String]
    }

    /// The subscription types by id, `limit` after the id `after`.
    public func subscriptionTypes(version: String?, on day: Day, after: String?, limit: Int) async throws -> SubscriptionTypeList {
        let stored = try await resolve(version, on: day)
        let sorted = stored.catalog.subscriptionTypes.sorted { $0.id < $1.id }.filter { after == nil || $0.id > after! }
        let page = Array(sorted.prefix(limit))
        return SubscriptionTypeList(catalogVersion: stored.catalog.header.version, date: day, items: page,
                                    nextCursor: sorted.count > limit ? page.last?.id : nil)
    }

    /// One subscription type, its definitions (by start) and the billing term schemes it allows.
    public func subscriptionType(_ id: String, version: String?, on day: Day) async throws -> SubscriptionTypeDetail {
        let stored = try await resolve(version, on: day), catalog = stored.catalog
        guard let type = catalog.subscriptionTypes.first(where: { $0.id == id }) else {
            throw EngineError(.notFound, "no subscription type '\(id)' in catalog \(catalog.header.version)")
        }
        let definitions = catalog.subscriptionDefinitions.filter { $0.subscriptionType == id }
            .sorted { ($0.activePeriod?.start?.daysSinceEpoch ?? .min) < ($1.activePeriod?.start?.daysSinceEpoch ?? .min) }
        let schemes = type.billingTermSchemes.compactMap { scheme in catalog.billingTermSchemes.first { $0.id == scheme } }
        return SubscriptionTypeDetail(catalogVersion: catalog.header.version, date: day, type: type, definitions: definitions, billingTermSchemes: schemes)
    }

    /// One billing term scheme and the subscription types that allow it.
    public func billingTermScheme(_ id: String, version: String?, on day: Day) async throws -> BillingTermSchemeDetail {
        let stored = try await resolve(version, on: day), catalog = stored.catalog
        guard let scheme = catalog.billingTermSchemes.first(where: { $0.id == id }) else {
            throw EngineError(.notFound, "no billing term scheme '\(id)' in catalog \(catalog.header.version)")
        }
        return BillingTermSchemeDetail(catalogVersion: catalog.header.version, date: day, scheme: scheme,
                                       subscriptionTypes: catalog.subscriptionTypes.filter { $0.billingTermSchemes.contains(id) }.map(\.id).sorted())
    }
}
