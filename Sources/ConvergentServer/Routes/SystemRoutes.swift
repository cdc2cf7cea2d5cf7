import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird
import Logging
import Prometheus

/// `/health`, `/openapi.json`, `/metrics`: no token needed.
struct SystemRoutes {
    let engine: Engine
    let registry: PrometheusCollectorRegistry

    func register(_ routes: inout Routes) {
        routes.add(.get, "/health") { _, _ in
            // Reading proves the database answers.
            return try JSONIO.response(Wire.Health(status: "ok", database: try await engine.databaseAnswers(), time: engine.clock.now()))
        }
        routes.add(.get, "/openapi.json") { _, _ in
            guard let json = OpenAPIDocument.json else {
                throw Problem(.serviceUnavailable, "openapi-unavailable", "the API document (openapi.yaml, a resource beside the binary) cannot be read")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        routes.add(.get, "/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"], body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
}

/// The server's clock: read by anyone with a token; a test clock (`serve --clock test`) is moved
/// forward by administrators, so "on the execution date" can be tried without waiting.
struct ClockRoutes {
    let engine: Engine

    struct AdvanceInput: Decodable {
        var days: Int?
        var seconds: Double?
        /// Or: the day to move to (midnight UTC); it must not be in the past.
        var to: Day?
    }

    func view() -> Wire.Clock { Wire.Clock(now: engine.clock.now(), adjustable: engine.clock is any AdjustableClock) }

    func register(_ routes: inout Routes, _ api: RouterGroup<AppRequestContext>) {
        routes.add(.get, "/clock", api, prefix: "/api/v1") { _, context in
            _ = try context.require(.readCatalog)
            return try JSONIO.response(view())
        }
        routes.add(.post, "/clock/advance", api, prefix: "/api/v1") { request, context in
            let user = try context.require(.manageCatalog)
            let input = try await JSONIO.decode(AdvanceInput.self, from: request)
            let seconds: Double
            if let day = input.to {
                guard input.days == nil, input.seconds == nil else {
                    throw Problem(.unprocessableContent, "invalid-request", "give either 'to' or 'days'/'seconds'", field: "to")
                }
                seconds = day.startDate.timeIntervalSince(engine.clock.now())
            } else {
                guard input.days != nil || input.seconds != nil else {
                    throw Problem(.unprocessableContent, "missing-field", "give 'days', 'seconds' or 'to'", field: "days")
                }
                seconds = Double(input.days ?? 0) * 86_400 + (input.seconds ?? 0)
            }
            do {
                _ = try engine.advanceClock(by: seconds)
            } catch let error as ClockError {
                let field = input.to != nil ? "to" : input.days != nil ? "days" : "seconds"
                throw Problem(.unprocessableContent, "clock-move-refused", error.message, field: field)
            }
            context.logger.info("test clock moved forward", metadata: ["by": "\(user.id)", "seconds": "\(seconds)"])
            return try JSONIO.response(view())
        }
    }
}
