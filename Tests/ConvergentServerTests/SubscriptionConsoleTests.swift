import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("R-12.1, R-12.7, R-16.3, R-2.3 subscriptions, bills and wallets in the console")
struct SubscriptionConsoleTests {
    @Test("R-12.1, R-12.7, R-16.3: a customer's subscriptions; a subscription's page shows its services, installed items, unsettled bills and each action offered or why not; a billing account's bills and wallet, credited by an agent (refusals on the page)")
    func pages() async throws {
        let app = try await TestApp.make()
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            _ = try await client.call(.put, "/api/v1/bills/INV-1", json: #"{"accountsReceivable": "BA-4002", "amount": 27.5, "currency": "EUR", "dueDate": "2026-11-01"}"#)
            let session = try await ConsoleSession.signIn(client, token: agent)
            let customer = try await client.page(.get, "/customers/CUST-HOME", cookie: session.cookie).text
            #expect(customer.contains(#"<a href="/subscriptions/SUB-IC-HOME-1.8">SUB-IC-HOME-1.8</a>"#) && customer.contains(#"<a href="/billing-accounts/BA-4002">BA-4002</a>"#))
            #expect(customer.contains(#"<option value="HOME-TV">HOME-TV</option>"#) && accessibilityProblems(customer) == [])
            let tv = try await client.page(.get, "/subscriptions/SUB-IC-HOME-1.8", cookie: session.cookie)
            #expect(tv.status == .ok && accessibilityProblems(tv.text) == [])
            #expect(tv.text.contains("not offered: accounts receivable BA-4002 has no other subscription") && tv.text.contains("<code>action-not-offered</code>"))
            #expect(tv.text.contains(#"<a href="/installed-products/IC-HOME-1.14">IC-HOME-1.14</a></td><td>SPORTS-PACK</td>"#))
            #expect(tv.text.contains("<td>INV-1</td><td>27.5 EUR</td><td>2026-11-01</td>") && tv.text.contains("12 months, to 2027-02-02"))
            #expect(try await client.page(.get, "/subscriptions/SUB-NONE", cookie: session.cookie).status == .notFound)
            #expect(try await client.page(.get, "/customers/CUST-HOME/subscriptions", cookie: session.cookie).text.contains("SUB-IC-HOME-1.1"))

            let account = try await client.page(.get, "/billing-accounts/BA-4002", cookie: session.cookie)
            #expect(account.text.contains("wallet balance 40 EUR") && account.text.contains("unsettled") && accessibilityProblems(account.text) == [])
            let credited = try await client.page(.post, "/billing-accounts/BA-4002/wallet", cookie: session.cookie, form: "_csrf=\(session.csrf)&amount=12.5&reference=PAY-9")
            #expect(credited.status == .seeOther)
            let after = try await client.page(.get, "/billing-accounts/BA-4002", cookie: session.cookie).text
            #expect(after.contains("wallet balance 52.5 EUR") && after.contains("<td>credit</td><td>12.5</td><td>52.5</td><td>PAY-9</td><td>agent</td>"))
            let refused = try await client.page(.post, "/billing-accounts/BA-4002/wallet", cookie: session.cookie, form: "_csrf=\(session.csrf)&amount=-3")
            #expect(refused.status == .unprocessableContent && refused.text.contains("invalid-wallet-amount") && refused.text.contains("wallet balance 52.5 EUR"))
            let postpaid = try await client.page(.get, "/billing-accounts/BA-4001", cookie: session.cookie).text
            #expect(!postpaid.contains("Credit the wallet") && postpaid.contains("SUB-IC-HOME-1.1"))
        }
    }

    @Test("R-12.1: making a subscription from the customer page — refused with every reason on the page; made, its page opens")
    func make() async throws {
        let app = try await TestApp.make()
        try await SubscriptionAPITests.secondHome(app)
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            let session = try await ConsoleSession.signIn(client, token: agent)
            func form(_ installed: String, _ type: String, plan: String = "STANDARD-2026", account: String = "") -> String {
                "_csrf=\(session.csrf)&installedProduct=\(installed)&type=\(type)&accountsReceivable=\(account)&scheme=HOME-MONTHLY&frequency=monthly&bindingPeriod=12&pricePlan=\(plan)"
            }
            let refused = try await client.page(.post, "/customers/CUST-HOME/subscriptions", cookie: session.cookie, form: form("IC-HOME-2.1", "HOME-TV", plan: "GOLD"))
            #expect(refused.status == .unprocessableContent && refused.text.contains("does not allow the service INTERNET-OFFER") && refused.text.contains("does not allow price plan GOLD"))
            let foreign = try await client.page(.post, "/customers/CUST-JANE/subscriptions", cookie: session.cookie, form: form("IC-HOME-2.8", "HOME-TV"))
            #expect(foreign.status == .unprocessableContent && foreign.text.contains("IC-HOME-2.8 is not installed for CUST-JANE"))
            let made = try await client.page(.post, "/customers/CUST-HOME/subscriptions", cookie: session.cookie, form: form("IC-HOME-2.8", "HOME-TV", account: "BA-4002"))
            #expect(made.status == .seeOther && made.headers[.location] == "/subscriptions/SUB-IC-HOME-2.8")
            let page = try await client.page(.get, "/subscriptions/SUB-IC-HOME-2.8", cookie: session.cookie).text
            #expect(!page.contains("has no other subscription"), "BA-4002 now owns two subscriptions: moving installed items is offered")
        }
    }
}

extension SubscriptionConsoleTests {
    @Test("R-12.4, R-12.2, R-16.4 in the console: a flexible bundle's form previews the amendment — what it adds with its cost, removes, debits, and every refusal — then performs it through its change order; refused, the page says why; scheduled for a day, it shows pending on its page and the customer's, is moved to another day, and withdrawn")
    func amend() async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(clock: clock)
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            let session = try await ConsoleSession.signIn(client, token: agent)
            let page = "/subscriptions/SUB-IC-HOME-1.8"
            let before = try await client.page(.get, page, cookie: session.cookie).text
            #expect(before.contains(#"aria-label="Amend the bundle IC-HOME-1.13""#) && before.contains(#"name="add[MOVIES-PACK]""#) && before.contains(#"name="remove[IC-HOME-1.14]""#))
            #expect(accessibilityProblems(before) == [])
            let change = "_csrf=\(session.csrf)&bundle=IC-HOME-1.13&add%5BMOVIES-PACK%5D=yes&remove%5BIC-HOME-1.14%5D=yes"
            let preview = try await client.page(.post, page + "/actions", cookie: session.cookie, form: change + "&intent=preview")
            #expect(preview.status == .ok && preview.text.contains("add Movies Pack (MOVIES-PACK): 10 EUR") && preview.text.contains("remove SPORTS-PACK (IC-HOME-1.14)"))
            #expect(preview.text.contains("debit the prepaid wallet 10") && !preview.text.contains("It would be refused"))
            let twice = try await client.page(.post, page + "/actions", cookie: session.cookie, form: "_csrf=\(session.csrf)&bundle=IC-HOME-1.13&add%5BSPORTS-PACK%5D=yes&intent=preview")
            #expect(twice.text.contains("It would be refused") && twice.text.contains("bundle-composition-violated"))
            let refused = try await client.page(.post, page + "/actions", cookie: session.cookie, form: "_csrf=\(session.csrf)&bundle=IC-HOME-1.13&add%5BSPORTS-PACK%5D=yes&intent=amend")
            #expect(refused.status == .unprocessableContent && refused.text.contains("bundle-composition-violated"))
            let performed = try await client.page(.post, page + "/actions", cookie: session.cookie, form: change + "&intent=amend")
            #expect(performed.status == .seeOther && performed.headers[.location] == page)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            let after = try await client.page(.get, page, cookie: session.cookie).text
            #expect(after.contains("<td>SA000001</td><td><code>AMENDBUNDLEDSERVICE</code></td><td>done</td>") && after.contains(#"<a href="/orders/SM000001">SM000001</a>"#))
            #expect(after.contains("<td>MOVIES-PACK</td>") && after.contains("removed 2026-11-22"))
            // R-12.2, R-16.4: scheduled for a day, pending with a button to withdraw it; withdrawn.
            let scheduled = try await client.page(.post, page + "/actions", cookie: session.cookie,
                                                  form: "_csrf=\(session.csrf)&bundle=IC-HOME-1.13&add%5BKIDS-PACK%5D=yes&onDay=2026-12-24&intent=amend")
            #expect(scheduled.status == .seeOther)
            let pending = try await client.page(.get, page, cookie: session.cookie).text
            #expect(pending.contains("<td>SA000002</td><td><code>AMENDBUNDLEDSERVICE</code></td><td>pending") && pending.contains("<td>2026-12-24T00:00:00Z</td>"))
            #expect(pending.contains(#"aria-label="Withdraw SA000002""#) && pending.contains(#"aria-label="Reschedule SA000002""#) && accessibilityProblems(pending) == [])
            let customer = try await client.page(.get, "/customers/CUST-HOME", cookie: session.cookie).text
            #expect(customer.contains(#"<td>SA000002</td><td><a href="/subscriptions/SUB-IC-HOME-1.8">SUB-IC-HOME-1.8</a></td>"#), "the customer's pending actions")
            let moved = try await client.page(.post, "/subscription-actions/SA000002/reschedule", cookie: session.cookie,
                                              form: "_csrf=\(session.csrf)&subscription=SUB-IC-HOME-1.8&onDay=2026-12-28")
            #expect(moved.status == .seeOther && moved.headers[.location] == page)
            #expect(try await client.page(.get, page, cookie: session.cookie).text.contains("<td>2026-12-28T00:00:00Z</td>"))
            let movedBack = try await client.page(.post, "/subscription-actions/SA000002/reschedule", cookie: session.cookie,
                                                  form: "_csrf=\(session.csrf)&subscription=SUB-IC-HOME-1.8&onDay=2026-11-01")
            #expect(movedBack.status == .unprocessableContent && movedBack.text.contains("invalid-schedule"))
            let past = try await client.page(.post, page + "/actions", cookie: session.cookie,
                                             form: "_csrf=\(session.csrf)&bundle=IC-HOME-1.13&add%5BKIDS-PACK%5D=yes&onDay=2026-11-01&intent=amend")
            #expect([409, 422].contains(past.status.code) && past.text.contains("2026-11-01 at midnight is not later than now"), "every reason shown, the pending amendment of the bundle among them")
            let withdrawn = try await client.page(.post, "/subscription-actions/SA000002/withdraw", cookie: session.cookie, form: "_csrf=\(session.csrf)&subscription=SUB-IC-HOME-1.8")
            #expect(withdrawn.status == .seeOther && withdrawn.headers[.location] == page)
            #expect(try await client.page(.get, page, cookie: session.cookie).text.contains("<td>SA000002</td><td><code>AMENDBUNDLEDSERVICE</code></td><td>withdrawn</td>"))
            let again = try await client.page(.post, "/subscription-actions/SA000002/withdraw", cookie: session.cookie, form: "_csrf=\(session.csrf)&subscription=SUB-IC-HOME-1.8")
            #expect(again.status == .conflict && again.text.contains("action-not-pending"))
        }
    }
}

extension SubscriptionConsoleTests {
    @Test("R-3.3 in the console: a service-management line suspends one play of an installed contract (the line says which)")
    func suspendOnePlay() async throws {
        let app = try await TestApp.make()
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-HOME"}"#)
            let session = try await ConsoleSession.signIn(client, token: agent)
            let page = try await client.page(.get, "/orders/SM000001", cookie: session.cookie).text
            #expect(page.contains(#"<input id="installedProduct" name="installedProduct">"#) && accessibilityProblems(page) == [])
            let added = try await client.page(.post, "/orders/SM000001/lines", cookie: session.cookie,
                                              form: "_csrf=\(session.csrf)&installedContract=IC-HOME-1&installedProduct=IC-HOME-1.8&action=suspend")
            #expect(added.status == .seeOther)
            #expect(try await client.page(.get, "/orders/SM000001", cookie: session.cookie).text.contains("IC-HOME-1 (only IC-HOME-1.8)"))
            let refused = try await client.page(.post, "/orders/SM000001/lines", cookie: session.cookie,
                                                form: "_csrf=\(session.csrf)&installedContract=IC-HOME-1&installedProduct=IC-HOME-1.99&action=resume")
            #expect(refused.status == .unprocessableContent && refused.text.contains("unknown-component"))
        }
    }
}

extension SubscriptionConsoleTests {
    @Test("R-12.5, R-12.6 in the console: the subscription page rests it until a day (refused with why on the page), shows it In Resting with its automatic end pending, refuses ending it while its suspension is on its way, then ends it — Effective, its play resumed through an order")
    func restAndEnd() async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(clock: clock)
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            let session = try await ConsoleSession.signIn(client, token: agent)
            let page = "/subscriptions/SUB-IC-HOME-1.8"
            let before = try await client.page(.get, page, cookie: session.cookie).text
            #expect(before.contains(#"aria-label="Rest the subscription""#) && !before.contains(#"aria-label="End the resting""#))
            let tooLong = try await client.page(.post, page + "/rest", cookie: session.cookie, form: "_csrf=\(session.csrf)&until=2027-02-01")
            #expect(tooLong.status == .unprocessableContent && tooLong.text.contains("billing-term-definition-violated") && tooLong.text.contains("allows at most 60"))
            let rested = try await client.page(.post, page + "/rest", cookie: session.cookie, form: "_csrf=\(session.csrf)&until=2026-12-10&onDay=")
            #expect(rested.status == .seeOther && rested.headers[.location] == page)
            let resting = try await client.page(.get, page, cookie: session.cookie).text
            #expect(resting.contains("In Resting</span> since 2026-11-22 · resting until 2026-12-10") && resting.contains(#"aria-label="End the resting""#))
            #expect(resting.contains("<td>SA000001</td><td><code>RESTSUBSCRIPTION</code> until 2026-12-10</td><td>done</td>"))
            #expect(resting.contains("<td>SA000001-END</td><td><code>ENDSUBSCRIPTIONRESTING</code> automatic, at the end of the resting</td><td>pending"))
            #expect(!resting.contains(#"aria-label="Rest the subscription""#) && !resting.contains("Amend the bundle") && accessibilityProblems(resting) == [])
            let early = try await client.page(.post, page + "/end-resting", cookie: session.cookie, form: "_csrf=\(session.csrf)&performedOn=&onDay=")
            #expect(early.status == .conflict && early.text.contains("change-order-in-progress") && early.text.contains("SM000001"))
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            let future = try await client.page(.post, page + "/end-resting", cookie: session.cookie, form: "_csrf=\(session.csrf)&performedOn=2026-12-01&onDay=")
            #expect(future.status == .unprocessableContent && future.text.contains("invalid-performed-date"))
            let ended = try await client.page(.post, page + "/end-resting", cookie: session.cookie, form: "_csrf=\(session.csrf)&performedOn=&onDay=")
            #expect(ended.status == .seeOther && ended.headers[.location] == page)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            let after = try await client.page(.get, page, cookie: session.cookie).text
            #expect(after.contains("Effective</span> since 2026-11-22") && after.contains(#"<a href="/orders/SM000002">SM000002</a>"#))
            #expect(after.contains("<td>SA000001-END</td><td><code>ENDSUBSCRIPTIONRESTING</code> automatic, at the end of the resting</td><td>withdrawn</td>"))
        }
    }
}

extension SubscriptionConsoleTests {
    @Test("R-12.3 in the console: the move form offers the subscription's installed items and the other subscriptions of its accounts receivable; nothing ticked is refused on the page; the HD box moved through a convergent order, its page then shows the action and, once fulfilled, no installed item")
    func move() async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(clock: clock)
        try await SubscriptionAPITests.secondHome(app)
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            #expect(try await client.call(.post, "/api/v1/subscriptions", json: SubscriptionAPITests.tvRequest).status == .created)
            let session = try await ConsoleSession.signIn(client, token: agent)
            let page = "/subscriptions/SUB-IC-HOME-1.8"
            let before = try await client.page(.get, page, cookie: session.cookie).text
            #expect(before.contains(#"aria-label="Move installed items""#) && before.contains(#"name="items[IC-HOME-1.12]""#))
            #expect(before.contains(#"<option value="SUB-IC-HOME-2.8">SUB-IC-HOME-2.8 · HOME-TV</option>"#) && accessibilityProblems(before) == [])
            let nothing = try await client.page(.post, page + "/move", cookie: session.cookie, form: "_csrf=\(session.csrf)&target=SUB-IC-HOME-2.8")
            #expect(nothing.status == .unprocessableContent && nothing.text.contains("item-not-on-subscription") && nothing.text.contains("name at least one installed item"))
            let moved = try await client.page(.post, page + "/move", cookie: session.cookie, form: "_csrf=\(session.csrf)&items%5BIC-HOME-1.12%5D=yes&target=SUB-IC-HOME-2.8")
            #expect(moved.status == .seeOther && moved.headers[.location] == page)
            let after = try await client.page(.get, page, cookie: session.cookie).text
            #expect(after.contains("<td>SA000001</td><td><code>MOVEINSTITEMTOANOTHERSUBSCRIPTION</code> IC-HOME-1.12 to SUB-IC-HOME-2.8</td><td>done</td>"))
            _ = try await fulfil(app, client, order: "COM000001", clock: clock)
            let fulfilled = try await client.page(.get, page, cookie: session.cookie).text
            #expect(fulfilled.contains("No installed item.") && !fulfilled.contains(#"aria-label="Move installed items""#), "nothing left to move")
            #expect(try await client.page(.get, "/subscriptions/SUB-IC-HOME-2.8", cookie: session.cookie).text.contains("SUB-IC-HOME-1.8 → SUB-IC-HOME-2.8"))
        }
    }
}

extension ConsoleBrowserTests {
    @Test("R-15.2, R-12.1, R-12.7, R-12.4, R-2.3 journey: from the household's page to its TV subscription — what an action would show first — its flexible bundle amended (previewed, then performed), then its prepaid wallet, debited once and credited")
    func subscriptionJourney() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app, prepare: { client in
            _ = try await client.call(.put, "/api/v1/bills/INV-7", json: #"{"accountsReceivable": "BA-4002", "amount": 19, "currency": "EUR", "dueDate": "2026-11-15"}"#)
        }) { browser, base in
            try await browser.signIn(base, token: token)
            try await browser.open(base + "/customers/CUST-HOME")
            try await browser.click("a[href='/subscriptions/SUB-IC-HOME-1.8']")
            let page = try await browser.text
            #expect(page.contains("SPORTS-PACK") && page.contains("INV-7") && page.contains("has no other subscription"))
            _ = try await browser.screenshot("subscription")
            // Amend the flexible bundle: movies in, sports out — previewed, then performed.
            try await browser.click("#add-IC-HOME-1\\.13-MOVIES-PACK")
            try await browser.click("#remove-IC-HOME-1\\.14")
            try await browser.click("form[aria-label='Amend the bundle IC-HOME-1.13'] button[value=preview]")
            #expect(try await browser.text.contains("debit the prepaid wallet 10"))
            _ = try await browser.screenshot("subscription-amend-preview")
            try await browser.click("form[aria-label='Amend the bundle IC-HOME-1.13'] button[value=amend]")
            #expect(try await browser.text.contains("AMENDBUNDLEDSERVICE"))
            try await browser.click("dd a[href='/billing-accounts/BA-4002']")
            try await browser.type("10", into: "#wallet-amount")
            try await browser.type("PAY-123", into: "#wallet-reference")
            try await browser.click("form[aria-label='Credit the wallet'] button")
            let wallet = try await browser.text
            #expect(wallet.contains("wallet balance 40 EUR") && wallet.contains("PAY-123") && wallet.contains("SA000001"), "40 − 10 for the movies + 10 credited")
        }
    }

    @Test("R-15.2, R-12.3 journey: an agent moves the household's HD box from one home's TV subscription to the other's (same accounts receivable) by ticking it on the subscription page; the action is listed with its order")
    func moveJourney() async throws {
        let app = try await TestApp.make(port: 0)
        try await SubscriptionAPITests.secondHome(app)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app, prepare: { client in
            _ = try await client.call(.post, "/api/v1/subscriptions", json: SubscriptionAPITests.tvRequest)
        }) { browser, base in
            try await browser.signIn(base, token: token)
            try await browser.open(base + "/customers/CUST-HOME")
            try await browser.click("a[href='/subscriptions/SUB-IC-HOME-1.8']")
            try await browser.click("#move-IC-HOME-1\\.12")
            try await browser.choose("SUB-IC-HOME-2.8", in: "#move-target")
            try await browser.click("form[aria-label='Move installed items'] button")
            let page = try await browser.text
            #expect(page.contains("MOVEINSTITEMTOANOTHERSUBSCRIPTION IC-HOME-1.12 to SUB-IC-HOME-2.8") && page.contains("IC-HOME-1.12 to SUB-IC-HOME-2.8: change order CO"), "\(page.prefix(800))")
        }
    }

    @Test("R-15.2, R-12.5, R-12.6 journey: an agent rests the household's broadband for ten days from its subscription page, sees it In Resting with its automatic end, and ends it early once the suspension went through")
    func restingJourney() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        let until = app.engine.today.adding(days: 10).description
        try await Self.inBrowser(app) { browser, base in
            try await browser.signIn(base, token: token)
            try await browser.open(base + "/customers/CUST-HOME")
            try await browser.click("a[href='/subscriptions/SUB-IC-HOME-1.1']")
            try await browser.set(until, of: "#rest-until")
            try await browser.click("form[aria-label='Rest the subscription'] button")
            let resting = try await browser.text
            #expect(resting.contains("resting until \(until)") && resting.contains("RESTSUBSCRIPTION") && resting.contains("automatic, at the end of the resting"), "\(resting.prefix(600))")
            _ = try await browser.screenshot("subscription-resting")
            // The suspension goes through fulfillment; then the agent ends the resting early.
            _ = try await JobRunner(engine: app.engine, worker: "journey").runDue(now: app.engine.clock.now())
            try await browser.click("form[aria-label='End the resting'] button")
            let ended = try await browser.text
            #expect(!ended.contains("resting until") && ended.contains("resting ended: Effective; resumption order"), "\(ended.prefix(600))")
        }
    }
}
