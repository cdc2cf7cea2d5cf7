import ConvergentStore
import Foundation
import GRDB

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
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw StoreError(.unavailable, "cannot open SQLite database at \(path): \(error)")
        }
    }

    public func migrate() async throws {
        try await pool.write { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
            let applied = Set(try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations"))
            for number in SchemaMigrations.numbers where !applied.contains(number) {
                for statement in Self.migration(number) { try db.execute(sql: statement) }
                try db.execute(sql: "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                               arguments: [number, Int(Date().timeIntervalSince1970 * 1000)])
            }
        }
    }

    static func aggregateTable(_ kind: AggregateKind) -> [String] {
        ["""
        CREATE TABLE \(kind.table) (
            id TEXT PRIMARY KEY NOT NULL,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            \(kind.columns.map { "\($0) TEXT" }.joined(separator: ",\n"))
        )
        """] + kind.columns.map { "CREATE INDEX \(kind.table)_\($0) ON \(kind.table) (\($0))" }
    }

    static func migration(_ number: Int) -> [String] {
        let tables = AggregateKind.created(inMigration: number).flatMap(aggregateTable)
        switch number {
        case 1:
            return tables + [
                """
                CREATE TABLE history (
                    sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                    at INTEGER NOT NULL,
                    actor TEXT NOT NULL,
                    aggregate_kind TEXT NOT NULL,
                    aggregate_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    action TEXT NOT NULL,
                    reason TEXT,
                    data TEXT NOT NULL
                )
                """,
                "CREATE TRIGGER history_no_update BEFORE UPDATE ON history BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
                "CREATE TRIGGER history_no_delete BEFORE DELETE ON history BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
                "CREATE TABLE sequences (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL)",
            ]
        case 2:
            return ["CREATE INDEX history_aggregate ON history (aggregate_kind, aggregate_id, sequence)"]
        case 3:
            return tables + [
                """
                CREATE TABLE idempotency_keys (
                    actor TEXT NOT NULL,
                    key TEXT NOT NULL,
                    request TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    content_type TEXT,
                    body BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (actor, key)
                )
                """,
            ]
        default:
            return tables
        }
    }

    public func commit(_ writes: [Write], context: ChangeContext) async throws -> [Int] {
        let at = Int(context.at.timeIntervalSince1970 * 1000)
        return try await pool.write { db in try writes.map { try Self.apply($0, db: db, at: at, context: context) } }
    }

    /// One write and its history entry, inside the caller's transaction; returns the new version.
    static func apply(_ write: Write, db: Database, at: Int, context: ChangeContext) throws -> Int {
        let kind = write.kind
        let version: Int
        let data: Data
        let columns: [String: String?]
        switch write {
        case let .insert(_, id, d, c):
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM \(kind.table) WHERE id = ?", arguments: [id]) == true {
                throw StoreError(.duplicate, "\(kind.rawValue) '\(id)' already exists")
            }
            (version, data, columns) = (1, d, c)
            let names = ["id", "version", "data", "created_at", "updated_at"] + kind.columns
            var args: [(any DatabaseValueConvertible)?] = [id, version, String(decoding: data, as: UTF8.self), at, at]
            args += kind.columns.map { columns[$0] ?? nil }
            try db.execute(sql: "INSERT INTO \(kind.table) (\(names.joined(separator: ", "))) VALUES (\(names.map { _ in "?" }.joined(separator: ", ")))",
                           arguments: StatementArguments(args))
        case let .update(_, id, expected, d, c):
            (version, data, columns) = (expected + 1, d, c)
            let sets = ["version = ?", "data = ?", "updated_at = ?"] + kind.columns.map { "\($0) = ?" }
            var args: [(any DatabaseValueConvertible)?] = [version, String(decoding: data, as: UTF8.self), at]
            args += kind.columns.map { columns[$0] ?? nil }
            args += [id, expected]
            try db.execute(sql: "UPDATE \(kind.table) SET \(sets.joined(separator: ", ")) WHERE id = ? AND version = ?",
                           arguments: StatementArguments(args))
            if db.changesCount == 0 {
                let current = try Int.fetchOne(db, sql: "SELECT version FROM \(kind.table) WHERE id = ?", arguments: [id])
                guard let current else { throw StoreError(.notFound, "no \(kind.rawValue) '\(id)'") }
                throw StoreError(.conflict, "\(kind.rawValue) '\(id)' was changed by someone else (version \(current), expected \(expected))", kind: kind)
            }
        }
        try db.execute(sql: """
            INSERT INTO history (at, actor, aggregate_kind, aggregate_id, version, action, reason, data)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [at, context.actor, kind.rawValue, write.id, version, version == 1 ? "created" : "updated",
                             context.reason, String(decoding: data, as: UTF8.self)])
        return version
    }

    public func claimJobs(now: String, limit: Int, context: ChangeContext,
                          _ claim: @Sendable (StoredRecord) throws -> Write) async throws -> [StoredRecord] {
        let at = Int(context.at.timeIntervalSince1970 * 1000)
        let kind = AggregateKind.job
        // GRDB serialises writers: SQLite is the single writer, so no two claims see the same row.
        return try await pool.write { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, version, data, created_at, updated_at FROM \(kind.table)
                WHERE (status = 'pending' AND due_at <= ?) OR (status = 'running' AND claim_until <= ?)
                ORDER BY due_at, id LIMIT ?
                """, arguments: [now, now, limit])
            return try rows.map { row in
                let record = StoredRecord(kind: kind, id: row["id"], version: row["version"], data: Data((row["data"] as String).utf8),
                                          createdAt: Date(timeIntervalSince1970: Double(row["created_at"] as Int) / 1000),
                                          updatedAt: Date(timeIntervalSince1970: Double(row["updated_at"] as Int) / 1000))
                let write = try claim(record)
                let version = try Self.apply(write, db: db, at: at, context: context)
                guard case let .update(_, _, _, data, _) = write else { return record }
                return StoredRecord(kind: kind, id: record.id, version: version, data: data, createdAt: record.createdAt, updatedAt: context.at)
            }
        }
    }

    public func load(_ kind: AggregateKind, id: String) async throws -> StoredRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT id, version, data, created_at, updated_at FROM \(kind.table) WHERE id = ?", arguments: [id])
                .map { Self.record(kind, $0) }
        }
    }

    public func list(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [StoredRecord] {
        let conditions = filter.conditions(for: kind)
        var clauses = conditions.map { "\($0.column) \($0.op) ?" }
        var args: [(any DatabaseValueConvertible)?] = conditions.map(\.value)
        if let cursor {
            clauses.append("id > ?")
            args.append(cursor)
        }
        args.append(limit)
        let sql = "SELECT id, version, data, created_at, updated_at FROM \(kind.table)"
            + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY id LIMIT ?"
        let arguments = StatementArguments(args)
        return try await pool.read { db in
            try Row.fetchAll(db, sql: sql, arguments: arguments).map { Self.record(kind, $0) }
        }
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

    public func history(_ kind: AggregateKind, id: String) async throws -> [HistoryEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: """
                SELECT sequence, at, actor, version, action, reason, data FROM history
                WHERE aggregate_kind = ? AND aggregate_id = ? ORDER BY sequence
                """, arguments: [kind.rawValue, id]).map { row in
                HistoryEntry(sequence: row["sequence"], at: Date(timeIntervalSince1970: Double(row["at"] as Int) / 1000), actor: row["actor"],
                             kind: kind, id: id, version: row["version"], action: row["action"], reason: row["reason"], data: row["data"])
            }
        }
    }

    public func nextNumber(_ sequence: String) async throws -> Int {
        try await pool.write { db in
            try db.execute(sql: "INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT(name) DO UPDATE SET value = value + 1", arguments: [sequence])
            return try Int.fetchOne(db, sql: "SELECT value FROM sequences WHERE name = ?", arguments: [sequence])!
        }
    }

    public func appliedMigrations() async throws -> [Int] {
        try await pool.read { db in try Int.fetchAll(db, sql: "SELECT version FROM schema_migrations ORDER BY version") }
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

    /// For tests of append-only history: runs raw SQL.
    public func unsafeExecute(_ sql: String) async throws {
        try await pool.write { db in try db.execute(sql: sql) }
    }

    public func close() async throws {
        try pool.close()
    }

    private static func record(_ kind: AggregateKind, _ row: Row) -> StoredRecord {
        StoredRecord(kind: kind, id: row["id"], version: row["version"], data: Data((row["data"] as String).utf8),
                     createdAt: Date(timeIntervalSince1970: Double(row["created_at"] as Int) / 1000),
                     updatedAt: Date(timeIntervalSince1970: Double(row["updated_at"] as Int) / 1000))
    }
}
