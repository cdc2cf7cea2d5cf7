import ConvergentCatalogFiles
import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// A console page fetched as a browser would, without the API contract check (`call`): the
/// console is HTML, not part of `openapi.yaml`.
extension TestClientProtocol {
    func page(_ method: HTTPRequest.Method, _ uri: String, cookie: String? = nil, form: String? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }
}

/// The sign-in form as a browser gets it: the sign-in cookie and the same token in the form.
func signInForm(_ client: some TestClientProtocol) async throws -> (cookie: String, csrf: String) {
    let page = try await client.page(.get, "/sign-in")
    let cookie = try #require(page.headers[.setCookie]?.split(separator: ";").first.map(String.init))
    let csrf = try #require(page.text.firstMatch(of: /name="_csrf" value="([0-9a-f]+)"/)?.output.1)
    return (cookie, String(csrf))
}

/// An agent's session in the console: its cookie and the CSRF token its pages carry.
struct ConsoleSession {
    var cookie: String
    var csrf: String

    static func signIn(_ client: some TestClientProtocol, token: String) async throws -> ConsoleSession {
        let form = try await signInForm(client)
        let answer = try await client.page(.post, "/sign-in", cookie: form.cookie, form: "token=\(token)&next=%2F&_csrf=\(form.csrf)")
        #expect(answer.status == .seeOther)
        let cookie = try #require(answer.headers[.setCookie]?.split(separator: ";").first.map(String.init))
        let home = try await client.page(.get, "/", cookie: cookie)
        let csrf = try #require(home.text.firstMatch(of: /name="_csrf" value="([0-9a-f]+)"/)?.output.1)
        return ConsoleSession(cookie: cookie, csrf: String(csrf))
    }
}

@Suite("R-15.2 agents' console: sign-in, pages, forms, escaping")
struct ConsoleTests {
    @Test("R-15.2: sign-in sets an HttpOnly, SameSite=Strict cookie; pages need it; sign-out ends it; a bad token is refused in words")
    func signIn() async throws {
        try await TestApp.make().run { client in
            let anonymous = try await client.page(.get, "/orders")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location]?.hasPrefix("/sign-in?next=") == true)
            let form = try await signInForm(client)
            #expect(form.cookie.hasPrefix("convergent_sign_in="))
            let refused = try await client.page(.post, "/sign-in", cookie: form.cookie, form: "token=nope&_csrf=\(form.csrf)")
            #expect(refused.status == .unauthorized)
            #expect(refused.text.contains("sign-in-refused"))
            #expect(refused.headers[.setCookie]?.hasPrefix("convergent_sign_in=") == true, "a new sign-in form, no session")
            // Login CSRF: a form posted from another site has neither the sign-in cookie nor its token.
            for (cookie, body) in [(nil, "token=\(adminToken)"), (nil, "token=\(adminToken)&_csrf=\(form.csrf)"), (form.cookie, "token=\(adminToken)"),
                                   (form.cookie, "token=\(adminToken)&_csrf=\(String(repeating: "0", count: form.csrf.count))")] {
                let forged = try await client.page(.post, "/sign-in", cookie: cookie, form: body)
                #expect(forged.status == .forbidden && forged.text.contains("csrf-token-invalid"), "\(body)")
                #expect(forged.headers[.setCookie]?.contains("convergent_console") != true, "no session from a forged sign-in")
            }
            let answer = try await client.page(.post, "/sign-in", cookie: form.cookie, form: "token=\(adminToken)&next=%2Forders&_csrf=\(form.csrf)")
            #expect(answer.headers[.location] == "/orders")
            let cookie = try #require(answer.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/") && !cookie.contains("Secure"))
            var https = HTTPFields()
            https[.contentType] = "application/x-www-form-urlencoded"
            https[HTTPField.Name("X-Forwarded-Proto")!] = "https"
            https[.cookie] = form.cookie
            let behindTLS = try await client.execute(uri: "/sign-in", method: .post, headers: https, body: ByteBuffer(string: "token=\(adminToken)&_csrf=\(form.csrf)")) { $0.headers[.setCookie] }
            #expect(behindTLS?.contains("; Secure") == true, "behind a TLS proxy the cookie is Secure")
            // Only a path of this site is a place to go back to.
            for next in ["https%3A%2F%2Fevil.example", "%2F%2Fevil.example"] {
                #expect(try await client.page(.post, "/sign-in", cookie: form.cookie, form: "token=\(adminToken)&next=\(next)&_csrf=\(form.csrf)").headers[.location] == "/")
            }
            let session = try await ConsoleSession.signIn(client, token: adminToken)
            let page = try await client.page(.get, "/orders", cookie: session.cookie)
            #expect(page.status == .ok)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            #expect(page.headers[.contentSecurityPolicy]?.contains("default-src 'none'") == true)
            // Sign-out needs the form's CSRF token, then empties the cookie.
            let out = try await client.page(.post, "/sign-out", cookie: session.cookie, form: "_csrf=\(session.csrf)")
            #expect(out.headers[.location] == "/sign-in")
            #expect(out.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
    }

    @Test("R-15.2: every form needs the session's CSRF token; without it nothing changes")
    func csrf() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let session = try await ConsoleSession.signIn(client, token: adminToken)
            let before = try await app.engine.orders.orders(customer: nil, status: nil, captureType: nil, from: nil, to: nil, after: nil, limit: 100).count
            let forged = try await client.page(.post, "/orders", cookie: session.cookie, form: "captureType=simple&soldTo=CUST-JANE&_csrf=0000")
            #expect(forged.status == .forbidden)
            #expect(forged.text.contains("csrf-token-invalid"))
            let missing = try await client.page(.post, "/orders", cookie: session.cookie, form: "captureType=simple&soldTo=CUST-JANE")
            #expect(missing.status == .forbidden)
            #expect(try await app.engine.orders.orders(customer: nil, status: nil, captureType: nil, from: nil, to: nil, after: nil, limit: 100).count == before)
            let made = try await client.page(.post, "/orders", cookie: session.cookie, form: "captureType=simple&soldTo=CUST-JANE&_csrf=\(session.csrf)")
            #expect(made.status == .seeOther)
            #expect(made.headers[.location]?.hasPrefix("/orders/") == true)
        }
    }

    @Test("R-16.3: a refusal is shown on the page it came from, in words, with its code and field — a malformed form field too")
    func refusalInWords() async throws {
        try await TestApp.make().run { client in
            let session = try await ConsoleSession.signIn(client, token: adminToken)
            let refused = try await client.page(.post, "/orders", cookie: session.cookie,
                                                form: "captureType=convergent&soldTo=CUST-JANE&relatedCustomers=CUST-NOBODY&_csrf=\(session.csrf)")
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("role=\"alert\""))
            #expect(refused.text.contains("CUST-NOBODY"))
            #expect(refused.text.contains("<code>relatedCustomers</code>"))
            // A field of the wrong type (a hand-edited form) is refused on the form's own page, naming the field.
            let made = try await client.page(.post, "/orders", cookie: session.cookie, form: "captureType=simple&soldTo=CUST-JANE&_csrf=\(session.csrf)")
            let order = try #require(made.headers[.location])
            let malformed = try await client.page(.post, order + "/lines", cookie: session.cookie, form: "version=two&product=FIBER-500&_csrf=\(session.csrf)")
            #expect(malformed.status == .unprocessableContent)
            #expect(malformed.text.contains("<code>version</code>") && malformed.text.contains("Add a line"), "the order page, with its forms")
            let missing = try await client.page(.get, "/orders/CO999999", cookie: session.cookie)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("no order"))
        }
    }

    @Test("R-2.1, R-15.2: the customer search page — words as a form sends them ('+' for a space), kind, an exact id opens the customer, nothing found said in words, paged")
    func customerSearch() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let session = try await ConsoleSession.signIn(client, token: adminToken)
            let found = try await client.page(.get, "/customers?q=brussels+jan&kind=", cookie: session.cookie)
            #expect(found.status == .ok && found.text.contains("Customers found by “brussels jan”"))
            #expect(found.text.contains(#"href="/customers/CUST-JANE""#) && !found.text.contains(#"href="/customers/CUST-ACME-HOLDING""#))
            let companies = try await client.page(.get, "/customers?q=brussels&kind=company", cookie: session.cookie).text
            #expect(companies.contains(#"href="/customers/CUST-ACME-HOLDING""#) && !companies.contains(#"href="/customers/CUST-JANE""#))
            #expect(try await client.page(.get, "/customers?q=CUST-ACME", cookie: session.cookie).headers[.location] == "/customers/CUST-ACME")
            #expect(try await client.page(.get, "/customers?q=nobody", cookie: session.cookie).text.contains("No customer found."))
            for i in 1...26 {
                #expect(try await client.call(.post, "/api/v1/customers", json: #"{"kind": "person", "name": "Page Tester \#(i)"}"#).status == .created)
            }
            let first = try await client.page(.get, "/customers?q=tester", cookie: session.cookie).text
            let next = try #require(first.firstMatch(of: /rel="next" href="([^"]+)"/)?.output.1).replacingOccurrences(of: "&amp;", with: "&")
            #expect(next.contains("q=tester"))
            let second = try await client.page(.get, next, cookie: session.cookie).text
            #expect(second.matches(of: /Page Tester/).count == 1 && !second.contains("rel=\"next\""))
        }
    }

    @Test("R-2.1, R-2.2, R-2.3, R-15.2: customers in the console — created with a contact and an address, a contact added, a payer (bill-to), a billing account opened Pending and activated; a refusal shown on the customer's page")
    func customerForms() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let s = try await ConsoleSession.signIn(client, token: adminToken)
            func post(_ uri: String, _ form: String) async throws -> Reply {
                try await client.page(.post, uri, cookie: s.cookie, form: "_csrf=\(s.csrf)&" + form)
            }
            let created = try await post("/customers", "kind=person&name=Zo%C3%AB+Lambert&contactName=Zo%C3%AB+Lambert&email=zoe%40example.org&line1=Rue+Neuve+1&city=Namur&postalCode=5000&country=BE")
            let page = try #require(created.headers[.location])
            #expect(page.hasPrefix("/customers/CUST-"))
            let id = String(page.dropFirst("/customers/".count))
            #expect(try await client.page(.get, "/customers?q=lambert+namur", cookie: s.cookie).text.contains(#"href="/customers/\#(id)""#), "found by the search at once")
            let incomplete = try await post("/customers", "kind=person&name=Nobody&line1=Somewhere")
            #expect(incomplete.status == .unprocessableContent && incomplete.text.contains("incomplete-address") && incomplete.text.contains("New customer"))
            #expect(try await post(page + "/contacts", "name=Marc+Lambert&role=partner&phone=%2B32+81+00+00+00").headers[.location] == page)
            #expect(try await post(page + "/bill-to", "payer=CUST-ACME&start=2026-01-01").headers[.location] == page)
            let refused = try await post(page + "/bill-to", "payer=CUST-ACME&start=2026-06-01")
            #expect(refused.status == .unprocessableContent && refused.text.contains("bill-to-overlap") && refused.text.contains("Add a payer"))
            #expect(try await post(page + "/billing-accounts", "type=Individual&paymentMode=postpaid&status=Pending&contact=CT-1&currency=EUR").headers[.location] == page)
            var text = try await client.page(.get, page, cookie: s.cookie).text
            #expect(text.contains("Marc Lambert · partner") && text.contains("CUST-ACME, from 2026-01-01 to no end"))
            let account = try #require(text.firstMatch(of: #/<td><a href="/billing-accounts/(BA-[0-9]+)">BA-[0-9]+</a></td><td>Individual</td><td>postpaid</td><td>Pending</td>/#)?.output.1)
            #expect(text.contains(#"aria-label="Activate \#(account)""#) && text.contains(#"aria-label="Close \#(account)""#), "the account's status moves are offered")
            #expect(try await post(page + "/billing-accounts/\(account)/status", "account=\(account)&status=Active").headers[.location] == page)
            text = try await client.page(.get, page, cookie: s.cookie).text
            #expect(text.contains(#"<td><a href="/billing-accounts/\#(account)">\#(account)</a></td><td>Individual</td><td>postpaid</td><td>Active</td>"#))
            let reopened = try await post(page + "/billing-accounts/\(account)/status", "account=\(account)&status=Pending")
            #expect(reopened.status == .unprocessableContent && reopened.text.contains("invalid-status-change"))
        }
    }

    @Test("R-8.6, R-10.1, R-3.3, R-15.2: the setup page — administrators change the split-billing switches, trial periods and reason codes; agents read them; a line that does not read is refused in words")
    func setupPage() async throws {
        let app = try await TestApp.make()
        let agentToken = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            let admin = try await ConsoleSession.signIn(client, token: adminToken)
            func post(_ uri: String, _ form: String, _ session: ConsoleSession) async throws -> Reply {
                try await client.page(.post, uri, cookie: session.cookie, form: "_csrf=\(session.csrf)&" + form)
            }
            let page = try await client.page(.get, "/setup", cookie: admin.cookie).text
            #expect(page.contains("RBTCUSTSPLITBIL") && page.contains(#"name="customerSplitBilling" value="true" checked"#))
            // Every switch sent but customer-level split billing: that one is off.
            #expect(try await post("/setup/split-billing", "accountForOneTimeCharges=true&serviceManagementOneTime=true&reuseNewPrepaidAccount=true", admin).headers[.location] == "/setup")
            let billing = try await client.call(.get, "/api/v1/setup/split-billing").json
            #expect(billing["customerSplitBilling"] as? Bool == false && billing["accountForOneTimeCharges"] as? Bool == true)
            #expect(try await post("/setup/trial-periods", "enabled=true&defaults=doorstep+%3D+30%0Aweb%2Fpromo+%3D+14", admin).status == .seeOther)
            let trial = try await client.call(.get, "/api/v1/setup/trial-periods").json
            #expect(trial["enabled"] as? Bool == true && (trial["defaults"] as? [[String: Any]])?.count == 2)
            let bad = try await post("/setup/trial-periods", "enabled=true&defaults=doorstep+thirty", admin)
            #expect(bad.status == .unprocessableContent && bad.text.contains("trial defaults line 1"))
            #expect(try await post("/setup/reason-codes", "codes=disconnect%3A+moving%2C+cost", admin).status == .seeOther)
            #expect(((try await client.call(.get, "/api/v1/setup/reason-codes").json["codes"] as? [String: Any])?["disconnect"] as? [String]) == ["moving", "cost"])
            let unknown = try await post("/setup/reason-codes", "codes=teleport%3A+x", admin)
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("invalid-reason-codes"))
            // An agent reads the setup and cannot change it.
            let agent = try await ConsoleSession.signIn(client, token: agentToken)
            let read = try await client.page(.get, "/setup", cookie: agent.cookie).text
            #expect(read.contains("Only administrators change the setup.") && !read.contains("Save split billing"))
            #expect(try await post("/setup/split-billing", "customerSplitBilling=true", agent).status == .forbidden)
            #expect(try await client.call(.get, "/api/v1/setup/split-billing").json["customerSplitBilling"] as? Bool == false)
        }
    }

    @Test("R-2.4, R-15.2: users and tokens in the console — an administrator adds an agent and issues its token, shown once; the agent signs in with it, sees only its own tokens; a revoked token no longer signs in")
    func usersAndTokens() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let admin = try await ConsoleSession.signIn(client, token: adminToken)
            func post(_ uri: String, _ form: String, _ session: ConsoleSession) async throws -> Reply {
                try await client.page(.post, uri, cookie: session.cookie, form: "_csrf=\(session.csrf)&" + form)
            }
            #expect(try await post("/users", "id=sam&name=Sam+Agent&role=agent", admin).headers[.location] == "/users/sam")
            #expect(try await client.page(.get, "/users", cookie: admin.cookie).text.contains(#"<a href="/users/sam">sam</a>"#))
            let duplicate = try await post("/users", "id=sam&name=Sam+Again&role=agent", admin)
            #expect(duplicate.status == .conflict && duplicate.text.contains("Add a user"))
            let issued = try await post("/users/sam/tokens", "label=laptop", admin)
            #expect(issued.status == .created && issued.headers[.cacheControl] == "no-store")
            let secret = try #require(issued.text.firstMatch(of: #/<p><code>(cvg_[0-9a-f]+)</code></p>/#)?.output.1)
            #expect(!(try await client.page(.get, "/users/sam", cookie: admin.cookie).text.contains(String(secret))), "shown once")
            let sam = try await ConsoleSession.signIn(client, token: String(secret))
            #expect(try await client.page(.get, "/users/sam", cookie: sam.cookie).status == .ok)
            #expect(try await client.page(.get, "/users", cookie: sam.cookie).status == .forbidden)
            #expect(try await client.page(.get, "/users/admin", cookie: sam.cookie).status == .forbidden)
            let token = try #require((try await client.page(.get, "/users/sam", cookie: admin.cookie)).text.firstMatch(of: #/tokens/([A-Z0-9-]+)/revoke/#)?.output.1)
            #expect(try await post("/users/sam/tokens/\(token)/revoke", "", admin).headers[.location] == "/users/sam")
            let form = try await signInForm(client)
            let refused = try await client.page(.post, "/sign-in", cookie: form.cookie, form: "token=\(secret)&_csrf=\(form.csrf)")
            #expect(refused.status == .unauthorized && refused.text.contains("sign-in-refused"))
        }
    }

    @Test("R-3.3, R-11.4, R-15.5, R-15.2: a line's customer and product site from its page; the release by hand refused for an order that is not queued; every record's history, who, when, why and what changed; an installed contract as of a day; the jobs")
    func lineFormsReleaseAndHistory() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let s = try await ConsoleSession.signIn(client, token: adminToken)
            func post(_ uri: String, _ form: String) async throws -> Reply {
                try await client.page(.post, uri, cookie: s.cookie, form: "_csrf=\(s.csrf)&" + form)
            }
            let order = try #require(try await post("/orders", "captureType=simple&soldTo=CUST-JANE").headers[.location])
            _ = try await post(order + "/lines", "product=HOME-CONTRACT")
            #expect(try await post(order + "/lines/1/site", "address=AD-1&contact=CT-1").headers[.location] == order + "/lines/1")
            #expect(try await client.page(.get, order + "/lines/1", cookie: s.cookie).text.contains("Site: address AD-1, contact CT-1"))
            let wrongSite = try await post(order + "/lines/1/site", "address=AD-9")
            #expect(wrongSite.status == .unprocessableContent && wrongSite.text.contains("Product site"))
            let wrongCustomer = try await post(order + "/lines/1/customer", "customer=CUST-ACME")
            #expect(wrongCustomer.status == .unprocessableContent && wrongCustomer.text.contains("unknown-customer-on-order"))
            // The order's history: each change, by whom, with what it did.
            let history = try await client.page(.get, "/history/order/\(order.dropFirst("/orders/".count))", cookie: s.cookie)
            #expect(history.status == .ok && history.text.contains("order.created") && history.text.contains("<td>admin</td>"))
            #expect(history.text.contains("<code>add /lines/0</code>") || history.text.contains("<code>replace /lines"), "what a change did")
            #expect(try await client.page(.get, "/history/customer/CUST-JANE", cookie: s.cookie).text.contains("customer.created"))
            #expect(try await client.page(.get, "/history/nothing/X", cookie: s.cookie).status == .notFound)
            // R-7.6: an installed contract as a tree, now and as at the end of a day (before it existed: said in words).
            let contract = try await client.page(.get, "/installed-contracts/IC-JANE-1", cookie: s.cookie)
            #expect(contract.status == .ok && contract.text.contains("MOBILE-CONTRACT") && contract.text.contains(#"ul class="tree""#))
            #expect(try await client.page(.get, "/customers/CUST-JANE", cookie: s.cookie).text.contains(#"<a href="/installed-contracts/IC-JANE-1">IC-JANE-1</a>"#))
            let before = try await client.page(.get, "/installed-contracts/IC-JANE-1?asOf=2000-01-01", cookie: s.cookie)
            #expect(before.status == .notFound && before.text.contains("2000-01-01"))
            // R-14: the background jobs, by status.
            #expect(try await client.page(.get, "/jobs", cookie: s.cookie).text.contains("Background jobs"))
            #expect(try await client.page(.get, "/jobs?status=sleeping", cookie: s.cookie).status == .unprocessableContent)
            // Only a queued order is released by hand (on its execution date).
            let future = try #require(try await post("/orders", "captureType=simple&soldTo=CUST-JANE").headers[.location])
            _ = try await post(future + "/header", "productSellingDate=2027-02-01")
            _ = try await post(future + "/lines", "product=HOME-CONTRACT")
            #expect(!(try await client.page(.get, future, cookie: s.cookie).text.contains("Release now")), "only a queued order is released")
            let early = try await post(future + "/release", "")
            #expect(early.status == .conflict && early.text.contains("illegal-transition") && early.text.contains("not queued"))
        }
    }

    @Test("R-15.2, R-9.1, R-9.2, R-16.2: commitment pages — the order's commitment line, the customer's commitments (by status, paged), a commitment with what it covers and the penalty of an early end, the installed commitment and the covered product pointing at it; a commitment choice the line does not offer refused in words; every page labelled")
    func commitmentPages() async throws {
        let app = try await TestApp.make(clock: FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000)))
        try await app.run { client in
            try await submitHomeOrder(client, number: 1)
            _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: app.engine.clock.now())
            let s = try await ConsoleSession.signIn(client, token: adminToken)
            let order = try await client.page(.get, "/orders/COM000001", cookie: s.cookie)
            #expect(order.text.contains("COMMIT-24M") && order.text.contains("commits line 1, covers"))
            let customer = try await client.page(.get, "/customers/CUST-JANE", cookie: s.cookie)
            #expect(customer.text.contains(#"<a href="/commitment-contracts/CC-COM000001-2">CC-COM000001-2</a>"#))
            let active = try await client.page(.get, "/customers/CUST-JANE/commitments?status=active", cookie: s.cookie)
            #expect(active.status == .ok && active.text.contains("CC-COM000001-2"))
            #expect(try await client.page(.get, "/customers/CUST-JANE/commitments?status=violated", cookie: s.cookie).text.contains("No commitments."))
            #expect(try await client.page(.get, "/customers/CUST-JANE/commitments?status=broken", cookie: s.cookie).status == .unprocessableContent)
            let page = try await client.page(.get, "/commitment-contracts/CC-COM000001-2?on=2026-12-01", cookie: s.cookie)
            #expect(page.text.contains("FIBER-500") && page.text.contains("TV-BASIC-PACK") && page.text.contains("24 months, penalty reducing 240.00 EUR"))
            #expect(page.text.contains("237.05 EUR on 2026-12-01 (reducing, 24 month(s) left)"))
            #expect(try await client.page(.get, "/commitment-contracts/CC-COM000001-2?on=someday", cookie: s.cookie).status == .unprocessableContent)
            #expect(try await client.page(.get, "/commitment-contracts/CC-NONE", cookie: s.cookie).status == .notFound)
            // R-9.2: the installed commitment's pages point at its contract; a covered product lists what covers it.
            let installedCommitment = try await client.page(.get, "/installed-contracts/IC-COM000001-2", cookie: s.cookie)
            #expect(installedCommitment.text.contains(#"its status, dates and coverage are those of commitment <a href="/commitment-contracts/CC-COM000001-2">"#))
            let commitmentProduct = try await client.page(.get, "/installed-products/IC-COM000001-2", cookie: s.cookie)
            #expect(commitmentProduct.text.contains("commitment ·") && commitmentProduct.text.contains(#"its commitment is <a href="/commitment-contracts/CC-COM000001-2">CC-COM000001-2</a> · <span class="status status-active">"#))
            let fibre = try #require(try await app.engine.installedBase.contract("IC-COM000001-1").root.all.first { $0.product == "FIBER-500" }?.id)
            let coveredProduct = try await client.page(.get, "/installed-products/\(fibre)", cookie: s.cookie)
            #expect(coveredProduct.text.contains(#"Covered by commitment <a href="/commitment-contracts/CC-COM000001-2">CC-COM000001-2</a> (installed commitment <a href="/installed-products/IC-COM000001-2">"#))
            for html in [order.text, customer.text, active.text, page.text, installedCommitment.text, commitmentProduct.text, coveredProduct.text] {
                #expect(accessibilityProblems(html) == [])
            }
            // R-9.4: shortened from its page; a date in the past refused there, in words; a product no longer covered.
            let shortened = try await client.page(.post, "/commitment-contracts/CC-COM000001-2/term", cookie: s.cookie,
                                                  form: "_csrf=\(s.csrf)&endsOn=2027-11-22&reason=goodwill")
            #expect(shortened.headers[.location] == "/commitment-contracts/CC-COM000001-2")
            let past = try await client.page(.post, "/commitment-contracts/CC-COM000001-2/term", cookie: s.cookie, form: "_csrf=\(s.csrf)&endsOn=2020-01-01")
            #expect(past.status == .unprocessableContent && past.text.contains("invalid-commitment-term") && past.text.contains("Shorten or extend"))
            // A reason longer than the history keeps is refused in words, as the API refuses it (nothing cut short).
            let long = try await client.page(.post, "/commitment-contracts/CC-COM000001-2/term", cookie: s.cookie,
                                             form: "_csrf=\(s.csrf)&endsOn=2027-10-22&reason=\(String(repeating: "x", count: 501))")
            #expect(long.status == .unprocessableContent && long.text.contains("reason-too-long"))
            let tv = try #require(try await client.call(.get, "/api/v1/commitment-contracts/CC-COM000001-2").json["covers"] as? [[String: Any]])
                .compactMap { $0["installedProduct"] as? String }.last
            #expect(try await client.page(.get, "/commitment-contracts/CC-COM000001-2", cookie: s.cookie).text.contains("aria-label=\"Stop covering \(tv ?? "")\""))
            let uncovered = try await client.page(.post, "/commitment-contracts/CC-COM000001-2/coverage", cookie: s.cookie, form: "_csrf=\(s.csrf)&remove=\(tv ?? "")")
            #expect(uncovered.headers[.location] == "/commitment-contracts/CC-COM000001-2")
            let after = try await client.page(.get, "/commitment-contracts/CC-COM000001-2", cookie: s.cookie).text
            #expect(after.contains("2026-11-22 to 2027-11-22") && after.contains("shortened from 2028-11-22 to 2027-11-22: goodwill") && after.contains("link inactive"))
            #expect(accessibilityProblems(after) == [])
            // R-16.2: a disconnection order's page says, before it is submitted, what it breaks and what it costs.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-COM000001-1", "action": "disconnect"}"#)
            let disconnection = try await client.page(.get, "/orders/SM000001", cookie: s.cookie)
            #expect(disconnection.text.contains("Commitments this order breaks"))
            #expect(disconnection.text.contains("line 1 disconnects IC-COM000001-1: breaks CC-COM000001-2 — penalty 240.00 EUR on 2026-11-22"))
            #expect(disconnection.text.contains("(reducing, 12 month(s) left)"), "priced with the shortened term")
            #expect(accessibilityProblems(disconnection.text) == [])
            // A choice the line does not offer: the order page again, the refusal in words.
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/COM000002/lines", json: #"{"product": "HOME-CONTRACT"}"#)
            let refused = try await client.page(.post, "/orders/COM000002/lines/1/commitment", cookie: s.cookie, form: "_csrf=\(s.csrf)&commitment=COMMIT-24M")
            #expect(refused.status == .unprocessableContent && refused.text.contains("commitment-not-offered"))
        }
    }

    @Test("R-15.2: every page escapes what users typed — a customer named <script> is shown as text, never run")
    func escaping() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let hostile = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>"
            let json = String(decoding: try JSONSerialization.data(withJSONObject: ["kind": "person", "id": "CUST-EVIL", "name": hostile,
                                                                                    "contacts": [["name": hostile, "email": "e@x.org"]]]), as: UTF8.self)
            #expect(try await client.call(.post, "/api/v1/customers", json: json).status == .created)
            let session = try await ConsoleSession.signIn(client, token: adminToken)
            let made = try await client.page(.post, "/orders", cookie: session.cookie, form: "captureType=simple&soldTo=CUST-EVIL&source=%3Cscript%3Ex%3C%2Fscript%3E&_csrf=\(session.csrf)")
            let order = try #require(made.headers[.location])
            for uri in ["/customers/CUST-EVIL", "/customers", "/orders?customer=CUST-EVIL", order] {
                let page = try await client.page(.get, uri, cookie: session.cookie)
                #expect(page.status == .ok, "\(uri)")
                #expect(!page.text.contains("<script"), "\(uri) prints a script tag")
                #expect(!page.text.contains("<img src=x"), "\(uri) prints an image tag")
            }
            #expect(try await client.page(.get, "/customers/CUST-EVIL", cookie: session.cookie).text.contains("&lt;script&gt;"))
            // What a user types into a search is escaped too, and so is the customer it finds.
            let searched = try await client.page(.get, "/customers?q=%3Cscript%3E", cookie: session.cookie)
            #expect(searched.text.contains(#"href="/customers/CUST-EVIL""#) && searched.text.contains("value=\"&lt;script&gt;\""))
            #expect(!searched.text.contains("<script"))
        }
    }
}

extension ConsoleTests {
    @Test("R-15.2, R-1.10, R-1.11: the subscription catalog pages — the types on a date, a type with its definitions' rules (in force or not) and billing term schemes, a scheme with the types allowing it; an unknown one is not found")
    func subscriptionCatalogPages() async throws {
        let app = try await TestApp.make()
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            let session = try await ConsoleSession.signIn(client, token: agent)
            #expect(try await client.page(.get, "/catalog", cookie: session.cookie).text.contains(#"<a href="/catalog/subscription-types">Subscription types</a>"#))
            let types = try await client.page(.get, "/catalog/subscription-types", cookie: session.cookie)
            #expect(types.status == .ok && types.text.contains(#"<a href="/catalog/subscription-types/HOME-TV?date=2026-11-22">HOME-TV</a> Home TV"#))
            #expect(types.text.contains(#"<a href="/catalog/billing-term-schemes/HOME-ANNUAL?date=2026-11-22">HOME-ANNUAL</a>"#))
            let tv = try await client.page(.get, "/catalog/subscription-types/HOME-TV", cookie: session.cookie).text
            #expect(tv.contains("<code>UHD-NEEDS-HD-BOX</code></td><td>service UHD-PACK</td><td>on each distributor</td><td>requires one of STB-HD</td>"))
            #expect(tv.contains("at least 1, at most 8 services; at most 3 installed items") && tv.contains("status-current\">in force on 2026-11-22"))
            #expect(tv.contains("at most 60 days, 2 times a year") && tv.contains("an installed item on each distributor; no bill unsettled for more than 30 days"))
            #expect(tv.contains("extends the binding end and allowed cancel dates by the days rested"))
            let annual = try await client.page(.get, "/catalog/billing-term-schemes/HOME-ANNUAL", cookie: session.cookie).text
            #expect(annual.contains(#"<a href="/catalog/subscription-types/HOME-BROADBAND?date=2026-11-22">HOME-BROADBAND</a>"#))
            // Its definition narrows nothing, allows no resting and sets no activation condition.
            #expect(annual.contains("<dt>Binding periods</dt><dd>12 months</dd>") && annual.contains("s</td><td>not allowed</td><td>none</td>"))
            #expect(annual.components(separatedBy: "the scheme").count == 3, "frequencies and binding periods: the scheme's")
            #expect(try await client.page(.get, "/catalog/subscription-types/HOME-RADIO", cookie: session.cookie).status == .notFound)
            #expect(try await client.page(.get, "/catalog/billing-term-schemes/NOPE", cookie: session.cookie).status == .notFound)
        }
    }

    @Test("R-15.2, R-1.13, R-1.6: the catalog pages — versions, products with their selling status on a date, a bundle's tree, migration actions; an upload's problems at file and line, or a check that stores nothing; only administrators upload")
    func catalogPages() async throws {
        let app = try await TestApp.make()
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        try await app.run { client in
            let admin = try await ConsoleSession.signIn(client, token: adminToken)
            let versions = try await client.page(.get, "/catalog", cookie: admin.cookie)
            #expect(versions.text.contains("2026.1") && versions.text.contains("active"))
            #expect(versions.text.contains("Upload a version"))
            let products = try await client.page(.get, "/catalog/products?kind=contract", cookie: admin.cookie)
            #expect(products.text.contains("HOME-CONTRACT") && !products.text.contains(">FIBER-500<"))
            // Fibre 1000 is sold in the home bundle from 2027: future today, current in 2027, in the bundle's tree.
            #expect(try await client.page(.get, "/catalog/products/FIBER-1000", cookie: admin.cookie).text.contains("INTERNET-OFFER (0…1, future)"))
            #expect(try await client.page(.get, "/catalog/products/HOME-CONTRACT", cookie: admin.cookie).text.contains(#"sells NET-ACCESS</span> <span class="status status-future">"#))
            let tree = try await client.page(.get, "/catalog/products/HOME-CONTRACT?date=2027-01-15", cookie: admin.cookie).text
            // R-1.6: the migration actions from and to a product, active or not on the date.
            let support = try await client.page(.get, "/catalog/products/SUPPORT-8-5", cookie: admin.cookie).text
            #expect(support.contains("<code>SUPPORT-UPGRADE</code>") && support.contains(#"<a href="/catalog/products/SUPPORT-24-7">SUPPORT-24-7</a>"#))
            #expect(support.contains("customers: company") && support.contains("2026-01-01 to …") && support.contains("status-current\">active on"))
            #expect(try await client.page(.get, "/catalog/products/HOME-CONTRACT", cookie: admin.cookie).text.contains("No migration action starts or ends at this product."))
            // An installed product's page, reached from the trees: its place, links and status history.
            #expect(try await client.page(.get, "/customers/CUST-JANE", cookie: admin.cookie).text.contains(#"href="/installed-products/IC-JANE-1.1">MOBILE-PLAY"#))
            let installed = try await client.page(.get, "/installed-products/IC-JANE-1.1", cookie: admin.cookie)
            #expect(installed.status == .ok && installed.text.contains("Component of") && installed.text.contains("Status history"))
            #expect(try await client.page(.get, "/installed-products/IC-NOPE", cookie: admin.cookie).status == .notFound)
            // A customer's installed contracts, a page at a time.
            let contracts = try await client.page(.get, "/customers/CUST-ACME/contracts", cookie: admin.cookie)
            #expect(contracts.status == .ok && contracts.text.contains("IC-ACME-1") && contracts.text.contains("ul class=\"tree\""))
            #expect(tree.contains("Bundle tree on 2027-01-15"))
            #expect(tree.contains(#"sells NET-ACCESS</span> <span class="status status-current">"#))
            let invalid = try await client.page(.post, "/catalog/versions", cookie: admin.cookie, form: "_csrf=\(admin.csrf)&yaml=catalog%3A+%5Bunclosed")
            #expect(invalid.status == .unprocessableContent)
            #expect(invalid.text.contains("upload.yaml:2"))
            #expect(invalid.text.contains("catalog: [unclosed</textarea>"), "the text sent is kept, to be corrected")
            #expect(try await app.engine.catalogs.storedVersions().count == 1, "nothing stored")
            // The export, as a new version, uploaded and activated from the form.
            let exported = try #require(try await app.engine.catalogs.export("2026.1", asOneFile: true).first?.text)
            let upload = exported.replacingOccurrences(of: #"version: "2026.1""#, with: #"version: "2026.2""#)
                .replacingOccurrences(of: "effective: 2026-01-01", with: "effective: 2026-11-01")
            let yaml = try #require(upload.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            // Checked only: said valid, the text kept, nothing stored.
            let checked = try await client.page(.post, "/catalog/versions", cookie: admin.cookie, form: "_csrf=\(admin.csrf)&check=true&yaml=\(yaml)")
            #expect(checked.status == .ok && checked.text.contains("catalog 2026.2 is valid") && checked.text.contains("nothing was stored"))
            #expect(try await app.engine.catalogs.storedVersions().count == 1)
            let checkedBad = try await client.page(.post, "/catalog/versions", cookie: admin.cookie, form: "_csrf=\(admin.csrf)&check=true&yaml=catalog%3A+%5Bunclosed")
            #expect(checkedBad.status == .unprocessableContent && checkedBad.text.contains("upload.yaml:2"))
            let stored = try await client.page(.post, "/catalog/versions", cookie: admin.cookie, form: "_csrf=\(admin.csrf)&activate=true&yaml=\(yaml)")
            #expect(stored.status == .seeOther, "\(stored.text.prefix(600))")
            #expect(try await client.page(.get, "/catalog", cookie: admin.cookie).text.contains("<td>2026.2</td><td>Northwind Telecom</td><td>active</td>"))
            // R-1.13: a version exported as one YAML document; two versions compared.
            let export = try await client.page(.get, "/catalog/versions/2026.1/export", cookie: admin.cookie)
            #expect(export.status == .ok && export.headers[.contentType]?.hasPrefix("application/yaml") == true && export.text.contains(#"version: "2026.1""#))
            #expect(export.headers[.contentDisposition] == #"attachment; filename="catalog-2026.1.yaml""#)
            #expect(try await client.page(.get, "/catalog/diff?from=2026.1&to=2026.2", cookie: admin.cookie).text.contains("No product or rule differs between 2026.1 and 2026.2"))
            let noVersions = try await client.page(.get, "/catalog/diff?from=2026.1", cookie: admin.cookie)
            #expect(noVersions.status == .unprocessableContent && noVersions.text.contains("missing-parameter"))
            let agentSession = try await ConsoleSession.signIn(client, token: agent)
            #expect(!(try await client.page(.get, "/catalog", cookie: agentSession.cookie).text.contains("Upload a version")))
            let refused = try await client.page(.post, "/catalog/versions", cookie: agentSession.cookie, form: "_csrf=\(agentSession.csrf)&yaml=x%3A+1")
            #expect(refused.status == .forbidden)
        }
    }
}

/// What a page must have to be usable with a keyboard and a screen reader: a language, one
/// main heading, a label for every field (a `<label for>` or an `aria-label`), text on every
/// button, an `alt` on every image, and nothing taken out of the tab order.
func accessibilityProblems(_ html: String) -> [String] {
    var problems: [String] = []
    if html.firstMatch(of: #/<html lang="[a-z]+"/#) == nil { problems.append("no language on <html>") }
    let headings = html.matches(of: #/<h1[ >]/#).count
    if headings != 1 { problems.append("\(headings) <h1>") }
    let labelled = Set(html.matches(of: #/<label[^>]* for="([^"]+)"/#).map { String($0.output.1) })
    for field in html.matches(of: #/<(input|select|textarea)\b([^>]*)>/#) {
        let attributes = String(field.output.2)
        if attributes.contains(#"type="hidden""#) || attributes.contains(#"type="submit""#) || attributes.contains("aria-label=") { continue }
        guard let id = attributes.firstMatch(of: #/\bid="([^"]+)"/#)?.output.1, labelled.contains(String(id)) else {
            problems.append("a field without a label: <\(field.output.1)\(attributes)>")
            continue
        }
    }
    for button in html.matches(of: #/<button\b[^>]*>(.*?)</button>/#) where button.output.1.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
        problems.append("a button without text")
    }
    for image in html.matches(of: #/<img\b[^>]*>/#) where !image.output.contains("alt=") { problems.append("an image without alt") }
    if html.contains(#"tabindex="-"#) { problems.append("something taken out of the tab order") }
    let ids = html.matches(of: #/\bid="([^"]+)"/#).map { String($0.output.1) }
    for id in Set(ids) where ids.filter({ $0 == id }).count > 1 { problems.append("id \(id) used twice") }
    return problems
}

extension ConsoleTests {
    @Test("R-15.2 quality: every page is labelled for keyboards and screen readers — one h1, a label for every field, text on every button, unique ids")
    func accessibility() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let s = try await ConsoleSession.signIn(client, token: adminToken)
            func post(_ uri: String, _ form: String) async throws -> Reply {
                try await client.page(.post, uri, cookie: s.cookie, form: "_csrf=\(s.csrf)&" + form)
            }
            let order = try #require(try await post("/orders", "captureType=convergent&soldTo=CUST-ACME&relatedCustomers=CUST-JANE").headers[.location])
            _ = try await post(order + "/lines", "product=HOME-CONTRACT&owner=CUST-ACME")
            _ = try await post(order + "/validate", "")
            let session = try #require(try await post(order + "/sessions", "").headers[.location])
            let sessionPage = try await client.page(.get, session, cookie: s.cookie).text
            let instance = try #require(sessionPage.firstMatch(of: #/href="(/sessions/[^"/]+/instances/[^"]+)"/#)?.output.1)
            var pages = ["/", "/customers", "/customers?q=acme", "/customers/CUST-JANE", "/customers/CUST-ACME/contracts", "/installed-products/IC-JANE-1.1",
                         "/orders", "/orders/new", order, order + "/lines/1", session, String(instance), "/jeopardy", "/catalog", "/catalog/products",
                         "/catalog/products/HOME-CONTRACT", "/orders/CO-NOPE"]
            let bulk = try #require(try await post("/orders", "captureType=bulk&soldTo=CUST-ACME").headers[.location])
            _ = try await post(bulk + "/rows", "customer=CUST-JANE")
            pages += [bulk, "/customers/CUST-ACME", "/setup", "/users", "/users/admin", "/history/customer/CUST-JANE", order + "/lines/1",
                      "/catalog/diff?from=2026.1&to=2026.1", "/installed-contracts/IC-JANE-1", "/jobs"]
            pages.append("/sign-in")
            var fields = 0
            for uri in pages {
                let page = try await client.page(.get, uri, cookie: uri == "/sign-in" ? nil : s.cookie)
                #expect(page.status == .ok || page.status == .notFound, "\(uri)")
                #expect(accessibilityProblems(page.text) == [], "\(uri)")
                fields += page.text.matches(of: #/<(input|select|textarea)\b/#).count
            }
            #expect(fields > 100, "the pages checked have forms")
            // The check finds what it looks for.
            #expect(accessibilityProblems(#"<html lang="en"><h1>x</h1><input id="a" name="a"><button></button></html>"#).count == 2)
        }
    }
}

extension ConsoleTests {
    @Test("R-15.2, R-3.1, R-3.3, R-3.4: order entry forms — header dates and trial, a price adjustment added and removed, a customer's information, bulk rows added and removed, a related customer removed, a quote converted")
    func orderEntryForms() async throws {
        let app = try await TestApp.make()
        try await app.run { client in
            let s = try await ConsoleSession.signIn(client, token: adminToken)
            func post(_ uri: String, _ form: String) async throws -> Reply {
                try await client.page(.post, uri, cookie: s.cookie, form: "_csrf=\(s.csrf)&" + form)
            }
            let quote = try #require(try await post("/orders", "captureType=quote&soldTo=CUST-JANE").headers[.location])
            _ = try await post(quote + "/lines", "product=HOME-CONTRACT")
            #expect(try await post(quote + "/header", "productSellingDate=2026-12-15&trialDays=30").status == .seeOther)
            #expect(try await post(quote + "/adjustments", "line=1&type=recurring&amount=-5.00&currency=EUR&reason=loyalty").status == .seeOther)
            // The information form offers the addresses and contacts on the customer's record.
            #expect(try await client.page(.get, quote, cookie: s.cookie).text.contains(#"<option value="AD-1">CUST-JANE · AD-1 site: Rue Haute 12, Brussels</option>"#))
            #expect(try await post(quote + "/information", "customer=CUST-JANE&paymentMethod=directDebit&siteAddress=AD-1&billingAccount=account%3ABA-2001").status == .seeOther)
            var page = try await client.page(.get, quote, cookie: s.cookie).text
            #expect(page.contains("selling date 2026-12-15") && page.contains("trial 30 days"))
            #expect(page.contains("recurring -5.00 EUR on line 1 — loyalty"))
            #expect(page.contains("Recurring billing: by directDebit, account BA-2001") && page.contains("Site: address AD-1"))
            // A line's page: what it is, its prices and adjustments, its relationships.
            let line = try await client.page(.get, quote + "/lines/1", cookie: s.cookie)
            #expect(line.status == .ok && line.text.contains("HOME-CONTRACT") && line.text.contains("A1: recurring -5.00 EUR — loyalty"))
            // R-8: the line's billing rows, set from the line page; a refusal shown there in words.
            #expect(line.text.contains("Set the billing accounts") && line.text.contains(#"<option value="account:BA-2001" selected>"#))
            let wrong = try await post(quote + "/lines/1/billing", "rows%5Bs1%5D=account%3ABA-3001")
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("billing-not-allowed") && wrong.text.contains("Set the billing accounts"), "\(wrong.status) \(wrong.text.firstMatch(of: #/role="alert"[\s\S]{0,400}/#).map { String($0.output) } ?? "")")
            #expect(try await post(quote + "/lines/1/billing", "rows%5Bs1%5D=account%3ABA-2001&rows%5Bs2%5D=account%3ABA-2001").headers[.location] == quote + "/lines/1")
            // A body that is not a form is a 400 in words, never a 500.
            let garbled = try await post(quote + "/lines/1/billing", "rows%5Bs1%5D=a&rows%5Bs1%5D=b")
            #expect(garbled.status == .badRequest && garbled.text.contains("malformed-form"))
            let noLine = try await client.page(.get, quote + "/lines/9", cookie: s.cookie)
            #expect(noLine.status == .notFound && noLine.text.contains("unknown-line"))
            let bad = try await post(quote + "/adjustments", "type=recurring&amount=lots&currency=EUR&reason=x")
            #expect(bad.status == .unprocessableContent && bad.text.contains("<code>amount</code>"))
            #expect(try await post(quote + "/adjustments/A1/remove", "").status == .seeOther)
            page = try await client.page(.get, quote, cookie: s.cookie).text
            #expect(!page.contains("— loyalty"))
            // A quote converted to an order is a new order; the console goes there.
            let converted = try await post(quote + "/convert", "captureType=simple")
            let order = try #require(converted.headers[.location])
            #expect(order != quote && order.hasPrefix("/orders/"))
            #expect(try await client.page(.get, quote, cookie: s.cookie).text.contains("Converted to"))
            // R-3.1: a bulk order's rows, added and removed from its page.
            let bulk = try #require(try await post("/orders", "captureType=bulk&soldTo=CUST-ACME").headers[.location])
            #expect(try await client.page(.get, bulk, cookie: s.cookie).text.contains("No row yet"))
            #expect(try await post(bulk + "/rows", "customer=CUST-JANE&contact=CT-1").status == .seeOther)
            #expect(try await post(bulk + "/rows", "customer=CUST-ANON-1").status == .seeOther)
            let ghost = try await post(bulk + "/rows", "customer=CUST-GHOST")
            #expect(ghost.status == .unprocessableContent && ghost.text.contains("CUST-GHOST"))
            #expect(try await post(bulk + "/rows/2/remove", "").status == .seeOther)
            let rows = try await client.page(.get, bulk, cookie: s.cookie).text
            #expect(rows.contains("row 1: CUST-JANE, contact CT-1") && !rows.contains("row 2: CUST-ANON-1"))
            // A related customer removed from a convergent order.
            let convergent = try #require(try await post("/orders", "captureType=convergent&soldTo=CUST-JANE&relatedCustomers=CUST-ACME").headers[.location])
            #expect(try await client.page(.get, convergent, cookie: s.cookie).text.contains("Remove related customer CUST-ACME"))
            #expect(try await post(convergent + "/related-customers/CUST-ACME/remove", "confirm=true").status == .seeOther)
            #expect(!(try await client.page(.get, convergent, cookie: s.cookie).text.contains("related CUST-ACME")))
        }
    }
}

@Suite("R-15.2 console journeys in a real browser (headless Chromium through WebDriver)", .serialized,
       .enabled(if: Browser.available || ProcessInfo.processInfo.environment["CONVERGENT_TEST_BROWSER"] != nil))
struct ConsoleBrowserTests {
    /// An agent's token (agents may not override holds; administrators may).
    static func agentToken(_ engine: Engine) async throws -> String {
        try await engine.access.issueToken(for: "agent", label: "console test", context: engine.context("admin")).secret
    }

    /// From the new-order page: a convergent order sold to Jane with ACME related; the order's address.
    static func newConvergentOrder(_ browser: Browser, _ base: String) async throws -> String {
        try await browser.open(base + "/orders/new?soldTo=CUST-JANE")
        try await browser.choose("convergent", in: "#captureType")
        try await browser.type("CUST-ACME", into: "#relatedCustomers")
        try await browser.click("form.card button[type=submit]")
        return try await browser.url
    }

    /// On an order's page: a line for a new `product` owned by `owner`.
    static func addLine(_ browser: Browser, _ product: String, owner: String) async throws {
        try await browser.type(product, into: "#product")
        try await browser.choose(owner, in: "#owner")
        try await browser.click("form[aria-label='Add a line'] button")
    }

    /// Runs `journey` in a browser against the app on a real port (`base`: its address); before,
    /// `prepare` may set things up through the API.
    static func inBrowser(_ app: TestApp, prepare: @Sendable (any TestClientProtocol) async throws -> Void = { _ in },
                          _ journey: @Sendable (Browser, String) async throws -> Void) async throws {
        try await app.run(.live) { client in
            try await prepare(client)
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let browser = try await Browser.start()
            do {
                try await journey(browser, base)
            } catch {
                await browser.close()
                throw error
            }
            await browser.close()
        }
    }

    @Test("R-15.2, R-2.1 journey: sign in as an agent, find a customer by name and address, read the 360 view with its contract trees, sign out")
    func findCustomer() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app) { browser, base in
            try await browser.open(base + "/")
            #expect(try await browser.url.contains("/sign-in"))
            try await browser.screenshot("sign-in")
            try await browser.type(token, into: "#token")
            try await browser.click("form.card button[type=submit]")
            #expect(try await browser.text.contains("Find a customer"))
            // Found by words of her address and name, the way an agent on the phone hears them.
            try await browser.type("brussels jan", into: "#customer-search")
            try await browser.click("form[action='/customers'] button")
            #expect(try await browser.text.contains("Customers found by “brussels jan”"))
            #expect(try await browser.count("tbody tr") == 1)
            try await browser.screenshot("customer-search")
            try await browser.click("a[href='/customers/CUST-JANE']")
            #expect(try await browser.url.hasSuffix("/customers/CUST-JANE"))
            let text = try await browser.text
            #expect(text.contains("Jane Doe"))
            #expect(text.contains("MOBILE-CONTRACT"))
            #expect(try await browser.count("ul.tree li") >= 5, "the installed contract is shown as a tree")
            #expect(text.contains("BA-2001"))
            try await browser.screenshot("customer-360")
            try await browser.click("form.who button")
            #expect(try await browser.url.contains("/sign-in"))
            try await browser.open(base + "/customers/CUST-JANE")
            #expect(try await browser.url.contains("/sign-in"), "signed out, the 360 view needs signing in again")
        }
    }

    @Test("R-15.2 journey: a convergent order for two customers — a refusal in words, a line per customer, validation holds it and says how to resolve each hold")
    func convergentOrderWithHold() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app) { browser, base in
            try await browser.signIn(base, token: token)
            let order = try await Self.newConvergentOrder(browser, base)
            #expect(try await browser.text(of: "#order-status", becoming: "draft") == "draft")
            #expect(order.contains("/orders/CO"))
            // A refusal is shown in words: a line for a product the catalog does not sell.
            try await browser.type("NO-SUCH-PRODUCT", into: "#product")
            try await browser.click("form[aria-label='Add a line'] button")
            #expect(try await browser.count(".problem[role=alert]") == 1)
            try await browser.screenshot("order-refusal")
            // A home contract for Jane, a mobile contract for ACME.
            try await Self.addLine(browser, "HOME-CONTRACT", owner: "CUST-JANE")
            try await Self.addLine(browser, "MOBILE-CONTRACT", owner: "CUST-ACME")
            #expect(try await browser.count("tbody tr") == 2)
            // Not configured yet: validation holds the order, and each hold says how to resolve it.
            try await browser.click("form[action$='/validate'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "held") == "held")
            let page = try await browser.text
            #expect(page.contains("MLCTV"))
            #expect(page.contains("Reconfigure the bundle until it is valid"))
            #expect(try await browser.count("form[action*='/override']") == 0, "no hold here can be overridden, and an agent may override none")
            try await browser.screenshot("order-held")
        }
    }

    @Test("R-15.2 journey: a convergent order for two customers configured in the console — a placement question answered, attributes set, the hold resolved, submitted and completed")
    func configureConvergentOrder() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app) { browser, base in
            try await browser.signIn(base, token: token)
            let order = try await Self.newConvergentOrder(browser, base)
            // A home contract for Jane, a family mobile contract for ACME.
            try await Self.addLine(browser, "HOME-CONTRACT", owner: "CUST-JANE")
            try await Self.addLine(browser, "MOBILE-CONTRACT", owner: "CUST-ACME")
            // Not configured: held, MLCTV says to reconfigure.
            try await browser.click("form[action$='/validate'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "held") == "held")
            #expect(try await browser.text.contains("MLCTV"))
            // Configure: fibre for Jane; two voice lines and the shared data for ACME.
            try await browser.click("form[action$='/sessions'] button")
            let session = try await browser.url
            #expect(session.contains("/sessions/S"))
            func add(_ product: String, to contract: String, under parent: String = "") async throws {
                try await browser.type(product, into: "#add-product")
                try await browser.choose(contract, in: "#add-contract")
                try await browser.type(parent, into: "#add-parent")
                try await browser.click("form[aria-label='Add a product'] button")
            }
            try await add("FIBER-500", to: "L1")
            try await add("MOBILE-VOICE-DATA", to: "L2")
            let play = try #require(try await browser.elements("MOBILE-PLAY").first)
            try await browser.click("button[aria-label='Add another MOBILE-PLAY']")
            let secondPlay = try #require(try await browser.elements("MOBILE-PLAY").first { $0 != play })
            try await add("MOBILE-LINE-OFFER", to: "L2", under: secondPlay)
            let secondOffer = try #require(try await browser.elements("MOBILE-LINE-OFFER").last)
            try await add("MOBILE-VOICE-DATA", to: "L2", under: secondOffer)
            // The shared data brings a data SIM that could go on either line: the console asks.
            try await add("FAMILY-SHARED-DATA", to: "L2")
            #expect(try await browser.text(of: "#question-title") == "Where should DATA-SIM go?")
            #expect(try await browser.count("input[name=placement]") == 2)
            try await browser.screenshot("placement-question")
            try await browser.click("#place-\(secondOffer)")
            try await browser.click("form.question button")
            #expect(try await browser.count("form.question") == 0)
            #expect(try await browser.elements("DATA-SIM").count == 1)
            // Each voice line needs its number (attribute msisdn), set on the element's page.
            for (index, voice) in try await browser.elements("MOBILE-VOICE-DATA").enumerated() {
                try await browser.open(session + "/instances/\(voice)")
                try await browser.type("msisdn", into: "#attr-name")
                try await browser.type("3247000000\(index)", into: "#attr-value")
                try await browser.click("form[aria-label='Set an attribute'] button")
                #expect(try await browser.text.contains("msisdn = 3247000000\(index)"))
            }
            try await browser.click("a[href='\(session.replacingOccurrences(of: base, with: ""))']")
            #expect(try await browser.text(of: "#verification", becoming: "Valid") == "Valid")
            try await browser.screenshot("session-valid")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.url == order)
            try await browser.click("form[action$='/validate'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "draft") == "draft", "configured, the hold is resolved")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "submitted") == "submitted")
            // Fulfillment (the embedded provisioning simulator answers at once): the child orders, then the parent.
            for _ in 0..<3 { _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: app.engine.clock.now()) }
            try await browser.open(order)
            #expect(try await browser.text(of: "#order-status", becoming: "completed") == "completed")
            #expect(try await browser.count("a[href^='/orders/COM'], a[href^='/orders/SM']") >= 2, "its child orders, one per customer")
            try await browser.screenshot("convergent-order-completed")
        }
    }

    @Test("R-15.2, R-6.5 journey: a second order migrates Jane's mobile line into ACME's contract — the offer on the component's page, applied, reversed, applied again, submitted and fulfilled")
    func migrateComponent() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app) { browser, base in
            try await browser.signIn(base, token: token)
            let order = try await Self.newConvergentOrder(browser, base)
            for contract in ["IC-JANE-1", "IC-ACME-2"] {
                try await browser.type(contract, into: "#installedContract")
                try await browser.choose("change", in: "#action")
                try await browser.click("form[aria-label='Add a line'] button")
            }
            try await browser.click("form[action$='/sessions'] button")
            let session = try await browser.url
            // The component's page offers the move: into ACME's contract in the session, or a new contract.
            try await browser.click("#el-IC-JANE-1\\.1 > a.product")
            #expect(try await browser.url.hasSuffix("/instances/IC-JANE-1.1"))
            #expect(try await browser.text.contains("MOBILE-LINE-MOVE"))
            try await browser.screenshot("migration-offered")
            try await browser.choose("IC-ACME-2", in: "#to-MOBILE-LINE-MOVE")
            try await browser.click("section[aria-label='Migration MOBILE-LINE-MOVE'] form button")
            #expect(try await browser.url == session)
            #expect(try await browser.text.contains("M1: "))
            #expect(try await browser.count("section[aria-label='Contract IC-ACME-2'] #el-IC-JANE-1\\.1") == 1, "the line is now in ACME's contract")
            // Reversed, it is back in Jane's; applied again for the order.
            try await browser.click("button[aria-label='Reverse migration M1']")
            #expect(try await browser.count("section[aria-label='Contract IC-JANE-1'] #el-IC-JANE-1\\.1") == 1)
            try await browser.open(session + "/instances/IC-JANE-1.1")
            try await browser.choose("IC-ACME-2", in: "#to-MOBILE-LINE-MOVE")
            try await browser.click("section[aria-label='Migration MOBILE-LINE-MOVE'] form button")
            try await browser.screenshot("migration-applied")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.url == order)
            try await browser.click("form[action$='/validate'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "draft") == "draft")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "submitted") == "submitted")
            for _ in 0..<4 { _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: app.engine.clock.now()) }
            try await browser.open(order)
            #expect(try await browser.text(of: "#order-status", becoming: "completed") == "completed")
            try await browser.open(base + "/customers/CUST-ACME")
            #expect(try await browser.count("section.contract li .muted") > 0)
            #expect(try await browser.text.contains("MOBILE-PLAY"))
        }
    }

    @Test("R-15.2 journey: a hold only administrators may override — the agent sees it without an override button; an administrator overrides it with a reason and submits")
    func overrideHold() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        // Jane's home contract with Fibre 1000, sold only from 2027-01-01, beside products sold now.
        try await Self.inBrowser(app, prepare: { client in
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "simple", "soldTo": "CUST-JANE"}"#)
        }) { browser, base in
            try await browser.open(base + "/orders/COM000001")
            try await browser.type(token, into: "#token")
            try await browser.click("form.card button[type=submit]")
            #expect(try await browser.url.hasSuffix("/orders/COM000001"), "signing in leads back to the page asked for")
            try await browser.type("HOME-CONTRACT", into: "#product")
            try await browser.click("form[aria-label='Add a line'] button")
            try await browser.click("form[action$='/sessions'] button")
            try await browser.type("FIBER-1000", into: "#add-product")
            try await browser.click("form[aria-label='Add a product'] button")
            try await browser.click("form[action$='/submit'] button")
            try await browser.click("form[action$='/validate'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "held") == "held")
            #expect(try await browser.text.contains("SELCON"))
            #expect(try await browser.count("#reason-SELCON") == 0, "agents may not override holds")
            try await browser.click("form.who button")
            try await browser.type(adminToken, into: "#token")
            try await browser.click("form.card button[type=submit]")
            try await browser.open(base + "/orders/COM000001")
            try await browser.type("the customer waits for Fibre 1000", into: "#reason-SELCON")
            try await browser.click("form[action*='/holds/SELCON/override'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "draft") == "draft")
            #expect(try await browser.text.contains("overridden by admin: the customer waits for Fibre 1000"))
            try await browser.screenshot("order-hold-overridden")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "queued") == "queued", "sold from 2027-01-01: the order waits for that day")
        }
    }

    @Test("R-15.2, R-8 journey: a line no account can pay — the hold says so, the row says why; a new prepaid account marked on the order and chosen for the row; the hold is gone")
    func splitBilling() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app) { browser, base in
            try await browser.signIn(base, token: token)
            try await browser.open(base + "/orders/new?soldTo=CUST-JANE")
            try await browser.choose("simple", in: "#captureType")
            try await browser.click("form.card button[type=submit]")
            let order = try await browser.url
            try await Self.addLine(browser, "PREPAID-CONTRACT", owner: "CUST-JANE")
            try await browser.click("form[action$='/validate'] button")
            #expect(try await browser.text.contains("BARNS"))
            try await browser.choose("Prepaid", in: "#new-account-type")
            try await browser.click("form[aria-label='Mark a new billing account'] button")
            #expect(try await browser.text.contains("NEW-1: new Prepaid account for CUST-JANE"))
            #expect(try await browser.count("button[aria-label='Take back NEW-1']") == 1)
            try await browser.open(order + "/lines/1")
            #expect(try await browser.text.contains("billing account type mismatch, select manually"))
            try await browser.choose("new:NEW-1", in: "#billing-row-1")
            try await browser.click("form[aria-label='Set the billing accounts'] button")
            #expect(try await browser.url.hasSuffix("/lines/1"))
            let line = try await browser.text
            #expect(line.contains("NEW-1 (new)") && !line.contains("select manually"))
            try await browser.screenshot("line-billing")
            try await browser.open(order)
            try await browser.click("form[action$='/validate'] button")
            #expect(!(try await browser.text.contains("BARNS")))
        }
    }

    @Test("R-15.2, R-4.2, R-6.3 journey: in the session an agent gives ACME's mobile line its own usage account, then moves Jane's line into ACME's contract; on the order page Billed To offers ACME's accounts and takes another; submitted and fulfilled, each is paid as chosen")
    func billingInSessionAndBilledTo() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app, prepare: { client in
            let opened = try await client.call(.post, "/api/v1/customers/CUST-ACME/billing-accounts",
                                               json: #"{"id": "BA-1003", "type": "Individual", "paymentMode": "postpaid", "status": "Active", "currency": "EUR"}"#)
            #expect(opened.status == .created, "\(opened.text.prefix(300))")
        }) { browser, base in
            try await browser.signIn(base, token: token)
            let order = try await Self.newConvergentOrder(browser, base)
            for contract in ["IC-JANE-1", "IC-ACME-2"] {
                try await browser.type(contract, into: "#installedContract")
                try await browser.choose("change", in: "#action")
                try await browser.click("form[aria-label='Add a line'] button")
            }
            try await browser.click("form[action$='/sessions'] button")
            let session = try await browser.url
            // R-4.2: ACME's mobile line shows the rows it inherits; it is given its own, its usage paid by the holding.
            try await browser.open(session + "/instances/IC-ACME-2.3")
            #expect(try await browser.text.contains("inherited from the contract or a parent"))
            try await browser.choose("account:BA-1002", in: "#billing-row-1")
            try await browser.choose("account:BA-1001", in: "#billing-row-2")
            try await browser.click("form[aria-label='Set the billing accounts'] button")
            #expect(try await browser.url.hasSuffix("/instances/IC-ACME-2.3"))
            #expect(try await browser.text.contains("its own rows"))
            #expect(try await browser.count(".problem[role=alert]") == 0)
            #expect(try await browser.text.contains("BA-1001"))
            try await browser.screenshot("session-billing")
            // R-6.3: Jane's line moves into ACME's contract.
            try await browser.open(session + "/instances/IC-JANE-1.1")
            try await browser.choose("IC-ACME-2", in: "#to-MOBILE-LINE-MOVE")
            try await browser.click("section[aria-label='Migration MOBILE-LINE-MOVE'] form button")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.url == order)
            #expect(try await browser.text.contains("Billed To across customers"))
            #expect(try await browser.text(of: "#billed-to-M1 option:checked", becoming: "BA-1002").hasPrefix("BA-1002"), "defaulted from ACME's contract")
            try await browser.choose("BA-1003", in: "#billed-to-M1")
            try await browser.click("form[action$='/migrations/M1/billed-to'] button")
            #expect(try await browser.url == order)
            #expect(try await browser.text.contains("paid by BA-1003"))
            try await browser.screenshot("billed-to")
            try await browser.click("form[action$='/validate'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "draft") == "draft")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "submitted") == "submitted")
            for _ in 0..<4 { _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: app.engine.clock.now()) }
            try await browser.open(order)
            #expect(try await browser.text(of: "#order-status", becoming: "completed") == "completed")
            // Installed: the line that came is paid by BA-1003; ACME's line has its usage row on BA-1001.
            let contract = try await app.engine.installedBase.contract("IC-ACME-2")
            let arrived = contract.root.all.filter { $0.migratedFrom != nil }
            #expect(!arrived.isEmpty && arrived.allSatisfy { $0.billingAccount == "BA-1003" }, "\(arrived.map { ($0.id, $0.billingAccount ?? "-") })")
            let usage = contract.root.all.first { $0.id == "IC-ACME-2.3" }?.billingRows?.first { $0.sequence == 2 }?.account
            #expect(usage == "BA-1001")
        }
    }

    @Test("R-15.2, R-9.1, R-9.2, R-9.3, R-16.2 journey: an order's page shows the commitment line Fibre 500 brought; fulfilled, the customer's page lists the commitment; its page prices an early end; disconnected and the day run, it shows Violated with that penalty")
    func commitments() async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(clock: clock, port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app, prepare: { client in try await submitHomeOrder(client, number: 1) }) { browser, base in
            try await browser.signIn(base, token: token)
            // The order: line 2 is the commitment Fibre 500 brings.
            try await browser.open(base + "/orders/COM000001")
            let text = try await browser.text
            #expect(text.contains("COMMIT-24M"))
            #expect(text.contains("commits line 1, covers"))
            try await browser.screenshot("order-commitment-line")
            _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: clock.now())
            // The customer's page lists it; its page prices ending it on 1 December.
            try await browser.open(base + "/customers/CUST-JANE")
            try await browser.click("a[href='/commitment-contracts/CC-COM000001-2']")
            #expect(try await browser.text.contains("2026-11-22 to 2028-11-22"))
            // The form prices today (the whole 240 EUR on the first day), and any day it is given.
            try await browser.click("form[aria-label='What ending it would cost'] button")
            #expect(try await browser.text(of: "#penalty-preview").contains("240.00 EUR on 2026-11-22"))
            try await browser.open(base + "/commitment-contracts/CC-COM000001-2?on=2026-12-01")
            #expect(try await browser.text(of: "#penalty-preview").contains("237.05 EUR"))
            try await browser.screenshot("commitment-penalty-preview")
            // Disconnected on 1 December; the next day's run marks it violated with that penalty.
            clock.set(Day("2026-12-01")!.startDate.addingTimeInterval(36_000))
            try await browser.open(base + "/orders/new?soldTo=CUST-JANE")
            try await browser.choose("serviceManagement", in: "#captureType")
            try await browser.click("form.card button[type=submit]")
            try await browser.type("IC-COM000001-1", into: "#installedContract")
            try await browser.choose("disconnect", in: "#action")
            try await browser.click("form[aria-label='Add a line'] button")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "submitted") == "submitted")
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 86_400)
            try await browser.open(base + "/commitment-contracts/CC-COM000001-2")
            let violated = try await browser.text
            #expect(violated.contains("violated"))
            #expect(violated.contains("Penalty due: 237.05 EUR on 2026-12-01"))
            try await browser.screenshot("commitment-violated")
            try await browser.open(base + "/customers/CUST-JANE/commitments?status=violated")
            #expect(try await browser.count("a[href='/commitment-contracts/CC-COM000001-2']") == 1)
        }
    }

    /// Jane's home contract fulfilled (its commitment CC-COM000001-2 covering fibre and TV; the
    /// TV uncovered directly first when asked), a service-management order changing it with its
    /// session S000002 open, and an agent signed in: then `journey`, given the fibre's and the TV's
    /// installed ids and the session's commitment form.
    static func inHomeSession(uncoveringTV: Bool = false,
                              _ journey: @Sendable (TestApp, FixedClock, Browser, String, String, String, String) async throws -> Void) async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(clock: clock, port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app, prepare: { client in
            try await submitHomeOrder(client, number: 1)
            try await runJobs(app.engine, clock: clock, rounds: 2, step: 0)
            if uncoveringTV {
                let tv = try #require(try await app.engine.installedBase.contract("IC-COM000001-1").root.all.first { $0.product == "TV-BASIC-PACK" }?.id)
                #expect(try await client.call(.post, "/api/v1/commitment-contracts/CC-COM000001-2/coverage", json: #"{"remove": ["\#(tv)"], "reason": "test"}"#).status == .ok)
            }
            _ = try await client.call(.post, "/api/v1/orders", json: #"{"captureType": "serviceManagement", "soldTo": "CUST-JANE"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/lines", json: #"{"installedContract": "IC-COM000001-1", "action": "change"}"#)
            _ = try await client.call(.post, "/api/v1/orders/SM000001/sessions")
        }) { browser, base in
            let contract = try await app.engine.installedBase.contract("IC-COM000001-1")
            let fibre = try #require(contract.root.all.first { $0.product == "FIBER-500" }?.id)
            let tv = try #require(contract.root.all.first { $0.product == "TV-BASIC-PACK" }?.id)
            try await browser.signIn(base, token: token)
            try await journey(app, clock, browser, base, fibre, tv, "form[aria-label='Change commitment CC-COM000001-2 in this order']")
        }
    }

    @Test("R-15.2, R-4.2, R-9.4 journey: in a session an agent uncovers the TV from the fibre's commitment and sees the change pending; uncovering the fibre that brought it shows its triggering rule broken; withdrawn, nothing is left to apply")
    func commitmentChangeInSession() async throws {
        try await Self.inHomeSession { app, clock, browser, base, fibre, tv, form in
            try await browser.open(base + "/sessions/S000002/instances/\(tv)")
            try await browser.click("\(form) input[name='remove[\(tv)]']")
            try await browser.type("loyalty", into: "\(form) input[name='reason']")
            try await browser.click("\(form) button:not([name])")
            #expect(try await browser.text.contains("In this order: uncovers \(tv) — loyalty"))
            try await browser.screenshot("session-commitment-change")
            // The fibre brought it: uncovering it breaks the triggering rule while the fibre stays.
            try await browser.open(base + "/sessions/S000002/instances/\(fibre)")
            try await browser.click("\(form) input[name='remove[\(fibre)]']")
            try await browser.click("\(form) button:not([name])")
            #expect(try await browser.text.contains("uncovering it breaks its triggering rule"))
            try await browser.screenshot("session-commitment-trigger-broken")
            try await browser.click("\(form) button[name='withdraw']")
            let text = try await browser.text
            #expect(!text.contains("uncovering it breaks its triggering rule") && !text.contains("In this order:"))
            #expect(try await app.engine.orders.session("S000002", today: Day(clock.now())).session.commitmentChanges == nil)
        }
    }

    @Test("R-15.2, R-4.2, R-9.4 journey: the TV was uncovered; in a session the fibre's page offers to cover it again, the agent ticks it and sees the change pending; the order completed, the commitment covers the TV again")
    func commitmentCoverInSession() async throws {
        try await Self.inHomeSession(uncoveringTV: true) { app, clock, browser, base, fibre, tv, form in
            try await browser.open(base + "/sessions/S000002/instances/\(fibre)")
            try await browser.click("\(form) input[name='add[\(tv)]']")
            try await browser.type("back on the bundle", into: "\(form) input[name='reason']")
            try await browser.click("\(form) button:not([name])")
            #expect(try await browser.text.contains("In this order: covers \(tv) — back on the bundle"))
            try await browser.screenshot("session-commitment-cover")
            // Submitted and fulfilled, the change applies: the TV is covered again.
            let today = Day(clock.now())
            _ = try await app.engine.orders.finishSession("S000002", submit: true, today: today, context: app.engine.context("test"))
            #expect(try await app.engine.orders.submit("SM000001", expectedVersion: nil, today: today, context: app.engine.context("test")).value.status == .submitted)
            try await runJobs(app.engine, clock: clock, rounds: 4, step: 60)
            #expect(try await app.engine.orders.order("SM000001").value.status == .completed)
            let covers = try await app.engine.commitments.contract("CC-COM000001-2").value.covers
            #expect(covers.contains { $0.installedProduct == tv && $0.active }, "\(covers)")
        }
    }

    @Test("R-15.2, R-6.3 journey: a service agreement ordered in the console — the line asks what it covers, a product the agreement cannot cover refused in words, the fibre and TV named; submitted and fulfilled, the customer's page lists it and its page shows what it covers")
    func serviceAgreement() async throws {
        let clock = FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))
        let app = try await TestApp.make(clock: clock, port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app, prepare: { client in try await submitHomeOrder(client, number: 1) }) { browser, base in
            _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: clock.now())
            let contract = try await app.engine.installedBase.contract("IC-COM000001-1")
            let fibre = try #require(contract.root.all.first { $0.product == "FIBER-500" }?.id)
            let tv = try #require(contract.root.all.first { $0.product == "TV-BASIC-PACK" }?.id)
            try await browser.signIn(base, token: token)
            try await browser.open(base + "/orders/new?soldTo=CUST-JANE")
            try await browser.choose("simple", in: "#captureType")
            try await browser.click("form.card button[type=submit]")
            try await browser.type("CARE-PLUS", into: "#product")
            try await browser.click("form[aria-label='Add a line'] button")
            #expect(try await browser.text.contains("covers nothing yet"))
            try await browser.type("IC-JANE-1.3", into: "#covers-1")
            try await browser.click("form[action$='/lines/1/agreement'] button")
            #expect(try await browser.text.contains("agreement-not-coverable"))
            try await browser.type("\(fibre), \(tv)", into: "#covers-1")
            try await browser.click("form[action$='/lines/1/agreement'] button")
            #expect(try await browser.text.contains("covers \(fibre), \(tv)"))
            try await browser.click("form[action$='/validate'] button")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "submitted") == "submitted")
            _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: clock.now())
            try await browser.open(base + "/customers/CUST-JANE")
            try await browser.click("a[href='/service-agreements/SA-COM000002-1']")
            let page = try await browser.text
            #expect(page.contains("CARE-PLUS") && page.contains("maintenance") && page.contains(fibre) && page.contains(tv))
            try await browser.screenshot("service-agreement")
        }
    }

    @Test("R-15.2, R-1.10, R-1.11 journey: from the catalog to a subscription type — its HD-box rule held per distributor — and on to the billing term scheme it allows, with its resting rules and activation conditions")
    func subscriptionCatalogJourney() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app) { browser, base in
            try await browser.signIn(base, token: token)
            try await browser.open(base + "/catalog")
            try await browser.click("a[href='/catalog/subscription-types']")
            #expect(try await browser.text.contains("HOME-BROADBAND"))
            try await browser.click("a[href^='/catalog/subscription-types/HOME-TV']")
            let page = try await browser.text
            #expect(page.contains("The Ultra HD pack needs an HD set-top box on the same distributor") && page.contains("on each distributor"))
            _ = try await browser.screenshot("subscription-type")
            try await browser.click("h3 a[href^='/catalog/billing-term-schemes/HOME-MONTHLY']")
            let scheme = try await browser.text
            #expect(scheme.contains("Allowed by: HOME-BROADBAND HOME-TV") && scheme.contains("at most 60 days, 2 times a year"))
        }
    }

    @Test("R-15.2 journey: a service-management order — suspend an installed contract, validate, submit, watch it complete")
    func serviceManagementOrder() async throws {
        let app = try await TestApp.make(port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app) { browser, base in
            try await browser.signIn(base, token: token)
            try await browser.open(base + "/orders/new?soldTo=CUST-JANE")
            try await browser.choose("serviceManagement", in: "#captureType")
            try await browser.click("form.card button[type=submit]")
            let order = try await browser.url
            try await browser.type("IC-JANE-1", into: "#installedContract")
            try await browser.choose("suspend", in: "#action")
            try await browser.click("form[aria-label='Add a line'] button")
            #expect(try await browser.text.contains("IC-JANE-1"))
            try await browser.click("form[action$='/validate'] button")
            try await browser.click("form[action$='/submit'] button")
            #expect(try await browser.text(of: "#order-status", becoming: "submitted") == "submitted")
            // Fulfillment runs (the embedded provisioning simulator answers at once).
            _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: app.engine.clock.now())
            try await browser.open(order)
            #expect(try await browser.text(of: "#order-status", becoming: "completed") == "completed")
            try await browser.screenshot("order-completed")
            try await browser.open(base + "/customers/CUST-JANE")
            #expect(try await browser.text.contains("suspended"))
        }
    }
}
