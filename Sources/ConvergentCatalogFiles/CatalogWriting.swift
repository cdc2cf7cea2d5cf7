import ConvergentDomain
import Foundation
import Yams

extension CatalogFiles {
    /// The sections of a catalog about subscriptions, written together in `subscriptions.yaml`.
    static let subscriptionSections = ["subscriptionTypes", "subscriptionDefinitions", "billingTermSchemes"]

    /// Writes a catalog as three files, `catalog.yaml`, `products.yaml` and `rules.yaml` (and
    /// `migrations.yaml` when it has migration actions, `subscriptions.yaml` when it has
    /// subscription types, definitions or billing term schemes), in a fixed field order, so that
    /// the same catalog always gives the same text.
    public static func render(_ catalog: Catalog) throws -> [CatalogFile] {
        let names = ["catalog": "catalog.yaml", "products": "products.yaml", "rules": "rules.yaml", "migrations": "migrations.yaml"]
        var files: [CatalogFile] = []
        var subscriptions: [(String, Node?)] = []
        for (key, value) in sections(of: catalog) {
            if let name = names[key] {
                files.append(CatalogFile(name: name, text: try Yams.serialize(node: map([(key, value)]))))
            } else {
                subscriptions.append((key, value))
            }
        }
        let plans = subscriptions.filter { planSections.contains($0.0) }
        subscriptions.removeAll { planSections.contains($0.0) }
        if !subscriptions.isEmpty { files.append(CatalogFile(name: "subscriptions.yaml", text: try Yams.serialize(node: map(subscriptions)))) }
        if !plans.isEmpty { files.append(CatalogFile(name: "plans.yaml", text: try Yams.serialize(node: map(plans)))) }
        return files
    }

    /// Writes a catalog as one file holding every section (`catalog`, `products`, `rules`,
    /// `migrations` and the subscription sections): what the API exports as YAML, and uploads back unchanged.
    public static func renderOne(_ catalog: Catalog, name: String = "catalog.yaml") throws -> CatalogFile {
        CatalogFile(name: name, text: try Yams.serialize(node: map(sections(of: catalog).map { ($0.key, $0.value) })))
    }

    /// The top-level sections of a catalog's files, in file order (migrations and the subscription
    /// sections only when there are some).
    private static func sections(of catalog: Catalog) -> [(key: String, value: Node?)] {
        let header = map([
            ("version", s(catalog.header.version)),
            ("effective", s(catalog.header.effectiveFrom)),
            ("name", catalog.header.name.map(s)),
            ("description", catalog.header.description.map(s)),
        ])
        return [("catalog", header), ("products", Node(catalog.products.map(product))), ("rules", Node(catalog.rules.map(rule)))]
            + (catalog.migrations.isEmpty ? [] : [("migrations", Node(catalog.migrations.map(migration)))])
            + (catalog.subscriptionTypes.isEmpty ? [] : [("subscriptionTypes", Node(catalog.subscriptionTypes.map(subscriptionType)))])
            + (catalog.subscriptionDefinitions.isEmpty ? [] : [("subscriptionDefinitions", Node(catalog.subscriptionDefinitions.map(subscriptionDefinition)))])
            + (catalog.billingTermSchemes.isEmpty ? [] : [("billingTermSchemes", Node(catalog.billingTermSchemes.map(billingTermScheme)))])
            + (catalog.eligibilityRules.isEmpty ? [] : [("eligibilityRules", Node(catalog.eligibilityRules.map(eligibilityRule)))])
            + (catalog.plans.isEmpty ? [] : [("plans", Node(catalog.plans.map(plan)))])
            + (catalog.pools.isEmpty ? [] : [("pools", Node(catalog.pools.map(pool)))])
    }

    private static func subscriptionType(_ t: SubscriptionType) -> Node {
        map([
            ("id", s(t.id)), ("name", s(t.name)), ("description", t.description.map(s)),
            ("services", list(t.services.map(\.rawValue))), ("installedItems", list(t.installedItems.map(\.rawValue))),
            ("distributors", list(t.distributors)), ("billingTermSchemes", list(t.billingTermSchemes)),
        ])
    }

    private static func subscriptionDefinition(_ d: SubscriptionDefinition) -> Node {
        func limits(_ l: SubscriptionDefinition.Limits?) -> Node? {
            l.map { map([("min", $0.min.map(s)), ("max", $0.max.map(s))], flow: true) }
        }
        return map([
            ("id", s(d.id)), ("name", s(d.name)), ("subscriptionType", s(d.subscriptionType)), ("active", period(d.activePeriod)),
            ("services", limits(d.services)), ("installedItems", limits(d.installedItems)),
            ("rules", d.rules.isEmpty ? nil : Node(d.rules.map { r in
                map([("id", s(r.id)), (r.subject.rawValue, s(r.product.rawValue)), ("perDistributor", r.perDistributor ? s(true) : nil),
                     ("requires", list(r.requires.map(\.rawValue))), ("excludes", list(r.excludes.map(\.rawValue))),
                     ("max", r.max.map(s)), ("message", s(r.message))])
            })),
        ])
    }

    private static func billingTermScheme(_ b: BillingTermScheme) -> Node {
        map([
            ("id", s(b.id)), ("name", s(b.name)), ("description", b.description.map(s)),
            ("frequencies", list(b.frequencies.map(\.rawValue))), ("bindingPeriods", ints(b.bindingPeriods)),
            ("pricePlans", list(b.pricePlans)), ("services", list(b.services.map(\.rawValue))),
            ("restingExtendsBinding", b.restingExtendsBinding ? s(true) : nil),
            ("definitions", b.definitions.isEmpty ? nil : Node(b.definitions.map { d in
                map([("id", s(d.id)), ("active", period(d.activePeriod)), ("frequencies", d.frequencies.flatMap { list($0.map(\.rawValue)) }),
                     ("bindingPeriods", d.bindingPeriods.flatMap(ints)),
                     ("resting", d.resting.map { map([("maxDays", s($0.maxDays)), ("maxTimesPerYear", s($0.maxTimesPerYear))], flow: true) }),
                     ("activation", d.activation.map { a in
                         map([("installedItemOnEachDistributor", s(a.installedItemOnEachDistributor)),
                              ("maxUnsettledBillAgeDays", a.maxUnsettledBillAgeDays.map(s))], flow: true)
                     })])
            })),
        ])
    }

    private static func ints(_ values: [Int]) -> Node? {
        values.isEmpty ? nil : Node(values.map(s), .implicit, .flow)
    }

    private static func migration(_ a: MigrationAction) -> Node {
        map([
            ("id", s(a.id)), ("name", s(a.name)), ("kind", s(a.kind.rawValue)), ("visibility", s(a.visibility.rawValue)),
            ("source", s(a.source.rawValue)), ("target", s(a.target.rawValue)), ("active", period(a.activePeriod)),
            ("eligibility", a.eligibility.map { e in
                map([("customerKinds", e.customerKinds.flatMap(list)), ("roles", e.roles.flatMap(list)), ("rules", e.rules.flatMap(list))], flow: true)
            }),
            ("script", list(a.script)),
            ("functional", a.functional.isEmpty ? nil : Node(a.functional.map { f in
                map([("source", s(f.source.rawValue)), ("target", f.target.map { s($0.rawValue) })], flow: true)
            })),
        ])
    }

    /// A text value, double-quoted when plain YAML would read it as something else
    /// (a number, a boolean, null, a date), so that any YAML tool reads it as text.
    static func s(_ text: String) -> Node {
        let lower = text.lowercased()
        let ambiguous = Double(text) != nil || Day(text) != nil || text.isEmpty
            || ["true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"].contains(lower)
        return ambiguous ? Node(text, .implicit, .doubleQuoted) : Node(text)
    }

    /// Numbers, booleans and dates, written plain.
    private static func plain(_ text: String) -> Node { Node(text) }
    static func s(_ value: Int) -> Node { plain(String(value)) }
    static func s(_ value: Bool) -> Node { plain(value ? "true" : "false") }
    static func s(_ value: Decimal) -> Node { plain(NSDecimalNumber(decimal: value).stringValue) }
    static func s(_ value: Day) -> Node { plain(value.description) }

    /// A mapping of the given pairs, leaving out absent values.
    static func map(_ pairs: [(String, Node?)], flow: Bool = false) -> Node {
        Node(pairs.compactMap { key, value in value.map { (Node(key), $0) } }, .implicit, flow ? .flow : .block)
    }

    private static func period(_ p: Period?) -> Node? {
        guard let p else { return nil }
        return map([("start", p.start.map { s($0) }), ("end", p.end.map { s($0) })], flow: true)
    }

    static func list(_ values: [String]) -> Node? {
        values.isEmpty ? nil : Node(values.map(s), .implicit, .flow)
    }

    private static func product(_ p: Product) -> Node {
        map([
            ("id", s(p.id.rawValue)),
            ("name", s(p.name)),
            ("kind", s(p.kind.rawValue)),
            ("description", p.description.map(s)),
            ("sellingPeriod", period(p.sellingPeriod)),
            ("attributes", p.attributes.isEmpty ? nil : Node(p.attributes.map { a in
                map([("name", s(a.name)), ("type", s(a.type.rawValue)), ("values", a.values.flatMap(list)),
                     ("required", a.required ? s(true) : nil), ("default", a.defaultValue.map(s))], flow: true)
            })),
            ("components", p.components.isEmpty ? nil : Node(p.components.map { c in
                map([("product", s(c.product.rawValue)), ("min", s(c.min)), ("max", s(c.max)),
                     ("sellingPeriod", period(c.sellingPeriod)), ("obsolete", c.obsoleteDate.map { s($0) })], flow: true)
            })),
            ("sells", list(p.sells.map(\.rawValue))),
            ("provisioningSystem", p.provisioningSystem.map(s)),
            ("prices", p.prices.isEmpty ? nil : Node(p.prices.map { price in
                map([("type", s(price.type.rawValue)), ("amount", s(price.amount)), ("currency", s(price.currency))], flow: true)
            })),
            ("billing", p.billing.map { b in
                map([("accountSelectable", s(b.accountSelectable)), ("splitBilling", s(b.splitBilling)),
                     ("rows", b.rows.isEmpty ? nil : Node(b.rows.map { r in
                         map([("sequence", s(r.sequence)), ("purpose", s(r.purpose)), ("required", s(r.required)),
                              ("primary", s(r.primary)), ("allowedType", s(r.allowedType.rawValue))], flow: true)
                     }))])
            }),
            ("commitment", p.commitment.map { c in
                map([("duration", s(c.duration)), ("unit", s(c.unit.rawValue)),
                     ("penalty", map([("amount", c.penaltyAmount.map(s)), ("currency", c.penaltyCurrency.map(s)),
                                      ("rule", c.penaltyRule.map { s($0.rawValue) }), ("percentage", c.penaltyPercentage.map(s))], flow: true))])
            }),
            ("agreement", p.agreement.map { a in
                map([("type", s(a.type)), ("covers", list(a.covers.map(\.rawValue)))])
            }),
            ("eligibleWhen", p.eligibleWhen.flatMap(list)),
        ])
    }

    private static func rule(_ r: ConfigurationRule) -> Node {
        var pairs: [(String, Node?)] = [("id", s(r.id)), ("kind", s(r.kind.name)), ("severity", s(r.severity.rawValue))]
        switch r.kind {
        case let .bringsOnCreation(a, b), let .bringsAndRemoves(a, b):
            pairs += [("source", s(a.rawValue)), ("target", s(b.rawValue))]
        case let .commercialPrerequisite(a, b):
            pairs += [("required", s(a.rawValue)), ("dependent", s(b.rawValue))]
        case let .reliesOn(a, b, scope):
            pairs += [("source", s(a.rawValue)), ("target", s(b.rawValue)), ("scope", s(scope.rawValue))]
        case let .exclusion(a, b):
            pairs += [("first", s(a.rawValue)), ("second", s(b.rawValue))]
        case let .cardinality(p, mn, mx):
            pairs += [("product", s(p.rawValue)), ("min", s(mn)), ("max", s(mx))]
        case let .commitmentTrigger(a, c):
            pairs += [("source", s(a.rawValue)), ("commitment", s(c.rawValue))]
        case let .commitmentCoverage(c, covers):
            pairs += [("commitment", s(c.rawValue)), ("covers", Node(covers.map { s($0.rawValue) }, .implicit, .flow))]
        }
        pairs += [("message", s(r.message)), ("active", period(r.activePeriod))]
        return map(pairs)
    }

    /// Reads every `.yaml`/`.yml` file of a folder (sorted by name), or one file.
    public static func load(path: String) throws -> [CatalogFile] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
        }
        let paths: [String]
        if isDirectory.boolValue {
            paths = try FileManager.default.contentsOfDirectory(atPath: path)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                .map { (path as NSString).appendingPathComponent($0) }
        } else {
            paths = [path]
        }
        return try paths.map { try CatalogFile(name: $0, bytes: try Data(contentsOf: URL(fileURLWithPath: $0))) }
    }

    /// Writes files into a folder, creating it if needed.
    public static func write(_ files: [CatalogFile], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in files {
            try file.text.write(toFile: (directory as NSString).appendingPathComponent(file.name), atomically: true, encoding: .utf8)
        }
    }
}
