import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import HTTPTypes

/// Configuration sessions bound to orders (R-4.1 … ).
extension API {
    func openOrderSession(_ input: Operations.OpenOrderSession.Input) async throws -> Operations.OpenOrderSession.Output {
        let user = try require(.manageCustomers)
        let (view, opened) = try await engine.orders.openSession(order: input.path.id, today: engine.today, context: engine.context(user.id, reason: "session opened"))
        let body = try Wire.Session(view)
        let location = "/api/v1/sessions/\(view.session.id)"
        // The order's open session, when it has one, is answered as it is (200) instead of a second one.
        return opened ? .created(.init(headers: .init(location: location), body: .json(body))) : .ok(.init(headers: .init(location: location), body: .json(body)))
    }

    func getSession(_ input: Operations.GetSession.Input) async throws -> Operations.GetSession.Output {
        _ = try require(.manageCustomers)
        return .ok(.init(body: .json(try Wire.Session(try await engine.orders.session(input.path.id, today: engine.today)))))
    }

    func getSessionInstance(_ input: Operations.GetSessionInstance.Input) async throws -> Operations.GetSessionInstance.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try Wire.InstanceDetail(try await engine.orders.instance(input.path.instance, inSession: input.path.id,
                                                                                                today: engine.today, user: user)))))
    }

    func applySessionOperations(_ input: Operations.ApplySessionOperations.Input) async throws -> Operations.ApplySessionOperations.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let operations = try body.operations.enumerated().map { try $1.operation(field: "operations[\($0)]") }
        return .ok(.init(body: .json(try Wire.Session(try await engine.orders.apply(operations, toSession: input.path.id,
                                                                                   expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today,
                                                                                   user: user, context: engine.context(user.id))))))
    }

    func setSessionBilling(_ input: Operations.SetSessionBilling.Input) async throws -> Operations.SetSessionBilling.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let choices = body.rows.map { BillingChoice(sequence: $0.sequence, customer: $0.customer, contact: $0.contact, account: $0.account, newAccount: $0.newAccount) }
        return .ok(.init(body: .json(try Wire.Session(try await engine.orders.changeBilling(
            .rows(component: body.component, choices: choices, confirmed: body.confirm ?? false), inSession: input.path.id,
            expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today, context: engine.context(user.id))))))
    }

    func changeSessionCommitment(_ input: Operations.ChangeSessionCommitment.Input) async throws -> Operations.ChangeSessionCommitment.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let change = CommitmentChange(commitment: body.commitment, endsOn: try dayParameter(body.endsOn, "endsOn"),
                                      add: body.add, remove: body.remove, reason: body.reason ?? "")
        return .ok(.init(body: .json(try Wire.Session(try await engine.orders.changeCommitment(
            change, inSession: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today,
            context: engine.context(user.id, reason: body.reason))))))
    }

    func markSessionNewAccount(_ input: Operations.MarkSessionNewAccount.Input) async throws -> Operations.MarkSessionNewAccount.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try Wire.Session(try await engine.orders.changeBilling(
            .newAccount(customer: body.customer, contact: body.contact, type: try sameCase(body._type)), inSession: input.path.id,
            expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today, context: engine.context(user.id))))))
    }

    func saveSession(_ input: Operations.SaveSession.Input) async throws -> Operations.SaveSession.Output {
        let user = try require(.manageCustomers)
        let order = try await engine.orders.finishSession(input.path.id, submit: false, today: engine.today, context: engine.context(user.id, reason: "session saved"))
        return .ok(.init(body: .json(try await view(order))))
    }

    func submitSession(_ input: Operations.SubmitSession.Input) async throws -> Operations.SubmitSession.Output {
        let user = try require(.manageCustomers)
        let order = try await engine.orders.finishSession(input.path.id, submit: true, today: engine.today, context: engine.context(user.id, reason: "session submitted"))
        return .ok(.init(body: .json(try await view(order))))
    }

    func cancelSession(_ input: Operations.CancelSession.Input) async throws -> Operations.CancelSession.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try Wire.ConfigurationSession(try await engine.orders.cancelSession(input.path.id,
                                                                                                        context: engine.context(user.id, reason: "session cancelled"))))))
    }
}
