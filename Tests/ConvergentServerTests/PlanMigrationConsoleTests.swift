import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("R-13, R-2.4 plan migrations and permissions in the console")
struct PlanMigrationConsoleTests {
    @Test("R-13.2, R-13.4, R-2.4: a package links to its plans — every plan offered or why not, with its fee; a user not attributed sees every blocker and no start; an administrator grants named permissions on the user's page; the migrations list resumes an open one")
    func pages() async throws {
        let app = try await TestApp.make(clock: FixedClock(PlanMigrationAPITests.start))
        let agent = try await ConsoleBrowserTests.agentToken(app.engine)
        let trainee = try await app.engine.access.issueToken(for: "trainee", label: "console test", context: app.engine.context("admin")).secret
        try await app.run { client in
            let session = try await ConsoleSession.signIn(client, token: agent)
            let product = try await client.page(.get, "/installed-products/IC-HOME-1.3", cookie: session.cookie).text
            #expect(product.contains(#"<a href="/installed-products/IC-HOME-1.3/plans">Plans and migration</a>"#) && product.contains("Fibre 500 (BB-FIBRE-500)"))
            let plans = try await client.page(.get, "/installed-products/IC-HOME-1.3/plans", cookie: session.cookie)
            #expect(plans.status == .ok && accessibilityProblems(plans.text) == [])
            #expect(plans.text.contains("downgrade, in contract (term ends 2028-02-02): break-out fee 120 EUR") && plans.text.contains("<code>plan-not-on-sale</code>"))
            #expect(plans.text.contains("Start a plan migration"))

            // Trainee: not the agent attributed to Eleni's sale — the blocker with its remedy, no start.
            let other = try await ConsoleSession.signIn(client, token: trainee)
            let blocked = try await client.page(.get, "/installed-products/IC-HOME-1.3/plans", cookie: other.cookie).text
            #expect(blocked.contains("<code>not-attributed-agent</code>") && blocked.contains("grant you &#39;act-for:agent&#39;") && !blocked.contains("Start a plan migration"),
                    "\(blocked.prefix(1500))")
            let refused = try await client.page(.post, "/installed-products/IC-HOME-1.3/plans/migrate", cookie: other.cookie, form: "_csrf=\(other.csrf)")
            #expect(refused.status == .conflict && refused.text.contains("[not-attributed-agent]"))

            // The administrator grants trainee act-for:agent on its user page.
            let admin = try await ConsoleSession.signIn(client, token: adminToken)
            let userPage = try await client.page(.get, "/users/trainee", cookie: admin.cookie).text
            #expect(userPage.contains("Grant permissions") && userPage.contains("none granted") && accessibilityProblems(userPage) == [])
            let granted = try await client.page(.post, "/users/trainee/permissions", cookie: admin.cookie, form: "_csrf=\(admin.csrf)&waiveFees=on&actFor=agent")
            #expect(granted.status == .seeOther)
            #expect(try await client.page(.get, "/users/trainee", cookie: admin.cookie).text.contains("<code>waive-fees</code> <code>act-for:agent</code>"))
            #expect(!(try await client.page(.get, "/users/trainee", cookie: other.cookie).text.contains("Grant permissions")), "only administrators grant")
            let started = try await client.page(.post, "/installed-products/IC-HOME-1.3/plans/migrate", cookie: other.cookie, form: "_csrf=\(other.csrf)")
            #expect(started.status == .seeOther && started.headers[.location] == "/plan-migrations/PM-000001")
            let list = try await client.page(.get, "/plan-migrations?step=chooseTarget", cookie: session.cookie).text
            #expect(list.contains(#"<a href="/plan-migrations/PM-000001">resume</a>"#) && accessibilityProblems(list) == [])
            let catalog = try await client.page(.get, "/catalog/plans", cookie: session.cookie).text
            #expect(catalog.contains("downgrade, inContract: fee 120 EUR") && catalog.contains("segment residential") && catalog.contains("EL-RESIDENTIAL, EL-BELGIUM"))
            #expect(accessibilityProblems(catalog) == [])
            let migration = try await client.page(.get, "/plan-migrations/PM-000001", cookie: session.cookie).text
            #expect(migration.contains("Fibre 200 (BB-FIBRE-200) — downgrade") && !migration.contains("Fibre 1000 (BB-FIBRE-1000) —") && accessibilityProblems(migration) == [])
        }
    }
}

extension ConsoleBrowserTests {
    @Test("R-15.2, R-13.1, R-13.3 journey: the agent attributed to Eleni's sale opens her Fibre 500, sees every plan with its fee, starts a migration, picks Fibre 200, sees the 120 EUR break-out fee before confirming, confirms; once fulfilled the migration is completed and the new package shows it")
    func planMigrationJourney() async throws {
        // In the 24-month contract (Fibre 500 installed on 2026-02-02), whatever day the tests run.
        let app = try await TestApp.make(clock: FixedClock(PlanMigrationAPITests.start), port: 0)
        let token = try await Self.agentToken(app.engine)
        try await Self.inBrowser(app) { browser, base in
            try await browser.signIn(base, token: token)
            try await browser.open(base + "/installed-products/IC-HOME-1.3")
            try await browser.click("a[href='/installed-products/IC-HOME-1.3/plans']")
            #expect(try await browser.text.contains("break-out fee 120 EUR"))
            _ = try await browser.screenshot("plan-options")
            try await browser.click("form[action='/installed-products/IC-HOME-1.3/plans/migrate'] button")
            #expect(try await browser.url.hasSuffix("/plan-migrations/PM-000001"))
            try await browser.click("#target-BB-FIBRE-200")
            try await browser.click("form[aria-label='Choose the target plan'] button")
            let review = try await browser.text
            #expect(review.contains("Fee charged on confirmation: 120 EUR") && review.contains("reviewFee") && !review.contains("Waive the fee"), "\(review.prefix(800))")
            _ = try await browser.screenshot("plan-migration-review")
            try await browser.click("form[aria-label='Confirm the migration'] button")
            #expect(try await browser.text.contains("fulfilling"))
            for _ in 0..<4 { _ = try await JobRunner(engine: app.engine, worker: "journey").runDue(now: app.engine.clock.now()) }
            try await browser.open(base + "/plan-migrations/PM-000001")
            let done = try await browser.text
            #expect(done.contains("completed") && done.contains("break-out fee 120 EUR"), "\(done.prefix(800))")
        }
    }
}
