import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime

/// Where the generated `registerHandlers` mounts each operation of the contract: an operation
/// the document marks `security: []` (health, metrics, the document itself, signed provisioning
/// callbacks) on the router as it is, every other one in the group behind the token check and
/// `Idempotency-Key`s. Each request body is read here first, up to its limit (413 past it, a
/// chunked body included); an empty one is no body, so an operation whose body is optional runs
/// with none, and one whose body is required is refused with `empty-body`.
struct ContractTransport: ServerTransport {
    let open: Router<AppRequestContext>
    let secured: RouterGroup<AppRequestContext>
    let document: OpenAPIDocument.OperationIndex

    func register(_ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?),
                  method: HTTPRequest.Method, path: String) throws {
        let operation = document.operation(method, path)
        let limit = path.contains("/catalog/") ? Limits.catalogBodyBytes : Limits.jsonBodyBytes
        let bounded: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?) = { request, body, metadata in
            let bytes = try await Self.read(body, of: request, limit: limit)
            if bytes.isEmpty, operation?.bodyRequired == true {
                throw Problem(.badRequest, "empty-body", "the request needs a body; see /openapi.json")
            }
            return try await handler(request, bytes.isEmpty ? nil : HTTPBody(bytes), metadata)
        }
        if operation?.isPublic == true {
            open.register(bounded, method: method, path: path)
        } else {
            secured.register(bounded, method: method, path: path)
        }
    }

    /// The body's bytes, at most `limit` of them.
    static func read(_ body: HTTPBody?, of request: HTTPRequest, limit: Int) async throws -> [UInt8] {
        guard let body else { return [] }
        if let length = request.headerFields[.contentLength].flatMap(Int.init), length > limit {
            throw Problem(.contentTooLarge, "body-too-large", "the body is \(length) bytes; at most \(limit) are accepted")
        }
        var bytes: [UInt8] = []
        for try await chunk in body {
            guard bytes.count + chunk.count <= limit else {
                throw Problem(.contentTooLarge, "body-too-large", "the body is larger than \(limit) bytes")
            }
            bytes += chunk
        }
        return bytes
    }
}

/// Response header values as they were set. The generated server writes a header the document
/// declares URI-encoded (`/api/v1/orders/X` as `%2Fapi%2Fv1%2Forders%2FX`, `"3"` as `%223%22`),
/// which HTTP does not do (apple/swift-openapi-generator#857); the server's declared headers
/// (Location, ETag, Cache-Control) hold plain text, so they are decoded back.
struct PlainResponseHeadersMiddleware: ServerMiddleware {
    static let names: [HTTPField.Name] = [.location, .eTag, .cacheControl]

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        var (response, responseBody) = try await next(request, body, metadata)
        for name in Self.names {
            if let value = response.headerFields[name], let plain = value.removingPercentEncoding { response.headerFields[name] = plain }
        }
        return (response, responseBody)
    }
}
