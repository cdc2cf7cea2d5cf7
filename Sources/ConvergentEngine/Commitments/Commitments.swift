import ConvergentDomain
import ConvergentStore
import Foundation

/// What one daily run did.
public struct CommitmentRunReport: Hashable, Sendable, Codable {
    public var asOf: Day
    public var checked = 0
    public var violated = 0
    public var expired = 0
    public var cancelled = 0

    public init(asOf: Day) { self.asOf = asOf }

    public var summary: String {
        "commitments as of \(asOf): \(checked) due checked, \(violated) violated, \(expired) expired, \(cancelled) cancelled"
    }
}

/// commitment contracts — read one, list a customer's, price a penalty, and the daily run.
public struct Commitments: Sendable {
    let store: any ConvergentStore

    public func contract(_ id: String) async throws -> Versioned<CommitmentContract> {
        guard let found = try await store.get(CommitmentContract.self, id: id) else {
            throw EngineError(.notFound, "no commitment contract '\(id)'", field: "id")
        }
        return found
    }

    /// A page of a customer's commitment contracts (of one status, when given), by id.
    public func contracts(of customer: String, status: CommitmentStatus? = nil, after cursor: String? = nil,
                          limit: Int) async throws -> (items: [Versioned<CommitmentContract>], nextCursor: String?) {
        var filter = ["customer": customer]
        if let status { filter["status"] = status.rawValue }
        return try await store.page(CommitmentContract.self, where: filter, after: cursor, limit: limit)
    }

    /// what ending a covered product of the commitment on `day` would cost.
    public func penalty(of id: String, endingOn day: Day) async throws -> (contract: CommitmentContract, penalty: Penalty) {
        let contract = try await contract(id).value
        return (contract, contract.penalty(endingOn: day))
    }

    /// shortens or extends an active commitment (`If-Match`: the version read).
    public func changeTerm(_ id: String, endsOn: Day, reason: String, expectedVersion: Int?, today: Day,
                           context: ChangeContext) async throws -> Versioned<CommitmentContract> {
        try await store.modify(CommitmentContract.self, id: id, expectedVersion: expectedVersion, context: context) { commitment in
            try commitment.changeTerm(endsOn: endsOn, today: today, reason: reason)
        }
    }

    /// changes what an active commitment covers: installed products added (active, its
    /// customer's, of a product its covering rules name in `catalog`) and removed; the installed
    /// products' references change in the same transaction, every record version-checked.
    public func changeCoverage(_ id: String, adding: [String], removing: [String], reason: String, expectedVersion: Int?, today: Day,
                               catalog: CatalogIndex, context: ChangeContext) async throws -> Versioned<CommitmentContract> {
        let current = try await contract(id)
        if let expectedVersion, expectedVersion != current.version {
            throw StoreError(.conflict, "commitment contract \(id) is at version \(current.version), not \(expectedVersion)", kind: .commitmentContract)
        }
        var commitment = current.value
        // The installed contracts of every product named, read once; the rule is the domain's.
        var contracts: [String: Versioned<InstalledContract>] = [:]
        for contractID in Set((adding + removing).map { String($0.prefix { $0 != "." }) }).sorted() {
            contracts[contractID] = try await store.get(InstalledContract.self, id: contractID)
        }
        try commitment.changeCoverage(adding: adding, removing: removing, installed: contracts.mapValues(\.value),
                                      coverable: catalog.commitmentCoverage[commitment.product] ?? [], today: today, reason: reason)
        var writes: [Write] = [try .update(commitment, expectedVersion: current.version)]
        for (_, stored) in contracts.sorted(by: { $0.key < $1.key }) {
            let changed = stored.value.referencing(id, in: \.commitments, adding: Set(adding), removing: Set(removing))
            if changed != stored.value { writes.append(try .update(changed, expectedVersion: stored.version)) }
        }
        let versions = try await store.commit(writes, context: context)
        return Versioned(value: commitment, version: versions[0], createdAt: current.createdAt, updatedAt: context.at)
    }

    /// the daily run as of `day`: the active commitments that can change — past their end
    /// date, or covering a product disconnected by then (`commitmentsDue`, an index query) — a
    /// page at a time, each judged against the end dates of the products it covers (an index read);
    /// what changed is written a page per transaction, each commitment version-checked, while the
    /// next page is read and judged. The others are not read. Running a day again finds nothing
    /// more to do.
    public func run(asOf day: Day, context: ChangeContext, pageSize: Int = 1000) async throws -> CommitmentRunReport {
        var report = CommitmentRunReport(asOf: day)
        let due = try await store.commitmentsDue(on: day.description)
        var writing: Task<Void, any Error>?
        do {
            for page in WriteRuns.chunks(due, of: pageSize) {
                let (writes, judged) = try await judge(Array(page), asOf: day)
                report.checked += judged.checked
                report.violated += judged.violated
                report.expired += judged.expired
                report.cancelled += judged.cancelled
                try await writing?.value
                writing = writes.isEmpty ? nil : Task { [store] in _ = try await store.commit(writes, context: context) }
            }
            try await writing?.value
        } catch {
            // The page being written finishes (or fails) before the run reports its own failure.
            _ = try? await writing?.value
            throw error
        }
        return report
    }

    /// One page of the run: the commitments read, judged, and the writes of those that change.
    func judge(_ ids: [String], asOf day: Day) async throws -> (writes: [Write], report: CommitmentRunReport) {
        var report = CommitmentRunReport(asOf: day)
        // Decoded on every core; each write's history entry is computed here too, from the bytes
        // read (`Write.entry`): the store's transaction reads versions and writes.
        let records = try await store.load(.commitmentContract, ids: ids)
        let page = try Parallel.map(records) { record in try Versioned<CommitmentContract>(decoding: record) }
        report.checked = page.count
        let covered = Set(page.flatMap { $0.value.covers.filter { $0.endedOn == nil }.map(\.installedProduct) }).sorted()
        var ended: [String: Day] = [:]
        for chunk in WriteRuns.chunks(covered, of: 500) {
            for row in try await store.everyIndexRow(.installedProducts, where: "id", in: Array(chunk), equals: ["status": InstalledStatus.disconnected.rawValue]) {
                if let end = row["disconnected_on"].flatMap(Day.init) { ended[row.id] = end }
            }
        }
        let judged = try Parallel.map(Array(zip(page, records))) { [ended] commitment, record -> (CommitmentStatus, Write)? in
            guard let next = commitment.value.judged(asOf: day, ended: ended) else { return nil }
            return (next.status, try .update(next, expectedVersion: commitment.version, previous: record.data))
        }
        var writes: [Write] = []
        for case let (status, write)? in judged {
            switch status {
            case .violated: report.violated += 1
            case .expired: report.expired += 1
            case .cancelled: report.cancelled += 1
            case .active: break
            }
            writes.append(write)
        }
        return (writes, report)
    }

    /// makes sure the daily run of `day` is a job — one id per day, so every node
    /// asking for it makes one, and the store's claim runs it once. Nothing when no commitment
    /// is active.
    public func scheduleRun(of day: Day, at now: Date) async throws {
        guard !(try await store.all(CommitmentContract.self, where: ["status": CommitmentStatus.active.rawValue], limit: 1)).isEmpty else { return }
        try await scheduleDailyJob(.commitmentDay, of: day, at: now, reason: "commitments: daily run of \(day)", in: store)
    }
}

extension Engine {
    public var commitments: Commitments { Commitments(store: store) }
}

/// the commitments' daily run, as a job: one a day (its id is the day), run as of the
/// later of its day and the time it runs (a run by hand `--as-of` a later day covers it).
struct CommitmentDayJob: JobDefinition {
    struct Parameters: Codable, Sendable { var day: String }
    static let kind = JobKind.commitmentDay
    static let reason = "commitments: daily run"
    let commitments: Commitments

    static func subject(of parameters: Parameters) -> String { parameters.day }
    static func parameters(fromSubject subject: String) -> Parameters { Parameters(day: subject) }

    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String {
        let day = max(Day(parameters.day) ?? Day(now), Day(now))
        return try await retryingConflicts(of: [.commitmentContract]) {
            try await commitments.run(asOf: day, context: context).summary
        }
    }
}
