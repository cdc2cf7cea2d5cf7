import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird

/// Customers, contacts, bill-to relationships and billing accounts (R-2.1 … R-2.3), and the
/// history of any aggregate (R-15.5).
struct CustomerRoutes {
    let engine: Engine

    struct CustomerInput: Decodable, Sendable {
        var id: String?
        var kind: Customer.Kind
        var name: String?
        var anonymous: Bool?
        var segment: [String: String]?
        var attributedAgent: String?
        var accountsReceivableActive: Bool?
        var contacts: [ContactInput]?
        var addresses: [AddressInput]?
        var billTo: [Customer.BillToRelationship]?
    }

    struct ContactInput: Decodable, Sendable {
        var id: String?
        var name: String
        var role: String?
        var email: String?
        var phone: String?

        var contact: Customer.Contact { Customer.Contact(id: id ?? "", name: name, role: role, email: email, phone: phone) }
    }

    /// An address; its id is assigned (`AD-1`, …) when not given, as a contact's is.
    struct AddressInput: Decodable, Sendable {
        var id: String?
        var purpose: String
        var line1: String
        var line2: String?
        var city: String
        var postalCode: String?
        var country: String

        var address: Customer.Address {
            Customer.Address(id: id ?? "", purpose: purpose, line1: line1, line2: line2, city: city, postalCode: postalCode, country: country)
        }
    }

    struct AccountInput: Decodable, Sendable {
        var id: String?
        var contact: String?
        var type: BillingAccount.AccountType
        var paymentMode: PaymentMode
        var status: BillingAccount.Status?
        var balance: Decimal?
        var currency: String?
    }

    struct StatusInput: Decodable, Sendable {
        var status: BillingAccount.Status
    }

    func register(_ routes: inout Routes, _ api: RouterGroup<AppRequestContext>) {
        let p = "/api/v1"
        routes.add(.get, "/customers", api, prefix: p) { request, context in
            _ = try context.require(.manageCustomers)
            let kind = try request.query("kind").map { text in
                guard let kind = Customer.Kind(rawValue: text) else {
                    throw Problem(.unprocessableContent, "invalid-parameter", "kind is person or company", field: "kind")
                }
                return kind
            }
            let limit = try request.limitParameter()
            let found = try await engine.parties.customers(kind: kind, after: request.query("cursor"), limit: limit + 1)
            let items = found.prefix(limit).map(Wire.Customer.init)
            return try JSONIO.response(Wire.CustomerPage(items: items, nextCursor: found.count > limit ? items.last?.value1.id : nil))
        }
        routes.add(.post, "/customers", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(CustomerInput.self, from: request)
            let customer = Customer(id: input.id ?? "", kind: input.kind, name: input.name, anonymous: input.anonymous ?? false,
                                    segment: input.segment ?? [:], attributedAgent: input.attributedAgent,
                                    accountsReceivableActive: input.accountsReceivableActive ?? true,
                                    contacts: (input.contacts ?? []).map(\.contact),
                                    addresses: (input.addresses ?? []).map(\.address), billTo: input.billTo ?? [])
            let created = try await engine.parties.create(customer, context: engine.context(user.id))
            let body = Wire.Customer(created)
            return try JSONIO.response(body, status: .created, headers: [.location: "/api/v1/customers/\(body.value1.id ?? "")"])
        }
        routes.add(.get, "/customers/{id}", api, prefix: p) { _, context in
            _ = try context.require(.manageCustomers)
            return try JSONIO.response(Wire.Customer(try await engine.parties.customer(try context.parameter("id"))))
        }
        routes.add(.get, "/customers/{id}/360", api, prefix: p) { request, context in
            _ = try context.require(.manageCustomers)
            return try JSONIO.response(try Wire.CustomerOverview(try await engine.overview(of: try context.parameter("id"),
                                                                                           limit: try request.limitParameter(default: CustomerOverview.defaultPageSize))))
        }
        routes.add(.post, "/customers/{id}/contacts", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(ContactInput.self, from: request)
            let updated = try await engine.parties.addContact(input.contact, to: try context.parameter("id"),
                                                               expectedVersion: try request.expectedVersion(), context: engine.context(user.id))
            return try JSONIO.response(Wire.Customer(updated), status: .created)
        }
        routes.add(.post, "/customers/{id}/bill-to", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(Wire.BillTo.self, from: request).relationship()
            let updated = try await engine.parties.addBillTo(input, to: try context.parameter("id"),
                                                              expectedVersion: try request.expectedVersion(), context: engine.context(user.id))
            return try JSONIO.response(Wire.Customer(updated), status: .created)
        }
        routes.add(.get, "/customers/{id}/billing-accounts", api, prefix: p) { _, context in
            _ = try context.require(.manageCustomers)
            return try JSONIO.response(try await engine.parties.accounts(ownedBy: try context.parameter("id")).map(Wire.BillingAccount.init))
        }
        routes.add(.post, "/customers/{id}/billing-accounts", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(AccountInput.self, from: request)
            let account = BillingAccount(id: input.id ?? "", owner: try context.parameter("id"), contact: input.contact, type: input.type,
                                         paymentMode: input.paymentMode, status: input.status ?? .pending, balance: input.balance, currency: input.currency)
            let created = try await engine.parties.createAccount(account, context: engine.context(user.id))
            let body = Wire.BillingAccount(created)
            return try JSONIO.response(body, status: .created, headers: [.location: "/api/v1/billing-accounts/\(body.value1.id ?? "")"])
        }
        routes.add(.get, "/billing-accounts/{id}", api, prefix: p) { _, context in
            _ = try context.require(.manageCustomers)
            return try JSONIO.response(Wire.BillingAccount(try await engine.parties.account(try context.parameter("id"))))
        }
        routes.add(.post, "/billing-accounts/{id}/status", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(StatusInput.self, from: request)
            return try JSONIO.response(Wire.BillingAccount(try await engine.parties.setAccountStatus(
                input.status, of: try context.parameter("id"), expectedVersion: try request.expectedVersion(), context: engine.context(user.id))))
        }
        routes.add(.get, "/history/{kind}/{id}", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            // Paged by version: the cursor is the last version of the page before.
            let limit = try request.limitParameter()
            let cursor = request.query("cursor")
            guard let after = cursor.map({ Int($0) }) ?? 0, after >= 0 else {
                throw Problem(.unprocessableContent, "invalid-parameter", "cursor should be the version a page ended with", field: "cursor")
            }
            let entries = try await engine.history(kindNamed: try context.parameter("kind"), id: try context.parameter("id"), afterVersion: after,
                                                   limit: limit + 1, reader: user)
            let items = try entries.prefix(limit).map(Wire.HistoryEntry.init)
            return try JSONIO.response(Wire.HistoryPage(items: items, nextCursor: entries.count > limit ? items.last.map { String($0.version) } : nil))
        }
    }
}
