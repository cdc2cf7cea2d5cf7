/// A configuration as JSON: what the stateless verify endpoint and the benchmark take and give.
public struct ConfigurationDocument: Hashable, Sendable, Codable {
    public struct Component: Hashable, Sendable, Codable {
        public var id: String
        public var product: ProductID
        /// Absent for new components; the installed product's status otherwise.
        public var installedStatus: InstalledStatus?
        /// An installed component this configuration removes.
        public var removed: Bool?
        public var attributes: [String: String]?
        /// The instance whose brings-and-removes rule added this one (removing it removes this one).
        public var broughtBy: String?
        public var components: [Component]?

        public init(id: String, product: ProductID, installedStatus: InstalledStatus? = nil, removed: Bool? = nil,
                    attributes: [String: String]? = nil, broughtBy: String? = nil, components: [Component]? = nil) {
            self.id = id
            self.product = product
            self.installedStatus = installedStatus
            self.removed = removed
            self.attributes = attributes
            self.broughtBy = broughtBy
            self.components = components
        }
    }

    public struct Contract: Hashable, Sendable, Codable {
        public var customer: String
        public var root: Component

        public init(customer: String, root: Component) {
            self.customer = customer
            self.root = root
        }

        enum CodingKeys: String, CodingKey { case customer, id, product, installedStatus, removed, attributes, components }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            customer = try c.decode(String.self, forKey: .customer)
            root = try Component(from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(customer, forKey: .customer)
            try root.encode(to: encoder)
        }
    }

    public struct Link: Hashable, Sendable, Codable {
        public var from: String
        public var to: String
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    public var productSellingDate: Day?
    public var contracts: [Contract]
    public var links: [Link]?
    /// the migrations requested in the session, in the order they were made.
    public var migrations: [ConfigurationMigration]?

    public init(productSellingDate: Day? = nil, contracts: [Contract], links: [Link]? = nil, migrations: [ConfigurationMigration]? = nil) {
        self.productSellingDate = productSellingDate
        self.contracts = contracts
        self.links = links
        self.migrations = migrations
    }
}

extension Configuration {
    /// Builds a configuration from a document and verifies it. Structure that the catalog does not
    /// allow is refused with the field at fault; what rules judge is reported by verification.
    /// New atomic offers get the functional components they sell when the document omits them.
    public init(document: ConfigurationDocument, catalog: CatalogIndex, today: Day) throws(ConfigurationError) {
        self.init(catalog: catalog, productSellingDate: document.productSellingDate ?? today)
        self.today = today
        migrations = document.migrations ?? []
        var pendingSells: [InstanceID] = []
        var pendingBrought: [(String, String)] = []
        for (c, contract) in document.contracts.enumerated() {
            let field = "contracts[\(c)]"
            guard let product = catalog.index[contract.root.product] else {
                throw ConfigurationError(.unknownProduct, "no product '\(contract.root.product)'", field: field + ".product")
            }
            guard catalog.products[product].kind == .contract else {
                throw ConfigurationError(.notAContract, "'\(contract.root.product)' is a \(catalog.products[product].kind.rawValue), not a contract", field: field + ".product")
            }
            try load(contract.root, product: product, parent: nil, relation: .childOf, customer: contract.customer, field: field,
                     pendingSells: &pendingSells, pendingBrought: &pendingBrought)
        }
        // Brings-and-removes bookkeeping, once every instance is known.
        for (key, by) in pendingBrought {
            guard let id = keys[key], let byID = keys[by] else {
                throw ConfigurationError(.unknownInstance, "\(key) says it was brought by unknown instance '\(by)'", field: "broughtBy")
            }
            instances[id.raw]!.broughtBy = byID
            brought[byID, default: []].append(id)
        }
        for id in pendingSells {
            let inst = instances[id.raw]!
            let present = Set(inst.children.map { instances[$0.raw]!.product })
            for functional in catalog.sells[inst.product] where !present.contains(functional) {
                insert(product: functional, key: nil, parent: id, relation: .sells, customer: inst.customer, origin: .new,
                       attributes: sharedAttributes(from: inst, to: functional))
            }
        }
        for (i, link) in (document.links ?? []).enumerated() {
            guard let from = instance(key: link.from), let to = instance(key: link.to) else {
                throw ConfigurationError(.unknownInstance, "link \(link.from) → \(link.to) names an unknown instance", field: "links[\(i)]")
            }
            let rule = relianceRule(from: from, to: to, activeOnly: false)
            guard let rule else {
                throw ConfigurationError(.noSuchRule, "no relies-on rule lets \(from.productID) apply on \(to.productID)", field: "links[\(i)]")
            }
            attach(RelianceLink(from: from.id, to: to.id, rule: rule))
        }
        // New functional components with no link yet get one when the choice is unambiguous.
        for inst in instances.compactMap({ $0 }) where inst.isNew && inst.relation == .sells && outgoing[inst.id] == nil {
            for r in catalog.reliesBySource[inst.product] where verifier.activeRule[r] {
                let candidates = relianceCandidates(for: inst, rule: r)
                if candidates.count == 1 { attach(RelianceLink(from: inst.id, to: candidates[0], rule: r)) }
            }
        }
        verifyAll()
    }

    private mutating func load(_ component: ConfigurationDocument.Component, product: Int, parent: InstanceID?, relation: InstanceRelation,
                               customer: String, field: String, pendingSells: inout [InstanceID],
                               pendingBrought: inout [(String, String)]) throws(ConfigurationError) {
        guard keys[component.id] == nil else {
            throw ConfigurationError(.duplicateInstance, "instance id '\(component.id)' is used twice", field: field + ".id")
        }
        for name in (component.attributes ?? [:]).keys.sorted() where catalog.products[product].attribute(named: name) == nil {
            throw ConfigurationError(.unknownAttribute, "\(catalog.products[product].id) has no attribute '\(name)'", field: field + ".attributes.\(name)")
        }
        let origin: InstanceOrigin = component.installedStatus.map { .installed($0) } ?? .new
        let id = insert(product: product, key: component.id, parent: parent, relation: relation, customer: customer,
                        origin: origin, attributes: component.attributes ?? [:])
        if component.removed == true {
            guard !instances[id.raw]!.isNew else {
                throw ConfigurationError(.invalidPlacement, "only installed components can be marked removed", field: field + ".removed")
            }
            take(id, deleted: false)
        }
        if origin == .new, !catalog.sells[product].isEmpty { pendingSells.append(id) }
        if let by = component.broughtBy { pendingBrought.append((component.id, by)) }
        for (i, child) in (component.components ?? []).enumerated() {
            let childField = "\(field).components[\(i)]"
            guard let childProduct = catalog.index[child.product] else {
                throw ConfigurationError(.unknownProduct, "no product '\(child.product)'", field: childField + ".product")
            }
            let childRelation: InstanceRelation
            if catalog.membership(parent: product, child: childProduct) != nil {
                childRelation = .childOf
            } else if catalog.sells[product].contains(childProduct) {
                childRelation = .sells
            } else {
                throw ConfigurationError(.notInBundle, "\(child.product) is not a component of \(catalog.products[product].id), nor sold by it", field: childField + ".product")
            }
            try load(child, product: childProduct, parent: id, relation: childRelation, customer: customer, field: childField,
                     pendingSells: &pendingSells, pendingBrought: &pendingBrought)
        }
    }

    /// The configuration as a document (removed new components left out).
    public func document() -> ConfigurationDocument {
        func component(_ id: InstanceID) -> ConfigurationDocument.Component {
            let inst = instances[id.raw]!
            let status: InstalledStatus? = if case let .installed(s) = inst.origin { s } else { nil }
            let children = inst.children.map(component)
            return .init(id: inst.key, product: inst.productID, installedStatus: status, removed: inst.removed ? true : nil,
                         attributes: inst.attributes.isEmpty ? nil : inst.attributes, broughtBy: inst.broughtBy.map { instances[$0.raw]!.key },
                         components: children.isEmpty ? nil : children)
        }
        let links = allLinks.map { ConfigurationDocument.Link(from: instances[$0.from.raw]!.key, to: instances[$0.to.raw]!.key) }
        return ConfigurationDocument(productSellingDate: productSellingDate,
                                     contracts: contracts.map { .init(customer: instances[$0.raw]!.customer, root: component($0)) },
                                     links: links.isEmpty ? nil : links, migrations: migrations.isEmpty ? nil : migrations)
    }
}

extension ConfigurationDocument.Component {
    /// The component with this key, here or below.
    public func component(_ key: String) -> Self? {
        if id == key { return self }
        for child in components ?? [] { if let found = child.component(key) { return found } }
        return nil
    }

    /// The instance keys of this component and everything below it.
    public var allKeys: Set<String> {
        var keys: Set<String> = [id]
        for child in components ?? [] { keys.formUnion(child.allKeys) }
        return keys
    }
}

extension ConfigurationDocument.Contract {
    /// The same tree with new instance keys: the root's is `root`, every other key gets `suffix`
    /// (brings-and-removes references follow), so a copy can sit beside the original.
    public func rekeyed(root newRoot: String, suffix: String) -> Self {
        let key = rekeying(root: newRoot, suffix: suffix)
        func copy(_ c: ConfigurationDocument.Component) -> ConfigurationDocument.Component {
            var c = c
            c.id = key(c.id)
            c.broughtBy = c.broughtBy.map(key)
            c.components = c.components?.map(copy)
            return c
        }
        return .init(customer: customer, root: copy(root))
    }

    /// The key each of this contract's keys gets in a copy (`rekeyed`): the root's is `newRoot`,
    /// every other key takes `suffix`.
    public func rekeying(root newRoot: String, suffix: String) -> @Sendable (String) -> String {
        let rootKey = root.id
        return { k in k == rootKey ? newRoot : k + suffix }
    }
}
