import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import Foundation
import Testing

/// The demo catalog's files with `subscriptions` in place of its subscriptions file.
func withSubscriptions(_ subscriptions: String) -> [CatalogFile] {
    DemoCatalog.files.filter { $0.name != "demo/subscriptions.yaml" } + [CatalogFile(name: "subs.yaml", text: subscriptions)]
}

@Suite("R-1.10, R-1.11 subscription types, definitions and billing term schemes in catalog files")
struct SubscriptionCatalogTests {
    static let demoText = DemoCatalog.files.first { $0.name == "demo/subscriptions.yaml" }!.text

    @Test("R-1.10, R-1.11: the demo's subscription types, definitions and billing term schemes read with every field; export writes subscriptions.yaml, which re-imports and re-exports unchanged; a catalog stored before subscriptions decodes with none")
    func readAndExport() throws {
        let validation = CatalogFiles.validate(withSubscriptions(Self.demoText))
        #expect(validation.problems.isEmpty, "\(validation.problems)")
        let catalog = try #require(validation.catalog)
        #expect(catalog.subscriptionTypes.map(\.id) == ["HOME-TV", "HOME-BROADBAND"])
        let tv = catalog.subscriptionTypes[0]
        #expect(tv.installedItems == ["STB-HD"] && tv.distributors == ["TV-PLATFORM", "LOGISTICS"] && tv.billingTermSchemes == ["HOME-MONTHLY"])
        #expect(tv.services.contains("UHD-PACK") && tv.services.count == 7)
        let definition = try #require(catalog.subscriptionDefinition(of: "HOME-TV", on: Day("2026-12-01")!))
        #expect(definition.id == "HOME-TV-2026" && definition.services == .init(min: 1, max: 8) && definition.installedItems == .init(max: 3))
        #expect(definition.rules.first == SubscriptionRule(id: "UHD-NEEDS-HD-BOX", subject: .service, product: "UHD-PACK", perDistributor: true,
                                                           requires: ["STB-HD"], message: "The Ultra HD pack needs an HD set-top box on the same distributor",
                                                           origin: SourceRef(file: "subs.yaml", line: 23)))
        #expect(catalog.subscriptionDefinition(of: "HOME-TV", on: Day("2025-12-31")!) == nil, "not yet in force")
        #expect(catalog.subscriptionDefinitions[1].rules.last?.subject == .installedItem)
        let monthly = try #require(catalog.billingTermSchemes.first)
        #expect(monthly.frequencies == [.monthly, .quarterly] && monthly.bindingPeriods == [0, 12, 24] && monthly.restingExtendsBinding)
        #expect(monthly.definition(on: Day("2026-12-01")!)?.resting == .init(maxDays: 60, maxTimesPerYear: 2))
        #expect(monthly.definitions[0].activation == .init(installedItemOnEachDistributor: true, maxUnsettledBillAgeDays: 30))
        #expect(catalog.billingTermSchemes[1].definitions[0].resting == nil, "no resting under the annual scheme")

        let exported = try CatalogFiles.render(catalog)
        #expect(exported.map(\.name) == ["catalog.yaml", "products.yaml", "rules.yaml", "migrations.yaml", "subscriptions.yaml", "plans.yaml"])
        let reread = try #require(CatalogFiles.validate(exported).catalog)
        #expect(reread == catalog)
        #expect(try CatalogFiles.render(reread) == exported)
        #expect(CatalogFiles.validate([try CatalogFiles.renderOne(catalog)]).catalog == catalog)
        // Stored catalogs from before subscriptions decode with none; one without them encodes as before.
        var json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(catalog)) as! [String: Any]
        #expect(json["subscriptionTypes"] != nil)
        for key in ["subscriptionTypes", "subscriptionDefinitions", "billingTermSchemes", "eligibilityRules", "plans", "pools"] { json.removeValue(forKey: key) }
        let old = try JSONDecoder().decode(Catalog.self, from: try JSONSerialization.data(withJSONObject: json))
        #expect(old.subscriptionTypes.isEmpty && old.subscriptionDefinitions.isEmpty && old.billingTermSchemes.isEmpty)
        let reencoded = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(old)) as! [String: Any]
        #expect(Set(reencoded.keys) == ["header", "products", "rules", "migrations"])
    }

    /// One row integrity check: the text to change in the demo's subscriptions
    /// file, the code, and the line (of `marker`) reported.
    @Test("R-1.10, R-1.11: every subscription and billing term integrity check reports its code with file and line", arguments: [
        ("services: [TV-BASIC-OFFER,", "services: [NOPE,", CatalogProblem.Code.unknownReference, "services: [NOPE"),
        ("services: [TV-BASIC-OFFER,", "services: [STB-HD,", .invalidSubscription, "services: [STB-HD"),
        ("services: [TV-BASIC-OFFER,", "services: [HOME-CONTRACT,", .invalidSubscription, "services: [HOME-CONTRACT"),
        ("installedItems: [STB-HD]", "installedItems: [UHD-PACK]", .invalidSubscription, "installedItems: [UHD-PACK]"),
        ("installedItems: [STB-HD]", "installedItems: [STB-HD, STB-HD]", .duplicateID, "installedItems: [STB-HD, STB-HD]"),
        ("distributors: [TV-PLATFORM, LOGISTICS]", "distributors: [TV-PLATFORM, SATELLITE]", .unknownReference, "distributors: [TV-PLATFORM, SATELLITE]"),
        ("billingTermSchemes: [HOME-MONTHLY]\n", "billingTermSchemes: [HOME-WEEKLY]\n", .unknownReference, "billingTermSchemes: [HOME-WEEKLY]"),
        ("billingTermSchemes: [HOME-MONTHLY]\n", "billingTermSchemes: []\n", .invalidSubscription, "billingTermSchemes: []"),
        ("  - id: HOME-BROADBAND\n", "  - id: HOME-TV\n", .duplicateID, "  - id: HOME-TV\n    name: Home broadband"),
        ("    installedItems: [STB-HD]\n", "    installedItems: [STB-HD]\n    colour: blue\n", .unknownField, "colour"),
        ("subscriptionType: HOME-TV\n", "subscriptionType: HOME-RADIO\n", .unknownReference, "subscriptionType: HOME-RADIO"),
        ("subscriptionType: HOME-TV\n    active: {start: 2026-01-01}", "subscriptionType: HOME-TV\n    active: {start: 2026-01-01, end: 2025-01-01}", .invertedPeriod,
         "active: {start: 2026-01-01, end"),
        ("subscriptionType: HOME-BROADBAND\n    active: {start: 2026-01-01}", "subscriptionType: HOME-TV\n    active: {start: 2026-03-01}", .overlappingPeriods,
         "active: {start: 2026-03-01}"),
        ("services: {min: 1, max: 8}", "services: {min: 9, max: 8}", .minAboveMax, "services: {min: 9"),
        ("service: UHD-PACK\n", "service: FIBER-500\n", .invalidSubscription, "service: FIBER-500"),
        ("service: UHD-PACK\n", "service: UHD-PACK\n        installedItem: STB-HD\n", .invalidValue, "service: UHD-PACK"),
        ("requires: [STB-HD]\n", "requires: [ROUTER]\n", .invalidSubscription, "requires: [ROUTER]"),
        ("requires: [STB-HD]\n", "requires: [UHD-PACK]\n", .invalidSubscription, "requires: [UHD-PACK]"),
        ("requires: [STB-HD]\n", "requires: [STB-HD]\n        excludes: [STB-HD]\n", .invalidSubscription, "excludes: [STB-HD]"),
        ("        max: 1\n", "", .invalidSubscription, "- id: ONE-SPORTS-PACK"),
        ("        max: 1\n", "        max: 0\n", .minAboveMax, "max: 0"),
        ("      - id: ONE-SPORTS-PACK\n", "      - id: PACKS-NEED-BASE\n", .duplicateID, "- id: PACKS-NEED-BASE\n        service: SPORTS-PACK\n        max"),
        ("frequencies: [monthly, quarterly]", "frequencies: [monthly, weekly]", .invalidValue, "frequencies: [monthly, weekly]"),
        ("frequencies: [monthly, quarterly]", "frequencies: [monthly, monthly]", .duplicateID, "frequencies: [monthly, monthly]"),
        ("bindingPeriods: [0, 12, 24]", "bindingPeriods: [0, -12, 24]", .invalidBillingTerms, "bindingPeriods: [0, -12"),
        ("pricePlans: [STANDARD-2026]\n", "pricePlans: []\n", .invalidBillingTerms, "pricePlans: []"),
        ("services: [INTERNET-OFFER, FIBER-200, FIBER-500, FIBER-1000, MODEM", "services: [NOPE, FIBER-200, FIBER-500, FIBER-1000, MODEM", .unknownReference, "services: [NOPE"),
        ("        resting: {maxDays: 60", "        frequencies: [annual]\n        resting: {maxDays: 60", .invalidBillingTerms, "frequencies: [annual]\n        resting"),
        ("        resting: {maxDays: 60", "        bindingPeriods: [36]\n        resting: {maxDays: 60", .invalidBillingTerms, "bindingPeriods: [36]"),
        ("resting: {maxDays: 60", "resting: {maxDays: 0", .invalidBillingTerms, "resting: {maxDays: 0"),
        ("maxUnsettledBillAgeDays: 30", "maxUnsettledBillAgeDays: -1", .invalidBillingTerms, "activation: {installedItemOnEachDistributor: true, maxUnsettledBillAgeDays: -1"),
        ("        activation: {installedItemOnEachDistributor: false}", "        activation: {installedItemOnEachDistributor: false}\n      - id: HOME-ANNUAL-2027\n        active: {start: 2026-06-01}",
         .overlappingPeriods, "active: {start: 2026-06-01}"),
        ("      - id: HOME-ANNUAL-2026\n", "      - id: HOME-MONTHLY-2026\n", .duplicateID, "- id: HOME-MONTHLY-2026\n        active: {start: 2026-01-01}\n        activation: {installedItemOnEachDistributor: false"),
    ])
    func integrity(original: String, replacement: String, code: CatalogProblem.Code, marker: String) throws {
        #expect(Self.demoText.contains(original), "\(original)")
        let text = Self.demoText.replacingOccurrences(of: original, with: replacement)
        let validation = CatalogFiles.validate(withSubscriptions(text))
        #expect(validation.catalog == nil)
        let match = try #require(validation.problems.first { $0.code == code }, "expected \(code), got \(validation.problems.map(\.description))")
        #expect(match.file == "subs.yaml")
        let before = try #require(text.range(of: marker), "marker \(marker)")
        #expect(match.line == text[..<before.lowerBound].filter { $0 == "\n" }.count + 1, "\(match)")
    }

    @Test("R-1.10: a rule held per distributor in a type that allows no distributor is refused at the rule")
    func perDistributorWithoutDistributors() throws {
        let text = Self.demoText.replacingOccurrences(of: "    distributors: [NETWORK, LOGISTICS]\n", with: "")
            .replacingOccurrences(of: "        service: FIBER-500\n", with: "        service: FIBER-500\n        perDistributor: true\n")
        let found = CatalogFiles.validate(withSubscriptions(text)).problems
        let match = try #require(found.first { $0.code == .invalidSubscription }, "\(found)")
        #expect(match.path == "subscriptionDefinitions[HOME-BROADBAND-2026].rules[ONE-ACCESS].perDistributor")
        // The line after the rule's `service: FIBER-500`.
        #expect(match.line == text[..<text.range(of: "service: FIBER-500\n        perDistributor")!.lowerBound].filter { $0 == "\n" }.count + 2)
    }

    @Test("R-1.10: a definition's restrictions and dependencies over what a subscription holds — per distributor, on the whole subscription, limits; only those about installed items when asked")
    func definitionRules() throws {
        let catalog = try #require(CatalogFiles.validate(DemoCatalog.files).catalog)
        let tv = try #require(catalog.subscriptionDefinition(of: "HOME-TV", on: Day("2026-12-01")!))
        let base = [SubscriptionHolding(.service, "TV-BASIC-PACK", on: "TV-PLATFORM")]
        #expect(tv.violations(of: base).isEmpty)
        // The UHD pack without a box, with the box on another distributor, with it on the same one.
        let uhd = SubscriptionHolding(.service, "UHD-PACK", on: "TV-PLATFORM")
        #expect(tv.violations(of: base + [uhd]).map(\.message) == ["The Ultra HD pack needs an HD set-top box on the same distributor (on TV-PLATFORM)"])
        let elsewhere = tv.violations(of: base + [uhd, SubscriptionHolding(.installedItem, "STB-HD", on: "LOGISTICS")])
        #expect(elsewhere.map(\.rule) == ["UHD-NEEDS-HD-BOX"] && elsewhere.first?.distributor == "TV-PLATFORM")
        #expect(tv.violations(of: base + [uhd, SubscriptionHolding(.installedItem, "STB-HD", on: "TV-PLATFORM")]).isEmpty)
        // A rule on the whole subscription: sports needs the essentials anywhere; one sports pack at most.
        let sports = SubscriptionHolding(.service, "SPORTS-PACK", on: "TV-PLATFORM")
        #expect(tv.violations(of: [sports]).map(\.rule) == ["PACKS-NEED-BASE"])
        #expect(tv.violations(of: [SubscriptionHolding(.service, "TV-BASIC-PACK", on: "LOGISTICS"), sports]).isEmpty)
        #expect(tv.violations(of: base + [sports, sports]).map(\.rule) == ["ONE-SPORTS-PACK"])
        // Limits: at least one service, at most three installed items.
        let boxes = Array(repeating: SubscriptionHolding(.installedItem, "STB-HD", on: "TV-PLATFORM"), count: 4)
        #expect(tv.violations(of: boxes).map(\.message) == ["Home TV rules 2026: at least 1 service, the subscription would hold 0",
                                                            "Home TV rules 2026: at most 3 installed items, the subscription would hold 4"])
        // Only the installed-item rules (R-12.3: what moving an item checks on its target).
        #expect(tv.violations(of: boxes + [uhd], about: [.installedItem]).map(\.rule) == [nil])
        let broadband = try #require(catalog.subscriptionDefinition(of: "HOME-BROADBAND", on: Day("2026-12-01")!))
        #expect(broadband.violations(of: [SubscriptionHolding(.service, "INTERNET-OFFER"), SubscriptionHolding(.installedItem, "ROUTER")],
                                     about: [.installedItem]).map(\.rule) == ["ROUTER-NEEDS-ACCESS"])
        #expect(broadband.violations(of: [SubscriptionHolding(.service, "FIBER-500"), SubscriptionHolding(.service, "DSL-20")]).map(\.rule) == ["ONE-ACCESS"])
    }

    @Test("R-1.10: what a subscription type allows — services, installed items, distributors and billing term schemes")
    func typeAllows() throws {
        let catalog = try #require(CatalogFiles.validate(DemoCatalog.files).catalog)
        let tv = try #require(catalog.subscriptionTypes.first { $0.id == "HOME-TV" })
        #expect(tv.disallowed([SubscriptionHolding(.service, "UHD-PACK", on: "TV-PLATFORM"), SubscriptionHolding(.installedItem, "STB-HD", on: "LOGISTICS")],
                              scheme: "HOME-MONTHLY").isEmpty)
        #expect(tv.disallowed([SubscriptionHolding(.installedItem, "ROUTER", on: "NETWORK")], scheme: "HOME-ANNUAL") == [
            "subscription type HOME-TV does not allow the billing term scheme HOME-ANNUAL",
            "subscription type HOME-TV does not allow the distributor NETWORK (ROUTER is on it)",
            "subscription type HOME-TV does not allow the installed item ROUTER",
        ])
        #expect(tv.disallowed([SubscriptionHolding(.service, "FIBER-500")]) == ["subscription type HOME-TV does not allow the service FIBER-500"])
    }

    @Test("R-1.13, R-1.10: diff names the subscription types, definitions and billing term schemes added, removed and changed, with their fields")
    func diff() throws {
        let a = try #require(CatalogFiles.validate(DemoCatalog.files).catalog)
        var b = a
        b.header.version = "2026.2"
        b.subscriptionTypes[0].services.removeAll { $0 == "MOVIES-PACK" }
        b.subscriptionDefinitions[0].activePeriod = Period(start: Day("2026-02-01"))
        b.billingTermSchemes.removeLast()
        b.subscriptionTypes[1].billingTermSchemes = ["HOME-MONTHLY"]
        b.billingTermSchemes.append(BillingTermScheme(id: "HOME-WEEKLY", name: "Weekly", frequencies: [.monthly], bindingPeriods: [0], pricePlans: ["P"],
                                                      services: ["FIBER-500"], definitions: [BillingTermDefinition(id: "W1")]))
        let entries = CatalogDiff(from: a, to: b).entries.map(\.description)
        #expect(entries == ["~ subscriptionType HOME-TV (services)", "~ subscriptionType HOME-BROADBAND (billingTermSchemes)",
                            "~ subscriptionDefinition HOME-TV-2026 (active)", "+ billingTermScheme HOME-WEEKLY", "- billingTermScheme HOME-ANNUAL"])
        #expect(CatalogIntegrity.problems(in: b).isEmpty)
    }
}
