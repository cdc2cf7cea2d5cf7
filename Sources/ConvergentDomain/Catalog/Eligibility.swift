/// R-1.5: an eligibility rule — which customers (segment, kind, country, any attribute) and which
/// users (role, named permission) may see the products, plans and migration actions it is
/// attached to. Every condition given must hold; a condition left out holds for everyone.
public struct EligibilityRule: Hashable, Sendable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// person, company, anonymous.
    public var customerKinds: [String]?
    /// The customer's `segment` attribute, one of these.
    public var segments: [String]?
    /// The customer's country (its `country` attribute, else its first address's), one of these.
    public var countries: [String]?
    /// Any other customer attribute, one of the values listed for it.
    public var attributes: [String: [String]]?
    /// The user's role, one of these.
    public var roles: [String]?
    /// A named permission the user must hold (R-2.4), e.g. `waive-fees`.
    public var permission: String?
    /// What to do for a customer or user the rule refuses.
    public var remedy: String?
    public var origin: SourceRef?

    public init(id: String, name: String, customerKinds: [String]? = nil, segments: [String]? = nil, countries: [String]? = nil,
                attributes: [String: [String]]? = nil, roles: [String]? = nil, permission: String? = nil, remedy: String? = nil,
                origin: SourceRef? = nil) {
        self.id = id
        self.name = name
        self.customerKinds = customerKinds
        self.segments = segments
        self.countries = countries
        self.attributes = attributes
        self.roles = roles
        self.permission = permission
        self.remedy = remedy
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey { case id, name, customerKinds, segments, countries, attributes, roles, permission, remedy }
}

/// What eligibility reads of a customer and a user (R-1.5).
public struct EligibilityFacts: Hashable, Sendable {
    public var customerKind: String?
    public var attributes: [String: String]
    public var country: String?
    public var user: User?

    public init(customerKind: String? = nil, attributes: [String: String] = [:], country: String? = nil, user: User? = nil) {
        self.customerKind = customerKind
        self.attributes = attributes
        self.country = country
        self.user = user
    }

    /// The facts of `customer` (nil: none known yet) for `user`.
    public init(customer: Customer?, user: User?) {
        self.init(customerKind: customer?.eligibilityKind, attributes: customer?.segment ?? [:],
                  country: customer.flatMap { $0.segment["country"] ?? $0.addresses.first?.country }, user: user)
    }
}

/// Why something is not offered or not allowed (R-16.3): a stable code, the rule (eligibility
/// rule, pool row, blocker) and what to do about it — the same in the API, the console, TMF679
/// and the CLI.
public struct WhyNot: Hashable, Sendable, Codable {
    public var code: String
    public var message: String
    /// The rule that decided: an eligibility rule's id, a pool row (`POOL[upgrade/inContract]`), …
    public var rule: String?
    public var remedy: String
    /// An action that clears it, when there is one (e.g. the order to abort).
    public var action: String?

    public init(_ code: String, _ message: String, rule: String? = nil, remedy: String, action: String? = nil) {
        self.code = code
        self.message = message
        self.rule = rule
        self.remedy = remedy
        self.action = action
    }
}

public enum EligibilityCheck {
    /// The codes an eligibility rule refuses with, one per kind of condition.
    public static let codes = ["ineligible-customer-kind", "ineligible-segment", "ineligible-country", "ineligible-attribute",
                               "ineligible-role", "missing-permission"]

    /// R-1.5: every condition of every rule that `facts` fail, each with its code, rule and remedy.
    /// Empty: eligible.
    public static func decide(_ rules: [EligibilityRule], _ facts: EligibilityFacts) -> [WhyNot] {
        rules.flatMap { refusals(of: $0, facts) }
    }

    static func refusals(of rule: EligibilityRule, _ facts: EligibilityFacts) -> [WhyNot] {
        var found: [WhyNot] = []
        func refuse(_ code: String, _ message: String, _ remedy: String) {
            found.append(WhyNot(code, "\(rule.name): \(message)", rule: rule.id, remedy: rule.remedy ?? remedy))
        }
        func list(_ values: [String]) -> String { values.joined(separator: ", ") }
        if let kinds = rule.customerKinds, !kinds.isEmpty, !kinds.contains(facts.customerKind ?? "") {
            refuse("ineligible-customer-kind", "for \(list(kinds)) customers, not \(facts.customerKind ?? "an unknown customer")",
                   "offer it to a \(list(kinds)) customer")
        }
        if let segments = rule.segments, !segments.isEmpty, !segments.contains(facts.attributes["segment"] ?? "") {
            refuse("ineligible-segment", "for the \(list(segments)) segment, not \(facts.attributes["segment"].map { "'\($0)'" } ?? "a customer without one")",
                   "set the customer's segment if it is wrong")
        }
        if let countries = rule.countries, !countries.isEmpty, !countries.contains(facts.country ?? "") {
            refuse("ineligible-country", "for customers in \(list(countries)), not \(facts.country ?? "a customer without a country")",
                   "correct the customer's address if it is wrong")
        }
        for (key, values) in (rule.attributes ?? [:]).sorted(by: { $0.key < $1.key }) where !values.contains(facts.attributes[key] ?? "") {
            refuse("ineligible-attribute", "for customers whose \(key) is \(list(values)), not \(facts.attributes[key].map { "'\($0)'" } ?? "unset")",
                   "set the customer's \(key) if it is wrong")
        }
        if let roles = rule.roles, !roles.isEmpty, !roles.contains(facts.user?.role.rawValue ?? "") {
            refuse("ineligible-role", "offered to \(list(roles)) users, not \(facts.user.map { "\($0.role.rawValue) \($0.id)" } ?? "this user")",
                   "ask a \(list(roles)) user")
        }
        if let name = rule.permission, let permission = Permission.named(name), facts.user?.may(permission) != true {
            refuse("missing-permission", "needs the permission '\(name)'", "ask an administrator to grant '\(name)', or ask a user who holds it")
        }
        return found
    }
}

extension Permission {
    /// A permission by its name (`Permission.name`).
    public static func named(_ name: String) -> Permission? {
        let all: [Permission] = [.readCatalog, .manageCatalog, .manageUsers, .manageSetup, .manageCustomers, .verifyConfigurations, .overrideHolds, .waiveFees]
        if let found = all.first(where: { $0.name == name }) { return found }
        if let other = granting(name)?.actsFor { return .actFor(other) }
        return nil
    }
}

extension CatalogIntegrity {
    /// R-1.5: rule ids unique; each condition names known kinds, roles and permissions; every
    /// product, plan and migration action names rules that exist.
    static func eligibilityProblems(in catalog: Catalog) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        var ids: Set<String> = []
        let kinds: Set<String> = ["person", "company", "anonymous"], roles = Set(Role.allCases.map(\.rawValue))
        for rule in catalog.eligibilityRules {
            let path = "eligibilityRules[\(rule.id)]"
            if !ids.insert(rule.id).inserted {
                problems.append(.init(.duplicateID, "eligibility rule id '\(rule.id)' is used more than once", path: path, at: rule.origin, field: "id"))
            }
            for kind in rule.customerKinds ?? [] where !kinds.contains(kind) {
                problems.append(.init(.invalidValue, "names customer kind '\(kind)'; kinds are \(kinds.sorted().joined(separator: ", "))",
                                      path: path, at: rule.origin, field: "customerKinds"))
            }
            for role in rule.roles ?? [] where !roles.contains(role) {
                problems.append(.init(.invalidValue, "names role '\(role)'; roles are \(roles.sorted().joined(separator: ", "))", path: path, at: rule.origin, field: "roles"))
            }
            if let name = rule.permission, Permission.named(name) == nil {
                problems.append(.init(.invalidValue, "names permission '\(name)', which does not exist", path: path, at: rule.origin, field: "permission"))
            }
            let empty = [rule.customerKinds?.isEmpty, rule.segments?.isEmpty, rule.countries?.isEmpty, rule.roles?.isEmpty].allSatisfy { $0 ?? true }
                && (rule.attributes ?? [:]).isEmpty && rule.permission == nil
            if empty {
                problems.append(.init(.missingField, "eligibility rule '\(rule.id)' has no condition", path: path, at: rule.origin, field: "customerKinds"))
            }
        }
        func check(_ names: [String]?, path: String, at origin: SourceRef?) {
            for name in names ?? [] where !ids.contains(name) {
                problems.append(.init(.unknownReference, "names eligibility rule '\(name)', which is not in this catalog", path: path, at: origin, field: "eligibleWhen"))
            }
        }
        for product in catalog.products { check(product.eligibleWhen, path: "products[\(product.id)]", at: product.source) }
        for action in catalog.migrations { check(action.eligibility?.rules, path: "migrations[\(action.id)]", at: action.origin) }
        for plan in catalog.plans { check(plan.eligibleWhen, path: "plans[\(plan.id)]", at: plan.origin) }
        return problems
    }

    /// The rules `names` refers to, in order (unknown ones are integrity problems, skipped here).
    public static func rules(_ names: [String]?, in catalog: Catalog) -> [EligibilityRule] {
        (names ?? []).compactMap { name in catalog.eligibilityRules.first { $0.id == name } }
    }
}

/// R-16.3: a refusal that lists every reason that applies, each with its code, rule and remedy —
/// an ineligible product, plan or action (`not-eligible`), a plan migration that cannot start
/// (`plan-migration-blocked`), a plan not offered (`plan-not-offered`).
public struct NotAllowed: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, CaseIterable {
        case notEligible = "not-eligible"
        case planMigrationBlocked = "plan-migration-blocked"
        case planNotOffered = "plan-not-offered"
    }

    public var code: Code
    public var message: String
    public var field: String?
    public var reasons: [WhyNot]

    public init(_ code: Code, _ message: String, field: String? = nil, reasons: [WhyNot]) {
        self.code = code
        self.message = message
        self.field = field
        self.reasons = reasons
    }

    public var description: String {
        "\(message): " + reasons.map { "\($0.message) [\($0.code)] — \($0.remedy)" }.joined(separator: "; ")
    }
}
