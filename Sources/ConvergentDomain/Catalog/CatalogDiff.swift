/// What changed between two catalog versions (R-1.13), element by element.
public struct CatalogDiff: Hashable, Sendable, Codable {
    public enum Change: String, Hashable, Sendable, Codable, CaseIterable { case added, removed, changed }

    public struct Entry: Hashable, Sendable, Codable, CustomStringConvertible {
        public var change: Change
        /// `product`, `rule`, `migration`, `subscriptionType`, …, `eligibilityRule`, `plan` or `pool`.
        public var element: String
        public var id: String
        /// For a changed element: which of its fields differ.
        public var fields: [String]

        public var description: String {
            let sign = switch change { case .added: "+"; case .removed: "-"; case .changed: "~" }
            return "\(sign) \(element) \(id)" + (fields.isEmpty ? "" : " (\(fields.joined(separator: ", ")))")
        }
    }

    public var from: String
    public var to: String
    public var headerChanges: [String]
    public var entries: [Entry]

    public var isEmpty: Bool { headerChanges.isEmpty && entries.isEmpty }

    public init(from old: Catalog, to new: Catalog) {
        from = old.header.version
        to = new.header.version
        var header: [String] = []
        if old.header.effectiveFrom != new.header.effectiveFrom { header.append("effectiveFrom") }
        if old.header.name != new.header.name { header.append("name") }
        if old.header.description != new.header.description { header.append("description") }
        headerChanges = header
        entries = Self.compare(old.products, new.products, element: "product", id: \.id.rawValue, fields: Self.productFields)
            + Self.compare(old.rules, new.rules, element: "rule", id: \.id, fields: Self.ruleFields)
            + Self.compare(old.migrations, new.migrations, element: "migration", id: \.id, fields: Self.migrationFields)
            + Self.compare(old.subscriptionTypes, new.subscriptionTypes, element: "subscriptionType", id: \.id, fields: Self.storedFields)
            + Self.compare(old.subscriptionDefinitions, new.subscriptionDefinitions, element: "subscriptionDefinition", id: \.id, fields: Self.storedFields)
            + Self.compare(old.billingTermSchemes, new.billingTermSchemes, element: "billingTermScheme", id: \.id, fields: Self.storedFields)
            + Self.compare(old.eligibilityRules, new.eligibilityRules, element: "eligibilityRule", id: \.id, fields: Self.storedFields)
            + Self.compare(old.plans, new.plans, element: "plan", id: \.id, fields: Self.storedFields)
            + Self.compare(old.pools, new.pools, element: "pool", id: \.id, fields: Self.storedFields)
    }

    /// The stored properties that differ, by their name in the files (where an element was read
    /// from is never one).
    private static func storedFields<T>(_ a: T, _ b: T) -> [String] {
        zip(Mirror(reflecting: a).children, Mirror(reflecting: b).children).compactMap { x, y in
            guard let label = x.label, label != "origin" else { return nil }
            return (x.value as? AnyHashable) == (y.value as? AnyHashable) ? nil : (label == "activePeriod" ? "active" : label)
        }
    }

    private static func compare<T>(_ old: [T], _ new: [T], element: String, id: (T) -> String,
                                   fields: (T, T) -> [String]) -> [Entry] {
        let oldByID = Dictionary(old.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        let newByID = Dictionary(new.map { (id($0), $0) }, uniquingKeysWith: { a, _ in a })
        var entries: [Entry] = []
        for item in new {
            let key = id(item)
            if let before = oldByID[key] {
                let changed = fields(before, item)
                if !changed.isEmpty { entries.append(Entry(change: .changed, element: element, id: key, fields: changed)) }
            } else {
                entries.append(Entry(change: .added, element: element, id: key, fields: []))
            }
        }
        for item in old where newByID[id(item)] == nil {
            entries.append(Entry(change: .removed, element: element, id: id(item), fields: []))
        }
        return entries
    }

    private static func productFields(_ a: Product, _ b: Product) -> [String] {
        var f: [String] = []
        if a.name != b.name { f.append("name") }
        if a.kind != b.kind { f.append("kind") }
        if a.description != b.description { f.append("description") }
        if a.sellingPeriod != b.sellingPeriod { f.append("sellingPeriod") }
        if a.attributes != b.attributes { f.append("attributes") }
        let ac = Dictionary(a.components.map { ($0.product, $0) }, uniquingKeysWith: { x, _ in x })
        let bc = Dictionary(b.components.map { ($0.product, $0) }, uniquingKeysWith: { x, _ in x })
        for key in Set(ac.keys).union(bc.keys).sorted() where ac[key] != bc[key] {
            f.append("components[\(key)]")
        }
        if a.sells != b.sells { f.append("sells") }
        if a.provisioningSystem != b.provisioningSystem { f.append("provisioningSystem") }
        if a.prices != b.prices { f.append("prices") }
        if a.billing != b.billing { f.append("billing") }
        if a.commitment != b.commitment { f.append("commitment") }
        if a.agreement != b.agreement { f.append("agreement") }
        if a.eligibleWhen != b.eligibleWhen { f.append("eligibleWhen") }
        return f
    }

    private static func ruleFields(_ a: ConfigurationRule, _ b: ConfigurationRule) -> [String] {
        var f: [String] = []
        if a.kind != b.kind { f.append("kind") }
        if a.severity != b.severity { f.append("severity") }
        if a.message != b.message { f.append("message") }
        if a.activePeriod != b.activePeriod { f.append("active") }
        return f
    }

    private static func migrationFields(_ a: MigrationAction, _ b: MigrationAction) -> [String] {
        var f: [String] = []
        if a.name != b.name { f.append("name") }
        if a.kind != b.kind { f.append("kind") }
        if a.visibility != b.visibility { f.append("visibility") }
        if a.source != b.source { f.append("source") }
        if a.target != b.target { f.append("target") }
        if a.activePeriod != b.activePeriod { f.append("active") }
        if a.eligibility != b.eligibility { f.append("eligibility") }
        if a.script != b.script { f.append("script") }
        if a.functional != b.functional { f.append("functional") }
        return f
    }
}
