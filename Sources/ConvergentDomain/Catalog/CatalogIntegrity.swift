import Foundation

/// Every integrity check of a catalog (R-1.2 … ). A catalog with problems is never
/// activated; each problem names the element and, when the catalog was read from files, the line.
public enum CatalogIntegrity {
    public static func problems(in catalog: Catalog) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        var byID: [ProductID: Product] = [:]
        for product in catalog.products {
            if byID[product.id] != nil {
                problems.append(.init(.duplicateID, "product id '\(product.id)' is used more than once",
                                      path: "products[\(product.id)]", at: product.source, field: "id"))
            } else {
                byID[product.id] = product
            }
        }

        for product in catalog.products {
            problems += check(product, byID: byID)
        }
        problems += cycles(in: catalog, byID: byID)

        // Built once: every product that is a package component of another (rebuilding it per
        // rule made a large catalog's check grow with products × rules).
        let members = Set(catalog.products.flatMap { $0.components.map(\.product) })
        var ruleIDs: Set<String> = []
        for rule in catalog.rules {
            let path = "rules[\(rule.id)]"
            if !ruleIDs.insert(rule.id).inserted {
                problems.append(.init(.duplicateID, "rule id '\(rule.id)' is used more than once", path: path, at: rule.source, field: "id"))
            }
            if let period = rule.activePeriod, period.isInverted {
                problems.append(.init(.invertedPeriod, "rule '\(rule.id)': active period ends (\(period.end!)) before it starts (\(period.start!))",
                                      path: path + ".active", at: rule.source, field: "active"))
            }
            problems += check(rule, path: path, byID: byID, members: members)
        }
        problems += migrationProblems(in: catalog, byID: byID)
        problems += subscriptionProblems(in: catalog, byID: byID)
        problems += eligibilityProblems(in: catalog)
        problems += planProblems(in: catalog, byID: byID)
        return problems
    }

    private static func check(_ product: Product, byID: [ProductID: Product]) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        let path = "products[\(product.id)]"
        let src = product.source
        if let period = product.sellingPeriod, period.isInverted {
            problems.append(.init(.invertedPeriod, "'\(product.id)': selling period ends (\(period.end!)) before it starts (\(period.start!))",
                                  path: path + ".sellingPeriod", at: src, field: "sellingPeriod"))
        }

        var attributeNames: Set<String> = []
        for attribute in product.attributes {
            let apath = "\(path).attributes[\(attribute.name)]"
            if !attributeNames.insert(attribute.name).inserted {
                problems.append(.init(.duplicateID, "'\(product.id)' defines attribute '\(attribute.name)' more than once", path: apath, at: attribute.source, field: "name"))
            }
            if attribute.type == .enum, (attribute.values ?? []).isEmpty {
                problems.append(.init(.invalidAttribute, "enum attribute '\(attribute.name)' of '\(product.id)' lists no values", path: apath + ".values", at: attribute.source, field: "values"))
            }
            if attribute.type != .enum, attribute.values != nil {
                problems.append(.init(.invalidAttribute, "attribute '\(attribute.name)' of '\(product.id)' lists values but is of type \(attribute.type.rawValue)", path: apath + ".values", at: attribute.source, field: "values"))
            }
            if let value = attribute.defaultValue, let why = attribute.problem(with: value) {
                problems.append(.init(.invalidAttribute, "default of attribute '\(attribute.name)' of '\(product.id)': \(why)", path: apath + ".default", at: attribute.source, field: "default"))
            }
        }

        var memberIDs: Set<ProductID> = []
        for component in product.components {
            let cpath = "\(path).components[\(component.product)]"
            let csrc = component.source
            if !memberIDs.insert(component.product).inserted {
                problems.append(.init(.duplicateID, "'\(product.id)' contains '\(component.product)' more than once", path: cpath, at: csrc, field: "product"))
            }
            if component.min < 0 || component.max < 1 {
                problems.append(.init(.minAboveMax, "'\(product.id)' → '\(component.product)': min must be ≥ 0 and max ≥ 1 (min \(component.min), max \(component.max))", path: cpath + ".max", at: csrc, field: "max"))
            } else if component.min > component.max {
                problems.append(.init(.minAboveMax, "'\(product.id)' → '\(component.product)': min \(component.min) is above max \(component.max)", path: cpath + ".min", at: csrc, field: "min"))
            }
            if let period = component.sellingPeriod, period.isInverted {
                problems.append(.init(.invertedPeriod, "'\(product.id)' → '\(component.product)': selling period ends (\(period.end!)) before it starts (\(period.start!))", path: cpath + ".sellingPeriod", at: csrc, field: "sellingPeriod"))
            }
            guard let child = byID[component.product] else {
                problems.append(.init(.unknownReference, "'\(product.id)' contains unknown product '\(component.product)'", path: cpath + ".product", at: csrc, field: "product"))
                continue
            }
            if !levelAllows(parent: product.kind, child: child.kind) {
                problems.append(.init(.levelOrder, "a \(product.kind.rawValue) ('\(product.id)') cannot contain a \(child.kind.rawValue) ('\(child.id)'): children sit at a lower commercial level, devices under offers", path: cpath + ".product", at: csrc, field: "product"))
            }
        }

        for (index, sold) in product.sells.enumerated() {
            let spath = "\(path).sells[\(index)]"
            if product.kind != .atomicOffer {
                problems.append(.init(.invalidSells, "only atomic offers sell functional components; '\(product.id)' is a \(product.kind.rawValue)", path: spath, at: src, field: "sells"))
            }
            guard let target = byID[sold] else {
                problems.append(.init(.unknownReference, "'\(product.id)' sells unknown product '\(sold)'", path: spath, at: src, field: "sells"))
                continue
            }
            if target.kind != .functional {
                problems.append(.init(.invalidSells, "'\(product.id)' sells '\(sold)', which is a \(target.kind.rawValue), not a functional component", path: spath, at: src, field: "sells"))
            }
        }

        for price in product.prices {
            if price.amount < 0 {
                problems.append(.init(.invalidPrice, "'\(product.id)': a price cannot be negative (\(price.amount))", path: path + ".prices", at: price.source, field: "amount"))
            }
            if price.currency.count != 3 || price.currency.uppercased() != price.currency {
                problems.append(.init(.invalidPrice, "'\(product.id)': currency '\(price.currency)' is not a three-letter ISO 4217 code", path: path + ".prices", at: price.source, field: "currency"))
            }
        }

        if let billing = product.billing {
            let bpath = path + ".billing"
            if !billing.splitBilling, billing.rows.count > 1 {
                problems.append(.init(.invalidBilling, "'\(product.id)' has \(billing.rows.count) billing account rows but split billing is off", path: bpath + ".rows", at: billing.source, field: "rows"))
            }
            if Set(billing.rows.map(\.sequence)).count != billing.rows.count {
                problems.append(.init(.invalidBilling, "'\(product.id)': billing account row sequences must be unique", path: bpath + ".rows", at: billing.source, field: "rows"))
            }
            if billing.rows.filter(\.primary).count > 1 {
                problems.append(.init(.invalidBilling, "'\(product.id)': more than one primary billing account row", path: bpath + ".rows", at: billing.source, field: "rows"))
            }
            if !billing.accountSelectable, !billing.rows.isEmpty {
                problems.append(.init(.invalidBilling, "'\(product.id)' lists billing account rows but its billing account is not selectable", path: bpath + ".rows", at: billing.source, field: "rows"))
            }
        }

        if let terms = product.commitment {
            if product.kind != .commitment {
                problems.append(.init(.invalidCommitment, "'\(product.id)' has commitment terms but is a \(product.kind.rawValue)", path: path + ".commitment", at: terms.source))
            }
            if terms.duration <= 0 {
                problems.append(.init(.invalidCommitment, "'\(product.id)': commitment duration must be positive", path: path + ".commitment.duration", at: terms.source, field: "duration"))
            }
            if terms.penaltyAmount == nil, terms.penaltyRule == nil {
                problems.append(.init(.invalidCommitment, "'\(product.id)': a commitment states a penalty amount or a penalty rule", path: path + ".commitment.penalty", at: terms.source, field: "penalty"))
            }
            // each penalty rule has what it prices with.
            let ppath = path + ".commitment.penalty"
            switch terms.rule {
            case .fixed, .reducing:
                if terms.penaltyAmount == nil, terms.penaltyRule != nil {
                    problems.append(.init(.invalidCommitment, "'\(product.id)': a \(terms.rule.rawValue) penalty states its amount", path: ppath + ".amount", at: terms.source, field: "amount"))
                }
            case .remainingMonthsTimesMonthlyFee:
                break
            case .percentageOfRemaining:
                if terms.penaltyPercentage.map({ $0 <= 0 || $0 > 100 }) ?? true {
                    problems.append(.init(.invalidCommitment, "'\(product.id)': a percentageOfRemaining penalty states a percentage above 0 and at most 100", path: ppath + ".percentage", at: terms.source, field: "percentage"))
                }
            }
            if let amount = terms.penaltyAmount {
                if amount < 0 {
                    problems.append(.init(.invalidCommitment, "'\(product.id)': a penalty amount is not negative", path: ppath + ".amount", at: terms.source, field: "amount"))
                }
                if terms.penaltyCurrency == nil {
                    problems.append(.init(.invalidCommitment, "'\(product.id)': a penalty amount states its currency", path: ppath + ".currency", at: terms.source, field: "currency"))
                }
            }
        } else if product.kind == .commitment {
            problems.append(.init(.invalidCommitment, "commitment product '\(product.id)' has no commitment terms (duration, penalty)", path: path + ".commitment", at: src, field: "kind"))
        }
        // a service agreement says what it is and which products it may cover.
        if let terms = product.agreement {
            let apath = path + ".agreement"
            if product.kind != .agreement {
                problems.append(.init(.invalidAgreement, "'\(product.id)' has agreement terms but is a \(product.kind.rawValue)", path: apath, at: terms.source))
            }
            if terms.type.isEmpty {
                problems.append(.init(.invalidAgreement, "'\(product.id)': an agreement states its type (maintenance, sla, …)", path: apath + ".type", at: terms.source, field: "type"))
            }
            if terms.covers.isEmpty {
                problems.append(.init(.invalidAgreement, "'\(product.id)': an agreement names the products it may cover", path: apath + ".covers", at: terms.source, field: "covers"))
            }
            for covered in terms.covers {
                guard let target = byID[covered] else {
                    problems.append(.init(.unknownReference, "'\(product.id)' covers unknown product '\(covered)'", path: apath + ".covers", at: terms.source, field: "covers"))
                    continue
                }
                if target.kind == .agreement || target.kind == .commitment {
                    problems.append(.init(.invalidAgreement, "'\(product.id)' cannot cover '\(covered)', a \(target.kind.rawValue)", path: apath + ".covers", at: terms.source, field: "covers"))
                }
            }
        } else if product.kind == .agreement {
            problems.append(.init(.invalidAgreement, "agreement product '\(product.id)' has no agreement terms (type, covers)", path: path + ".agreement", at: src, field: "kind"))
        }
        return problems
    }

    /// Commercial children sit at a deeper level; devices hang under offers and atomic offers.
    static func levelAllows(parent: ProductKind, child: ProductKind) -> Bool {
        if let p = parent.commercialLevel, let c = child.commercialLevel { return c > p }
        if child == .device { return parent == .offer || parent == .atomicOffer }
        return false
    }

    /// Cycles in the bundle tree (A contains B contains … A), each reported once.
    private static func cycles(in catalog: Catalog, byID: [ProductID: Product]) -> [CatalogProblem] {
        enum Mark { case visiting, done }
        var marks: [ProductID: Mark] = [:]
        var problems: [CatalogProblem] = []
        var stack: [ProductID] = []

        func visit(_ id: ProductID) {
            marks[id] = .visiting
            stack.append(id)
            for component in byID[id]?.components ?? [] where byID[component.product] != nil {
                switch marks[component.product] {
                case .visiting:
                    let start = stack.firstIndex(of: component.product)!
                    let loop = (stack[start...] + [component.product]).map(\.rawValue).joined(separator: " → ")
                    problems.append(.init(.bundleCycle, "bundle tree has a cycle: \(loop)",
                                          path: "products[\(id)].components[\(component.product)]", at: component.source, field: "product"))
                case .done:
                    break
                case nil:
                    visit(component.product)
                }
            }
            stack.removeLast()
            marks[id] = .done
        }
        for product in catalog.products where marks[product.id] == nil {
            visit(product.id)
        }
        return problems
    }

    /// Unknown products, and products a rule cannot apply to.
    private static func check(_ rule: ConfigurationRule, path: String, byID: [ProductID: Product], members: Set<ProductID>) -> [CatalogProblem] {
        var problems: [CatalogProblem] = []
        var known = true
        for (field, id) in rule.kind.namedProducts where byID[id] == nil {
            known = false
            problems.append(.init(.unknownReference, "rule '\(rule.id)' names unknown product '\(id)'", path: "\(path).\(field)", at: rule.source, field: field))
        }
        guard known else { return problems }
        func notApplicable(_ field: String, _ why: String) {
            problems.append(.init(.ruleNotApplicable, "rule '\(rule.id)' (\(rule.kind.name)): \(why)", path: "\(path).\(field)", at: rule.source, field: field))
        }
        /// A product that can sit inside a contract: a bundle member or a functional component.
        func placeable(_ id: ProductID) -> Bool { members.contains(id) || byID[id]?.kind == .functional }

        switch rule.kind {
        case let .bringsOnCreation(source, target), let .bringsAndRemoves(source, target):
            if !placeable(source) { notApplicable("source", "'\(source)' is not a component of any bundle") }
            if !members.contains(target) { notApplicable("target", "'\(target)' is not a component of any bundle, so there is nowhere to add it") }
            if source == target { notApplicable("target", "a product cannot bring itself") }
        case let .commercialPrerequisite(required, dependent):
            for (field, id) in [("required", required), ("dependent", dependent)] where !(byID[id]!.kind.isCommercial && byID[id]!.kind != .contract) {
                notApplicable(field, "'\(id)' is a \(byID[id]!.kind.rawValue); prerequisites apply to commercial components within a contract")
            }
            if required == dependent { notApplicable("dependent", "a product cannot be its own prerequisite") }
        case let .reliesOn(source, target, _):
            for (field, id) in [("source", source), ("target", target)] where byID[id]!.kind != .functional {
                notApplicable(field, "'\(id)' is a \(byID[id]!.kind.rawValue); relies-on links functional components")
            }
        case let .exclusion(first, second):
            for (field, id) in [("first", first), ("second", second)] where !placeable(id) {
                notApplicable(field, "'\(id)' is not a component of any bundle, so it is never in a contract")
            }
            if first == second { notApplicable("second", "a product cannot exclude itself") }
        case let .cardinality(product, min, max):
            if !placeable(product) { notApplicable("product", "'\(product)' is not a component of any bundle") }
            if min < 0 || max < 1 || min > max {
                problems.append(.init(.minAboveMax, "rule '\(rule.id)': min \(min) and max \(max) do not make a range", path: "\(path).min", at: rule.source, field: "min"))
            }
        case let .commitmentTrigger(source, commitment):
            if byID[commitment]!.kind != .commitment { notApplicable("commitment", "'\(commitment)' is not a commitment product") }
            if !byID[source]!.kind.isCommercial { notApplicable("source", "'\(source)' is not a commercial product") }
        case let .commitmentCoverage(commitment, covers):
            if byID[commitment]!.kind != .commitment { notApplicable("commitment", "'\(commitment)' is not a commitment product") }
            for id in covers where byID[id]!.kind == .commitment {
                notApplicable("covers", "a commitment cannot cover another commitment ('\(id)')")
            }
        }
        return problems
    }
}
