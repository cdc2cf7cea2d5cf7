import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import HTTPTypes

/// Stateless verification of a configuration document with the engine sessions use.
extension API {
    func verifyConfiguration(_ input: Operations.VerifyConfiguration.Input) async throws -> Operations.VerifyConfiguration.Output {
        _ = try require(.verifyConfigurations)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try Wire.VerifyResult(try await engine.verify(try body.request)))))
    }
}
