import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes

/// provisioning callbacks (signed, no token: `ProvisioningSignatureMiddleware`),
/// jeopardy and what agents do about it, and installed products with their links and history.
extension API {
    func answerProvisioningMessage(_ input: Operations.AnswerProvisioningMessage.Input) async throws -> Operations.AnswerProvisioningMessage.Output {
        let body = switch input.body { case let .json(body): body }
        let context = engine.context("provisioning", reason: "provisioning answer")
        let answers = (body.items ?? []).map { ProvisioningItemAnswer(installedProduct: $0.installedProduct, distributor: $0.distributor) }
        let outcome = try await engine.retryingConflicts {
            try await engine.fulfiller.answer(body.message, attempt: body.attempt, success: body.status == .completed,
                                              error: body.error, answers: answers, at: engine.clock.now(), context: context)
        }
        return .ok(.init(body: .json(Wire.CallbackOutcome(message: body.message, outcome: outcome))))
    }

    func retryOrderFulfillment(_ input: Operations.RetryOrderFulfillment.Input) async throws -> Operations.RetryOrderFulfillment.Output {
        let user = try require(.manageCustomers)
        let order = try await engine.fulfiller.retry(input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch),
                                                     at: engine.clock.now(), context: engine.context(user.id, reason: "provisioning retried"))
        return .ok(.init(body: .json(try await view(order))))
    }

    func resumeOrderFulfillment(_ input: Operations.ResumeOrderFulfillment.Input) async throws -> Operations.ResumeOrderFulfillment.Output {
        let user = try require(.manageCustomers)
        let order = try await engine.fulfiller.resume(input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch),
                                                      at: engine.clock.now(), context: engine.context(user.id, reason: "provisioning resumed"))
        return .ok(.init(body: .json(try await view(order))))
    }

    func listOrdersInJeopardy(_ input: Operations.ListOrdersInJeopardy.Input) async throws -> Operations.ListOrdersInJeopardy.Output {
        _ = try require(.manageCustomers)
        let page = try await engine.fulfiller.jeopardy(after: input.query.cursor, limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(Wire.JeopardyPage(page))))
    }

    func getInstalledProduct(_ input: Operations.GetInstalledProduct.Input) async throws -> Operations.GetInstalledProduct.Output {
        _ = try require(.manageCustomers)
        return .ok(.init(body: .json(try await engine.installedProductAnswer(input.path.id))))
    }

    func getInstalledContract(_ input: Operations.GetInstalledContract.Input) async throws -> Operations.GetInstalledContract.Output {
        _ = try require(.manageCustomers)
        if let day = try dayParameter(input.query.asOf, "asOf") {
            return .ok(.init(body: .json(try Wire.InstalledContract(try await engine.installedBase.contract(input.path.id, asOf: day)))))
        }
        return .ok(.init(body: .json(try Wire.InstalledContract(try await engine.installedBase.contract(input.path.id, field: "id")))))
    }

    func listCustomerInstalledContracts(_ input: Operations.ListCustomerInstalledContracts.Input) async throws -> Operations.ListCustomerInstalledContracts.Output {
        _ = try require(.manageCustomers)
        _ = try await engine.parties.customer(input.path.id)
        let page = try await engine.installedBase.contracts(of: input.path.id, after: input.query.cursor, limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(try Wire.InstalledContractPage(page))))
    }

    func listJobs(_ input: Operations.ListJobs.Input) async throws -> Operations.ListJobs.Output {
        _ = try require(.manageCustomers)
        let limit = try pageSize(input.query.limit)
        let kind = try input.query.kind.map { text in
            let kinds = JobRegistry.standard(engine).kinds
            guard kinds.contains(JobKind(rawValue: text)) else {
                throw Problem(.unprocessableContent, "invalid-parameter", "kind '\(text)' is not a job kind (\(kinds.map(\.rawValue).joined(separator: ", ")))", field: "kind")
            }
            return JobKind(rawValue: text)
        }
        let found = try await engine.jobs(status: try enumParameter(input.query.status, "status", JobStatus.self), kind: kind,
                                          after: input.query.cursor, limit: limit + 1)
        let items = found.prefix(limit).map(Wire.Job.init)
        return .ok(.init(body: .json(Wire.JobPage(items: items, nextCursor: found.count > limit ? items.last?.id : nil))))
    }
}
