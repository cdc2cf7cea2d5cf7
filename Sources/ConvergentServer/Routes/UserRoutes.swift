import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird

/// Users with roles administrator and agent, and their API tokens.
struct UserRoutes {
    let engine: Engine

    struct UserInput: Decodable, Sendable {
        var id: String
        var name: String
        var role: Role
        var actsFor: [String]?
    }

    struct TokenInput: Decodable, Sendable {
        var label: String?
    }

    func register(_ routes: inout Routes, _ api: RouterGroup<AppRequestContext>) {
        let p = "/api/v1"
        routes.add(.get, "/users/me", api, prefix: p) { _, context in
            let user = try context.require(.readCatalog)
            return try JSONIO.response(Wire.User(try await engine.access.user(user.id)))
        }
        routes.add(.get, "/users", api, prefix: p) { _, context in
            _ = try context.require(.manageUsers)
            return try JSONIO.response(try await engine.access.users().map(Wire.User.init))
        }
        routes.add(.post, "/users", api, prefix: p) { request, context in
            let admin = try context.require(.manageUsers)
            let input = try await JSONIO.decode(UserInput.self, from: request)
            let created = try await engine.access.createUser(User(id: input.id, name: input.name, role: input.role, actsFor: input.actsFor ?? []),
                                                             context: engine.context(admin.id))
            let body = Wire.User(created)
            return try JSONIO.response(body, status: .created, headers: [.location: "/api/v1/users/\(body.value1.id)"])
        }
        routes.add(.get, "/users/{id}", api, prefix: p) { _, context in
            let id = try context.parameter("id")
            let user = try context.require(.readCatalog)
            guard user.id == id || user.may(.manageUsers) else { throw EngineError(.forbidden, "agents see only themselves") }
            return try JSONIO.response(Wire.User(try await engine.access.user(id)))
        }
        routes.add(.get, "/users/{id}/tokens", api, prefix: p) { _, context in
            let id = try context.parameter("id")
            let user = try context.require(.readCatalog)
            guard user.id == id || user.may(.manageUsers) else { throw EngineError(.forbidden, "agents see only their own tokens") }
            _ = try await engine.access.user(id)
            return try JSONIO.response(try await engine.access.tokens(of: id).map { Wire.Token($0) })
        }
        routes.add(.post, "/users/{id}/tokens", api, prefix: p) { request, context in
            let id = try context.parameter("id")
            let user = try context.require(.readCatalog)
            guard user.id == id || user.may(.manageUsers) else { throw EngineError(.forbidden, "agents issue tokens for themselves only") }
            let label = request.headers[.contentLength] == "0" || request.headers[.contentLength] == nil && request.headers[.contentType] == nil
                ? nil : try await JSONIO.decode(TokenInput.self, from: request).label
            let (token, secret) = try await engine.access.issueToken(for: id, label: label, context: engine.context(user.id))
            // The answer holds the secret: never cached, never kept for an Idempotency-Key replay.
            return try JSONIO.response(Wire.Token(token, secret: secret), status: .created, headers: [.cacheControl: "no-store"])
        }
        routes.add(.post, "/users/{id}/tokens/{token}/revoke", api, prefix: p) { _, context in
            let id = try context.parameter("id")
            let user = try context.require(.readCatalog)
            guard user.id == id || user.may(.manageUsers) else { throw EngineError(.forbidden, "agents revoke their own tokens only") }
            return try JSONIO.response(Wire.Token(try await engine.access.revokeToken(try context.parameter("token"), of: id, context: engine.context(user.id))))
        }
    }
}
