import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import Foundation
import Testing

/// The demo catalog with one more triggering rule: Fibre 500 also brings the 12-month mobile
/// commitment, so configuring it triggers two.
let twoCommitmentsIndex: CatalogIndex = {
    var catalog = demoIndex.catalog
    catalog.rules.append(ConfigurationRule(id: "TRG-EXTRA", kind: .commitmentTrigger(source: "FIBER-500", commitment: "COMMIT-12M-MOBILE"),
                                           message: "Fibre 500 may instead come with a 12-month commitment."))
    return CatalogIndex(catalog)
}()

func terms(_ rule: PenaltyRule?, amount: Decimal? = nil, percentage: Decimal? = nil, months: Int = 24) -> CommitmentTerms {
    CommitmentTerms(duration: months, unit: .months, penaltyAmount: amount, penaltyCurrency: amount == nil ? nil : "EUR", penaltyRule: rule,
                    penaltyPercentage: percentage)
}

@Suite("R-9 commitments: lines, penalties, the daily judgement")
struct CommitmentDomainTests {
    static let start = Day("2026-11-22")!
    static let end = Day("2028-11-22")!

    @Test("R-9.1: a bundle whose configuration triggers one commitment gets its commitment line after its last line, covering what the covering rule names; removing the trigger removes it")
    func oneCommitmentLine() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try o.recordConfiguration(homeWith("FIBER-500"), status: .valid, ofLine: 1)
        o.refreshCommitments(catalog: demoIndex)
        let line = try #require(o.commitmentLines.first)
        #expect(o.lines.map(\.number) == [1, 2])
        #expect(line.product == "COMMIT-24M")
        #expect(line.customer == "CUST-JANE")
        #expect(line.commitment == LineCommitment(commits: 1, triggeredBy: "a", covers: ["a"]))
        // Refreshing again changes nothing (no second line).
        #expect(o.refreshCommitments(catalog: demoIndex).isEmpty)
        #expect(o.lines.count == 2)
        // The agent cannot add nor remove a commitment line by hand.
        #expect(throws: OrderError.self) { try o.addLine(product: "COMMIT-24M", catalog: demoIndex) }
        #expect((try? o.removeLine(2)) == nil)
        // A configuration without the triggering product loses the commitment line.
        try o.recordConfiguration(homeWith("FIBER-1000"), status: .valid, ofLine: 1)
        o.refreshCommitments(catalog: demoIndex)
        #expect(o.commitmentLines.isEmpty)
        // Removing the bundle line takes its commitment line with it.
        try o.recordConfiguration(homeWith("FIBER-500"), status: .valid, ofLine: 1)
        o.refreshCommitments(catalog: demoIndex)
        #expect(o.commitmentLines.map(\.number) == [3])
        try o.removeLine(1)
        #expect(o.lines.isEmpty)
    }

    @Test("R-9.1, R-5.2 CMTCHO: several commitments triggered — the agent is asked, the order is held until one is chosen; a commitment not offered is refused")
    func severalCommitments() throws {
        var o = try order(.simple)
        try o.addLine(product: "HOME-CONTRACT", catalog: twoCommitmentsIndex)
        try o.recordConfiguration(homeWith("FIBER-500"), status: .valid, ofLine: 1)
        o.refreshCommitments(catalog: twoCommitmentsIndex)
        #expect(o.commitmentLines.isEmpty)
        #expect(try o.line(1).commitmentChoices == ["COMMIT-24M", "COMMIT-12M-MOBILE"])
        let hold = try #require(HoldRegistry.holds(for: HoldContext(order: o, catalog: twoCommitmentsIndex, today: today)).first { $0.code == .CMTCHO })
        #expect(hold.lines == [1])
        #expect(!hold.overridable)
        #expect(hold.details == ["line 1 triggers COMMIT-24M, COMMIT-12M-MOBILE"])
        #expect(throws: OrderError.self) { try o.chooseCommitment("COMMIT-36M", forLine: 1, catalog: twoCommitmentsIndex) }
        try o.chooseCommitment("COMMIT-12M-MOBILE", forLine: 1, catalog: twoCommitmentsIndex)
        #expect(try o.line(1).commitmentChoices == nil)
        #expect(o.commitmentLines.map(\.product) == ["COMMIT-12M-MOBILE"])
        #expect(o.commitmentLines.first?.commitment?.chosen == true)
        #expect(!holds(o, catalog: twoCommitmentsIndex).contains(.CMTCHO))
        // The choice survives the next save of the configuration.
        o.refreshCommitments(catalog: twoCommitmentsIndex)
        #expect(o.commitmentLines.map(\.product) == ["COMMIT-12M-MOBILE"])
        // With one commitment only, there is nothing to choose.
        var single = try order(.simple)
        try single.addLine(product: "HOME-CONTRACT", catalog: demoIndex)
        try single.recordConfiguration(homeWith("FIBER-500"), status: .valid, ofLine: 1)
        #expect(throws: OrderError.self) { try single.chooseCommitment("COMMIT-24M", forLine: 1, catalog: demoIndex) }
    }

    @Test("R-9, R-16.2: the penalty rules — fixed, remaining months × monthly fee, reducing to zero at the end, a percentage of the remaining months — priced on a day")
    func penaltyRules() {
        let day = Day("2027-11-22")! // twelve months in, twelve to go
        func price(_ t: CommitmentTerms, on d: Day = day, trial: Day? = nil) -> Penalty {
            CommitmentPenalty.price(t, start: Self.start, end: Self.end, monthlyFee: 45, feeCurrency: "EUR", on: d, trialEndsOn: trial)
        }
        #expect(price(terms(nil, amount: 120)).amount == 120)
        #expect(price(terms(.fixed, amount: 120)).amount == 120)
        #expect(price(terms(.remainingMonthsTimesMonthlyFee)).amount == 540)
        #expect(price(terms(.remainingMonthsTimesMonthlyFee)).remainingMonths == 12)
        // A month begun counts: one day into the thirteenth month from the end, 12 months remain; one day before, 13.
        #expect(price(terms(.remainingMonthsTimesMonthlyFee), on: Day("2027-11-21")!).remainingMonths == 13)
        // 366 of 731 days remain (2028 is a leap year).
        #expect(price(terms(.reducing, amount: 240)).amount == Decimal(string: "120.16"))
        #expect(price(terms(.reducing, amount: 240), on: Self.start).amount == 240)
        #expect(price(terms(.percentageOfRemaining, percentage: 50)).amount == 270)
        #expect(price(terms(.percentageOfRemaining, percentage: 50)).currency == "EUR")
        // Kept to the end: nothing; inside the trial: nothing, and said so.
        #expect(price(terms(.fixed, amount: 120), on: Self.end).amount == 0)
        let trial = price(terms(.fixed, amount: 120), on: Day("2026-11-30")!, trial: Day("2026-12-06")!)
        #expect(trial.amount == 0 && trial.insideTrial)
        #expect(price(terms(.fixed, amount: 120), on: Day("2026-12-07")!, trial: Day("2026-12-06")!).amount == 120)
    }

    @Test("R-9: commitment end dates — months keep the day of the month (the month's last day when shorter), days count days")
    func endDates() {
        #expect(Day("2027-01-31")!.adding(months: 1) == Day("2027-02-28")!)
        #expect(Day("2028-01-31")!.adding(months: 1) == Day("2028-02-29")!)
        #expect(Day("2026-11-22")!.adding(months: 24) == Day("2028-11-22")!)
        #expect(Day("2026-12-15")!.adding(months: -12) == Day("2025-12-15")!)
        #expect(terms(.fixed, amount: 1, months: 12).end(from: Day("2026-11-22")!) == Day("2027-11-22")!)
        #expect(CommitmentTerms(duration: 30, unit: .days, penaltyAmount: 1, penaltyCurrency: "EUR").end(from: Day("2026-11-22")!) == Day("2026-12-22")!)
    }

    func contract(trial: Day? = nil) -> CommitmentContract {
        CommitmentContract(id: "CC-1", customer: "CUST-JANE", product: "COMMIT-24M", terms: terms(.reducing, amount: 240), order: "COM1", line: 2,
                           triggeredBy: "IC-1.3", covers: [.init(installedProduct: "IC-1.3", installedContract: "IC-1", product: "FIBER-500"),
                                                           .init(installedProduct: "IC-1.7", installedContract: "IC-1", product: "TV-BASIC-PACK")],
                           startsOn: Self.start, trialEndsOn: trial, monthlyFee: 45, currency: "EUR")
    }

    @Test("R-9.3: the daily judgement — a covered product ended before the end date violates the commitment with the penalty of the day it ended; elapsed ones expire with their links inactive; final states never move; judging twice changes nothing twice")
    func dailyJudgement() throws {
        let c = contract()
        #expect(c.status == .active && c.endsOn == Self.end)
        #expect(c.judged(asOf: Day("2027-05-01")!, ended: [:]) == nil)
        // Ended after the day judged: not seen yet.
        #expect(c.judged(asOf: Day("2027-05-01")!, ended: ["IC-1.7": Day("2027-05-02")!]) == nil)
        let violated = try #require(c.judged(asOf: Day("2027-05-03")!, ended: ["IC-1.7": Day("2027-05-02")!]))
        #expect(violated.status == .violated)
        #expect(violated.brokenBy == "IC-1.7")
        #expect(violated.penalty == c.penalty(endingOn: Day("2027-05-02")!))
        #expect(violated.penalty?.amount == CommitmentPenalty.price(c.terms, start: c.startsOn, end: c.endsOn, monthlyFee: 45, feeCurrency: "EUR", on: Day("2027-05-02")!).amount)
        #expect(violated.history.map(\.status) == [.active, .violated])
        #expect(violated.judged(asOf: Day("2029-01-01")!, ended: [:]) == nil)
        let expired = try #require(c.judged(asOf: Self.end, ended: [:]))
        #expect(expired.status == .expired)
        #expect(expired.covers.allSatisfy { !$0.active })
        #expect(expired.judged(asOf: Day("2029-01-01")!, ended: ["IC-1.3": Day("2028-12-01")!]) == nil)
        // Ended on the end date itself: the commitment was kept.
        #expect(c.judged(asOf: Self.end, ended: ["IC-1.3": Self.end])?.status == .expired)
        #expect(CommitmentStatus.transitions[.violated]?.isEmpty == true)
        #expect(!CommitmentStatus.expired.canMove(to: .active))
    }

    @Test("R-6.3, R-9: a covered product leaving its contract by a migration did not end — the daily judgement passes it over; where it arrives, the coverage follows it (within the customer) or the commitment breaks with the day's penalty (across)")
    func migratingProducts() throws {
        var c = contract()
        c.leave("IC-1.7")
        #expect(c.covers.last?.leaving == true)
        #expect(c.judged(asOf: Day("2027-05-03")!, ended: ["IC-1.7": Day("2027-05-02")!]) == nil)
        var followed = c
        followed.follow("IC-1.7", to: "IC-2.4", in: "IC-2")
        #expect(followed.covers.last == CommitmentCoverage(installedProduct: "IC-2.4", installedContract: "IC-2", product: "TV-BASIC-PACK"))
        var broken = c
        try broken.breakByMigration(of: "IC-1.7", to: "CUST-ACME", on: Day("2027-05-02")!)
        #expect(broken.status == .violated && broken.brokenBy == "IC-1.7")
        #expect(broken.penalty == c.penalty(endingOn: Day("2027-05-02")!))
        #expect(broken.history.last?.reason.contains("migrated to another customer, CUST-ACME") == true)
        try broken.breakByMigration(of: "IC-1.3", to: "CUST-ACME", on: Day("2027-05-03")!)
        #expect(broken.history.count == 2, "a final commitment does not break twice")
        // The one rule fulfillment asks: by the new owner.
        var within = c, across = c
        #expect(try within.productMigrated("IC-1.7", to: "IC-2.4", in: "IC-2", owner: "CUST-JANE", on: Day("2027-05-02")!))
        #expect(within.covers.last?.installedProduct == "IC-2.4" && within.status == .active)
        #expect(try !across.productMigrated("IC-1.7", to: "IC-3.1", in: "IC-3", owner: "CUST-ACME", on: Day("2027-05-02")!))
        #expect(across.status == .violated)
    }

    @Test("R-9.4: a commitment's term and coverage change only while it is active — a new end after today, never the triggering product uncovered, never nothing covered — each change in its history")
    func termAndCoverage() throws {
        var c = contract()
        try c.changeTerm(endsOn: Day("2029-11-22")!, today: Day("2027-01-01")!, reason: "retention")
        #expect(c.endsOn == Day("2029-11-22")! && c.history.last?.reason == "extended from 2028-11-22 to 2029-11-22: retention")
        #expect(throws: CommitmentError.self) { try c.changeTerm(endsOn: Day("2027-01-01")!, today: Day("2027-01-01")!, reason: "") }
        #expect(throws: CommitmentError.self) { try c.changeCoverage(adding: [], removing: ["IC-1.3"], today: Day("2027-01-01")!, reason: "") }
        #expect(throws: CommitmentError.self) { try c.changeCoverage(adding: [], removing: ["IC-9"], today: Day("2027-01-01")!, reason: "") }
        try c.changeCoverage(adding: [], removing: ["IC-1.7"], today: Day("2027-01-01")!, reason: "")
        #expect(c.covers.map(\.active) == [true, false], "removed, its link kept inactive")
        let violated = try #require(c.judged(asOf: Day("2027-02-02")!, ended: ["IC-1.3": Day("2027-02-01")!]))
        var final = violated
        #expect(throws: CommitmentError.self) { try final.changeTerm(endsOn: Day("2030-01-01")!, today: Day("2027-03-01")!, reason: "") }
    }

    @Test("R-9.4: what a commitment may cover next — the customer's active installed products its covering rules name, not covered by it already (uncovered ones again); suspended, unnamed and other customers' products not")
    func coverCandidates() throws {
        var c = contract()
        try c.changeCoverage(adding: [], removing: ["IC-1.7"], today: Day("2027-01-01")!, reason: "")
        func product(_ id: String, _ product: ProductID, _ status: InstalledStatus = .active, owner: String? = nil) -> InstalledProduct {
            InstalledProduct(id: id, product: product, status: status, owner: owner)
        }
        let installed = InstalledContract(id: "IC-1", customer: "CUST-JANE", root: InstalledProduct(id: "IC-1", product: "HOME-CONTRACT", status: .active, components: [
            product("IC-1.3", "FIBER-500"), product("IC-1.7", "TV-BASIC-PACK"), product("IC-1.8", "TV-BASIC-PACK", .suspended),
            product("IC-1.9", "MOBILE-PLAY"), product("IC-1.10", "TV-BASIC-PACK", owner: "CUST-ACME"),
        ]))
        let found = c.coverable(among: ["IC-1.3", "IC-1.7", "IC-1.8", "IC-1.9", "IC-1.10", "IC-404.1"], installed: ["IC-1": installed],
                                coverable: ["FIBER-500", "TV-BASIC-PACK"])
        #expect(found == [CommitmentCoverage(installedProduct: "IC-1.7", installedContract: "IC-1", product: "TV-BASIC-PACK")])
    }

    @Test("R-10.2: service-management Change and Suspend/Change orders get the trial end date (completion + duration), as simple and convergent orders do; suspensions do not")
    func serviceManagementTrial() throws {
        for action in [LineAction.change, .suspendChange] {
            var o = try Order(id: "SM-\(action)", captureType: .serviceManagement, orderDate: today, header: OrderHeader(soldTo: "CUST-JANE", trialDays: 14))
            try o.addLine(product: "MOBILE-CONTRACT", action: action, installed: ic("IC-9", "MOBILE-CONTRACT"), catalog: demoIndex)
            try o.submit(plan: try plan(o), children: [], pricing: nil, today: today)
            try o.startFulfillment()
            try o.completeFulfillment(on: today)
            #expect(o.trialEndsOn == today.adding(days: 14), "\(action)")
        }
        var suspension = try Order(id: "SM-S", captureType: .serviceManagement, orderDate: today, header: OrderHeader(soldTo: "CUST-JANE", trialDays: 14))
        try suspension.addLine(product: "MOBILE-CONTRACT", action: .suspend, installed: ic("IC-9", "MOBILE-CONTRACT"), catalog: demoIndex)
        try suspension.submit(plan: try plan(suspension), children: [], pricing: nil, today: today)
        try suspension.startFulfillment()
        try suspension.completeFulfillment(on: today)
        #expect(suspension.trialEndsOn == nil)
    }

    @Test("R-6.3: service agreement products are checked in the catalog — terms on the agreement kind only, a type, products it may cover that exist and are neither commitments nor agreements")
    func agreementIntegrity() {
        func problems(_ product: Product) -> [String] {
            var catalog = demoIndex.catalog
            catalog.products.append(product)
            return CatalogIntegrity.problems(in: catalog).filter { $0.message.contains("AGR-X") }.map { "\($0.code.rawValue) \($0.path.split(separator: ".").last ?? "")" }
        }
        #expect(problems(Product(id: "AGR-X", name: "X", kind: .agreement)) == ["invalid-agreement agreement"])
        #expect(problems(Product(id: "AGR-X", name: "X", kind: .agreement, agreement: AgreementTerms(type: "sla", covers: ["COMMIT-24M", "NOPE"])))
                == ["invalid-agreement covers", "unknown-reference covers"])
        #expect(problems(Product(id: "AGR-X", name: "X", kind: .offer, agreement: AgreementTerms(type: "", covers: []))).sorted()
                == ["invalid-agreement agreement", "invalid-agreement covers", "invalid-agreement type"])
        #expect(problems(Product(id: "AGR-X", name: "X", kind: .agreement, agreement: AgreementTerms(type: "sla", covers: ["FIBER-500"]))).isEmpty)
    }

    @Test("R-5.2 AGRCOV: raised for a service agreement line covering nothing, cleared once it covers the customer's active products it may cover; another customer's refused")
    func agrcov() throws {
        var o = try order(.simple)
        try o.addLine(product: "CARE-PLUS", catalog: demoIndex)
        #expect(holds(o).contains(.AGRCOV))
        var home = ic("IC-9", "HOME-CONTRACT")
        home.root.components = [InstalledProduct(id: "IC-9.1", product: "FIBER-500", status: .active)]
        var acme = ic("IC-8", "HOME-CONTRACT", customer: "CUST-ACME")
        acme.root.components = [InstalledProduct(id: "IC-8.1", product: "FIBER-500", status: .active)]
        let installed = ["IC-9": home, "IC-8": acme]
        #expect(throws: OrderError.self) { try o.setAgreementCoverage(["IC-8.1"], ofLine: 1, installed: installed, catalog: demoIndex) }
        #expect(throws: OrderError.self) { try o.setAgreementCoverage(["IC-9"], ofLine: 1, installed: installed, catalog: demoIndex) }
        try o.setAgreementCoverage(["IC-9.1", "IC-9.1"], ofLine: 1, installed: installed, catalog: demoIndex)
        #expect(try o.line(1).agreement?.covers == ["IC-9.1"])
        #expect(!holds(o).contains(.AGRCOV))
    }

    @Test("R-10.4: inside the trial period ending a covered product is no violation — its link goes inactive; every covered product returned: Cancelled, no penalty")
    func trialReturns() throws {
        let c = contract(trial: Day("2026-12-06")!)
        let one = try #require(c.judged(asOf: Day("2026-12-02")!, ended: ["IC-1.7": Day("2026-12-01")!]))
        #expect(one.status == .active)
        #expect(one.covers.map(\.active) == [true, false])
        #expect(one.penalty == nil)
        let all = try #require(one.judged(asOf: Day("2026-12-05")!, ended: ["IC-1.7": Day("2026-12-01")!, "IC-1.3": Day("2026-12-04")!]))
        #expect(all.status == .cancelled)
        #expect(all.penalty == nil)
        // After the trial, the same end violates it.
        #expect(c.judged(asOf: Day("2026-12-08")!, ended: ["IC-1.3": Day("2026-12-07")!])?.status == .violated)
    }

    @Test("R-1.7: penalty rules are checked in the catalog — a reducing penalty states its amount, a percentage is above 0 and at most 100, an amount has its currency")
    func penaltyIntegrity() {
        func problems(_ t: CommitmentTerms) -> [String] {
            var catalog = demoIndex.catalog
            catalog.products.append(Product(id: "COMMIT-X", name: "X", kind: .commitment, commitment: t))
            return CatalogIntegrity.problems(in: catalog).filter { $0.message.contains("COMMIT-X") }.map { String($0.path.split(separator: ".").last ?? "") }
        }
        #expect(problems(terms(.reducing)) == ["amount"])
        #expect(problems(terms(.percentageOfRemaining, percentage: 150)) == ["percentage"])
        #expect(problems(terms(.percentageOfRemaining)) == ["percentage"])
        #expect(problems(CommitmentTerms(duration: 12, unit: .months, penaltyAmount: 10)) == ["currency"])
        #expect(problems(terms(.remainingMonthsTimesMonthlyFee)).isEmpty)
        #expect(problems(terms(.percentageOfRemaining, percentage: 25)).isEmpty)
    }
}
