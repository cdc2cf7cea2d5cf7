import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentSQLite
import ConvergentStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

let adminToken = "test-admin-token"

/// A server on a fresh SQLite file with the demo data, a fixed clock and a known admin token.
struct TestApp {
    let engine: Engine
    let path: String

    static func make() async throws -> TestApp {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(UUID().uuidString).sqlite").path
        let engine = Engine(store: try await StoreFactory.open(path), clock: FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000)))
        try await engine.loadDemo()
        _ = try await engine.access.bootstrapAdministrator(token: adminToken, context: engine.context("system"))
        return TestApp(engine: engine, path: path)
    }

    func run(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = buildApplication(engine: engine, configuration: ServerConfiguration())
        try await app.test(.router, body)
        try await engine.store.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}

struct Reply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? [] }
    var code: String? { json["code"] as? String }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = adminToken, json: String? = nil, yaml: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        if let yaml {
            headers[.contentType] = "application/yaml"
            body = ByteBuffer(string: yaml)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    /// Issues a token for the demo agent.
    func agentToken() async throws -> String {
        let reply = try await call(.post, "/api/v1/users/agent/tokens", json: #"{"label": "tests"}"#)
        return reply.json["secret"] as! String
    }
}
