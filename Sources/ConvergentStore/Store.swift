import Foundation

/// The kinds of aggregate Convergent stores. Each has its own table, with the columns the API
/// filters on as real indexed columns and the aggregate itself as JSON.
public enum AggregateKind: String, Hashable, Sendable, CaseIterable, Codable {
    case catalogVersion = "catalog_version"
    case customer
    case billingAccount = "billing_account"
    case user
    case apiToken = "api_token"

    /// Table name (the same on every backend).
    public var table: String {
        switch self {
        case .catalogVersion: "catalog_versions"
        case .customer: "customers"
        case .billingAccount: "billing_accounts"
        case .user: "users"
        case .apiToken: "api_tokens"
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

/// One change in a unit of work.
public enum Write: Sendable {
    case insert(kind: AggregateKind, id: String, data: Data, columns: [String: String?])
    /// Succeeds only if the stored version is still `expectedVersion` (no lost update).
    case update(kind: AggregateKind, id: String, expectedVersion: Int, data: Data, columns: [String: String?])

    public var kind: AggregateKind {
        switch self { case let .insert(k, _, _, _), let .update(k, _, _, _, _): k }
    }

    public var id: String {
        switch self { case let .insert(_, id, _, _), let .update(_, id, _, _, _): id }
    }
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

/// One entry of the append-only history: the aggregate as it was after the change.
public struct HistoryEntry: Hashable, Sendable, Codable {
    public var sequence: Int
    public var at: Date
    public var actor: String
    public var kind: AggregateKind
    public var id: String
    public var version: Int
    /// `created` or `updated`.
    public var action: String
    public var reason: String?
    public var data: String

    public init(sequence: Int, at: Date, actor: String, kind: AggregateKind, id: String, version: Int, action: String, reason: String?, data: String) {
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.kind = kind
        self.id = id
        self.version = version
        self.action = action
        self.reason = reason
        self.data = data
    }
}

public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// Another write changed the aggregate since it was read.
        case conflict = "version-conflict"
        case notFound = "not-found"
        case duplicate = "already-exists"
        case unavailable = "storage-unavailable"
        case invalidConfiguration = "invalid-database-url"
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
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
    func load(_ kind: AggregateKind, id: String) async throws -> StoredRecord?
    /// Aggregates whose indexed columns equal the given values, by id, after `cursor` (exclusive).
    func list(_ kind: AggregateKind, where filter: [String: String], after cursor: String?, limit: Int) async throws -> [StoredRecord]
    func history(_ kind: AggregateKind, id: String) async throws -> [HistoryEntry]
    /// The next number of a named sequence (1, 2, …), for readable ids.
    func nextNumber(_ sequence: String) async throws -> Int
    /// Applied migration numbers, in order.
    func appliedMigrations() async throws -> [Int]
    func close() async throws
}

/// The numbered schema migrations, the same list on every backend; each backend writes its SQL.
public enum SchemaMigrations {
    /// Migration 1: aggregates, history, sequences. Migration 2: history lookup index.
    public static let numbers = [1, 2]
}
