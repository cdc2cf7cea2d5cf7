import Foundation

extension CatalogIntegrity {
    /// every check of subscription types, subscription definitions and billing
    /// term schemes, each problem at its element's file and line.
    static func subscriptionProblems(in catalog: Catalog, byID: [ProductID: Product]) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        let distributors = Set(catalog.products.compactMap(\.provisioningSystem))
        let types = unique(catalog.subscriptionTypes, element: "subscription type", section: "subscriptionTypes", id: \.id, origin: \.origin, into: &problems)
        let schemes = unique(catalog.billingTermSchemes, element: "billing term scheme", section: "billingTermSchemes", id: \.id, origin: \.origin, into: &problems)
        _ = unique(catalog.subscriptionDefinitions, element: "subscription definition", section: "subscriptionDefinitions", id: \.id,
                   origin: \.origin, into: &problems)
        _ = unique(catalog.billingTermSchemes.flatMap(\.definitions), element: "billing term definition",
                   section: "billingTermSchemes.definitions", id: \.id, origin: \.origin, into: &problems)

        /// A service is a commercial component below the contract; an installed item is a device.
        func kindProblem(_ id: ProductID, as kind: SubscriptionHolding.Kind) -> (CatalogProblem.Code, String)? {
            guard let product = byID[id] else { return (.unknownReference, "'\(id)' is not a product of this catalog") }
            switch kind {
            case .service where !product.kind.isCommercial || product.kind == .contract:
                return (.invalidSubscription, "'\(id)' is a \(product.kind.rawValue); services are plays, offers and atomic offers")
            case .installedItem where product.kind != .device:
                return (.invalidSubscription, "'\(id)' is a \(product.kind.rawValue); installed items are devices")
            default: return nil
            }
        }
        /// The values listed more than once, each once, in list order.
        func duplicates<T: Hashable>(_ values: [T]) -> [T] {
            var seen: Set<T> = [], reported: Set<T> = []
            return values.filter { !seen.insert($0).inserted && reported.insert($0).inserted }
        }

        for type in catalog.subscriptionTypes {
            let path = "subscriptionTypes[\(type.id)]"
            func problem(_ code: CatalogProblem.Code, _ message: String, _ field: String) {
                problems.append(.init(code, "subscription type '\(type.id)': \(message)", path: "\(path).\(field)", at: type.origin, field: field))
            }
            if type.services.isEmpty { problem(.invalidSubscription, "it allows no service", "services") }
            if type.billingTermSchemes.isEmpty { problem(.invalidSubscription, "it allows no billing term scheme: its subscriptions could not be billed", "billingTermSchemes") }
            for (field, kind, ids) in [("services", SubscriptionHolding.Kind.service, type.services), ("installedItems", .installedItem, type.installedItems)] {
                for id in ids { if let (code, message) = kindProblem(id, as: kind) { problem(code, message, field) } }
                for id in duplicates(ids) { problem(.duplicateID, "'\(id)' is listed more than once", field) }
            }
            for distributor in type.distributors where !distributors.contains(distributor) {
                problem(.unknownReference, "distributor '\(distributor)' is the provisioning system of no product of this catalog (known: \(distributors.sorted().joined(separator: ", ")))", "distributors")
            }
            for distributor in duplicates(type.distributors) { problem(.duplicateID, "distributor '\(distributor)' is listed more than once", "distributors") }
            for scheme in type.billingTermSchemes where schemes[scheme] == nil {
                problem(.unknownReference, "billing term scheme '\(scheme)' is not one of this catalog", "billingTermSchemes")
            }
            for scheme in duplicates(type.billingTermSchemes) { problem(.duplicateID, "billing term scheme '\(scheme)' is listed more than once", "billingTermSchemes") }
        }

        for definition in catalog.subscriptionDefinitions {
            let path = "subscriptionDefinitions[\(definition.id)]"
            func problem(_ code: CatalogProblem.Code, _ message: String, _ field: String, at origin: SourceRef? = nil, path sub: String? = nil) {
                problems.append(.init(code, "subscription definition '\(definition.id)': \(message)", path: "\(sub ?? path).\(field)",
                                      at: origin ?? definition.origin, field: field))
            }
            if let period = definition.activePeriod, period.isInverted {
                problem(.invertedPeriod, "active period ends (\(period.end!)) before it starts (\(period.start!))", "active")
            }
            for (field, limits) in [("services", definition.services), ("installedItems", definition.installedItems)] {
                guard let limits else { continue }
                if (limits.min ?? 0) < 0 || (limits.max ?? 0) < 0 {
                    problem(.minAboveMax, "\(field): min and max cannot be negative", field)
                } else if let min = limits.min, let max = limits.max, min > max {
                    problem(.minAboveMax, "\(field): min \(min) is above max \(max)", field)
                }
            }
            guard let type = types[definition.subscriptionType] else {
                problem(.unknownReference, "subscription type '\(definition.subscriptionType)' is not one of this catalog", "subscriptionType")
                continue
            }
            let allowed = Set(type.services + type.installedItems)
            var ruleIDs: Set<String> = []
            for rule in definition.rules {
                let rpath = "\(path).rules[\(rule.id)]"
                func ruleProblem(_ code: CatalogProblem.Code, _ message: String, _ field: String) {
                    problem(code, "rule '\(rule.id)': \(message)", field, at: rule.origin, path: rpath)
                }
                if !ruleIDs.insert(rule.id).inserted { ruleProblem(.duplicateID, "the id is used more than once in the definition", "id") }
                let list = rule.subject == .service ? type.services : type.installedItems
                if !list.contains(rule.product) {
                    ruleProblem(.invalidSubscription, "'\(rule.product)' is not an allowed \(rule.subject.words) of subscription type \(type.id)", rule.subject.rawValue)
                }
                for (field, ids) in [("requires", rule.requires), ("excludes", rule.excludes)] {
                    for id in ids where !allowed.contains(id) {
                        ruleProblem(.invalidSubscription, "\(field) '\(id)', which subscription type \(type.id) does not allow: the rule could never hold", field)
                    }
                    if ids.contains(rule.product) { ruleProblem(.invalidSubscription, "'\(rule.product)' \(field) itself", field) }
                }
                for id in Set(rule.requires).intersection(rule.excludes).sorted(by: { $0.rawValue < $1.rawValue }) {
                    ruleProblem(.invalidSubscription, "'\(id)' is both required and excluded", "excludes")
                }
                if let max = rule.max, max < 1 {
                    ruleProblem(.minAboveMax, "max must be at least 1 (a product never allowed is left out of the type)", "max")
                }
                if rule.requires.isEmpty, rule.excludes.isEmpty, rule.max == nil {
                    ruleProblem(.invalidSubscription, "it requires, excludes and limits nothing", "requires")
                }
                if rule.perDistributor, type.distributors.isEmpty {
                    ruleProblem(.invalidSubscription, "it holds per distributor, but subscription type \(type.id) allows no distributor", "perDistributor")
                }
            }
        }
        // One definition in force per type on any day.
        for (typeID, definitions) in Dictionary(grouping: catalog.subscriptionDefinitions, by: \.subscriptionType) where types[typeID] != nil {
            problems += overlaps(definitions, element: "subscription definition", section: "subscriptionDefinitions", of: "subscription type \(typeID)",
                                 id: \.id, period: \.activePeriod, origin: \.origin)
        }

        for scheme in catalog.billingTermSchemes {
            let path = "billingTermSchemes[\(scheme.id)]"
            func problem(_ code: CatalogProblem.Code, _ message: String, _ field: String, at origin: SourceRef? = nil, path sub: String? = nil) {
                problems.append(.init(code, "billing term scheme '\(scheme.id)': \(message)", path: "\(sub ?? path).\(field)",
                                      at: origin ?? scheme.origin, field: field))
            }
            if scheme.frequencies.isEmpty { problem(.invalidBillingTerms, "it allows no billing frequency", "frequencies") }
            if scheme.bindingPeriods.isEmpty { problem(.invalidBillingTerms, "it allows no binding period (0 months for none)", "bindingPeriods") }
            if scheme.pricePlans.isEmpty { problem(.invalidBillingTerms, "it allows no price plan", "pricePlans") }
            if scheme.services.isEmpty { problem(.invalidBillingTerms, "it supports no service", "services") }
            if scheme.definitions.isEmpty { problem(.invalidBillingTerms, "it has no definition: no rule would be in force", "definitions") }
            for months in scheme.bindingPeriods where months < 0 { problem(.invalidBillingTerms, "binding period \(months) is negative", "bindingPeriods") }
            for plan in scheme.pricePlans where plan.trimmingCharacters(in: .whitespaces).isEmpty { problem(.invalidBillingTerms, "a price plan is empty", "pricePlans") }
            for (field, values) in [("frequencies", duplicates(scheme.frequencies).map(\.rawValue)), ("bindingPeriods", duplicates(scheme.bindingPeriods).map(String.init)),
                                    ("pricePlans", duplicates(scheme.pricePlans)), ("services", duplicates(scheme.services).map(\.rawValue))] {
                for value in values { problem(.duplicateID, "'\(value)' is listed more than once", field) }
            }
            for id in scheme.services { if let (code, message) = kindProblem(id, as: .service) { problem(code, message, "services") } }
            for definition in scheme.definitions {
                let dpath = "\(path).definitions[\(definition.id)]"
                func definitionProblem(_ code: CatalogProblem.Code, _ message: String, _ field: String) {
                    problem(code, "definition '\(definition.id)': \(message)", field, at: definition.origin, path: dpath)
                }
                if let period = definition.activePeriod, period.isInverted {
                    definitionProblem(.invertedPeriod, "active period ends (\(period.end!)) before it starts (\(period.start!))", "active")
                }
                for frequency in definition.frequencies ?? [] where !scheme.frequencies.contains(frequency) {
                    definitionProblem(.invalidBillingTerms, "frequency '\(frequency.rawValue)' is not one the scheme allows", "frequencies")
                }
                for months in definition.bindingPeriods ?? [] where !scheme.bindingPeriods.contains(months) {
                    definitionProblem(.invalidBillingTerms, "binding period \(months) is not one the scheme allows", "bindingPeriods")
                }
                if definition.frequencies?.isEmpty == true { definitionProblem(.invalidBillingTerms, "it allows no frequency (leave it out for the scheme's)", "frequencies") }
                if definition.bindingPeriods?.isEmpty == true { definitionProblem(.invalidBillingTerms, "it allows no binding period (leave it out for the scheme's)", "bindingPeriods") }
                if let resting = definition.resting, resting.maxDays < 1 || resting.maxTimesPerYear < 1 {
                    definitionProblem(.invalidBillingTerms, "resting: maxDays and maxTimesPerYear are at least 1 (leave resting out to allow none)", "resting")
                }
                if let age = definition.activation?.maxUnsettledBillAgeDays, age < 0 {
                    definitionProblem(.invalidBillingTerms, "activation: maxUnsettledBillAgeDays cannot be negative", "activation")
                }
            }
            problems += overlaps(scheme.definitions, element: "billing term definition", section: "\(path).definitions", of: "billing term scheme \(scheme.id)",
                                 id: \.id, period: \.activePeriod, origin: \.origin)
        }
        return problems
    }

    /// The elements by id; a problem for each id used again.
    private static func unique<T>(_ elements: [T], element: String, section: String, id: (T) -> String, origin: (T) -> SourceRef?,
                                  into problems: inout [CatalogProblem]) -> [String: T] {
        var byID: [String: T] = [:]
        for item in elements {
            if byID[id(item)] != nil {
                problems.append(.init(.duplicateID, "\(element) id '\(id(item))' is used more than once", path: "\(section)[\(id(item))]",
                                      at: origin(item), field: "id"))
            } else {
                byID[id(item)] = item
            }
        }
        return byID
    }

    /// A problem for each element whose active period shares a day with an earlier one's.
    private static func overlaps<T>(_ elements: [T], element: String, section: String, of owner: String, id: (T) -> String,
                                    period: (T) -> Period?, origin: (T) -> SourceRef?) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        for (i, item) in elements.enumerated() {
            let mine = period(item) ?? Period()
            if let earlier = elements[..<i].first(where: { id($0) != id(item) && mine.overlaps(period($0) ?? Period()) }) {
                problems.append(.init(.overlappingPeriods, "\(element) '\(id(item))' is active on days '\(id(earlier))' is too: one of \(owner) is in force at a time",
                                      path: "\(section)[\(id(item))].active", at: origin(item), field: "active"))
            }
        }
        return problems
    }
}
