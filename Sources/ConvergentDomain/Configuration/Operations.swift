/// The configuration operations of R-4.2 that need no later issue. Each one either applies
/// entirely and re-verifies, or changes nothing (an error, or a question to answer).
extension Configuration {
    /// Adds a component to a contract (R-4.2).
    /// - Parameters:
    ///   - parent: where to put it; when nil the engine finds the place, creating missing ancestors.
    ///   - placements: answers to earlier questions: product → instance key to put it under.
    public mutating func add(_ productID: ProductID, toContract contractKey: String, under parentKey: String? = nil,
                             placements: [ProductID: String] = [:]) throws(ConfigurationError) -> OperationOutcome {
        guard let product = catalog.index[productID] else {
            throw ConfigurationError(.unknownProduct, "no product '\(productID)' in catalog \(catalog.catalog.header.version)", field: "product")
        }
        let contract = try existing(contractKey, field: "contract")
        guard contract.parent == nil else {
            throw ConfigurationError(.notAContract, "'\(contractKey)' is not a contract but a component of one", field: "contract")
        }
        var parent: Instance?
        if let parentKey {
            let p = try existing(parentKey, field: "parent")
            guard p.contract == contract.id else {
                throw ConfigurationError(.invalidPlacement, "'\(parentKey)' is not in contract '\(contractKey)'", field: "parent")
            }
            parent = p
        }
        return try perform(placements: placements) { config, created throws(ConfigurationError) in
            try config.place(product, in: contract.id, under: parent?.id, rule: nil, broughtBy: nil, placements: placements, created: &created)
        }
    }

    /// Adds one more instance of an existing component, under the same parent (R-4.2).
    public mutating func addInstance(of key: String, placements: [ProductID: String] = [:]) throws(ConfigurationError) -> OperationOutcome {
        let inst = try existing(key, field: "instance")
        guard let parent = inst.parent, inst.relation == .childOf else {
            throw ConfigurationError(.invalidPlacement, "'\(key)' is a contract or a sold functional component; add another contract or offer instead", field: "instance")
        }
        return try add(inst.productID, toContract: instances[inst.contract.raw]!.key, under: instances[parent.raw]!.key, placements: placements)
    }

    /// Removes a component with its descendants and what it brought with brings-and-removes rules (R-4.2).
    /// New instances leave the configuration; installed ones stay, marked removed (to be disconnected).
    public mutating func remove(_ key: String) throws(ConfigurationError) -> OperationOutcome {
        let root = try existing(key, field: "instance")
        if root.relation == .sells, let parent = root.parent, instances[parent.raw]!.isCounted {
            throw ConfigurationError(.invalidPlacement, "'\(key)' is a functional component sold by '\(instances[parent.raw]!.key)'; remove the offer instead", field: "instance")
        }
        var doomed: [InstanceID] = []
        var seen: Set<InstanceID> = []
        var queue = [root.id]
        while let id = queue.popLast() {
            guard seen.insert(id).inserted else { continue }
            doomed.append(id)
            queue += instances[id.raw]!.children
            // What this instance brought along with brings-and-removes goes with it.
            queue += brought[id] ?? []
        }
        if let migration = migrationInvolving(Set(doomed.map { instances[$0.raw]!.key })) {
            throw ConfigurationError(.migrationInProgress, "'\(key)' takes part in migration \(migration.id) (\(migration.action)); reverse the migration first", field: "instance")
        }
        var touched = Set(doomed)
        var removedKeys: [String] = []
        for id in doomed {
            let inst = instances[id.raw]!
            removedKeys.append(inst.key)
            for link in outgoing[id] ?? [] { touched.insert(link.to); drop(link) }
            for link in incoming[id] ?? [] { touched.insert(link.from); drop(link) }
            if inst.isNew {
                take(id, deleted: true)
                forget(key: inst.key)
                byProduct[inst.contract]?[inst.product]?.removeAll { $0 == id }
                if let parent = inst.parent, !seen.contains(parent) {
                    instances[parent.raw]!.children.removeAll { $0 == id }
                    touched.insert(parent)
                }
                if inst.parent == nil { contracts.removeAll { $0 == id } }
            } else {
                take(id, deleted: false)
            }
        }
        reverify(touched: touched)
        return .applied(created: [], removed: removedKeys)
    }

    /// Sets an attribute, checked against its definition; the offer's functional components
    /// that define the same attribute get the same value (R-4.2).
    public mutating func setAttribute(_ name: String, to value: String, on key: String) throws(ConfigurationError) {
        let inst = try existing(key, field: "instance")
        guard let def = catalog.products[inst.product].attribute(named: name) else {
            throw ConfigurationError(.unknownAttribute, "\(inst.productID) has no attribute '\(name)'", field: "name")
        }
        if let why = def.problem(with: value) {
            throw ConfigurationError(.invalidAttribute, "attribute \(name) of \(inst.productID): \(why)", field: "value")
        }
        var touched: Set<InstanceID> = [inst.id]
        instances[inst.id.raw]!.attributes[name] = value
        for child in inst.children where instances[child.raw]!.relation == .sells {
            if catalog.products[instances[child.raw]!.product].attribute(named: name) != nil {
                instances[child.raw]!.attributes[name] = value
                touched.insert(child)
            }
        }
        reverify(touched: touched)
    }

    /// Removes an attribute's value (and its functional components' value).
    public mutating func removeAttribute(_ name: String, on key: String) throws(ConfigurationError) {
        let inst = try existing(key, field: "instance")
        guard catalog.products[inst.product].attribute(named: name) != nil else {
            throw ConfigurationError(.unknownAttribute, "\(inst.productID) has no attribute '\(name)'", field: "name")
        }
        var touched: Set<InstanceID> = [inst.id]
        instances[inst.id.raw]!.attributes[name] = nil
        for child in inst.children where instances[child.raw]!.relation == .sells {
            instances[child.raw]!.attributes[name] = nil
            touched.insert(child)
        }
        reverify(touched: touched)
    }

    /// Adds a relies-on link between two functional components, as a rule allows (R-4.2).
    public mutating func link(_ fromKey: String, to toKey: String) throws(ConfigurationError) {
        let from = try existing(fromKey, field: "from"), to = try existing(toKey, field: "to")
        let rule = relianceRule(from: from, to: to, activeOnly: true)
        guard let rule else {
            throw ConfigurationError(.noSuchRule, "no active relies-on rule lets \(from.productID) apply on \(to.productID) here", field: "to")
        }
        guard !(outgoing[from.id] ?? []).contains(where: { $0.to == to.id }) else { return }
        attach(RelianceLink(from: from.id, to: to.id, rule: rule))
        ruleLog[from.id]?.removeAll { $0.rule == catalog.rules[rule].id }
        reverify(touched: [from.id, to.id])
    }

    public mutating func unlink(_ fromKey: String, from toKey: String) throws(ConfigurationError) {
        let from = try existing(fromKey, field: "from"), to = try existing(toKey, field: "to")
        let links = (outgoing[from.id] ?? []).filter { $0.to == to.id }
        guard !links.isEmpty else { throw ConfigurationError(.noSuchLink, "\(fromKey) has no link to \(toKey)", field: "to") }
        links.forEach { drop($0) }
        reverify(touched: [from.id, to.id])
    }

    /// Instances another could rely on under a relies-on rule: the possible link targets (R-4.2).
    public func linkTargets(for key: String) throws(ConfigurationError) -> [String] {
        let from = try existing(key, field: "instance")
        return catalog.reliesBySource[from.product].flatMap { r in relianceCandidates(for: from, rule: r).map { instances[$0.raw]!.key } }
    }

    // MARK: Internals

    func existing(_ key: String, field: String) throws(ConfigurationError) -> Instance {
        guard let inst = instance(key: key) else {
            throw ConfigurationError(.unknownInstance, "no instance '\(key)' in this configuration", field: field)
        }
        guard !inst.removed else {
            throw ConfigurationError(.removedInstance, "'\(key)' is being removed in this configuration", field: field)
        }
        return inst
    }

    /// Runs `body` on the configuration; a question or an error leaves everything as it was.
    mutating func perform(placements: [ProductID: String],
                          _ body: (inout Configuration, inout [InstanceID]) throws(ConfigurationError) -> PlacementQuestion?) throws(ConfigurationError) -> OperationOutcome {
        let mark = instances.count
        let savedContracts = contracts
        var created: [InstanceID] = []
        let question: PlacementQuestion?
        do {
            question = try body(&self, &created)
        } catch {
            rollback(to: mark, contracts: savedContracts)
            throw error
        }
        if let question {
            rollback(to: mark, contracts: savedContracts)
            return .question(question)
        }
        var touched = Set(created)
        for id in created {
            if let parent = instances[id.raw]!.parent { touched.insert(parent) }
            for link in outgoing[id] ?? [] { touched.insert(link.to) }
        }
        reverify(touched: touched)
        return .applied(created: created.map { instances[$0.raw]!.key }, removed: [])
    }

    /// Undoes appended instances (an add only appends, so undoing is truncating).
    private mutating func rollback(to mark: Int, contracts savedContracts: [InstanceID]) {
        for inst in instances[mark...].compactMap({ $0 }).reversed() {
            forget(key: inst.key)
            byProduct[inst.contract]?[inst.product]?.removeAll { $0 == inst.id }
            if let parent = inst.parent, parent.raw < mark { instances[parent.raw]!.children.removeAll { $0 == inst.id } }
            for link in outgoing[inst.id] ?? [] { drop(link) }
            ruleLog[inst.id] = nil
            if let by = inst.broughtBy { brought[by]?.removeAll { $0 == inst.id } }
        }
        instances.removeSubrange(mark...)
        cores.removeSubrange(mark...)
        contracts = savedContracts
    }

    /// Places a product in a contract: under `parent`, or wherever the catalog allows, creating
    /// missing ancestors; then applies brings rules and relies-on links for what was created.
    mutating func place(_ product: Int, in contract: InstanceID, under parent: InstanceID?, rule: String?,
                        broughtBy: InstanceID?, placements: [ProductID: String], created: inout [InstanceID]) throws(ConfigurationError) -> PlacementQuestion? {
        let productID = catalog.products[product].id
        let anchor: InstanceID
        let chain: [Int]
        if let parent {
            guard catalog.membership(parent: instances[parent.raw]!.product, child: product) != nil else {
                throw ConfigurationError(.notInBundle, "\(productID) is not a component of \(instances[parent.raw]!.productID)", field: "parent")
            }
            (anchor, chain) = (parent, [])
        } else {
            var candidates = placementCandidates(for: product, in: contract)
            if let answer = placements[productID] {
                guard let chosen = instance(key: answer) else {
                    throw ConfigurationError(.unknownInstance, "placement for \(productID): no instance '\(answer)'", field: "placements")
                }
                candidates = candidates.filter { $0.anchor == chosen.id }
                guard !candidates.isEmpty else {
                    throw ConfigurationError(.invalidPlacement, "\(productID) cannot go under '\(answer)'", field: "placements")
                }
            }
            if candidates.isEmpty {
                if rule != nil { return nil } // reported by the caller as a rule that could not be committed
                throw ConfigurationError(.notInBundle, "\(productID) has no place in contract \(instances[contract.raw]!.key) (\(instances[contract.raw]!.productID))", field: "product")
            }
            if candidates.count > 1 {
                return PlacementQuestion(
                    product: productID, rule: rule,
                    message: "\(catalog.products[product].name) can go in \(candidates.count) places; choose one and repeat the request with placements",
                    candidates: candidates.map { .init(instance: instances[$0.anchor.raw]!.key, product: instances[$0.anchor.raw]!.productID,
                                                       via: $0.chain.dropLast().map { catalog.products[$0].id }) })
            }
            (anchor, chain) = (candidates[0].anchor, candidates[0].chain.dropLast())
        }

        // Agents add only what is sold on the product selling date; rules do not check (R-4.5, R-11.2).
        let first = created.count
        var parentID = anchor
        for step in chain + [product] {
            if rule == nil {
                let info = catalog.sellingInfo(of: step, under: instances[parentID.raw]!.product, on: productSellingDate)
                if info.status == .past || info.obsoleteSince != nil {
                    throw ConfigurationError(.notSellable, "\(catalog.products[step].id) is not sold on \(productSellingDate) (\(info.obsoleteSince.map { "obsolete since \($0)" } ?? "past")); back-date the product selling date to order it", field: "product")
                }
            }
            let owner = instances[parentID.raw]!
            let id = insert(product: step, key: nil, parent: parentID, relation: .childOf, customer: owner.customer, origin: .new,
                            attributes: [:], broughtBy: step == product ? broughtBy : nil)
            created.append(id)
            insertSoldComponents(of: id, created: &created)
            parentID = id
        }
        // Rules triggered by what was just created (what they bring is handled by the nested call).
        for id in created[first...] {
            if let question = try applyBrings(for: id, placements: placements, created: &created) { return question }
        }
        return nil
    }

    /// R-1.4 brings-on-creation and brings-and-removes: add the target, asking where when ambiguous.
    /// The target's selling period is not checked (R-4.5).
    private mutating func applyBrings(for id: InstanceID, placements: [ProductID: String], created: inout [InstanceID]) throws(ConfigurationError) -> PlacementQuestion? {
        let inst = instances[id.raw]!
        for r in catalog.bringsBySource[inst.product] where verifier.activeRule[r] {
            let rule = catalog.rules[r]
            let target: ProductID, removes: Bool
            switch rule.kind {
            case let .bringsOnCreation(_, t): (target, removes) = (t, false)
            case let .bringsAndRemoves(_, t): (target, removes) = (t, true)
            default: continue
            }
            guard let targetIndex = catalog.index[target] else { continue }
            // Already satisfied when every possible place already holds its maximum.
            let candidates = placementCandidates(for: targetIndex, in: inst.contract)
            if !candidates.isEmpty, candidates.allSatisfy({ $0.chain.count == 1 && !hasRoom(for: targetIndex, under: $0.anchor) }) { continue }
            let before = created.count
            if let question = try place(targetIndex, in: inst.contract, under: nil, rule: rule.id, broughtBy: removes ? id : nil,
                                        placements: placements, created: &created) {
                return question
            }
            if created.count == before {
                log(rule, on: inst, "\(rule.kind.name) \(rule.id): \(target) could not be added to contract \(instances[inst.contract.raw]!.key): the contract has no place for it")
            }
        }
        if inst.relation == .sells { linkReliance(for: id) }
        return nil
    }

    /// R-1.4 relies-on: link a new functional component to the one it applies on when there is
    /// exactly one candidate; R-4.5: not when the source product is not sold on the reference date.
    private mutating func linkReliance(for id: InstanceID) {
        let inst = instances[id.raw]!
        for r in catalog.reliesBySource[inst.product] where verifier.activeRule[r] {
            let rule = catalog.rules[r]
            let info = sellingInfo(of: inst)
            if inst.isNew, info.status != .current {
                log(rule, on: inst, "reliesOn \(rule.id): \(inst.productID) is \(info.status.rawValue) on \(productSellingDate); the link was not created")
                continue
            }
            let candidates = relianceCandidates(for: inst, rule: r)
            if candidates.count == 1 { attach(RelianceLink(from: id, to: candidates[0], rule: r)) }
        }
    }

    private mutating func log(_ rule: ConfigurationRule, on inst: Instance, _ detail: String) {
        ruleLog[inst.id, default: []].append(VerificationMessage(
            rule: rule.id, severity: .warning, message: "\(rule.message) (not applied)", detail: detail, product: inst.productID,
            instance: inst.key, contract: instances[inst.contract.raw]!.key, customer: inst.customer))
    }

    struct Placement {
        let anchor: InstanceID
        /// Products to create under the anchor, ending with the product itself.
        let chain: [Int]
    }

    /// Where a product can go in a contract: the nearest existing instances that can hold it,
    /// directly or through missing ancestors (fewest ancestors to create first).
    func placementCandidates(for product: Int, in contract: InstanceID) -> [Placement] {
        var frontier: [(product: Int, chain: [Int])] = [(product, [product])]
        for _ in 0..<4 {
            var found: [Placement] = []
            var next: [(product: Int, chain: [Int])] = []
            for (p, chain) in frontier {
                for parent in catalog.parents[p] {
                    let holders = (byProduct[contract]?[parent] ?? []).filter { instances[$0.raw]!.isCounted }
                    found += holders.map { Placement(anchor: $0, chain: chain) }
                    if !chain.contains(parent) { next.append((parent, [parent] + chain)) }
                }
            }
            if !found.isEmpty {
                // Prefer places with room left when some have it.
                let roomy = found.filter { $0.chain.count > 1 || hasRoom(for: $0.chain[0], under: $0.anchor) }
                return roomy.isEmpty ? found : roomy
            }
            frontier = next
            if frontier.isEmpty { break }
        }
        return []
    }

    func hasRoom(for product: Int, under parent: InstanceID) -> Bool {
        let p = instances[parent.raw]!
        guard let m = catalog.membership(parent: p.product, child: product) else { return false }
        let n = p.children.reduce(0) { $0 + (instances[$1.raw]!.product == product && instances[$1.raw]!.isCounted ? 1 : 0) }
        return n < m.max
    }

    /// The relies-on rule that lets `from` apply on `to` within its scope (R-1.4), if any.
    /// Links being created need a rule active on the product selling date; links of an
    /// installed base are kept whatever the rule's period.
    func relianceRule(from: Instance, to: Instance, activeOnly: Bool) -> Int? {
        catalog.reliesBySource[from.product].first { r in
            guard !activeOnly || verifier.activeRule[r], case let .reliesOn(_, target, scope) = catalog.rules[r].kind,
                  catalog.index[target] == to.product else { return false }
            return inScope(scope, from: from, to: to)
        }
    }

    func inScope(_ scope: RelianceScope, from: Instance, to: Instance) -> Bool {
        switch scope {
        case .contract: from.contract == to.contract
        case .customer: from.customer == to.customer
        case .shared: true
        }
    }

    func relianceCandidates(for inst: Instance, rule r: Int) -> [InstanceID] {
        guard case let .reliesOn(_, target, scope) = catalog.rules[r].kind, let t = catalog.index[target] else { return [] }
        let pool: [InstanceID] = switch scope {
        case .contract: byProduct[inst.contract]?[t] ?? []
        case .customer, .shared: contracts.flatMap { byProduct[$0]?[t] ?? [] }
        }
        return pool.filter { instances[$0.raw]!.isCounted && inScope(scope, from: inst, to: instances[$0.raw]!) }
    }

    mutating func attach(_ link: RelianceLink) {
        outgoing[link.from, default: []].append(link)
        incoming[link.to, default: []].append(link)
    }

    mutating func drop(_ link: RelianceLink) {
        outgoing[link.from]?.removeAll { $0 == link }
        incoming[link.to]?.removeAll { $0 == link }
        if outgoing[link.from]?.isEmpty == true { outgoing[link.from] = nil }
        if incoming[link.to]?.isEmpty == true { incoming[link.to] = nil }
    }
}
