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
    private let runner: Task<Void, Never>
    private let logger: Logger

    /// - Parameter url: `postgres://user:password@host:port/database` (`postgresql://` too; `?sslmode=disable|prefer|require`).
    public init(url: String, schema: String = "public", logger: Logger = PostgresStore.quietLogger) throws {
        guard schema.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !schema.isEmpty else {
            throw StoreError(.invalidConfiguration, "schema name '\(schema)' may hold letters, digits and _ only")
        }
        self.schema = schema
        self.logger = logger
        let configuration = try Self.configuration(from: url)
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let client = self.client
        runner = Task { await client.run() }
    }

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
        configuration.options.maximumConnections = 10
        return configuration
    }

    private func table(_ kind: AggregateKind) -> String { "\(schema).\(kind.table)" }

    public func migrate() async throws {
        try await withDeadline(20) { try await self.runMigrations() }
    }

    private func runMigrations() async throws {
        let logger = self.logger, schema = self.schema
        try await client.withTransaction(logger: logger) { conn in
            // One node migrates a schema at a time; the others wait, then find nothing to do.
            // Other schemas (other deployments, test databases) do not wait for it.
            try await conn.query(PostgresQuery(unsafeSQL: "SELECT pg_advisory_xact_lock(7212001, hashtext('\(schema)'))"), logger: logger)
            try await conn.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"), logger: logger)
            try await conn.query(PostgresQuery(unsafeSQL: "CREATE TABLE IF NOT EXISTS \(schema).schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"), logger: logger)
            var applied: Set<Int> = []
            for try await (version) in try await conn.query(PostgresQuery(unsafeSQL: "SELECT version FROM \(schema).schema_migrations"), logger: logger).decode(Int.self) {
                applied.insert(version)
            }
            for number in SchemaMigrations.numbers where !applied.contains(number) {
                for statement in self.migration(number) {
                    try await conn.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                let now = Int(Date().timeIntervalSince1970 * 1000)
                try await conn.query(PostgresQuery(unsafeSQL: "INSERT INTO \(schema).schema_migrations (version, applied_at) VALUES (\(number), \(now))"), logger: logger)
            }
        }
    }

    func aggregateTable(_ kind: AggregateKind) -> [String] {
        ["""
        CREATE TABLE \(table(kind)) (
            id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            \(kind.columns.map { "\($0) TEXT" }.joined(separator: ",\n"))
        )
        """] + kind.columns.map { "CREATE INDEX \(kind.table)_\($0) ON \(table(kind)) (\($0))" }
    }

    func migration(_ number: Int) -> [String] {
        let tables = AggregateKind.created(inMigration: number).flatMap(aggregateTable)
        switch number {
        case 1:
            return tables + [
                """
                CREATE TABLE \(schema).history (
                    sequence BIGSERIAL PRIMARY KEY,
                    at BIGINT NOT NULL,
                    actor TEXT NOT NULL,
                    aggregate_kind TEXT NOT NULL,
                    aggregate_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    action TEXT NOT NULL,
                    reason TEXT,
                    data TEXT NOT NULL
                )
                """,
                """
                CREATE FUNCTION \(schema).history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'history is append-only'; END $$
                """,
                "CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON \(schema).history FOR EACH ROW EXECUTE FUNCTION \(schema).history_append_only()",
                "CREATE TABLE \(schema).sequences (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
            ]
        case 2:
            return ["CREATE INDEX history_aggregate ON \(schema).history (aggregate_kind, aggregate_id, sequence)"]
        case 3:
            return tables + [
                """
                CREATE TABLE \(schema).idempotency_keys (
                    actor TEXT NOT NULL,
                    key TEXT NOT NULL,
                    request TEXT NOT NULL,
                    status INTEGER NOT NULL,
                    content_type TEXT,
                    body BYTEA NOT NULL,
                    created_at BIGINT NOT NULL,
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
        do {
            return try await client.withTransaction(logger: logger) { conn in
                var versions: [Int] = []
                for write in writes { versions.append(try await apply(write, conn: conn, at: at, context: context)) }
                return versions
            }
        } catch let error as PostgresTransactionError {
            if let inner = error.closureError as? StoreError { throw inner }
            throw error
        }
    }

    /// One write and its history entry, inside the caller's transaction; returns the new version.
    func apply(_ write: Write, conn: PostgresConnection, at: Int, context: ChangeContext) async throws -> Int {
        let kind = write.kind
        let version: Int
        let data: String
        switch write {
        case let .insert(_, id, d, columns):
            (version, data) = (1, String(decoding: d, as: UTF8.self))
            var binds = PostgresBindings()
            binds.append(id)
            binds.append(version)
            binds.append(data)
            binds.append(at)
            binds.append(at)
            for column in kind.columns { binds.append(columns[column] ?? nil) }
            let names = ["id", "version", "data", "created_at", "updated_at"] + kind.columns
            let placeholders = (1...names.count).map { "$\($0)" }.joined(separator: ", ")
            let rows = try await conn.query(PostgresQuery(
                unsafeSQL: "INSERT INTO \(table(kind)) (\(names.joined(separator: ", "))) VALUES (\(placeholders)) ON CONFLICT (id) DO NOTHING RETURNING id",
                binds: binds), logger: logger).collect()
            if rows.isEmpty { throw StoreError(.duplicate, "\(kind.rawValue) '\(id)' already exists") }
        case let .update(_, id, expected, d, columns):
            (version, data) = (expected + 1, String(decoding: d, as: UTF8.self))
            var binds = PostgresBindings()
            binds.append(version)
            binds.append(data)
            binds.append(at)
            for column in kind.columns { binds.append(columns[column] ?? nil) }
            binds.append(id)
            binds.append(expected)
            let sets = ["version = $1", "data = $2", "updated_at = $3"] + kind.columns.enumerated().map { "\($1) = $\($0 + 4)" }
            let n = kind.columns.count + 4
            let rows = try await conn.query(PostgresQuery(
                unsafeSQL: "UPDATE \(table(kind)) SET \(sets.joined(separator: ", ")) WHERE id = $\(n) AND version = $\(n + 1) RETURNING id",
                binds: binds), logger: logger).collect()
            if rows.isEmpty {
                let current = try await conn.query("SELECT version FROM \(unescaped: table(kind)) WHERE id = \(id)", logger: logger).collect()
                guard let row = current.first else { throw StoreError(.notFound, "no \(kind.rawValue) '\(id)'") }
                let v = try row.decode(Int.self)
                throw StoreError(.conflict, "\(kind.rawValue) '\(id)' was changed by someone else (version \(v), expected \(expected))", kind: kind)
            }
        }
        let action = version == 1 ? "created" : "updated"
        try await conn.query("""
            INSERT INTO \(unescaped: schema).history (at, actor, aggregate_kind, aggregate_id, version, action, reason, data)
            VALUES (\(at), \(context.actor), \(kind.rawValue), \(write.id), \(version), \(action), \(context.reason), \(data))
            """, logger: logger)
        return version
    }

    public func claimJobs(now: String, limit: Int, context: ChangeContext,
                          _ claim: @Sendable (StoredRecord) throws -> Write) async throws -> [StoredRecord] {
        let at = Int(context.at.timeIntervalSince1970 * 1000)
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
                    let version = try await apply(write, conn: conn, at: at, context: context)
                    guard case let .update(_, _, _, data, _) = write else { result.append(record); continue }
                    result.append(StoredRecord(kind: kind, id: record.id, version: version, data: data, createdAt: record.createdAt, updatedAt: context.at))
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

    public func list(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [StoredRecord] {
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
        let sql = "SELECT id, version, data, created_at, updated_at FROM \(table(kind))"
            + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY id COLLATE \"C\" LIMIT $\(clauses.count + 1)"
        var result: [StoredRecord] = []
        for try await row in try await client.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).decode((String, Int, String, Int, Int).self) {
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

    public func history(_ kind: AggregateKind, id: String) async throws -> [HistoryEntry] {
        let rows = try await client.query("""
            SELECT sequence, at, actor, version, action, reason, data FROM \(unescaped: schema).history
            WHERE aggregate_kind = \(kind.rawValue) AND aggregate_id = \(id) ORDER BY sequence
            """, logger: logger)
        var result: [HistoryEntry] = []
        for try await (sequence, at, actor, version, action, reason, data) in rows.decode((Int, Int, String, Int, String, String?, String).self) {
            result.append(HistoryEntry(sequence: sequence, at: Date(timeIntervalSince1970: Double(at) / 1000), actor: actor, kind: kind, id: id,
                                       version: version, action: action, reason: reason, data: data))
        }
        return result
    }

    public func nextNumber(_ sequence: String) async throws -> Int {
        let rows = try await client.query("""
            INSERT INTO \(unescaped: schema).sequences (name, value) VALUES (\(sequence), 1)
            ON CONFLICT (name) DO UPDATE SET value = \(unescaped: schema).sequences.value + 1 RETURNING value
            """, logger: logger)
        for try await value in rows.decode(Int.self) { return value }
        throw StoreError(.unavailable, "sequence \(sequence) returned nothing")
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

    /// For tests: runs raw SQL (append-only checks, dropping a test schema).
    public func unsafeExecute(_ sql: String) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }

    private static func record(_ kind: AggregateKind, _ row: (String, Int, String, Int, Int)) -> StoredRecord {
        StoredRecord(kind: kind, id: row.0, version: row.1, data: Data(row.2.utf8),
                     createdAt: Date(timeIntervalSince1970: Double(row.3) / 1000), updatedAt: Date(timeIntervalSince1970: Double(row.4) / 1000))
    }
}
