import ConvergentDomain
import ConvergentEngine
import Hummingbird

/// Per-request context: the authenticated user, once the auth middleware has run (for the
/// middlewares after it; operations read `RequestUser.current`).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var user: User?

    public init(source: Source) {
        coreContext = .init(source: source)
        user = nil
    }

    /// Uploads are limited by the server's own body limits; see `Limits`.
    public var maxUploadSize: Int { Limits.catalogBodyBytes }
}

public enum Limits {
    /// JSON request bodies.
    public static let jsonBodyBytes = 1 << 20
    /// Catalog uploads (YAML or JSON).
    public static let catalogBodyBytes = 16 << 20
}
