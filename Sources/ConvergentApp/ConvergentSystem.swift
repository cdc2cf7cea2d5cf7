import ConvergentDomain
import ConvergentEngine
import ConvergentPostgres
import ConvergentServer
import ConvergentStore
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle
import UnixSignals

/// The composition root: one configuration in, the engine, the HTTP application and the
/// services beside it out. `convergent serve` runs `serviceGroup()`; the tests run `services`
/// in the background and drive `application()` — the same parts, composed once.
public struct ConvergentSystem: Sendable {
    public let configuration: AppConfiguration
    public let engine: Engine
    /// Request and job metrics, served on `/metrics`.
    public let registry: PrometheusCollectorRegistry
    let logger: Logger
    let gate: ReadyGate

    /// Opens the store (without touching the database yet: that is the store service's first
    /// step, once the PostgreSQL pool runs) and builds the engine. `report` receives what an
    /// operator should read at start (the administrator token made at first start, demo data loaded).
    public static func build(_ configuration: AppConfiguration, logger: Logger = Logger(label: "convergent"),
                             report: @escaping @Sendable (String) -> Void = { _ in }) throws -> ConvergentSystem {
        let (store, client) = try StoreFactory.make(configuration.database, sqliteSynchronous: configuration.sqliteSynchronous,
                                                    lifecycle: .service)
        let engine = Engine(store: store, clock: configuration.engineClock, provisioning: configuration.provisioning,
                            sessionCacheCapacity: configuration.sessionCacheCapacity,
                            nodeCacheLifetime: .milliseconds(Int(configuration.nodeCacheSeconds * 1000)))
        let gate = ReadyGate()
        let service = StoreService(store: store, client: client, ready: gate) {
            try await store.migrate()
            try await prepare(engine, configuration, report: report)
        }
        let registry = PrometheusCollectorRegistry()
        var services: [any Service] = [service]
        if configuration.jobInterval > 0 {
            var runner = JobRunner(engine: engine, worker: configuration.workerName, observer: PrometheusJobObserver(registry: registry))
            runner.claimFor = configuration.jobClaim
            services.append(JobWorker(runner: runner, batch: configuration.jobBatch, engine: engine, interval: configuration.jobInterval,
                                      ready: gate, logger: logger))
        }
        return ConvergentSystem(configuration: configuration, engine: engine, registry: registry, logger: logger, gate: gate, services: services)
    }

    /// What a new or upgraded database gets before the first request: the demo data (when asked
    /// and the database is empty) and an administrator.
    static func prepare(_ engine: Engine, _ configuration: AppConfiguration, report: @Sendable (String) -> Void) async throws {
        if case .test = configuration.clock {
            report("Test clock: it is now \(engine.clock.now()) for the server; move it with POST /api/v1/clock/advance.")
        }
        if configuration.loadDemo, try await engine.loadDemo() {
            report("Loaded the demo catalog (Northwind Telecom 2026.1) and demo customers into \(configuration.databaseDisplayName).")
        }
        let context = engine.context("system", reason: "bootstrap")
        if let secret = try await engine.access.bootstrapAdministrator(token: configuration.adminToken, context: context) {
            report("""
            Administrator token (shown once; keep it, or set CONVERGENT_ADMIN_TOKEN):
              \(secret)
            """)
        } else if configuration.adminToken == nil {
            report("Administrator token: the one printed at first start (set CONVERGENT_ADMIN_TOKEN to choose one).")
        }
        let address = "http://\(configuration.server.host):\(configuration.server.port)"
        report("Convergent console on \(address)/ and API on \(address)/api/v1  (database: \(engine.store.backend), \(configuration.databaseDisplayName))")
    }

    /// Returns once the database is migrated and prepared; throws what preparing it threw.
    public func ready() async throws { try await gate.wait() }

    /// The services that run beside the HTTP server, in start order: the store (its PostgreSQL
    /// pool, migrations and preparation; closed last on shutdown), then the job worker. Made once,
    /// with the system: a group runs them, and no second worker can be made by asking again.
    public let services: [any Service]

    /// The HTTP application; it starts listening once the database is ready.
    public func application() throws -> Application<RouterResponder<AppRequestContext>> {
        var application = try buildApplication(engine: engine, configuration: configuration.server, registry: registry, logger: logger)
        let gate = self.gate
        application.beforeServerStarts { try await gate.wait() }
        return application
    }

    /// Everything in one group: SIGTERM or SIGINT stops the server first, then the worker
    /// (between two rounds), then the store.
    public func serviceGroup(gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint]) throws -> ServiceGroup {
        ServiceGroup(configuration: .init(services: services + [try application()], gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
    }
}

/// `convergent serve`'s whole process: the system and its service group.
public func buildServiceGroup(_ configuration: AppConfiguration, logger: Logger = Logger(label: "convergent"),
                              report: @escaping @Sendable (String) -> Void = { _ in }) throws -> (ServiceGroup, ConvergentSystem) {
    let system = try ConvergentSystem.build(configuration, logger: logger, report: report)
    return (try system.serviceGroup(), system)
}

/// Owns the store for the group's lifetime: runs the PostgreSQL pool (when there is one),
/// migrates and prepares the database, opens the gate, and closes the store when the group
/// shuts down — after the server and the worker, which it precedes in the group.
struct StoreService: Service, CustomStringConvertible {
    var description: String { "StoreService(\(store.backend))" }
    let store: any ConvergentStore
    let client: PostgresClient?
    let ready: ReadyGate
    let prepare: @Sendable () async throws -> Void

    func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let client { group.addTask { await client.run() } }
            do {
                try await prepare()
                await ready.open(.success(()))
            } catch {
                await ready.open(.failure(error))
                group.cancelAll()
                throw error
            }
            try? await gracefulShutdown()
            group.cancelAll()
        }
        try await store.close()
    }
}

/// Opened once, when the database is ready (or failed to become so); waiters resume then.
actor ReadyGate {
    private var result: Result<Void, any Error>?
    private var waiters: [UUID: CheckedContinuation<Void, any Error>] = [:]

    func open(_ result: Result<Void, any Error>) {
        guard self.result == nil else { return }
        self.result = result
        for waiter in waiters.values { waiter.resume(with: result) }
        waiters = [:]
    }

    func wait() async throws {
        if let result { return try result.get() }
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if let result { continuation.resume(with: result) } else if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func cancel(_ id: UUID) {
        waiters.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }
}

/// R-14: runs due jobs every `interval` seconds while the server runs, from the moment the
/// database is ready; stops between two rounds on graceful shutdown (a job cut short is claimed
/// again when its claim runs out).
struct JobWorker: Service, CustomStringConvertible {
    var description: String { "JobWorker(\(runner.worker))" }
    let runner: JobRunner
    let batch: Int
    let engine: Engine
    let interval: Double
    let ready: ReadyGate
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            // When the database never became ready the store service has failed the group: wait
            // for it to stop this service rather than return early (which is a failure of its own).
            do { try await ready.wait() } catch { try? await gracefulShutdown(); return }
            while !Task.isCancelled {
                do {
                    for outcome in try await runner.runDue(now: engine.clock.now(), batch: batch) {
                        logger.info("job \(outcome.job) \(outcome.kind.rawValue) \(outcome.subject): \(outcome.status.rawValue)",
                                    metadata: ["outcome": "\(outcome.outcome ?? "")"])
                    }
                } catch {
                    logger.error("job round failed: \(error)")
                }
                do { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) } catch { return }
            }
        }
    }
}
