/// R-6: one migration requested in a session, as the session document and then the order keep
/// it. It says what it did to the configuration, so that it can be reversed exactly and so that
/// submission can record relationships (R-6.4) and synchronise child orders (R-7.4).
public struct ConfigurationMigration: Hashable, Sendable, Codable {
    /// An installed instance the migration moved (with its descendants), and the parent it left.
    public struct Move: Hashable, Sendable, Codable {
        public var instance: String
        public var from: String
        /// Its place among the former parent's children, so that reversing puts it back there.
        public var position: Int?

        public init(instance: String, from: String, position: Int? = nil) {
            self.instance = instance
            self.from = from
            self.position = position
        }
    }

    /// `M1`, `M2`, … in the order they were made.
    public var id: String
    public var action: String
    public var name: String
    public var kind: MigrationAction.Kind
    /// The installed component migrated, its product, contract, former parent and owner.
    public var component: String
    public var product: ProductID
    public var sourceContract: String
    public var sourceParent: String
    public var sourceCustomer: String
    /// The instance in the target tree: a new instance of the target product (transformation),
    /// or the component itself (reparenting).
    public var target: String
    public var targetProduct: ProductID
    public var targetContract: String
    public var targetParent: String
    public var targetCustomer: String
    /// Installed instances moved to the target tree: the component (reparenting); functional
    /// components the target sells and commercial children it can hold (transformation).
    public var moved: [Move]
    /// Installed instances it marks removed (the source of a transformation and what does not move).
    public var removed: [String]
    /// New instances it created, top-most only (the target, missing ancestors, a new contract).
    public var created: [String]
    /// The target contract was created for this migration (R-6.1 second group).
    public var createdContract: Bool?
    /// Contracts it left without any component: they are disconnected (R-3.6).
    public var emptied: [String]?
    /// Private actions of the script that ran as part of it, as `source key → action`.
    public var script: [String]?
    /// R-6.3: across customers, the commitments covering what migrated are broken.
    public var brokenCommitments: [ProductID]?

    /// A migration as a request restates it (a configuration read back and verified again).
    public init(id: String, action: String, name: String, kind: MigrationAction.Kind, component: String, product: ProductID,
                sourceContract: String, sourceParent: String, sourceCustomer: String, target: String, targetProduct: ProductID,
                targetContract: String, targetParent: String, targetCustomer: String, moved: [Move], removed: [String], created: [String],
                createdContract: Bool? = nil, emptied: [String]? = nil, script: [String]? = nil, brokenCommitments: [ProductID]? = nil) {
        self.id = id
        self.action = action
        self.name = name
        self.kind = kind
        self.component = component
        self.product = product
        self.sourceContract = sourceContract
        self.sourceParent = sourceParent
        self.sourceCustomer = sourceCustomer
        self.target = target
        self.targetProduct = targetProduct
        self.targetContract = targetContract
        self.targetParent = targetParent
        self.targetCustomer = targetCustomer
        self.moved = moved
        self.removed = removed
        self.created = created
        self.createdContract = createdContract
        self.emptied = emptied
        self.script = script
        self.brokenCommitments = brokenCommitments
    }

    /// Between two customers: owner and billing account change (R-6.3).
    public var crossCustomer: Bool { sourceCustomer != targetCustomer }
    /// Between two contracts: the two child orders synchronise (R-7.4).
    public var crossContract: Bool { sourceContract != targetContract }
    /// Every instance key it involves (to refuse removing them, or reversing an earlier one under it).
    public var involved: Set<String> { Set([component, sourceParent, target, targetParent] + moved.map(\.instance) + created) }
}

/// Where a migrated component goes: under an instance already in the session, or into a new
/// contract of `product` for `customer` (R-6.1's two groups).
public enum MigrationDestination: Hashable, Sendable {
    case parent(String)
    case newContract(product: ProductID, customer: String)
}

extension MigrationDestination {
    /// R-6.1: where a migrated component goes, as a request names it: under an instance of the
    /// session (`parent`) or into a new contract (`newContract`) — exactly one of them. The
    /// refusal's text names what to give.
    public static func named(parent: String?, newContract: (product: ProductID, customer: String)?) -> Result<Self, DestinationRefused> {
        switch (parent, newContract) {
        case let (parent?, nil): .success(.parent(parent))
        case let (nil, new?): .success(.newContract(product: new.product, customer: new.customer))
        case (.some, .some): .failure(DestinationRefused(message: "give parent or newContract, not both"))
        case (nil, nil): .failure(DestinationRefused(message: "say where it goes: parent (an instance in the session) or newContract {product, customer}"))
        }
    }

    public struct DestinationRefused: Error, Sendable {
        public var message: String
    }
}

extension Configuration {
    /// R-6.1 – R-6.3: migrates installed component `key` with public action `actionID` (offered
    /// today) to `destination`. Transformation: the source is removed, a new instance of the
    /// target is added under the destination; functional components the target sells move to it
    /// (Sells removed and added), the others are replaced (the action's functional replacements,
    /// as the target sells them); commercial children move when the target can hold them, are
    /// transformed by the script's private actions, or are removed with the source. Reparenting:
    /// the component moves with its descendants. A contract left empty is disconnected.
    /// Refused, changing nothing: a new, removed or functional component, a contract root; any
    /// suspended contract in the session (R-4.4); a destination that cannot hold the component at
    /// its level, holds it obsolete, or whose contract this session disconnects (R-6.3).
    public mutating func migrate(_ key: String, action actionID: String, to destination: MigrationDestination) throws(ConfigurationError) -> OperationOutcome {
        let source = try existing(key, field: "instance")
        guard !source.isNew, let sourceParent = source.parent, source.relation == .childOf else {
            throw ConfigurationError(.notMigratable, "'\(key)' is \(source.isNew ? "new" : source.parent == nil ? "a contract" : "a functional component"); only installed commercial components migrate", field: "instance")
        }
        if let suspended = contracts.first(where: { id in
            guard case let .installed(status) = instances[id.raw]!.origin else { return false }
            return status == .suspended || status == .pendingSuspension
        }) {
            throw ConfigurationError(.suspendedContract, "contract \(instances[suspended.raw]!.key) is suspended; a suspended contract cannot take part in a session that migrates (R-4.4)", field: "instance")
        }
        let action: MigrationAction
        if actionID == MigrationAction.moveInstalledItem {
            // R-12.3: the built-in move of a device, under whatever can hold it.
            guard catalog.products[source.product].kind == .device else {
                throw ConfigurationError(.migrationNotOffered, "\(actionID) moves installed items (devices); '\(key)' is a \(catalog.products[source.product].kind.rawValue)", field: "action")
            }
            action = .movingInstalledItem(source.productID)
        } else if actionID.hasPrefix(MigrationAction.planMigration + ":") {
            // R-13: a plan's product to another plan's of the same service type.
            let target = ProductID(String(actionID.dropFirst(MigrationAction.planMigration.count + 1)))
            guard let from = PlanMigrationRules.plan(of: source.productID, in: catalog.catalog), let to = PlanMigrationRules.plan(of: target, in: catalog.catalog),
                  from.serviceType == to.serviceType, from.id != to.id else {
                throw ConfigurationError(.migrationNotOffered, "\(actionID) moves a package subscription to another plan of its service type; '\(key)' (\(source.productID)) cannot go to \(target)", field: "action")
            }
            action = .planMigrating(source.productID, to: target)
        } else if let found = catalog.catalog.migrations.first(where: { $0.id == actionID }) {
            action = found
        } else {
            throw ConfigurationError(.migrationNotOffered, "no migration action '\(actionID)' in catalog \(catalog.catalog.header.version)", field: "action")
        }
        guard action.visibility == .public, action.source == source.productID, action.isActive(on: today) else {
            let why = action.visibility == .private ? "it is private (it runs only inside another action's script)"
                : action.source != source.productID ? "it migrates \(action.source), not \(source.productID)" : "it is not active on \(today)"
            throw ConfigurationError(.migrationNotOffered, "migration action \(actionID) is not offered for '\(key)': \(why)", field: "action")
        }
        guard let targetProduct = catalog.index[action.target] else {
            throw ConfigurationError(.unknownProduct, "migration action \(actionID) names '\(action.target)', which is not in this catalog", field: "action")
        }

        var work = self
        var created: [String] = []
        var createdContract = false
        // The holder: where the migrated component (or its replacement) goes.
        let holder: Instance
        switch destination {
        case let .parent(parentKey):
            // A contract this session disconnects is named as such, whichever of its instances was chosen.
            if let chosen = work.instance(key: parentKey), work.instances[chosen.contract.raw]!.removed {
                throw ConfigurationError(.migrationIntoDisconnected, "contract \(work.instances[chosen.contract.raw]!.key) is disconnected in this session; nothing migrates into it", field: "parent")
            }
            holder = try work.existing(parentKey, field: "parent")
        case let .newContract(productID, customer):
            guard let product = catalog.index[productID], catalog.products[product].kind == .contract else {
                throw ConfigurationError(.notAContract, "'\(productID)' is not a contract product", field: "newContract.product")
            }
            let root = work.insert(product: product, key: nil, parent: nil, relation: .childOf, customer: customer, origin: .new, attributes: [:])
            created.append(work.instances[root.raw]!.key)
            createdContract = true
            guard let place = work.placementCandidates(for: targetProduct, in: root).first else {
                throw ConfigurationError(.notInBundle, "a \(productID) contract has no place for \(action.target)", field: "newContract.product")
            }
            var anchor = place.anchor
            for step in place.chain.dropLast() {
                anchor = work.insert(product: step, key: nil, parent: anchor, relation: .childOf, customer: customer, origin: .new, attributes: [:])
            }
            holder = work.instances[anchor.raw]!
        }
        let targetRoot = work.instances[holder.contract.raw]!
        if targetRoot.removed {
            throw ConfigurationError(.migrationIntoDisconnected, "contract \(targetRoot.key) is disconnected in this session; nothing migrates into it", field: "parent")
        }
        guard let membership = catalog.membership(parent: holder.product, child: targetProduct) else {
            throw ConfigurationError(.notInBundle, "\(holder.productID) ('\(holder.key)') cannot hold \(action.target): the target structure has no place at its level", field: "parent")
        }
        if let obsolete = membership.obsoleteDate, obsolete <= today {
            throw ConfigurationError(.targetObsolete, "\(action.target) is obsolete in \(holder.productID) since \(obsolete)", field: "parent")
        }
        if action.kind == .reparenting, holder.id == sourceParent {
            throw ConfigurationError(.invalidPlacement, "'\(key)' is already under '\(holder.key)'; reparenting moves it under another parent", field: "parent")
        }

        var migration = ConfigurationMigration(
            id: "M\((migrations.compactMap { Int($0.id.dropFirst()) }.max() ?? 0) + 1)", action: action.id, name: action.name, kind: action.kind,
            component: key, product: source.productID, sourceContract: instances[source.contract.raw]!.key,
            sourceParent: instances[sourceParent.raw]!.key, sourceCustomer: source.customer, target: key, targetProduct: action.target,
            targetContract: targetRoot.key, targetParent: holder.key, targetCustomer: targetRoot.customer, moved: [], removed: [], created: [],
            createdContract: createdContract ? true : nil)

        var document: ConfigurationDocument
        switch action.kind {
        case .reparenting:
            document = work.document()
            migration.moved = [.init(instance: key, from: migration.sourceParent, position: document.move(key, under: holder.key))]
        case .transformation:
            // Created in memory first (sold functional components, brings rules, selling checks), moved in the document after.
            var pairs: [(source: InstanceID, target: InstanceID)] = []
            var script: [String] = []
            var made: [InstanceID] = []
            let target = try work.transform(source.id, by: action, under: holder.id, pairs: &pairs, script: &script, created: &made)
            if !createdContract {
                // Top-most only: what rules brought elsewhere in the contract leaves with the target on reversal.
                let all = Set(made)
                created += made.filter { id in work.instances[id.raw]!.parent.map { !all.contains($0) } ?? true }.map { work.instances[$0.raw]!.key }
            }
            migration.target = work.instances[target.raw]!.key
            migration.script = script.isEmpty ? nil : script
            document = work.document()
            var moving: Set<String> = []
            for (from, to) in pairs {
                let s = work.instances[from.raw]!, t = work.instances[to.raw]!
                let transformed = Set(pairs.map(\.source))
                for child in s.children.map({ work.instances[$0.raw]! }) where child.isCounted && !transformed.contains(child.id) {
                    let sold = child.relation == .sells && catalog.sells[t.product].contains(child.product)
                    let held = child.relation == .childOf && catalog.membership(parent: t.product, child: child.product) != nil
                    guard sold || held else { continue }
                    if sold, let fresh = t.children.first(where: { work.instances[$0.raw]!.product == child.product && work.instances[$0.raw]!.isNew }) {
                        document.delete(work.instances[fresh.raw]!.key)
                    }
                    migration.moved.append(.init(instance: child.key, from: s.key, position: document.move(child.key, under: t.key)))
                    moving.insert(child.key)
                }
            }
            // What stays with the source is removed with it (installed marked removed; new ones dropped).
            migration.removed = document.markRemoved(key, sparing: moving)
        }
        migration.created = created
        // A contract the migration leaves with nothing in it is disconnected (R-3.6).
        if document.isEmptied(migration.sourceContract) {
            document.setRemoved(migration.sourceContract, true)
            migration.emptied = [migration.sourceContract]
        }
        if migration.crossCustomer {
            migration.brokenCommitments = commitments(covering: work.subtreeProducts(source.id)).nilIfEmpty
        }
        document.dropLinksOutOfScope(catalog: catalog)
        document.migrations = migrations + [migration]
        self = try Configuration(document: document, catalog: catalog, today: today)
        return .applied(created: created, removed: migration.removed)
    }

    /// R-6.1: reverses migration `id`: moved instances return, created ones leave, removed ones
    /// come back, an emptied contract is no longer disconnected. Refused while a later migration
    /// involves what this one created or moved (reverse that one first).
    public mutating func reverseMigration(_ id: String) throws(ConfigurationError) -> OperationOutcome {
        guard let index = migrations.firstIndex(where: { $0.id == id }) else {
            throw ConfigurationError(.unknownMigration, "no migration '\(id)' in this session", field: "migration")
        }
        let migration = migrations[index]
        let mine = Set(migration.moved.map(\.instance) + migration.created + [migration.target])
        if let later = migrations[(index + 1)...].first(where: { !$0.involved.isDisjoint(with: mine) || ($0.targetContract == migration.targetContract && migration.createdContract == true) }) {
            throw ConfigurationError(.migrationInProgress, "migration \(later.id) builds on \(id); reverse \(later.id) first", field: "migration")
        }
        var document = document()
        for move in migration.moved.reversed() { document.move(move.instance, under: move.from, at: move.position) }
        for key in migration.removed { document.setRemoved(key, false) }
        for key in migration.emptied ?? [] { document.setRemoved(key, false) }
        for key in migration.created.reversed() { document.delete(key) }
        document.links = document.links?.filter { document.contains($0.from) && document.contains($0.to) }.nilIfEmpty
        document.migrations = migrations.filter { $0.id != id }.nilIfEmpty
        self = try Configuration(document: document, catalog: catalog, today: today)
        return .applied(created: migration.moved.map(\.instance), removed: migration.created)
    }

    /// A transformation in memory: a new instance of the action's target under `parent`; the
    /// source's commercial children named by the script's private actions are transformed under
    /// it in turn. Returns the new instance; `pairs` collects source → new for the moves.
    mutating func transform(_ source: InstanceID, by action: MigrationAction, under parent: InstanceID,
                            pairs: inout [(source: InstanceID, target: InstanceID)], script: inout [String],
                            created: inout [InstanceID]) throws(ConfigurationError) -> InstanceID {
        guard let product = catalog.index[action.target] else {
            throw ConfigurationError(.unknownProduct, "migration action \(action.id) names '\(action.target)', which is not in this catalog", field: "action")
        }
        let first = created.count
        if try place(product, in: instances[parent.raw]!.contract, under: parent, rule: nil, broughtBy: nil, placements: [:], created: &created) != nil {
            throw ConfigurationError(.invalidPlacement, "a rule of \(action.target) asks where to place what it brings; add it by hand after the migration", field: "action")
        }
        let target = created[first]
        pairs.append((source, target))
        let privateActions = action.script.compactMap { id in catalog.catalog.migrations.first { $0.id == id } }
        for child in instances[source.raw]!.children where instances[child.raw]!.isCounted && instances[child.raw]!.relation == .childOf {
            guard let inner = privateActions.first(where: { $0.source == instances[child.raw]!.productID }),
                  let innerTarget = catalog.index[inner.target], catalog.membership(parent: product, child: innerTarget) != nil else { continue }
            script.append("\(instances[child.raw]!.key) → \(inner.id)")
            _ = try transform(child, by: inner, under: target, pairs: &pairs, script: &script, created: &created)
        }
        return target
    }

    /// Products of an instance and everything below it.
    func subtreeProducts(_ id: InstanceID) -> [ProductID] {
        let inst = instances[id.raw]!
        return [inst.productID] + inst.children.flatMap(subtreeProducts)
    }

    /// Commitment products whose coverage rules cover any of `products` (R-6.3, R-9).
    func commitments(covering products: [ProductID]) -> [ProductID] {
        let set = Set(products)
        var found: [ProductID] = []
        for rule in catalog.rules {
            if case let .commitmentCoverage(commitment, covers) = rule.kind, covers.contains(where: set.contains), !found.contains(commitment) {
                found.append(commitment)
            }
        }
        return found
    }

    /// R-3.6: whether removing `keys` would take away what a migration stands on.
    func migrationInvolving(_ keys: Set<String>) -> ConfigurationMigration? {
        migrations.first { !$0.involved.isDisjoint(with: keys) || keys.contains($0.targetContract) && $0.createdContract == true }
    }
}

extension ConfigurationDocument {
    /// Whether an instance with this key is in the document.
    func contains(_ key: String) -> Bool { contracts.contains { $0.root.allKeys.contains(key) } }

    /// Takes a component (with its subtree) out of its tree and returns it with its former position.
    mutating func detach(_ key: String) -> (component: Component, position: Int)? {
        func take(from c: inout Component) -> (Component, Int)? {
            guard var children = c.components else { return nil }
            if let i = children.firstIndex(where: { $0.id == key }) {
                let found = children.remove(at: i)
                c.components = children.isEmpty ? nil : children
                return (found, i)
            }
            for i in children.indices {
                if let found = take(from: &children[i]) {
                    c.components = children
                    return found
                }
            }
            return nil
        }
        for i in contracts.indices {
            if let found = take(from: &contracts[i].root) { return found }
        }
        return nil
    }

    /// Changes the component `key` wherever it is.
    mutating func modify(_ key: String, _ change: (inout Component) -> Void) {
        func visit(_ c: inout Component) -> Bool {
            if c.id == key { change(&c); return true }
            guard var children = c.components else { return false }
            for i in children.indices where visit(&children[i]) {
                c.components = children
                return true
            }
            return false
        }
        for i in contracts.indices where visit(&contracts[i].root) { return }
    }

    /// Moves a component with its subtree under another one (Child Of or Sells removed and added),
    /// last or at `position`; returns where it was.
    @discardableResult
    mutating func move(_ key: String, under parent: String, at position: Int? = nil) -> Int? {
        guard let (component, old) = detach(key) else { return nil }
        modify(parent) { p in
            var children = p.components ?? []
            children.insert(component, at: min(position ?? children.count, children.count))
            p.components = children
        }
        return old
    }

    /// Deletes a new component (with its subtree), or a new contract; never an installed one.
    mutating func delete(_ key: String) {
        if let i = contracts.firstIndex(where: { $0.root.id == key }) {
            if contracts[i].root.installedStatus == nil { contracts.remove(at: i) }
        } else if contracts.contains(where: { $0.root.component(key).map { $0.installedStatus == nil } ?? false }) {
            _ = detach(key)
        }
    }

    mutating func setRemoved(_ key: String, _ removed: Bool) {
        modify(key) { $0.removed = removed ? true : nil }
    }

    /// Marks an installed component and its subtree removed, except the `sparing` subtrees (they
    /// moved away) and what was removed already; new components under it are dropped. Returns the
    /// keys it marked.
    mutating func markRemoved(_ key: String, sparing: Set<String>) -> [String] {
        var marked: [String] = []
        func mark(_ c: Component) -> Component {
            var copy = c
            if c.removed != true {
                copy.removed = true
                marked.append(c.id)
            }
            copy.components = c.components?.filter { $0.installedStatus != nil && !sparing.contains($0.id) }.map(mark).nilIfEmpty
            return copy
        }
        modify(key) { $0 = mark($0) }
        return marked
    }

    /// Whether a contract has no component left that is not removed (its root aside).
    func isEmptied(_ contract: String) -> Bool {
        guard let root = contracts.first(where: { $0.root.id == contract })?.root else { return false }
        func alive(_ c: Component) -> Bool { c.removed != true && (c.installedStatus.map(\.countsAsActive) ?? true) }
        func anyAlive(_ c: Component) -> Bool { (c.components ?? []).contains { alive($0) || anyAlive($0) } }
        return root.removed != true && !anyAlive(root)
    }

    /// Relies-on links whose ends no longer fall in their rule's scope are dropped (a moved
    /// component leaves links that only held within its former contract or customer).
    mutating func dropLinksOutOfScope(catalog: CatalogIndex) {
        guard let all = links else { return }
        var places: [String: (contract: String, customer: String, product: ProductID)] = [:]
        for contract in contracts {
            func visit(_ c: Component) {
                places[c.id] = (contract.root.id, contract.customer, c.product)
                c.components?.forEach(visit)
            }
            visit(contract.root)
        }
        links = all.filter { link in
            guard let from = places[link.from], let to = places[link.to], let source = catalog.index[from.product] else { return false }
            return catalog.reliesBySource[source].contains { r in
                guard case let .reliesOn(_, target, scope) = catalog.rules[r].kind, target == to.product else { return false }
                return switch scope {
                case .contract: from.contract == to.contract
                case .customer: from.customer == to.customer
                case .shared: true
                }
            }
        }.nilIfEmpty
    }
}
