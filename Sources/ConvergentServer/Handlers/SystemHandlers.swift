import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime
import Prometheus

/// `/health`, `/openapi.json`, `/metrics` (no token needed), and the server's clock: read by
/// anyone with a token; a test clock (`serve --clock test`) is moved forward by administrators,
/// so "on the execution date" can be tried without waiting.
extension API {
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        // Reading proves the database answers.
        .ok(.init(body: .json(Wire.Health(status: "ok", database: try await engine.databaseAnswers(), time: engine.clock.now()))))
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws -> Operations.GetOpenAPIDocument.Output {
        guard let document = OpenAPIDocument.payload else {
            throw Problem(.serviceUnavailable, "openapi-unavailable", "the API document (openapi.yaml, a resource beside the binary) cannot be read")
        }
        return .ok(.init(body: .json(document)))
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        .ok(.init(body: .plainText(HTTPBody(registry.emitToBuffer()))))
    }

    func clock() -> Wire.Clock { Wire.Clock(now: engine.clock.now(), adjustable: engine.clock is any AdjustableClock) }

    func getClock(_ input: Operations.GetClock.Input) async throws -> Operations.GetClock.Output {
        _ = try require(.readCatalog)
        return .ok(.init(body: .json(clock())))
    }

    func advanceClock(_ input: Operations.AdvanceClock.Input) async throws -> Operations.AdvanceClock.Output {
        let user = try require(.manageSetup)
        let body = switch input.body { case let .json(body): body }
        let seconds: Double
        if let day = try requestDay(body.to, field: "to") {
            guard body.days == nil, body.seconds == nil else {
                throw Problem(.unprocessableContent, "invalid-request", "give either 'to' or 'days'/'seconds'", field: "to")
            }
            seconds = day.startDate.timeIntervalSince(engine.clock.now())
        } else {
            guard body.days != nil || body.seconds != nil else {
                throw Problem(.unprocessableContent, "missing-field", "give 'days', 'seconds' or 'to'", field: "days")
            }
            seconds = Double(body.days ?? 0) * 86_400 + (body.seconds ?? 0)
        }
        do {
            _ = try engine.advanceClock(by: seconds)
        } catch let error as ClockError {
            let field = body.to != nil ? "to" : body.days != nil ? "days" : "seconds"
            throw Problem(.unprocessableContent, "clock-move-refused", error.message, field: field)
        }
        Self.logger.info("test clock moved forward", metadata: ["by": "\(user.id)", "seconds": "\(seconds)"])
        return .ok(.init(body: .json(clock())))
    }
}
