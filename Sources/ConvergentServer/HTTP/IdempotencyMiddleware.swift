import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import Hummingbird

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}

/// `Idempotency-Key` on every POST under `/api/v1`: the first request with a key runs and its
/// answer is kept; a retry with the same key and the same request gets that answer again
/// (`Idempotent-Replayed: true`) without running twice; the same key with another request is
/// refused. Keys are per user. A request that fails with a server error frees its key. An
/// answer marked `Cache-Control: no-store` holds a secret (an API token's): it is not kept, and
/// a replay is refused with `idempotent-answer-withheld` (409) instead — no secret is stored.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let engine: Engine

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .post, let key = request.headers[.idempotencyKey] else { return try await next(request, context) }
        guard (1...255).contains(key.count) else {
            throw Problem(.badRequest, "invalid-idempotency-key", "Idempotency-Key holds 1 to 255 characters", field: "Idempotency-Key")
        }
        let actor = context.user?.id ?? ""
        let body = try await RequestBody.collect(request, limit: Limits.catalogBodyBytes)
        let fingerprint = AccessControl.digest("\(request.method.rawValue) \(request.uri.description)\n"
            + (request.headers[.contentType] ?? "") + "\n" + String(decoding: body.readableBytesView, as: UTF8.self))
        if let seen = try await engine.store.reserveIdempotencyKey(key, actor: actor, request: fingerprint, at: engine.clock.now()) {
            guard seen.request == fingerprint else {
                throw Problem(.unprocessableContent, "idempotency-key-reused", "this Idempotency-Key was used for another request", field: "Idempotency-Key")
            }
            guard seen.status > 0 else {
                throw Problem(.conflict, "idempotency-key-in-progress", "a request with this Idempotency-Key is still running; retry later", field: "Idempotency-Key")
            }
            let status = HTTPResponse.Status(code: seen.status)
            var headers: HTTPFields = [.idempotentReplayed: "true"]
            if let type = seen.contentType { headers[.contentType] = type }
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: seen.body)))
        }
        var replayable = request
        replayable.body = .init(buffer: body)
        let response: Response
        do {
            response = try await next(replayable, context)
        } catch {
            let problem = Problem.from(error)
            if problem.status.code >= 500 {
                try? await engine.store.completeIdempotencyKey(key, actor: actor, status: -1, contentType: nil, body: Data())
                throw error
            }
            response = problem.response()
        }
        var answer = response
        let captured = try await Self.collect(&answer)
        if response.status.code >= 500 {
            try? await engine.store.completeIdempotencyKey(key, actor: actor, status: -1, contentType: nil, body: Data())
        } else if response.headers[.cacheControl]?.contains("no-store") == true {
            let withheld = Problem(.conflict, "idempotent-answer-withheld",
                                   "the first request with this Idempotency-Key succeeded (\(response.status.code)), but its answer held a secret, which the server does not keep; list the resources to find what it created")
            var kept = withheld.response()
            try await engine.store.completeIdempotencyKey(key, actor: actor, status: Int(withheld.status.code),
                                                          contentType: kept.headers[.contentType], body: try await Self.collect(&kept))
        } else {
            try await engine.store.completeIdempotencyKey(key, actor: actor, status: Int(response.status.code),
                                                          contentType: response.headers[.contentType], body: captured)
        }
        return answer
    }

    /// Reads a response's body and puts it back, so it can be both kept and sent.
    static func collect(_ response: inout Response) async throws -> Data {
        let box = Collected()
        try await response.body.write(CollectingWriter(box: box))
        response.body = .init(byteBuffer: box.buffer)
        return Data(box.buffer.readableBytesView)
    }

    final class Collected: @unchecked Sendable {
        var buffer = ByteBuffer()
    }

    struct CollectingWriter: ResponseBodyWriter {
        let box: Collected
        mutating func write(_ buffer: ByteBuffer) async throws {
            var buffer = buffer
            box.buffer.writeBuffer(&buffer)
        }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}
