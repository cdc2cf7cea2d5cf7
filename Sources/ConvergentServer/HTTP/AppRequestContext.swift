import ConvergentDomain
import ConvergentEngine
import Hummingbird

/// Per-request context: the authenticated user, once the auth middleware has run.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?

    public init(source: Source) {
        coreContext = .init(source: source)
        user = nil
    }

    /// Uploads are limited by the server's own body limits; see `Limits`.
    public var maxUploadSize: Int { Limits.catalogBodyBytes }

    /// The authenticated user, allowed to do `permission` (403 otherwise).
    func require(_ permission: Permission) throws -> User {
        guard let user else { throw EngineError(.unauthenticated, "a bearer token is required") }
        guard user.may(permission) else {
            throw EngineError(.forbidden, "user '\(user.id)' (\(user.role.rawValue)) may not do this")
        }
        return user
    }
}

public enum Limits {
    /// JSON request bodies.
    public static let jsonBodyBytes = 1 << 20
    /// Catalog uploads (YAML or JSON).
    public static let catalogBodyBytes = 16 << 20
}
