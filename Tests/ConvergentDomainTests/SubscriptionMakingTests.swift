import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import Foundation
import Testing

@Suite("R-12.1 subscriptions made from installed contracts; R-2.3 prepaid wallets; R-12.7, R-16.3 what an action shows first")
struct SubscriptionMakingTests {
    typealias F = SubscriptionFixtures

    static let home = DemoInstalledBase.contracts.first { $0.id == "IC-HOME-1" }!
    static let accounts = DemoCustomers.billingAccounts.filter { $0.owner == "CUST-HOME" }
    static let monthly = Subscribe.Term(scheme: "HOME-MONTHLY", frequency: .monthly, bindingPeriod: 12, pricePlan: "STANDARD-2026")

    func make(_ request: Subscribe, contract: InstalledContract = home, accounts: [BillingAccount] = accounts, bills: [Bill] = [],
              catalog: Catalog = F.catalog) -> (Subscription?, [SubscriptionErrorCode]) {
        let (made, refusals) = request.subscription(from: contract, accounts: accounts, bills: bills, catalog: catalog, on: F.day)
        return (made, refusals.map(\.code))
    }

    @Test("R-12.1: the TV play of a home contract makes a subscription — offers and atomic offers are its services (packs in their bundle), devices its installed items, on the provisioning systems that serve them; Effective since the day it was installed")
    func tvPlay() throws {
        let (made, refusals) = make(Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", accountsReceivable: "BA-4002", billingTerm: Self.monthly))
        #expect(refusals == [])
        let tv = try #require(made)
        #expect(tv.id == "SUB-IC-HOME-1.8" && tv.contract == "IC-HOME-1" && tv.installedProduct == "IC-HOME-1.8" && tv.customer == "CUST-HOME")
        #expect(tv.services.map(\.id) == ["IC-HOME-1.9", "IC-HOME-1.10", "IC-HOME-1.13", "IC-HOME-1.14"])
        #expect(tv.services.map(\.product.rawValue) == ["TV-BASIC-OFFER", "TV-BASIC-PACK", "TV-FLEX-OFFER", "SPORTS-PACK"])
        #expect(tv.services.map(\.bundle) == [nil, "IC-HOME-1.9", nil, "IC-HOME-1.13"])
        #expect(tv.services.allSatisfy { $0.distributors == ["TV-PLATFORM"] && $0.lifecycle.state == .effective })
        #expect(tv.items.map(\.id) == ["IC-HOME-1.12"] && tv.items.first?.distributors == ["LOGISTICS", "TV-PLATFORM"])
        #expect(tv.distributors == ["LOGISTICS", "TV-PLATFORM"])
        #expect(tv.state == .effective && tv.lifecycle.history.map(\.state) == [.draft, .effective])
        #expect(tv.lifecycle.history.last?.on == Day("2026-02-02") && tv.lifecycle.history.last?.billEffectiveDate == Day("2026-02-02"))
        #expect(tv.billingTerm.bindingEnd == Day("2027-02-02") && tv.billingTerm.allowedCancel == Day("2027-02-02") && tv.billingTerm.effective)
        // The broadband play: its functional components are not services; the router is on the network and in logistics.
        let (bb, none) = make(Subscribe(installedProduct: "IC-HOME-1.1", type: "HOME-BROADBAND", billingTerm: Self.monthly))
        #expect(none == [] && bb?.accountsReceivable == "BA-4001", "absent, the accounts receivable is the one paying the play")
        #expect(bb?.services.map(\.product.rawValue) == ["INTERNET-OFFER", "FIBER-500", "MODEM-RENTAL"])
        #expect(bb?.items.first?.distributors == ["LOGISTICS", "NETWORK"])
    }

    @Test("R-12.1: made only from an installed contract or one of its plays, not disconnected", arguments: ["IC-HOME-1.9", "IC-HOME-1.99"])
    func scope(_ installedProduct: String) {
        let (made, refusals) = make(Subscribe(installedProduct: installedProduct, type: "HOME-TV", billingTerm: Self.monthly))
        #expect(made == nil && refusals == [.invalidScope])
        var gone = Self.home
        gone.root = gone.root.map { var c = $0; if c.id == "IC-HOME-1.8" { c.status = .disconnected }; return c }
        #expect(make(Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", billingTerm: Self.monthly), contract: gone).1 == [.invalidScope])
    }

    @Test("R-12.1, R-2.3: its accounts receivable is one of the customer's billing accounts, and active")
    func accountsReceivable() {
        let foreign = make(Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", accountsReceivable: "BA-2001", billingTerm: Self.monthly))
        #expect(foreign.0 == nil && foreign.1 == [.accountsReceivableNotOwned])
        let closed = Self.accounts.map { var a = $0; a.status = .closed; return a }
        #expect(make(Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", billingTerm: Self.monthly), accounts: closed).1 == [.accountsReceivableInactive])
    }

    @Test("R-1.10, R-1.11: the type must allow what the play holds, the scheme its term; every refusal is listed at once")
    func catalogRules() {
        // Broadband services and a router under the TV type; a quarterly 36-month term on an unknown price plan.
        let wrong = make(Subscribe(installedProduct: "IC-HOME-1.1", type: "HOME-TV", billingTerm: .init(scheme: "HOME-MONTHLY", frequency: .annual,
                                                                                                         bindingPeriod: 36, pricePlan: "GOLD")))
        #expect(wrong.0 == nil)
        #expect(Set(wrong.1) == [.notAllowedByType, .schemeViolated])
        #expect(wrong.1.filter { $0 == .schemeViolated }.count == 3, "frequency, binding period and price plan, each")
        #expect(make(Subscribe(installedProduct: "IC-HOME-1.8", type: "NO-SUCH-TYPE", billingTerm: Self.monthly)).1.contains(.notAllowedByType))
        #expect(make(Subscribe(installedProduct: "IC-HOME-1.1", type: "HOME-BROADBAND", billingTerm: .init(scheme: "HOME-ANNUAL", frequency: .annual,
                                                                                                          bindingPeriod: 12, pricePlan: "STANDARD-2026"))).1 == [],
                "HOME-BROADBAND allows the annual scheme")
    }

    @Test("R-12.1: the definition in force must hold — an Ultra HD pack without an HD box on its distributor is refused")
    func definition() {
        var contract = Self.home
        contract.root = contract.root.map { c in
            var copy = c
            if c.id == "IC-HOME-1.14" { copy.product = "UHD-PACK" }
            if c.id == "IC-HOME-1.12" { copy.status = .disconnected }
            return copy
        }
        let (made, refusals) = make(Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", billingTerm: Self.monthly), contract: contract)
        #expect(made == nil && refusals == [.definitionViolated])
    }

    @Test("R-1.11, R-12.1: an installed contract whose accounts receivable has a bill unsettled too long is made Not Effective, the reason in its history")
    func activationConditions() throws {
        let old = Bill(id: "B-1", accountsReceivable: "BA-4002", amount: 30, currency: "EUR", dueDate: F.day.adding(days: -31))
        let (made, refusals) = make(Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", accountsReceivable: "BA-4002", billingTerm: Self.monthly), bills: [old])
        #expect(refusals == [])
        let tv = try #require(made)
        #expect(tv.state == .notEffective && tv.lifecycle.history.last?.reason.contains("bill B-1 is unsettled 31 days") == true)
        let recent = Bill(id: "B-2", accountsReceivable: "BA-4002", amount: 30, currency: "EUR", dueDate: F.day.adding(days: -30))
        #expect(make(Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", accountsReceivable: "BA-4002", billingTerm: Self.monthly), bills: [recent]).0?.state == .effective)
    }

    @Test("R-2.3: a prepaid wallet is credited and debited by amounts above 0, never below 0, each movement recorded with the balance it leaves")
    func wallet() throws {
        var account = try #require(Self.accounts.first { $0.id == "BA-4002" })
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try account.move(wallet: .credit, amount: 10, currency: "EUR", reference: "PAY-1", at: now, by: "agent")
        try account.move(wallet: .debit, amount: 45, reference: "AMEND-1", at: now, by: "agent")
        #expect(account.balance == 5 && account.wallet?.map(\.balanceAfter) == [50, 5] && account.wallet?.map(\.kind) == [.credit, .debit])
        #expect(throws: PartyError(.insufficientBalance, "debiting 6 from a wallet holding 5", field: "amount")) {
            try account.move(wallet: .debit, amount: 6, reference: nil, at: now, by: "agent")
        }
        for amount: Decimal in [0, -1] {
            #expect((try? account.move(wallet: .credit, amount: amount, reference: nil, at: now, by: "agent")) == nil)
        }
        #expect(throws: PartyError.self) { try account.move(wallet: .credit, amount: 1, currency: "USD", reference: nil, at: now, by: "agent") }
        #expect(account.wallet?.count == 2 && account.balance == 5, "a refused movement changes nothing")
        var postpaid = try #require(Self.accounts.first { $0.id == "BA-4001" })
        #expect(throws: PartyError.self) { try postpaid.move(wallet: .credit, amount: 1, reference: nil, at: now, by: "agent") }
    }

    @Test("R-12.7, R-16.3: before an action — the unsettled bills, oldest first, and each action offered or not, saying why")
    func overview() throws {
        let tv = try #require(make(Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", accountsReceivable: "BA-4002", billingTerm: Self.monthly)).0)
        let bills = [Bill(id: "B-2", accountsReceivable: "BA-4002", amount: 20, currency: "EUR", dueDate: F.day),
                     Bill(id: "B-1", accountsReceivable: "BA-4002", amount: 10, currency: "EUR", dueDate: F.day.adding(days: -3)),
                     Bill(id: "B-0", accountsReceivable: "BA-4002", amount: 10, currency: "EUR", dueDate: F.day.adding(days: -9), settled: true)]
        let alone = SubscriptionOverview(tv, siblings: [], unsettledBills: bills, catalog: F.catalog, on: F.day)
        #expect(alone.unsettledBills.map(\.id) == ["B-1", "B-2"])
        let why = Dictionary(uniqueKeysWithValues: alone.actions.map { ($0.behaviourCode, $0.unavailable) })
        #expect(why["MOVEINSTITEMTOANOTHERSUBSCRIPTION"]??.message == "not offered: accounts receivable BA-4002 has no other subscription")
        #expect(why["AMENDBUNDLEDSERVICE"]! == nil && why["RESTSUBSCRIPTION"]! == nil)
        #expect(why["ENDSUBSCRIPTIONRESTING"]??.code == .stateNotAllowed)
        var sibling = tv
        sibling.id = "SUB-OTHER"
        let together = SubscriptionOverview(tv, siblings: [sibling], unsettledBills: [], catalog: F.catalog, on: F.day)
        #expect(together.actions.allSatisfy { $0.behaviourCode == "ENDSUBSCRIPTIONRESTING" || $0.unavailable == nil })
        #expect(together.actions.map(\.schedulable) == [false, true, true, true])
    }

    @Test("R-12.1: a subscription follows its installed contract — a pack disconnected is removed and Cancelled, one added joins Effective, the play suspended makes it and its services Not Effective, resumed Effective again unless its activation conditions fail; nothing changed, nothing to write")
    func followsContract() throws {
        let tv = try #require(make(Subscribe(installedProduct: "IC-HOME-1.8", type: "HOME-TV", accountsReceivable: "BA-4002", billingTerm: Self.monthly)).0)
        let day = F.day
        #expect(tv.following(Self.home, before: Self.home, catalog: F.catalog, on: day) == nil)
        // The sports pack disconnected, the movies pack added to the flexible bundle.
        var changed = Self.home
        changed.root = changed.root.map { c in
            var copy = c
            if c.id == "IC-HOME-1.14" { copy.status = .disconnected; copy.disconnectedOn = day }
            if c.id == "IC-HOME-1.13" {
                copy.components.append(InstalledProduct(id: "IC-HOME-1.16", product: "MOVIES-PACK", status: .active, installedOn: day))
            }
            return copy
        }
        let amended = try #require(tv.following(changed, before: Self.home, catalog: F.catalog, on: day))
        let sports = try #require(amended.services.first { $0.id == "IC-HOME-1.14" })
        #expect(sports.removedOn == day && sports.lifecycle.state == .cancelled)
        let movies = try #require(amended.services.first { $0.id == "IC-HOME-1.16" })
        #expect(movies.lifecycle.state == .effective && movies.bundle == "IC-HOME-1.13" && movies.distributors == ["TV-PLATFORM"])
        #expect(amended.state == .effective && amended.services.count == 5)
        // The TV play suspended, then resumed.
        func status(_ s: InstalledStatus, of contract: InstalledContract) -> InstalledContract {
            var copy = contract
            copy.root = copy.root.map { c in
                var p = c
                if p.id.hasPrefix("IC-HOME-1.8") || ["IC-HOME-1.9", "IC-HOME-1.10", "IC-HOME-1.11", "IC-HOME-1.12", "IC-HOME-1.13", "IC-HOME-1.14", "IC-HOME-1.15"].contains(p.id) { p.status = s }
                return p
            }
            return copy
        }
        let suspended = try #require(tv.following(status(.suspended, of: Self.home), before: Self.home, catalog: F.catalog, on: day))
        #expect(suspended.state == .notEffective && suspended.services.allSatisfy { $0.lifecycle.state == .notEffective })
        #expect(suspended.lifecycle.history.last?.billingDirectives == ["no recurring charge from \(day)"])
        let resumed = try #require(suspended.following(Self.home, before: status(.suspended, of: Self.home), catalog: F.catalog, on: day.adding(days: 3)))
        #expect(resumed.state == .effective && resumed.lifecycle.history.last?.billEffectiveDate == day.adding(days: 3))
        // Resumed while a bill of its accounts receivable is unsettled too long: it stays Not Effective (its services follow their status).
        let old = Bill(id: "B-9", accountsReceivable: "BA-4002", amount: 30, currency: "EUR", dueDate: day.adding(days: -40))
        let held = try #require(suspended.following(Self.home, before: status(.suspended, of: Self.home), catalog: F.catalog, bills: [old], on: day.adding(days: 3)))
        #expect(held.state == .notEffective && held.services.allSatisfy { $0.lifecycle.state == .effective })
        // Disconnected: Cancelled, every service removed.
        let gone = try #require(tv.following(status(.disconnected, of: Self.home), before: Self.home, catalog: F.catalog, on: day))
        #expect(gone.state == .cancelled && gone.services.allSatisfy { $0.removedOn == day && $0.lifecycle.state == .cancelled } && gone.items.isEmpty)
    }

    @Test("R-12.7: a bill as the billing system posts it — an amount of 0 or more, a currency of three capital letters, or the field at fault")
    func billRules() {
        func bill(_ amount: Decimal, _ currency: String) -> Bill { Bill(id: "B", accountsReceivable: "BA-4002", amount: amount, currency: currency, dueDate: F.day) }
        #expect(bill(0, "EUR").invalidity == nil && bill(27.5, "USD").invalidity == nil)
        #expect(bill(-1, "EUR").invalidity?.field == "amount")
        for currency in ["eur", "EU", "EURO", "E1R"] { #expect(bill(1, currency).invalidity?.field == "currency", "\(currency)") }
    }
}
