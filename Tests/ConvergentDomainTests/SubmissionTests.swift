import ConvergentDomain
import Testing

/// An installed contract holding just its root, for service lines.
func ic(_ id: String, _ product: ProductID, customer: String = "CUST-JANE") -> InstalledContract {
    InstalledContract(id: id, customer: customer, root: .init(id: id, product: product, status: .active))
}

func plan(_ order: Order) throws -> SubmissionPlan {
    try SubmissionPlan.plan(for: HoldContext(order: order, catalog: demoIndex, today: today))
}

@Suite("R-7.1, R-11.4 submission plans")
struct SubmissionTests {
    @Test("R-7.1: a convergent order with one new bundle and nothing installed becomes a simple order")
    func becomesSimple() throws {
        var o = try order(.convergent)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        #expect(try plan(o).shape == .becomes(.simple))
    }

    @Test("R-7.1: one installed contract and nothing new becomes a service-management order")
    func becomesServiceManagement() throws {
        var o = try order(.convergent)
        try o.addLine(product: "HOME-CONTRACT", action: .change, installed: ic("IC-1", "HOME-CONTRACT"), catalog: demoIndex)
        #expect(try plan(o).shape == .becomes(.serviceManagement))
    }

    @Test("R-7.1: otherwise a simple order per customer for new products and a service-management order per installed contract")
    func children() throws {
        var o = try order(.convergent, related: ["CUST-ACME"])
        try o.addLine(product: "HOME-CONTRACT", owner: "CUST-JANE", catalog: demoIndex)
        try o.addLine(product: "MOBILE-CONTRACT", owner: "CUST-JANE", catalog: demoIndex)
        try o.addLine(product: "BUSINESS-CONTRACT", owner: "CUST-ACME", catalog: demoIndex)
        try o.addLine(product: "HOME-CONTRACT", action: .disconnect, owner: "CUST-ACME", installed: ic("IC-9", "HOME-CONTRACT", customer: "CUST-ACME"), catalog: demoIndex)
        guard case let .children(drafts) = try plan(o).shape else {
            Issue.record("expected child orders")
            return
        }
        #expect(drafts.map(\.captureType) == [.simple, .simple, .serviceManagement])
        #expect(drafts.map(\.customer) == ["CUST-JANE", "CUST-ACME", "CUST-ACME"])
        #expect(drafts.map { $0.lines.map(\.number) } == [[1, 2], [3], [4]])
        let child = try Order.children(of: o, drafts: [drafts[1]], ids: ["COM000007"], catalog: demoIndex)[0]
        #expect(child.parentID == o.id)
        #expect(child.header.soldTo == "CUST-ACME")
        #expect(child.header.relatedCustomers.isEmpty)
        #expect(child.captureType == .simple)
    }

    @Test("R-11.4: the fulfill-by date is the latest selling-period start among future elements; none when all are current")
    func fulfillBy() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWith("FIBER-500"), status: .valid, ofLine: 1)
        #expect(try plan(o).fulfillBy == nil)
        var future = homeWith("FIBER-1000")
        future.root.components!.append(.init(id: "tv", product: "TV-PLAY", components: [.init(id: "flex", product: "TV-FLEX-OFFER", components: [.init(id: "uhd", product: "UHD-PACK")])]))
        try o.recordConfiguration(future, status: .valid, ofLine: 1)
        #expect(try plan(o).fulfillBy == Day("2027-03-01"))
    }

    @Test("R-11.4: a future-dated order is queued at submission; a blocking hold refuses it")
    func queue() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWith("FIBER-1000"), status: .valid, ofLine: 1)
        try o.recordHolds(HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today)))
        #expect(throws: OrderError.self) { try o.submit(plan: try plan(o), children: [], pricing: nil, today: today) } // SELCON
        try o.overrideHold(.SELCON, by: "admin", reason: "wait for fibre 1000", at: today.startDate)
        try o.submit(plan: try plan(o), children: [], pricing: nil, today: today)
        #expect(o.status == .queued)
        #expect(o.header.fulfillBy == Day("2027-01-01"))
        #expect(o.lines[0].status == .open)
        #expect(throws: OrderError.self) { try plan(try order(.quote)) }
    }
}

@Suite("R-3.7, R-11.5 conversions")
struct ConversionTests {
    @Test("R-3.7: simple and service-management orders convert to convergent before submission, keeping their id")
    func toConvergent() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.convertToConvergent()
        #expect(o.captureType == .convergent)
        #expect(o.id == "COM000001")
        var quote = try order(.quote)
        #expect(throws: OrderError.self) { try quote.convertToConvergent() }
        var submitted = try order(.simple)
        try submitted.move(to: .submitted)
        #expect(throws: OrderError.self) { try submitted.convertToConvergent() }
    }

    @Test("R-3.7, R-11.5: a quote converts with every product whatever its selling status, its dates and trial; fulfill-by recomputed")
    func quote() throws {
        var quote = try order(.quote)
        try quote.setProductSellingDate(Day("2026-11-22"))
        try quote.setTrialDays(21)
        try quote.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try quote.recordConfiguration(homeWith("DSL-20"), status: .valid, ofLine: 1) // past by now: still copied
        try quote.addLine(product: "MOBILE-CONTRACT", catalog: demoIndex)
        var withFuture = quote
        try withFuture.recordConfiguration(homeWith("FIBER-1000"), status: .valid, ofLine: 1)
        let plain = try Order.converted(from: quote, id: "COM000009", captureType: .simple, orderDate: today, catalog: demoIndex, today: today)
        #expect(plain.lines.map(\.product) == ["HOME-CONTRACT", "MOBILE-CONTRACT"])
        #expect(plain.lines[0].configuration == homeWith("DSL-20"))
        #expect(plain.lines[0].configurationStatus == .invalidated)
        #expect(plain.header.productSellingDate == Day("2026-11-22"))
        #expect(plain.header.trialDays == 21)
        #expect(plain.header.fulfillBy == nil) // nothing future
        #expect(plain.convertedFrom == quote.id)
        let future = try Order.converted(from: withFuture, id: "CO000009", captureType: .convergent, orderDate: today, catalog: demoIndex, today: today)
        #expect(future.header.fulfillBy == Day("2027-01-01"))
        #expect(throws: OrderError.self) { try Order.converted(from: plain, id: "X", captureType: .simple, orderDate: today, catalog: demoIndex, today: today) }
        try quote.markConverted(to: "COM000009")
        #expect(throws: OrderError.self) { try Order.converted(from: quote, id: "Y", captureType: .simple, orderDate: today, catalog: demoIndex, today: today) }
    }
}
