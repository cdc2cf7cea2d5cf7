/// The checks of with their results kept per check, so that a change re-runs only the
/// checks it can affect. One check, one key:
/// - `membership`: an instance holds between min and max of a package component;
/// - `rule`: a prerequisite, exclusion or cardinality rule over one contract's products;
/// - `attributes`: required attributes are set and values fit their definition;
/// - `reliance`: a functional component that relies on another has its link;
/// - `ruleLog`: rules that could not be committed, as warnings.
struct Verifier: Sendable {
    enum CheckKey: Hashable, Sendable {
        case membership(InstanceID, child: Int)
        case rule(contract: InstanceID, rule: Int)
        case attributes(InstanceID)
        case reliance(InstanceID)
        case ruleLog(InstanceID)
    }

    let catalog: CatalogIndex
    let day: Day
    let activeRule: [Bool]
    /// Per product, the active rules it triggers, contiguous (see `CatalogIndex.triggerRulesBySubject`).
    let activeTriggers: [[TriggerRule]]
    private(set) var messages: [CheckKey: [VerificationMessage]] = [:]
    private(set) var errorCount = 0
    private(set) var warningCount = 0
    private var counted: [Bool] = []
    /// Counted instances per contract and product.
    private var counts: [InstanceID: [Int: Int]] = [:]
    /// Rules already checked for the contract being visited (`stamp`), without hashing.
    private var ruleStamp: [Int] = []
    private var stamp = 0
    /// The counts of the contract being checked, by product index: read without hashing.
    private var dense: [Int32] = []
    /// After `reset` every check is empty: no need to look up what a passing check had.
    private var skipEmptyLookups = false

    init(catalog: CatalogIndex, day: Day) {
        self.catalog = catalog
        self.day = day
        let active = catalog.rules.map { $0.isActive(on: day) }
        activeRule = active
        activeTriggers = catalog.triggerRulesBySubject.map { rules in
            rules.filter { active[$0] }.map { TriggerRule(index: Int32($0), rule: catalog.compiled[$0]) }
        }
    }

    /// An empty stand-in, costing nothing, while the real verifier is at work.
    init(placeholderFor catalog: CatalogIndex) {
        self.catalog = catalog
        day = Day(daysSinceEpoch: 0)
        activeRule = []
        activeTriggers = []
    }

    /// An active rule with what checking it needs, stored next to the other rules of its product.
    struct TriggerRule: Sendable {
        let index: Int32
        let rule: CatalogIndex.CompiledRule
    }

    var status: ConfigurationStatus {
        errorCount > 0 ? .invalid : warningCount > 0 ? .validWithWarning : .valid
    }

    mutating func reset() {
        messages = [:]
        errorCount = 0
        warningCount = 0
        counted = []
        counts = [:]
    }

    /// Re-runs the checks `touched` instances can affect; with `full`, every check (after `reset`).
    mutating func update(_ config: Configuration, touched: Set<InstanceID>, full: Bool) {
        if counted.count < config.instances.count {
            counted.append(contentsOf: repeatElement(false, count: config.instances.count - counted.count))
        }
        if ruleStamp.count != catalog.rules.count { ruleStamp = Array(repeating: 0, count: catalog.rules.count) }
        if dense.count != catalog.products.count { dense = Array(repeating: 0, count: catalog.products.count) }
        skipEmptyLookups = full
        defer { skipEmptyLookups = false }
        var parents: Set<InstanceID> = []
        /// Contract → products whose count changed in it.
        var changed: [InstanceID: [Int]] = [:]
        var contracts: [InstanceID] = []
        func visit(_ inst: Instance) {
            let now = inst.isCounted
            if now != counted[inst.id.raw] {
                counts[inst.contract, default: [:]][inst.product, default: 0] += now ? 1 : -1
                changed[inst.contract, default: []].append(inst.product)
                counted[inst.id.raw] = now
            }
            if inst.parent == nil { contracts.append(inst.id) }
            if !full, let parent = inst.parent, inst.relation == .childOf { parents.insert(parent) }
            check(inst, in: config)
        }
        if full {
            for case let inst? in config.instances { visit(inst) }
        } else {
            for id in touched { visit(config.instances[id.raw]!) }
            for parent in parents where !touched.contains(parent) {
                checkMemberships(config.instances[parent.raw]!, in: config)
            }
        }
        let touchedRoots = Set(contracts)
        for contract in touchedRoots.union(changed.keys) {
            stamp += 1
            let root = config.instances[contract.raw]!
            let contractCounts = counts[contract] ?? [:]
            for (product, count) in contractCounts { dense[product] = Int32(count) }
            defer { for product in contractCounts.keys { dense[product] = 0 } }
            if full {
                // Each rule once, under the product that can break it, read in order.
                for (product, count) in contractCounts where count > 0 {
                    for trigger in activeTriggers[product] {
                        checkRule(Int(trigger.index), trigger.rule, root: root)
                    }
                }
                for r in catalog.minimumRulesByContract[root.product] where activeRule[r] && dense[Int(catalog.compiled[r].first)] == 0 {
                    checkRule(r, catalog.compiled[r], root: root)
                }
                continue
            }
            for product in changed[contract] ?? [] {
                for r in catalog.contractRulesBySubject[product] where activeRule[r] && ruleStamp[r] != stamp {
                    ruleStamp[r] = stamp
                    checkRule(r, catalog.compiled[r], root: root)
                }
            }
            if touchedRoots.contains(contract) {
                for r in catalog.minimumRulesByContract[root.product] where activeRule[r] && ruleStamp[r] != stamp {
                    ruleStamp[r] = stamp
                    checkRule(r, catalog.compiled[r], root: root)
                }
            }
        }
    }

    // MARK: Checks

    private mutating func check(_ inst: Instance, in config: Configuration) {
        checkMemberships(inst, in: config)
        checkAttributes(inst, in: config)
        checkReliance(inst, in: config)
        set(.ruleLog(inst.id), inst.deleted ? [] : config.ruleLog[inst.id] ?? [])
    }

    private mutating func checkMemberships(_ inst: Instance, in config: Configuration) {
        let memberships = catalog.memberships[inst.product]
        guard !memberships.isEmpty else { return }
        guard inst.isCounted else {
            for m in memberships { set(.membership(inst.id, child: m.child), []) }
            return
        }
        for m in memberships {
            var n = 0
            let wanted = Int32(m.child)
            for child in inst.children {
                let c = config.cores[child.raw]
                if c.product == wanted, !c.sells, c.counted { n += 1 }
            }
            guard n < m.min || n > m.max else {
                set(.membership(inst.id, child: m.child), [])
                continue
            }
            let parent = catalog.products[inst.product], child = catalog.products[m.child]
            let range = m.min == m.max ? "exactly \(m.min)" : "\(m.min) to \(m.max)"
            set(.membership(inst.id, child: m.child), [message(
                rule: "cardinality:\(parent.id)/\(child.id)", severity: .error,
                text: "\(parent.name) must hold \(range) \(child.name); it holds \(n)",
                detail: "package component \(parent.id) → \(child.id) min \(m.min) max \(m.max), instance \(inst.key) has \(n)",
                product: inst.productID, instance: inst, config: config)])
        }
    }

    private mutating func checkAttributes(_ inst: Instance, in config: Configuration) {
        let defs = catalog.products[inst.product].attributes
        guard !defs.isEmpty else { return }
        guard inst.isCounted else { return set(.attributes(inst.id), []) }
        var found: [VerificationMessage] = []
        for def in defs {
            if let value = inst.attributes[def.name] {
                if let why = def.problem(with: value) {
                    found.append(message(rule: "attribute:\(def.name)", severity: .error,
                                         text: "\(catalog.products[inst.product].name): attribute \(def.name): \(why)",
                                         detail: "attribute \(def.name) of type \(def.type.rawValue)", product: inst.productID, instance: inst, config: config))
                }
            } else if def.required {
                found.append(message(rule: "attribute:\(def.name)", severity: .error,
                                     text: "\(catalog.products[inst.product].name): attribute \(def.name) is required",
                                     detail: "required attribute \(def.name) has no value", product: inst.productID, instance: inst, config: config))
            }
        }
        set(.attributes(inst.id), found)
    }

    private mutating func checkReliance(_ inst: Instance, in config: Configuration) {
        let rules = catalog.reliesBySource[inst.product]
        guard !rules.isEmpty else { return }
        guard inst.isCounted else { return set(.reliance(inst.id), []) }
        var found: [VerificationMessage] = []
        let links = config.outgoing[inst.id] ?? []
        for r in rules where activeRule[r] {
            guard case let .reliesOn(_, target, scope) = catalog.rules[r].kind else { continue }
            if links.contains(where: { $0.rule == r && config.cores[$0.to.raw].counted }) { continue }
            // A rule that could not be committed is already logged as a warning.
            if config.ruleLog[inst.id]?.contains(where: { $0.rule == catalog.rules[r].id }) == true { continue }
            let rule = catalog.rules[r]
            found.append(message(rule: rule.id, severity: rule.severity, text: rule.message,
                                 detail: "reliesOn: \(inst.productID) (\(inst.key)) needs a \(target) to apply on within its \(scope.rawValue); none is linked",
                                 product: inst.productID, instance: inst, config: config))
        }
        set(.reliance(inst.id), found)
    }

    /// Checks one contract rule against `dense`, the counts of the contract being visited.
    private mutating func checkRule(_ r: Int, _ rule: CatalogIndex.CompiledRule, root: Instance) {
        let contract = root.id
        guard root.isCounted else { return set(.rule(contract: contract, rule: r), []) }
        let dense = self.dense
        func n(_ p: Int32) -> Int { p < 0 ? 0 : Int(dense[Int(p)]) }
        let violated: Bool
        switch rule.kind {
        case .prerequisite: violated = n(rule.second) > 0 && n(rule.first) == 0
        case .exclusion: violated = n(rule.first) > 0 && n(rule.second) > 0
        case .cardinality:
            let count = n(rule.first)
            let applies = count > 0 || (rule.min > 0 && catalog.minimumRulesByContract[root.product].contains(r))
            violated = applies && (count < Int(rule.min) || count > Int(rule.max))
        case .other: violated = false
        }
        guard violated else { return set(.rule(contract: contract, rule: r), []) }
        let full = catalog.rules[r]
        let (product, detail): (ProductID, String) = switch full.kind {
        case let .commercialPrerequisite(required, dependent):
            (dependent, "commercialPrerequisite: \(dependent) needs \(required) in contract \(root.key), which has none")
        case let .exclusion(first, second):
            (second, "exclusion: \(first) and \(second) are both in contract \(root.key)")
        case let .cardinality(product, min, max):
            (product, "cardinality: contract \(root.key) holds \(n(rule.first)) × \(product); allowed \(min) to \(max)")
        default:
            (full.kind.namedProducts[0].product, full.kind.name)
        }
        set(.rule(contract: contract, rule: r), [message(rule: full.id, severity: full.severity, text: full.message, detail: detail,
                                                           product: product, instance: nil, contractKey: root.key, customer: root.customer)])
    }

    // MARK: Bookkeeping

    private func message(rule: String, severity: Severity, text: String, detail: String, product: ProductID,
                         instance: Instance, config: Configuration) -> VerificationMessage {
        message(rule: rule, severity: severity, text: text, detail: detail, product: product, instance: instance.key,
                contractKey: config.instances[instance.contract.raw]!.key, customer: instance.customer)
    }

    private func message(rule: String, severity: Severity, text: String, detail: String, product: ProductID,
                         instance: String?, contractKey: String, customer: String) -> VerificationMessage {
        VerificationMessage(rule: rule, severity: severity, message: text, detail: detail, product: product,
                            instance: instance, contract: contractKey, customer: customer)
    }

    private mutating func set(_ key: CheckKey, _ new: [VerificationMessage]) {
        if skipEmptyLookups, new.isEmpty { return }
        let old = messages[key]
        if old == nil, new.isEmpty { return }
        for m in old ?? [] { if m.severity == .error { errorCount -= 1 } else { warningCount -= 1 } }
        for m in new { if m.severity == .error { errorCount += 1 } else { warningCount += 1 } }
        messages[key] = new.isEmpty ? nil : new
    }
}
