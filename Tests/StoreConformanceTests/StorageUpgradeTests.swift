import ConvergentDomain
import ConvergentPostgres
import ConvergentSQLite
import ConvergentStore
import Foundation
import GRDB
import Testing

/// A database made by the previous release (commit 90410b1, `scripts/make-upgrade-fixture.sh`):
/// four orders of 21 components carried through sessions, submission and fulfillment, with the
/// demo data, jobs and their full-copy history.
enum UpgradeFixture {
    static let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/release-90410b1.sqlite")

    /// What the old release stored, read with plain SQL: each aggregate table's rows and the history rows.
    struct Legacy {
        var records: [AggregateKind: [String: (version: Int, data: String)]] = [:]
        /// (kind, id) → [(version, at in ms, actor, reason, data)], by sequence.
        var history: [String: [(version: Int, at: Int, actor: String, reason: String?, data: String)]] = [:]
        var tables: [String: [Row]] = [:]
    }

    static func copy() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("upgrade-\(UUID().uuidString).sqlite").path
        try FileManager.default.copyItem(atPath: url.path, toPath: path)
        return path
    }

    static func legacy() throws -> Legacy {
        let queue = try DatabaseQueue(path: url.path, configuration: { var c = Configuration(); c.readonly = true; return c }())
        return try queue.read { db in
            var legacy = Legacy()
            // The tables the previous release had (provisioning messages were kept in their orders then).
            for kind in AggregateKind.allCases where try db.tableExists(kind.table) {
                for row in try Row.fetchAll(db, sql: "SELECT id, version, data FROM \(kind.table)") {
                    legacy.records[kind, default: [:]][row["id"]] = (row["version"], row["data"])
                }
            }
            for row in try Row.fetchAll(db, sql: "SELECT aggregate_kind, aggregate_id, version, at, actor, reason, data FROM history ORDER BY sequence") {
                legacy.history["\(row["aggregate_kind"] as String)/\(row["aggregate_id"] as String)", default: []]
                    .append((row["version"], row["at"], row["actor"], row["reason"], row["data"]))
            }
            for table in ["catalog_versions", "customers", "billing_accounts", "users", "api_tokens", "orders", "configuration_sessions",
                          "installed_contracts", "settings", "jobs", "history", "sequences", "idempotency_keys"] {
                legacy.tables[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table)")
            }
            return legacy
        }
    }

    /// Checks that every aggregate, every history entry and every as-of view of the old database
    /// reads back equal through the upgraded store, and that the new rows were filled.
    static func verify(_ store: any ConvergentStore, against legacy: Legacy) async throws {
        #expect(try await store.appliedMigrations() == Array(1...15))
        #expect(legacy.records[.order]?.count == 4 && legacy.records[.installedContract]?.count == 7)
        #expect(legacy.records[.installedContract]?.values.filter { $0.version > 1 }.count == 4, "fulfilled contracts have two versions")
        for (kind, records) in legacy.records {
            for (id, old) in records {
                let record = try #require(try await store.load(kind, id: id))
                #expect(record.version == old.version && String(decoding: record.data, as: UTF8.self) == old.data, "\(kind.rawValue) \(id)")
                let history = try await store.history(kind, id: id)
                let oldHistory = legacy.history["\(kind.rawValue)/\(id)"] ?? []
                #expect(history.map(\.version) == oldHistory.map(\.version), "\(kind.rawValue) \(id)")
                #expect(history.map(\.data) == oldHistory.map(\.data))
                #expect(history.map(\.actor) == oldHistory.map(\.actor) && history.map(\.reason) == oldHistory.map(\.reason))
                // As of each moment something was written: the last version written by then.
                for entry in oldHistory {
                    let instant = Date(timeIntervalSince1970: Double(entry.at) / 1000)
                    let expected = oldHistory.last { $0.at <= entry.at }!
                    let read = try #require(try await store.historyEntry(kind, id: id, asOf: instant))
                    #expect(read.entry.version == expected.version && read.entry.data == expected.data)
                }
            }
        }
        // Typed reads as the engine makes them.
        for id in legacy.records[.order]!.keys { _ = try #require(try await store.get(Order.self, id: id)) }
        for id in legacy.records[.installedContract]!.keys {
            let contract = try #require(try await store.get(InstalledContract.self, id: id)).value
            let rows = try await store.indexRows(.installedProducts, where: "contract", in: [id], equals: [:], after: nil, limit: 500)
            #expect(rows.count == contract.root.all.count && rows.allSatisfy { $0["customer"] != nil })
            // Status events replayed from the old full copies: one per change of each product's status.
            let copies = try (legacy.history["installed_contract/\(id)"] ?? []).map { try JSONDecoder().decode(InstalledContract.self, from: Data($0.data.utf8)) }
            for product in contract.root.all.map(\.id) {
                var expected: [String] = []
                for copy in copies {
                    guard let status = copy.product(product)?.component.status.rawValue else { continue }
                    if expected.last != status { expected.append(status) }
                }
                let events = try await store.indexEvents(.installedProducts, subject: product, afterVersion: nil, limit: 100)
                #expect(events.compactMap(\.value) == expected, "\(product)")
            }
        }
        // Migration 8: the provisioning messages each order kept in its document are aggregates of their own, equal to them.
        var moved = 0
        for (id, old) in legacy.records[.order]! {
            let document = try JSONSerialization.jsonObject(with: Data(old.data.utf8)) as? [String: Any]
            let embedded = ((document?["fulfillment"] as? [String: Any])?["messages"] as? [[String: Any]]) ?? []
            let stored = try await store.all(ProvisioningMessage.self, where: ["order_id": id], after: nil, limit: 100)
            #expect(stored.map(\.value.id) == embedded.compactMap { $0["id"] as? String }.sorted(), "\(id)")
            for message in embedded {
                let expected = try JSONDecoder().decode(ProvisioningMessage.self, from: try JSONSerialization.data(withJSONObject: message))
                let found = try #require(try await store.get(ProvisioningMessage.self, id: expected.id))
                #expect(found.value == expected && found.version == 1)
                #expect(try await store.history(.provisioningMessage, id: expected.id).map(\.actor) == ["upgrade"])
                moved += 1
            }
        }
        #expect(moved >= 4, "the fixture's fulfilled orders had provisioning messages")
        // Migration 9: every customer of the old database is found by the words of its name.
        for (id, old) in legacy.records[.customer]! {
            let customer = try JSONDecoder().decode(Customer.self, from: Data(old.data.utf8))
            for word in SearchTerms.words(customer.name ?? "") {
                let rows = try await store.indexRows(.customerTerms, where: "term", startingWith: word, after: nil, limit: 500)
                #expect(rows.contains { $0["customer"] == id }, "\(id) by \(word)")
            }
        }
        // Migration 10: every account paying an installed product of the old database finds it.
        var paid = 0
        for id in legacy.records[.installedContract]!.keys {
            let contract = try #require(try await store.get(InstalledContract.self, id: id)).value
            for product in contract.root.all {
                for account in product.accounts {
                    let rows = try await store.indexRows(.installedBilling, where: "account", in: [account], equals: [:], after: nil, limit: 500)
                    #expect(rows.contains { $0.id == "\(product.id)|\(account)" && $0["contract"] == id }, "\(product.id) paid by \(account)")
                    paid += 1
                }
            }
        }
        #expect(paid > 0, "the fixture's installed products were paid by accounts")
        for id in legacy.records[.order]!.keys {
            let order = try #require(try await store.get(Order.self, id: id)).value
            let rows = try await store.indexRows(.orderContracts, where: "order_id", in: [id], equals: [:], after: nil, limit: 100)
            #expect(rows.map { $0["contract"] } == Set(order.lines.compactMap(\.installedContract)).sorted().map(Optional.some))
        }
    }
}

@Suite("Upgrade in place: a database made by the previous release opens with this one")
struct StorageUpgradeTests {
    @Test("R-15.4, R-15.5 upgrade in place (SQLite): the previous release's file is migrated at start; every order, contract, history entry and as-of view reads back equal; new writes go on")
    func sqliteUpgrade() async throws {
        let legacy = try UpgradeFixture.legacy()
        let path = try UpgradeFixture.copy()
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let store = try SQLiteStore(path: path)
        try await store.migrate()
        try await UpgradeFixture.verify(store, against: legacy)
        try await writeAfterUpgrade(store, legacy: legacy)
        try await store.close()
        // Opening it again migrates nothing more.
        let again = try SQLiteStore(path: path)
        try await again.migrate()
        #expect(try await again.appliedMigrations() == Array(1...15))
        try await again.close()
    }

    @Test("R-15.4, R-15.5 upgrade in place (PostgreSQL): a schema at migration 6 holding the previous release's rows is migrated; everything reads back equal",
          .enabled(if: ProcessInfo.processInfo.environment["CONVERGENT_TEST_POSTGRES_URL"] != nil))
    func postgresUpgrade() async throws {
        let legacy = try UpgradeFixture.legacy()
        let url = ProcessInfo.processInfo.environment["CONVERGENT_TEST_POSTGRES_URL"]!
        let schema = "u_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let store = try PostgresStore(url: url, schema: String(schema))
        do {
            try await store.migrate(through: 6)
            #expect(try await store.appliedMigrations() == Array(1...6))
            // The previous release's rows, as it wrote them (the same columns and values on both backends).
            for (table, rows) in legacy.tables {
                for row in rows {
                    let columns = Array(row.columnNames)
                    let values = columns.map { column -> String in
                        let value = row[column] as DatabaseValue
                        switch value.storage {
                        case .null: return "NULL"
                        case let .int64(n): return String(n)
                        case let .double(d): return String(d)
                        case let .string(s): return "'" + s.replacingOccurrences(of: "'", with: "''") + "'"
                        case let .blob(b): return "'\\x" + b.map { String(format: "%02x", $0) }.joined() + "'::bytea"
                        }
                    }
                    try await store.unsafeExecute("INSERT INTO \(schema).\(table) (\(columns.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))")
                }
            }
            try await store.unsafeExecute("SELECT setval(pg_get_serial_sequence('\(schema).history', 'sequence'), (SELECT max(sequence) FROM \(schema).history))")
            try await store.migrate()
            try await UpgradeFixture.verify(store, against: legacy)
            try await writeAfterUpgrade(store, legacy: legacy)
        } catch {
            try? await store.unsafeExecute("DROP SCHEMA \(schema) CASCADE")
            try await store.close()
            throw error
        }
        try await store.unsafeExecute("DROP SCHEMA \(schema) CASCADE")
        try await store.close()
    }

    /// A change after the upgrade is stored as a patch on top of the old full copies and reads back.
    func writeAfterUpgrade(_ store: any ConvergentStore, legacy: UpgradeFixture.Legacy) async throws {
        let id = try #require(legacy.records[.installedContract]?.filter { $0.value.version > 1 }.keys.sorted().first)
        var contract = try #require(try await store.get(InstalledContract.self, id: id))
        let child = try #require(contract.value.root.components.first)
        contract.value.root.components[0].status = .pendingSuspension
        let later = Date(timeIntervalSince1970: 2_000_000_000)
        try await store.update(contract.value, expectedVersion: contract.version, context: ChangeContext(actor: "agent", at: later, reason: "after upgrade"))
        let last = try #require(try await store.historyRows(.installedContract, id: id, from: contract.version + 1, through: nil).first)
        #expect(last.format == .patch && last.event == "installedContract.updated")
        #expect(try await store.get(InstalledContract.self, id: id, asOf: later)?.value.root.components.first?.status == .pendingSuspension)
        #expect(try await store.get(InstalledContract.self, id: id, asOf: later - 1)?.value == contract.value.withStatus(child.status, of: 0))
        let events = try await store.indexEvents(.installedProducts, subject: child.id, afterVersion: nil, limit: 100)
        #expect(events.last?.value == "pendingSuspension" && events.last?.reason == "after upgrade")
    }
}

extension InstalledContract {
    fileprivate func withStatus(_ status: InstalledStatus, of index: Int) -> InstalledContract {
        var copy = self
        copy.root.components[index].status = status
        return copy
    }
}
