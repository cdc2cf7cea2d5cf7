import ConvergentStore
import CompressNIO
import Foundation
import GRDB
import NIOCore

/// The default backend: one SQLite file, WAL mode, `synchronous=FULL` (an acknowledged write
/// survives a power cut). GRDB's pool serialises writers, so SQLite is the single writer.
public final class SQLiteStore: ConvergentStore {
    public let backend = "sqlite"
    private let pool: DatabasePool

    /// - Parameter synchronous: `FULL` (default) or `NORMAL` (faster, may lose the last commits on power loss).
    public init(path: String, synchronous: String = "FULL") throws {
        var config = Configuration()
        config.busyMode = .timeout(10)
        let mode = ["FULL", "NORMAL", "EXTRA"].contains(synchronous.uppercased()) ? synchronous.uppercased() : "FULL"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(mode)")
            // Reads of a large database come from memory the OS already holds (mmap, up to SQLite's
            // 2 GB limit: address space, not memory) and a 16 MB page cache per connection (SQLite's
            // default is 2 MB), not a system call a page.
            try db.execute(sql: "PRAGMA mmap_size = 2147418112")
            try db.execute(sql: "PRAGMA cache_size = -16384")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(.unavailable, "cannot open SQLite database at \(path): \(error)")
        }
    }

    /// Runs the frozen migrations not yet applied (GRDB's `DatabaseMigrator`); migration 7 also
    /// fills the rows of queried entities of a database made before they existed.
    public func migrate() async throws {
        try await pool.write { db in try Self.adoptLegacyMigrations(db) }
        try await Self.migrator.migrate(pool)
    }

    /// The migrations up to `number` only: a file as an earlier release left it (upgrade tests).
    public func migrate(through number: Int) async throws {
        guard let last = Self.migrations.last(where: { $0.number <= number }) else { return }
        try await Self.migrator.migrate(pool, upTo: last.identifier)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
                if migration.number == 7 { try backfillIndexRows(db) }
                if migration.number == 8 { try moveEmbeddedMessages(db) }
                if migration.number == 9 { try fillIndexRows(db, of: .customer, in: .customerTerms) }
                if migration.number == 10 { try fillIndexRows(db, of: .installedContract, in: .installedBilling) }
                if migration.number == 13 { try fillIndexRows(db, of: .commitmentContract, in: .commitmentCoverage) }
            }
        }
        return migrator
    }

    /// Databases made before GRDB's migrator ran these migrations recorded them by number in
    /// `schema_migrations`; the migrator is told they are applied.
    static func adoptLegacyMigrations(_ db: Database) throws {
        guard try db.tableExists("schema_migrations"), try !db.tableExists("grdb_migrations") else { return }
        try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        for number in try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version") {
            guard let migration = migrations.first(where: { $0.number == number }) else { continue }
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
        }
    }

    /// Replays the history of every installed contract and order into the index tables, as their
    /// writes would have: products, links, orders' contracts, and each product's status changes.
    static func backfillIndexRows(_ db: Database) throws {
        for kind in [AggregateKind.installedContract, .order] {
            for id in try String.fetchAll(db, sql: "SELECT id FROM \(kind.table) ORDER BY id") {
                let rows = try fetchHistoryRows(db, kind: kind, id: id, from: 1, through: nil)
                for entry in try HistoryEncoding.entries(kind: kind, id: id, rows: rows) {
                    try applyIndexRows(IndexRow.rows(of: kind, from: Data(entry.data.utf8)).filter { IndexTable.ofStorageV2.contains($0.table) }, kind: kind,
                                       id: id, version: entry.version, context: ChangeContext(actor: entry.actor, at: entry.at, reason: entry.reason),
                                       db: db, enforce: false)
                }
                if kind == .order, let stored = try DatabaseValue.fetchOne(db, sql: "SELECT data FROM orders WHERE id = ?", arguments: [id]),
                   let columns = IndexPlanning.columns(of: kind, from: Data(try Packing.unpack(stored).utf8)) {
                    try db.execute(sql: "UPDATE orders SET in_jeopardy = ? WHERE id = ?", arguments: [columns["in_jeopardy"] ?? nil, id])
                }
            }
        }
    }

    /// A new index table's rows from every aggregate's current document (migration 9: the
    /// customers' search words; 10: the accounts paying installed products).
    static func fillIndexRows(_ db: Database, of kind: AggregateKind, in table: IndexTable) throws {
        for row in try Row.fetchAll(db, sql: "SELECT id, version, data FROM \(kind.table) ORDER BY id") {
            let data = Data(try Packing.unpack(row["data"]).utf8)
            try applyIndexRows(IndexRow.rows(of: kind, from: data).filter { $0.table == table }, kind: kind, id: row["id"], version: row["version"],
                               context: ChangeContext(actor: "upgrade", at: Date()), db: db, enforce: false)
        }
    }

    /// Migration 8: the provisioning messages orders kept in their document become aggregates.
    static func moveEmbeddedMessages(_ db: Database) throws {
        for id in try String.fetchAll(db, sql: "SELECT id FROM orders ORDER BY id") {
            guard let row = try Row.fetchOne(db, sql: "SELECT data, updated_at FROM orders WHERE id = ?", arguments: [id]) else { continue }
            let inserts = try EmbeddedProvisioningMessages.inserts(orderDocument: Data(try Packing.unpack(row["data"]).utf8))
            let at = Date(timeIntervalSince1970: Double(row["updated_at"] as Int) / 1000)
            for insert in inserts { _ = try apply(insert, db: db, context: EmbeddedProvisioningMessages.context(at: at)) }
        }
    }

    public func commit(_ writes: [Write], context: ChangeContext) async throws -> [Int] {
        // Compressed before the transaction, on every core: the one writer holds it shorter.
        let packed = Packing.packed(writes)
        return try await pool.write { db in try Self.applyAll(writes, db: db, context: context, packed: packed) }
    }

    public func commit(numbering sequence: String, context: ChangeContext,
                       _ build: @escaping @Sendable (Int) throws -> [Write]) async throws -> (number: Int, versions: [Int]) {
        try await pool.write { db in
            let number = try Self.next(sequence, db: db)
            return (number, try Self.applyAll(try build(number), db: db, context: context))
        }
    }

    static func next(_ sequence: String, db: Database) throws -> Int {
        try db.cachedStatement(sql: "INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1")
            .execute(arguments: [sequence])
        return try Int.fetchOne(db.cachedStatement(sql: "SELECT value FROM sequences WHERE name = ?"), arguments: [sequence])!
    }

    /// One write, its history row and its index rows, inside the caller's transaction; returns the new version.
    static func apply(_ write: Write, db: Database, context: ChangeContext) throws -> Int {
        try applyAll([write], db: db, context: context)[0]
    }

    /// The writes, their history rows and index rows, inside the caller's transaction, a run at a
    /// time (`WriteRuns`); returns the new versions.
    /// `packed`: the writes' documents and history entries (those computed already) compressed, by index.
    static func applyAll(_ writes: [Write], db: Database, context: ChangeContext, packed: [Packing.Packed]? = nil) throws -> [Int] {
        try WriteRuns.of(writes).flatMap { try applyRun(writes[$0], db: db, context: context, packed: packed) }
    }

    /// A run of writes of one kind: what is stored read in one statement (per 500), each write
    /// checked against it (the first refused fails the transaction), then stored with its history
    /// row; the index rows of the whole run planned from one read.
    static func applyRun(_ writes: ArraySlice<Write>, db: Database, context: ChangeContext, packed: [Packing.Packed]? = nil) throws -> [Int] {
        guard let kind = writes.first?.kind else { return [] }
        let at = context.at.storedMilliseconds
        var stored: [String: (version: Int, data: DatabaseValue)] = [:]
        // The documents are read only for updates that do not carry their history entry (`Write.entry`).
        let reading = writes.contains { $0.expectedVersion != nil && $0.entry == nil }
        for chunk in WriteRuns.chunks(writes.map(\.id), of: 500) {
            let sql = "SELECT id, version\(reading ? ", data" : "") FROM \(kind.table) WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))"
            for row in try Row.fetchAll(statement(db, sql, count: chunk.count), arguments: StatementArguments(Array(chunk))) {
                stored[row["id"]] = (row["version"], reading ? row["data"] : .null)
            }
        }
        let columns = kind.columns
        let update = try db.cachedStatement(sql: """
            UPDATE \(kind.table) SET \((["version = ?", "data = ?", "updated_at = ?"] + columns.map { "\($0) = ?" }).joined(separator: ", "))
            WHERE id = ? AND version = ?
            """)
        let names = ["id", "version", "data", "created_at", "updated_at"] + columns
        let insert = try db.cachedStatement(sql: "INSERT INTO \(kind.table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))")
        let history = try db.cachedStatement(sql: """
            INSERT INTO history (at, actor, aggregate_kind, aggregate_id, version, action, reason, data, event, format)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        // Checked first (the first refused fails the transaction), then the history entries of
        // the run computed together, then every row written.
        var prepared: [(id: String, previous: Data?, new: Data, version: Int, entry: HistoryEncoding.Entry?)] = []
        for write in writes {
            if let refusal = WriteRuns.refusal(of: write, stored: stored[write.id]?.version) { throw refusal }
            let previous = write.entry != nil ? nil : try write.expectedVersion.flatMap { _ in
                try stored[write.id].map { Data(try Packing.unpack($0.data).utf8) }
            }
            prepared.append((write.id, previous, write.data, (write.expectedVersion ?? 0) + 1, write.entry))
        }
        let entries = HistoryEncoding.entries(kind: kind, of: prepared)
        var versions: [Int] = []
        for (i, index) in writes.indices.enumerated() {
            let write = writes[index]
            let document = packed?[index].document ?? Packing.pack(String(decoding: write.data, as: UTF8.self))
            let version = prepared[i].version
            if let expected = write.expectedVersion {
                var args: [(any DatabaseValueConvertible)?] = [version, document, at]
                args += columns.map { write.columns[$0] ?? nil }
                args += [write.id, expected]
                try update.execute(arguments: StatementArguments(args))
            } else {
                var args: [(any DatabaseValueConvertible)?] = [write.id, version, document, at, at]
                args += columns.map { write.columns[$0] ?? nil }
                try insert.execute(arguments: StatementArguments(args))
            }
            let entry = entries[i]
            try history.execute(arguments: [at, context.actor, kind.rawValue, write.id, version, version == 1 ? "created" : "updated",
                                            context.reason, packed?[index].entry ?? Packing.pack(entry.data), entry.event, entry.format.rawValue])
            versions.append(version)
        }
        try applyIndexRows(zip(writes, versions).map { (id: $0.id, version: $1, rows: $0.rows) }, kind: kind, context: context, db: db)
        return versions
    }

    /// A statement with `count` placeholders in a list: kept prepared for one and for a full
    /// chunk (the usual sizes), prepared each time otherwise.
    static func statement(_ db: Database, _ sql: String, count: Int) throws -> Statement {
        count == 1 || count == 500 ? try db.cachedStatement(sql: sql) : try db.makeStatement(sql: sql)
    }

    /// Upserts the index rows that changed and appends the tracked changes (see `IndexPlanning`).
    static func applyIndexRows(_ rows: [IndexRow], kind: AggregateKind, id: String, version: Int, context: ChangeContext, db: Database,
                               enforce: Bool = true) throws {
        try applyIndexRows([(id, version, rows)], kind: kind, context: context, db: db, enforce: enforce)
    }

    /// The same for several aggregates of `kind`: their stored rows read per table in one
    /// statement (per 500 aggregates), each aggregate's planned against its own.
    static func applyIndexRows(_ aggregates: [(id: String, version: Int, rows: [IndexRow])], kind: AggregateKind, context: ChangeContext,
                               db: Database, enforce: Bool = true) throws {
        for table in IndexTable.owned(by: kind) {
            let mine = aggregates.map { a in (a.id, a.version, a.rows.filter { $0.table == table }) }.filter { !$0.2.isEmpty }
            guard !mine.isEmpty else { continue }
            let columns = table.columns
            var existing: [String: [String: IndexRow]] = [:]
            for chunk in WriteRuns.chunks(mine.map(\.0), of: 500) {
                let select = try statement(db, """
                    SELECT id, \(columns.joined(separator: ", ")) FROM \(table.rawValue) WHERE \(table.scope) IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))
                    """, count: chunk.count)
                for row in try Row.fetchAll(select, arguments: StatementArguments(Array(chunk))) {
                    let found = indexRow(table, row)
                    existing[found[table.scope] ?? "", default: [:]][found.id] = found
                }
            }
            let names = ["id"] + columns
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO \(table.rawValue) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))
                ON CONFLICT (id) DO UPDATE SET \(columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                """)
            for (id, version, rows) in mine {
                let (upserts, events) = try IndexPlanning.plan(rows, existing: existing[id] ?? [:], version: version, context: context, enforce: enforce)
                for row in upserts {
                    try upsert.execute(arguments: StatementArguments([row.id] + columns.map { row[$0] }))
                }
                if let tracked = table.tracked, !events.isEmpty {
                    let insert = try db.cachedStatement(sql: """
                        INSERT INTO \(tracked.events) (subject, version, value) VALUES (?, ?, ?) ON CONFLICT (subject, version) DO NOTHING
                        """)
                    for event in events { try insert.execute(arguments: [event.subject, event.version, event.value]) }
                }
            }
        }
    }

    static func indexRow(_ table: IndexTable, _ row: Row) -> IndexRow {
        IndexRow(table: table, id: row["id"], values: Dictionary(uniqueKeysWithValues: table.columns.map { ($0, row[$0] as String?) }))
    }

    public func countDueJobs(now: String) async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: """
                SELECT (SELECT COUNT(*) FROM jobs WHERE status = 'pending' AND due_at <= ?)
                     + (SELECT COUNT(*) FROM jobs WHERE status = 'running' AND claim_until <= ?)
                """, arguments: [now, now]) ?? 0
        }
    }

    public func claimJobs(now: String, limit: Int, context: ChangeContext,
                          _ claim: @Sendable (StoredRecord) throws -> Write) async throws -> [StoredRecord] {
        let kind = AggregateKind.job
        // GRDB serialises writers: SQLite is the single writer, so no two claims see the same row.
        return try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, version, data, created_at, updated_at FROM \(kind.table)
                WHERE (status = 'pending' AND due_at <= ?) OR (status = 'running' AND claim_until <= ?)
                ORDER BY due_at, id LIMIT ?
                """, arguments: [now, now, limit])
            return try rows.map { row in
                let record = try Self.record(kind, row)
                let write = try claim(record)
                let version = try Self.apply(write, db: db, context: context)
                return StoredRecord(kind: kind, id: record.id, version: version, data: write.data, createdAt: record.createdAt, updatedAt: context.at)
            }
        }
    }

    /// Point reads (one row by id, ids and versions, a few small records) run on the calling
    /// thread: reading an indexed row takes microseconds, less than handing the work to GRDB's
    /// queue and back, whose two thread switches were most of a `GET /orders/{id}` (perf, see
    /// docs/benchmarks.md). At most one per cooperative thread runs at once, far below the pool's
    /// readers, so it never waits for a connection. Each is one SELECT, atomic on its own, so it
    /// runs without the BEGIN/COMMIT of an isolated read. Longer reads stay on the pool's queue.
    private func pointRead<T>(_ body: (Database) throws -> T) throws -> T { try pool.unsafeRead(body) }

    public func load(_ kind: AggregateKind, id: String) async throws -> StoredRecord? {
        try pointRead { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT id, version, data, created_at, updated_at FROM \(kind.table) WHERE id = ?"), arguments: [id])
                .map { try Self.record(kind, $0) }
        }
    }

    public func load(_ kind: AggregateKind, ids: [String]) async throws -> [StoredRecord] {
        guard !ids.isEmpty else { return [] }
        return try await pool.read { db in
            var found: [StoredRecord] = []
            for chunk in WriteRuns.chunks(ids, of: 500) {
                let sql = "SELECT id, version, data, created_at, updated_at FROM \(kind.table) WHERE id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))"
                found += try Row.fetchAll(Self.statement(db, sql, count: chunk.count), arguments: StatementArguments(Array(chunk))).map { try Self.record(kind, $0) }
            }
            return found.sorted { $0.id < $1.id }
        }
    }

    public func commitmentsDue(on day: String) async throws -> [String] {
        try await pool.read { db in
            // From the disconnected products to their open coverage rows (CROSS JOIN keeps that order).
            try String.fetchAll(db, sql: """
                SELECT id FROM commitment_contracts WHERE status = ? AND ends_on <= ?
                UNION
                SELECT k.commitment FROM installed_products p CROSS JOIN commitment_coverage k
                WHERE p.status = ? AND p.disconnected_on <= ? AND k.installed_product = p.id AND k.status = ?
                ORDER BY 1
                """, arguments: [CommitmentsDue.active, day, CommitmentsDue.disconnected, day, CommitmentsDue.open])
        }
    }

    public func listVersions(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [(id: String, version: Int)] {
        let (sql, arguments) = Self.listQuery(kind, columns: "id, version", filter: filter, after: cursor, limit: limit)
        return try pointRead { db in
            try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { ($0["id"], $0["version"]) }
        }
    }

    static func listQuery(_ kind: AggregateKind, columns: String, filter: RecordFilter, after cursor: String?, limit: Int) -> (String, StatementArguments) {
        let conditions = filter.conditions(for: kind)
        var clauses = conditions.map { "\($0.column) \($0.op) ?" }
        var args: [(any DatabaseValueConvertible)?] = conditions.map(\.value)
        if let cursor {
            clauses.append("id > ?")
            args.append(cursor)
        }
        args.append(limit)
        let sql = "SELECT \(columns) FROM \(kind.table)"
            + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY id LIMIT ?"
        return (sql, StatementArguments(args))
    }

    public func list(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [StoredRecord] {
        let (sql, arguments) = Self.listQuery(kind, columns: "id, version, data, created_at, updated_at", filter: filter, after: cursor, limit: limit)
        let read = { (db: Database) in try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { try Self.record(kind, $0) } }
        return limit <= 20 ? try pointRead(read) : try await pool.read(read)
    }

    public func reserveIdempotencyKey(_ key: String, actor: String, request: String, at: Date) async throws -> IdempotencyRecord? {
        let now = Int(at.timeIntervalSince1970 * 1000)
        return try await pool.write { db in
            try db.execute(sql: """
                INSERT INTO idempotency_keys (actor, key, request, status, body, created_at) VALUES (?, ?, ?, 0, x'', ?)
                ON CONFLICT (actor, key) DO UPDATE SET request = excluded.request, status = 0, created_at = excluded.created_at
                WHERE idempotency_keys.status = -1 OR (idempotency_keys.status = 0 AND idempotency_keys.created_at < ?)
                """, arguments: [actor, key, request, now, now - IdempotencyRecord.abandonedAfterMilliseconds])
            if db.changesCount == 1 { return nil }
            let row = try Row.fetchOne(db, sql: "SELECT request, status, content_type, body FROM idempotency_keys WHERE actor = ? AND key = ?",
                                       arguments: [actor, key])!
            return IdempotencyRecord(request: row["request"], status: row["status"], contentType: row["content_type"], body: row["body"])
        }
    }

    public func completeIdempotencyKey(_ key: String, actor: String, status: Int, contentType: String?, body: Data) async throws {
        try await pool.write { db in
            try db.execute(sql: "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? WHERE actor = ? AND key = ?",
                           arguments: [status, contentType, body, actor, key])
        }
    }

    public func historyRows(_ kind: AggregateKind, id: String, from: Int, through: Int?) async throws -> [HistoryRow] {
        try await pool.read { db in try Self.fetchHistoryRows(db, kind: kind, id: id, from: from, through: through) }
    }

    static func fetchHistoryRows(_ db: Database, kind: AggregateKind, id: String, from: Int, through: Int?) throws -> [HistoryRow] {
        try Row.fetchAll(db.cachedStatement(sql: """
            SELECT sequence, at, actor, version, action, event, reason, format, data FROM history
            WHERE aggregate_kind = ? AND aggregate_id = ? AND version >= ? AND version <= ? ORDER BY version
            """), arguments: [kind.rawValue, id, from, through ?? Int.max]).map { row in
            HistoryRow(sequence: row["sequence"], at: Date(timeIntervalSince1970: Double(row["at"] as Int) / 1000), actor: row["actor"],
                       version: row["version"], action: row["action"], event: row["event"], reason: row["reason"],
                       format: HistoryFormat(rawValue: row["format"]) ?? .snapshot, data: try Packing.unpack(row["data"]))
        }
    }

    public func historyVersion(_ kind: AggregateKind, id: String, atOrBefore instant: Date) async throws -> Int? {
        let at = instant.storedMilliseconds
        return try await pool.read { db in
            try Int.fetchOne(db.cachedStatement(sql: """
                SELECT version FROM history WHERE aggregate_kind = ? AND aggregate_id = ? AND at <= ? ORDER BY at DESC, version DESC LIMIT 1
                """), arguments: [kind.rawValue, id, at])
        }
    }

    public func historySnapshot(_ kind: AggregateKind, id: String, atOrBefore version: Int) async throws -> Int? {
        try await pool.read { db in
            try Int.fetchOne(db.cachedStatement(sql: """
                SELECT version FROM history WHERE aggregate_kind = ? AND aggregate_id = ? AND version <= ? AND format = 'snapshot'
                ORDER BY version DESC LIMIT 1
                """), arguments: [kind.rawValue, id, version])
        }
    }

    public func indexRows(_ table: IndexTable, where column: String, in values: [String], equals: [String: String],
                          after cursor: String?, limit: Int) async throws -> [IndexRow] {
        let columns = table.columns
        guard !values.isEmpty, column == "id" || columns.contains(column) else { return [] }
        let conditions = equals.filter { columns.contains($0.key) }.sorted { $0.key < $1.key }
        return try await indexRows(table, where: ["\(column) IN (\(values.map { _ in "?" }.joined(separator: ", ")))"] + conditions.map { "\($0.key) = ?" },
                                   values + conditions.map(\.value), after: cursor, limit: limit)
    }

    /// Rows of `table` meeting every clause (with its arguments), by id, after `cursor`.
    private func indexRows(_ table: IndexTable, where clauses: [String], _ arguments: [(any DatabaseValueConvertible)?],
                           after cursor: String?, limit: Int) async throws -> [IndexRow] {
        var clauses = clauses, args = arguments
        if let cursor {
            clauses.append("id > ?")
            args.append(cursor)
        }
        args.append(limit)
        let sql = "SELECT id, \(table.columns.joined(separator: ", ")) FROM \(table.rawValue) WHERE \(clauses.joined(separator: " AND ")) ORDER BY id LIMIT ?"
        let statementArguments = StatementArguments(args)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { Self.indexRow(table, $0) }
        }
    }

    public func indexRows(_ table: IndexTable, where column: String, startingWith prefix: String,
                          after cursor: String?, limit: Int) async throws -> [IndexRow] {
        let columns = table.columns
        guard !prefix.isEmpty, columns.contains(column) else { return [] }
        return try await indexRows(table, where: ["\(column) >= ?", "\(column) < ?"], [prefix, IndexPlanning.prefixEnd(prefix)], after: cursor, limit: limit)
    }

    public func indexEvents(_ table: IndexTable, subject: String, afterVersion: Int?, limit: Int) async throws -> [IndexEvent] {
        guard let tracked = table.tracked else { return [] }
        // When, who and why: the owning aggregate's history row of the same version.
        return try await pool.read { db in
            try Row.fetchAll(db.cachedStatement(sql: """
                SELECT e.subject, e.version, e.value, h.at, h.actor, h.reason FROM \(tracked.events) e
                JOIN \(table.rawValue) r ON r.id = e.subject
                JOIN history h ON h.aggregate_kind = ? AND h.aggregate_id = r.\(table.scope) AND h.version = e.version
                WHERE e.subject = ? AND e.version > ? ORDER BY e.version LIMIT ?
                """), arguments: [table.owner.rawValue, subject, afterVersion ?? 0, limit]).map { row in
                IndexEvent(subject: row["subject"], version: row["version"], at: Date(timeIntervalSince1970: Double(row["at"] as Int) / 1000),
                           actor: row["actor"], reason: row["reason"], event: table.eventName(row["value"]), value: row["value"])
            }
        }
    }

    public func nextNumber(_ sequence: String) async throws -> Int {
        try await pool.write { db in try Self.next(sequence, db: db) }
    }

    public func appliedMigrations() async throws -> [Int] {
        let applied = try await pool.read { db in try Self.migrator.appliedIdentifiers(db) }
        return Self.migrations.filter { applied.contains($0.identifier) }.map(\.number)
    }

    public func benchmarkRawInserts(count: Int, lines: Int) async throws {
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS bench_raw_headers (id INTEGER PRIMARY KEY AUTOINCREMENT, data TEXT NOT NULL)")
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS bench_raw_lines (header INTEGER NOT NULL, number INTEGER NOT NULL, data TEXT NOT NULL)")
        }
        let payload = String(repeating: "x", count: 200)
        for _ in 0..<count {
            try await pool.write { db in
                try db.execute(sql: "INSERT INTO bench_raw_headers (data) VALUES (?)", arguments: [payload])
                let header = db.lastInsertedRowID
                for n in 0..<lines {
                    try db.execute(sql: "INSERT INTO bench_raw_lines (header, number, data) VALUES (?, ?, ?)", arguments: [header, n, payload])
                }
            }
        }
    }

    public func databaseBytes() async throws -> Int {
        try await pool.read { db in
            try Int.fetchOne(db, sql: "PRAGMA page_count")! * Int.fetchOne(db, sql: "PRAGMA page_size")!
                - Int.fetchOne(db, sql: "PRAGMA freelist_count")! * Int.fetchOne(db, sql: "PRAGMA page_size")!
        }
    }

    /// For tests of append-only history: runs raw SQL.
    public func unsafeExecute(_ sql: String) async throws {
        try await pool.write { db in try db.execute(sql: sql) }
    }

    public func close() async throws {
        try pool.close()
    }

    private static func record(_ kind: AggregateKind, _ row: Row) throws -> StoredRecord {
        StoredRecord(kind: kind, id: row["id"], version: row["version"], data: Data(try Packing.unpack(row["data"]).utf8),
                     createdAt: Date(timeIntervalSince1970: Double(row["created_at"] as Int) / 1000),
                     updatedAt: Date(timeIntervalSince1970: Double(row["updated_at"] as Int) / 1000))
    }
}

/// Documents and history payloads above a few hundred bytes are stored zlib-compressed (a BLOB in
/// the same column); shorter ones, and every row written before, are text. JSON compresses four
/// to seven times, so the file holds a third of what it would.
enum Packing {
    static let threshold = 256
    /// Documents are a few kilobytes: an 8 KB window and the fastest level compress them almost as
    /// well as the defaults (32 KB, level 6) at a fraction of the time and memory per call.
    static let configuration = ZlibConfiguration(windowSize: 13, compressionLevel: 1, memoryLevel: 6)

    static func pack(_ text: String) -> DatabaseValue {
        guard text.utf8.count > threshold else { return text.databaseValue }
        var buffer = ByteBuffer(string: text)
        guard let compressed = try? buffer.compress(with: .zlib(configuration: configuration)), compressed.readableBytes < text.utf8.count else {
            return text.databaseValue
        }
        return Data(compressed.readableBytesView).databaseValue
    }

    /// A write's document, and its history entry when the write carries it, as stored.
    struct Packed: Sendable {
        var document: DatabaseValue
        var entry: DatabaseValue?
    }

    static func packed(_ writes: [Write]) -> [Packed] {
        Parallel.map(writes) { w in Packed(document: pack(String(decoding: w.data, as: UTF8.self)), entry: w.entry.map { pack($0.data) }) }
    }

    static func unpack(_ value: DatabaseValue) throws -> String {
        switch value.storage {
        case let .string(text): return text
        case let .blob(data):
            var buffer = ByteBuffer(bytes: data)
            do { return String(buffer: try buffer.decompress(with: .zlib())) } catch {
                throw StoreError(.unavailable, "a stored document could not be decompressed: \(error)")
            }
        default: throw StoreError(.unavailable, "a stored document is neither text nor compressed")
        }
    }
}
