import ConvergentDomain
import ConvergentPostgres
import ConvergentSQLite
import ConvergentStore
import Foundation
import Testing

/// The backends every storage test runs on: SQLite always, PostgreSQL when
/// `CONVERGENT_TEST_POSTGRES_URL` is set (CI sets it).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [Backend] {
        ProcessInfo.processInfo.environment["CONVERGENT_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }

    /// A fresh, migrated store: a new SQLite file, or a new PostgreSQL schema; with
    /// `migratedThrough`, at that migration only (as an earlier release left it).
    func withStore(migratedThrough: Int? = nil, _ body: (any ConvergentStore) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("conformance-\(UUID().uuidString).sqlite").path
            let store = try SQLiteStore(path: path)
            if let migratedThrough { try await store.migrate(through: migratedThrough) } else { try await store.migrate() }
            do { try await body(store) } catch { try await store.close(); throw error }
            try await store.close()
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        case .postgres:
            let url = ProcessInfo.processInfo.environment["CONVERGENT_TEST_POSTGRES_URL"]!
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let store = try PostgresStore(url: url, schema: String(schema))
            if let migratedThrough { try await store.migrate(through: migratedThrough) } else { try await store.migrate() }
            do { try await body(store) } catch {
                try? await store.unsafeExecute("DROP SCHEMA \(schema) CASCADE")
                try await store.close()
                throw error
            }
            try await store.unsafeExecute("DROP SCHEMA \(schema) CASCADE")
            try await store.close()
        }
    }
}

let jane = Customer(id: "C-1", kind: .person, name: "Jane Doe")
func context(_ actor: String = "tester", reason: String? = nil) -> ChangeContext {
    ChangeContext(actor: actor, at: Date(timeIntervalSince1970: 1_790_000_000), reason: reason)
}

func storeError(_ code: StoreError.Code, _ body: () async throws -> Void) async {
    do {
        try await body()
        Issue.record("expected \(code)")
    } catch let error as StoreError {
        #expect(error.code == code)
    } catch {
        Issue.record("unexpected \(error)")
    }
}

@Suite("Storage conformance (SQLite always, PostgreSQL when configured)")
struct StoreConformanceTests {
    @Test("Schema migrations are numbered, run at start, and run once", arguments: Backend.available)
    func migrations(backend: Backend) async throws {
        try await backend.withStore { store in
            let numbers = (store is SQLiteStore ? SQLiteStore.migrations : PostgresStore.migrations).map(\.number)
            #expect(numbers == Array(1...numbers.count))
            #expect(try await store.appliedMigrations() == numbers)
            try await store.migrate()
            #expect(try await store.appliedMigrations() == numbers)
        }
    }

    @Test("R-15.5: every change is stored with a history entry (who, when, what, why) in the same transaction", arguments: Backend.available)
    func insertAndHistory(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.insert(jane, context: context("alice", reason: "signed up"))
            let loaded = try #require(try await store.get(Customer.self, id: "C-1"))
            #expect(loaded.value == jane)
            #expect(loaded.version == 1)
            var renamed = jane
            renamed.name = "Jane Smith"
            try await store.update(renamed, expectedVersion: 1, context: context("bob"))
            let history = try await store.history(.customer, id: "C-1")
            #expect(history.map(\.actor) == ["alice", "bob"])
            #expect(history.map(\.version) == [1, 2])
            #expect(history.map(\.action) == ["created", "updated"])
            #expect(history[0].reason == "signed up")
            #expect(history[1].data.contains("Jane Smith"))
            #expect(history[0].at == Date(timeIntervalSince1970: 1_790_000_000))
        }
    }

    @Test("Optimistic versions: a stale write fails with a conflict and changes nothing", arguments: Backend.available)
    func staleWrite(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.insert(jane, context: context())
            var first = jane
            first.name = "First"
            try await store.update(first, expectedVersion: 1, context: context())
            var second = jane
            second.name = "Second"
            await storeError(.conflict) { try await store.update(second, expectedVersion: 1, context: context()) }
            #expect(try await store.get(Customer.self, id: "C-1")?.value.name == "First")
            #expect(try await store.history(.customer, id: "C-1").count == 2)
            await storeError(.notFound) { try await store.update(Customer(id: "nobody", kind: .person, name: "x"), expectedVersion: 1, context: context()) }
        }
    }

    @Test("Concurrent read-modify-write: exactly one of two wins, the other gets a conflict", arguments: Backend.available)
    func concurrentModify(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.insert(jane, context: context())
            let read = try #require(try await store.get(Customer.self, id: "C-1"))
            let results = await withTaskGroup(of: Bool.self) { group in
                for name in ["A", "B"] {
                    group.addTask {
                        var value = read.value
                        value.name = name
                        return (try? await store.update(value, expectedVersion: read.version, context: context())) != nil
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 1)
            #expect(try await store.get(Customer.self, id: "C-1")?.version == 2)
        }
    }

    @Test("A unit of work is atomic: one failing write leaves nothing of the others", arguments: Backend.available)
    func atomicCommit(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.insert(jane, context: context())
            let account = BillingAccount(id: "BA-1", owner: "C-1", type: .individual, paymentMode: .postpaid)
            await storeError(.conflict) {
                try await store.commit([try .insert(account), try .update(jane, expectedVersion: 7)], context: context())
            }
            #expect(try await store.get(BillingAccount.self, id: "BA-1") == nil)
            #expect(try await store.history(.billingAccount, id: "BA-1").isEmpty)
            await storeError(.duplicate) { try await store.insert(jane, context: context()) }
        }
    }

    @Test("Lists filter on indexed columns and page with a cursor", arguments: Backend.available)
    func listing(backend: Backend) async throws {
        try await backend.withStore { store in
            let customers = (1...7).map { Customer(id: "C-\($0)", kind: $0 % 2 == 0 ? .company : .person, name: "Customer \($0)") }
            try await store.commit(try customers.map { try .insert($0) }, context: context())
            let people = try await store.all(Customer.self, where: ["customer_kind": "person"])
            #expect(people.map(\.value.id) == ["C-1", "C-3", "C-5", "C-7"])
            let page1 = try await store.all(Customer.self, limit: 3)
            let page2 = try await store.all(Customer.self, after: page1.last?.value.id, limit: 3)
            let page3 = try await store.all(Customer.self, after: page2.last?.value.id, limit: 3)
            #expect((page1 + page2 + page3).map(\.value.id) == customers.map(\.id))
            #expect(page3.count == 1)
        }
    }

    @Test("R-15.5: the history table is append-only: updates and deletes are refused", arguments: Backend.available)
    func appendOnly(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.insert(jane, context: context())
            let raw: (String) async throws -> Void = { sql in
                if let s = store as? SQLiteStore { try await s.unsafeExecute(sql) }
                if let p = store as? PostgresStore { try await p.unsafeExecute(sql.replacingOccurrences(of: "history", with: "\(p.schema).history")) }
            }
            await #expect(throws: (any Error).self) { try await raw("DELETE FROM history") }
            await #expect(throws: (any Error).self) { try await raw("UPDATE history SET actor = 'mallory'") }
            #expect(try await store.history(.customer, id: "C-1").map(\.actor) == ["tester"])
        }
    }

    @Test("Sequences number readable ids without repeats", arguments: Backend.available)
    func sequences(backend: Backend) async throws {
        try await backend.withStore { store in
            let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 { group.addTask { try await store.nextNumber("customer") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(numbers.sorted() == Array(1...10))
            #expect(try await store.nextNumber("other") == 1)
        }
    }

    @Test("R-3: orders are stored and listed by customer, status, capture type and a date range", arguments: Backend.available)
    func orders(backend: Backend) async throws {
        try await backend.withStore { store in
            let days = ["2026-11-01", "2026-11-15", "2026-11-30", "2026-12-05"]
            var orders: [Order] = []
            for (i, day) in days.enumerated() {
                var order = try Order(id: "CO00000\(i + 1)", captureType: i == 3 ? .simple : .convergent, orderDate: Day(day)!,
                                      header: OrderHeader(soldTo: i == 2 ? "C-2" : "C-1"))
                if i == 1 { try order.move(to: .cancelled) }
                orders.append(order)
            }
            try await store.commit(try orders.map { try .insert($0) }, context: context())
            let november = try await store.all(Order.self, filter: RecordFilter(atLeast: ["order_date": "2026-11-10"], atMost: ["order_date": "2026-11-30"]))
            #expect(november.map(\.value.id) == ["CO000002", "CO000003"])
            let open = try await store.all(Order.self, filter: RecordFilter(equals: ["sold_to": "C-1", "status": "draft", "capture_type": "convergent"]))
            #expect(open.map(\.value.id) == ["CO000001"])
            #expect(try await store.get(Order.self, id: "CO000002")?.value == orders[1])
        }
    }

    @Test("Idempotency keys: reserved once per actor, replayed after, freed after a failure", arguments: Backend.available)
    func idempotency(backend: Backend) async throws {
        try await backend.withStore { store in
            let at = Date(timeIntervalSince1970: 1_790_000_000)
            #expect(try await store.reserveIdempotencyKey("k1", actor: "alice", request: "r1", at: at) == nil)
            let pending = try await store.reserveIdempotencyKey("k1", actor: "alice", request: "r1", at: at)
            #expect(pending?.status == 0)
            #expect(try await store.reserveIdempotencyKey("k1", actor: "bob", request: "r1", at: at) == nil) // per actor
            try await store.completeIdempotencyKey("k1", actor: "alice", status: 201, contentType: "application/json", body: Data("{\"id\":1}".utf8))
            let done = try #require(try await store.reserveIdempotencyKey("k1", actor: "alice", request: "r1", at: at))
            #expect(done.status == 201)
            #expect(done.request == "r1")
            #expect(done.contentType == "application/json")
            #expect(String(decoding: done.body, as: UTF8.self) == "{\"id\":1}")
            try await store.completeIdempotencyKey("k1", actor: "bob", status: -1, contentType: nil, body: Data())
            #expect(try await store.reserveIdempotencyKey("k1", actor: "bob", request: "r2", at: at) == nil) // free again
            // A reservation whose request never finished (its server died) is taken over after a while.
            #expect(try await store.reserveIdempotencyKey("k2", actor: "carol", request: "r1", at: at) == nil)
            #expect(try await store.reserveIdempotencyKey("k2", actor: "carol", request: "r1", at: at.addingTimeInterval(60))?.status == 0)
            #expect(try await store.reserveIdempotencyKey("k2", actor: "carol", request: "r1", at: at.addingTimeInterval(6 * 60)) == nil)
        }
    }

    @Test("Catalog versions round-trip with their whole catalog", arguments: Backend.available)
    func catalogVersion(backend: Backend) async throws {
        try await backend.withStore { store in
            let catalog = Catalog(header: CatalogHeader(version: "v1", effectiveFrom: Day("2026-01-01")!),
                                  products: [Product(id: "X", name: "X", kind: .contract, prices: [Price(type: .recurring, amount: 9.99, currency: "EUR")])],
                                  rules: [ConfigurationRule(id: "R", kind: .exclusion(first: "X", second: "Y"), message: "m", activePeriod: Period(end: Day("2027-01-01")))])
            let stored = StoredCatalogVersion(summary: CatalogVersionSummary(version: "v1", effectiveFrom: catalog.header.effectiveFrom, status: .validated), catalog: catalog)
            try await store.insert(stored, context: context())
            #expect(try await store.get(StoredCatalogVersion.self, id: "v1")?.value == stored)
            #expect(try await store.all(StoredCatalogVersion.self, where: ["status": "validated"]).count == 1)
        }
    }
}
