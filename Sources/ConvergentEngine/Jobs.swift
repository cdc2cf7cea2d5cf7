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

    func run(_ claimed: Versioned<Job>, now: Date) async throws -> Outcome {
        var job = claimed.value
        do {
            switch job.kind {
            case .releaseQueuedOrder:
                let order = try await engine.orders.release(job.subject, asOf: Day(now), context: engine.context("jobs:\(worker)", reason: "release"))
                try job.finish("released: order \(order.value.status.rawValue)", at: now)
            case .fulfillOrder:
                try job.finish(try await engine.orders.startFulfillment(of: job.subject, at: now, context: engine.context("jobs:\(worker)", reason: "fulfillment")), at: now)
            case .provisioningCallback:
                try job.finish(try await engine.orders.completeFulfillment(of: job.subject, at: now, context: engine.context("jobs:\(worker)", reason: "provisioned")), at: now)
            }
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
    /// Jobs by status (and kind), for operators.
    public func jobs(status: JobStatus?, kind: JobKind?, after cursor: String?, limit: Int) async throws -> [Versioned<Job>] {
        var filter = RecordFilter()
        filter.equals["status"] = status?.rawValue
        filter.equals["job_kind"] = kind?.rawValue
        return try await store.all(Job.self, filter: filter, after: cursor, limit: limit)
    }
}
