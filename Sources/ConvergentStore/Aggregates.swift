import ConvergentDomain
import Foundation

/// A domain value stored as an aggregate.
public protocol Aggregate: Codable, Sendable {
    static var aggregateKind: AggregateKind { get }
    var aggregateID: String { get }
    /// Values of the kind's indexed columns.
    var indexedColumns: [String: String?] { get }
    /// Rows of the queried entities it holds (see `IndexTable`); none by default.
    var indexRows: [IndexRow] { get }
}

extension Aggregate {
    public var indexRows: [IndexRow] { [] }
}

/// An aggregate with the version it was read at, to update it safely.
public struct Versioned<Value: Aggregate>: Sendable {
    public var value: Value
    public var version: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(value: Value, version: Int, createdAt: Date, updatedAt: Date) {
        self.value = value
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A stored catalog version: header, status and the whole catalog.
public struct StoredCatalogVersion: Aggregate, Hashable {
    public static let aggregateKind = AggregateKind.catalogVersion
    public var summary: CatalogVersionSummary
    public var catalog: Catalog

    public init(summary: CatalogVersionSummary, catalog: Catalog) {
        self.summary = summary
        self.catalog = catalog
    }

    public var aggregateID: String { summary.version }
    public var indexedColumns: [String: String?] { ["status": summary.status.rawValue, "effective_from": summary.effectiveFrom.description] }
}

extension Customer: Aggregate {
    public static let aggregateKind = AggregateKind.customer
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["customer_kind": kind.rawValue, "name": name] }
}

extension BillingAccount: Aggregate {
    public static let aggregateKind = AggregateKind.billingAccount
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["owner": owner, "status": status.rawValue] }
}

extension User: Aggregate {
    public static let aggregateKind = AggregateKind.user
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["role": role.rawValue] }
}

extension Order: Aggregate {
    public static let aggregateKind = AggregateKind.order
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] {
        ["capture_type": captureType.rawValue, "status": status.rawValue, "sold_to": header.soldTo, "order_date": orderDate.description,
         "in_jeopardy": fulfillment?.jeopardy == nil ? nil : "yes"]
    }
}

extension ConfigurationSession: Aggregate {
    public static let aggregateKind = AggregateKind.session
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["order_id": orderID, "status": status.rawValue] }
}

extension InstalledContract: Aggregate {
    public static let aggregateKind = AggregateKind.installedContract
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["customer": customer, "status": status.rawValue] }
}

extension TrialSetup: Aggregate {
    public static let aggregateKind = AggregateKind.setting
    public var aggregateID: String { Self.id }
    public var indexedColumns: [String: String?] { ["name": Self.id] }
}

extension BillingSetup: Aggregate {
    public static let aggregateKind = AggregateKind.setting
    public var aggregateID: String { Self.id }
    public var indexedColumns: [String: String?] { ["name": Self.id] }
}

extension ReasonCodes: Aggregate {
    public static let aggregateKind = AggregateKind.setting
    public var aggregateID: String { Self.id }
    public var indexedColumns: [String: String?] { ["name": Self.id] }
}

extension Job: Aggregate {
    public static let aggregateKind = AggregateKind.job
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] {
        ["job_kind": kind.rawValue, "status": status.rawValue, "due_at": JobTime.text(dueAt),
         "claim_until": claimedUntil.map(JobTime.text), "subject": subject]
    }
}

extension CommitmentContract: Aggregate {
    public static let aggregateKind = AggregateKind.commitmentContract
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["customer": customer, "status": status.rawValue, "ends_on": endsOn.description] }
}

extension ServiceAgreement: Aggregate {
    public static let aggregateKind = AggregateKind.serviceAgreement
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["customer": customer, "status": status.rawValue] }
}

extension ProvisioningMessage: Aggregate {
    public static let aggregateKind = AggregateKind.provisioningMessage
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["order_id": order, "status": status.rawValue] }
}

extension APIToken: Aggregate {
    public static let aggregateKind = AggregateKind.apiToken
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["user_id": user, "digest": digest] }
}

extension Subscription: Aggregate {
    public static let aggregateKind = AggregateKind.subscription
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] {
        ["customer": customer, "accounts_receivable": accountsReceivable, "state": state.rawValue, "contract": contract]
    }
}

extension Bill: Aggregate {
    public static let aggregateKind = AggregateKind.bill
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] {
        ["accounts_receivable": accountsReceivable, "settled": settled ? "yes" : "no", "due_date": dueDate.description]
    }
}

extension PendingAction: Aggregate {
    public static let aggregateKind = AggregateKind.subscriptionAction
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] {
        ["subscription": subscription, "customer": customer, "status": status.rawValue, "runs_at": JobTime.text(runsAt)]
    }
}

extension PlanMigration: Aggregate {
    public static let aggregateKind = AggregateKind.planMigration
    public var aggregateID: String { id }
    public var indexedColumns: [String: String?] { ["customer": customer, "instance": instance, "step": step.rawValue, "order_id": order] }
}

enum AggregateCoding {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    static let decoder = JSONDecoder()
}

extension Write {
    public static func insert<A: Aggregate>(_ value: A) throws -> Write {
        .insert(kind: A.aggregateKind, id: value.aggregateID, data: try AggregateCoding.encoder.encode(value), columns: value.indexedColumns,
                rows: value.indexRows)
    }

    /// `previous`: the document as read at `expectedVersion`, if the caller has it: the history
    /// entry is then computed here (`Write.entry`).
    public static func update<A: Aggregate>(_ value: A, expectedVersion: Int, previous: Data? = nil) throws -> Write {
        .update(kind: A.aggregateKind, id: value.aggregateID, expectedVersion: expectedVersion,
                data: try AggregateCoding.encoder.encode(value), columns: value.indexedColumns, rows: value.indexRows, previous: previous)
    }
}

/// Typed access on top of the generic store.
extension ConvergentStore {
    public func get<A: Aggregate>(_ type: A.Type, id: String) async throws -> Versioned<A>? {
        guard let record = try await load(A.aggregateKind, id: id) else { return nil }
        return try decode(record)
    }

    /// The aggregates with these ids (those that exist), by id.
    public func get<A: Aggregate>(_ type: A.Type, ids: [String]) async throws -> [Versioned<A>] {
        try await load(A.aggregateKind, ids: ids).map(decode)
    }

    public func all<A: Aggregate>(_ type: A.Type, where filter: [String: String] = [:], after cursor: String? = nil, limit: Int = 1000) async throws -> [Versioned<A>] {
        try await all(A.self, filter: RecordFilter(equals: filter), after: cursor, limit: limit)
    }

    public func all<A: Aggregate>(_ type: A.Type, filter: RecordFilter, after cursor: String? = nil, limit: Int = 1000) async throws -> [Versioned<A>] {
        try await list(A.aggregateKind, filter: filter, after: cursor, limit: limit).map(decode)
    }

    /// R-15.5: an aggregate as it was at `instant`, read from its append-only history: the last
    /// version written at or before it; nil when it did not exist yet.
    public func get<A: Aggregate>(_ type: A.Type, id: String, asOf instant: Date) async throws -> Versioned<A>? {
        guard let (entry, createdAt) = try await historyEntry(A.aggregateKind, id: id, asOf: instant) else { return nil }
        return Versioned(value: try AggregateCoding.decoder.decode(A.self, from: Data(entry.data.utf8)), version: entry.version,
                         createdAt: createdAt, updatedAt: entry.at)
    }

    /// R-14: claims due jobs for `worker` until `until` (see `claimJobs`), typed.
    public func claimDueJobs(now: Date, limit: Int, worker: String, until: Date, context: ChangeContext) async throws -> [Versioned<Job>] {
        try await claimJobs(now: JobTime.text(now), limit: limit, context: context) { record in
            var job = try AggregateCoding.decoder.decode(Job.self, from: record.data)
            try job.claim(by: worker, until: until)
            return try .update(job, expectedVersion: record.version)
        }.map(decode)
    }

    /// A page of `A` matching `filter`, by id, after `cursor`, and the cursor of the next page when
    /// there is one (one more is read to know).
    public func page<A: Aggregate>(_ type: A.Type, where filter: [String: String], after cursor: String?,
                                   limit: Int) async throws -> (items: [Versioned<A>], nextCursor: String?) {
        let found = try await all(A.self, where: filter, after: cursor, limit: limit + 1)
        let page = Array(found.prefix(limit))
        return (page, found.count > limit ? page.last?.value.aggregateID : nil)
    }

    /// Every aggregate matching the filter, read page by page.
    public func everything<A: Aggregate>(_ type: A.Type, filter: RecordFilter, pageSize: Int = 500) async throws -> [Versioned<A>] {
        var found: [Versioned<A>] = []
        var cursor: String?
        repeat {
            let page = try await all(A.self, filter: filter, after: cursor, limit: pageSize)
            found += page
            cursor = page.count == pageSize ? page.last?.value.aggregateID : nil
        } while cursor != nil
        return found
    }

    @discardableResult
    public func insert<A: Aggregate>(_ value: A, context: ChangeContext) async throws -> Versioned<A> {
        let versions = try await commit([.insert(value)], context: context)
        return Versioned(value: value, version: versions[0], createdAt: context.at, updatedAt: context.at)
    }

    /// Writes a new version of an aggregate; `createdAt` is the stored one's, for the answer (it does not change).
    @discardableResult
    public func update<A: Aggregate>(_ value: A, expectedVersion: Int, createdAt: Date? = nil, context: ChangeContext) async throws -> Versioned<A> {
        let versions = try await commit([.update(value, expectedVersion: expectedVersion)], context: context)
        return Versioned(value: value, version: versions[0], createdAt: createdAt ?? context.at, updatedAt: context.at)
    }

    /// Reads, changes and writes back an aggregate; a concurrent change makes it fail with a conflict.
    @discardableResult
    public func modify<A: Aggregate>(_ type: A.Type, id: String, expectedVersion: Int? = nil, context: ChangeContext,
                                     _ change: (inout A) throws -> Void) async throws -> Versioned<A> {
        guard var current = try await get(A.self, id: id) else {
            throw StoreError(.notFound, "no \(A.aggregateKind.rawValue.replacingOccurrences(of: "_", with: " ")) '\(id)'")
        }
        if let expectedVersion, expectedVersion != current.version {
            throw StoreError(.conflict, "\(A.aggregateKind.rawValue) '\(id)' is at version \(current.version), not \(expectedVersion)")
        }
        try change(&current.value)
        return try await update(current.value, expectedVersion: current.version, createdAt: current.createdAt, context: context)
    }

    private func decode<A: Aggregate>(_ record: StoredRecord) throws -> Versioned<A> { try Versioned(decoding: record) }
}

extension Versioned {
    /// The aggregate a stored record holds (read with `load`, to check a cache before decoding).
    public init(decoding record: StoredRecord) throws {
        self.init(value: try AggregateCoding.decoder.decode(Value.self, from: record.data), version: record.version,
                  createdAt: record.createdAt, updatedAt: record.updatedAt)
    }
}

/// Migration 8: an order written before provisioning messages were stored apart kept them in its
/// document (`fulfillment.messages`); the upgrade inserts each as its own aggregate, dated when the
/// order was last written. The order's document is left as it was (the member is no longer read).
public enum EmbeddedProvisioningMessages {
    struct Document: Decodable {
        struct Fulfillment: Decodable { var messages: [ProvisioningMessage]? }
        var fulfillment: Fulfillment?
    }

    /// The inserts for the messages an order document holds (none for most orders).
    public static func inserts(orderDocument data: Data) throws -> [Write] {
        try (AggregateCoding.decoder.decode(Document.self, from: data).fulfillment?.messages ?? []).map { try .insert($0) }
    }

    /// Who and why in the history of the messages it inserts.
    public static func context(at: Date) -> ChangeContext {
        ChangeContext(actor: "upgrade", at: at, reason: "migration 8: provisioning messages stored apart from their order")
    }
}
