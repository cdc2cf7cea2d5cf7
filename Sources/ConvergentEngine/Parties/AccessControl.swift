import ConvergentDomain
import ConvergentStore
import Crypto
import Foundation

/// Users, roles and API tokens. Tokens are random secrets shown once; only their
/// SHA-256 digest is stored. Nothing is deleted: revoking a token marks it revoked.
public struct AccessControl: Sendable {
    let store: any ConvergentStore
    /// Token digest → its active user, as checked within the node cache's lifetime.
    let checked: ExpiringCache<String, User>

    init(store: any ConvergentStore, tokenLifetime: Duration) {
        self.store = store
        checked = ExpiringCache(lifetime: tokenLifetime)
    }
    public static let administratorID = "admin"
    static let bootstrapTokenID = "TOK-BOOTSTRAP"

    public static func digest(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).hexString
    }

    static func newSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        return "cvg_" + (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }.hexString
    }

    /// Makes sure the administrator and its bootstrap token exist. With `token` (from
    /// `CONVERGENT_ADMIN_TOKEN`) that secret becomes the bootstrap token; without it a token is
    /// generated on first start and returned, to be printed once. Returns nil when nothing new was made.
    public func bootstrapAdministrator(token: String?, context: ChangeContext) async throws -> String? {
        if try await store.get(User.self, id: Self.administratorID) == nil {
            try await store.insert(User(id: Self.administratorID, name: "Administrator", role: .administrator), context: context)
        }
        let existing = try await store.get(APIToken.self, id: Self.bootstrapTokenID)
        if let token {
            let digest = Self.digest(token)
            if let existing {
                guard existing.value.digest != digest || existing.value.revoked else { return nil }
                var updated = existing.value
                updated.digest = digest
                updated.revoked = false
                try await store.update(updated, expectedVersion: existing.version, context: context)
                checked.removeAll()
            } else {
                try await store.insert(APIToken(id: Self.bootstrapTokenID, user: Self.administratorID, digest: digest, label: "bootstrap"), context: context)
            }
            return nil
        }
        guard existing == nil else { return nil }
        let secret = Self.newSecret()
        try await store.insert(APIToken(id: Self.bootstrapTokenID, user: Self.administratorID, digest: Self.digest(secret), label: "bootstrap"), context: context)
        return secret
    }

    /// The active user a bearer token belongs to.
    /// A check is trusted for the node cache's lifetime: a token revoked through this node is
    /// refused at once, through another node sharing the database within that lifetime.
    public func authenticate(_ secret: String) async throws -> User {
        let digest = Self.digest(secret)
        if let user = checked.value(for: digest) { return user }
        let generation = checked.generation
        let tokens = try await store.all(APIToken.self, where: ["digest": digest], limit: 2)
        guard let token = tokens.first?.value, !token.revoked else {
            throw EngineError(.unauthenticated, "the bearer token is unknown or revoked")
        }
        guard let user = try await store.get(User.self, id: token.user)?.value, user.active else {
            throw EngineError(.unauthenticated, "the token's user is unknown or deactivated")
        }
        checked.set(user, for: digest, readIn: generation)
        return user
    }

    public func createUser(_ user: User, context: ChangeContext) async throws -> Versioned<User> {
        guard !user.id.isEmpty, user.id.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw EngineError(.invalidRequest, "a user id is made of letters, digits, '-', '_' and '.'", field: "id")
        }
        for other in user.actsFor where try await store.get(User.self, id: other) == nil {
            throw EngineError(.invalidRequest, "actsFor names unknown user '\(other)'", field: "actsFor")
        }
        do {
            return try await store.insert(user, context: context)
        } catch let error as StoreError where error.code == .duplicate {
            throw StoreError(.duplicate, "user '\(user.id)' already exists")
        }
    }

    /// grants `names` — the whole list, replacing what the user held — as one change with
    /// its history entry. Every name must be a permission (`GrantedPermission`, `act-for:<user>`
    /// of an existing user); administrators hold all by role, so granting them is refused.
    public func setPermissions(of id: String, to names: [String], expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<User> {
        let current = try await user(id)
        guard current.value.role == .agent else {
            throw EngineError(.invalidRequest, "'\(id)' is an administrator and holds every permission by role", field: "permissions")
        }
        var granted: Set<GrantedPermission> = [], actsFor: Set<String> = []
        for (i, name) in names.enumerated() {
            guard let permission = Permission.granting(name) else {
                let known = GrantedPermission.allCases.map(\.rawValue).joined(separator: ", ")
                throw EngineError(.invalidRequest, "'\(name)' is not a permission; permissions are \(known) and act-for:<user>", field: "permissions[\(i)]")
            }
            if let g = permission.granted { granted.insert(g) }
            if let other = permission.actsFor {
                guard other != id, try await store.get(User.self, id: other) != nil else {
                    throw EngineError(.invalidRequest, other == id ? "a user always acts for itself" : "act-for names unknown user '\(other)'", field: "permissions[\(i)]")
                }
                actsFor.insert(other)
            }
        }
        var changed = current.value
        changed.granted = granted.sorted()
        changed.actsFor = actsFor.sorted()
        if let expectedVersion, expectedVersion != current.version {
            throw StoreError(.conflict, "user '\(id)' is at version \(current.version), not \(expectedVersion)")
        }
        guard changed != current.value else { return current }
        defer { checked.removeAll() }
        return try await store.update(changed, expectedVersion: current.version, createdAt: current.createdAt, context: context)
    }

    public func users() async throws -> [Versioned<User>] { try await store.all(User.self) }

    public func user(_ id: String) async throws -> Versioned<User> {
        guard let user = try await store.get(User.self, id: id) else { throw EngineError(.notFound, "no user '\(id)'") }
        return user
    }

    /// Issues a token; the secret is in the result and nowhere else.
    public func issueToken(for userID: String, label: String?, context: ChangeContext) async throws -> (token: APIToken, secret: String) {
        _ = try await user(userID)
        let secret = Self.newSecret()
        let token = APIToken(id: String(format: "TOK-%06d", try await store.nextNumber("token")), user: userID, digest: Self.digest(secret), label: label)
        try await store.insert(token, context: context)
        return (token, secret)
    }

    public func tokens(of userID: String) async throws -> [APIToken] {
        try await store.all(APIToken.self, where: ["user_id": userID]).map(\.value)
    }

    public func revokeToken(_ id: String, of userID: String, context: ChangeContext) async throws -> APIToken {
        guard let token = try await store.get(APIToken.self, id: id), token.value.user == userID else {
            throw EngineError(.notFound, "user '\(userID)' has no token '\(id)'")
        }
        var revoked = token.value
        revoked.revoked = true
        defer { checked.removeAll() }
        return try await store.update(revoked, expectedVersion: token.version, createdAt: token.createdAt, context: context).value
    }
}
