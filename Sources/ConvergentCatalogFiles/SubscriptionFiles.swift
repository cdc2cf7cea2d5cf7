import ConvergentDomain
import Yams

/// in catalog files: the `subscriptionTypes`, `subscriptionDefinitions` and
/// `billingTermSchemes` sections.
extension CatalogFiles {
    static func readSubscriptionType(_ node: Node, file: String, path: String, log: ProblemLog) -> SubscriptionType? {
        guard var m = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let before = log.problems.count
        let id = m.string("id", required: true) ?? ""
        let type = SubscriptionType(id: id, name: m.string("name", required: true) ?? "", description: m.string("description"),
                                    services: (m.strings("services") ?? []).map { ProductID($0) },
                                    installedItems: (m.strings("installedItems") ?? []).map { ProductID($0) },
                                    distributors: m.strings("distributors") ?? [], billingTermSchemes: m.strings("billingTermSchemes") ?? [],
                                    origin: m.source)
        m.finish(allowed: ["id", "name", "description", "services", "installedItems", "distributors", "billingTermSchemes"])
        return log.problems.count == before ? type : nil
    }

    static func readSubscriptionDefinition(_ node: Node, file: String, path: String, log: ProblemLog) -> SubscriptionDefinition? {
        guard var m = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let before = log.problems.count
        let id = m.string("id", required: true) ?? ""
        let named = id.isEmpty ? path : "subscriptionDefinitions[\(id)]"
        func limits(_ key: String) -> SubscriptionDefinition.Limits? {
            guard let node = m.value(key), var l = MappingReader(node, file: file, path: "\(named).\(key)", log: log) else { return nil }
            let limits = SubscriptionDefinition.Limits(min: l.int("min"), max: l.int("max"))
            l.finish(allowed: ["min", "max"])
            return limits
        }
        let rules: [SubscriptionRule] = (m.list("rules") ?? []).enumerated().compactMap { i, n in
            guard var r = MappingReader(n, file: file, path: "\(named).rules[\(i)]", log: log) else { return nil }
            let ruleID = r.string("id", required: true) ?? ""
            // The rule is about one service or one installed item: exactly one of the two keys.
            let service = r.string("service"), item = r.string("installedItem")
            if (service == nil) == (item == nil) {
                log.add(service == nil ? .missingField : .invalidValue, "\(r.path) names one service or one installed item (service: or installedItem:)",
                        path: "\(r.path).service", file: file, line: r.lineOf("service") ?? r.line)
            }
            let rule = SubscriptionRule(id: ruleID, subject: item == nil ? .service : .installedItem, product: ProductID(service ?? item ?? ""),
                                        perDistributor: r.bool("perDistributor") ?? false,
                                        requires: (r.strings("requires") ?? []).map { ProductID($0) },
                                        excludes: (r.strings("excludes") ?? []).map { ProductID($0) },
                                        max: r.int("max"), message: r.string("message", required: true) ?? "", origin: r.source)
            r.finish(allowed: ["id", "service", "installedItem", "perDistributor", "requires", "excludes", "max", "message"])
            return rule
        }
        let definition = SubscriptionDefinition(id: id, name: m.string("name", required: true) ?? "",
                                                subscriptionType: m.string("subscriptionType", required: true) ?? "",
                                                activePeriod: m.period("active"), services: limits("services"),
                                                installedItems: limits("installedItems"), rules: rules, origin: m.source)
        m.finish(allowed: ["id", "name", "subscriptionType", "active", "services", "installedItems", "rules"])
        return log.problems.count == before ? definition : nil
    }

    static func readBillingTermScheme(_ node: Node, file: String, path: String, log: ProblemLog) -> BillingTermScheme? {
        guard var m = MappingReader(node, file: file, path: path, log: log) else { return nil }
        let before = log.problems.count
        let id = m.string("id", required: true) ?? ""
        let named = id.isEmpty ? path : "billingTermSchemes[\(id)]"
        let definitions: [BillingTermDefinition] = (m.list("definitions") ?? []).enumerated().compactMap { i, n in
            guard var d = MappingReader(n, file: file, path: "\(named).definitions[\(i)]", log: log) else { return nil }
            var definition = BillingTermDefinition(id: d.string("id", required: true) ?? "", activePeriod: d.period("active"),
                                                   frequencies: d.choices("frequencies", BillingFrequency.self), bindingPeriods: d.ints("bindingPeriods"),
                                                   origin: d.source)
            if let node = d.value("resting"), var r = MappingReader(node, file: file, path: "\(d.path).resting", log: log) {
                definition.resting = .init(maxDays: r.int("maxDays", required: true) ?? 0, maxTimesPerYear: r.int("maxTimesPerYear", required: true) ?? 0)
                r.finish(allowed: ["maxDays", "maxTimesPerYear"])
            }
            if let node = d.value("activation"), var a = MappingReader(node, file: file, path: "\(d.path).activation", log: log) {
                definition.activation = .init(installedItemOnEachDistributor: a.bool("installedItemOnEachDistributor") ?? false,
                                              maxUnsettledBillAgeDays: a.int("maxUnsettledBillAgeDays"))
                a.finish(allowed: ["installedItemOnEachDistributor", "maxUnsettledBillAgeDays"])
            }
            d.finish(allowed: ["id", "active", "frequencies", "bindingPeriods", "resting", "activation"])
            return definition
        }
        let scheme = BillingTermScheme(id: id, name: m.string("name", required: true) ?? "", description: m.string("description"),
                                       frequencies: m.choices("frequencies", BillingFrequency.self) ?? [], bindingPeriods: m.ints("bindingPeriods") ?? [],
                                       pricePlans: m.strings("pricePlans") ?? [], services: (m.strings("services") ?? []).map { ProductID($0) },
                                       restingExtendsBinding: m.bool("restingExtendsBinding") ?? false, definitions: definitions, origin: m.source)
        m.finish(allowed: ["id", "name", "description", "frequencies", "bindingPeriods", "pricePlans", "services", "restingExtendsBinding", "definitions"])
        return log.problems.count == before ? scheme : nil
    }
}

extension MappingReader {
    /// A list of whole numbers.
    mutating func ints(_ key: String) -> [Int]? {
        guard let texts = strings(key) else { return nil }
        return texts.compactMap { text in
            guard let value = Int(text) else {
                log.add(.wrongType, "\(path).\(key) should list whole numbers, got '\(text)'", path: "\(path).\(key)", file: file, line: lineOf(key))
                return nil
            }
            return value
        }
    }

    /// A list of values of `T`.
    mutating func choices<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) -> [T]? where T.RawValue == String {
        guard let texts = strings(key) else { return nil }
        return texts.compactMap { text in
            guard let value = T(rawValue: text) else {
                log.add(.invalidValue, "\(path).\(key): '\(text)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))",
                        path: "\(path).\(key)", file: file, line: lineOf(key))
                return nil
            }
            return value
        }
    }
}
