import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import Prometheus

/// Everything `convergent serve` can be told (defaults need nothing).
public struct ServerConfiguration: Sendable {
    /// Address to listen on (`CONVERGENT_HOST`, `--host`).
    public var host: String
    /// Port (`CONVERGENT_PORT`, `--port`).
    public var port: Int

    /// Seconds between two rounds of the job worker (`--job-interval`); 0 runs no worker.
    public var jobInterval: Double
    /// The worker's name in job claims and history.
    public var workerName: String
    /// R-7.5: the secret provisioning callbacks are signed with (`CONVERGENT_PROVISIONING_SECRET`).
    public var provisioningSecret: String?
    /// Seconds a worker's claim on a job lasts; a job whose worker died is taken over after it (`--job-claim`).
    public var jobClaim: Double
    /// Jobs a worker claims at once (`--job-batch`): small batches spread due jobs over several nodes.
    public var jobBatch: Int

    public init(host: String = "127.0.0.1", port: Int = 8080, jobInterval: Double = 5, workerName: String = "serve",
                provisioningSecret: String? = nil, jobClaim: Double = 300, jobBatch: Int = 20) {
        self.jobBatch = jobBatch
        self.host = host
        self.port = port
        self.jobInterval = jobInterval
        self.workerName = workerName
        self.provisioningSecret = provisioningSecret
        self.jobClaim = jobClaim
    }
}

/// The endpoints the server has, as OpenAPI paths: what `/openapi.json` must describe.
public struct RouteTable: Sendable {
    public struct Entry: Hashable, Sendable, CustomStringConvertible {
        public var method: String
        public var path: String
        public var description: String { "\(method) \(path)" }
    }

    public private(set) var entries: [Entry] = []

    mutating func add(_ method: HTTPRequest.Method, _ path: String) {
        entries.append(Entry(method: method.rawValue.lowercased(), path: path))
    }
}

/// Registers handlers under a prefix, recording each route for the OpenAPI check.
struct Routes {
    let router: Router<AppRequestContext>
    var table = RouteTable()

    /// `path` in OpenAPI form (`/customers/{id}`).
    mutating func add(_ method: HTTPRequest.Method, _ path: String, _ group: RouterGroup<AppRequestContext>? = nil, prefix: String = "",
                      _ handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response) {
        table.add(method, prefix + path)
        let hbPath = RouterPath(path.split(separator: "/").map { part in
            part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : String(part)
        }.joined(separator: "/"))
        if let group {
            group.on(hbPath, method: method, use: handler)
        } else {
            router.on(hbPath, method: method, use: handler)
        }
    }
}

/// Builds the router: system endpoints, then `/api/v1` behind bearer authentication.
public func buildRouter(engine: Engine, registry: PrometheusCollectorRegistry, provisioningSecret: String? = nil) -> (Router<AppRequestContext>, RouteTable) {
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(RequestMetricsMiddleware(registry: registry))
    router.middlewares.add(ProblemMiddleware())
    var routes = Routes(router: router)
    SystemRoutes(engine: engine, registry: registry).register(&routes)
    let api = router.group("api/v1")
        .add(middleware: AuthMiddleware(engine: engine))
        .add(middleware: IdempotencyMiddleware(engine: engine))
    CatalogRoutes(engine: engine).register(&routes, api)
    CustomerRoutes(engine: engine).register(&routes, api)
    UserRoutes(engine: engine).register(&routes, api)
    ConfigurationRoutes(engine: engine).register(&routes, api)
    OrderRoutes(engine: engine).register(&routes, api)
    SessionRoutes(engine: engine).register(&routes, api)
    ClockRoutes(engine: engine).register(&routes, api)
    FulfillmentRoutes(engine: engine, callbackSecret: provisioningSecret).register(&routes, api)
    return (router, routes.table)
}

/// The application `convergent serve` runs and the tests drive.
public func buildApplication(engine: Engine, configuration: ServerConfiguration, registry: PrometheusCollectorRegistry = .init(),
                             logger: Logger = Logger(label: "convergent")) -> some ApplicationProtocol {
    let (router, _) = buildRouter(engine: engine, registry: registry, provisioningSecret: configuration.provisioningSecret)
    return Application(router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "convergent"),
                       logger: logger)
}

/// Runs the server and the job worker in one service group until SIGTERM or SIGINT, then shuts
/// both down gracefully (swift-service-lifecycle).
public func runServer(engine: Engine, configuration: ServerConfiguration) async throws {
    var logger = Logger(label: "convergent")
    logger.logLevel = .info
    let registry = PrometheusCollectorRegistry()
    let app = buildApplication(engine: engine, configuration: configuration, registry: registry, logger: logger)
    var services: [any Service] = [app]
    if configuration.jobInterval > 0 {
        var runner = JobRunner(engine: engine, worker: configuration.workerName, observer: PrometheusJobObserver(registry: registry))
        runner.claimFor = configuration.jobClaim
        services.append(JobWorker(runner: runner, batch: configuration.jobBatch, engine: engine,
                                  interval: configuration.jobInterval, logger: logger))
    }
    try await ServiceGroup(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger).run()
}

/// R-14: runs due jobs every `interval` seconds while the server runs; stops between two rounds
/// on graceful shutdown (a job cut short is claimed again when its claim runs out).
struct JobWorker: Service {
    let runner: JobRunner
    let batch: Int
    let engine: Engine
    let interval: Double
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
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
