import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes

/// Users with roles administrator and agent, and their API tokens.
extension API {
    func getCurrentUser(_ input: Operations.GetCurrentUser.Input) async throws -> Operations.GetCurrentUser.Output {
        let user = try require(.readCatalog)
        return .ok(.init(body: .json(Wire.User(try await engine.access.user(user.id)))))
    }

    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        _ = try require(.manageUsers)
        return .ok(.init(body: .json(try await engine.access.users().map(Wire.User.init))))
    }

    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let admin = try require(.manageUsers)
        let body = switch input.body { case let .json(body): body }
        let created = Wire.User(try await engine.access.createUser(User(id: body.id, name: body.name, role: try sameCase(body.role), actsFor: body.actsFor ?? []),
                                                                   context: engine.context(admin.id)))
        return .created(.init(headers: .init(location: "/api/v1/users/\(created.value1.id)"), body: .json(created)))
    }

    func setUserPermissions(_ input: Operations.SetUserPermissions.Input) async throws -> Operations.SetUserPermissions.Output {
        let admin = try require(.manageUsers)
        let body = switch input.body { case let .json(body): body }
        let changed = try await engine.access.setPermissions(of: input.path.id, to: body.permissions, expectedVersion: try expectedVersion(input.headers.ifMatch),
                                                             context: engine.context(admin.id))
        return .ok(.init(body: .json(Wire.User(changed))))
    }

    /// The user a request reads or changes (`id`): the caller, or anyone for an administrator.
    func ownUser(_ id: String, refusal: String) throws -> User {
        let user = try require(.readCatalog)
        guard user.id == id || user.may(.manageUsers) else { throw EngineError(.forbidden, refusal) }
        return user
    }

    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        _ = try ownUser(input.path.id, refusal: "agents see only themselves")
        return .ok(.init(body: .json(Wire.User(try await engine.access.user(input.path.id)))))
    }

    func listUserTokens(_ input: Operations.ListUserTokens.Input) async throws -> Operations.ListUserTokens.Output {
        _ = try ownUser(input.path.id, refusal: "agents see only their own tokens")
        _ = try await engine.access.user(input.path.id)
        return .ok(.init(body: .json(try await engine.access.tokens(of: input.path.id).map { Wire.Token($0) })))
    }

    func issueUserToken(_ input: Operations.IssueUserToken.Input) async throws -> Operations.IssueUserToken.Output {
        let user = try ownUser(input.path.id, refusal: "agents issue tokens for themselves only")
        let label = input.body.flatMap { body in switch body { case let .json(body): body.label } }
        let (token, secret) = try await engine.access.issueToken(for: input.path.id, label: label, context: engine.context(user.id))
        // The answer holds the secret: never cached, never kept for an Idempotency-Key replay.
        return .created(.init(headers: .init(cacheControl: "no-store"), body: .json(Wire.Token(token, secret: secret))))
    }

    func revokeUserToken(_ input: Operations.RevokeUserToken.Input) async throws -> Operations.RevokeUserToken.Output {
        let user = try ownUser(input.path.id, refusal: "agents revoke their own tokens only")
        return .ok(.init(body: .json(Wire.Token(try await engine.access.revokeToken(input.path.token, of: input.path.id, context: engine.context(user.id))))))
    }
}
