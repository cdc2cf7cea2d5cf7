import ConvergentStore
import Foundation

/// For benchmarks: a store that counts the transactions that write (commits, numbers drawn, job
/// claims) and passes every call to the store it wraps.
final class CountingStore: ConvergentStore, @unchecked Sendable {
    let base: any ConvergentStore
    private let lock = NSLock()
    private var transactions = 0

    init(_ base: any ConvergentStore) { self.base = base }

    /// Write transactions so far: commits, sequence numbers and job claims.
    var writeTransactions: Int { lock.withLock { transactions } }

    private func count() { lock.withLock { transactions += 1 } }

    var backend: String { base.backend }
    func migrate() async throws { try await base.migrate() }
    func commit(_ writes: [Write], context: ChangeContext) async throws -> [Int] {
        count()
        return try await base.commit(writes, context: context)
    }
    func commit(numbering sequence: String, context: ChangeContext,
                _ build: @escaping @Sendable (Int) throws -> [Write]) async throws -> (number: Int, versions: [Int]) {
        count()
        return try await base.commit(numbering: sequence, context: context, build)
    }
    func load(_ kind: AggregateKind, id: String) async throws -> StoredRecord? { try await base.load(kind, id: id) }
    func load(_ kind: AggregateKind, ids: [String]) async throws -> [StoredRecord] { try await base.load(kind, ids: ids) }
    func commitmentsDue(on day: String) async throws -> [String] { try await base.commitmentsDue(on: day) }
    func listVersions(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [(id: String, version: Int)] {
        try await base.listVersions(kind, filter: filter, after: cursor, limit: limit)
    }
    func list(_ kind: AggregateKind, filter: RecordFilter, after cursor: String?, limit: Int) async throws -> [StoredRecord] {
        try await base.list(kind, filter: filter, after: cursor, limit: limit)
    }
    func reserveIdempotencyKey(_ key: String, actor: String, request: String, at: Date) async throws -> IdempotencyRecord? {
        try await base.reserveIdempotencyKey(key, actor: actor, request: request, at: at)
    }
    func completeIdempotencyKey(_ key: String, actor: String, status: Int, contentType: String?, body: Data) async throws {
        try await base.completeIdempotencyKey(key, actor: actor, status: status, contentType: contentType, body: body)
    }
    func historyRows(_ kind: AggregateKind, id: String, from: Int, through: Int?) async throws -> [HistoryRow] {
        try await base.historyRows(kind, id: id, from: from, through: through)
    }
    func historyVersion(_ kind: AggregateKind, id: String, atOrBefore instant: Date) async throws -> Int? {
        try await base.historyVersion(kind, id: id, atOrBefore: instant)
    }
    func historySnapshot(_ kind: AggregateKind, id: String, atOrBefore version: Int) async throws -> Int? {
        try await base.historySnapshot(kind, id: id, atOrBefore: version)
    }
    func indexRows(_ table: IndexTable, where column: String, in values: [String], equals: [String: String], after cursor: String?,
                   limit: Int) async throws -> [IndexRow] {
        try await base.indexRows(table, where: column, in: values, equals: equals, after: cursor, limit: limit)
    }
    func indexRows(_ table: IndexTable, where column: String, startingWith prefix: String, after cursor: String?, limit: Int) async throws -> [IndexRow] {
        try await base.indexRows(table, where: column, startingWith: prefix, after: cursor, limit: limit)
    }
    func indexEvents(_ table: IndexTable, subject: String, afterVersion: Int?, limit: Int) async throws -> [IndexEvent] {
        try await base.indexEvents(table, subject: subject, afterVersion: afterVersion, limit: limit)
    }
    func nextNumber(_ sequence: String) async throws -> Int {
        count()
        return try await base.nextNumber(sequence)
    }
    func appliedMigrations() async throws -> [Int] { try await base.appliedMigrations() }
    func benchmarkRawInserts(count: Int, lines: Int) async throws { try await base.benchmarkRawInserts(count: count, lines: lines) }
    func databaseBytes() async throws -> Int { try await base.databaseBytes() }
    func claimJobs(now: String, limit: Int, context: ChangeContext, _ claim: @Sendable (StoredRecord) throws -> Write) async throws -> [StoredRecord] {
        count()
        return try await base.claimJobs(now: now, limit: limit, context: context, claim)
    }
    func countDueJobs(now: String) async throws -> Int { try await base.countDueJobs(now: now) }
    func close() async throws { try await base.close() }
}
