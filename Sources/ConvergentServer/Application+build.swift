import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird
import Logging
import OpenAPIRuntime
import Prometheus

/// What the HTTP server needs: where it listens and the secret provisioning callbacks are signed with.
public struct ServerConfiguration: Sendable {
    /// Address to listen on (`CONVERGENT_HOST`, `--host`).
    public var host: String
    /// Port (`CONVERGENT_PORT`, `--port`); 0 picks a free one.
    public var port: Int
    /// the secret provisioning callbacks are signed with (`CONVERGENT_PROVISIONING_SECRET`).
    public var provisioningSecret: String?

    public init(host: String = "127.0.0.1", port: Int = 8080, provisioningSecret: String? = nil) {
        self.host = host
        self.port = port
        self.provisioningSecret = provisioningSecret
    }
}

/// Builds the router: the agents' console at `/` (HTML), and the operations of the contract (`openapi.yaml`), mounted by the generated
/// server — public ones as they are, the others behind bearer authentication and
/// `Idempotency-Key`s (`ContractTransport`) — with request metrics and problem details around all.
public func buildRouter(engine: Engine, registry: PrometheusCollectorRegistry, provisioningSecret: String? = nil) throws -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(RequestMetricsMiddleware(registry: registry))
    router.middlewares.add(ProblemMiddleware())
    let secured = router.group()
        .add(middleware: AuthMiddleware(engine: engine))
        .add(middleware: IdempotencyMiddleware(engine: engine))
    try Console(engine: engine).register(on: router)
    let api = API(engine: engine, registry: registry, callbackSecret: provisioningSecret)
    try api.registerHandlers(on: ContractTransport(open: router, secured: secured, document: OpenAPIDocument.operations),
                             configuration: Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]),
                             middlewares: [PlainResponseHeadersMiddleware(), ProvisioningSignatureMiddleware(secret: provisioningSecret),
                                           OrderReadCache(engine: engine)])
    return router
}

/// The HTTP application over an engine: the router, listening where the configuration says.
public func buildApplication(engine: Engine, configuration: ServerConfiguration, registry: PrometheusCollectorRegistry = .init(),
                             logger: Logger = Logger(label: "convergent")) throws -> Application<RouterResponder<AppRequestContext>> {
    let router = try buildRouter(engine: engine, registry: registry, provisioningSecret: configuration.provisioningSecret)
    return Application(router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "convergent"),
                       logger: logger)
}
