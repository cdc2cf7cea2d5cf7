/// One configuration: the contracts (new and installed) of one or more customers, verified as a
/// whole. Every operation re-verifies incrementally: only the checks that the
/// changed instances can affect are run again, so the cost of an add or remove does not grow
/// with the size of the configuration.
public struct Configuration: Sendable {
    public let catalog: CatalogIndex
    /// The reference date for rules' active periods and selling status.
    public let productSellingDate: Day
    /// The day the agent works on: migration actions are offered on it, not on the product selling date.
    public internal(set) var today: Day
    /// the migrations requested so far, in order.
    public internal(set) var migrations: [ConfigurationMigration] = []

    var instances: [Instance?] = []
    /// What the verifier reads of each instance, without reference counting (same index as `instances`).
    var cores: [InstanceCore] = []
    public internal(set) var contracts: [InstanceID] = []
    var keys: [String: InstanceID] = [:]
    /// Present instances per contract and product (removed installed ones included).
    var byProduct: [InstanceID: [Int: [InstanceID]]] = [:]
    var outgoing: [InstanceID: [RelianceLink]] = [:]
    var incoming: [InstanceID: [RelianceLink]] = [:]
    /// rules that could not be committed, logged as warnings on the instance.
    var ruleLog: [InstanceID: [VerificationMessage]] = [:]
    /// What each instance brought with brings-and-removes rules.
    var brought: [InstanceID: [InstanceID]] = [:]
    /// The highest `new-N` among the present keys (nil: to be found again). A new instance gets the
    /// next number, so keys depend only on what is present: a configuration kept in memory and one
    /// rebuilt from its stored document give the same key to the next instance.
    var highestNewKey: Int? = 0
    var verifier: Verifier

    public init(catalog: CatalogIndex, productSellingDate: Day) {
        self.catalog = catalog
        self.productSellingDate = productSellingDate
        today = productSellingDate
        verifier = Verifier(catalog: catalog, day: productSellingDate)
    }

    // MARK: Reading

    public func instance(_ id: InstanceID) -> Instance? {
        id.raw < instances.count ? instances[id.raw] : nil
    }

    public func instance(key: String) -> Instance? {
        keys[key].flatMap { instance($0) }
    }

    public var allInstances: [Instance] { instances.compactMap { $0 } }

    public var instanceCount: Int { keys.count }

    public func links(from id: InstanceID) -> [RelianceLink] { outgoing[id] ?? [] }

    public var allLinks: [RelianceLink] { outgoing.keys.sorted().flatMap { outgoing[$0]! } }

    public var status: ConfigurationStatus { verifier.status }
    public var errorCount: Int { verifier.errorCount }
    public var warningCount: Int { verifier.warningCount }

    /// Selling status of an instance against the product selling date.
    public func sellingInfo(of instance: Instance) -> SellingInfo {
        let parentProduct = instance.relation == .childOf ? instance.parent.flatMap { self.instance($0)?.product } : nil
        return catalog.sellingInfo(of: instance.product, under: parentProduct, on: productSellingDate)
    }

    /// Counted instances of a product in a contract.
    func count(_ product: Int, in contract: InstanceID) -> Int {
        (byProduct[contract]?[product] ?? []).reduce(0) { $0 + (cores[$1.raw].counted ? 1 : 0) }
    }

    /// Whether every core agrees with its instance (checked by tests after each operation).
    var coresAreConsistent: Bool {
        cores.count == instances.count && zip(cores, instances).allSatisfy { core, inst in
            inst.map { core.counted == $0.isCounted && Int(core.product) == $0.product && core.sells == ($0.relation == .sells) } ?? false
        }
    }

    /// Marks an instance removed (installed) or deleted (new), keeping its core in step.
    mutating func take(_ id: InstanceID, deleted: Bool) {
        if deleted { instances[id.raw]!.deleted = true } else { instances[id.raw]!.removed = true }
        cores[id.raw].counted = false
    }

    // MARK: Building

    /// Adds an instance with no questions asked (loading a document, or an operation that has
    /// already decided where it goes). Returns its id.
    @discardableResult
    mutating func insert(product: Int, key: String?, parent: InstanceID?, relation: InstanceRelation, customer: String,
                         origin: InstanceOrigin, attributes: [String: String], broughtBy: InstanceID? = nil) -> InstanceID {
        let id = InstanceID(raw: instances.count)
        let key = key ?? freshKey()
        let contract = parent.map { instances[$0.raw]!.contract } ?? id
        var attrs = attributes
        if origin == .new {
            for def in catalog.products[product].attributes where attrs[def.name] == nil {
                if let value = def.defaultValue { attrs[def.name] = value }
            }
        }
        cores.append(InstanceCore(product: Int32(product), sells: relation == .sells, counted: origin.countsAsActive))
        instances.append(Instance(id: id, key: key, product: product, productID: catalog.products[product].id, parent: parent,
                                  relation: relation, children: [], contract: contract, customer: customer, origin: origin,
                                  removed: false, attributes: attrs, broughtBy: broughtBy))
        keys[key] = id
        if let number = Self.newNumber(key), let highest = highestNewKey { highestNewKey = max(highest, number) }
        if let parent { instances[parent.raw]!.children.append(id) } else { contracts.append(id) }
        byProduct[contract, default: [:]][product, default: []].append(id)
        if let broughtBy { brought[broughtBy, default: []].append(id) }
        return id
    }

    mutating func freshKey() -> String {
        let next = (highestNewKey ?? keys.keys.reduce(0) { max($0, Self.newNumber($1) ?? 0) }) + 1
        highestNewKey = next
        return "new-\(next)"
    }

    /// A key that is no longer present (a deleted or rolled-back instance).
    mutating func forget(key: String) {
        keys[key] = nil
        if let number = Self.newNumber(key), number == highestNewKey { highestNewKey = nil }
    }

    static func newNumber(_ key: String) -> Int? { key.hasPrefix("new-") ? Int(key.dropFirst(4)) : nil }

    /// Adds the functional components a new atomic offer sells.
    mutating func insertSoldComponents(of id: InstanceID, created: inout [InstanceID]) {
        let inst = instances[id.raw]!
        for functional in catalog.sells[inst.product] {
            let f = insert(product: functional, key: nil, parent: id, relation: .sells, customer: inst.customer, origin: .new,
                           attributes: sharedAttributes(from: inst, to: functional))
            created.append(f)
        }
    }

    /// an offer and its functional components carry their common attributes together.
    func sharedAttributes(from offer: Instance, to functional: Int) -> [String: String] {
        var result: [String: String] = [:]
        for def in catalog.products[functional].attributes {
            if let value = offer.attributes[def.name] { result[def.name] = value }
        }
        return result
    }

    /// Verifies everything from scratch (also done by every operation, incrementally).
    public mutating func verifyAll() {
        withVerifier { verifier, config in
            verifier.reset()
            verifier.update(config, touched: [], full: true)
        }
    }

    mutating func reverify(touched: Set<InstanceID>) {
        withVerifier { verifier, config in verifier.update(config, touched: touched, full: false) }
    }

    /// The verifier reads the configuration while it changes its own state: take it out of the
    /// configuration first, so the two never overlap (and nothing is copied).
    private mutating func withVerifier(_ body: (inout Verifier, Configuration) -> Void) {
        var taken = Verifier(placeholderFor: catalog)
        swap(&taken, &verifier)
        body(&taken, self)
        swap(&taken, &verifier)
    }

    // MARK: Report

    /// The full answer of verify: status and, per product, messages and selling status.
    public func report() -> VerificationReport {
        var byInstance: [InstanceID: [VerificationMessage]] = [:]
        var contractMessages: [VerificationMessage] = []
        for (key, messages) in verifier.messages where !messages.isEmpty {
            switch key {
            case .rule: contractMessages += messages
            case let .membership(i, _), let .attributes(i), let .reliance(i), let .ruleLog(i): byInstance[i, default: []] += messages
            }
        }
        let elements = presentInTreeOrder.map { inst -> VerificationReport.Element in
            let messages = byInstance[inst.id] ?? []
            let status: InstalledStatus? = if case let .installed(s) = inst.origin { s } else { nil }
            return .init(instance: inst.key, product: inst.productID, name: catalog.products[inst.product].name,
                         contract: instances[inst.contract.raw]!.key, customer: inst.customer,
                         parent: inst.parent.map { instances[$0.raw]!.key }, relation: inst.parent == nil ? nil : inst.relation,
                         origin: inst.isNew ? "new" : "installed", installedStatus: status, removed: inst.removed,
                         selling: sellingInfo(of: inst), attributes: inst.attributes,
                         errors: messages.filter { $0.severity == .error }.sorted(by: Self.order),
                         warnings: messages.filter { $0.severity == .warning }.sorted(by: Self.order))
        }
        return VerificationReport(status: status, productSellingDate: productSellingDate, errorCount: errorCount,
                                  warningCount: warningCount, elements: elements,
                                  contractMessages: contractMessages.sorted(by: Self.order),
                                  links: allLinks.map { .init(from: instances[$0.from.raw]!.key, to: instances[$0.to.raw]!.key, rule: catalog.rules[$0.rule].id) }
                                    .sorted { ($0.from, $0.to, $0.rule) < ($1.from, $1.to, $1.rule) })
    }

    /// The instances present (deleted new ones left out), contract by contract, each parent
    /// before its children: the order of the stored document, whatever order they were added in.
    var presentInTreeOrder: [Instance] {
        var result: [Instance] = []
        var seen = Set<InstanceID>()
        func visit(_ id: InstanceID) {
            guard let inst = instance(id), !inst.deleted, seen.insert(id).inserted else { return }
            result.append(inst)
            for child in inst.children { visit(child) }
        }
        for contract in contracts { visit(contract) }
        for inst in instances.compactMap({ $0 }) where !inst.deleted && !seen.contains(inst.id) { result.append(inst) }
        return result
    }

    public static func order(_ a: VerificationMessage, _ b: VerificationMessage) -> Bool {
        (a.contract, a.product.rawValue, a.rule, a.instance ?? "") < (b.contract, b.product.rawValue, b.rule, b.instance ?? "")
    }
}
