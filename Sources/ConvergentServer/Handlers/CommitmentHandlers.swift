import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation

/// Commitment contracts and the penalty an action would cost.
extension API {
    func getCommitmentContract(_ input: Operations.GetCommitmentContract.Input) async throws -> Operations.GetCommitmentContract.Output {
        _ = try require(.manageCustomers)
        return .ok(.init(body: .json(try Wire.CommitmentContract(try await engine.commitments.contract(input.path.id)))))
    }

    func previewCommitmentPenalty(_ input: Operations.PreviewCommitmentPenalty.Input) async throws -> Operations.PreviewCommitmentPenalty.Output {
        _ = try require(.manageCustomers)
        let day = try dayParameter(input.query.on, "on") ?? engine.today
        let (contract, penalty) = try await engine.commitments.penalty(of: input.path.id, endingOn: day)
        return .ok(.init(body: .json(Wire.PenaltyPreview(commitmentContract: contract.id, status: try sameCase(contract.status), penalty: try Wire.Penalty(penalty)))))
    }

    func listCustomerCommitmentContracts(_ input: Operations.ListCustomerCommitmentContracts.Input) async throws -> Operations.ListCustomerCommitmentContracts.Output {
        _ = try require(.manageCustomers)
        _ = try await engine.parties.customer(input.path.id)
        let status = try input.query.status.map { try sameCase($0, as: CommitmentStatus.self) }
        let page = try await engine.commitments.contracts(of: input.path.id, status: status, after: input.query.cursor, limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(Wire.CommitmentContractPage(items: try page.items.map(Wire.CommitmentContract.init),
                                                                 nextCursor: page.nextCursor))))
    }
}

extension API {
    func changeCommitmentTerm(_ input: Operations.ChangeCommitmentTerm.Input) async throws -> Operations.ChangeCommitmentTerm.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let endsOn = try dayParameter(body.endsOn, "endsOn") ?? engine.today
        return .ok(.init(body: .json(try Wire.CommitmentContract(try await engine.commitments.changeTerm(
            input.path.id, endsOn: endsOn, reason: body.reason ?? "", expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today,
            context: engine.context(user.id, reason: body.reason))))))
    }

    func changeCommitmentCoverage(_ input: Operations.ChangeCommitmentCoverage.Input) async throws -> Operations.ChangeCommitmentCoverage.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let catalog = try await engine.catalogs.index(of: try await engine.catalogs.active(on: engine.today))
        return .ok(.init(body: .json(try Wire.CommitmentContract(try await engine.commitments.changeCoverage(
            input.path.id, adding: body.add ?? [], removing: body.remove ?? [], reason: body.reason ?? "",
            expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today, catalog: catalog,
            context: engine.context(user.id, reason: body.reason))))))
    }
}

/// Service agreements.
extension API {
    func getServiceAgreement(_ input: Operations.GetServiceAgreement.Input) async throws -> Operations.GetServiceAgreement.Output {
        _ = try require(.manageCustomers)
        return .ok(.init(body: .json(try Wire.ServiceAgreement(try await engine.agreements.agreement(input.path.id)))))
    }

    func listCustomerServiceAgreements(_ input: Operations.ListCustomerServiceAgreements.Input) async throws -> Operations.ListCustomerServiceAgreements.Output {
        _ = try require(.manageCustomers)
        _ = try await engine.parties.customer(input.path.id)
        let page = try await engine.agreements.agreements(of: input.path.id, after: input.query.cursor, limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(Wire.ServiceAgreementPage(items: try page.items.map(Wire.ServiceAgreement.init), nextCursor: page.nextCursor))))
    }

    func setLineAgreementCoverage(_ input: Operations.SetLineAgreementCoverage.Input) async throws -> Operations.SetLineAgreementCoverage.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try await view(try await engine.orders.setAgreementCoverage(
            body.covers, ofLine: try numberParameter(input.path.line, "line"), inOrder: input.path.id, today: engine.today,
            expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }
}
