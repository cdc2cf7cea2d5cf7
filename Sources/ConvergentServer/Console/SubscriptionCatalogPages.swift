import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird

// R-1.10, R-1.11 in the console: the subscription types of the catalog in force on a day, one
// type with its definitions' restrictions and dependencies and the billing term schemes it
// allows, and one scheme with its definitions (resting rules, activation conditions).

struct SubscriptionTypeRow: Sendable {
    var id: String
    var name: String
    var description: String?
    var services: String
    var installedItems: String
    var distributors: String
    var billingTermSchemes: [String]

    init(_ t: Wire.SubscriptionType) {
        id = t.id
        name = t.name
        description = t.description
        services = t.services.joined(separator: ", ")
        installedItems = t.installedItems.isEmpty ? "none" : t.installedItems.joined(separator: ", ")
        distributors = t.distributors.isEmpty ? "none" : t.distributors.joined(separator: ", ")
        billingTermSchemes = t.billingTermSchemes
    }
}

struct SubscriptionTypesPage: Sendable {
    var layout: Layout
    var catalogVersion: String
    var date: String
    var types: [SubscriptionTypeRow]
    var next: String?
}

struct SubscriptionDefinitionView: Sendable {
    struct Rule: Sendable {
        var id: String
        var about: String
        var scope: String
        var what: String
        var message: String
    }

    var id: String
    var name: String
    var period: String
    var inForce: Bool
    var limits: String?
    var rules: [Rule]

    init(_ d: Wire.SubscriptionDefinition) {
        id = d.id
        name = d.name
        period = d.activePeriod.map { "\($0.start ?? "…") to \($0.end ?? "…")" } ?? "always"
        inForce = d.inForce
        func text(_ limits: (min: Int?, max: Int?)?, _ noun: String) -> String? {
            guard let limits, limits.min != nil || limits.max != nil else { return nil }
            return [limits.min.map { "at least \($0)" }, limits.max.map { "at most \($0)" }].compactMap { $0 }.joined(separator: ", ") + " \(noun)"
        }
        limits = [text(d.services.map { ($0.min, $0.max) }, "services"), text(d.installedItems.map { ($0.min, $0.max) }, "installed items")]
            .compactMap { $0 }.joined(separator: "; ")
        if limits?.isEmpty == true { limits = nil }
        rules = d.rules.map { r in
            Rule(id: r.id, about: "\(r.subject == .service ? "service" : "installed item") \(r.product)",
                 scope: r.perDistributor ? "on each distributor" : "on the subscription",
                 what: [r.requires.isEmpty ? nil : "requires one of \(r.requires.joined(separator: ", "))",
                        r.excludes.isEmpty ? nil : "excludes \(r.excludes.joined(separator: ", "))",
                        r.max.map { "at most \($0)" }].compactMap { $0 }.joined(separator: "; "),
                 message: r.message)
        }
    }
}

struct BillingTermSchemeView: Sendable {
    struct Definition: Sendable {
        var id: String
        var period: String
        var inForce: Bool
        var frequencies: String
        var bindingPeriods: String
        var resting: String
        var activation: String
    }

    var id: String
    var name: String
    var description: String?
    var frequencies: String
    var bindingPeriods: String
    var pricePlans: String
    var services: String
    var restingExtendsBinding: Bool
    var definitions: [Definition]

    init(_ s: Wire.BillingTermScheme) {
        id = s.id
        name = s.name
        description = s.description
        frequencies = s.frequencies.map(\.rawValue).joined(separator: ", ")
        bindingPeriods = Self.months(s.bindingPeriods)
        pricePlans = s.pricePlans.joined(separator: ", ")
        services = s.services.joined(separator: ", ")
        restingExtendsBinding = s.restingExtendsBinding
        definitions = s.definitions.map { d in
            Definition(id: d.id, period: d.activePeriod.map { "\($0.start ?? "…") to \($0.end ?? "…")" } ?? "always", inForce: d.inForce,
                       frequencies: d.frequencies.map { $0.map(\.rawValue).joined(separator: ", ") } ?? "the scheme's",
                       bindingPeriods: d.bindingPeriods.map(Self.months) ?? "the scheme's",
                       resting: d.resting.map { "at most \($0.maxDays) days, \($0.maxTimesPerYear) times a year" } ?? "not allowed",
                       activation: d.activation.map { a in
                           [a.installedItemOnEachDistributor ? "an installed item on each distributor" : nil,
                            a.maxUnsettledBillAgeDays.map { "no bill unsettled for more than \($0) days" }].compactMap { $0 }.joined(separator: "; ")
                       }.flatMap { $0.isEmpty ? nil : $0 } ?? "none")
        }
    }

    static func months(_ periods: [Int]) -> String {
        periods.map { $0 == 0 ? "none" : "\($0) months" }.joined(separator: ", ")
    }
}

struct SubscriptionTypePage: Sendable {
    var layout: Layout
    var catalogVersion: String
    var date: String
    var type: SubscriptionTypeRow
    var definitions: [SubscriptionDefinitionView]
    var schemes: [BillingTermSchemeView]
}

struct BillingTermSchemePage: Sendable {
    var layout: Layout
    var catalogVersion: String
    var date: String
    var scheme: BillingTermSchemeView
    var subscriptionTypes: [String]
}

extension Console {
    func registerSubscriptionCatalog(on router: Router<AppRequestContext>) {
        router.get("/catalog/subscription-types") { request, _ in
            await page(request) { agent in
                _ = try Self.require(agent, .readCatalog)
                let query = request.formQuery
                let day = try dayParameter(Self.text(query.get("date")), "date") ?? engine.today
                let list = try Wire.SubscriptionTypeList(try await engine.catalogs.subscriptionTypes(version: nil, on: day, after: Self.text(query.get("cursor")), limit: 50))
                return render("subscription-types", SubscriptionTypesPage(layout: Layout(title: "Subscription types", agent: agent), catalogVersion: list.catalogVersion,
                                                                          date: list.date, types: list.items.map(SubscriptionTypeRow.init),
                                                                          next: list.nextCursor.map { "/catalog/subscription-types?date=\(list.date)&cursor=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }))
            }
        }
        router.get("/catalog/subscription-types/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                _ = try Self.require(agent, .readCatalog)
                let day = try dayParameter(Self.text(request.formQuery.get("date")), "date") ?? engine.today
                let detail = try Wire.SubscriptionTypeDetail(try await engine.catalogs.subscriptionType(id, version: nil, on: day))
                let type = detail.subscriptionType
                return render("subscription-type", SubscriptionTypePage(layout: Layout(title: "\(type.name) (\(type.id))", agent: agent),
                                                                        catalogVersion: detail.catalogVersion, date: detail.date, type: SubscriptionTypeRow(type),
                                                                        definitions: detail.definitions.map(SubscriptionDefinitionView.init),
                                                                        schemes: detail.billingTermSchemes.map(BillingTermSchemeView.init)))
            }
        }
        router.get("/catalog/billing-term-schemes/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                _ = try Self.require(agent, .readCatalog)
                let day = try dayParameter(Self.text(request.formQuery.get("date")), "date") ?? engine.today
                let detail = try Wire.BillingTermSchemeDetail(try await engine.catalogs.billingTermScheme(id, version: nil, on: day))
                return render("billing-term-scheme", BillingTermSchemePage(layout: Layout(title: "\(detail.scheme.name) (\(detail.scheme.id))", agent: agent),
                                                                           catalogVersion: detail.catalogVersion, date: detail.date,
                                                                           scheme: BillingTermSchemeView(detail.scheme), subscriptionTypes: detail.subscriptionTypes))
            }
        }
    }
}
