import ConvergentDomain
import ConvergentPostgres
import ConvergentSQLite
import ConvergentStore
import Foundation
import Testing

@Suite("R-9.3 the daily run's candidates and batched writes (SQLite always, PostgreSQL when configured)")
struct CommitmentsDueTests {
    static let terms = CommitmentTerms(duration: 24, unit: .months, penaltyAmount: 240, penaltyCurrency: "EUR", penaltyRule: .reducing)

    static func commitment(_ id: String, covering products: [String], startsOn: String = "2026-01-01") -> CommitmentContract {
        CommitmentContract(id: id, customer: "C-1", product: "COMMIT-24M", terms: terms, order: "O1", line: 2, triggeredBy: products.first,
                           covers: products.map { CommitmentCoverage(installedProduct: $0, installedContract: "IC-1", product: "FIBER") },
                           startsOn: Day(startsOn)!, trialEndsOn: nil, monthlyFee: 40, currency: "EUR")
    }

    /// IC-1 with IC-1.1 active, IC-1.2 disconnected on 2027-01-10, IC-1.3 disconnected on 2027-03-01.
    static var installed: InstalledContract {
        InstalledContract(id: "IC-1", customer: "C-1", installedOn: Day("2026-01-01"),
                          root: InstalledProduct(id: "IC-1", product: "HOME", status: .active, components: [
                              InstalledProduct(id: "IC-1.1", product: "FIBER", status: .active),
                              InstalledProduct(id: "IC-1.2", product: "FIBER", status: .disconnected, disconnectedOn: Day("2027-01-10")),
                              InstalledProduct(id: "IC-1.3", product: "FIBER", status: .disconnected, disconnectedOn: Day("2027-03-01")),
                          ]))
    }

    @Test("R-9.3: the run's candidates are exactly the active commitments past their end date or covering a product disconnected by the day; ended, violated and uncovered ones are not", arguments: Backend.available)
    func candidates(backend: Backend) async throws {
        try await backend.withStore { store in
            var moved = Self.commitment("CC-F", covering: ["IC-1.1", "IC-1.2"])
            let ended = try #require(Self.commitment("CC-E", covering: ["IC-1.2"]).judged(asOf: Day("2027-02-01")!, ended: ["IC-1.2": Day("2027-01-10")!]))
            #expect(ended.status == .violated)
            try await store.commit([
                try .insert(Self.installed),
                try .insert(Self.commitment("CC-A", covering: ["IC-1.1"])),                            // nothing ended, ends 2028-01-01
                try .insert(Self.commitment("CC-B", covering: ["IC-1.2"])),                            // covers a product ended 2027-01-10
                try .insert(Self.commitment("CC-C", covering: ["IC-1.3"])),                            // covers one ended 2027-03-01
                try .insert(Self.commitment("CC-D", covering: ["IC-1.1"], startsOn: "2025-01-01")), // ended 2027-01-01
                try .insert(ended),                                                                    // already violated
                try .insert(moved),
            ], context: context())
            #expect(try await store.commitmentsDue(on: "2026-12-31") == [])
            #expect(try await store.commitmentsDue(on: "2027-02-01") == ["CC-B", "CC-D", "CC-F"])
            #expect(try await store.commitmentsDue(on: "2027-03-01") == ["CC-B", "CC-C", "CC-D", "CC-F"])
            // A product the commitment no longer covers no longer makes it a candidate (its row is closed).
            try moved.changeCoverage(adding: [], removing: ["IC-1.2"], installed: ["IC-1": Self.installed], coverable: ["FIBER"],
                                     today: Day("2027-01-05")!, reason: "test")
            try await store.commit([try .update(moved, expectedVersion: 1)], context: context())
            #expect(try await store.commitmentsDue(on: "2027-02-01") == ["CC-B", "CC-D"])
            let rows = try await store.everyIndexRow(.commitmentCoverage, where: "commitment", in: ["CC-E", "CC-F"])
            #expect(rows.map(\.id) == ["CC-E|IC-1.2", "CC-F|IC-1.1", "CC-F|IC-1.2"])
            #expect(rows.map { $0["status"] } == ["closed", "open", "closed"])
            // Read together, by id; ids that do not exist are left out.
            let loaded = try await store.get(CommitmentContract.self, ids: ["CC-D", "CC-X", "CC-B"])
            #expect(loaded.map(\.value.id) == ["CC-B", "CC-D"])
        }
    }

    @Test("R-15.4, R-9.3 upgrade: migration 13 fills the coverage rows of every commitment made before it, so the next run finds them", arguments: Backend.available)
    func upgradeFillsCoverage(backend: Backend) async throws {
        try await backend.withStore(migratedThrough: 12) { store in
            let commitment = Self.commitment("CC-B", covering: ["IC-1.2"])
            let document = String(decoding: try JSONEncoder().encode(commitment), as: UTF8.self).replacingOccurrences(of: "'", with: "''")
            let prefix = (store as? PostgresStore).map { "\($0.schema)." } ?? ""
            let insert = """
                INSERT INTO \(prefix)commitment_contracts (id, version, data, created_at, updated_at, customer, status, ends_on)
                VALUES ('CC-B', 1, '\(document)', 0, 0, 'C-1', 'active', '2028-01-01')
                """
            if let sqlite = store as? SQLiteStore { try await sqlite.unsafeExecute(insert) }
            if let postgres = store as? PostgresStore { try await postgres.unsafeExecute(insert) }
            try await store.migrate()
            #expect(try await store.appliedMigrations().last == 15)
            let rows = try await store.everyIndexRow(.commitmentCoverage, where: "commitment", in: ["CC-B"])
            #expect(rows.map(\.id) == ["CC-B|IC-1.2"] && rows.first?["status"] == "open")
            try await store.commit([try .insert(Self.installed)], context: context())
            #expect(try await store.commitmentsDue(on: "2027-02-01") == ["CC-B"])
        }
    }

    @Test("R-15.5 batched writes: a commit of many updates and inserts writes every document, history row and index row; one stale version among them fails the whole commit", arguments: Backend.available)
    func batchedWrites(backend: Backend) async throws {
        try await backend.withStore { store in
            let many = (1...1200).map { Self.commitment(String(format: "CC-%04d", $0), covering: ["IC-1.1"]) }
            let versions = try await store.commit(try many.map { try .insert($0) } + [try .insert(Self.installed)], context: context())
            #expect(versions == Array(repeating: 1, count: 1201))
            #expect(try await store.commitmentsDue(on: "2027-02-01").isEmpty)
            // Every commitment moves to IC-1.2 (ended): all due, each with one history row more.
            var moved = many
            for i in moved.indices { moved[i].follow("IC-1.1", to: "IC-1.2", in: "IC-1") }
            #expect(try await store.commit(try moved.map { try .update($0, expectedVersion: 1) }, context: context()) == Array(repeating: 2, count: 1200))
            #expect(try await store.commitmentsDue(on: "2027-02-01").count == 1200)
            // The history entries were computed together (in parallel): each is the change from its own
            // previous version, and replaying them gives the document stored.
            for id in ["CC-0001", "CC-0777", "CC-1200"] {
                let rows = try await store.historyRows(.commitmentContract, id: id, from: 1, through: nil)
                #expect(rows.map(\.version) == [1, 2] && rows.last?.format == .patch)
                let replayed = try HistoryEncoding.entries(kind: .commitmentContract, id: id, rows: rows)
                let stored = try #require(try await store.load(.commitmentContract, id: id))
                #expect(try JSONValue.parse(Data(try #require(replayed.last).data.utf8)) == (try JSONValue.parse(stored.data)), "\(id)")
            }
            // One stale write in the middle: nothing of the commit is stored.
            var writes = try moved.map { try Write.update($0, expectedVersion: 2) }
            writes[600] = try .update(moved[600], expectedVersion: 1)
            await storeError(.conflict) { _ = try await store.commit(writes, context: context()) }
            #expect(try await store.load(.commitmentContract, id: "CC-0001")?.version == 2)
            await storeError(.duplicate) { _ = try await store.commit([try .insert(Self.commitment("CC-9999", covering: ["IC-1.1"])), try .insert(many[5])], context: context()) }
            #expect(try await store.load(.commitmentContract, id: "CC-9999") == nil)
            await storeError(.notFound) { _ = try await store.commit([try .update(Self.commitment("CC-9998", covering: ["IC-1.1"]), expectedVersion: 1)], context: context()) }
        }
    }

    @Test("R-15.5 batched writes made with the documents read (Write.entry): the store reads only versions, the history is the same change, and a stale version is still refused", arguments: Backend.available)
    func batchedWritesWithPrevious(backend: Backend) async throws {
        try await backend.withStore { store in
            let many = (1...300).map { Self.commitment(String(format: "CC-%04d", $0), covering: ["IC-1.1"]) }
            try await store.commit(try many.map { try .insert($0) }, context: context())
            let read = try await store.load(.commitmentContract, ids: many.map(\.id))
            var moved = many
            for i in moved.indices { moved[i].follow("IC-1.1", to: "IC-1.2", in: "IC-1") }
            let byID = Dictionary(uniqueKeysWithValues: read.map { ($0.id, $0) })
            // One stale among them: nothing stored.
            var writes = try moved.map { try Write.update($0, expectedVersion: 1, previous: byID[$0.id]!.data) }
            writes[150].expectedVersion = 2
            await storeError(.conflict) { _ = try await store.commit(writes, context: context()) }
            #expect(try await store.load(.commitmentContract, id: "CC-0001")?.version == 1)
            writes[150].expectedVersion = 1
            #expect(try await store.commit(writes, context: context()) == Array(repeating: 2, count: 300))
            for id in ["CC-0001", "CC-0151", "CC-0300"] {
                let rows = try await store.historyRows(.commitmentContract, id: id, from: 1, through: nil)
                let replayed = try HistoryEncoding.entries(kind: .commitmentContract, id: id, rows: rows)
                #expect(rows.last?.format == .patch && replayed.last?.change == [JSONPatchOperation(op: .replace, path: "/covers/0/installedProduct", value: .string("IC-1.2"))],
                        "\(String(describing: replayed.last?.change))")
                let stored = try #require(try await store.load(.commitmentContract, id: id))
                #expect(try JSONValue.parse(Data(try #require(replayed.last).data.utf8)) == (try JSONValue.parse(stored.data)), "\(id)")
            }
        }
    }
}
