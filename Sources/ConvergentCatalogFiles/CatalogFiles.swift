import ConvergentDomain
import Foundation
import Yams

/// One catalog file: its name (for problem reports) and its YAML text.
public struct CatalogFile: Hashable, Sendable {
    public var name: String
    public var text: String
    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }

    /// A file as it arrives (an upload, a file on disk): its bytes must be UTF-8. Invalid bytes are
    /// never replaced (an id would silently change): the file is refused with the line they are on.
    public init(name: String, bytes: some Collection<UInt8>) throws(CatalogProblem) {
        if let text = String(validating: bytes, as: UTF8.self) {
            self.init(name: name, text: text)
            return
        }
        // A multi-byte UTF-8 sequence never holds a newline byte, so each line can be checked alone.
        var line = 1
        for bytesOfLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if String(validating: bytesOfLine, as: UTF8.self) == nil { break }
            line += 1
        }
        throw CatalogProblem(.encoding, "the file is not valid UTF-8 (line \(line) holds bytes that are not UTF-8)", path: "", file: name, line: line)
    }
}

/// Catalogs as human-readable YAML files (R-1.13). A catalog may be one file or several; each
/// file is a mapping with any of `catalog` (the header, in exactly one file), `products`,
/// `rules`, `migrations`, `subscriptionTypes`, `subscriptionDefinitions`, `billingTermSchemes`,
/// `eligibilityRules`, `plans` and `pools`. Reading reports every problem with file, line and path; writing produces files
/// that read back to the same catalog and write back to the same text.
public enum CatalogFiles {
    /// The outcome of reading and checking files: the catalog when there is no problem.
    public struct Validation: Sendable {
        public var catalog: Catalog?
        public var problems: [CatalogProblem]
        public var isValid: Bool { catalog != nil && problems.isEmpty }
    }

    /// Reads files and runs every integrity check. An invalid catalog comes back with problems and no catalog.
    public static func validate(_ files: [CatalogFile]) -> Validation {
        let (catalog, problems) = read(files)
        guard let catalog, problems.isEmpty else { return Validation(catalog: nil, problems: problems) }
        let integrity = CatalogIntegrity.problems(in: catalog)
        return Validation(catalog: integrity.isEmpty ? catalog : nil, problems: integrity)
    }

    /// Reads files into a catalog without the integrity checks (syntax and shape problems only).
    public static func read(_ files: [CatalogFile]) -> (Catalog?, [CatalogProblem]) {
        let log = ProblemLog()
        var header: CatalogHeader?
        var headerFile: String?
        var products: [Product] = []
        var rules: [ConfigurationRule] = []
        var migrations: [MigrationAction] = []
        var types: [SubscriptionType] = [], definitions: [SubscriptionDefinition] = [], schemes: [BillingTermScheme] = []
        var eligibilityRules: [EligibilityRule] = [], plans: [PackagePlan] = [], pools: [PackagePool] = []
        for file in files {
            let root: Node?
            do {
                root = try Yams.compose(yaml: file.text)
            } catch let error as YamlError {
                log.add(.syntax, "YAML: \(syntaxMessage(error))", path: "", file: file.name, line: syntaxLine(error))
                continue
            } catch {
                log.add(.syntax, "YAML: \(error)", path: "", file: file.name, line: nil)
                continue
            }
            guard let root else { continue } // an empty file
            guard var top = MappingReader(root, file: file.name, path: "file", log: log) else { continue }
            if let node = top.value("catalog") {
                if let first = headerFile {
                    log.add(.duplicateID, "the catalog header is given twice (first in \(first))", path: "catalog", file: file.name, line: node.mark?.line)
                } else if let h = readHeader(node, file: file.name, log: log) {
                    header = h
                    headerFile = file.name
                }
            }
            for (i, node) in (top.list("products") ?? []).enumerated() {
                if let p = readProduct(node, file: file.name, path: "products[\(i)]", log: log) { products.append(p) }
            }
            for (i, node) in (top.list("rules") ?? []).enumerated() {
                if let r = readRule(node, file: file.name, path: "rules[\(i)]", log: log) { rules.append(r) }
            }
            for (i, node) in (top.list("migrations") ?? []).enumerated() {
                if let a = readMigration(node, file: file.name, path: "migrations[\(i)]", log: log) { migrations.append(a) }
            }
            for (i, node) in (top.list("subscriptionTypes") ?? []).enumerated() {
                if let t = readSubscriptionType(node, file: file.name, path: "subscriptionTypes[\(i)]", log: log) { types.append(t) }
            }
            for (i, node) in (top.list("subscriptionDefinitions") ?? []).enumerated() {
                if let d = readSubscriptionDefinition(node, file: file.name, path: "subscriptionDefinitions[\(i)]", log: log) { definitions.append(d) }
            }
            for (i, node) in (top.list("billingTermSchemes") ?? []).enumerated() {
                if let s = readBillingTermScheme(node, file: file.name, path: "billingTermSchemes[\(i)]", log: log) { schemes.append(s) }
            }
            for (i, node) in (top.list("eligibilityRules") ?? []).enumerated() {
                if let r = readEligibilityRule(node, file: file.name, path: "eligibilityRules[\(i)]", log: log) { eligibilityRules.append(r) }
            }
            for (i, node) in (top.list("plans") ?? []).enumerated() {
                if let p = readPlan(node, file: file.name, path: "plans[\(i)]", log: log) { plans.append(p) }
            }
            for (i, node) in (top.list("pools") ?? []).enumerated() {
                if let p = readPool(node, file: file.name, path: "pools[\(i)]", log: log) { pools.append(p) }
            }
            top.finish(allowed: ["catalog", "products", "rules", "migrations"] + subscriptionSections + planSections)
        }
        if header == nil, log.problems.isEmpty {
            log.add(.missingField, "no catalog header: one file needs 'catalog: {version, effective}'", path: "catalog", file: files.first?.name ?? "", line: 1)
        }
        guard let header else { return (nil, log.problems) }
        return (Catalog(header: header, products: products, rules: rules, migrations: migrations, subscriptionTypes: types,
                        subscriptionDefinitions: definitions, billingTermSchemes: schemes, eligibilityRules: eligibilityRules,
                        plans: plans, pools: pools), log.problems)
    }

    static func syntaxMessage(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _): problem
        default: "\(error)"
        }
    }

    static func syntaxLine(_ error: YamlError) -> Int? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): mark.line
        case let .duplicatedKeysInMapping(_, context): context.mark.line
        default: nil
        }
    }

    private static func readHeader(_ node: Node, file: String, log: ProblemLog) -> CatalogHeader? {
        guard var m = MappingReader(node, file: file, path: "catalog", log: log) else { return nil }
        let version = m.string("version", required: true)
        let effective = m.day("effective", required: true)
        let name = m.string("name"), description = m.string("description")
        m.finish(allowed: ["version", "effective", "name", "description"])
        guard let version, let effective else { return nil }
        if version.trimmingCharacters(in: .whitespaces).isEmpty {
            log.add(.invalidValue, "catalog.version cannot be empty", path: "catalog.version", file: file, line: m.lineOf("version"))
            return nil
        }
        return CatalogHeader(version: version, effectiveFrom: effective, name: name, description: description, source: m.source)
    }

    private static let kinds = ProductKind.allCases.map(\.rawValue)

    private static func readProduct(_ node: Node, file: String, path: String, log: ProblemLog) -> Product? {
        guard var m = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let before = log.problems.count
        let id = m.string("id", required: true)
        let named = id.map { "products[\($0)]" } ?? path
        let name = m.string("name", required: true)
        let kind = m.choice("kind", ProductKind.self, required: true, allowed: kinds)
        var product = Product(id: ProductID(id ?? ""), name: name ?? "", kind: kind ?? .offer, source: m.source)
        product.description = m.string("description")
        product.sellingPeriod = m.period("sellingPeriod")
        product.provisioningSystem = m.string("provisioningSystem")
        product.sells = (m.strings("sells") ?? []).map { ProductID($0) }
        product.attributes = (m.list("attributes") ?? []).enumerated().compactMap { i, n in
            readAttribute(n, file: file, path: "\(named).attributes[\(i)]", log: log)
        }
        product.components = (m.list("components") ?? []).enumerated().compactMap { i, n in
            guard var c = MappingReader(n, file: file, path: "\(named).components[\(i)]", log: log) else { return nil }
            let child = c.string("product", required: true)
            let component = PackageComponent(product: ProductID(child ?? ""), min: c.int("min") ?? 0, max: c.int("max") ?? 1,
                                             sellingPeriod: c.period("sellingPeriod"), obsoleteDate: c.day("obsolete"), source: c.source)
            c.finish(allowed: ["product", "min", "max", "sellingPeriod", "obsolete"])
            return child == nil ? nil : component
        }
        product.prices = (m.list("prices") ?? []).enumerated().compactMap { i, n in
            guard var p = MappingReader(n, file: file, path: "\(named).prices[\(i)]", log: log) else { return nil }
            let type = p.choice("type", PriceType.self, required: true, allowed: ["oneTime", "recurring"])
            let amount = p.decimal("amount", required: true), currency = p.string("currency", required: true)
            p.finish(allowed: ["type", "amount", "currency"])
            guard let type, let amount, let currency else { return nil }
            return Price(type: type, amount: amount, currency: currency, source: p.source)
        }
        if let node = m.value("billing"), var b = MappingReader(node, file: file, path: "\(named).billing", log: log) {
            var billing = BillingDefinition(accountSelectable: b.bool("accountSelectable") ?? false, splitBilling: b.bool("splitBilling") ?? false, source: b.source)
            billing.rows = (b.list("rows") ?? []).enumerated().compactMap { i, n in
                guard var r = MappingReader(n, file: file, path: "\(named).billing.rows[\(i)]", log: log) else { return nil }
                let row = BillingAccountRow(sequence: r.int("sequence", required: true) ?? 0, purpose: r.string("purpose", required: true) ?? "",
                                            required: r.bool("required") ?? false, primary: r.bool("primary") ?? false,
                                            allowedType: r.choice("allowedType", AllowedAccountType.self, allowed: ["prepaid", "postpaid", "either"]) ?? .either,
                                            source: r.source)
                r.finish(allowed: ["sequence", "purpose", "required", "primary", "allowedType"])
                return row
            }
            b.finish(allowed: ["accountSelectable", "splitBilling", "rows"])
            product.billing = billing
        }
        if let node = m.value("commitment"), var c = MappingReader(node, file: file, path: "\(named).commitment", log: log) {
            var terms = CommitmentTerms(duration: c.int("duration", required: true) ?? 0,
                                        unit: c.choice("unit", DurationUnit.self, required: true, allowed: ["months", "days"]) ?? .months, source: c.source)
            if let pn = c.value("penalty"), var p = MappingReader(pn, file: file, path: "\(named).commitment.penalty", log: log) {
                terms.penaltyAmount = p.decimal("amount")
                terms.penaltyCurrency = p.string("currency")
                terms.penaltyRule = p.choice("rule", PenaltyRule.self, allowed: PenaltyRule.allCases.map(\.rawValue))
                terms.penaltyPercentage = p.decimal("percentage")
                p.finish(allowed: ["amount", "currency", "rule", "percentage"])
            }
            c.finish(allowed: ["duration", "unit", "penalty"])
            product.commitment = terms
        }
        if let node = m.value("agreement"), var a = MappingReader(node, file: file, path: "\(named).agreement", log: log) {
            product.agreement = AgreementTerms(type: a.string("type", required: true) ?? "", covers: (a.strings("covers") ?? []).map { ProductID($0) },
                                               source: a.source)
            a.finish(allowed: ["type", "covers"])
        }
        product.eligibleWhen = m.strings("eligibleWhen")
        m.finish(allowed: ["id", "name", "kind", "description", "sellingPeriod", "attributes", "components", "sells",
                           "provisioningSystem", "prices", "billing", "commitment", "agreement", "eligibleWhen"])
        return log.problems.count == before ? product : nil
    }

    private static func readAttribute(_ node: Node, file: String, path: String, log: ProblemLog) -> AttributeDefinition? {
        guard var a = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let name = a.string("name", required: true)
        let type = a.choice("type", AttributeType.self, required: true, allowed: ["text", "number", "enum"])
        let def = AttributeDefinition(name: name ?? "", type: type ?? .text, values: a.strings("values"), required: a.bool("required") ?? false,
                                      defaultValue: a.string("default"), source: a.source)
        a.finish(allowed: ["name", "type", "values", "required", "default"])
        return name == nil || type == nil ? nil : def
    }

    private static func readRule(_ node: Node, file: String, path: String, log: ProblemLog) -> ConfigurationRule? {
        guard var m = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let before = log.problems.count
        let id = m.string("id", required: true) ?? ""
        let kindName = m.string("kind", required: true)
        let severity = m.choice("severity", Severity.self, allowed: ["error", "warning"]) ?? .error
        let message = m.string("message", required: true) ?? ""
        let active = m.period("active")
        func p(_ key: String) -> ProductID { ProductID(m.string(key, required: true) ?? "") }
        var extra: [String] = []
        var kind: RuleKind?
        switch kindName {
        case "bringsOnCreation": kind = .bringsOnCreation(source: p("source"), target: p("target")); extra = ["source", "target"]
        case "bringsAndRemoves": kind = .bringsAndRemoves(source: p("source"), target: p("target")); extra = ["source", "target"]
        case "commercialPrerequisite": kind = .commercialPrerequisite(required: p("required"), dependent: p("dependent")); extra = ["required", "dependent"]
        case "reliesOn":
            kind = .reliesOn(source: p("source"), target: p("target"),
                             scope: m.choice("scope", RelianceScope.self, allowed: ["contract", "customer", "shared"]) ?? .contract)
            extra = ["source", "target", "scope"]
        case "exclusion": kind = .exclusion(first: p("first"), second: p("second")); extra = ["first", "second"]
        case "cardinality":
            kind = .cardinality(product: p("product"), min: m.int("min") ?? 0, max: m.int("max", required: true) ?? 0)
            extra = ["product", "min", "max"]
        case "commitmentTrigger": kind = .commitmentTrigger(source: p("source"), commitment: p("commitment")); extra = ["source", "commitment"]
        case "commitmentCoverage":
            kind = .commitmentCoverage(commitment: p("commitment"), covers: (m.strings("covers") ?? []).map { ProductID($0) })
            extra = ["commitment", "covers"]
        case nil:
            break
        case let other?:
            log.add(.invalidValue, "\(path).kind: '\(other)' is not one of \(RuleKind.allNames.joined(separator: ", "))",
                    path: "\(path).kind", file: file, line: m.lineOf("kind"))
        }
        m.finish(allowed: ["id", "kind", "severity", "message", "active"] + extra)
        guard let kind, log.problems.count == before else { return nil }
        return ConfigurationRule(id: id, kind: kind, severity: severity, message: message, activePeriod: active, source: m.source)
    }

    private static func readMigration(_ node: Node, file: String, path: String, log: ProblemLog) -> MigrationAction? {
        guard var m = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let before = log.problems.count
        let id = m.string("id", required: true) ?? ""
        let named = id.isEmpty ? path : "migrations[\(id)]"
        let name = m.string("name", required: true) ?? ""
        let kind = m.choice("kind", MigrationAction.Kind.self, required: true, allowed: MigrationAction.Kind.allCases.map(\.rawValue))
        let visibility = m.choice("visibility", MigrationAction.Visibility.self, allowed: MigrationAction.Visibility.allCases.map(\.rawValue)) ?? .public
        let source = m.string("source", required: true), target = m.string("target", required: true)
        var eligibility: MigrationAction.Eligibility?
        if let node = m.value("eligibility"), var e = MappingReader(node, file: file, path: "\(named).eligibility", log: log) {
            eligibility = MigrationAction.Eligibility(customerKinds: e.strings("customerKinds"), roles: e.strings("roles"), rules: e.strings("rules"))
            e.finish(allowed: ["customerKinds", "roles", "rules"])
        }
        let functional: [MigrationAction.FunctionalReplacement] = (m.list("functional") ?? []).enumerated().compactMap { i, n in
            guard var f = MappingReader(n, file: file, path: "\(named).functional[\(i)]", log: log) else { return nil }
            let from = f.string("source", required: true), to = f.string("target")
            f.finish(allowed: ["source", "target"])
            return from.map { MigrationAction.FunctionalReplacement(source: ProductID($0), target: to.map { ProductID($0) }) }
        }
        let action = MigrationAction(id: id, name: name, kind: kind ?? .transformation, visibility: visibility,
                                     source: ProductID(source ?? ""), target: ProductID(target ?? ""), activePeriod: m.period("active"),
                                     eligibility: eligibility, script: m.strings("script") ?? [], functional: functional, origin: m.source)
        m.finish(allowed: ["id", "name", "kind", "visibility", "source", "target", "active", "eligibility", "script", "functional"])
        return log.problems.count == before ? action : nil
    }
}
