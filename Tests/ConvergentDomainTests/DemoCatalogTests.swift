import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import Foundation
import Testing

@Suite("R-1.13 demo catalog")
struct DemoCatalogTests {
    @Test("R-1.13: the demo catalog passes every integrity check")
    func demoIsValid() throws {
        let result = CatalogFiles.validate(DemoCatalog.files)
        #expect(result.problems.map(\.description) == [])
        let catalog = try #require(result.catalog)
        #expect(catalog.header.version == "2026.1")
    }

    @Test("R-1.13: the demo exercises every rule kind, level and selling status")
    func demoCoversEverything() throws {
        let catalog = try #require(CatalogFiles.validate(DemoCatalog.files).catalog)
        #expect(Set(catalog.rules.map(\.kind.name)) == Set(RuleKind.allNames))
        #expect(catalog.products.filter { $0.kind == .contract }.count >= 3)
        for kind in ProductKind.allCases { #expect(catalog.products.contains { $0.kind == kind }, "no \(kind)") }
        let index = CatalogIndex(catalog)
        let day = Day("2026-11-22")!
        var statuses: Set<SellingStatus> = []
        var obsolete = false
        for (p, memberships) in index.memberships.enumerated() {
            for m in memberships {
                let info = index.sellingInfo(of: m.child, under: p, on: day)
                statuses.insert(info.status)
                if info.obsoleteSince != nil { obsolete = true }
            }
        }
        #expect(statuses == [.past, .current, .future])
        #expect(obsolete)
        #expect(catalog.products.contains { $0.billing?.splitBilling == true })
        #expect(catalog.products.contains { $0.commitment != nil })
        #expect(catalog.product("TV-FLEX-OFFER")?.components.count ?? 0 >= 3)
    }

    @Test("R-2.1: demo customers are a company paid by another, a person and an anonymous prepaid customer")
    func demoCustomers() throws {
        let customers = DemoCustomers.customers
        for customer in customers { try customer.validate() }
        let acme = try #require(customers.first { $0.id == "CUST-ACME" })
        #expect(acme.payers(on: Day("2026-11-22")!) == ["CUST-ACME-HOLDING"])
        #expect(customers.contains { $0.kind == .person && !$0.anonymous })
        #expect(customers.contains { $0.anonymous })
        for account in DemoCustomers.billingAccounts {
            try account.validate(owner: try #require(customers.first { $0.id == account.owner }))
        }
    }
}

@Suite("R-1.5, R-1.12 eligibility rules, plans and pools")
struct EligibilityDomainTests {
    static let catalog = try! #require(CatalogFiles.validate(DemoCatalog.files).catalog)

    @Test("R-1.5: one pure decision — every condition each rule fails, with its code, the rule and the remedy; no condition failed, eligible")
    func decide() throws {
        let rules = CatalogIntegrity.rules(["EL-RESIDENTIAL", "EL-BELGIUM"], in: Self.catalog)
        #expect(rules.count == 2)
        let acme = try #require(DemoCustomers.customers.first { $0.id == "CUST-ACME" })
        let home = try #require(DemoCustomers.customers.first { $0.id == "CUST-HOME" })
        #expect(EligibilityCheck.decide(rules, EligibilityFacts(customer: home, user: nil)).isEmpty)
        let refused = EligibilityCheck.decide(rules, EligibilityFacts(customer: acme, user: nil))
        #expect(refused.map(\.code) == ["ineligible-segment"] && refused[0].rule == "EL-RESIDENTIAL" && refused[0].remedy.contains("Business Fibre"))
        var abroad = home
        abroad.segment["country"] = "FR"
        #expect(EligibilityCheck.decide(rules, EligibilityFacts(customer: abroad, user: nil)).map(\.code) == ["ineligible-country"])
        let every = EligibilityRule(id: "ALL", name: "All", customerKinds: ["company"], segments: ["business"], countries: ["NL"],
                                    attributes: ["tier": ["gold"]], roles: ["administrator"], permission: "waive-fees")
        let agent = User(id: "a", name: "A", role: .agent)
        #expect(EligibilityCheck.decide([every], EligibilityFacts(customer: home, user: agent)).map(\.code)
                == ["ineligible-customer-kind", "ineligible-segment", "ineligible-country", "ineligible-attribute", "ineligible-role", "missing-permission"])
        var gold = acme
        gold.segment["tier"] = "gold"
        gold.segment["country"] = "NL"
        #expect(EligibilityCheck.decide([every], EligibilityFacts(customer: gold, user: User(id: "b", name: "B", role: .administrator))).isEmpty)
    }

    @Test("R-1.12: ranks classify a change; the pool decides by migration type and contract state (no row: free out of contract, refused in contract)")
    func poolDecisions() throws {
        let plans = Dictionary(uniqueKeysWithValues: Self.catalog.plans.map { ($0.id, $0) })
        let pool = try #require(Self.catalog.pools.first)
        let installed = Day("2026-02-02")!
        let down = PoolDecision.decide(from: plans["BB-FIBRE-500"]!, to: plans["BB-FIBRE-200"]!, pool: pool, installedOn: installed, today: Day("2026-12-03")!)
        #expect(down.migration == .downgrade && down.state == .inContract && down.fee?.amount == 120 && down.termEnds == Day("2028-02-02"))
        let up = PoolDecision.decide(from: plans["BB-FIBRE-500"]!, to: plans["BB-FIBRE-1000"]!, pool: pool, installedOn: installed, today: Day("2026-12-03")!)
        #expect(up.migration == .upgrade && up.discount?.amount == 20 && up.fee == nil)
        let later = PoolDecision.decide(from: plans["BB-FIBRE-500"]!, to: plans["BB-FIBRE-200"]!, pool: pool, installedOn: installed, today: Day("2028-02-02")!)
        #expect(later.state == .outOfContract && later.fee == nil && later.allowed)
        let strict = PackagePool(id: "P", name: "P", termMonths: 12, rows: [])
        let refused = PoolDecision.decide(from: plans["BB-FIBRE-500"]!, to: plans["BB-FIBRE-200"]!, pool: strict, installedOn: installed, today: Day("2026-12-03")!)
        #expect(!refused.allowed && refused.refusal?.code == "pool-refuses-migration")
        #expect(PlanChange.between(2, 2) == .crossgrade)
    }

    @Test("R-1.5, R-1.12: integrity — rule ids unique with a condition and known kinds, roles and permissions; references exist; ranks unique per service type; pool rows once each, money not negative with a currency, fee or discount")
    func integrity() throws {
        var catalog = Self.catalog
        catalog.eligibilityRules.append(EligibilityRule(id: "EL-RESIDENTIAL", name: "again", roles: ["wizard"], permission: "fly"))
        catalog.eligibilityRules.append(EligibilityRule(id: "EMPTY", name: "nothing"))
        catalog.plans.append(PackagePlan(id: "BB-X", name: "X", serviceType: "HOME-BROADBAND", rank: 2, product: "NOPE", pool: "NOPE", eligibleWhen: ["EL-NOPE"]))
        catalog.pools.append(PackagePool(id: "POOL-BAD", name: "bad", termMonths: 0, rows: [
            .init(migration: .upgrade, state: .inContract, fee: PoolAmount(amount: -1, currency: "euro"), discount: PoolAmount(amount: 1, currency: "EUR")),
            .init(migration: .upgrade, state: .inContract, allowed: false, fee: PoolAmount(amount: 1, currency: "EUR")),
        ]))
        let messages = CatalogIntegrity.problems(in: catalog).map { "\($0.code.rawValue) \($0.message)" }
        for expected in ["duplicate-id eligibility rule id 'EL-RESIDENTIAL'", "invalid-value names role 'wizard'", "invalid-value names permission 'fly'",
                         "missing-field eligibility rule 'EMPTY' has no condition", "duplicate-id plans 'BB-FIBRE-500' and 'BB-X' share rank 2",
                         "unknown-reference plan 'BB-X' names product 'NOPE'", "unknown-reference plan 'BB-X' names pool 'NOPE'",
                         "unknown-reference names eligibility rule 'EL-NOPE'", "invalid-value pool 'POOL-BAD': the term",
                         "duplicate-id pool 'POOL-BAD' has two rows for upgrade inContract", "invalid-price a pool row gives a fee or a discount, not both",
                         "invalid-price a row that allows no migration charges nothing", "invalid-price the fee is not negative", "invalid-price the fee's currency 'euro'"] {
            #expect(messages.contains { $0.hasPrefix(expected) }, "\(expected) — got \(messages)")
        }
        #expect(CatalogIntegrity.problems(in: Self.catalog).isEmpty)
    }

    @Test("R-1.13, R-1.12: the diff between versions names eligibility rules, plans and pools added, removed or changed, and a product's eligibility")
    func diff() {
        var changed = Self.catalog
        changed.header.version = "2026.2"
        changed.pools[0].rows[2].fee = PoolAmount(amount: 150, currency: "EUR")
        changed.plans.removeLast()
        changed.eligibilityRules.append(EligibilityRule(id: "EL-GOLD", name: "Gold", attributes: ["tier": ["gold"]]))
        changed.products[changed.products.firstIndex { $0.id == "FIBER-500" }!].eligibleWhen = ["EL-GOLD"]
        let entries = CatalogDiff(from: Self.catalog, to: changed).entries.map(\.description)
        #expect(entries == ["~ product FIBER-500 (eligibleWhen)", "+ eligibilityRule EL-GOLD", "- plan BB-FIBRE-1000", "~ pool POOL-24M (rows)"], "\(entries)")
    }
}

@Suite("R-13.2 plan migration blockers, as a pure decision")
struct PlanMigrationBlockerTests {
    static let contract = InstalledContract(id: "IC-P", customer: "C", installedOn: Day("2026-01-01"), root: InstalledProduct(
        id: "IC-P", product: "HOME-CONTRACT", status: .active, components: [
            InstalledProduct(id: "IC-P.1", product: "FIBER-500", status: .active, components: [InstalledProduct(id: "IC-P.2", product: "NET-ACCESS", status: .active)]),
        ]))
    static let attributed = Customer(id: "C", kind: .person, name: "C", attributedAgent: "alex")
    static let alex = User(id: "alex", name: "Alex", role: .agent)

    @Test("R-13.2: each blocker of seed 000 raised by its fact and cleared without it; all that apply listed at once, each with code and remedy")
    func everyBlocker() {
        func codes(_ facts: PlanMigrationRules.Facts) -> [String] { PlanMigrationRules.blockers(facts).map(\.code) }
        let clear = PlanMigrationRules.Facts(contract: Self.contract, instance: "IC-P.1", customer: Self.attributed, user: Self.alex)
        #expect(codes(clear).isEmpty)
        // Under the ownership change, the upgrade and provisioning: by the open orders.
        var facts = clear
        facts.openOrders = [.init(id: "CO1", status: .draft, changesOwnership: true)]
        #expect(codes(facts) == ["package-in-ownership-change"])
        facts.openOrders = [.init(id: "CO2", status: .held, changesOwnership: false)]
        #expect(codes(facts) == ["package-in-upgrade"])
        facts.openOrders = [.init(id: "CO3", status: .inFulfillment, changesOwnership: false)]
        #expect(codes(facts) == ["awaiting-provisioning"])
        facts.openOrders = []
        facts.openMigrations = ["PM-000007"]
        #expect(codes(facts) == ["package-in-migration"])
        // Not the attributed agent: refused unless acting for it.
        let other = User(id: "sam", name: "Sam", role: .agent)
        #expect(codes(.init(contract: Self.contract, instance: "IC-P.1", customer: Self.attributed, user: other)) == ["not-attributed-agent"])
        #expect(codes(.init(contract: Self.contract, instance: "IC-P.1", customer: Self.attributed, user: User(id: "sam", name: "Sam", role: .agent, actsFor: ["alex"]))).isEmpty)
        // A pre-active service: abort it first (the order to cancel offered); the package not active.
        var contract = Self.contract
        contract.lastOrder = "CO9"
        contract.root.components[0].status = .suspended
        contract.root.components[0].components[0].status = .pendingActivation
        let all = PlanMigrationRules.blockers(.init(contract: contract, instance: "IC-P.1", customer: Self.attributed, user: other, openMigrations: ["PM-1"],
                                                    openOrders: [.init(id: "CO1", status: .draft, changesOwnership: true)]))
        #expect(all.map(\.code) == ["package-not-active", "service-not-active", "package-in-migration", "package-in-ownership-change", "not-attributed-agent"])
        #expect(all[1].action == "open order CO9" && all[1].remedy.contains("wait for order CO9"))
        var inactive = Self.contract
        inactive.root.components[0].components[0].status = .inactive
        let abort = PlanMigrationRules.blockers(.init(contract: inactive, instance: "IC-P.1", customer: Self.attributed, user: Self.alex))
        #expect(abort.map(\.code) == ["service-not-active"] && abort[0].action == "disconnect IC-P.2", "pre-active: aborted first")
        #expect(all.allSatisfy { !$0.remedy.isEmpty })
        #expect(codes(.init(contract: Self.contract, instance: "IC-P.9", customer: nil, user: other)) == ["not-a-package-subscription"])
    }
}

@Suite("R-13.4 plan offers, as a pure decision")
struct PlanOfferTests {
    @Test("R-13.4: a plan is offered only within the service type, on sale, eligible, where the package's parent holds it, and as the pool allows; each refusal has its code")
    func offers() throws {
        var catalog = EligibilityDomainTests.catalog
        catalog.plans.append(PackagePlan(id: "BIZ-1G", name: "Business 1G", serviceType: "BUSINESS", rank: 1, product: "BIZ-FIBER"))
        catalog.plans.append(PackagePlan(id: "BB-BIZ", name: "Business fibre at home", serviceType: "HOME-BROADBAND", rank: 4, product: "BIZ-FIBER"))
        let index = CatalogIndex(catalog)
        let plans = Dictionary(uniqueKeysWithValues: catalog.plans.map { ($0.id, $0) })
        let home = try #require(DemoCustomers.customers.first { $0.id == "CUST-HOME" })
        func codes(_ plan: String, on day: String = "2026-12-03") -> [String] {
            PlanMigrationRules.offer(plans[plan]!, from: plans["BB-FIBRE-500"]!, installedOn: Day("2026-02-02")!, parentProduct: "INTERNET-OFFER",
                                     catalog: index, eligibility: EligibilityFacts(customer: home, user: nil), today: Day(day)!).reasons.map(\.code)
        }
        #expect(codes("BB-FIBRE-200").isEmpty)
        #expect(codes("BB-FIBRE-500") == ["same-plan"])
        #expect(codes("BB-FIBRE-1000") == ["plan-not-on-sale"] && codes("BB-FIBRE-1000", on: "2027-01-01").isEmpty)
        #expect(codes("BIZ-1G") == ["other-service-type", "plan-does-not-fit"], "no pool decision across service types")
        #expect(codes("BB-BIZ") == ["plan-does-not-fit"])
    }
}

@Suite("R-2.4 named permissions")
struct NamedPermissionTests {
    @Test("R-2.4: administrators hold every permission but none is granted to them; agents hold what was granted by name and acting for themselves and those they act for; a user stored before grants existed decodes with none and is written as before")
    func permissions() throws {
        let admin = User(id: "root", name: "Root", role: .administrator)
        let agent = User(id: "a", name: "A", role: .agent, actsFor: ["b"], granted: [.waiveFees])
        #expect([Permission.overrideHolds, .waiveFees, .manageCatalog, .manageUsers, .manageSetup, .actFor("x")].allSatisfy(admin.may))
        #expect(agent.may(.waiveFees) && agent.may(.actFor("a")) && agent.may(.actFor("b")))
        #expect(!agent.may(.overrideHolds) && !agent.may(.manageCatalog) && !agent.may(.actFor("c")) && !agent.may(.manageSetup))
        var inactive = agent
        inactive.active = false
        #expect(!inactive.may(.waiveFees) && !inactive.may(.readCatalog))
        #expect(agent.permissionNames == ["waive-fees", "act-for:b"])
        #expect(Permission.granting("manage-setup") == nil && Permission.granting("act-for:") == nil && Permission.granting("act-for:b")?.actsFor == "b")
        let old = try JSONDecoder().decode(User.self, from: Data(#"{"id": "o", "name": "Old", "role": "agent", "actsFor": [], "active": true}"#.utf8))
        #expect(old.granted.isEmpty)
        let written = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
        #expect(!written.contains("granted"))
    }
}
