import ConvergentEngine
import Foundation
import Hummingbird
import Prometheus

/// Bearer-token authentication for `/api/v1`: 401 without a valid token. The user is in
/// the context for the middlewares after this one, and `RequestUser.current` for the operation.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let engine: Engine

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw EngineError(.unauthenticated, "send 'Authorization: Bearer <token>'; the administrator token is printed at first start or set with CONVERGENT_ADMIN_TOKEN")
        }
        let user = try await engine.access.authenticate(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        var context = context
        context.user = user
        return try await RequestUser.$current.withValue(user) { try await next(request, context) }
    }
}

/// Request counts and durations per method, route and status, for `/metrics`.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let labels = [("method", request.method.rawValue), ("route", context.endpointPath ?? "unmatched"), ("status", String(response.status.code))]
        registry.makeCounter(name: "convergent_http_requests_total", labels: labels).increment()
        registry.makeDurationHistogram(name: "convergent_http_request_duration_seconds", labels: Array(labels.prefix(2)),
                                       buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2)])
            .recordNanoseconds(Int64((ContinuousClock.now - start).components.attoseconds / 1_000_000_000 + (ContinuousClock.now - start).components.seconds * 1_000_000_000))
        return response
    }
}
