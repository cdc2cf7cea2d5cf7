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
    /// The installed tree: every component carries its installed status; keys are installed product ids.
    public var root: ConfigurationDocument.Component
    /// Relies-on links going out of this contract's products: created with the order that
    /// made them, ended (never deleted) when either end is disconnected.
    public var links: [InstalledLink]?
    /// COV: the last order submitted against this contract. Submitting an order rewrites the
    /// contracts it services (version check), so two orders submitted at the same moment on one
    /// contract cannot both commit: the second reads again and finds the first (COV).
    public var lastOrder: String?

    public init(id: String, customer: String, status: InstalledStatus = .active, installedOn: Day? = nil,
                root: ConfigurationDocument.Component) {
        self.id = id
        self.customer = customer
        product = root.product
        self.status = status
        self.installedOn = installedOn
        self.root = root
    }

    /// The contract as a configuration starts from it: the installed tree owned by its customer.
    public var configuration: ConfigurationDocument.Contract { .init(customer: customer, root: root) }
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
    /// One installed product of the tree, with its parent's id.
    public func product(_ id: String) -> (component: ConfigurationDocument.Component, parent: String?)? {
        func find(_ c: ConfigurationDocument.Component, parent: String?) -> (ConfigurationDocument.Component, String?)? {
            if c.id == id { return (c, parent) }
            for child in c.components ?? [] { if let found = find(child, parent: c.id) { return found } }
            return nil
        }
        return find(root, parent: nil)
    }

    /// a new owner or billing account for an installed product cascades to all its
    /// descendants (nil leaves that side as it is).
    public mutating func reassign(_ id: String, owner: String?, billingAccount: String?) throws(OrderError) {
        var found = false
        func apply(_ c: ConfigurationDocument.Component, inside: Bool) -> ConfigurationDocument.Component {
            var copy = c
            let here = inside || c.id == id
            if c.id == id { found = true }
            if here {
                if let owner { copy.owner = owner }
                if let billingAccount { copy.billingAccount = billingAccount }
            }
            copy.components = c.components?.map { apply($0, inside: here) }
            return copy
        }
        root = apply(root, inside: false)
        guard found else { throw OrderError(.unknownLine, "installed contract \(self.id) has no product '\(id)'", field: "installedProduct") }
        if id == root.id, let owner { customer = owner }
    }
}
