import ConvergentDomain
import ConvergentStore
import Foundation

/// Customers, their contacts and bill-to relationships, and billing accounts (R-2.1 … ).
public struct PartyDirectory: Sendable {
    let store: any ConvergentStore
    /// The id a record is checked with before it is numbered (a valid id that is never stored).
    static let unnumbered = "unnumbered"
    /// How many customers one page of a search checks at most.
    public static let checkedPerPage = 1_000

    /// Creates a customer; an id is assigned (`CUST-000001`, …) when none is given.
    public func create(_ customer: Customer, context: ChangeContext) async throws -> Versioned<Customer> {
        var customer = customer
        customer.assignMissingIDs()
        // A refused request changes nothing: everything is checked before a number is taken.
        let numbered = customer.id.isEmpty
        if numbered { customer.id = Self.unnumbered }
        try customer.validate()
        try await checkPayers(customer.billTo.map(\.payer))
        if numbered { customer.id = String(format: "CUST-%06d", try await store.nextNumber("customer")) }
        return try await store.insert(customer, context: context)
    }

    public func customer(_ id: String) async throws -> Versioned<Customer> {
        guard let found = try await store.get(Customer.self, id: id) else { throw EngineError(.notFound, "no customer '\(id)'") }
        return found
    }

    public func customers(kind: Customer.Kind?, after cursor: String?, limit: Int) async throws -> [Versioned<Customer>] {
        try await store.all(Customer.self, where: kind.map { ["customer_kind": $0.rawValue] } ?? [:], after: cursor, limit: limit)
    }

    /// search: the customers every word of `text` finds (each word the start of a word of
    /// their name, id, contacts or addresses), of `kind` when given, a page after `cursor`. The
    /// longest word is looked up in the index; the other words are checked against the index
    /// rows of the customers it finds (one query a batch, no document read); each customer that
    /// passes is loaded and checked against every word (a word a change removed may linger in
    /// the index). `nextCursor` is nil on the last page. Text without words lists every customer.
    /// A page checks at most `checkedPerPage` customers: a word most customers have, with another
    /// few have, gives short pages (each still bounded in time) rather than one long wait.
    public func search(_ text: String, kind: Customer.Kind?, after cursor: String?, limit: Int) async throws -> (customers: [Versioned<Customer>], nextCursor: String?) {
        let words = SearchTerms.words(text)
        guard let key = words.max(by: { $0.count < $1.count }) else {
            let found = try await customers(kind: kind, after: cursor, limit: limit + 1)
            return (Array(found.prefix(limit)), found.count > limit ? found[limit - 1].value.id : nil)
        }
        // A customer's rows are `id|word`, next to each other: after `id|U+10FFFF` is after all of them.
        var rowCursor = cursor.map { IndexPlanning.prefixEnd($0 + "|") }
        var found: [Versioned<Customer>] = []
        var checked = 0
        var previous: String?
        let rowsPerRead = 200
        while true {
            let rows = try await store.indexRows(.customerTerms, where: "term", startingWith: key, after: rowCursor, limit: rowsPerRead)
            var candidates: [String] = []
            for row in rows { if let id = row["customer"], id != previous, candidates.last != id { candidates.append(id) } }
            // The other words, against the candidates' index rows.
            var terms: [String: Set<String>] = [:]
            if words.count > 1, !candidates.isEmpty {
                for row in try await store.everyIndexRow(.customerTerms, where: "customer", in: candidates) {
                    if let id = row["customer"], let term = row["term"] { terms[id, default: []].insert(term) }
                }
            }
            for id in candidates {
                checked += 1
                if checked > Self.checkedPerPage, let previous { return (found, previous) }
                previous = id
                if words.count > 1, !SearchTerms.matches(query: words, terms: terms[id] ?? []) { continue }
                guard let customer = try await store.get(Customer.self, id: id), kind == nil || customer.value.kind == kind,
                      SearchTerms.matches(query: words, terms: customer.value.searchTerms) else { continue }
                if found.count == limit { return (found, found.last?.value.id) }
                found.append(customer)
            }
            guard rows.count == rowsPerRead, let last = rows.last else { return (found, nil) }
            rowCursor = last.id
        }
    }

    public func addContact(_ contact: Customer.Contact, to id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Customer> {
        try await modify(id, expectedVersion: expectedVersion, context: context) { customer in
            customer.contacts.append(contact)
            customer.assignMissingIDs()
            try customer.validate()
        }
    }

    public func addBillTo(_ relation: Customer.BillToRelationship, to id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Customer> {
        try await checkPayers([relation.payer])
        return try await modify(id, expectedVersion: expectedVersion, context: context) { try $0.addBillTo(relation) }
    }

    public func createAccount(_ account: BillingAccount, context: ChangeContext) async throws -> Versioned<BillingAccount> {
        var account = account
        let owner = try await customer(account.owner).value
        let numbered = account.id.isEmpty
        if numbered { account.id = Self.unnumbered }
        try account.validate(owner: owner)
        if numbered { account.id = String(format: "BA-%06d", try await store.nextNumber("billing-account")) }
        return try await store.insert(account, context: context)
    }

    public func account(_ id: String) async throws -> Versioned<BillingAccount> {
        guard let found = try await store.get(BillingAccount.self, id: id) else { throw EngineError(.notFound, "no billing account '\(id)'") }
        return found
    }

    public func accounts(ownedBy owner: String) async throws -> [Versioned<BillingAccount>] {
        _ = try await customer(owner)
        return try await store.all(BillingAccount.self, where: ["owner": owner])
    }

    /// Moves an account along Pending → Active → Closed.
    public func setAccountStatus(_ status: BillingAccount.Status, of id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<BillingAccount> {
        do {
            return try await store.modify(BillingAccount.self, id: id, expectedVersion: expectedVersion, context: context) { account in
                guard account.status.canMove(to: status) else {
                    throw PartyError(.invalidStatusChange, "a billing account cannot go from \(account.status.rawValue) to \(status.rawValue)", field: "status")
                }
                account.status = status
            }
        } catch let error as StoreError where error.code == .notFound {
            throw EngineError(.notFound, "no billing account '\(id)'")
        }
    }

    private func modify(_ id: String, expectedVersion: Int?, context: ChangeContext, _ change: (inout Customer) throws -> Void) async throws -> Versioned<Customer> {
        do {
            return try await store.modify(Customer.self, id: id, expectedVersion: expectedVersion, context: context, change)
        } catch let error as StoreError where error.code == .notFound {
            throw EngineError(.notFound, "no customer '\(id)'")
        }
    }

    private func checkPayers(_ payers: [String]) async throws {
        for payer in payers where try await store.get(Customer.self, id: payer) == nil {
            throw EngineError(.invalidRequest, "the paying customer '\(payer)' does not exist", field: "payer")
        }
    }
}
