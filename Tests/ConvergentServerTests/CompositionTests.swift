import AsyncHTTPClient
import Configuration
import ConvergentApp
import ConvergentDomain
import ConvergentEngine
import ConvergentPostgres
import ConvergentServer
import ConvergentStore
import Foundation
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Synchronization
import Testing

/// Records every configuration read.
final class ReadLog: AccessReporter {
    let events = Mutex<[AccessEvent]>([])
    func report(_ event: AccessEvent) { events.withLock { $0.append(event) } }
}

@Suite("R-15.1 one composition root: configuration through swift-configuration, the service group serve runs")
struct CompositionTests {
    @Test("R-15.3, R-15.4: serve's configuration — the command line wins over the environment, the environment over the defaults")
    func precedence() throws {
        let configuration = try AppConfiguration(reader: AppConfiguration.reader(
            commandLine: ["port": "9001", "job.interval": "0.5", "provisioning.url": .stringArray(["NETWORK=http://127.0.0.1:9/n"])],
            environment: ["CONVERGENT_PORT": "9000", "CONVERGENT_HOST": "0.0.0.0", "CONVERGENT_JOB_BATCH": "7",
                          "CONVERGENT_PROVISIONING_SECRET": "s3cret", "CONVERGENT_CLOCK": "test", "CONVERGENT_CLOCK_START": "2027-01-02"]))
        #expect(configuration.server.port == 9001)
        #expect(configuration.server.host == "0.0.0.0")
        #expect(configuration.jobInterval == 0.5)
        #expect(configuration.jobBatch == 7)
        #expect(configuration.jobClaim == 300)
        #expect(configuration.server.provisioningSecret == "s3cret")
        #expect(configuration.provisioning.adapters.keys.sorted() == ["NETWORK"])
        #expect(configuration.engineClock.now() >= Day("2027-01-02")!.startDate)
        let defaults = try AppConfiguration(reader: AppConfiguration.reader(environment: [:]))
        #expect(defaults.database == "./convergent.sqlite" && defaults.server.port == 8080 && defaults.loadDemo && defaults.jobBatch == 20)
    }

    @Test("R-15.3: a malformed or out-of-range setting is refused with the option and the variable named, never replaced by the default",
          arguments: [
              (["CONVERGENT_PORT": "eighty"], "--port (CONVERGENT_PORT) is a whole number from 0 to 65535, got 'eighty'"),
              (["CONVERGENT_JOB_INTERVAL": "-1"], "--job-interval (CONVERGENT_JOB_INTERVAL) is a number from 0 to 86400, got '-1'"),
              (["CONVERGENT_CLOCK": "sundial"], "--clock (CONVERGENT_CLOCK) is system or test, not 'sundial'"),
              (["CONVERGENT_CLOCK_START": "2027-01-02"], "--clock-start (CONVERGENT_CLOCK_START) goes with a test clock (--clock test)"),
              (["CONVERGENT_DEMO": "maybe"], "--demo (CONVERGENT_DEMO) is true or false, got 'maybe'"),
              (["CONVERGENT_PROVISIONING_URL": "NETWORK=http://x/n"],
               "--provisioning-url (CONVERGENT_PROVISIONING_URL) provisioning URLs need CONVERGENT_PROVISIONING_SECRET to sign messages and check callbacks"),
          ])
    func refused(environment: [String: String], message: String) {
        #expect(throws: ConfigurationProblem.self) { try AppConfiguration(reader: AppConfiguration.reader(environment: environment)) }
        do {
            _ = try AppConfiguration(reader: AppConfiguration.reader(environment: environment))
        } catch {
            #expect(error.description == message)
        }
    }

    @Test("R-2.4, R-15.3: the database URL, the administrator token and the provisioning secret are read as secrets; what is reported of a read never shows them")
    func secrets() throws {
        let log = ReadLog()
        let configuration = try AppConfiguration(reader: AppConfiguration.reader(
            commandLine: ["database": "postgres://convergent:pa55word@db:5432/convergent"],
            environment: ["CONVERGENT_ADMIN_TOKEN": "admin-t0ken", "CONVERGENT_PROVISIONING_SECRET": "callback-s3cret", "CONVERGENT_HOST": "10.0.0.1"],
            accessReporter: log))
        #expect(configuration.adminToken == "admin-t0ken")
        #expect(configuration.databaseDisplayName == "postgres://convergent:***@db:5432/convergent")
        let events = log.events.withLock { $0 }
        func value(_ key: String) -> ConfigValue? {
            events.first { $0.metadata.key.components == ["convergent"] + key.split(separator: ".").map(String.init) }
                .flatMap { try? $0.result.get() }
        }
        for key in ["database", "admin.token", "provisioning.secret"] {
            #expect(value(key)?.isSecret == true, "\(key) is a secret")
        }
        #expect(value("host")?.isSecret == false)
        let reported = events.map(\.description).joined(separator: "\n")
        for secret in ["pa55word", "admin-t0ken", "callback-s3cret"] { #expect(!reported.contains(secret)) }
        #expect(reported.contains("10.0.0.1"))
    }

    @Test("R-15.1: buildServiceGroup — the group serve runs migrates, loads the demo data and makes the administrator, serves, runs the worker and shuts down gracefully", arguments: TestBackend.available)
    func serviceGroup(backend: TestBackend) async throws {
        let port = Int.random(in: 20_000..<40_000)
        let database: String
        var dropSchema: (@Sendable () async throws -> Void)?
        switch backend {
        case .sqlite: database = FileManager.default.temporaryDirectory.appendingPathComponent("group-\(UUID().uuidString).sqlite").path
        case .postgres:
            let url = ProcessInfo.processInfo.environment["CONVERGENT_TEST_POSTGRES_URL"]!
            let schema = "group_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
            database = url + "&schema=" + schema
            dropSchema = {
                let dropper = try PostgresStore(url: url, schema: schema)
                try await dropper.unsafeExecute("DROP SCHEMA \(schema) CASCADE")
                try await dropper.close()
            }
        }
        defer { if let dropSchema { Task { try await dropSchema() } } }
        let reports = Mutex<[String]>([])
        let (group, system) = try buildServiceGroup(
            AppConfiguration(database: database, server: ServerConfiguration(port: port), adminToken: "group-admin", jobInterval: 0.2, workerName: "group-test"),
            report: { line in reports.withLock { $0.append(line) } })
        let running = Task { try await group.run() }
        var health: HTTPClientResponse?
        for _ in 0..<100 {
            health = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(2))
            if health?.status == .ok { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(health?.status == .ok)
        var customers = HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/customers?limit=1")
        customers.headers.add(name: "Authorization", value: "Bearer group-admin")
        let listed = try await HTTPClient.shared.execute(customers, timeout: .seconds(5))
        #expect(listed.status == .ok, "the administrator from the configuration exists")
        #expect(String(buffer: try await listed.body.collect(upTo: 1 << 20)).contains("CUST-"), "the demo customers are loaded")
        // The worker runs rounds: its metrics appear.
        var sawRounds = false
        for _ in 0..<50 where !sawRounds {
            let metrics = try await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/metrics"), timeout: .seconds(5))
            sawRounds = String(buffer: try await metrics.body.collect(upTo: 1 << 22)).contains("convergent_jobs_due")
            if !sawRounds { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(sawRounds)
        #expect(reports.withLock { $0 }.contains { $0.hasPrefix("Loaded the demo catalog") })
        await group.triggerGracefulShutdown()
        try await running.value
        // The store service closed the store last: the database is no longer served.
        let after = try? await HTTPClient.shared.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health"), timeout: .seconds(2))
        #expect(after == nil)
        if backend == .sqlite {
            await #expect(throws: (any Error).self) { try await system.engine.store.appliedMigrations() }
        }
    }
}
