import ConvergentDomain
import ConvergentStore
import Foundation

/// R-14: a kind of background job: a type with Codable parameters (stored with the job, as
/// JSON) and the handler that runs them. Register it with a `JobRegistry`; enqueue it with
/// `job(_:due:)` in the transaction that makes it due.
public protocol JobDefinition: Sendable {
    associatedtype Parameters: Codable & Sendable
    static var kind: JobKind { get }
    /// Why, in the history of what the job writes.
    static var reason: String { get }
    /// What the job is about, listed with it and found by (an order id, a message id).
    static func subject(of parameters: Parameters) -> String
    /// The parameters of a job written before jobs carried them, from its subject.
    static func parameters(fromSubject subject: String) throws -> Parameters
    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String
}

extension JobDefinition {
    /// The write that enqueues this job with `parameters`, due at `due`.
    public static func job(_ parameters: Parameters, due: Date) throws -> Write {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try .insert(Job(id: Job.newID(due: due), kind: kind, subject: subject(of: parameters), dueAt: due,
                               parameters: String(decoding: try encoder.encode(parameters), as: UTF8.self)))
    }
}

/// The job kinds a runner knows, each with its handler.
public struct JobRegistry: Sendable {
    typealias Handler = @Sendable (Job, Date, String) async throws -> String
    private var handlers: [JobKind: Handler] = [:]

    public init() {}

    public mutating func register<D: JobDefinition>(_ definition: D) {
        handlers[D.kind] = { job, now, worker in
            let parameters = try job.parameters.map { try JSONDecoder().decode(D.Parameters.self, from: Data($0.utf8)) }
                ?? D.parameters(fromSubject: job.subject)
            return try await definition.run(parameters, at: now, context: ChangeContext(actor: "jobs:\(worker)", at: now, reason: D.reason))
        }
    }

    /// The kinds registered, by name.
    public var kinds: [JobKind] { handlers.keys.sorted { $0.rawValue < $1.rawValue } }

    func run(_ job: Job, at now: Date, worker: String) async throws -> String {
        guard let handler = handlers[job.kind] else { throw JobError("no handler for job kind '\(job.kind)'") }
        return try await handler(job, now, worker)
    }

    /// The kinds this engine has: queued orders' release, fulfillment, provisioning, the commitments' daily run, scheduled
    /// subscription actions and the subscriptions' daily run.
    public static func standard(_ engine: Engine) -> JobRegistry {
        var registry = JobRegistry()
        registry.register(ReleaseQueuedOrderJob(orders: engine.orders))
        registry.register(FulfillOrderJob(fulfiller: engine.fulfiller))
        registry.register(SendProvisioningJob(fulfiller: engine.fulfiller))
        registry.register(SimulatedAnswerJob(fulfiller: engine.fulfiller, simulator: engine.provisioning.simulator, store: engine.store))
        registry.register(ProvisioningTimeoutJob(fulfiller: engine.fulfiller))
        registry.register(CommitmentDayJob(commitments: engine.commitments))
        registry.register(SubscriptionActionJob(subscriptions: engine.subscriptions))
        registry.register(SubscriptionDayJob(subscriptions: engine.subscriptions))
        return registry
    }
}

/// What a job runner reports as it goes (metrics); the server reports it on `/metrics`.
public protocol JobObserver: Sendable {
    /// Jobs due (or whose claim ran out) when a round began.
    func due(_ count: Int)
    func started(_ kind: JobKind)
    /// A job ended its run: done, pending again (retried later or postponed) or failed; how long it ran.
    func ended(_ kind: JobKind, status: JobStatus, seconds: Double)
}

/// R-14: runs due background jobs. Due jobs are claimed a batch at a time, each by one worker
/// (the store's claim); the jobs of a batch run concurrently (`concurrency` at once), each on its
/// own: one that fails is retried with backoff or given up, and never holds up the others. A
/// worker that dies leaves its claim to run out; the job is then claimed again, and handlers are
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
    /// Jobs of one batch run at once.
    public var concurrency = 4
    public var registry: JobRegistry
    public var observer: (any JobObserver)?

    public init(engine: Engine, worker: String, registry: JobRegistry? = nil, observer: (any JobObserver)? = nil) {
        self.engine = engine
        self.worker = worker
        self.registry = registry ?? .standard(engine)
        self.observer = observer
    }

    /// Runs every job due at `now`, claimed a batch at a time, until none is left; the outcomes in
    /// the order the jobs were claimed.
    public func runDue(now: Date, batch: Int = 20) async throws -> [Outcome] {
        // R-9.3: today's commitment run is a job like any other (made once, whichever node asks first).
        if registry.kinds.contains(.commitmentDay) { try await engine.commitments.scheduleRun(of: Day(now), at: now) }
        // R-14: so is the subscriptions' daily run of activation conditions.
        if registry.kinds.contains(.subscriptionDay) { try await engine.subscriptions.scheduleRun(of: Day(now), at: now) }
        if let observer { observer.due(try await engine.store.countDueJobs(now: JobTime.text(now))) }
        var outcomes: [Outcome] = []
        for _ in 0..<10_000 {
            let claimed = try await engine.store.claimDueJobs(now: now, limit: batch, worker: worker, until: now.addingTimeInterval(claimFor),
                                                              context: engine.context("jobs:\(worker)", reason: "claimed"))
            if claimed.isEmpty { break }
            outcomes += await runConcurrently(claimed, now: now)
        }
        return outcomes
    }

    func runConcurrently(_ claimed: [Versioned<Job>], now: Date) async -> [Outcome] {
        await withTaskGroup(of: (Int, Outcome).self) { group in
            var next = 0
            func start() {
                guard next < claimed.count else { return }
                let index = next, job = claimed[index]
                next += 1
                group.addTask { (index, await self.run(job, now: now)) }
            }
            for _ in 0..<max(1, concurrency) { start() }
            var done: [(Int, Outcome)] = []
            for await finished in group {
                done.append(finished)
                start()
            }
            return done.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The job's work; a step that lost a race on an aggregate's version (another worker wrote it
    /// meanwhile) runs again at once, reading what the other wrote.
    func perform(_ job: Job, now: Date) async throws -> String {
        try await engine.retryingConflicts { try await registry.run(job, at: now, worker: worker) }
    }

    /// Runs one claimed job and records how it ended; whatever it throws stays with it.
    func run(_ claimed: Versioned<Job>, now: Date) async -> Outcome {
        var job = claimed.value
        observer?.started(job.kind)
        let started = ContinuousClock.now
        do {
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
            } catch {
                try job.retry(after: String(describing: error), at: now)
            }
            _ = try await engine.store.update(job, expectedVersion: claimed.version, context: engine.context("jobs:\(worker)", reason: "job \(job.status.rawValue)"))
        } catch {
            // Recording the end failed (the database went away, or another worker took the job over
            // after the claim ran out): the claim runs out and the job is run again.
            observer?.ended(job.kind, status: .running, seconds: (ContinuousClock.now - started).seconds)
            return Outcome(job: job.id, kind: job.kind, subject: job.subject, status: .running, outcome: "not recorded: \(error)")
        }
        observer?.ended(job.kind, status: job.status, seconds: (ContinuousClock.now - started).seconds)
        return Outcome(job: job.id, kind: job.kind, subject: job.subject, status: job.status, outcome: job.outcome)
    }
}

/// R-14: the one job of `kind` for `day` (its id is the day), due at its midnight, made once
/// whichever node asks first; nothing when it exists.
func scheduleDailyJob(_ kind: JobKind, of day: Day, at now: Date, reason: String, in store: any ConvergentStore) async throws {
    let id = Job.id(kind, day.description)
    guard try await store.get(Job.self, id: id) == nil else { return }
    let job = Job(id: id, kind: kind, subject: day.description, dueAt: day.startDate, parameters: "{\"day\":\"\(day)\"}")
    do {
        try await store.insert(job, context: ChangeContext(actor: "jobs", at: now, reason: reason))
    } catch let error as StoreError where error.code == .duplicate || error.code == .conflict {
        // Another node scheduled it first.
    }
}

/// R-11.4: release a queued order on its execution date (holds run again).
struct ReleaseQueuedOrderJob: JobDefinition {
    struct Parameters: Codable, Sendable { var order: String }
    static let kind = JobKind.releaseQueuedOrder
    static let reason = "release"
    let orders: OrderBook
    static func subject(of parameters: Parameters) -> String { parameters.order }
    static func parameters(fromSubject subject: String) -> Parameters { Parameters(order: subject) }
    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String {
        let order = try await orders.release(parameters.order, asOf: Day(now), context: context)
        return "released: order \(order.value.status.rawValue)"
    }
}

/// R-7.3, R-7.4: take an order as far as it goes now.
struct FulfillOrderJob: JobDefinition {
    struct Parameters: Codable, Sendable { var order: String }
    static let kind = JobKind.fulfillOrder
    static let reason = "fulfillment"
    let fulfiller: Fulfiller
    static func subject(of parameters: Parameters) -> String { parameters.order }
    static func parameters(fromSubject subject: String) -> Parameters { Parameters(order: subject) }
    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String {
        try await fulfiller.advance(parameters.order, at: now, context: context)
    }
}

/// R-7.5: send one provisioning message (its next attempt).
struct SendProvisioningJob: JobDefinition {
    struct Parameters: Codable, Sendable { var message: String }
    static let kind = JobKind.sendProvisioning
    static let reason = "provisioning message"
    let fulfiller: Fulfiller
    static func subject(of parameters: Parameters) -> String { parameters.message }
    static func parameters(fromSubject subject: String) -> Parameters { Parameters(message: subject) }
    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String {
        try await fulfiller.send(parameters.message, at: now, context: context)
    }
}

/// One attempt of one provisioning message (`<message>#<attempt>` as a subject).
struct MessageAttempt: Codable, Sendable {
    var message: String
    var attempt: Int
    /// For the simulator's answer: whether it succeeded.
    var succeeded: Bool?

    var subject: String { "\(message)#\(attempt)" + (succeeded.map { $0 ? "#succeeded" : "#failed" } ?? "") }

    /// Splits a subject `<message>#<attempt>[#<result>]` (jobs written before parameters).
    init(subject: String) throws {
        let parts = subject.split(separator: "#").map(String.init)
        guard parts.count >= 2, let attempt = Int(parts[1]) else { throw JobError("job subject '\(subject)' is not <message>#<attempt>") }
        self.init(message: parts[0], attempt: attempt, succeeded: parts.count > 2 ? parts[2] == "succeeded" : nil)
    }

    init(message: String, attempt: Int, succeeded: Bool? = nil) {
        self.message = message
        self.attempt = attempt
        self.succeeded = succeeded
    }
}

/// R-7.5: the embedded simulator's answer to one attempt.
struct SimulatedAnswerJob: JobDefinition {
    typealias Parameters = MessageAttempt
    static let kind = JobKind.provisioningCallback
    static let reason = "provisioning answer"
    let fulfiller: Fulfiller
    let simulator: ProvisioningSimulator
    let store: any ConvergentStore
    static func subject(of parameters: Parameters) -> String { parameters.subject }
    static func parameters(fromSubject subject: String) throws -> Parameters { try MessageAttempt(subject: subject) }
    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String {
        guard let message = try await store.get(ProvisioningMessage.self, id: parameters.message)?.value else {
            throw ProvisioningError(.unknownMessage, "order \(ProvisioningMessage.order(ofMessage: parameters.message)) has no provisioning message '\(parameters.message)'", field: "message")
        }
        let succeeded = parameters.succeeded ?? true
        return try await fulfiller.answer(parameters.message, attempt: parameters.attempt, success: succeeded,
                                          error: succeeded ? nil : "the simulator reported a failure",
                                          answers: simulator.answers(for: message), at: now, context: context)
    }
}

/// R-7.5: no answer to an attempt in time: it counts as failed.
struct ProvisioningTimeoutJob: JobDefinition {
    typealias Parameters = MessageAttempt
    static let kind = JobKind.provisioningTimeout
    static let reason = "provisioning time-out"
    let fulfiller: Fulfiller
    static func subject(of parameters: Parameters) -> String { parameters.subject }
    static func parameters(fromSubject subject: String) throws -> Parameters { try MessageAttempt(subject: subject) }
    func run(_ parameters: Parameters, at now: Date, context: ChangeContext) async throws -> String {
        try await fulfiller.timeout(parameters.message, attempt: parameters.attempt, at: now, context: context)
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
