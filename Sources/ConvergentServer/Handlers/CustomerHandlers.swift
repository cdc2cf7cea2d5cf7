import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes

/// Customers, contacts, bill-to relationships and billing accounts (R-2.1 … R-2.3), and the
/// history of any aggregate (R-15.5).
extension API {
    func listCustomers(_ input: Operations.ListCustomers.Input) async throws -> Operations.ListCustomers.Output {
        _ = try require(.manageCustomers)
        let kind = try input.query.kind.map { text in
            guard let kind = Customer.Kind(rawValue: text) else {
                throw Problem(.unprocessableContent, "invalid-parameter", "kind is person or company", field: "kind")
            }
            return kind
        }
        let limit = try pageSize(input.query.limit)
        let text = input.query.q ?? ""
        guard text.count <= 200 else { throw Problem(.unprocessableContent, "invalid-parameter", "q is at most 200 characters", field: "q") }
        let found = try await engine.parties.search(text, kind: kind, after: input.query.cursor, limit: limit)
        return .ok(.init(body: .json(Wire.CustomerPage(items: found.customers.map(Wire.Customer.init), nextCursor: found.nextCursor))))
    }

    func createCustomer(_ input: Operations.CreateCustomer.Input) async throws -> Operations.CreateCustomer.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let customer = Customer(id: body.id ?? "", kind: try sameCase(body.kind), name: body.name, anonymous: body.anonymous ?? false,
                                segment: body.segment?.additionalProperties ?? [:], attributedAgent: body.attributedAgent,
                                accountsReceivableActive: body.accountsReceivableActive ?? true,
                                contacts: (body.contacts ?? []).map(\.contact), addresses: (body.addresses ?? []).map(\.address),
                                billTo: try (body.billTo ?? []).enumerated().map { try $1.relationship(field: "billTo[\($0)].period") })
        let created = Wire.Customer(try await engine.parties.create(customer, context: engine.context(user.id)))
        return .created(.init(headers: .init(location: "/api/v1/customers/\(created.value1.id ?? "")"), body: .json(created)))
    }

    func getCustomer(_ input: Operations.GetCustomer.Input) async throws -> Operations.GetCustomer.Output {
        _ = try require(.manageCustomers)
        return .ok(.init(body: .json(Wire.Customer(try await engine.parties.customer(input.path.id)))))
    }

    func getCustomer360(_ input: Operations.GetCustomer360.Input) async throws -> Operations.GetCustomer360.Output {
        _ = try require(.manageCustomers)
        let limit = try pageSize(input.query.limit, default: CustomerOverview.defaultPageSize)
        return .ok(.init(body: .json(try Wire.CustomerOverview(try await engine.overview(of: input.path.id, limit: limit)))))
    }

    func addCustomerContact(_ input: Operations.AddCustomerContact.Input) async throws -> Operations.AddCustomerContact.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let updated = try await engine.parties.addContact(body.contact, to: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch),
                                                           context: engine.context(user.id))
        return .created(.init(body: .json(Wire.Customer(updated))))
    }

    func addCustomerBillTo(_ input: Operations.AddCustomerBillTo.Input) async throws -> Operations.AddCustomerBillTo.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let updated = try await engine.parties.addBillTo(try body.relationship(), to: input.path.id,
                                                          expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))
        return .created(.init(body: .json(Wire.Customer(updated))))
    }

    func listCustomerBillingAccounts(_ input: Operations.ListCustomerBillingAccounts.Input) async throws -> Operations.ListCustomerBillingAccounts.Output {
        _ = try require(.manageCustomers)
        return .ok(.init(body: .json(try await engine.parties.accounts(ownedBy: input.path.id).map(Wire.BillingAccount.init))))
    }

    func createCustomerBillingAccount(_ input: Operations.CreateCustomerBillingAccount.Input) async throws -> Operations.CreateCustomerBillingAccount.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let account = BillingAccount(id: body.id ?? "", owner: input.path.id, contact: body.contact, type: try sameCase(body._type),
                                     paymentMode: try sameCase(body.paymentMode), status: try body.status.map { try sameCase($0) } ?? .pending,
                                     balance: body.balance.map(requestAmount), currency: body.currency)
        let created = Wire.BillingAccount(try await engine.parties.createAccount(account, context: engine.context(user.id)))
        return .created(.init(headers: .init(location: "/api/v1/billing-accounts/\(created.value1.id ?? "")"), body: .json(created)))
    }

    func getBillingAccount(_ input: Operations.GetBillingAccount.Input) async throws -> Operations.GetBillingAccount.Output {
        _ = try require(.manageCustomers)
        return .ok(.init(body: .json(Wire.BillingAccount(try await engine.parties.account(input.path.id)))))
    }

    func setBillingAccountStatus(_ input: Operations.SetBillingAccountStatus.Input) async throws -> Operations.SetBillingAccountStatus.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(Wire.BillingAccount(try await engine.parties.setAccountStatus(
            try sameCase(body.status), of: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func getHistory(_ input: Operations.GetHistory.Input) async throws -> Operations.GetHistory.Output {
        let user = try require(.manageCustomers)
        // Paged by version: the cursor is the last version of the page before.
        let limit = try pageSize(input.query.limit)
        guard let after = input.query.cursor.map({ Int($0) }) ?? 0, after >= 0 else {
            throw Problem(.unprocessableContent, "invalid-parameter", "cursor should be the version a page ended with", field: "cursor")
        }
        let entries = try await engine.history(kindNamed: input.path.kind, id: input.path.id, afterVersion: after, limit: limit + 1, reader: user)
        let items = try entries.prefix(limit).map(Wire.HistoryEntry.init)
        return .ok(.init(body: .json(Wire.HistoryPage(items: items, nextCursor: entries.count > limit ? items.last.map { String($0.version) } : nil))))
    }
}

extension Wire.Contact {
    var contact: Customer.Contact { Customer.Contact(id: id ?? "", name: name, role: role, email: email, phone: phone) }
}

extension Wire.Address {
    /// An address; its id is assigned (`AD-1`, …) when not given, as a contact's is.
    var address: Customer.Address {
        Customer.Address(id: id ?? "", purpose: purpose, line1: line1, line2: line2, city: city, postalCode: postalCode, country: country)
    }
}
