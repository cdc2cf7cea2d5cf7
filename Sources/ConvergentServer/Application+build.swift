import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird
import Logging
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

/// The HTTP application over an engine: the router, listening where the configuration says.
public func buildApplication(engine: Engine, configuration: ServerConfiguration, registry: PrometheusCollectorRegistry = .init(),
                             logger: Logger = Logger(label: "convergent")) -> Application<RouterResponder<AppRequestContext>> {
    let (router, _) = buildRouter(engine: engine, registry: registry, provisioningSecret: configuration.provisioningSecret)
    return Application(router: router, configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "convergent"),
                       logger: logger)
}
