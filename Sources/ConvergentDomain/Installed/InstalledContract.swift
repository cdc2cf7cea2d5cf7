/// R-7.6 (first part): an installed multilevel contract — the tree of installed products a
/// customer holds, as orders see it. Service lines, sessions over installed contracts and the
/// COV hold read it; fulfillment (issue 4) creates and changes it.
public struct InstalledContract: Hashable, Sendable, Codable, Identifiable {
    /// The installed contract's id; also the instance key of its root in configurations.
    public var id: String
    /// The owner.
    public var customer: String
    public var product: ProductID
    public var status: InstalledStatus
    public var installedOn: Day?
    /// The installed tree: every product has its status; ids are installed product ids.
    public var root: InstalledProduct
    /// Relies-on links going out of this contract's products: created with the order that
    /// made them, ended (never deleted) when either end is disconnected.
    public var links: [InstalledLink]?
    /// COV: the last order submitted against this contract. Submitting an order rewrites the
    /// contracts it services (version check), so two orders submitted at the same moment on one
    /// contract cannot both commit: the second reads again and finds the first (COV).
    public var lastOrder: String?
    /// set on an installed commitment — the installed contract fulfillment makes of
    /// a commitment line, whose one product is the commitment product: the commitment contract
    /// it stands for. The commitment's status, dates and coverage are that contract's (one record
    /// of them, changed by the daily run and alone); the installed commitment records that
    /// the customer holds the commitment product.
    public var commitmentContract: String?

    public init(id: String, customer: String, status: InstalledStatus = .active, installedOn: Day? = nil,
                root: InstalledProduct) {
        self.id = id
        self.customer = customer
        product = root.product
        self.status = status
        self.installedOn = installedOn
        self.root = root
    }

    /// The contract as a configuration starts from it: the installed tree owned by its customer.
    public var configuration: ConfigurationDocument.Contract { .init(customer: customer, root: root.component) }
}

/// one installed product — a node of an installed contract's tree. Unlike a
/// configuration's component, it always has a status, and carries what only installed products
/// have: dates, owner, billing account, distributor, where it migrated from or to. Stored and
/// served with the same members as before (`installedStatus`; `components` omitted when empty).
/// one billing account row of an installed product: the account paying for its
/// purpose, and who owns it.
public struct InstalledBillingRow: Hashable, Sendable, Codable {
    public var sequence: Int
    public var purpose: String
    public var primary: Bool
    public var customer: String?
    public var account: String?

    public init(sequence: Int, purpose: String, primary: Bool, customer: String?, account: String?) {
        self.sequence = sequence
        self.purpose = purpose
        self.primary = primary
        self.customer = customer
        self.account = account
    }
}

public struct InstalledProduct: Hashable, Sendable, Codable, Identifiable {
    /// `<contract>` for the root, `<contract>.<n>` below it.
    public var id: String
    public var product: ProductID
    public var status: InstalledStatus
    public var attributes: [String: String]?
    public var components: [InstalledProduct]
    public var installedOn: Day?
    public var disconnectedOn: Day?
    /// Who owns it and which billing account pays for it (both follow its ancestors).
    public var owner: String?
    public var billingAccount: String?
    /// A device's distributor.
    public var distributor: String?
    /// every billing account row that pays for it (`billingAccount` is the primary's).
    public var billingRows: [InstalledBillingRow]?
    /// installed here by a migration from this installed product.
    public var migratedFrom: String?
    /// left behind (disconnected) by a migration to this installed contract.
    public var migratedTo: String?
    /// the commitment contracts covering it.
    public var commitments: [String]?
    /// the service agreements covering it.
    public var agreements: [String]?
    /// the plan migration that made this package subscription, with its fee or discount.
    public var planChange: PlanChangeRecord?
    /// the plan migration under way on this package subscription (one at a time).
    public var openPlanMigration: String?

    public init(id: String, product: ProductID, status: InstalledStatus, attributes: [String: String]? = nil,
                components: [InstalledProduct] = [], installedOn: Day? = nil, disconnectedOn: Day? = nil,
                owner: String? = nil, billingAccount: String? = nil, distributor: String? = nil,
                migratedFrom: String? = nil, migratedTo: String? = nil) {
        self.id = id
        self.product = product
        self.status = status
        self.attributes = attributes
        self.components = components
        self.installedOn = installedOn
        self.disconnectedOn = disconnectedOn
        self.owner = owner
        self.billingAccount = billingAccount
        self.distributor = distributor
        self.migratedFrom = migratedFrom
        self.migratedTo = migratedTo
    }

    /// A configuration tree taken as installed, as a load of an existing installed base does: each
    /// product keeps its key, attributes and installed status (`status` where it has none).
    public init(loading component: ConfigurationDocument.Component, status: InstalledStatus = .active) {
        self.init(id: component.id, product: component.product, status: component.installedStatus ?? status, attributes: component.attributes,
                  components: (component.components ?? []).map { InstalledProduct(loading: $0, status: status) })
    }

    enum CodingKeys: String, CodingKey {
        case id, product, installedStatus, attributes, components, installedOn, disconnectedOn, owner, billingAccount, distributor,
             migratedFrom, migratedTo, billingRows, commitments, agreements, planChange, openPlanMigration
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        product = try c.decode(ProductID.self, forKey: .product)
        status = try c.decode(InstalledStatus.self, forKey: .installedStatus)
        attributes = try c.decodeIfPresent([String: String].self, forKey: .attributes)
        components = try c.decodeIfPresent([InstalledProduct].self, forKey: .components) ?? []
        installedOn = try c.decodeIfPresent(Day.self, forKey: .installedOn)
        disconnectedOn = try c.decodeIfPresent(Day.self, forKey: .disconnectedOn)
        owner = try c.decodeIfPresent(String.self, forKey: .owner)
        billingAccount = try c.decodeIfPresent(String.self, forKey: .billingAccount)
        distributor = try c.decodeIfPresent(String.self, forKey: .distributor)
        migratedFrom = try c.decodeIfPresent(String.self, forKey: .migratedFrom)
        migratedTo = try c.decodeIfPresent(String.self, forKey: .migratedTo)
        billingRows = try c.decodeIfPresent([InstalledBillingRow].self, forKey: .billingRows)
        commitments = try c.decodeIfPresent([String].self, forKey: .commitments)
        agreements = try c.decodeIfPresent([String].self, forKey: .agreements)
        planChange = try c.decodeIfPresent(PlanChangeRecord.self, forKey: .planChange)
        openPlanMigration = try c.decodeIfPresent(String.self, forKey: .openPlanMigration)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(product, forKey: .product)
        try c.encode(status, forKey: .installedStatus)
        try c.encodeIfPresent(attributes, forKey: .attributes)
        if !components.isEmpty { try c.encode(components, forKey: .components) }
        try c.encodeIfPresent(installedOn, forKey: .installedOn)
        try c.encodeIfPresent(disconnectedOn, forKey: .disconnectedOn)
        try c.encodeIfPresent(owner, forKey: .owner)
        try c.encodeIfPresent(billingAccount, forKey: .billingAccount)
        try c.encodeIfPresent(distributor, forKey: .distributor)
        try c.encodeIfPresent(migratedFrom, forKey: .migratedFrom)
        try c.encodeIfPresent(migratedTo, forKey: .migratedTo)
        try c.encodeIfPresent(billingRows, forKey: .billingRows)
        try c.encodeIfPresent(commitments, forKey: .commitments)
        try c.encodeIfPresent(agreements, forKey: .agreements)
        try c.encodeIfPresent(planChange, forKey: .planChange)
        try c.encodeIfPresent(openPlanMigration, forKey: .openPlanMigration)
    }

    /// The same product with these billing rows.
    public func withBillingRows(_ rows: [InstalledBillingRow]?) -> InstalledProduct {
        var copy = self
        copy.billingRows = rows
        return copy
    }

    /// This product and every one below it, in tree order.
    public var all: [InstalledProduct] { [self] + components.flatMap(\.all) }

    /// The accounts paying it: every billing row's, or its one account.
    public var accounts: Set<String> { Set(billingRows.map { $0.compactMap(\.account) } ?? [billingAccount].compactMap { $0 }) }

    /// This product and every one below it changed by `change`, parents before children.
    public func map(_ change: (InstalledProduct) -> InstalledProduct) -> InstalledProduct {
        var copy = change(self)
        copy.components = copy.components.map { $0.map(change) }
        return copy
    }

    /// The installed tree as a configuration starts from it: every component installed,
    /// with its status and attributes (what only installed products carry stays here; fulfillment
    /// takes it from the installed product again).
    public var component: ConfigurationDocument.Component {
        ConfigurationDocument.Component(id: id, product: product, installedStatus: status, attributes: attributes,
                                        components: components.isEmpty ? nil : components.map(\.component))
    }
}

/// a relies-on link between two installed products, with its dates.
public struct InstalledLink: Hashable, Sendable, Codable {
    public var from: String
    public var to: String
    public var status: InstalledStatus
    public var installedOn: Day?
    public var disconnectedOn: Day?

    public init(from: String, to: String, status: InstalledStatus = .pendingActivation, installedOn: Day? = nil, disconnectedOn: Day? = nil) {
        self.from = from
        self.to = to
        self.status = status
        self.installedOn = installedOn
        self.disconnectedOn = disconnectedOn
    }
}

extension InstalledContract {
    /// the accounts paying any of its products still installed (not disconnected).
    public var accountsPaying: Set<String> {
        root.all.filter { $0.status != .disconnected }.reduce(into: []) { $0.formUnion($1.accounts) }
    }

    /// One installed product of the tree, with its parent's id.
    public func product(_ id: String) -> (component: InstalledProduct, parent: String?)? {
        func find(_ c: InstalledProduct, parent: String?) -> (InstalledProduct, String?)? {
            if c.id == id { return (c, parent) }
            for child in c.components { if let found = find(child, parent: c.id) { return found } }
            return nil
        }
        return find(root, parent: nil)
    }

    /// a new owner or billing account for an installed product cascades to all its
    /// descendants (nil leaves that side as it is).
    public mutating func reassign(_ id: String, owner: String?, billingAccount: String?) throws(OrderError) {
        var found = false
        func apply(_ c: InstalledProduct, inside: Bool) -> InstalledProduct {
            var copy = c
            let here = inside || c.id == id
            if c.id == id { found = true }
            if here {
                if let owner { copy.owner = owner }
                if let billingAccount { copy.billingAccount = billingAccount }
            }
            copy.components = c.components.map { apply($0, inside: here) }
            return copy
        }
        root = apply(root, inside: false)
        guard found else { throw OrderError(.unknownLine, "installed contract \(self.id) has no product '\(id)'", field: "installedProduct") }
        if id == root.id, let owner { customer = owner }
    }
}
