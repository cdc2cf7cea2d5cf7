import ConvergentStore
import Foundation
import Logging
import PostgresNIO

/// The backend for several nodes: one PostgreSQL database shared by every `convergent serve`.
/// Tables live in one schema (`public` unless told otherwise), so tests can use a fresh one.
public final class PostgresStore: ConvergentStore {
    public let backend = "postgresql"
    public let schema: String
    private let client: PostgresClient
    private let runner: Task<Void, Never>?
    private let logger: Logger
    private let maximumConnections: Int

    /// Who runs the connection pool.
    public enum ClientLifecycle: Sendable {
        /// The store runs it in a task of its own until `close()`: commands, tests, a second node.
        case ownTask
        /// The caller runs `client` as a service of its service group, which shuts it down
        /// gracefully; until it runs, queries wait. `close()` does nothing.
        case service
    }

    /// - Parameter url: `postgres://user:password@host:port/database` (`postgresql://` too;
    ///   `?sslmode=disable|prefer|require`, `&pool=N`: connections opened at most, 10 by default).
    public init(url: String, schema: String = "public", lifecycle: ClientLifecycle = .ownTask, logger: Logger = PostgresStore.quietLogger) throws {
        guard schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !schema.isEmpty else {
            throw StoreError(.invalidConfiguration, "schema name '\(schema)' may hold letters, digits and _ only")
        }
        self.schema = schema
        self.logger = logger
        let configuration = try Self.configuration(from: url)
        maximumConnections = configuration.options.maximumConnections
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let client = self.client
        runner = switch lifecycle {
        case .ownTask: Task { await client.run() }
        case .service: nil
        }
    }

    /// The connection pool, for a service group to run when the store was made with `lifecycle: .service`.
    public var service: PostgresClient? { runner == nil ? client : nil }

    /// Connection retries are logged at info level by PostgresNIO; only warnings and worse are shown.
    public static var quietLogger: Logger {
        var logger = Logger(label: "convergent.postgres")
        logger.logLevel = .warning
        return logger
    }

    /// Fails with `storage-unavailable` instead of waiting for ever when the server cannot be reached.
    private func withDeadline<T: Sendable>(_ seconds: Int, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw StoreError(.unavailable, "PostgreSQL did not answer within \(seconds) s: check the URL, the server and the database")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    static func configuration(from url: String) throws -> PostgresClient.Configuration {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
              let host = components.host, !host.isEmpty else {
            throw StoreError(.invalidConfiguration, "expected postgres://user:password@host:port/database, got '\(url)'")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let mode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS = switch mode {
        case "disable": .disable
        case "require": .require(.makeClientConfiguration())
        default: .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: host, port: components.port ?? 5432,
                                                         username: components.user ?? "postgres", password: components.password,
                                                         database: database.isEmpty ? nil : database, tls: tls)
        configuration.options.maximumConnections = try poolSize(components.queryItems?.first { $0.name == "pool" }?.value)
        return configuration
    }

    /// Connections a node opens at most: 10 unless the URL's `pool` says otherwise. Every node
    /// sharing a server counts against its `max_connections`; beyond it the server refuses new
    /// connections, and queries wait until one of the node's own is free.
    public static let defaultPoolSize = 10

    static func poolSize(_ text: String?) throws -> Int {
        guard let text else { return defaultPoolSize }
        guard let size = Int(text), (1...1000).contains(size) else {
            throw StoreError(.invalidConfiguration, "pool is the number of connections a node opens at most, a whole number from 1 to 1000; got '\(text)'")
        }
        return size
    }

    /// How many connections this store's pool opens at most.
    public var poolSize: Int { maximumConnections }

    private func table(_ kind: AggregateKind) -> String { "\(schema).\(kind.table)" }

    public func migrate() async throws {
        // Reaching the server has a deadline; the migrations themselves (a backfill on a large database) do not.
        try await withDeadline(20) { try await self.client.query("SELECT 1", logger: self.logger) }
        try await runMigrations(through: nil)
    }

    /// The migrations up to `number` only: a schema as an earlier release left it (upgrade tests).
    public func migrate(through number: Int) async throws {
        try await runMigrations(through: number)
    }

    /// Runs the frozen migrations not yet applied, in one transaction under an advisory lock:
    /// one node migrates a schema at a time, the others wait, then find nothing to do (other
    /// schemas do not wait). Migration 7 also fills the rows of queried entities.
    private func runMigrations(through last: Int?) async throws {
        let logger = self.logger, schema = self.schema
        try await client.withTransaction(logger: logger) { conn in
            try await conn.query(PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock(7212001, hashtext('\(schema)'))"), logger: logger)
            try await conn.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            try await conn.query(PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"), logger: logger)
            try await conn.query(PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(schema)"), logger: logger)
            var applied: Set<Int> = []
            for try await (version) in try await conn.query(PostgresQuery(unsafeSQL: "SELECT version FROM \(schema).schema_migrations"), logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            for migration in Self.migrations where !applied.contains(migration.number) && migration.number <= (last ?? .max) {
                for statement in migration.statements {
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                if migration.number == 7 { try await self.backfillIndexRows(conn) }
                if migration.number == 8 { try await self.moveEmbeddedMessages(conn) }
                if migration.number == 9 { try await self.fillIndexRows(conn, of: .customer, in: .customerTerms) }
                if migration.number == 10 { try await self.fillIndexRows(conn, of: .installedContract, in: .installedBilling) }
                if migration.number == 13 { try await self.fillIndexRows(conn, of: .commitmentContract, in: .commitmentCoverage) }
                let now = Int(Date().timeIntervalSince1970 * 1000)
                try await conn.query(PostgresQuery(unsafeSQL: "INSERT INTO \(schema).schema_migrations (version, applied_at) VALUES (\(migration.number), \(now))"), logger: logger)
            }
        }
    }

    /// Replays the history of every installed contract and order into the index tables, as their
    /// writes would have: products, links, orders' contracts, and each product's status changes.
    private func backfillIndexRows(_ conn: PostgresConnection) async throws {
        for kind in [AggregateKind.installedContract, .order] {
            var ids: [String] = []
            for try await id in try await conn.query(PostgresQuery(unsafeSQL: "SELECT id FROM \(table(kind)) ORDER BY id"), logger: logger).decode(String.self) {
                ids.append(id)
            }
            for id in ids {
                let rows = try await fetchHistoryRows(conn, kind: kind, id: id, from: 1, through: nil)
                for entry in try HistoryEncoding.entries(kind: kind, id: id, rows: rows) {
                    try await applyIndexRows(IndexRow.rows(of: kind, from: Data(entry.data.utf8)).filter { IndexTable.ofStorageV2.contains($0.table) },
                                             kind: kind, id: id, version: entry.version,
                                             context: ChangeContext(actor: entry.actor, at: entry.at, reason: entry.reason), conn: conn, enforce: false)
                }
                if kind == .order {
                    var data: String?
                    for try await text in try await conn.query("SELECT data FROM \(unescaped: table(kind)) WHERE id = \(id)", logger: logger).decode(String.self) {
                        data = text
                    }
                    if let data, let columns = IndexPlanning.columns(of: kind, from: Data(data.utf8)) {
                        let flag = columns["in_jeopardy"] ?? nil
                        try await conn.query("UPDATE \(unescaped: table(kind)) SET in_jeopardy = \(flag) WHERE id = \(id)", logger: logger)
                    }
                }
            }
        }
    }

    /// A new index table's rows from every aggregate's current document (migration 9: the
    /// customers' search words; 10: the accounts paying installed products).
    private func fillIndexRows(_ conn: PostgresConnection, of kind: AggregateKind, in indexTable: IndexTable) async throws {
        var aggregates: [(String, Int, String)] = []
        for try await row in try await conn.query(PostgresQuery(unsafeSQL: "SELECT id, version, data FROM \(table(kind)) ORDER BY id"), logger: logger)
            .decode((String, Int, String).self) { aggregates.append(row) }
        for (id, version, data) in aggregates {
            try await applyIndexRows(IndexRow.rows(of: kind, from: Data(data.utf8)).filter { $0.table == indexTable }, kind: kind, id: id, version: version,
                                     context: ChangeContext(actor: "upgrade", at: Date()), conn: conn, enforce: false)
        }
    }

    /// Migration 8: the provisioning messages orders kept in their document become aggregates.
    private func moveEmbeddedMessages(_ conn: PostgresConnection) async throws {
        var ids: [String] = []
        for try await id in try await conn.query(PostgresQuery(unsafeSQL: "SELECT id FROM \(table(.order)) ORDER BY id"), logger: logger).decode(String.self) {
            ids.append(id)
        }
        for id in ids {
            var found: (String, Int)?
            for try await row in try await conn.query("SELECT data, updated_at FROM \(unescaped: table(.order)) WHERE id = \(id)", logger: logger).decode((String, Int).self) {
                found = row
            }
            guard let (data, updatedAt) = found else { continue }
            let at = Date(timeIntervalSince1970: Double(updatedAt) / 1000)
            for insert in try EmbeddedProvisioningMessages.inserts(orderDocument: Data(data.utf8)) {
                _ = try await apply(insert, conn: conn, context: EmbeddedProvisioningMessages.context(at: at))
            }
        }
    }

    public func commit(_ writes: [Write], context: ChangeContext) async throws -> [Int] {
        do {
            return try await client.withTransaction(logger: logger) { conn in
                try await self.applyAll(writes, conn: conn, context: context)
            }
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? StoreError { throw inner }
            throw error
        }
    }

    public func commit(numbering sequence: String, context: ChangeContext,
                       _ build: @escaping @Sendable (Int) throws -> [Write]) async throws -> (number: Int, versions: [Int]) {
        do {
            return try await client.withTransaction(logger: logger) { conn in
                let number = try await self.next(sequence, conn: conn)
                return (number, try await self.applyAll(try build(number), conn: conn, context: context))
            }
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? StoreError { throw inner }
            if let inner = error.closureError { throw inner }
            throw error
        }
    }

    func next(_ sequence: String, conn: PostgresConnection) async throws -> Int {
        let rows = try await conn.query("""
            INSERT INTO \(unescaped: schema).sequences (name, value) VALUES (\(sequence), 1)
            ON CONFLICT (name) DO UPDATE SET value = \(unescaped: schema).sequences.value + 1 RETURNING value
            """, logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        throw StoreError(.unavailable, "sequence \(sequence) returned nothing")
    }

    /// One write, its history row and its index rows, inside the caller's transaction; returns the new version.
    func apply(_ write: Write, conn: PostgresConnection, context: ChangeContext) async throws -> Int {
        try await applyAll([write], conn: conn, context: context)[0]
    }

    /// The writes, their history rows and index rows, inside the caller's transaction, a run at a
    /// time (`WriteRuns`); returns the new versions.
    func applyAll(_ writes: [Write], conn: PostgresConnection, context: ChangeContext) async throws -> [Int] {
        var versions: [Int] = []
        for run in WriteRuns.of(writes) { versions += try await applyRun(writes[run], conn: conn, context: context) }
        return versions
    }

    /// A value of a multi-row statement.
    enum Cell {
        case text(String?)
        case int(Int)
    }

    /// Rows as multi-row VALUES: each row's values bound in order, `$n` numbered from 1.
    static func values(_ rows: [[Cell]]) -> (sql: String, binds: PostgresBindings) {
        var binds = PostgresBindings()
        var tuples: [String] = []
        for row in rows {
            let start = binds.count
            for value in row {
                switch value {
                case let .text(text): binds.append(text)
                case let .int(n): binds.append(n)
                }
            }
            tuples.append("(" + (1...row.count).map { "$\(start + $0)" }.joined(separator: ", ") + ")")
        }
        return (tuples.joined(separator: ", "), binds)
    }

    /// A run of writes of one kind in a few statements (per 1,000 writes): the stored versions
    /// read and locked (`FOR UPDATE`: a concurrent writer waits, then sees the new version), each
    /// write checked (the first refused fails the transaction), the documents written in one
    /// upsert, the history rows in one insert, the index rows of the run planned from one read.
    func applyRun(_ writes: ArraySlice<Write>, conn: PostgresConnection, context: ChangeContext) async throws -> [Int] {
        guard let kind = writes.first?.kind else { return [] }
        let at = context.at.storedMilliseconds
        let updating = writes.first?.expectedVersion != nil
        var stored: [String: (version: Int, data: String)] = [:]
        for chunk in WriteRuns.chunks(writes.map(\.id), of: 1000) {
            let ids = Array(chunk)
            if updating && writes.contains(where: { $0.entry == nil }) {
                for try await (id, version, data) in try await conn.query(
                    "SELECT id, version, data FROM \(unescaped: table(kind)) WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE", logger: logger
                ).decode((String, Int, String).self) { stored[id] = (version, data) }
            } else {
                // Inserts, or updates that carry their history entry (`Write.entry`): the versions only, locked for updates.
                for try await (id, version) in try await conn.query(
                    "SELECT id, version FROM \(unescaped: table(kind)) WHERE id = ANY(\(ids))\(unescaped: updating ? " ORDER BY id FOR UPDATE" : "")", logger: logger
                ).decode((String, Int).self) { stored[id] = (version, "") }
            }
        }
        var prepared: [(id: String, previous: Data?, new: Data, version: Int, entry: HistoryEncoding.Entry?)] = []
        for write in writes {
            if let refusal = WriteRuns.refusal(of: write, stored: stored[write.id]?.version) { throw refusal }
            prepared.append((write.id, write.expectedVersion == nil || write.entry != nil ? nil : stored[write.id].map { Data($0.data.utf8) },
                             write.data, (write.expectedVersion ?? 0) + 1, write.entry))
        }
        let entries = HistoryEncoding.entries(kind: kind, of: prepared)
        var versions: [Int] = []
        var documents: [[Cell]] = []
        var history: [[Cell]] = []
        for (i, write) in writes.enumerated() {
            let version = prepared[i].version
            let text = String(decoding: write.data, as: UTF8.self)
            documents.append([.text(write.id), .int(version), .text(text), .int(at), .int(at)] + kind.columns.map { .text(write.columns[$0] ?? nil) })
            let entry = entries[i]
            history.append([.int(at), .text(context.actor), .text(kind.rawValue), .text(write.id), .int(version),
                            .text(version == 1 ? "created" : "updated"), .text(context.reason), .text(entry.data), .text(entry.event),
                            .text(entry.format.rawValue)])
            versions.append(version)
        }
        let names = ["id", "version", "data", "created_at", "updated_at"] + kind.columns
        for chunk in WriteRuns.chunks(documents, of: 1000) {
            let (tuples, binds) = Self.values(Array(chunk))
            // An insert of an id already there (two writers at once) updates nothing: counted below.
            let conflict = updating
                ? "DO UPDATE SET \((["version", "data", "updated_at"] + kind.columns).map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", "))"
                : "DO NOTHING"
            let written = try await conn.query(PostgresQuery(unsafeSQL: """
                INSERT INTO \(table(kind)) (\(names.joined(separator: ", "))) VALUES \(tuples) ON CONFLICT (id) \(conflict) RETURNING id
                """, binds: binds), logger: logger).collect()
            if written.count < chunk.count {
                let ids = Set(try written.map { try $0.decode(String.self) })
                let missing = chunk.compactMap { row -> String? in if case let .text(id) = row[0] { id } else { nil } }.first { !ids.contains($0) } ?? "?"
                throw StoreError(.duplicate, "\(kind.rawValue) '\(missing)' already exists")
            }
        }
        for chunk in WriteRuns.chunks(history, of: 1000) {
            let (tuples, binds) = Self.values(Array(chunk))
            try await conn.query(PostgresQuery(unsafeSQL: """
                INSERT INTO \(schema).history (at, actor, aggregate_kind, aggregate_id, version, action, reason, data, event, format) VALUES \(tuples)
                """, binds: binds), logger: logger)
        }
        try await applyIndexRows(zip(writes, versions).map { (id: $0.id, version: $1, rows: $0.rows) }, kind: kind, context: context, conn: conn)
        return versions
    }

    /// Upserts the index rows that changed and appends the tracked changes.
    func applyIndexRows(_ rows: [IndexRow], kind: AggregateKind, id: String, version: Int, context: ChangeContext, conn: PostgresConnection,
                        enforce: Bool = true) async throws {
        try await applyIndexRows([(id, version, rows)], kind: kind, context: context, conn: conn, enforce: enforce)
    }

    /// The same for several aggregates of `kind`: their stored rows read per table in one
    /// statement, each aggregate's planned against its own, the changes upserted together.
    func applyIndexRows(_ aggregates: [(id: String, version: Int, rows: [IndexRow])], kind: AggregateKind, context: ChangeContext,
                        conn: PostgresConnection, enforce: Bool = true) async throws {
        for table in IndexTable.owned(by: kind) {
            let mine = aggregates.map { a in (a.id, a.version, a.rows.filter { $0.table == table }) }.filter { !$0.2.isEmpty }
            guard !mine.isEmpty else { continue }
            let columns = table.columns
            var existing: [String: [String: IndexRow]] = [:]
            for chunk in WriteRuns.chunks(mine.map(\.0), of: 1000) {
                var select = PostgresBindings()
                select.append(Array(chunk))
                let found = try await conn.query(PostgresQuery(
                    unsafeSQL: "SELECT id, \(columns.joined(separator: ", ")) FROM \(schema).\(table.rawValue) WHERE \(table.scope) = ANY($1)", binds: select),
                    logger: logger)
                for try await row in found {
                    let indexRow = try Self.indexRow(table, row)
                    existing[indexRow[table.scope] ?? "", default: [:]][indexRow.id] = indexRow
                }
            }
            var upserts: [IndexRow] = []
            var events: [IndexEvent] = []
            for (id, version, rows) in mine {
                let planned = try IndexPlanning.plan(rows, existing: existing[id] ?? [:], version: version, context: context, enforce: enforce)
                upserts += planned.upserts
                events += planned.events
            }
            let names = ["id"] + columns
            for chunk in WriteRuns.chunks(upserts, of: 1000) {
                let (tuples, binds) = Self.values(chunk.map { row in [.text(row.id)] + columns.map { .text(row[$0]) } })
                try await conn.query(PostgresQuery(unsafeSQL: """
                    INSERT INTO \(schema).\(table.rawValue) (\(names.joined(separator: ", "))) VALUES \(tuples)
                    ON CONFLICT (id) DO UPDATE SET \(columns.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", "))
                    """, binds: binds), logger: logger)
            }
            if let tracked = table.tracked {
                for chunk in WriteRuns.chunks(events, of: 1000) {
                    let (tuples, binds) = Self.values(chunk.map { [.text($0.subject), .int($0.version), .text($0.value)] })
                    try await conn.query(PostgresQuery(unsafeSQL: """
                        INSERT INTO \(schema).\(tracked.events) (subject, version, value) VALUES \(tuples)
                        ON CONFLICT (subject, version) DO NOTHING
                        """, binds: binds), logger: logger)
                }
            }
        }
    }

    static func indexRow(_ table: IndexTable, _ row: PostgresRow) throws -> IndexRow {
        var values: [String: String?] = [:]
        var id = ""
        for (index, cell) in row.enumerated() {
            let value = try cell.decode(String?.self)
            if index == 0 { id = value ?? "" } else { values[table.columns[index - 1]] = value }
        }
        return IndexRow(table: table, id: id, values: values)
    }

    public func countDueJobs(now: String) async throws -> Int {
        let rows = try await client.query("""
            SELECT (SELECT COUNT(*) FROM \(unescaped: table(.job)) WHERE status = 'pending' AND due_at COLLATE "C" <= \(now))
                 + (SELECT COUNT(*) FROM \(unescaped: table(.job)) WHERE status = 'running' AND claim_until COLLATE "C" <= \(now))
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    public func claimJobs(now: String, limit: Int, context: ChangeContext,
                          _ claim: @Sendable (StoredRecord) throws -> Write) async throws -> [StoredRecord] {
        let kind = AggregateKind.job
        do {
            return try await client.withTransaction(logger: logger) { conn in
                // Rows another node is claiming right now are skipped, not waited for: each due job goes to one node.
                let rows = try await conn.query("""
                    SELECT id, version, data, created_at, updated_at FROM \(unescaped: table(kind))
                    WHERE (status = 'pending' AND due_at COLLATE "C" <= \(now)) OR (status = 'running' AND claim_until COLLATE "C" <= \(now))
                    ORDER BY due_at COLLATE "C", id COLLATE "C" LIMIT \(limit) FOR UPDATE SKIP LOCKED
                    """, logger: logger)
                var claimed: [StoredRecord] = []
                for try await row in rows.decode((String, Int, String, Int, Int).self) { claimed.append(Self.record(kind, row)) }
                var result: [StoredRecord] = []
                for record in claimed {
                    let write = try claim(record)
                    let version = try await apply(write, conn: conn, context: context)
                    result.append(StoredRecord(kind: kind, id: record.id, version: version, data: write.data, createdAt: record.createdAt, updatedAt: context.at))
                }
                return result
            }
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? StoreError { throw inner }
            throw error
        }
    }

    public func load(_ kind: AggregateKind, id: String) async throws -> StoredRecord? {
        let rows = try await client.query("SELECT id, version, data, created_at, updated_at FROM \(unescaped: table(kind)) WHERE id = \(id)", logger: logger)
        for try await row in rows.decode((String, Int, String, Int, Int).self) { return Self.record(kind, row) }
        return nil
    }

    public func load(_ kind: AggregateKind, ids: [String]) async throws -> [StoredRecord] {
        guard !ids.isEmpty else { return [] }
        var found: [StoredRecord] = []
        for slice in WriteRuns.chunks(ids, of: 1000) {
            let chunk = Array(slice)
            let rows = try await client.query("SELECT id, version, data, created_at, updated_at FROM \(unescaped: table(kind)) WHERE id = ANY(\(chunk))", logger: logger)
            for try await row in rows.decode((String, Int, String, Int, Int).self) { found.append(Self.record(kind, row)) }
        }
        return found.sorted { $0.id < $1.id }
    }

    public func commitmentsDue(on day: String) async throws -> [String] {
        let active = CommitmentsDue.active, disconnected = CommitmentsDue.disconnected, open = CommitmentsDue.open
        let rows = try await client.query("""
            SELECT id FROM \(unescaped: schema).commitment_contracts WHERE status = \(active) AND ends_on <= \(day)
            UNION
            SELECT k.commitment FROM \(unescaped: schema).installed_products p
            JOIN \(unescaped: schema).commitment_coverage k ON k.installed_product = p.id AND k.status = \(open)
            WHERE p.status = \(disconnected) AND p.disconnected_on <= \(day)
            """, logger: logger)
        var ids: [String] = []
        for try await id in rows.decode(String.self) { ids.append(id) }
        return ids.sorted()
    }

    func listQuery(_ kind: AggregateKind, columns: String, filter: RecordFilter, after cursor: String?, limit: Int) -> PostgresQuery {
        var binds = PostgresBindings()
        var clauses: [String] = []
        for condition in filter.conditions(for: kind) {
            binds.append(condition.value)
            clauses.append("\(condition.column) COLLATE \"C\" \(condition.op) $\(clauses.count + 1)")
        }
        if let cursor {
            binds.append(cursor)
            clauses.append("id COLLATE \"C\" > $\(clauses.count + 1)")
        }
        binds.append(limit)
        let sql = "SELECT \(columns) FROM \(table(kind))"
            + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY id COLLATE \"C\" LIMIT $\(clauses.count + 1)"
        return PostgresQuery(unsafeSQL: sql, binds: binds)
    }

    public func listVersions(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [(id: String, version: Int)] {
        var result: [(id: String, version: Int)] = []
        for try await (id, version) in try await client.query(listQuery(kind, columns: "id, version", filter: filter, after: cursor, limit: limit),
                                                                logger: logger).decode((String, Int).self) {
            result.append((id, version))
        }
        return result
    }

    public func list(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [StoredRecord] {
        var result: [StoredRecord] = []
        let query = listQuery(kind, columns: "id, version, data, created_at, updated_at", filter: filter, after: cursor, limit: limit)
        for try await row in try await client.query(query, logger: logger).decode((String, Int, String, Int, Int).self) {
            result.append(Self.record(kind, row))
        }
        return result
    }

    public func reserveIdempotencyKey(_ key: String, actor: String, request: String, at: Date) async throws -> IdempotencyRecord? {
        let now = Int(at.timeIntervalSince1970 * 1000)
        let abandoned = now - IdempotencyRecord.abandonedAfterMilliseconds
        let inserted = try await client.query("""
            INSERT INTO \(unescaped: schema).idempotency_keys (actor, key, request, status, body, created_at)
            VALUES (\(actor), \(key), \(request), 0, ''::bytea, \(now))
            ON CONFLICT (actor, key) DO UPDATE SET request = EXCLUDED.request, status = 0, created_at = EXCLUDED.created_at
            WHERE \(unescaped: schema).idempotency_keys.status = -1
               OR (\(unescaped: schema).idempotency_keys.status = 0 AND \(unescaped: schema).idempotency_keys.created_at < \(abandoned))
            RETURNING key
            """, logger: logger).collect()
        if !inserted.isEmpty { return nil }
        let rows = try await client.query("""
            SELECT request, status, content_type, body FROM \(unescaped: schema).idempotency_keys WHERE actor = \(actor) AND key = \(key)
            """, logger: logger)
        for try await (request, status, contentType, body) in rows.decode((String, Int, String?, ByteBuffer).self) {
            return IdempotencyRecord(request: request, status: status, contentType: contentType, body: Data(body.readableBytesView))
        }
        return nil
    }

    public func completeIdempotencyKey(_ key: String, actor: String, status: Int, contentType: String?, body: Data) async throws {
        let buffer = ByteBuffer(bytes: body)
        try await client.query("""
            UPDATE \(unescaped: schema).idempotency_keys SET status = \(status), content_type = \(contentType), body = \(buffer)
            WHERE actor = \(actor) AND key = \(key)
            """, logger: logger)
    }

    public func historyRows(_ kind: AggregateKind, id: String, from: Int, through: Int?) async throws -> [HistoryRow] {
        try await client.withConnection { conn in try await self.fetchHistoryRows(conn, kind: kind, id: id, from: from, through: through) }
    }

    func fetchHistoryRows(_ conn: PostgresConnection, kind: AggregateKind, id: String, from: Int, through: Int?) async throws -> [HistoryRow] {
        let rows = try await conn.query("""
            SELECT sequence, at, actor, version, action, event, reason, format, data FROM \(unescaped: schema).history
            WHERE aggregate_kind = \(kind.rawValue) AND aggregate_id = \(id) AND version >= \(from) AND version <= \(through ?? Int.max) ORDER BY version
            """, logger: logger)
        var result: [HistoryRow] = []
        for try await (sequence, at, actor, version, action, event, reason, format, data) in rows.decode((Int, Int, String, Int, String, String?, String?, String, String).self) {
            result.append(HistoryRow(sequence: sequence, at: Date(timeIntervalSince1970: Double(at) / 1000), actor: actor, version: version, action: action,
                                     event: event, reason: reason, format: HistoryFormat(rawValue: format) ?? .snapshot, data: data))
        }
        return result
    }

    public func historyVersion(_ kind: AggregateKind, id: String, atOrBefore instant: Date) async throws -> Int? {
        let rows = try await client.query("""
            SELECT version FROM \(unescaped: schema).history WHERE aggregate_kind = \(kind.rawValue) AND aggregate_id = \(id) AND at <= \(instant.storedMilliseconds)
            ORDER BY at DESC, version DESC LIMIT 1
            """, logger: logger)
        for try await version in rows.decode(Int.self) { return version }
        return nil
    }

    public func historySnapshot(_ kind: AggregateKind, id: String, atOrBefore version: Int) async throws -> Int? {
        let rows = try await client.query("""
            SELECT version FROM \(unescaped: schema).history WHERE aggregate_kind = \(kind.rawValue) AND aggregate_id = \(id) AND version <= \(version)
            AND format = 'snapshot' ORDER BY version DESC LIMIT 1
            """, logger: logger)
        for try await found in rows.decode(Int.self) { return found }
        return nil
    }

    public func indexRows(_ table: IndexTable, where column: String, in values: [String], equals: [String: String],
                          after cursor: String?, limit: Int) async throws -> [IndexRow] {
        let columns = table.columns
        guard !values.isEmpty, column == "id" || columns.contains(column) else { return [] }
        var binds = PostgresBindings()
        for value in values { binds.append(value) }
        var clauses = ["\(column) IN (\((1...values.count).map { "$\($0)" }.joined(separator: ", ")))"]
        for (name, value) in equals.filter({ columns.contains($0.key) }).sorted(by: { $0.key < $1.key }) {
            binds.append(value)
            clauses.append("\(name) = $\(binds.count)")
        }
        return try await indexRows(table, where: clauses, binds, after: cursor, limit: limit)
    }

    /// Rows of `table` meeting every clause (with its bindings, `$1`…), by id in byte order, after `cursor`.
    private func indexRows(_ table: IndexTable, where clauses: [String], _ bindings: PostgresBindings,
                           after cursor: String?, limit: Int) async throws -> [IndexRow] {
        var clauses = clauses, binds = bindings
        if let cursor {
            binds.append(cursor)
            clauses.append("id COLLATE \"C\" > $\(binds.count)")
        }
        binds.append(limit)
        let sql = "SELECT id, \(table.columns.joined(separator: ", ")) FROM \(schema).\(table.rawValue) WHERE \(clauses.joined(separator: " AND ")) ORDER BY id COLLATE \"C\" LIMIT $\(binds.count)"
        var result: [IndexRow] = []
        for try await row in try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
            result.append(try Self.indexRow(table, row))
        }
        return result
    }

    public func indexRows(_ table: IndexTable, where column: String, startingWith prefix: String,
                          after cursor: String?, limit: Int) async throws -> [IndexRow] {
        let columns = table.columns
        guard !prefix.isEmpty, columns.contains(column) else { return [] }
        var binds = PostgresBindings()
        binds.append(prefix)
        binds.append(IndexPlanning.prefixEnd(prefix))
        return try await indexRows(table, where: ["\(column) COLLATE \"C\" >= $1", "\(column) COLLATE \"C\" < $2"], binds, after: cursor, limit: limit)
    }

    public func indexEvents(_ table: IndexTable, subject: String, afterVersion: Int?, limit: Int) async throws -> [IndexEvent] {
        guard let tracked = table.tracked else { return [] }
        // When, who and why: the owning aggregate's history row of the same version.
        let rows = try await client.query(PostgresQuery(unsafeSQL: """
            SELECT e.subject, e.version, e.value, h.at, h.actor, h.reason FROM \(schema).\(tracked.events) e
            JOIN \(schema).\(table.rawValue) r ON r.id = e.subject
            JOIN \(schema).history h ON h.aggregate_kind = $1 AND h.aggregate_id = r.\(table.scope) AND h.version = e.version
            WHERE e.subject = $2 AND e.version > $3 ORDER BY e.version LIMIT $4
            """, binds: { var b = PostgresBindings(); b.append(table.owner.rawValue); b.append(subject); b.append(afterVersion ?? 0); b.append(limit); return b }()),
            logger: logger)
        var result: [IndexEvent] = []
        for try await (subject, version, value, at, actor, reason) in rows.decode((String, Int, String?, Int, String, String?).self) {
            result.append(IndexEvent(subject: subject, version: version, at: Date(timeIntervalSince1970: Double(at) / 1000), actor: actor,
                                     reason: reason, event: table.eventName(value), value: value))
        }
        return result
    }

    public func nextNumber(_ sequence: String) async throws -> Int {
        try await client.withConnection { conn in try await self.next(sequence, conn: conn) }
    }

    public func appliedMigrations() async throws -> [Int] {
        var result: [Int] = []
        for try await v in try await client.query(PostgresQuery(unsafeSQL: "SELECT version FROM \(schema).schema_migrations ORDER BY version"), logger: logger).decode(Int.self) {
            result.append(v)
        }
        return result
    }

    public func benchmarkRawInserts(count: Int, lines: Int) async throws {
        let schema = self.schema, logger = self.logger
        try await client.query(PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(schema).bench_raw_headers (id BIGSERIAL PRIMARY KEY, data TEXT NOT NULL)"), logger: logger)
        try await client.query(PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(schema).bench_raw_lines (header BIGINT NOT NULL, number INTEGER NOT NULL, data TEXT NOT NULL)"), logger: logger)
        let payload = String(repeating: "x", count: 200)
        for _ in 0..<count {
            try await client.withTransaction(logger: logger) { conn in
                var header = 0
                for try await id in try await conn.query("INSERT INTO \(unescaped: schema).bench_raw_headers (data) VALUES (\(payload)) RETURNING id", logger: logger).decode(Int.self) {
                    header = id
                }
                for n in 0..<lines {
                    try await conn.query("INSERT INTO \(unescaped: schema).bench_raw_lines (header, number, data) VALUES (\(header), \(n), \(payload))", logger: logger)
                }
            }
        }
    }

    public func databaseBytes() async throws -> Int {
        let rows = try await client.query("""
            SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0)::BIGINT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = \(schema) AND c.relkind = 'r'
            """, logger: logger)
        for try await bytes in rows.decode(Int.self) { return bytes }
        return 0
    }

    /// For tests: runs raw SQL (append-only checks, dropping a test schema).
    public func unsafeExecute(_ sql: String) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    public func close() async throws {
        guard let runner else { return }
        runner.cancel()
        _ = await runner.value
    }

    private static func record(_ kind: AggregateKind, _ row: (String, Int, String, Int, Int)) -> StoredRecord {
        StoredRecord(kind: kind, id: row.0, version: row.1, data: Data(row.2.utf8),
                     createdAt: Date(timeIntervalSince1970: Double(row.3) / 1000), updatedAt: Date(timeIntervalSince1970: Double(row.4) / 1000))
    }
}
