import ConvergentDomain
import Foundation
import Testing

/// A new home contract whose configuration holds the given atomic offer under the internet offer.
func homeWith(_ atomic: ProductID) -> ConfigurationDocument.Contract {
    ConfigurationDocument.Contract(customer: "CUST-JANE", root: .init(id: "c", product: "HOME-CONTRACT", components: [
        .init(id: "bb", product: "BB-PLAY", components: [.init(id: "io", product: "INTERNET-OFFER", components: [.init(id: "a", product: atomic)])]),
    ]))
}

func holds(_ order: Order, catalog: CatalogIndex = demoIndex) -> Set<HoldCode> {
    Set(HoldRegistry.holds(for: HoldContext(order: order, catalog: catalog, today: today)).map(\.code))
}

@Suite("R-5 holds: each code raised and cleared")
struct HoldTests {
    @Test("R-5.2 MLBHC: raised when no line belongs to the sold-to customer, cleared by adding one")
    func mlbhc() throws {
        var o = try order(.convergent, related: ["CUST-ACME"])
        try o.addLine(product: "HOME-CONTRACT", owner: "CUST-ACME", catalog: demoIndex)
        #expect(holds(o).contains(.MLBHC))
        try o.addLine(product: "MOBILE-CONTRACT", owner: "CUST-JANE", catalog: demoIndex)
        #expect(!holds(o).contains(.MLBHC))
    }

    @Test("R-5.2 MLCTV: raised for a bundle not Valid, cleared once Valid with Warning or Valid")
    func mlctv() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        #expect(holds(o).contains(.MLCTV))
        try o.recordConfiguration(homeWith("FIBER-500"), status: .invalid, ofLine: 1)
        let hold = try #require(HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today)).first { $0.code == .MLCTV })
        #expect(hold.lines == [1])
        #expect(!hold.overridable)
        try o.recordConfiguration(homeWith("FIBER-500"), status: .validWithWarning, ofLine: 1)
        #expect(!holds(o).contains(.MLCTV))
        #expect(!holds(try order(.convergent)).contains(.MLCTV)) // SO and SM only
    }

    @Test("R-5.2 MLCTL: raised for a line whose product is a non-top-level component, cleared by removing it")
    func mlctl() throws {
        var o = try order(.simple)
        try o.addLine(product: "PREPAID-CONTRACT", catalog: demoIndex)
        // A later catalog makes the product a member of a bundle: the line now holds a non-top-level component.
        var changed = demoIndex.catalog
        let mobile = changed.products.firstIndex { $0.id == "MOBILE-CONTRACT" }!
        changed.products[mobile].components.append(PackageComponent(product: "PREPAID-CONTRACT", min: 0, max: 1))
        let later = CatalogIndex(changed)
        #expect(holds(o, catalog: later).contains(.MLCTL))
        try o.removeLine(1)
        #expect(!holds(o, catalog: later).contains(.MLCTL))
    }

    @Test("R-5.2 SELPER: raised for a past element, cleared by back-dating the product selling date")
    func selper() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWith("DSL-20"), status: .valid, ofLine: 1)
        #expect(holds(o).contains(.SELPER))
        try o.setProductSellingDate(Day("2025-06-01"))
        #expect(!holds(o).contains(.SELPER))
    }

    @Test("R-5.2 SELCON: raised for current and future elements together, overridable with who and why; cleared without future elements")
    func selcon() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWith("FIBER-1000"), status: .valid, ofLine: 1)
        let found = HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today))
        #expect(found.map(\.code) == [.SELCON])
        #expect(found[0].overridable)
        try o.recordHolds(found)
        #expect(o.status == .held)
        #expect(throws: HoldError.self) { try o.overrideHold(.SELCON, by: "admin", reason: " ", at: Date()) }
        try o.overrideHold(.SELCON, by: "admin", reason: "customer accepts waiting for Fibre 1000", at: Date(timeIntervalSince1970: 0))
        #expect(o.status == .draft)
        #expect(o.holds[0].overriddenBy == "admin")
        // Validating again keeps the override while the hold is still there.
        try o.recordHolds(HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today)))
        #expect(o.holds[0].overriddenBy == "admin")
        #expect(o.status == .draft)
        try o.recordConfiguration(homeWith("FIBER-500"), status: .valid, ofLine: 1)
        #expect(holds(o).isEmpty)
    }

    @Test("R-5.1: holds that are not overridable cannot be overridden; a held order returns to draft once clear")
    func overrideRules() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordHolds(HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today)))
        #expect(o.status == .held)
        do {
            try o.overrideHold(.MLCTV, by: "admin", reason: "please", at: Date())
            Issue.record("MLCTV was overridden")
        } catch {
            #expect((error as? HoldError)?.code == .holdNotOverridable)
        }
        #expect(throws: HoldError.self) { try o.overrideHold(.COV, by: "admin", reason: "x", at: Date()) }
        try o.recordConfiguration(homeWith("FIBER-500"), status: .valid, ofLine: 1)
        try o.recordHolds(HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today)))
        #expect(o.holds.isEmpty)
        #expect(o.status == .draft)
    }

    @Test("R-5.1: every registered hold names its capture types, message and resolution, one definition per code")
    func registry() {
        let codes = HoldRegistry.standard.map(\.code)
        #expect(Set(codes).count == codes.count)
        #expect(HoldRegistry.standard.allSatisfy { !$0.captureTypes.isEmpty && !$0.message.isEmpty && !$0.resolution.isEmpty })
        #expect(HoldRegistry.standard.filter(\.overridable).map(\.code) == [.SELCON])
    }
}
