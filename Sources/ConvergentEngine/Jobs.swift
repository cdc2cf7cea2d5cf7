import ConvergentDomain
import ConvergentStore
import Foundation

/// runs due background jobs. Each due job is claimed by one worker (the store's claim),
/// run by its kind's handler and then recorded done, retried with backoff, or failed. A worker
/// that dies leaves its claim to run out; the job is then claimed again, and handlers are
/// written so that running again after a crash changes nothing twice.
public struct JobRunner: Sendable {
    public struct Outcome: Sendable, Encodable {
        public var job: String
        public var kind: JobKind
        public var subject: String
        public var status: JobStatus
        public var outcome: String?
    }

    let engine: Engine
    /// The worker's name in claims and history (host and process, or "cli").
    public var worker: String
    /// How long a claim lasts before another worker may take the job over.
    public var claimFor: TimeInterval = 300

    public init(engine: Engine, worker: String) {
        self.engine = engine
        self.worker = worker
    }

    /// Runs every job due at `now`, claimed a batch at a time, until none is left.
    public func runDue(now: Date, batch: Int = 20) async throws -> [Outcome] {
        var outcomes: [Outcome] = []
        for _ in 0..<10_000 {
            let claimed = try await engine.store.claimDueJobs(now: now, limit: batch, worker: worker, until: now.addingTimeInterval(claimFor),
                                                              context: engine.context("jobs:\(worker)", reason: "claimed"))
            if claimed.isEmpty { break }
            for job in claimed { outcomes.append(try await run(job, now: now)) }
        }
        return outcomes
    }

    /// The job's work; a step that lost a race on an order's version (another worker wrote it
    /// meanwhile) runs again at once, reading what the other wrote.
    func perform(_ job: Job, now: Date) async throws -> String {
        let fulfiller = engine.fulfiller
        func context(_ reason: String) -> ChangeContext { ChangeContext(actor: "jobs:\(worker)", at: now, reason: reason) }
        return try await engine.retryingConflicts {
            switch job.kind {
            case .releaseQueuedOrder:
                let order = try await engine.orders.release(job.subject, asOf: Day(now), context: context("release"))
                return "released: order \(order.value.status.rawValue)"
            case .fulfillOrder:
                return try await fulfiller.advance(job.subject, at: now, context: context("fulfillment"))
            case .sendProvisioning:
                return try await fulfiller.send(job.subject, at: now, context: context("provisioning message"))
            case .provisioningCallback:
                let (message, attempt, result) = try Fulfiller.parse(job.subject)
                let succeeded = result == "succeeded"
                return try await fulfiller.answer(message, attempt: attempt, success: succeeded,
                                                  error: succeeded ? nil : "the simulator reported a failure",
                                                  answers: engine.provisioning.simulator.answers(for: try await self.message(message)),
                                                  at: now, context: context("provisioning answer"))
            case .provisioningTimeout:
                let (message, attempt, _) = try Fulfiller.parse(job.subject)
                return try await fulfiller.timeout(message, attempt: attempt, at: now, context: context("provisioning time-out"))
            }
        }
    }

    func message(_ id: String) async throws -> ProvisioningMessage {
        guard let message = try await engine.store.get(ProvisioningMessage.self, id: id)?.value else {
            throw OrderError(.unknownMessage, "order \(ProvisioningMessage.order(ofMessage: id)) has no provisioning message '\(id)'", field: "message")
        }
        return message
    }

    func run(_ claimed: Versioned<Job>, now: Date) async throws -> Outcome {
        var job = claimed.value
        do {
            try job.finish(try await perform(job, now: now), at: now)
        } catch let error as OrderError where error.code == .held {
            try job.finish("held: \(error.message)", at: now) // the holds are on the order, for an agent
        } catch let error as OrderError where error.code == .illegalTransition {
            try job.finish("nothing to do: \(error.message)", at: now) // released by hand, or cancelled, meanwhile
        } catch let error as OrderError where error.code == .notDue {
            // The order was changed while queued and falls due later now.
            let due = try await engine.orders.order(job.subject).value.header.fulfillBy?.startDate ?? now
            try job.postpone(to: max(due, now.addingTimeInterval(60)), because: error.message)
        } catch let error as JobError {
            throw error
        } catch {
            try job.retry(after: String(describing: error), at: now)
        }
        _ = try await engine.store.update(job, expectedVersion: claimed.version, context: engine.context("jobs:\(worker)", reason: "job \(job.status.rawValue)"))
        return Outcome(job: job.id, kind: job.kind, subject: job.subject, status: job.status, outcome: job.outcome)
    }
}

extension Engine {
    /// Runs `body`, and again (five times at most) when it lost a race on an aggregate's version:
    /// another worker or request wrote it meanwhile, and running again reads what it wrote.
    public func retryingConflicts<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await ConvergentEngine.retryingConflicts(body)
    }

    /// Jobs by status (and kind), for operators.
    public func jobs(status: JobStatus?, kind: JobKind?, after cursor: String?, limit: Int) async throws -> [Versioned<Job>] {
        var filter = RecordFilter()
        filter.equals["status"] = status?.rawValue
        filter.equals["job_kind"] = kind?.rawValue
        return try await store.all(Job.self, filter: filter, after: cursor, limit: limit)
    }
}

/// Runs `body`, and again (`attempts` times at most) when it lost a race on the version of an
/// aggregate (of one of `kinds`, when given): running again reads what the other writer wrote.
func retryingConflicts<T>(of kinds: Set<AggregateKind>? = nil, attempts: Int = 5, _ body: () async throws -> T) async throws -> T {
    for _ in 1..<attempts {
        do {
            return try await body()
        } catch let error as StoreError where error.code == .conflict && (kinds.map { error.kind.map($0.contains) ?? false } ?? true) {
            continue
        }
    }
    return try await body()
}
