import ConvergentApp
import ConvergentDomain
import ConvergentEngine
import ConvergentPostgres
import ConvergentServer
import ConvergentSQLite
import ConvergentStore
import Foundation
import Hummingbird
import Logging
import HummingbirdTesting
import Prometheus
import ServiceLifecycle
import Testing

let adminToken = "test-admin-token"

/// The databases API tests run on: SQLite always, PostgreSQL when `CONVERGENT_TEST_POSTGRES_URL`
/// is set (CI sets it).
enum TestBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [TestBackend] {
        ProcessInfo.processInfo.environment["CONVERGENT_TEST_POSTGRES_URL"] == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    var testDescription: String { rawValue }
}

/// A server on a fresh database (a new SQLite file, or a new PostgreSQL schema) with the demo
/// data, a fixed clock and a known admin token, composed by `ConvergentSystem` as `serve` is:
/// its services (the store, migrations, demo data) run in the background from `make` to the end
/// of `run`; `run` drives its HTTP application.
struct TestApp {
    let system: ConvergentSystem
    let background: ServiceGroup
    let running: Task<Void, any Error>
    let cleanUp: @Sendable () async throws -> Void
    /// Opens another store on the same database (a second node).
    let openAnother: @Sendable () async throws -> any ConvergentStore

    var engine: Engine { system.engine }

    static func make(_ backend: TestBackend = .sqlite, clock: (any ConvergentClock)? = nil, provisioning: ProvisioningSetup = ProvisioningSetup(),
                     provisioningSecret: String? = nil, sessionCacheCapacity: Int = 512, port: Int = 8080) async throws -> TestApp {
        let database: String
        let cleanUp: @Sendable () async throws -> Void
        switch backend {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(UUID().uuidString).sqlite").path
            database = path
            cleanUp = { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        case .postgres:
            let url = ProcessInfo.processInfo.environment["CONVERGENT_TEST_POSTGRES_URL"]!
            let schema = "api_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            // Four connections a test server: the whole suite's servers at once stay within the
            // server's max_connections (.ci/run sets 300), as a cluster's nodes must (docs/fulfillment.md).
            database = url + (url.contains("?") ? "&" : "?") + "schema=\(schema)&pool=4"
            cleanUp = {
                let dropper = try PostgresStore(url: url, schema: String(schema))
                try await dropper.unsafeExecute("DROP SCHEMA \(schema) CASCADE")
                try await dropper.close()
            }
        }
        let configuration = AppConfiguration(
            database: database, server: ServerConfiguration(port: port, provisioningSecret: provisioningSecret),
            clock: .given(clock ?? FixedClock(Day("2026-11-22")!.startDate.addingTimeInterval(36_000))), adminToken: adminToken,
            jobInterval: 0, workerName: "tests", provisioning: provisioning, sessionCacheCapacity: sessionCacheCapacity)
        let system = try ConvergentSystem.build(configuration)
        let background = ServiceGroup(configuration: .init(services: system.services, logger: Logger(label: "tests")))
        let running = Task { try await background.run() }
        do {
            try await system.ready()
        } catch {
            await background.triggerGracefulShutdown()
            _ = await running.result
            try? await cleanUp()
            throw error
        }
        return TestApp(system: system, background: background, running: running, cleanUp: cleanUp,
                       openAnother: { try await StoreFactory.open(database) })
    }

    func run(_ mode: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let outcome: Result<Void, any Error>
        do {
            try await system.application().test(mode, body)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        // The store service closes the store when its group shuts down.
        await background.triggerGracefulShutdown()
        let stopped = await running.result
        try? await cleanUp()
        try outcome.get()
        try stopped.get()
    }
}

struct Reply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:] }
    var array: [[String: Any]] { (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] ?? [] }
    /// The items of a page (`{"items": [...], "nextCursor": ...}`).
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
    var code: String? { json["code"] as? String }
    /// R-16.3: the reasons of a refusal (`not-eligible`, `plan-migration-blocked`, …).
    var reasons: [[String: Any]] { json["reasons"] as? [[String: Any]] ?? [] }
    var reasonCodes: [String] { reasons.compactMap { $0["code"] as? String } }
}

extension TestClientProtocol {
    func call(_ method: HTTPRequest.Method, _ uri: String, token: String? = adminToken, json: String? = nil, yaml: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = headers[.contentType] ?? "application/json"
            body = ByteBuffer(string: json)
        }
        if let yaml {
            headers[.contentType] = headers[.contentType] ?? "application/yaml"
            body = ByteBuffer(string: yaml)
        }
        let reply = try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
        // R-15.1: every response is what the contract says (operation, status, media type, body).
        for problem in await ContractChecker.shared.problems(method: method, path: uri, status: reply.status.code,
                                                             contentType: reply.headers[.contentType], body: reply.text) {
            Issue.record("contract: \(problem)")
        }
        return reply
    }

    /// Issues a token for the demo agent.
    func agentToken() async throws -> String {
        let reply = try await call(.post, "/api/v1/users/agent/tokens", json: #"{"label": "tests"}"#)
        return reply.json["secret"] as! String
    }
}
