import ConvergentStore
import Foundation
import Hummingbird
import NIOCore

/// Reading JSON bodies and writing JSON responses, the same way everywhere.
enum JSONIO {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }()

    static let decoder = JSONDecoder()

    /// The body decoded as `T`; problems for an oversize body (413), bad JSON (400) and bad fields (422).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = Limits.jsonBodyBytes) async throws -> T {
        let buffer = try await body(of: request, limit: limit)
        guard buffer.readableBytes > 0 else { throw Problem(.badRequest, "empty-body", "the request needs a JSON body") }
        return try decoder.decode(T.self, from: Data(buffer.readableBytesView))
    }

    static func body(of request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw Problem(.contentTooLarge, "body-too-large", "the body is \(length) bytes; at most \(limit) are accepted")
        }
        // A chunked body has no Content-Length: it is read up to the limit and refused past it.
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw Problem(.contentTooLarge, "body-too-large", "the body is larger than \(limit) bytes")
        } catch is NIOTooManyBytesError {
            throw Problem(.contentTooLarge, "body-too-large", "the body is larger than \(limit) bytes")
        }
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }
}

extension Request {
    /// The version in `If-Match` (`"3"` or `3`), if any.
    func expectedVersion() throws -> Int? {
        guard let raw = headers[.ifMatch] else { return nil }
        let trimmed = raw.trimmingCharacters(in: CharacterSet(charactersIn: "\" W/"))
        guard let version = Int(trimmed) else {
            throw Problem(.badRequest, "invalid-if-match", "If-Match should hold the version number, e.g. \"3\"", field: "If-Match")
        }
        return version
    }

    func query(_ name: String) -> String? { uri.queryParameters.get(name) }

    /// A query parameter naming a case of a string enum (status, kind, …); an unknown one is a 422.
    func enumParameter<T: RawRepresentable>(_ name: String, _: T.Type) throws -> T? where T.RawValue == String {
        guard let text = query(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw Problem(.unprocessableContent, "invalid-parameter", "\(name) '\(text)' is not known", field: name)
        }
        return value
    }

    func dayParameter(_ name: String) throws -> Day? {
        guard let text = query(name) else { return nil }
        guard let day = Day(text) else { throw Problem(.unprocessableContent, "invalid-parameter", "\(name) should be a date as YYYY-MM-DD, got '\(text)'", field: name) }
        return day
    }

    func limitParameter(default value: Int = 50, max: Int = 500) throws -> Int {
        guard let text = query("limit") else { return value }
        guard let limit = Int(text), (1...max).contains(limit) else {
            throw Problem(.unprocessableContent, "invalid-parameter", "limit should be a whole number from 1 to \(max)", field: "limit")
        }
        return limit
    }
}

import ConvergentDomain

extension AppRequestContext {
    /// A path parameter, percent-decoded: an id holding a `/` (a provisioning message,
    /// `<order>/<system>`) is addressed as `COM000001%2FNETWORK`.
    func parameter(_ name: String) throws -> String {
        guard let value = parameters.get(name) else { throw Problem(.unprocessableContent, "missing-parameter", "missing path parameter \(name)") }
        return value.removingPercentEncoding ?? value
    }
}
