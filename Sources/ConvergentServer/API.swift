import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Logging
import Prometheus

/// The API: the server protocol swift-openapi-generator makes from `openapi.yaml` (`APIProtocol`,
/// one method per operationId), implemented here, one file per context under `Handlers/`. The
/// generated code decodes each request into its operation's `Input` (a body or a parameter the
/// contract does not allow is a 400 or 422 problem before a handler runs) and encodes the
/// `Output` a handler returns, so an endpoint the document lacks, or one it has and the server
/// does not, does not compile. A handler checks the user's permission, reads the input into the
/// domain's values, calls one use case of the engine and maps its result to a wire type. Errors
/// are thrown, and `ProblemMiddleware` answers them as problem details.
struct API: APIProtocol {
    let engine: Engine
    let registry: PrometheusCollectorRegistry
    /// the HMAC secret shared with provisioning systems; without it callbacks are refused.
    let callbackSecret: String?
    static let logger = Logger(label: "convergent.api")

    /// The authenticated user (`AuthMiddleware`), allowed to do `permission` (403 otherwise).
    func require(_ permission: Permission) throws -> User {
        guard let user = RequestUser.current else { throw EngineError(.unauthenticated, "a bearer token is required") }
        return try authorized(user, permission)
    }
}

/// `user`, allowed to do `permission`; else the 403 refusal the API and the console give alike.
func authorized(_ user: User, _ permission: Permission) throws -> User {
    guard user.may(permission) else { throw EngineError.missing(permission, user: user) }
    return user
}

/// The user a request acts as, for the length of its handling: set by `AuthMiddleware` around
/// the operation it runs.
enum RequestUser {
    @TaskLocal static var current: User?
}

// MARK: Reading parameters

/// The version in `If-Match` (`"3"` or `3`), if any.
func expectedVersion(_ ifMatch: String?) throws -> Int? {
    guard let ifMatch else { return nil }
    let trimmed = ifMatch.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))
    guard let version = Int(trimmed) else {
        throw Problem(.badRequest, "invalid-if-match", "If-Match should hold the version number, e.g. \"3\"", field: "If-Match")
    }
    return version
}

/// A page size (`limit`): 1 to `max`, `value` when not given.
func pageSize(_ limit: Int?, default value: Int = 50, max: Int = 500) throws -> Int {
    guard let limit else { return value }
    guard (1...max).contains(limit) else {
        throw Problem(.unprocessableContent, "invalid-parameter", "limit should be a whole number from 1 to \(max)", field: "limit")
    }
    return limit
}

/// A query parameter naming a case of a string enum (status, kind, …); an unknown one is a 422.
func enumParameter<T: RawRepresentable>(_ text: String?, _ name: String, _: T.Type) throws -> T? where T.RawValue == String {
    guard let text else { return nil }
    guard let value = T(rawValue: text) else {
        throw Problem(.unprocessableContent, "invalid-parameter", "\(name) '\(text)' is not known", field: name)
    }
    return value
}

/// A date query parameter (`YYYY-MM-DD`).
func dayParameter(_ text: String?, _ name: String) throws -> Day? {
    guard let text else { return nil }
    guard let day = Day(text) else { throw Problem(.unprocessableContent, "invalid-parameter", "\(name) should be a date as YYYY-MM-DD, got '\(text)'", field: name) }
    return day
}

/// A positive number in a path (`line`, `row`).
func numberParameter(_ text: String, _ name: String) throws -> Int {
    guard let number = Int(text), number > 0 else {
        throw Problem(.unprocessableContent, "invalid-parameter", "\(name) should be a \(name) number, got '\(text)'", field: name)
    }
    return number
}

/// A money amount of a request: JSON numbers arrive as doubles; the decimal is the one the
/// double prints as (0.1, not 0.1000000000000000055…).
func requestAmount(_ value: Double) -> Decimal {
    Decimal(string: String(value)) ?? Decimal(value)
}
