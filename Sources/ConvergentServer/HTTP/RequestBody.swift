import Foundation
import Hummingbird
import NIOCore

/// Reading a request body whole, the same way everywhere a middleware needs it.
enum RequestBody {
    /// The body, at most `limit` bytes (413 past it: by its Content-Length, or, chunked, as it is read).
    static func collect(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem(.contentTooLarge, "body-too-large", "the body is \(length) bytes; at most \(limit) are accepted")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, "body-too-large", "the body is larger than \(limit) bytes")
        } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, "body-too-large", "the body is larger than \(limit) bytes")
        }
    }
}
