import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
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
