/// a migration action definition — how a commercial component of an installed contract
/// becomes another (transformation: the source is removed and the target added, e.g. an atomic
/// offer upgrade) or moves under a new parent in the same or another contract (reparenting: the
/// same component, at the same level). Public actions are offered to agents; private ones run
/// only inside a public one's migration script.
public struct MigrationAction: Hashable, Sendable, Codable, Identifiable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case transformation, reparenting
    }

    public enum Visibility: String, Hashable, Sendable, Codable, CaseIterable {
        case `public`, `private`
    }

    /// How a functional component the source sells is replaced by the target: by `target`, or
    /// removed (nil) — for a transformation whose target does not sell it.
    public struct FunctionalReplacement: Hashable, Sendable, Codable {
        public var source: ProductID
        public var target: ProductID?

        public init(source: ProductID, target: ProductID?) {
            self.source = source
            self.target = target
        }
    }

    /// Who may be offered the action: customer kinds (person, company, anonymous) and user
    /// roles given here, and the catalog's eligibility rules named in `rules`; absent means everyone.
    public struct Eligibility: Hashable, Sendable, Codable {
        public var customerKinds: [String]?
        public var roles: [String]?
        public var rules: [String]?

        public init(customerKinds: [String]? = nil, roles: [String]? = nil, rules: [String]? = nil) {
            self.customerKinds = customerKinds
            self.roles = roles
            self.rules = rules
        }
    }

    /// the one built-in action, not in any catalog: an installed item (a device) reparented
    /// under another product that can hold it, in the same or another contract. Catalog actions
    /// move commercial components only; this one is how Move Installed Items Between
    /// Subscriptions moves devices through the installed base. The id is reserved.
    public static let moveInstalledItem = "MOVEINSTITEM"

    /// the built-in transformation a package plan migration applies: the package's product
    /// replaced by the target plan's (`PLANMIGRATION:<target product>`). The prefix is reserved.
    public static let planMigration = "PLANMIGRATION"

    public static func planMigrating(_ source: ProductID, to target: ProductID) -> MigrationAction {
        MigrationAction(id: "\(planMigration):\(target)", name: "Plan migration to \(target)", kind: .transformation, source: source, target: target)
    }

    /// The built-in action for a device of `product`.
    public static func movingInstalledItem(_ product: ProductID) -> MigrationAction {
        MigrationAction(id: moveInstalledItem, name: "Move an installed item (\(product))", kind: .reparenting, source: product, target: product)
    }

    public var id: String
    public var name: String
    public var kind: Kind
    public var visibility: Visibility
    public var source: ProductID
    public var target: ProductID
    /// Offered only while active (on the day the agent migrates).
    public var activePeriod: Period?
    public var eligibility: Eligibility?
    /// The migration script: private actions run as part of this one, in order (they may nest,
    /// except inside an atomic-offer-to-atomic-offer action).
    public var script: [String]
    public var functional: [FunctionalReplacement]
    /// Where it was read from (never stored).
    public var origin: SourceRef?

    public init(id: String, name: String, kind: Kind, visibility: Visibility = .public, source: ProductID, target: ProductID,
                activePeriod: Period? = nil, eligibility: Eligibility? = nil, script: [String] = [], functional: [FunctionalReplacement] = [],
                origin: SourceRef? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.visibility = visibility
        self.source = source
        self.target = target
        self.activePeriod = activePeriod
        self.eligibility = eligibility
        self.script = script
        self.functional = functional
        self.origin = origin
    }

    public func isActive(on day: Day) -> Bool { activePeriod?.contains(day) ?? true }

    /// why the action is not offered for the customer and user of `facts`: its own customer
    /// kinds and roles (an inline rule with the action's id) and the catalog rules it names. Empty
    /// when it is offered.
    public func ineligibility(_ facts: EligibilityFacts, in catalog: Catalog) -> [WhyNot] {
        var rules = CatalogIntegrity.rules(eligibility?.rules, in: catalog)
        if eligibility?.customerKinds != nil || eligibility?.roles != nil {
            rules.insert(EligibilityRule(id: id, name: "Migration action \(id)", customerKinds: eligibility?.customerKinds, roles: eligibility?.roles), at: 0)
        }
        return EligibilityCheck.decide(rules, facts)
    }

    /// why the action is not offered to the customer and user of `facts` on `day` — its
    /// eligibility, and being private or inactive.
    public func whyNot(_ facts: EligibilityFacts, in catalog: Catalog, on day: Day) -> [WhyNot] {
        var reasons = ineligibility(facts, in: catalog)
        if visibility == .private {
            reasons.append(WhyNot("migration-action-private", "\(id) is private: it runs only inside another action's script", rule: id,
                                  remedy: "use the public action whose script runs it"))
        }
        if !isActive(on: day) {
            reasons.append(WhyNot("migration-action-inactive", "\(id) is not active on \(day)", rule: id, remedy: "migrate while the action is active"))
        }
        return reasons
    }

    enum CodingKeys: String, CodingKey {
        case id, name, kind, visibility, source, target, activePeriod, eligibility, script, functional
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(String.self, forKey: .id), name: try c.decode(String.self, forKey: .name),
                  kind: try c.decode(Kind.self, forKey: .kind), visibility: try c.decode(Visibility.self, forKey: .visibility),
                  source: try c.decode(ProductID.self, forKey: .source), target: try c.decode(ProductID.self, forKey: .target),
                  activePeriod: try c.decodeIfPresent(Period.self, forKey: .activePeriod),
                  eligibility: try c.decodeIfPresent(Eligibility.self, forKey: .eligibility),
                  script: try c.decodeIfPresent([String].self, forKey: .script) ?? [],
                  functional: try c.decodeIfPresent([FunctionalReplacement].self, forKey: .functional) ?? [])
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        try c.encode(visibility, forKey: .visibility)
        try c.encode(source, forKey: .source)
        try c.encode(target, forKey: .target)
        try c.encodeIfPresent(activePeriod, forKey: .activePeriod)
        try c.encodeIfPresent(eligibility, forKey: .eligibility)
        if !script.isEmpty { try c.encode(script, forKey: .script) }
        if !functional.isEmpty { try c.encode(functional, forKey: .functional) }
    }
}

extension CatalogIntegrity {
    /// every check run when migration actions are saved.
    static func migrationProblems(in catalog: Catalog, byID: [ProductID: Product]) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        var actions: [String: MigrationAction] = [:]
        for action in catalog.migrations {
            if actions[action.id] != nil {
                problems.append(.init(.duplicateID, "migration action id '\(action.id)' is used more than once",
                                      path: "migrations[\(action.id)]", at: action.origin, field: "id"))
            } else if action.id == MigrationAction.moveInstalledItem || action.id.hasPrefix(MigrationAction.planMigration) {
                problems.append(.init(.invalidMigration, "migration action id '\(action.id)' is reserved: the built-in move of an installed item (R-12.3) and plan migration (R-13)",
                                      path: "migrations[\(action.id)]", at: action.origin, field: "id"))
            } else {
                actions[action.id] = action
            }
        }
        let customerKinds: Set<String> = ["person", "company", "anonymous"], roles = Set(Role.allCases.map(\.rawValue))
        // The levels of the parents each product can sit under (built once, when there are actions).
        var parentLevels: [ProductID: Set<Int>] = [:]
        if !catalog.migrations.isEmpty {
            for product in catalog.products {
                guard let level = product.kind.commercialLevel else { continue }
                for component in product.components { parentLevels[component.product, default: []].insert(level) }
            }
        }
        for action in catalog.migrations {
            let path = "migrations[\(action.id)]", at = action.origin
            func problem(_ code: CatalogProblem.Code, _ message: String, _ field: String) {
                problems.append(.init(code, "migration action '\(action.id)': \(message)", path: "\(path).\(field)", at: at, field: field))
            }
            if let period = action.activePeriod, period.isInverted {
                problem(.invertedPeriod, "active period ends (\(period.end!)) before it starts (\(period.start!))", "active")
            }
            // Source and target exist and are commercial; levels are compatible.
            var levels: [String: Int] = [:]
            for (field, id) in [("source", action.source), ("target", action.target)] {
                guard let product = byID[id] else {
                    problem(.unknownReference, "\(field) '\(id)' is not a product of this catalog", field)
                    continue
                }
                guard let level = product.kind.commercialLevel else {
                    problem(.invalidMigration, "\(field) '\(id)' is a \(product.kind.rawValue); migrations move commercial components", field)
                    continue
                }
                levels[field] = level
            }
            if let s = levels["source"], let t = levels["target"], s != t {
                problem(.invalidMigration, action.kind == .reparenting
                    ? "reparenting keeps the level: '\(action.source)' and '\(action.target)' are at different levels"
                    : "'\(action.source)' and '\(action.target)' are at different levels", "target")
            }
            // A transformation's target must have a place: a parent at the level of the source's
            // parents (else the session offers it with no destination, and applying it fails).
            if action.kind == .transformation, levels["source"] != nil, levels["target"] != nil,
               let sourceParents = parentLevels[action.source], !sourceParents.isEmpty,
               sourceParents.isDisjoint(with: parentLevels[action.target] ?? []) {
                problem(.invalidMigration, "'\(action.target)' is a package component of no product at the level of the parents of '\(action.source)': a transformation into it has nowhere to go", "target")
            }
            // The script: existing private actions; none in an atomic-offer-to-atomic-offer action.
            let atomic = byID[action.source]?.kind == .atomicOffer && byID[action.target]?.kind == .atomicOffer
            if atomic, !action.script.isEmpty {
                problem(.invalidMigration, "an atomic-offer-to-atomic-offer action is atomic and cannot contain other actions", "script")
            }
            for id in action.script {
                guard let inner = actions[id] else {
                    problem(.unknownReference, "script names '\(id)', which is not a migration action of this catalog", "script")
                    continue
                }
                if inner.visibility != .private {
                    problem(.invalidMigration, "script names '\(id)', a public action; a script holds private actions", "script")
                }
            }
            // Functional components: the target sells each one the source sells, or the action says how it is replaced.
            if action.kind == .transformation, atomic, let source = byID[action.source], let target = byID[action.target] {
                let replaced = Dictionary(action.functional.map { ($0.source, $0.target) }, uniquingKeysWith: { first, _ in first })
                for functional in source.sells where !target.sells.contains(functional) && replaced[functional] == nil {
                    problem(.invalidMigration, "'\(target.id)' does not sell '\(functional)', which '\(source.id)' sells; say how it is replaced under functional", "functional")
                }
                for replacement in action.functional {
                    if !source.sells.contains(replacement.source) {
                        problem(.invalidMigration, "functional names '\(replacement.source)', which '\(source.id)' does not sell", "functional")
                    }
                    if let to = replacement.target, !target.sells.contains(to) {
                        problem(.invalidMigration, "functional replaces by '\(to)', which '\(target.id)' does not sell", "functional")
                    }
                }
            } else if !action.functional.isEmpty {
                problem(.invalidMigration, "functional replacements belong to transformations of an atomic offer into another", "functional")
            }
            for kind in action.eligibility?.customerKinds ?? [] where !customerKinds.contains(kind) {
                problem(.invalidValue, "eligibility names customer kind '\(kind)'; kinds are \(customerKinds.sorted().joined(separator: ", "))", "eligibility")
            }
            for role in action.eligibility?.roles ?? [] where !roles.contains(role) {
                problem(.invalidValue, "eligibility names role '\(role)'; roles are \(roles.sorted().joined(separator: ", "))", "eligibility")
            }
        }
        // No action nests itself, directly or through other scripts.
        var state: [String: Bool] = [:] // false: on the path, true: done
        func visit(_ id: String, _ path: [String]) {
            guard let action = actions[id] else { return }
            if state[id] == true { return }
            if state[id] == false {
                let cycle = (path.drop { $0 != id } + [id]).joined(separator: " → ")
                problems.append(.init(.migrationCycle, "migration action '\(id)' nests itself: \(cycle)", path: "migrations[\(id)].script",
                                      at: action.origin, field: "script"))
                return
            }
            state[id] = false
            for inner in action.script { visit(inner, path + [id]) }
            state[id] = true
        }
        for action in catalog.migrations { visit(action.id, []) }
        return problems
    }
}

/// a migration an agent may choose for a component in a session, and where it may go.
public struct PossibleMigration: Hashable, Sendable, Codable {
    /// A place in a contract already in the session: the instance the component would go under.
    public struct Place: Hashable, Sendable, Codable {
        public var contract: String
        public var customer: String
        public var parent: String
        public var parentProduct: ProductID
    }

    public var action: String
    public var name: String
    public var kind: MigrationAction.Kind
    public var target: ProductID
    /// Targets already in the session.
    public var inSession: [Place]
    /// Contract products a new contract could be created from for it (for a customer the agent chooses).
    public var newContracts: [ProductID]

    /// The migrations offered for `instance` of a session's report: public actions from its
    /// product active on `today` (R-6.1: today, not the product selling date), the agent's role and
    /// the customer's kind eligible; each with its places in the session — parents of the target
    /// at the same level, not removed, not obsolete today, not the component's own parent for a
    /// reparenting — and the contract products whose bundle can hold it. Only installed,
    /// not removed components migrate, in sessions without a suspended contract.
    public static func options(for instance: String, in report: VerificationReport, catalog: CatalogIndex, today: Day,
                               facts: EligibilityFacts) -> [PossibleMigration] {
        guard let element = report.elements.first(where: { $0.instance == instance }), !element.removed,
              element.installedStatus != nil, element.relation != .sells else { return [] }
        let suspended: Set<InstalledStatus> = [.suspended, .pendingSuspension]
        // a suspended contract anywhere in the session stops every migration.
        if report.elements.contains(where: { $0.parent == nil && $0.installedStatus.map(suspended.contains) == true }) {
            return []
        }
        return catalog.catalog.migrations.compactMap { action in
            guard action.visibility == .public, action.source == element.product, action.isActive(on: today) else { return nil }
            if !action.ineligibility(facts, in: catalog.catalog).isEmpty { return nil }
            guard let target = catalog.index[action.target] else { return nil }
            // Products that hold the target as a package component, not obsolete today.
            let holders = Set(catalog.parents[target].filter { parent in
                guard let m = catalog.membership(parent: parent, child: target) else { return false }
                return m.obsoleteDate.map { today < $0 } ?? true
            })
            let places = report.elements.filter { candidate in
                guard !candidate.removed, let index = catalog.index[candidate.product], holders.contains(index) else { return false }
                if candidate.installedStatus.map(suspended.contains) == true { return false }
                return action.kind == .transformation || candidate.instance != element.parent
            }.map { Place(contract: $0.contract, customer: $0.customer, parent: $0.instance, parentProduct: $0.product) }
            // Contract products whose bundle tree reaches a holder.
            var contracts: Set<ProductID> = []
            var seen: Set<Int> = []
            var frontier = Array(holders)
            while let next = frontier.popLast() {
                guard seen.insert(next).inserted else { continue }
                if catalog.products[next].kind == .contract { contracts.insert(catalog.products[next].id) }
                frontier += catalog.parents[next]
            }
            return PossibleMigration(action: action.id, name: action.name, kind: action.kind, target: action.target, inSession: places,
                                     newContracts: contracts.sorted { $0.rawValue < $1.rawValue })
        }
    }
}
