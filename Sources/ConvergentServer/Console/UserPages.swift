import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import Hummingbird

// Users and their API tokens in the console: administrators list users, add one and
// manage anyone's tokens; an agent manages its own. A token's secret is shown once, on the page
// that answers its issue (never stored in clear, never shown again).

struct UsersPage: Sendable {
    struct Row: Sendable {
        var id: String
        var name: String
        var role: String
        var active: Bool
    }

    var layout: Layout
    var users: [Row]
    var roles: [Option]
    var problem: ProblemView?
}

struct UserPage: Sendable {
    struct TokenRow: Sendable {
        var token: String
        var label: String
        var revoked: Bool
    }

    var layout: Layout
    var user: String
    var name: String
    var role: String
    var tokens: [TokenRow]
    /// The secret of the token just issued: shown on this answer only.
    var secret: String?
    /// the named permissions it holds, and whether the viewer may grant them (an agent's, to an administrator).
    var permissions: [String]
    var mayGrant: Bool
    var overrideHolds: Bool
    var waiveFees: Bool
    var manageCatalog: Bool
    var actFor: String
    var version: Int
    var problem: ProblemView?
}

extension Console {
    func registerUsers(on router: Router<AppRequestContext>) {
        router.get("/users") { request, _ in await page(request) { agent in try await users(agent, problem: nil) } }
        router.post("/users") { request, _ in
            await action(request, NewUserForm.self, refused: { agent, problem in try await users(agent, problem: ProblemView(problem)) }) { agent, form in
                _ = try Self.require(agent, .manageUsers)
                _ = try await engine.access.createUser(User(id: form.id.trimmingCharacters(in: .whitespaces), name: form.name.trimmingCharacters(in: .whitespaces),
                                                            role: try Self.choice(Role.self, form.role, "role")),
                                                       context: engine.context(agent.user.id))
                return "/users/\(Self.pathComponent(form.id.trimmingCharacters(in: .whitespaces)))"
            }
        }
        router.get("/users/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in try await user(id, agent, secret: nil, problem: nil) }
        }
        // Issuing answers the page itself (not a redirect): the secret is shown once, there. The
        // action hands it over as `IssuedSecret`, which its `answer` turns into that page.
        router.post("/users/:id/tokens") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, TokenForm.self, refused: { agent, problem in try await user(id, agent, secret: nil, problem: ProblemView(problem)) },
                                answer: { agent, error in
                                    guard let issued = error as? IssuedSecret else { return nil }
                                    return try await user(id, agent, secret: issued.secret, problem: nil)
                                }) { agent, form in
                try Self.ownUser(agent, id)
                throw IssuedSecret(secret: try await engine.access.issueToken(for: id, label: Self.text(form.label), context: engine.context(agent.user.id)).secret)
            }
        }
        // an administrator grants an agent's named permissions (the whole list, replaced).
        router.post("/users/:id/permissions") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await action(request, PermissionsForm.self, refused: { agent, problem in try await user(id, agent, secret: nil, problem: ProblemView(problem)) }) { agent, form in
                _ = try Self.require(agent, .manageUsers)
                let names = [form.overrideHolds.map { _ in GrantedPermission.overrideHolds.rawValue }, form.waiveFees.map { _ in GrantedPermission.waiveFees.rawValue },
                             form.manageCatalog.map { _ in GrantedPermission.manageCatalog.rawValue }].compactMap { $0 }
                    + (form.actFor ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map { Permission.actFor(String($0)).name }
                _ = try await engine.access.setPermissions(of: id, to: names, expectedVersion: form.version, context: engine.context(agent.user.id))
                return "/users/\(Self.pathComponent(id))"
            }
        }
        router.post("/users/:id/tokens/:token/revoke") { request, context in
            let id = context.parameters.get("id") ?? "", token = context.parameters.get("token") ?? ""
            return await action(request, Empty.self, refused: { agent, problem in try await user(id, agent, secret: nil, problem: ProblemView(problem)) }) { agent, _ in
                try Self.ownUser(agent, id)
                _ = try await engine.access.revokeToken(token, of: id, context: engine.context(agent.user.id))
                return "/users/\(Self.pathComponent(id))"
            }
        }
    }

    /// A token just issued: not an error, the way its secret reaches the page that shows it once.
    struct IssuedSecret: Error {
        var secret: String
    }

    struct NewUserForm: Decodable, Sendable {
        var id: String
        var name: String
        var role: String
    }

    struct TokenForm: Decodable, Sendable {
        var label: String?
    }

    struct PermissionsForm: Decodable, Sendable {
        var version: Int?
        var overrideHolds: String?
        var waiveFees: String?
        var manageCatalog: String?
        var actFor: String?
    }

    /// The user a page reads or changes: the agent itself, or anyone for an administrator.
    static func ownUser(_ agent: Agent, _ id: String) throws {
        guard agent.user.id == id || agent.user.may(.manageUsers) else {
            throw Problem(.forbidden, "forbidden", "agents see and manage their own tokens only")
        }
    }

    func users(_ agent: Agent, problem: ProblemView?) async throws -> Response {
        _ = try Self.require(agent, .manageUsers)
        let rows = try await engine.access.users().map(Wire.User.init).map {
            UsersPage.Row(id: $0.value1.id, name: $0.value1.name, role: $0.value1.role.rawValue, active: $0.value2.active ?? true)
        }
        return render("users", UsersPage(layout: Layout(title: "Users", agent: agent), users: rows,
                                         roles: Option.list(["agent", "administrator"], selected: "agent"), problem: problem),
                      status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    func user(_ id: String, _ agent: Agent, secret: String?, problem: ProblemView?) async throws -> Response {
        try Self.ownUser(agent, id)
        let stored = try await engine.access.user(id)
        let user = Wire.User(stored).value1
        let tokens = try await engine.access.tokens(of: id).map { Wire.Token($0) }.map {
            UserPage.TokenRow(token: $0.id ?? "", label: $0.label ?? "", revoked: $0.revoked ?? false)
        }
        return render("user", UserPage(layout: Layout(title: "\(user.name) (\(user.id))", agent: agent), user: user.id, name: user.name,
                                       role: user.role.rawValue, tokens: tokens, secret: secret,
                                       permissions: stored.value.role == .administrator ? ["every permission (administrator)"] : stored.value.permissionNames,
                                       mayGrant: agent.user.may(.manageUsers) && stored.value.role == .agent,
                                       overrideHolds: stored.value.granted.contains(.overrideHolds), waiveFees: stored.value.granted.contains(.waiveFees),
                                       manageCatalog: stored.value.granted.contains(.manageCatalog), actFor: stored.value.actsFor.joined(separator: ", "),
                                       version: stored.version, problem: problem),
                      status: problem.map { HTTPResponse.Status(code: $0.status) } ?? (secret == nil ? .ok : .created))
    }
}
