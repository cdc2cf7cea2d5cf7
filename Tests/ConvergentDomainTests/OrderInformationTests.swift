import ConvergentDomain
import Foundation
import Testing

/// A home contract for Jane with fibre installed by a technician (one-time and recurring
/// charges) and TV with an HD set-top box (a device that ships).
func homeWithFibreAndBox(installation: String = "technician", box: Bool = true) -> ConfigurationDocument.Contract {
    ConfigurationDocument.Contract(customer: "CUST-JANE", root: .init(id: "L1", product: "HOME-CONTRACT", components: [
        .init(id: "bb", product: "BB-PLAY", components: [.init(id: "io", product: "INTERNET-OFFER", components: [
            .init(id: "fibre", product: "FIBER-500", attributes: ["installation": installation], components: [.init(id: "net", product: "NET-ACCESS")]),
        ])]),
        .init(id: "tv", product: "TV-PLAY", components: [.init(id: "tvo", product: "TV-BASIC-OFFER", components:
            [.init(id: "pack", product: "TV-BASIC-PACK")] + (box ? [.init(id: "box", product: "STB-HD", broughtBy: "pack")] : []))]),
    ]))
}

/// Everything the related-information holds ask for, for Jane.
func completeInformation() -> CustomerOrderInformation {
    let billing = BillingInformation(customer: "CUST-JANE", contact: "CT-1", address: "AD-1", paymentMethod: .creditCard,
                                     creditCard: CreditCard(last4: "4242", expires: "2028-01"))
    return CustomerOrderInformation(customer: "CUST-JANE", recurringBilling: billing, nonrecurringBilling: billing,
                                    shipping: ShippingInformation(customer: "CUST-JANE", contact: "CT-1", address: "AD-1", shipmentDate: Day("2026-11-25")),
                                    site: SiteInformation(address: "AD-1", contact: "CT-1"))
}

func informedOrder(configuration: ConfigurationDocument.Contract = homeWithFibreAndBox()) throws -> Order {
    var o = try order(.convergent)
    try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
    try o.recordConfiguration(configuration, status: .valid, ofLine: 1)
    try o.setInformation(completeInformation())
    try o.setSite(SiteInformation(address: "AD-1", contact: "CT-1"), ofLine: 1)
    return o
}

let relatedCodes: Set<HoldCode> = [.RADRBL, .RNBILC, .RNBILL, .RADRSH, .RNSHPC, .RNSHIP, .RNSITC, .RADRSI, .RCRCD, .RNOCC, .RNOSIT, .RPSITC, .RPSITE, .RSHPDT]

@Suite("R-3.2, R-5.2 related-information holds, per customer of a convergent order")
struct RelatedInformationHoldTests {
    @Test("R-5.2: with every piece of information given, no related-information hold")
    func complete() throws {
        #expect(holds(try informedOrder()).isDisjoint(with: relatedCodes))
    }

    /// Each row takes one piece of information away: exactly its hold is raised, on line 1, not
    /// overridable; putting it back clears it.
    @Test("R-5.2: each related-information hold is raised by its missing piece and cleared when it is given", arguments: [
        (HoldCode.RNBILL, "recurring bill-to customer"), (.RNBILC, "nonrecurring bill-to contact"), (.RADRBL, "recurring bill-to address"),
        (.RNOCC, "credit card"), (.RCRCD, "expired credit card"), (.RNSHIP, "ship-to customer"), (.RNSHPC, "ship-to contact"),
        (.RADRSH, "ship-to address"), (.RSHPDT, "shipment date"), (.RNOSIT, "site"), (.RADRSI, "site address"), (.RNSITC, "site contact"),
        (.RPSITE, "product site"), (.RPSITC, "product site contact"),
    ])
    func raisedAndCleared(code: HoldCode, missing: String) throws {
        var o = try informedOrder()
        var info = completeInformation()
        var lineSite: SiteInformation? = SiteInformation(address: "AD-1", contact: "CT-1")
        switch code {
        case .RNBILL: info.recurringBilling?.customer = nil
        case .RNBILC: info.nonrecurringBilling?.contact = nil
        case .RADRBL: info.recurringBilling?.address = nil
        case .RNOCC: info.recurringBilling?.creditCard = nil
        case .RCRCD: info.nonrecurringBilling?.creditCard?.expires = "2026-10"
        case .RNSHIP: info.shipping?.customer = nil
        case .RNSHPC: info.shipping?.contact = nil
        case .RADRSH: info.shipping?.address = nil
        case .RSHPDT: info.shipping?.shipmentDate = nil
        case .RNOSIT: info.site = nil
        case .RADRSI: info.site?.address = nil
        case .RNSITC: info.site?.contact = nil
        case .RPSITE: lineSite = nil
        case .RPSITC: lineSite?.contact = nil
        default: Issue.record("not a related-information code")
        }
        try o.setInformation(info)
        try o.setSite(lineSite, ofLine: 1)
        let found = HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today)).filter { relatedCodes.contains($0.code) }
        #expect(found.map(\.code) == [code], "missing \(missing)")
        #expect(found.first?.lines == [1])
        #expect(found.first?.overridable == false)
        try o.setInformation(completeInformation())
        try o.setSite(SiteInformation(address: "AD-1", contact: "CT-1"), ofLine: 1)
        #expect(holds(o).isDisjoint(with: relatedCodes))
    }

    @Test("R-5.2: shipping is asked for only when a device ships, a site only for a technician installation, billing only for charges")
    func onlyWhenNeeded() throws {
        var o = try informedOrder(configuration: homeWithFibreAndBox(installation: "self", box: false))
        try o.setInformation(CustomerOrderInformation(customer: "CUST-JANE", recurringBilling: completeInformation().recurringBilling,
                                                      nonrecurringBilling: completeInformation().nonrecurringBilling))
        try o.setSite(nil, ofLine: 1)
        #expect(holds(o).isDisjoint(with: relatedCodes))
        // A simple order is not checked for them (CO only).
        var simple = try order(.simple)
        try simple.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try simple.recordConfiguration(homeWithFibreAndBox(), status: .valid, ofLine: 1)
        #expect(holds(simple).isDisjoint(with: relatedCodes))
    }

    @Test("R-3.2: defaults come from the customer record and its payer")
    func defaults() throws {
        let acme = Customer(id: "A", kind: .company, name: "A", contacts: [.init(id: "CT-9", name: "X")],
                            addresses: [.init(id: "S", purpose: "site", line1: "1", city: "c", country: "BE")])
        let holding = Customer(id: "H", kind: .company, name: "H", contacts: [.init(id: "CT-1", name: "Y")],
                               addresses: [.init(id: "X", purpose: "office", line1: "1", city: "c", country: "BE"),
                                           .init(id: "B", purpose: "billing", line1: "2", city: "c", country: "BE")])
        let info = CustomerOrderInformation.defaults(for: acme, payer: holding, on: today)
        #expect(info.recurringBilling == BillingInformation(customer: "H", contact: "CT-1", address: "B", paymentMethod: .invoice))
        #expect(info.shipping == ShippingInformation(customer: "A", contact: "CT-9", address: "S"))
        #expect(info.site == SiteInformation(address: "S", contact: "CT-9"))
        var o = try order(.convergent)
        #expect(throws: OrderError.self) { try o.setInformation(CustomerOrderInformation(customer: "CUST-STRANGER")) }
    }

    @Test("R-3.2, R-2.2: a bill-to customer must pay for the customer; contacts and addresses belong to the customer they are given for")
    func references() throws {
        let holding = Customer(id: "H", kind: .company, name: "H", contacts: [.init(id: "CT-1", name: "Y")],
                               addresses: [.init(id: "B", purpose: "billing", line1: "2", city: "c", country: "BE")])
        let acme = Customer(id: "A", kind: .company, name: "A", contacts: [.init(id: "CT-9", name: "X")],
                            billTo: [.init(payer: "H", period: Period(start: Day("2026-01-01"), end: Day("2026-12-31")))])
        let customers = ["A": acme, "H": holding]
        let paid = CustomerOrderInformation(customer: "A", recurringBilling: BillingInformation(customer: "H", contact: "CT-1", address: "B"))
        try paid.validate(customers: customers, on: today)
        do {
            try paid.validate(customers: customers, on: Day("2027-01-05")!) // the relationship has ended
            Issue.record("an ended payer was accepted")
        } catch {
            #expect(error.code == .invalidInformation)
            #expect(error.field == "recurringBilling.customer")
        }
        let wrongContact = CustomerOrderInformation(customer: "A", recurringBilling: BillingInformation(customer: "H", contact: "CT-9"))
        #expect(throws: OrderError.self) { try wrongContact.validate(customers: customers, on: today) } // CT-9 is A's, not H's
        let site = CustomerOrderInformation(customer: "A", site: SiteInformation(contact: "CT-9"))
        try site.validate(customers: customers, on: today)
    }
}

@Suite("R-5.2 COV and obsolete/expired")
struct ConcurrencyAndRetirementHoldTests {
    @Test("R-5.2 COV: raised with the related orders when another submitted order services the same contract, cleared when none does")
    func cov() throws {
        var o = try order(.serviceManagement)
        try o.addLine(product: "MOBILE-CONTRACT", action: .suspend, installed: ic("IC-JANE-1", "MOBILE-CONTRACT"), catalog: demoIndex)
        let held = HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today, concurrentOrders: ["IC-JANE-1": ["SM000003"]]))
        let cov = try #require(held.first { $0.code == .COV })
        #expect(cov.relatedOrders == ["SM000003"])
        #expect(cov.lines == [1])
        #expect(!HoldRegistry.holds(for: HoldContext(order: o, catalog: demoIndex, today: today, concurrentOrders: ["IC-OTHER": ["SM000003"]])).contains { $0.code == .COV })
    }

    @Test("R-11.4 obsolete/expired: a queued order whose element was retired since is held on release; a replaced element clears it")
    func obsoleteOnRelease() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWith("FIBER-1000"), status: .valid, ofLine: 1)
        try o.submit(plan: try plan(o), children: [], pricing: nil, today: today)
        #expect(o.status == .queued)
        #expect(!holds(o).contains(.OBSOLETE))
        // The next catalog retires Fibre 1000 in the internet offer before the order's execution date.
        var changed = demoIndex.catalog
        let offer = changed.products.firstIndex { $0.id == "INTERNET-OFFER" }!
        let member = changed.products[offer].components.firstIndex { $0.product == "FIBER-1000" }!
        changed.products[offer].components[member].obsoleteDate = Day("2026-12-15")
        let retired = CatalogIndex(changed)
        let onRelease = HoldRegistry.holds(for: HoldContext(order: o, catalog: retired, today: Day("2027-01-01")!))
        #expect(onRelease.first { $0.code == .OBSOLETE }?.lines == [1])
        try o.recordConfiguration(homeWith("FIBER-500"), status: .valid, ofLine: 1)
        #expect(!HoldRegistry.holds(for: HoldContext(order: o, catalog: retired, today: Day("2027-01-01")!)).contains { $0.code == .OBSOLETE })
    }
}

@Suite("R-3.3, R-7.1 prices, adjustments and their copy to child orders")
struct PricingTests {
    @Test("R-3.3: a line's price is the catalog prices of its new components plus its manual adjustments; totals split new and service lines")
    func prices() throws {
        var o = try informedOrder()
        try o.addLine(product: "MOBILE-CONTRACT", action: .change, installed: ic("IC-JANE-1", "MOBILE-CONTRACT"), catalog: demoIndex)
        try o.addAdjustment(line: 1, type: .recurring, amount: -5, currency: "EUR", reason: "loyalty")
        try o.addAdjustment(line: nil, type: .oneTime, amount: -10, currency: "EUR", reason: "welcome")
        let pricing = Pricing.price(o, catalog: demoIndex)
        let line1 = try #require(pricing.lines.first { $0.line == 1 })
        // Fibre 500: 49 one-time + 39.9 a month; TV essentials pack; HD box 59 one-time.
        let pack = try #require(demoIndex.product("TV-BASIC-PACK")?.prices.first { $0.type == .recurring }?.amount)
        #expect(line1.totals == [PriceTotals(currency: "EUR", oneTime: 49 + 59, recurring: Decimal(string: "39.9")! + pack - 5)])
        #expect(pricing.serviceLines.isEmpty || pricing.serviceLines.allSatisfy { $0.oneTime == 0 && $0.recurring == 0 })
        #expect(pricing.newLines.first?.oneTime == Decimal(49 + 59))
        #expect(pricing.total.first?.oneTime == Decimal(49 + 59 - 10))
        #expect(throws: OrderError.self) { try o.addAdjustment(line: 9, type: .oneTime, amount: 1, currency: "EUR", reason: "x") }
        #expect(throws: PricingError.self) { try o.addAdjustment(line: nil, type: .oneTime, amount: 1, currency: "euro", reason: "x") }
        #expect(throws: PricingError.self) { try o.addAdjustment(line: nil, type: .oneTime, amount: 1, currency: "EUR", reason: " ") }
        try o.removeAdjustment("A2")
        #expect(o.adjustments.map(\.id) == ["A1"])
    }

    @Test("R-7.1: a header adjustment is spread in proportion to the children's totals, the remainder to the largest", arguments: [
        ("-10", ["100", "50", "50"], ["-5.00", "-2.50", "-2.50"]),
        ("-10", ["1", "1", "1"], ["-3.34", "-3.33", "-3.33"]),
        ("-10", ["10", "30", "0"], ["-2.50", "-7.50", "0"]),
        ("7", ["0", "0"], ["3.50", "3.50"]),
    ])
    func spread(amount: String, weights: [String], expected: [String]) {
        let shares = Pricing.spread(Decimal(string: amount)!, over: weights.map { Decimal(string: $0)! })
        #expect(shares == expected.map { Decimal(string: $0)! })
        #expect(shares.reduce(0, +) == Decimal(string: amount)!)
    }

    @Test("R-7.1: children get line adjustments with their line, shares of header adjustments, and shipping and billing for simple children only")
    func children() throws {
        var o = try order(.convergent, related: ["CUST-ACME"])
        try o.addLine(product: "HOME-CONTRACT", owner: "CUST-JANE", catalog: demoIndex)
        try o.recordConfiguration(homeWithFibreAndBox(), status: .valid, ofLine: 1)
        try o.addLine(product: "BUSINESS-CONTRACT", action: .change, installed: ic("IC-ACME-1", "BUSINESS-CONTRACT", customer: "CUST-ACME"), catalog: demoIndex)
        try o.setInformation(completeInformation())
        try o.addAdjustment(line: 1, type: .oneTime, amount: -20, currency: "EUR", reason: "install promo")
        try o.addAdjustment(line: nil, type: .recurring, amount: -3, currency: "EUR", reason: "bundle discount")
        guard case let .children(drafts) = try plan(o).shape else { Issue.record("expected children"); return }
        let kids = try Order.children(of: o, drafts: drafts, ids: ["COM000001", "SM000001"], catalog: demoIndex)
        #expect(kids.map(\.captureType) == [.simple, .serviceManagement])
        #expect(kids[0].adjustments.map(\.reason) == ["install promo", "bundle discount"])
        // The SM child adds nothing priced: the whole header adjustment goes to the simple child.
        #expect(kids[0].adjustments.last?.amount == -3)
        #expect(kids[0].adjustments.last?.shareOf == "A2")
        #expect(kids[1].adjustments.isEmpty)
        #expect(kids[0].header.customerInformation == [completeInformation()])
        #expect(kids[1].header.customerInformation == nil)
        #expect(kids[1].lines.map(\.installedContract) == ["IC-ACME-1"])
    }
}

@Suite("R-3.3 line relationships, R-3.5 clone, R-3.6 removal")
struct LineRelationshipTests {
    @Test("R-3.3: Child Of, Sells, Brings On Creation, Brings and Removes and Relies On come back from the configuration")
    func relationships() throws {
        var o = try order(.convergent)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        var tree = homeWithFibreAndBox()
        tree.root.components![0].components![0].components!.append(.init(id: "modem", product: "MODEM-RENTAL"))
        try o.recordConfiguration(tree, status: .valid, ofLine: 1)
        try o.recordLinks([.init(from: "tvs", to: "net")])
        let found = o.relationships(catalog: demoIndex, referenceDate: today)
        func has(_ kind: LineRelationship.Kind, _ from: String, _ to: String) -> Bool {
            found.contains { $0.kind == kind && $0.from == from && $0.to == to && $0.fromLine == 1 && $0.toLine == 1 }
        }
        #expect(has(.childOf, "bb", "L1"))
        #expect(has(.childOf, "fibre", "io"))
        #expect(has(.sells, "fibre", "net"))
        #expect(has(.bringsOnCreation, "fibre", "modem"))
        #expect(has(.bringsAndRemoves, "pack", "box"))
        #expect(!found.contains { $0.kind == .reliesOn }) // "tvs" is not a line item of the order
        try o.recordLinks([.init(from: "pack", to: "net")])
        #expect(o.relationships(catalog: demoIndex, referenceDate: today).contains { $0.kind == .reliesOn && $0.from == "pack" && $0.to == "net" })
    }

    @Test("R-3.5: a clone gets its own instance keys, so both lines can be configured in one session")
    func cloneKeys() throws {
        var o = try order(.convergent)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWithFibreAndBox(), status: .valid, ofLine: 1)
        let copy = try o.cloneLine(1)
        #expect(copy.configuration?.root.id == "L2")
        #expect(copy.configuration?.root.components?.first?.id == "bb-L2")
        let session = try ConfigurationSession.open(id: "S1", order: o, orderVersion: 1, productSellingDate: today)
        let configuration = try Configuration(document: session.document, catalog: demoIndex, today: today)
        #expect(configuration.document().contracts.count == 2)
        #expect(throws: OrderError.self) {
            var sm = try order(.convergent)
            try sm.addLine(product: "MOBILE-CONTRACT", action: .change, installed: ic("IC-JANE-1", "MOBILE-CONTRACT"), catalog: demoIndex)
            try sm.cloneLine(1)
        }
    }

    @Test("R-3.6: a contract with a relies-on link going out to another line cannot be removed")
    func removeLinkedOut() throws {
        var o = try order(.convergent)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWithFibreAndBox(), status: .valid, ofLine: 1)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWithFibreAndBox().rekeyed(root: "L2", suffix: "-2"), status: .valid, ofLine: 2)
        try o.recordLinks([.init(from: "pack-2", to: "net")])
        do {
            try o.removeLine(2)
            Issue.record("a linked line was removed")
        } catch {
            #expect(error.code == .linkedOut)
        }
        try o.recordLinks([])
        try o.removeLine(2)
        #expect(o.lines.count == 1)
    }
}

@Suite("R-10 trial periods, R-3.1 bulk orders")
struct TrialAndBulkTests {
    @Test("R-10.1: the default comes from the source and sub-source; it can be raised, never lowered")
    func trialDefaults() throws {
        let setup = TrialSetup.demo
        #expect(setup.defaultDays(source: "web", subSource: nil) == 14)
        #expect(setup.defaultDays(source: "shop", subSource: "partner") == 7)
        #expect(setup.defaultDays(source: "shop", subSource: nil) == nil)
        #expect(setup.defaultDays(source: "doorstep", subSource: "fair") == 30)
        #expect(try setup.trialDays(requested: nil, source: "web", subSource: nil) == 14)
        #expect(try setup.trialDays(requested: 21, source: "web", subSource: nil) == 21)
        #expect(throws: OrderError.self) { try setup.trialDays(requested: 10, source: "web", subSource: nil) }
        #expect(TrialSetup(enabled: false, defaults: setup.defaults).defaultDays(source: "web", subSource: nil) == nil)
        #expect(throws: SetupError.self) { try TrialSetup(defaults: [.init(source: "web", days: 1), .init(source: "web", days: 2)]).validate() }
        #expect(throws: SetupError.self) { try TrialSetup(defaults: [.init(source: "web", days: -1)]).validate() }
    }

    @Test("R-3.1, R-10.3: a bulk order generates one simple child per row, each with the template lines and the parent's trial duration")
    func bulk() throws {
        var o = try Order(id: "BO000001", captureType: .bulk, orderDate: today, header: OrderHeader(soldTo: "CUST-ACME", trialDays: 30))
        try o.addLine(product: "MOBILE-CONTRACT", catalog: demoIndex)
        #expect(throws: OrderError.self) { try plan(o) } // no rows yet
        try o.addBulkRow(customer: "CUST-JANE", contact: "CT-1", installedContract: nil)
        try o.addBulkRow(customer: "CUST-ACME", contact: nil, installedContract: nil)
        #expect(throws: OrderError.self) { try o.addBulkRow(customer: "CUST-JANE", contact: nil, installedContract: "IC-JANE-1") }
        guard case let .children(drafts) = try plan(o).shape else { Issue.record("expected children"); return }
        let kids = try Order.children(of: o, drafts: drafts, ids: ["COM000001", "COM000002"], catalog: demoIndex)
        #expect(kids.map(\.header.soldTo) == ["CUST-JANE", "CUST-ACME"])
        #expect(kids.map(\.header.trialDays) == [30, 30])
        #expect(kids[0].header.contact == "CT-1")
        #expect(kids.allSatisfy { $0.captureType == .simple && $0.lines.map(\.product) == ["MOBILE-CONTRACT"] })
        #expect(kids[0].lines[0].customer == "CUST-JANE")
        try o.removeBulkRow(2)
        #expect(o.bulkRows.map(\.number) == [1])
    }

    @Test("R-3.1: a bulk service-management order generates one service-management child per row's installed contract")
    func bulkServiceManagement() throws {
        var o = try Order(id: "BSM000001", captureType: .bulkServiceManagement, orderDate: today, header: OrderHeader(soldTo: "CUST-JANE"))
        #expect(throws: OrderError.self) { try o.addLine(product: "MOBILE-CONTRACT", catalog: demoIndex) } // action add
        try o.addLine(product: "MOBILE-CONTRACT", action: .suspend, catalog: demoIndex)
        #expect(throws: OrderError.self) { try o.addBulkRow(customer: "CUST-JANE", contact: nil, installedContract: nil) }
        try o.addBulkRow(customer: "CUST-JANE", contact: nil, installedContract: "IC-JANE-1")
        #expect(throws: OrderError.self) { try o.addBulkRow(customer: "CUST-JANE", contact: nil, installedContract: "IC-JANE-1") }
        guard case let .children(drafts) = try plan(o).shape else { Issue.record("expected children"); return }
        #expect(drafts.map(\.captureType) == [.serviceManagement])
        #expect(drafts[0].lines.map(\.installedContract) == ["IC-JANE-1"])
        #expect(drafts[0].lines.map(\.action) == [.suspend])
    }
}

@Suite("R-7.3 fulfillment: what each line action does to the installed base")
struct FulfillmentTests {
    static let installed = InstalledContract(id: "IC-9", customer: "CUST-JANE", root: .init(id: "IC-9", product: "MOBILE-CONTRACT", status: .active, components: [
        .init(id: "IC-9.1", product: "MOBILE-PLAY", status: .active, components: [.init(id: "IC-9.2", product: "MOBILE-LINE-OFFER", status: .active, components: [
            .init(id: "IC-9.3", product: "MOBILE-VOICE-DATA", status: .active),
        ])]),
    ]))

    func statuses(_ c: InstalledContract) -> [String: InstalledStatus] {
        Dictionary(uniqueKeysWithValues: c.root.all.map { ($0.id, $0.status) })
    }

    func line(_ action: LineAction, configuration: ConfigurationDocument.Contract? = nil) throws -> OrderLine {
        var o = try Order(id: "SM1", captureType: .serviceManagement, orderDate: today, header: OrderHeader(soldTo: "CUST-JANE"))
        try o.addLine(product: "MOBILE-CONTRACT", action: action, installed: Self.installed, catalog: demoIndex)
        if let configuration { try o.recordConfiguration(configuration, status: .valid, ofLine: 1) }
        return o.lines[0]
    }

    @Test("R-7.3: suspend, resume and disconnect go pending, then final", arguments: [
        (LineAction.suspend, InstalledStatus.pendingSuspension, InstalledStatus.suspended),
        (.resume, .pendingResumption, .active), (.disconnect, .pendingDisconnection, .disconnected),
    ])
    func wholeContract(action: LineAction, pending: InstalledStatus, final: InstalledStatus) throws {
        var keys: [String: String] = [:]
        let marked = try #require(Fulfillment.pending(line: try line(action), order: "SM1", existing: Self.installed, on: today, keys: &keys))
        #expect(Set(statuses(marked).values) == [pending])
        #expect(marked.status == pending)
        let settled = Fulfillment.provisioned(marked, on: today)
        #expect(Set(statuses(settled).values) == [final])
        #expect(settled.root.disconnectedOn == (final == .disconnected ? today : nil))
        #expect(settled.status == final)
    }

    @Test("R-7.3: a change installs new components Pending Activation and disconnects removed ones; a new line creates its contract")
    func changeAndNew() throws {
        var tree = Self.installed.configuration
        tree.root.components![0].components![0].components![0].removed = true
        tree.root.components![0].components!.append(.init(id: "new-1", product: "DATA-BOOST-OFFER", components: [.init(id: "new-2", product: "DATA-10GB")]))
        var keys: [String: String] = [:]
        let changed = try #require(Fulfillment.pending(line: try line(.change, configuration: tree), order: "SM1", existing: Self.installed, on: today, keys: &keys))
        #expect(keys == ["new-1": "IC-9.4", "new-2": "IC-9.5"])
        #expect(statuses(changed)["IC-9.3"] == .pendingDisconnection)
        #expect(statuses(changed)["IC-9.4"] == .pendingActivation)
        #expect(statuses(changed)["IC-9.5"] == .pendingActivation)
        #expect(statuses(changed)["IC-9.1"] == .active)
        let provisioned = Fulfillment.provisioned(changed, on: today.adding(days: 1), billingAccount: "BA-1")
        let settled = statuses(provisioned)
        #expect(settled["IC-9.3"] == .disconnected && settled["IC-9.5"] == .active)
        #expect(provisioned.product("IC-9.3")?.component.disconnectedOn == today.adding(days: 1))
        #expect(provisioned.product("IC-9.5")?.component.installedOn == today.adding(days: 1))
        #expect(provisioned.product("IC-9.5")?.parent == "IC-9.4")
        #expect(provisioned.product("IC-9.5")?.component.owner == "CUST-JANE")
        #expect(provisioned.product("IC-9.5")?.component.billingAccount == "BA-1")

        var simple = try order(.simple)
        try simple.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try simple.recordConfiguration(homeWithFibreAndBox(), status: .valid, ofLine: 1)
        let created = try #require(Fulfillment.pending(line: simple.lines[0], order: "COM7", existing: nil, on: today, keys: &keys))
        #expect(created.id == "IC-COM7-1")
        #expect(created.installedOn == nil)
        #expect(Fulfillment.provisioned(created, on: today).installedOn == today)
        #expect(Set(statuses(created).values) == [.pendingActivation])
        #expect(created.root.all.map(\.id).contains("IC-COM7-1.1"))
    }

    @Test("R-7.6: an installed product always has its status; stored as before (installedStatus, no empty components), and a product without one is refused")
    func installedProductModel() throws {
        let encoded = String(decoding: try JSONEncoder().encode(Self.installed.root.components[0].components[0].components[0]), as: UTF8.self)
        #expect(encoded.contains("\"installedStatus\":\"active\"") && !encoded.contains("components") && !encoded.contains("\"status\""))
        #expect(try JSONDecoder().decode(InstalledProduct.self, from: Data(encoded.utf8)) == Self.installed.root.components[0].components[0].components[0])
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(InstalledProduct.self, from: Data(#"{"id":"IC-9.3","product":"MOBILE-VOICE-DATA"}"#.utf8)) }
        // A configuration starts from the tree with statuses and attributes only; what only installed
        // products carry stays in the installed base, and a change keeps it.
        var migrated = Self.installed
        migrated.root.components[0].migratedFrom = "IC-1.4"
        migrated.root.components[0].owner = "CUST-JANE"
        #expect(migrated.configuration.root.components?[0] == .init(id: "IC-9.1", product: "MOBILE-PLAY", installedStatus: .active,
                                                                     components: migrated.configuration.root.components?[0].components))
        var o = try Order(id: "SM2", captureType: .serviceManagement, orderDate: today, header: OrderHeader(soldTo: "CUST-JANE"))
        try o.addLine(product: "MOBILE-CONTRACT", action: .change, installed: migrated, catalog: demoIndex)
        try o.recordConfiguration(migrated.configuration, status: .valid, ofLine: 1)
        var keys: [String: String] = [:]
        let changed = try #require(Fulfillment.pending(line: o.lines[0], order: "SM2", existing: migrated, on: today, keys: &keys))
        #expect(changed.root.components[0].migratedFrom == "IC-1.4" && changed.root.components[0].owner == "CUST-JANE")
    }

    @Test("R-7.3: a parent completes with its last child and lists its children completed; COV leaves out the order's own parent and children")
    func parentCompletion() throws {
        var parent = try order(.convergent, related: ["CUST-ACME"])
        try parent.addLine(product: "HOME-CONTRACT", owner: "CUST-JANE", catalog: demoIndex)
        try parent.addLine(product: "MOBILE-CONTRACT", owner: "CUST-ACME", catalog: demoIndex)
        guard case let .children(drafts) = try plan(parent).shape else { Issue.record("expected children"); return }
        let kids = try Order.children(of: parent, drafts: drafts, ids: ["COM1", "COM2"], catalog: demoIndex)
        try parent.submit(plan: try plan(parent), children: kids.map { ChildOrderRef(id: $0.id, captureType: $0.captureType, customer: $0.header.soldTo, lines: [], products: []) },
                          pricing: nil, today: today)
        try parent.childrenProgressed(["COM1": .completed, "COM2": .inFulfillment], on: today)
        #expect(parent.status == .submitted)
        // Issue 11 item 6: the parent lists its children with their statuses as it last read them.
        #expect(parent.children.map(\.status) == [.completed, .inFulfillment])
        try parent.childrenProgressed(["COM2": .completed], on: today)
        #expect(parent.status == .completed)
        #expect(parent.children.map(\.status) == [.completed, .completed])
        #expect(parent.trialEndsOn == nil)
        #expect(!kids[0].competes(with: parent))
        #expect(!parent.competes(with: kids[0]))
        #expect(!kids[0].competes(with: kids[0]))
        #expect(kids[0].competes(with: kids[1]))
    }

    @Test("R-10.2: completion sets the trial end date for simple, convergent and change orders, not for suspensions")
    func trialEnd() throws {
        var o = try Order(id: "SM1", captureType: .serviceManagement, orderDate: today, header: OrderHeader(soldTo: "CUST-JANE", trialDays: 14))
        try o.addLine(product: "MOBILE-CONTRACT", action: .suspend, installed: ic("IC-9", "MOBILE-CONTRACT"), catalog: demoIndex)
        try o.submit(plan: try plan(o), children: [], pricing: nil, today: today)
        try o.startFulfillment()
        try o.completeFulfillment(on: today)
        #expect(o.status == .completed)
        #expect(o.completedOn == today)
        #expect(o.trialEndsOn == nil)
        var s = try Order(id: "COM1", captureType: .simple, orderDate: today, header: OrderHeader(soldTo: "CUST-JANE", trialDays: 14))
        try s.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try s.recordConfiguration(homeWithFibreAndBox(), status: .valid, ofLine: 1)
        try s.submit(plan: try plan(s), children: [], pricing: nil, today: today)
        try s.completeFulfillment(on: today)
        #expect(s.trialEndsOn == today.adding(days: 14))
        #expect(s.lines.allSatisfy { $0.status == .completed })
    }
}
