import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import Hummingbird

/// The console's pages and forms, mounted at `/` (the API is under `/api/v1`).
extension Console {
    func register(on router: Router<AppRequestContext>) {
        router.get("/console.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "max-age=300"],
                     body: .init(byteBuffer: ByteBuffer(string: Self.stylesheet)))
        }
        router.get("/sign-in") { request, _ in signInPage(next: Self.safeNext(request.formQuery.get("next")), problem: nil, secure: Self.secure(request)) }
        router.post("/sign-in") { request, _ in await signIn(request) }
        router.post("/sign-out") { request, _ in
            await action(request, Empty.self, refused: { agent, problem in error(problem, agent: agent) }) { _, _ in "/sign-in" }
                .clearingSession()
        }
        router.get("/") { request, _ in await page(request) { agent in try await home(agent) } }
        router.get("/customers") { request, _ in await page(request) { agent in try await customers(request, agent) } }
        router.get("/customers/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in try await customer(id, request, agent) }
        }
        router.post("/customers") { request, _ in
            await action(request, NewCustomerForm.self, refused: { agent, problem in
                var page = try await customerList(request, agent)
                page.problem = ProblemView(problem)
                return render("customers", page)
            }) { agent, form in
                let created = Wire.Customer(try await engine.parties.create(try form.customer(), context: engine.context(agent.user.id)))
                return "/customers/\(Self.pathComponent(created.value1.id ?? ""))"
            }
        }
        customerAction(router, "contacts", ContactForm.self) { agent, id, form in
            _ = try await engine.parties.addContact(Customer.Contact(id: "", name: form.name, role: Self.text(form.role), email: Self.text(form.email), phone: Self.text(form.phone)),
                                                    to: id, expectedVersion: nil, context: engine.context(agent.user.id))
        }
        customerAction(router, "bill-to", BillToForm.self) { agent, id, form in
            _ = try await engine.parties.addBillTo(Customer.BillToRelationship(payer: form.payer.trimmingCharacters(in: .whitespaces),
                                                                               period: Period(start: try dayParameter(Self.text(form.start), "start"),
                                                                                              end: try dayParameter(Self.text(form.end), "end"))),
                                                   to: id, expectedVersion: nil, context: engine.context(agent.user.id))
        }
        customerAction(router, "billing-accounts", AccountForm.self) { agent, id, form in
            let balance = try Self.text(form.balance).map { text -> Decimal in
                guard let amount = Decimal(string: text) else { throw Problem(.unprocessableContent, "invalid-value", "balance is a number, e.g. 20.00", field: "balance") }
                return amount
            }
            _ = try await engine.parties.createAccount(BillingAccount(id: "", owner: id, contact: Self.text(form.contact), type: try Self.choice(BillingAccount.AccountType.self, form.type, "type"),
                                                                      paymentMode: try Self.choice(PaymentMode.self, form.paymentMode, "paymentMode"),
                                                                      status: try Self.choice(BillingAccount.Status.self, form.status, "status"), balance: balance,
                                                                      currency: Self.text(form.currency)), context: engine.context(agent.user.id))
        }
        customerAction(router, "billing-accounts/:account/status", AccountStatusForm.self) { agent, _, form in
            _ = try await engine.parties.setAccountStatus(try Self.choice(BillingAccount.Status.self, form.status, "status"), of: form.account,
                                                          expectedVersion: nil, context: engine.context(agent.user.id))
        }
        router.get("/customers/:id/contracts") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                _ = try Self.require(agent, .manageCustomers)
                _ = try await engine.parties.customer(id)
                let page = try Wire.InstalledContractPage(try await engine.installedBase.contracts(of: id, after: request.formQuery.get("cursor"), limit: 20))
                return render("contracts", ContractsPage(layout: Layout(title: "Installed contracts of \(id)", agent: agent), customer: id,
                                                         contracts: page.items.map(ContractView.init),
                                                         next: page.nextCursor.map { "/customers/\(Self.pathComponent(id))/contracts?" + Self.query(["cursor": $0]) }))
            }
        }
        router.get("/installed-products/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                _ = try Self.require(agent, .manageCustomers)
                let product = try await engine.installedProductAnswer(id)
                var page = InstalledProductPage(product, layout: Layout(title: "\(product.product) · \(id)", agent: agent))
                // R-13: a package subscription (an installed plan) links to its plans and migration.
                let catalog = try await engine.catalogs.active(on: engine.today).catalog
                page.plan = PlanMigrationRules.plan(of: ProductID(product.product), in: catalog).map { "\($0.name) (\($0.id))" }
                return render("installed-product", page)
            }
        }
        router.get("/orders") { request, _ in await page(request) { agent in try await orders(request, agent) } }
        router.get("/orders/new") { request, _ in
            await page(request) { agent in newOrder(agent, soldTo: request.formQuery.get("soldTo") ?? "", problem: nil) }
        }
        router.post("/orders") { request, _ in
            await action(request, NewOrderForm.self, refused: { agent, problem in newOrder(agent, soldTo: "", problem: ProblemView(problem)) }) { agent, form in
                let related = form.relatedCustomers?.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) ?? []
                let header = OrderHeader(soldTo: form.soldTo.trimmingCharacters(in: .whitespaces), relatedCustomers: related,
                                         source: form.source.flatMap { $0.isEmpty ? nil : $0 })
                let type = try Self.choice(CaptureType.self, form.captureType, "captureType")
                let order = try Wire.Order(OrderDetail(try await engine.orders.create(type, header: header, on: engine.today, context: engine.context(agent.user.id))))
                return "/orders/\(Self.pathComponent(order.id))"
            }
        }
        router.get("/orders/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in try await order(id, agent, problem: nil) }
        }
        orderAction(router, "lines", LineForm.self) { agent, id, form in
            let installed = form.installedContract.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
            // The owner is chosen for a new contract; an installed one keeps its own.
            _ = try await engine.orders.addLine(toOrder: id, product: form.product.flatMap { $0.isEmpty ? nil : ProductID($0) },
                                                installedContract: installed,
                                                installedProduct: installed == nil ? nil : form.installedProduct.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) },
                                                action: try form.action.flatMap { $0.isEmpty ? nil : try Self.choice(LineAction.self, $0, "action") },
                                                owner: installed == nil ? form.owner.flatMap { $0.isEmpty ? nil : $0 } : nil,
                                                reason: form.reason.flatMap { $0.isEmpty ? nil : $0 },
                                                expectedVersion: form.version, today: engine.today, context: engine.context(agent.user.id))
        }
        orderAction(router, "lines/:line/remove", VersionForm.self) { agent, id, form, line in
            _ = try await engine.orders.removeLine(line, fromOrder: id, expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "lines/:line/commitment", CommitmentForm.self) { agent, id, form, line in
            _ = try await engine.orders.chooseCommitment(ProductID(form.commitment), forLine: line, inOrder: id, today: engine.today,
                                                         expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "lines/:line/agreement", AgreementForm.self) { agent, id, form, line in
            let covers = form.covers.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
            _ = try await engine.orders.setAgreementCoverage(covers, ofLine: line, inOrder: id, today: engine.today,
                                                             expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "lines/:line/clone", VersionForm.self) { agent, id, form, line in
            _ = try await engine.orders.cloneLine(line, ofOrder: id, expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "validate", VersionForm.self) { agent, id, form in
            _ = try await engine.orders.validate(id, expectedVersion: form.version, today: engine.today, context: engine.context(agent.user.id, reason: "validation"))
        }
        orderAction(router, "submit", VersionForm.self) { agent, id, form in
            _ = try await engine.orders.submit(id, expectedVersion: form.version, today: engine.today, context: engine.context(agent.user.id, reason: "submission"))
        }
        orderAction(router, "cancel", VersionForm.self) { agent, id, form in
            _ = try await engine.orders.cancel(id, expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "related-customers", CustomerForm.self) { agent, id, form in
            _ = try await engine.orders.addRelatedCustomer(form.customer.trimmingCharacters(in: .whitespaces), toOrder: id, expectedVersion: form.version,
                                                           day: engine.today, context: engine.context(agent.user.id))
        }
        orderAction(router, "holds/:code/override", OverrideForm.self) { agent, id, form, _, code in
            _ = try Self.require(agent, .overrideHolds)
            guard let hold = HoldCode(rawValue: code) else { throw Problem(.notFound, "unknown-hold", "no hold code '\(code)'", field: "code") }
            _ = try await engine.orders.overrideHold(hold, ofOrder: id, reason: form.reason, expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "header", HeaderForm.self) { agent, id, form in
            _ = try await engine.orders.setHeader(ofOrder: id, productSellingDate: try dayParameter(form.productSellingDate.flatMap { $0.isEmpty ? nil : $0 }, "productSellingDate"),
                                                  trialDays: try form.trialDays.flatMap { $0.isEmpty ? nil : $0 }.map { text in
                                                      guard let days = Int(text) else { throw Problem(.unprocessableContent, "invalid-value", "trial days is a whole number", field: "trialDays") }
                                                      return days
                                                  },
                                                  expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "adjustments", AdjustmentForm.self) { agent, id, form in
            guard let amount = Decimal(string: form.amount.trimmingCharacters(in: .whitespaces)) else {
                throw Problem(.unprocessableContent, "invalid-value", "amount is a number, e.g. -5.00", field: "amount")
            }
            _ = try await engine.orders.addAdjustment(toOrder: id, line: try form.line.flatMap { $0.isEmpty ? nil : $0 }.map { try numberParameter($0, "line") },
                                                      type: try Self.choice(PriceType.self, form.type, "type"), amount: amount,
                                                      currency: form.currency.trimmingCharacters(in: .whitespaces), reason: form.reason,
                                                      expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "adjustments/:code/remove", VersionForm.self) { agent, id, form, _, adjustment in
            _ = try await engine.orders.removeAdjustment(adjustment, fromOrder: id, expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "related-customers/:code/remove", ConfirmForm.self) { agent, id, form, _, customer in
            _ = try await engine.orders.removeRelatedCustomer(customer, fromOrder: id, confirmed: form.confirm == "true", expectedVersion: form.version,
                                                              context: engine.context(agent.user.id))
        }
        orderAction(router, "information", InformationForm.self) { agent, id, form in
            _ = try await engine.orders.setInformation(try form.information(), onOrder: id, expectedVersion: form.version, day: engine.today,
                                                       context: engine.context(agent.user.id))
        }
        router.post("/orders/:id/convert") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, ConvertForm.self, refused: { agent, problem in try await order(id, agent, problem: ProblemView(problem)) }) { agent, form in
                let converted = try Wire.Order(OrderDetail(try await engine.orders.convert(id, to: try Self.choice(CaptureType.self, form.captureType, "captureType"),
                                                                                           today: engine.today, context: engine.context(agent.user.id, reason: "conversion of \(id)"))))
                return "/orders/\(Self.pathComponent(converted.id))"
            }
        }
        orderAction(router, "fulfillment/retry", VersionForm.self) { agent, id, form in
            _ = try await engine.fulfiller.retry(id, expectedVersion: form.version, at: engine.clock.now(), context: engine.context(agent.user.id, reason: "provisioning retried"))
        }
        orderAction(router, "fulfillment/resume", VersionForm.self) { agent, id, form in
            _ = try await engine.fulfiller.resume(id, expectedVersion: form.version, at: engine.clock.now(), context: engine.context(agent.user.id, reason: "provisioning resumed"))
        }
        router.get("/orders/:id/lines/:line") { request, context in
            let id = context.parameters.get("id") ?? "", line = context.parameters.get("line") ?? ""
            return await page(request) { agent in try await linePage(id, line: line, agent, problem: nil) }
        }
        router.post("/orders/:id/lines/:line/billing") { request, context in
            let id = context.parameters.get("id") ?? "", line = context.parameters.get("line") ?? ""
            return await action(request, BillingForm.self, refused: { agent, problem in try await linePage(id, line: line, agent, problem: ProblemView(problem)) }) { agent, form in
                let choices = try Self.billingChoices(form.rows)
                _ = try await engine.orders.setBilling(choices, ofLine: try numberParameter(line, "line"), component: form.component.flatMap { $0.isEmpty ? nil : $0 },
                                                       confirmed: form.confirm == "true", onOrder: id, expectedVersion: form.version, today: engine.today,
                                                       context: engine.context(agent.user.id))
                return "/orders/\(Self.pathComponent(id))/lines/\(line)"
            }
        }
        // R-3.3: a line's customer and product site, from the line's page.
        lineAction(router, "customer", CustomerForm.self) { agent, id, line, form in
            _ = try await engine.orders.setCustomer(form.customer.trimmingCharacters(in: .whitespaces), ofLine: line, inOrder: id, expectedVersion: form.version,
                                                    context: engine.context(agent.user.id))
        }
        lineAction(router, "site", SiteForm.self) { agent, id, line, form in
            let site = Self.text(form.address) == nil && Self.text(form.contact) == nil ? nil : SiteInformation(address: Self.text(form.address), contact: Self.text(form.contact))
            _ = try await engine.orders.setSite(site, ofLine: line, onOrder: id, expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        // R-11.4: a queued order released by hand on its execution date.
        orderAction(router, "release", VersionForm.self) { agent, id, _ in
            _ = try await engine.orders.release(id, asOf: engine.today, context: engine.context(agent.user.id, reason: "released from the console"))
        }
        orderAction(router, "rows", BulkRowForm.self) { agent, id, form in
            _ = try await engine.orders.addBulkRow(toOrder: id, customer: form.customer.trimmingCharacters(in: .whitespaces), contact: Self.text(form.contact),
                                                   installedContract: Self.text(form.installedContract), expectedVersion: form.version,
                                                   context: engine.context(agent.user.id))
        }
        orderAction(router, "rows/:line/remove", VersionForm.self) { agent, id, form, row in
            _ = try await engine.orders.removeBulkRow(row, fromOrder: id, expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "new-accounts/:code/remove", VersionForm.self) { agent, id, form, _, account in
            _ = try await engine.orders.unmarkNewAccount(account, onOrder: id, expectedVersion: form.version, context: engine.context(agent.user.id))
        }
        orderAction(router, "migrations/:code/billed-to", BilledToForm.self) { agent, id, form, _, migration in
            _ = try await engine.orders.setBilledTo(form.account, migration: migration, onOrder: id, expectedVersion: form.version,
                                                    today: engine.today, context: engine.context(agent.user.id))
        }
        orderAction(router, "new-accounts", NewAccountForm.self) { agent, id, form in
            _ = try await engine.orders.markNewAccount(customer: form.customer.trimmingCharacters(in: .whitespaces),
                                                       contact: form.contact.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) },
                                                       type: try Self.choice(BillingAccount.AccountType.self, form.type, "type"), onOrder: id,
                                                       expectedVersion: form.version, today: engine.today, context: engine.context(agent.user.id))
        }
        router.get("/jeopardy") { request, _ in await page(request) { agent in try await jeopardy(request, agent) } }
        registerSessions(on: router)
        registerCatalog(on: router)
        registerSubscriptionCatalog(on: router)
        registerSubscriptions(on: router)
        registerSetup(on: router)
        registerUsers(on: router)
        registerHistory(on: router)
        registerInstalled(on: router)
        registerCommitments(on: router)
        registerPlanMigrations(on: router)
    }

    // MARK: Forms

    struct Empty: Decodable, Sendable {}

    /// R-2.1: a new customer, with its first contact and address when given.
    struct NewCustomerForm: Decodable, Sendable {
        var kind: String
        var name: String?
        var id: String?
        var contactName: String?
        var email: String?
        var phone: String?
        var line1: String?
        var city: String?
        var postalCode: String?
        var country: String?

        func customer() throws -> Customer {
            let contact = Console.text(contactName).map { Customer.Contact(id: "", name: $0, email: Console.text(email), phone: Console.text(phone)) }
            let address = Console.text(line1).map {
                Customer.Address(id: "", purpose: "site", line1: $0, city: Console.text(city) ?? "", postalCode: Console.text(postalCode), country: Console.text(country) ?? "")
            }
            guard let kind = Customer.Kind(rawValue: kind) else { throw Problem(.unprocessableContent, "invalid-value", "kind is person or company", field: "kind") }
            return Customer(id: Console.text(id) ?? "", kind: kind, name: Console.text(name),
                            contacts: contact.map { [$0] } ?? [], addresses: address.map { [$0] } ?? [])
        }
    }

    struct ContactForm: Decodable, Sendable {
        var name: String
        var role: String?
        var email: String?
        var phone: String?
    }

    struct BillToForm: Decodable, Sendable {
        var payer: String
        var start: String?
        var end: String?
    }

    struct AccountForm: Decodable, Sendable {
        var type: String
        var paymentMode: String
        var status: String
        var contact: String?
        var balance: String?
        var currency: String?
    }

    struct AccountStatusForm: Decodable, Sendable {
        var account: String
        var status: String
    }

    /// Text a form field holds, trimmed; nil when empty.
    static func text(_ value: String?) -> String? {
        value.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) }
    }

    /// A form posted on a customer's 360 page: it goes back there, or shows the refusal there.
    func customerAction<Form: Decodable & Sendable>(_ router: Router<AppRequestContext>, _ path: String, _ form: Form.Type,
                                                    _ act: @escaping @Sendable (Agent, String, Form) async throws -> Void) {
        router.post(RouterPath("/customers/:id/" + path)) { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, form, refused: { agent, problem in try await customer(id, request, agent, problem: ProblemView(problem)) }) { agent, fields in
                try await act(agent, id, fields)
                return "/customers/\(Self.pathComponent(id))"
            }
        }
    }

    /// R-8: a line's (or component's) billing rows: `rows[s<sequence>]` is `account:<id>`, `new:<NEW-n>` or empty
    /// (keys that are not numbers: the form decoder reads `rows[1]` as a list).
    struct BillingForm: Decodable, Sendable {
        var version: Int?
        var component: String?
        var confirm: String?
        var rows: [String: String]?
    }

    struct SiteForm: Decodable, Sendable {
        var version: Int?
        var address: String?
        var contact: String?
    }

    /// A form posted on a line's page: it goes back there, or shows the refusal there.
    func lineAction<Form: Decodable & Sendable>(_ router: Router<AppRequestContext>, _ path: String, _ form: Form.Type,
                                                _ act: @escaping @Sendable (Agent, String, Int, Form) async throws -> Void) {
        router.post(RouterPath("/orders/:id/lines/:line/" + path)) { request, context in
            let id = context.parameters.get("id") ?? "", line = context.parameters.get("line") ?? ""
            return await action(request, form, refused: { agent, problem in try await linePage(id, line: line, agent, problem: ProblemView(problem)) }) { agent, fields in
                try await act(agent, id, try numberParameter(line, "line"), fields)
                return "/orders/\(Self.pathComponent(id))/lines/\(line)"
            }
        }
    }

    /// R-3.1: a row of a bulk order: a customer (and, for bulk service management, its installed contract).
    struct BulkRowForm: Decodable, Sendable {
        var version: Int?
        var customer: String
        var contact: String?
        var installedContract: String?
    }

    /// R-6.3: the account of the new owner paying a product migrated across customers.
    struct BilledToForm: Decodable, Sendable {
        var version: Int?
        var account: String
    }

    struct NewAccountForm: Decodable, Sendable {
        var version: Int?
        var customer: String
        var contact: String?
        var type: String
    }

    /// R-8: what a form may choose to pay with — an existing account (`account:<id>`) or a new
    /// one the order marked (`new:<NEW-n>`); the one encoding every billing form reads back.
    static func accountOptions(_ options: BillingOptions) -> [Option] {
        options.accounts.map {
            Option(value: "account:\($0.id)", label: "\($0.id) · \($0.owner) · \($0.type.rawValue), \($0.paymentMode.rawValue), \($0.status.rawValue)", selected: false)
        } + options.newAccounts.map { Option(value: "new:\($0.id)", label: "\($0.id) · new \($0.type.rawValue) account for \($0.customer)", selected: false) }
    }

    /// A billing form's rows read back: `rows[s<sequence>]` → the choice of that row.
    static func billingChoices(_ rows: [String: String]?) throws -> [BillingChoice] {
        try (rows ?? [:]).sorted { $0.key < $1.key }.map { key, value -> BillingChoice in
            guard key.hasPrefix("s"), let sequence = Int(key.dropFirst()) else {
                throw Problem(.unprocessableContent, "invalid-value", "a row is named s<sequence>, e.g. rows[s1]", field: "rows")
            }
            let choice = accountChoice(value)
            return BillingChoice(sequence: sequence, account: choice.account, newAccount: choice.newAccount)
        }
    }

    /// A chosen option of `accountOptions` read back; empty (or anything else): no account.
    static func accountChoice(_ value: String) -> (account: String?, newAccount: String?) {
        if value.hasPrefix("account:") { return (String(value.dropFirst(8)), nil) }
        if value.hasPrefix("new:") { return (nil, String(value.dropFirst(4))) }
        return (nil, nil)
    }

    /// A line's page; with the accounts its rows may name (the order's customers', those paying
    /// for them, the new accounts marked).
    func linePage(_ id: String, line: String, _ agent: Agent, problem: ProblemView?) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let order = try Wire.Order(try await engine.orderDetail(try await engine.orders.order(id)))
        let number = try numberParameter(line, "line")
        let options = try await engine.orders.billingOptions(forOrder: id, today: engine.today)
        let choices = Self.accountOptions(options)
        guard let page = LinePage(order, number: number, layout: Layout(title: "Order \(id), line \(number)", agent: agent), choices: choices, problem: problem) else {
            throw Problem(.notFound, "unknown-line", "order \(id) has no line \(number)", field: "line")
        }
        return render("line", page, status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    /// A form about a version of an order: `version` is what the page showed (a stale one is a conflict).
    struct VersionForm: Decodable, Sendable {
        var version: Int?
    }

    /// R-6.3: the installed products a service agreement line covers, separated by commas or spaces.
    struct AgreementForm: Decodable, Sendable {
        var version: Int?
        var covers: String
    }

    /// R-9.1: the commitment chosen among those a line triggers.
    struct CommitmentForm: Decodable, Sendable {
        var version: Int?
        var commitment: String
    }

    struct NewOrderForm: Decodable, Sendable {
        var captureType: String
        var soldTo: String
        var relatedCustomers: String?
        var source: String?
    }

    struct LineForm: Decodable, Sendable {
        var version: Int?
        var product: String?
        var installedContract: String?
        /// Suspend or resume: one installed product of the contract (a play) instead of all of it.
        var installedProduct: String?
        var action: String?
        var owner: String?
        var reason: String?
    }

    struct HeaderForm: Decodable, Sendable {
        var version: Int?
        var productSellingDate: String?
        var trialDays: String?
    }

    struct AdjustmentForm: Decodable, Sendable {
        var version: Int?
        var line: String?
        var type: String
        var amount: String
        var currency: String
        var reason: String
    }

    struct ConfirmForm: Decodable, Sendable {
        var version: Int?
        var confirm: String?
    }

    struct ConvertForm: Decodable, Sendable {
        var captureType: String
    }

    /// One customer's billing, shipping and site information (R-3.3); an empty field is left unset.
    struct InformationForm: Decodable, Sendable {
        var version: Int?
        var customer: String
        var billingCustomer: String?
        var billingContact: String?
        var billingAddress: String?
        var paymentMethod: String?
        /// R-8.2: the default account of the customer's lines: `account:<id>` or `new:<NEW-n>`.
        var billingAccount: String?
        var shippingContact: String?
        var shippingAddress: String?
        var shipmentDate: String?
        var siteAddress: String?
        var siteContact: String?

        func information() throws -> CustomerOrderInformation {
            func text(_ value: String?) -> String? { value.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }
            let method = try text(paymentMethod).map { try Console.choice(PaymentMethod.self, $0, "paymentMethod") }
            let account = text(billingAccount)
            let billing = [text(billingCustomer), text(billingContact), text(billingAddress), account].allSatisfy { $0 == nil } && method == nil ? nil
                : BillingInformation(customer: text(billingCustomer), contact: text(billingContact), address: text(billingAddress), paymentMethod: method,
                                     account: account.flatMap { Console.accountChoice($0).account },
                                     newAccount: account.flatMap { Console.accountChoice($0).newAccount })
            let shipping = [text(shippingContact), text(shippingAddress), text(shipmentDate)].allSatisfy { $0 == nil } ? nil
                : ShippingInformation(contact: text(shippingContact), address: text(shippingAddress), shipmentDate: try dayParameter(text(shipmentDate), "shipmentDate"))
            let site = text(siteAddress) == nil && text(siteContact) == nil ? nil : SiteInformation(address: text(siteAddress), contact: text(siteContact))
            return CustomerOrderInformation(customer: customer, recurringBilling: billing, shipping: shipping, site: site)
        }
    }

    struct CustomerForm: Decodable, Sendable {
        var version: Int?
        var customer: String
    }

    struct OverrideForm: Decodable, Sendable {
        var version: Int?
        var reason: String
    }

    static func choice<T: RawRepresentable & CaseIterable>(_: T.Type, _ text: String, _ field: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: text) else {
            throw Problem(.unprocessableContent, "invalid-value", "\(field) is one of \(T.allCases.map(\.rawValue).joined(separator: ", "))", field: field)
        }
        return value
    }

    /// A form posted to `/orders/{id}/<path>`: done, the order page again; refused, the order page with the refusal.
    func orderAction<Form: Decodable & Sendable>(_ router: Router<AppRequestContext>, _ path: String, _ form: Form.Type,
                                                 _ act: @escaping @Sendable (Agent, String, Form, Int, String) async throws -> Void) {
        router.post(RouterPath("/orders/:id/" + path)) { request, context in
            let id = context.parameters.get("id") ?? ""
            let line = context.parameters.get("line").flatMap { Int($0) } ?? 0
            let code = context.parameters.get("code") ?? ""
            return await action(request, form, refused: { agent, problem in try await order(id, agent, problem: ProblemView(problem)) }) { agent, fields in
                try await act(agent, id, fields, line, code)
                return "/orders/\(id)"
            }
        }
    }

    func orderAction<Form: Decodable & Sendable>(_ router: Router<AppRequestContext>, _ path: String, _ form: Form.Type,
                                                 _ act: @escaping @Sendable (Agent, String, Form, Int) async throws -> Void) {
        orderAction(router, path, form) { agent, id, fields, line, _ in try await act(agent, id, fields, line) }
    }

    func orderAction<Form: Decodable & Sendable>(_ router: Router<AppRequestContext>, _ path: String, _ form: Form.Type,
                                                 _ act: @escaping @Sendable (Agent, String, Form) async throws -> Void) {
        orderAction(router, path, form) { agent, id, fields, _, _ in try await act(agent, id, fields) }
    }

    // MARK: Sign-in

    /// The sign-in form, with a new sign-in CSRF token: a random value in a cookie only this site's
    /// pages send (SameSite=Strict) and in the form. Another site cannot sign a browser in with
    /// a token of its choosing (login CSRF), as it can neither read nor send the cookie.
    func signInPage(next: String, problem: Problem?, secure: String) -> Response {
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255) }.hexString
        var response = render("sign-in", SignInPage(layout: Layout(title: "Sign in", agent: nil), next: next, csrf: nonce, problem: problem.map(ProblemView.init)),
                              status: problem?.status ?? .ok)
        response.headers[.setCookie] = "\(Self.signInCookie)=\(nonce); Path=/sign-in; HttpOnly; SameSite=Strict; Max-Age=3600" + secure
        return response
    }

    static let signInCookie = "convergent_sign_in"

    func signIn(_ request: Request) async -> Response {
        let body = (try? await RequestBody.collect(request, limit: 16 << 10)).map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? ""
        let token = Self.field("token", in: body)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let next = Self.safeNext(Self.field("next", in: body))
        let secure = Self.secure(request)
        guard let nonce = Self.cookieValue(request, Self.signInCookie), !nonce.isEmpty, Self.sameToken(Self.field("_csrf", in: body), nonce) else {
            return signInPage(next: next, problem: Problem(.forbidden, "csrf-token-invalid", "this sign-in form is out of date or did not come from the console; sign in again"),
                              secure: secure)
        }
        do {
            _ = try await engine.access.authenticate(token)
        } catch {
            return signInPage(next: next, problem: Problem(.unauthorized, "sign-in-refused", "that token is not valid (it may be revoked or mistyped); ask an administrator for a new one"),
                              secure: secure)
        }
        let value = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return Self.redirect(next, cookie: "\(Self.cookie)=\(value); Path=/; HttpOnly; SameSite=Strict" + secure)
    }

    /// Behind a TLS-terminating proxy cookies are sent over HTTPS only.
    static func secure(_ request: Request) -> String {
        request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" ? "; Secure" : ""
    }

    /// Where to go after signing in: a path of this site only (never another site).
    static func safeNext(_ next: String?) -> String {
        guard let next = next?.removingPercentEncoding ?? next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else { return "/" }
        return next
    }

    // MARK: Pages

    func home(_ agent: Agent) async throws -> Response {
        let jeopardy = try await engine.fulfiller.jeopardy(after: nil, limit: 100)
        return render("home", HomePage(layout: Layout(title: "Convergent", agent: agent),
                                       statuses: Option.list(OrderStatus.allCases.map(\.rawValue), selected: nil, any: "any status"),
                                       captureTypes: Option.list(CaptureType.allCases.map(\.rawValue), selected: nil, any: "any capture type"),
                                       jeopardy: jeopardy.items.count))
    }

    func customers(_ request: Request, _ agent: Agent) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let query = request.formQuery
        // An exact id opens the customer; `id` is what links and bookmarks of the id form sent.
        let id = (query.get("id") ?? query.get("q"))?.trimmingCharacters(in: .whitespaces) ?? ""
        if !id.isEmpty, query.get("cursor") == nil, (try? await engine.parties.customer(id)) != nil {
            return Self.redirect("/customers/\(Self.pathComponent(id))")
        }
        return render("customers", try await customerList(request, agent))
    }

    /// The customers page: a search (R-2.1), paged, and the form for a new customer.
    func customerList(_ request: Request, _ agent: Agent) async throws -> CustomerListPage {
        let query = request.formQuery
        let kind = try query.get("kind").flatMap { text throws -> Customer.Kind? in
            guard !text.isEmpty else { return nil }
            guard let kind = Customer.Kind(rawValue: text) else { throw Problem(.unprocessableContent, "invalid-value", "kind is person or company", field: "kind") }
            return kind
        }
        let words = String((query.get("q") ?? query.get("id") ?? "").prefix(200))
        let found = try await engine.parties.search(words, kind: kind, after: query.get("cursor"), limit: 25)
        let next = found.nextCursor.map { "/customers?" + Self.query(["q": words.isEmpty ? nil : words, "kind": kind?.rawValue, "cursor": $0]) }
        return CustomerListPage(layout: Layout(title: words.isEmpty ? "Customers" : "Customers found by “\(words)”", agent: agent),
                                kinds: Option.list(["person", "company"], selected: kind?.rawValue, any: "any kind"),
                                words: words, items: found.customers.map { CustomerRow(Wire.Customer($0)) }, next: next, problem: nil)
    }

    func customer(_ id: String, _ request: Request, _ agent: Agent, problem: ProblemView? = nil) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let overview = try Wire.CustomerOverview(try await engine.overview(of: id, limit: 20))
        let customer = overview.customer.value1
        let groups = overview.ordersByStatus.additionalProperties.sorted { $0.key < $1.key }.map { status, orders in
            StatusGroup(status: status, orders: orders.map {
                OrderRow(id: $0.id, date: $0.orderDate, captureType: $0.captureType, status: $0.status.rawValue, customer: id, products: $0.products.joined(separator: ", "))
            })
        }
        let page = CustomerPage(
            layout: Layout(title: customer.name ?? id, agent: agent), id: id, name: customer.anonymous == true ? "(anonymous)" : customer.name ?? id,
            kind: customer.kind.rawValue,
            segment: (customer.segment?.additionalProperties).flatMap { $0.isEmpty ? nil : $0.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") },
            contacts: (customer.contacts ?? []).map { [$0.name, $0.role, $0.email, $0.phone].compactMap { $0 }.joined(separator: " · ") },
            addresses: (customer.addresses ?? []).map { [$0.purpose + ":", $0.line1, $0.line2, $0.postalCode, $0.city, $0.country].compactMap { $0 }.joined(separator: " ") },
            accounts: overview.billingAccounts.map(AccountRow.init), ordersByStatus: groups, moreOrders: overview.ordersNextCursor != nil,
            contracts: overview.installedContracts.map(ContractView.init),
            moreContracts: overview.installedContractsNextCursor.map { "/customers/\(Self.pathComponent(id))/contracts?" + Self.query(["cursor": $0]) },
            commitmentRows: overview.commitments.map(CommitmentRow.init),
            moreCommitments: overview.commitmentsNextCursor.map { "/customers/\(Self.pathComponent(id))/commitments?" + Self.query(["cursor": $0]) },
            agreementRows: try await engine.agreements.agreements(of: id, limit: 20).items.map { AgreementRow(try Wire.ServiceAgreement($0)) },
            subscriptions: try await subscriptionSection(of: id, accounts: overview.billingAccounts.compactMap { $0.value1.id }),
            payers: (customer.billTo ?? []).map { "\($0.payer), from \($0.period.start ?? "always") to \($0.period.end ?? "no end")" },
            path: Self.pathComponent(id),
            contactOptions: (customer.contacts ?? []).compactMap { c in c.id.map { Option(value: $0, label: "\($0) \(c.name)", selected: false) } },
            problem: problem)
        return render("customer", page, status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    func orders(_ request: Request, _ agent: Agent) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let q = request.formQuery
        func text(_ name: String) -> String? { q.get(name).flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }
        let status = try text("status").map { try Self.choice(OrderStatus.self, $0, "status") }
        let captureType = try text("captureType").map { try Self.choice(CaptureType.self, $0, "captureType") }
        let limit = 25
        let found = try await engine.orders.orders(customer: text("customer"), status: status, captureType: captureType,
                                                   from: try dayParameter(text("from"), "from"), to: try dayParameter(text("to"), "to"),
                                                   after: text("cursor"), limit: limit + 1)
        let items = try found.prefix(limit).map { stored in
            let order = try Wire.Order(OrderDetail(stored))
            return OrderRow(id: order.id, date: order.orderDate, captureType: order.captureType, status: order.status.rawValue,
                            customer: order.header.soldTo, products: order.lines.map(\.product).joined(separator: ", "))
        }
        let next = found.count > limit ? "/orders?" + Self.query(["customer": text("customer"), "status": status?.rawValue, "captureType": captureType?.rawValue,
                                                                   "from": text("from"), "to": text("to"), "cursor": items.last?.id]) : nil
        return render("orders", OrderListPage(layout: Layout(title: "Orders", agent: agent), customer: text("customer") ?? "", from: text("from") ?? "", to: text("to") ?? "",
                                              statuses: Option.list(OrderStatus.allCases.map(\.rawValue), selected: status?.rawValue, any: "any status"),
                                              captureTypes: Option.list(CaptureType.allCases.map(\.rawValue), selected: captureType?.rawValue, any: "any capture type"),
                                              items: items, next: next, problem: nil))
    }

    func newOrder(_ agent: Agent, soldTo: String, problem: ProblemView?) -> Response {
        render("new-order", NewOrderPage(layout: Layout(title: "New order", agent: agent),
                                         captureTypes: Option.list(CaptureType.allCases.map(\.rawValue), selected: CaptureType.convergent.rawValue),
                                         soldTo: soldTo, relatedCustomers: "", source: "", problem: problem))
    }

    func order(_ id: String, _ agent: Agent, problem: ProblemView?) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let order = try Wire.Order(try await engine.orderDetail(try await engine.orders.order(id)))
        var page = OrderPage(order, layout: Layout(title: "Order \(id)", agent: agent), mayOverride: agent.user.may(.overrideHolds), problem: problem)
        // R-8.5: a new account is for a customer of the order or one paying for one.
        let options = try await engine.orders.billingOptions(forOrder: id, today: engine.today)
        page.billToCustomers = options.customers.map { Option(value: $0, label: $0, selected: $0 == options.soldTo) }
        page.billingAccounts = Self.accountOptions(options)
        // R-6.3: across customers, which of the new owner's accounts pays what migrates.
        page.billedTo = (order.migrations ?? []).filter { $0.migration.sourceCustomer != $0.migration.targetCustomer }.map { m in
            BilledToRow(migration: m.migration.id ?? "",
                        text: "\(m.migration.id ?? ""): \(m.migration.component) (\(m.migration.product)) moves from \(m.migration.sourceCustomer) to \(m.migration.targetCustomer), paid by \(m.billedTo ?? "no account yet")",
                        accounts: options.accounts.filter { $0.owner == m.migration.targetCustomer }.map {
                            Option(value: $0.id, label: "\($0.id) · \($0.type.rawValue), \($0.paymentMode.rawValue), \($0.status.rawValue)", selected: $0.id == m.billedTo)
                        })
        }
        // The information form offers the addresses and contacts on the records of the order's customers.
        for customerID in [order.header.soldTo] + order.header.relatedCustomers {
            guard let customer = try? await engine.parties.customer(customerID) else { continue }
            let record = Wire.Customer(customer).value1
            page.addresses += (record.addresses ?? []).compactMap { a in
                a.id.map { Option(value: $0, label: "\(customerID) · \($0) \(a.purpose): \(a.line1), \(a.city)", selected: false) }
            }
            page.contacts += (record.contacts ?? []).compactMap { c in c.id.map { Option(value: $0, label: "\(customerID) · \($0) \(c.name)", selected: false) } }
        }
        return render("order", page, status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    func jeopardy(_ request: Request, _ agent: Agent) async throws -> Response {
        _ = try Self.require(agent, .manageCustomers)
        let page = try Wire.JeopardyPage(try await engine.fulfiller.jeopardy(after: request.formQuery.get("cursor"), limit: 25))
        let items = page.items.map { item in
            JeopardyRow(order: item.order ?? "", customer: item.customer ?? "", captureType: item.captureType ?? "",
                        reason: [item.jeopardy?.reason, (item.jeopardy?.messages ?? []).joined(separator: ", ")].compactMap { $0 }.joined(separator: " — "),
                        since: item.jeopardy?.since.map { ISO8601DateFormatter().string(from: $0) } ?? "", version: item.version ?? 0)
        }
        return render("jeopardy", JeopardyPage(layout: Layout(title: "Jeopardy", agent: agent), items: items,
                                               next: page.nextCursor.map { "/jeopardy?cursor=\($0)" }))
    }

    // MARK: Helpers

    static func require(_ agent: Agent, _ permission: Permission) throws -> User {
        try authorized(agent.user, permission)
    }

    static func pathComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? text
    }

    static func query(_ items: [String: String?]) -> String {
        items.sorted { $0.key < $1.key }.compactMap { key, value in
            value.map { "\(key)=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
        }.joined(separator: "&")
    }
}

extension Response {
    /// The same answer, ending the console session (the cookie is emptied and expires).
    func clearingSession() -> Response {
        var response = self
        response.headers[.setCookie] = "\(Console.cookie)=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
        return response
    }
}
