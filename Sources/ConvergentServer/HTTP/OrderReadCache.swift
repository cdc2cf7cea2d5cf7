import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import OpenAPIRuntime
import Synchronization

/// Single order reads (`getOrder`), per node: the bytes the generated server wrote for an order's
/// answer, kept until something the answer shows changes — the order (its version), one of its
/// provisioning messages (their versions, an index read), a catalog version uploaded or
/// activated (theirs), or the day. A read checks those — a record read and two index reads — and
/// answers the bytes it kept instead of decoding the order, pricing it and encoding it again. A
/// parent order (whose answer shows its children's statuses now) is not kept. It sits in the
/// generated server's middleware chain, so what it answers is what the operation answered; a
/// request it does not serve from the cache (no permission, an `Accept` without JSON, an order
/// not found) goes to the operation as it is.
final class OrderReadCache: ServerMiddleware, Sendable {
    struct Entry: Sendable {
        var key: String
        var started: Bool
        var messages: String
        var contentType: String
        var body: [UInt8]
    }

    let engine: Engine
    private let entries = Mutex<[String: Entry]>([:])
    let capacity: Int

    init(engine: Engine, capacity: Int = 1024) {
        self.engine = engine
        self.capacity = capacity
    }

    func intercept(_ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
                   next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
        guard operationID == Operations.GetOrder.id, RequestUser.current?.may(.manageCustomers) == true,
              request.headerFields[.accept].map({ $0.contains("json") || $0.contains("*/*") }) ?? true,
              let raw = metadata.pathParameters["id"], case let id = String(raw).removingPercentEncoding ?? String(raw),
              let record = try await engine.store.load(.order, id: id) else {
            return try await next(request, body, metadata)
        }
        let key = "\(record.version)|\(engine.today)|" + (try await engine.catalogs.versionStamp())
        func messages() async throws -> String {
            try await engine.store.listVersions(.provisioningMessage, filter: RecordFilter(equals: ["order_id": id]), after: nil, limit: 1000)
                .map { "\($0.id)@\($0.version)" }.joined(separator: ",")
        }
        if let entry = entries.withLock({ $0[id] }), entry.key == key {
            let unchanged = entry.started ? try await messages() == entry.messages : true
            if unchanged { return Self.answer(entry.contentType, entry.body) }
        }
        // Read what the answer depends on before it is built: should it change meanwhile, the
        // answer kept is newer than its key, and the next read sees a different key anyway.
        let order = try Versioned<Order>(decoding: record)
        let started = order.value.fulfillment?.startedAt != nil
        let messageKey = started ? try await messages() : ""
        let (response, answer) = try await next(request, body, metadata)
        guard response.status == .ok, let answer, order.value.children.isEmpty else { return (response, answer) }
        let bytes = try await [UInt8](collecting: answer, upTo: .max)
        let contentType = response.headerFields[.contentType] ?? "application/json"
        entries.withLock { all in
            if all.count >= capacity, all[id] == nil, let evicted = all.keys.randomElement() { all[evicted] = nil }
            all[id] = Entry(key: key, started: started, messages: messageKey, contentType: contentType, body: bytes)
        }
        return Self.answer(contentType, bytes)
    }

    static func answer(_ contentType: String, _ bytes: [UInt8]) -> (HTTPResponse, HTTPBody?) {
        (HTTPResponse(status: .ok, headerFields: [.contentType: contentType]), HTTPBody(bytes))
    }
}
