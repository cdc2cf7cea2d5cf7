import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import Hummingbird
import Prometheus

/// `/health`, `/openapi.json`, `/metrics`: no token needed.
struct SystemRoutes {
    let engine: Engine
    let registry: PrometheusCollectorRegistry

    struct Health: Encodable {
        var status: String
        var database: String
        var time: Date
    }

    func register(_ routes: inout Routes) {
        routes.add(.get, "/health") { _, _ in
            // Reading proves the database answers.
            _ = try await engine.store.appliedMigrations()
            return try JSONIO.response(Health(status: "ok", database: engine.store.backend, time: engine.clock.now()))
        }
        routes.add(.get, "/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        routes.add(.get, "/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}
