import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Hummingbird

/// Stateless verification of a configuration document with the engine sessions use.
struct ConfigurationRoutes {
    let engine: Engine

    func register(_ routes: inout Routes, _ api: RouterGroup<AppRequestContext>) {
        routes.add(.post, "/configurations/verify", api, prefix: "/api/v1") { request, context in
            _ = try context.require(.verifyConfigurations)
            let body = try await JSONIO.decode(Wire.VerifyRequest.self, from: request).request
            return try JSONIO.response(try Wire.VerifyResult(try await engine.verify(body)))
        }
    }
}
