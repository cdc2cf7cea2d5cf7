import Foundation

/// The kinds of aggregate Convergent stores. Each has its own table, with the columns the API
/// filters on as real indexed columns and the aggregate itself as JSON.
public enum AggregateKind: String, Hashable, Sendable, CaseIterable, Codable {
    case catalogVersion = "catalog_version"
    case customer
    case billingAccount = "billing_account"
    case user
    case apiToken = "api_token"
    case order
    case session
    case installedContract = "installed_contract"
    case setting
    case job
    case provisioningMessage = "provisioning_message"
    case commitmentContract = "commitment_contract"
    case serviceAgreement = "service_agreement"
    case subscription
    case bill
    case subscriptionAction = "subscription_action"
    case planMigration = "plan_migration"

    /// The kind as resource paths spell it (`installed-contract`).
    public var pathName: String { rawValue.replacingOccurrences(of: "_", with: "-") }

    /// A kind named in a path: kebab-case as every resource path (`installed-contract`), the stored
    /// snake_case name, or the table name in either spelling.
    public init?(named name: String) {
        let snake = name.replacingOccurrences(of: "-", with: "_")
        guard let kind = Self(rawValue: snake) ?? Self.allCases.first(where: { $0.table == snake }) else { return nil }
        self = kind
    }

    /// Table name (the same on every backend).
    public var table: String {
        switch self {
        case .catalogVersion: "catalog_versions"
        case .customer: "customers"
        case .billingAccount: "billing_accounts"
        case .user: "users"
        case .apiToken: "api_tokens"
        case .order: "orders"
        case .session: "configuration_sessions"
        case .installedContract: "installed_contracts"
        case .setting: "settings"
        case .job: "jobs"
        case .provisioningMessage: "provisioning_messages"
        case .commitmentContract: "commitment_contracts"
        case .serviceAgreement: "service_agreements"
        case .subscription: "subscriptions"
        case .bill: "bills"
        case .subscriptionAction: "subscription_actions"
        case .planMigration: "plan_migrations"
        }
    }

    /// Indexed columns, besides id and version.
    public var columns: [String] {
        switch self {
        case .catalogVersion: ["status", "effective_from"]
        case .customer: ["customer_kind", "name"]
        case .billingAccount: ["owner", "status"]
        case .user: ["role"]
        case .apiToken: ["user_id", "digest"]
        case .order: ["capture_type", "status", "sold_to", "order_date", "in_jeopardy"]
        case .session: ["order_id", "status"]
        case .installedContract: ["customer", "status"]
        case .setting: ["name"]
        case .job: ["job_kind", "status", "due_at", "claim_until", "subject"]
        case .provisioningMessage: ["order_id", "status"]
        case .commitmentContract: ["customer", "status", "ends_on"]
        case .serviceAgreement: ["customer", "status"]
        case .subscription: ["customer", "accounts_receivable", "state", "contract"]
        case .bill: ["accounts_receivable", "settled", "due_date"]
        case .subscriptionAction: ["subscription", "customer", "status", "runs_at"]
        case .planMigration: ["customer", "instance", "step", "order_id"]
        }
    }
}

/// A stored aggregate: its JSON and its optimistic version (1 after the first write).
public struct StoredRecord: Hashable, Sendable {
    public var kind: AggregateKind
    public var id: String
    public var version: Int
    public var data: Data
    public var createdAt: Date
    public var updatedAt: Date

    public init(kind: AggregateKind, id: String, version: Int, data: Data, createdAt: Date, updatedAt: Date) {
        self.kind = kind
        self.id = id
        self.version = version
        self.data = data
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One change in a unit of work: a new aggregate (`expectedVersion` nil) or a new version of one.
public struct Write: Sendable {
    public var kind: AggregateKind
    public var id: String
    /// Nil for an insert; otherwise the write succeeds only if the stored version is still this one (no lost update).
    public var expectedVersion: Int?
    public var data: Data
    public var columns: [String: String?]
    /// The rows of queried entities this aggregate holds (installed products, links, contracts an
    /// order touches), written in the same transaction.
    public var rows: [IndexRow]
    /// An update's history entry, computed when the write is made from the document its caller
    /// read at `expectedVersion` (`update(…, previous:)`) — on the caller's threads, not inside the
    /// store's transaction, which then reads only the stored version: the version check proves the
    /// entry is the change from what is stored. Nil: the store reads the document and computes it.
    public var entry: HistoryEncoding.Entry?

    public static func insert(kind: AggregateKind, id: String, data: Data, columns: [String: String?], rows: [IndexRow]? = nil) -> Write {
        Write(kind: kind, id: id, expectedVersion: nil, data: data, columns: columns, rows: rows ?? IndexRow.rows(of: kind, from: data))
    }

    public static func update(kind: AggregateKind, id: String, expectedVersion: Int, data: Data, columns: [String: String?], rows: [IndexRow]? = nil,
                              previous: Data? = nil) -> Write {
        Write(kind: kind, id: id, expectedVersion: expectedVersion, data: data, columns: columns, rows: rows ?? IndexRow.rows(of: kind, from: data),
              entry: previous.map { HistoryEncoding.entry(kind: kind, id: id, previous: $0, new: data, version: expectedVersion + 1) })
    }
}

extension Date {
    /// Milliseconds since 1970, as every backend stores times.
    public var storedMilliseconds: Int { Int((timeIntervalSince1970 * 1000).rounded(.down)) }
}

/// Who made a change, when and why: written with every change.
public struct ChangeContext: Sendable {
    public var actor: String
    public var at: Date
    public var reason: String?

    public init(actor: String, at: Date, reason: String? = nil) {
        self.actor = actor
        self.at = at
        self.reason = reason
    }
}

/// One entry of the append-only history: what changed, who, when, why, and the aggregate as it
/// was after the change (rebuilt from the nearest snapshot and the changes after it).
public struct HistoryEntry: Hashable, Sendable, Codable {
    public var sequence: Int
    public var at: Date
    public var actor: String
    public var kind: AggregateKind
    public var id: String
    public var version: Int
    /// `created` or `updated`.
    public var action: String
    /// What happened: `order.submitted`, `installedContract.updated`, …
    public var event: String
    public var reason: String?
    /// The aggregate after the change, as JSON.
    public var data: String
    /// What the change did to the previous version (RFC 6902 JSON Patch); nil for a snapshot.
    public var change: [JSONPatchOperation]?

    public init(sequence: Int, at: Date, actor: String, kind: AggregateKind, id: String, version: Int, action: String,
                event: String, reason: String?, data: String, change: [JSONPatchOperation]? = nil) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.kind = kind
        self.id = id
        self.version = version
        self.action = action
        self.event = event
        self.reason = reason
        self.data = data
        self.change = change
    }
}

public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// Another write changed the aggregate since it was read.
        case conflict = "version-conflict"
        case notFound = "not-found"
        case duplicate = "already-exists"
        case unavailable = "storage-unavailable"
        case invalidConfiguration = "invalid-database-url"
        /// A write would move a state machine (an installed product's status) where its table forbids.
        case invalidTransition = "invalid-status-transition"
    }

    public var code: Code
    public var message: String
    /// The kind of aggregate at fault, when one is (a conflict names the aggregate that moved on).
    public var kind: AggregateKind?

    public init(_ code: Code, _ message: String, kind: AggregateKind? = nil) {
        self.code = code
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}

/// Storage of every aggregate, behind which SQLite and PostgreSQL sit. Every `commit` is one
/// transaction: all its writes and their history entries land together or not at all.
/// Nothing is ever deleted: there is no delete.
public protocol ConvergentStore: Sendable {
    /// "sqlite" or "postgresql".
    var backend: String { get }
    /// Runs the numbered schema migrations not yet applied.
    func migrate() async throws
    /// Applies the writes and appends their history in one transaction; returns the new versions.
    @discardableResult
    func commit(_ writes: [Write], context: ChangeContext) async throws -> [Int]
    /// Draws the next number of `sequence` and commits the writes built from it in the same
    /// transaction: a refused or lost commit takes no number. Returns the number and the versions.
    func commit(numbering sequence: String, context: ChangeContext, _ build: @escaping @Sendable (Int) throws -> [Write]) async throws -> (number: Int, versions: [Int])
    func load(_ kind: AggregateKind, id: String) async throws -> StoredRecord?
    /// The aggregates of `kind` with these ids (those that exist), by id.
    func load(_ kind: AggregateKind, ids: [String]) async throws -> [StoredRecord]
    /// the ids of the active commitment contracts the daily run of `day` (`yyyy-mm-dd`)
    /// must judge, in id order: those whose end date is on or before `day`, and those with an open
    /// coverage row (`commitment_coverage`) of an installed product disconnected on or before
    /// `day`. The others would not change.
    func commitmentsDue(on day: String) async throws -> [String]
    /// The ids and versions of the aggregates `list` would return, without reading them (to check a cache).
    func listVersions(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [(id: String, version: Int)]
    /// Aggregates whose indexed columns match the filter, by id, after `cursor` (exclusive).
    func list(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [StoredRecord]
    /// Reserves an `Idempotency-Key` for a request. Nil when reserved now (go ahead); the
    /// existing record otherwise (a finished one to replay, or one still in progress).
    func reserveIdempotencyKey(_ key: String, actor: String, request: String, at: Date) async throws -> IdempotencyRecord?
    /// Stores the answer to replay for a reserved key; `status` -1 frees the key for a retry
    /// (the request failed without an answer worth replaying). Nothing is deleted.
    func completeIdempotencyKey(_ key: String, actor: String, status: Int, contentType: String?, body: Data) async throws
    /// Stored history rows of one aggregate with `from` ≤ version ≤ `through` (all after `from` when nil), by version.
    func historyRows(_ kind: AggregateKind, id: String, from: Int, through: Int?) async throws -> [HistoryRow]
    /// The latest version written at or before `instant`, nil when the aggregate did not exist yet.
    func historyVersion(_ kind: AggregateKind, id: String, atOrBefore instant: Date) async throws -> Int?
    /// The latest version at or before `version` whose row is a full snapshot.
    func historySnapshot(_ kind: AggregateKind, id: String, atOrBefore version: Int) async throws -> Int?
    /// Rows of a queried entity's table whose `column` is one of `values` (and whose other columns
    /// equal `equals`), by id, after `cursor` (exclusive).
    func indexRows(_ table: IndexTable, where column: String, in values: [String], equals: [String: String],
                   after cursor: String?, limit: Int) async throws -> [IndexRow]
    /// Rows of a queried entity's table whose `column` starts with `prefix` (compared byte by
    /// byte), by id, after `cursor` (exclusive): the customers a search word finds.
    func indexRows(_ table: IndexTable, where column: String, startingWith prefix: String,
                   after cursor: String?, limit: Int) async throws -> [IndexRow]
    /// The recorded changes of a tracked column (an installed product's status), by version.
    func indexEvents(_ table: IndexTable, subject: String, afterVersion: Int?, limit: Int) async throws -> [IndexEvent]
    /// The next number of a named sequence (1, 2, …), for readable ids.
    func nextNumber(_ sequence: String) async throws -> Int
    /// Applied migration numbers, in order.
    func appliedMigrations() async throws -> [Int]
    /// For `convergent bench pipeline`: commits `count` transactions of one header row plus
    /// `lines` line rows into scratch tables (created if needed), the floor any order pipeline
    /// on this database and settings is compared with.
    func benchmarkRawInserts(count: Int, lines: Int) async throws
    /// Bytes the database holds (tables, indexes, history), for benchmarks.
    func databaseBytes() async throws -> Int
    /// claims due jobs in one transaction: up to `limit` job records that are `pending` with
    /// `due_at` ≤ `now`, or `running` with an expired claim (`claim_until` ≤ `now`; the worker
    /// died), oldest due first, each rewritten by `claim` (an update of that record, with its
    /// history entry). A row another transaction is claiming is skipped, so each due job is
    /// claimed by one worker: `FOR UPDATE SKIP LOCKED` on PostgreSQL, the single writer on SQLite.
    /// `now` is in the columns' sortable form (`JobTime`). Returns the records as claimed.
    func claimJobs(now: String, limit: Int, context: ChangeContext, _ claim: @Sendable (StoredRecord) throws -> Write) async throws -> [StoredRecord]
    /// How many jobs `claimJobs` would find at `now` (due, or whose claim ran out): an index count.
    func countDueJobs(now: String) async throws -> Int
    func close() async throws
}

/// One numbered schema migration: frozen SQL, never edited once it is on main (the checksum test
/// fails when it is); a change to the schema is a new migration.
public struct SchemaMigration: Hashable, Sendable {
    public var number: Int
    public var name: String
    public var sql: String

    public init(_ number: Int, _ name: String, _ sql: String) {
        self.number = number
        self.name = name
        self.sql = sql
    }

    /// The statements one by one (for drivers that take one at a time): a statement ends with a
    /// `;` at the end of a line.
    public var statements: [String] {
        var result: [String] = []
        var current: [Substring] = []
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            current.append(line)
            if line.hasSuffix(";") {
                result.append(current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines))
                current = []
            }
        }
        let rest = current.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { result.append(rest) }
        return result
    }

    /// The identifier GRDB's migrator records (`0007-storage-v2`).
    public var identifier: String { String(repeating: "0", count: max(0, 4 - String(number).count)) + "\(number)-\(name)" }
}

/// Which records a list returns: indexed columns equal to values, and within ranges (inclusive).
public struct RecordFilter: Hashable, Sendable {
    public var equals: [String: String]
    public var atLeast: [String: String]
    public var atMost: [String: String]

    public init(equals: [String: String] = [:], atLeast: [String: String] = [:], atMost: [String: String] = [:]) {
        self.equals = equals
        self.atLeast = atLeast
        self.atMost = atMost
    }

    /// The conditions on the kind's own columns, as (column, operator, value), in a stable order.
    public func conditions(for kind: AggregateKind) -> [(column: String, op: String, value: String)] {
        let known = Set(kind.columns)
        return equals.filter { known.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, "=", $0.value) }
            + atLeast.filter { known.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, ">=", $0.value) }
            + atMost.filter { known.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, "<=", $0.value) }
    }
}

/// A request seen with an `Idempotency-Key`: its fingerprint and, once answered, the answer.
public struct IdempotencyRecord: Hashable, Sendable {
    public var request: String
    /// 0 while the first request is still running; -1 when it failed and the key is free again.
    public var status: Int

    /// A reservation still "running" after this long belongs to a request whose server died:
    /// the next request with the key takes it over instead of waiting for ever.
    public static let abandonedAfterMilliseconds = 5 * 60 * 1000
    public var contentType: String?
    public var body: Data

    public init(request: String, status: Int, contentType: String?, body: Data) {
        self.request = request
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

extension ConvergentStore {
    public func list(_ kind: AggregateKind, where equals: [String: String], after cursor: String?, limit: Int) async throws -> [StoredRecord] {
        try await list(kind, filter: RecordFilter(equals: equals), after: cursor, limit: limit)
    }
}

/// How a store applies a commit's writes in few statements: consecutive writes of one kind,
/// all inserts or all updates, of distinct aggregates, form a run whose stored versions, index
/// rows and history are read and written together (a statement per run, not per write). Runs
/// keep the writes' order, so history rows keep it too.
public enum WriteRuns {
    public static func of(_ writes: [Write]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        var ids: Set<String> = []
        for (i, write) in writes.enumerated() {
            let first = writes[start]
            if i > start, write.kind != first.kind || (write.expectedVersion == nil) != (first.expectedVersion == nil) || ids.contains(write.id) {
                runs.append(start..<i)
                start = i
                ids = []
            }
            ids.insert(write.id)
        }
        if !writes.isEmpty { runs.append(start..<writes.count) }
        return runs
    }

    /// `values` in slices of at most `size` (statements have a bound on their parameters).
    public static func chunks<T>(_ values: [T], of size: Int) -> [ArraySlice<T>] {
        stride(from: 0, to: values.count, by: size).map { values[$0..<min($0 + size, values.count)] }
    }

    /// The refusal of a write whose aggregate is not as it expects (`stored`: the version now,
    /// nil when none); nil when it may go ahead.
    public static func refusal(of write: Write, stored: Int?) -> StoreError? {
        let kind = write.kind
        guard let expected = write.expectedVersion else {
            return stored == nil ? nil : StoreError(.duplicate, "\(kind.rawValue) '\(write.id)' already exists")
        }
        guard let stored else { return StoreError(.notFound, "no \(kind.rawValue) '\(write.id)'") }
        return stored == expected ? nil
            : StoreError(.conflict, "\(kind.rawValue) '\(write.id)' was changed by someone else (version \(stored), expected \(expected))", kind: kind)
    }
}
