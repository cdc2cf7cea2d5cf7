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
