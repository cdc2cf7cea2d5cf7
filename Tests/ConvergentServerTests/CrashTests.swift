import ConvergentApp
import ConvergentDomain
import ConvergentEngine
import ConvergentPostgres
import ConvergentStore
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// the crash test. Real `convergent serve` processes fulfil a batch of orders and are
/// killed with SIGKILL at random moments, then restarted; the result must equal a run without
/// crashes. Sizes come from CONVERGENT_CRASH_ORDERS, CONVERGENT_CRASH_KILLS and
/// CONVERGENT_CRASH_SEED (printed, to replay a failure).
@Suite("R-14 with real convergent processes: SIGKILL while fulfilling, two nodes on one PostgreSQL", .serialized)
struct CrashTests {
    static var binary: URL? {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [here.appendingPathComponent("convergent"), here.deletingLastPathComponent().appendingPathComponent("convergent"),
                          URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/convergent")]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func environment(_ name: String) -> Int? { ProcessInfo.processInfo.environment[name].flatMap(Int.init) }

    /// Starts `convergent` with `arguments`, its output discarded or written to `log`.
    static func start(_ binary: URL, _ arguments: [String], log: URL? = nil) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        if let log {
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
        } else {
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
        }
        var environment = ProcessInfo.processInfo.environment
        environment["CONVERGENT_ADMIN_TOKEN"] = "crash-test"
        process.environment = environment
        try process.run()
        return process
    }

    /// Waits until a server answers `/health` (at most 30 s).
    static func healthy(port: Int) async -> Bool {
        for _ in 0..<150 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!),
               (response as? HTTPURLResponse)?.statusCode == 200 { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    static func state(of path: String) async throws -> (orders: [String: OrderStatus], contracts: [InstalledContract], failedJobs: Int) {
        let store = try await StoreFactory.open(path)
        let orders = try await store.everything(Order.self, filter: RecordFilter())
        let contracts = try await store.everything(InstalledContract.self, filter: RecordFilter()).map(\.value)
        let failed = try await store.everything(Job.self, filter: RecordFilter(equals: ["status": JobStatus.failed.rawValue])).count
        try await store.close()
        return (Dictionary(uniqueKeysWithValues: orders.map { ($0.value.id, $0.value.status) }), contracts.sorted { $0.id < $1.id }, failed)
    }

    @Test("R-14, R-15.4: two convergent serve processes on one PostgreSQL database share the job table; every job runs once",
          .enabled(if: ProcessInfo.processInfo.environment["CONVERGENT_TEST_POSTGRES_URL"] != nil))
    func twoServersOnePostgres() async throws {
        let binary = try #require(Self.binary, "the convergent executable is built next to the tests (swift build builds it)")
        let base = ProcessInfo.processInfo.environment["CONVERGENT_TEST_POSTGRES_URL"]!
        let schema = "nodes_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(12)
        let url = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
        let engine = Engine(store: try await StoreFactory.open(url))
        _ = try await engine.loadDemo()
        var servers: [Process] = []
        for port in [Int.random(in: 20_000..<30_000), Int.random(in: 30_000..<40_000)] {
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("node-\(port).log")
            servers.append(try Self.start(binary, ["serve", "--database", url, "--no-demo", "--port", "\(port)", "--job-interval", "0.05",
                                                   "--job-batch", "2", "--provisioning-delay", "0.3"], log: log))
            let up = await Self.healthy(port: port)
            #expect(up, "server on port \(port) did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
        }
        // Both servers run; the orders are submitted now, so their jobs fall due with both polling.
        var ids: [String] = []
        for _ in 0..<(Self.environment("CONVERGENT_NODES_ORDERS") ?? 16) { ids.append(try await PipelineBenchmark.submitOne(engine: engine).order) }
        var done = false
        for _ in 0..<120 where !done {
            try await Task.sleep(for: .milliseconds(500))
            let open = try await engine.store.all(Order.self, where: ["status": OrderStatus.inFulfillment.rawValue], limit: 1)
                + engine.store.all(Order.self, where: ["status": OrderStatus.submitted.rawValue], limit: 1)
            done = open.isEmpty
        }
        for server in servers {
            server.terminate() // SIGTERM: graceful shutdown
            server.waitUntilExit()
        }
        #expect(done)
        let jobs = try await engine.store.everything(Job.self, filter: RecordFilter(equals: ["status": JobStatus.done.rawValue])).map(\.value)
        #expect(!jobs.isEmpty && jobs.allSatisfy { $0.attempts == 1 }, "a job was claimed twice")
        #expect(try await engine.store.everything(Job.self, filter: RecordFilter(equals: ["status": JobStatus.failed.rawValue])).isEmpty)
        var workers: Set<String> = []
        for id in ids {
            let order = try #require(try await engine.store.get(Order.self, id: id)).value
            #expect(order.status == .completed)
            let messages = try await engine.store.everything(ProvisioningMessage.self, filter: RecordFilter(equals: ["order_id": id])).map(\.value)
            #expect(!messages.isEmpty && messages.allSatisfy { $0.attempts == 1 && $0.status == .completed })
            for message in messages {
                let history = try await engine.store.history(.provisioningMessage, id: message.id)
                #expect(history.filter { $0.reason == "provisioning message" }.count == 1, "\(message.id) was sent twice")
                #expect(history.filter { $0.reason == "provisioning answer" }.count == 1, "\(message.id): an answer was applied twice")
                workers.formUnion(history.map(\.actor).filter { $0.hasPrefix("jobs:") })
            }
            workers.formUnion(try await engine.store.history(.order, id: id).map(\.actor).filter { $0.hasPrefix("jobs:") })
        }
        #expect(workers.count == 2, "both servers took jobs: \(workers)")
        let contracts = try await engine.store.everything(InstalledContract.self, filter: RecordFilter()).map(\.value)
        #expect(ids.allSatisfy { id in contracts.contains { $0.id == "IC-\(id)-1" && $0.status == .active } })
        try await (engine.store as? PostgresStore)?.unsafeExecute("DROP SCHEMA \(schema) CASCADE")
        try await engine.store.close()
    }

    @Test("R-14, R-7.3: servers killed with SIGKILL at random moments while fulfilling; after restarts every order is completed, the installed base equals a run without crashes, nothing duplicated")
    func killedWhileFulfilling() async throws {
        let binary = try #require(Self.binary, "the convergent executable is built next to the tests (swift build builds it)")
        let count = Self.environment("CONVERGENT_CRASH_ORDERS") ?? 12
        let kills = Self.environment("CONVERGENT_CRASH_KILLS") ?? 4
        let seed = UInt64(Self.environment("CONVERGENT_CRASH_SEED") ?? Int(Date().timeIntervalSince1970) % 100_000)
        print("crash test: \(count) orders, \(kills) kills, CONVERGENT_CRASH_SEED=\(seed)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let crashed = folder.appendingPathComponent("crashed.sqlite").path, reference = folder.appendingPathComponent("reference.sqlite").path

        // A batch of submitted orders, copied: one copy is fulfilled without crashes.
        let engine = Engine(store: try await StoreFactory.open(crashed))
        _ = try await engine.loadDemo()
        var ids: [String] = []
        for _ in 0..<count { ids.append(try await PipelineBenchmark.submitOne(engine: engine).order) }
        try await engine.store.close()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: crashed + suffix) {
            try FileManager.default.copyItem(atPath: crashed + suffix, toPath: reference + suffix)
        }
        let calm = Engine(store: try await StoreFactory.open(reference))
        _ = try await JobRunner(engine: calm, worker: "reference").runDue(now: Date())
        try await calm.store.close()

        // Servers fulfil the other copy and are killed at random moments.
        var random = SeededRandom(seed: seed)
        for _ in 0..<kills {
            let port = 20_000 + Int(random.next() % 20_000)
            let server = try Self.start(binary, ["serve", "--database", crashed, "--no-demo", "--port", "\(port)", "--job-interval", "0.05", "--job-claim", "1",
                                                   "--provisioning-delay", "1.5"])
            // Killed a random moment after it serves (a loaded machine may take a while to start it).
            #expect(await Self.healthy(port: port))
            try await Task.sleep(for: .milliseconds(150 + Int(random.next() % 900)))
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            #expect(server.terminationReason == .uncaughtSignal)
        }
        // Restarted: the jobs the dead servers held are taken over once their claims run out.
        var after = try await Self.state(of: crashed)
        // The servers did work before they died (else this test would prove nothing).
        let progressed = ids.filter { after.orders[$0] != .submitted }.count
        print("crash test: after the kills \(progressed) of \(count) orders had started, \(ids.filter { after.orders[$0] == .completed }.count) completed")
        #expect(progressed > 0)
        for _ in 0..<20 where !ids.allSatisfy({ after.orders[$0] == .completed }) {
            try await Task.sleep(for: .milliseconds(1_100))
            let run = try Self.start(binary, ["jobs", "run", "--database", crashed, "--job-claim", "1", "--provisioning-delay", "1.5"])
            run.waitUntilExit()
            #expect(run.terminationStatus == 0)
            after = try await Self.state(of: crashed)
        }
        let expected = try await Self.state(of: reference)
        #expect(ids.allSatisfy { expected.orders[$0] == .completed })
        #expect(ids.filter { after.orders[$0] != .completed }.isEmpty, "seed \(seed)")
        #expect(after.orders == expected.orders)
        #expect(after.failedJobs == 0)
        // The same installed base, and no installed product twice.
        #expect(after.contracts.map(\.id) == expected.contracts.map(\.id))
        #expect(after.contracts == expected.contracts, "seed \(seed)")
        let products = after.contracts.flatMap { $0.root.all.map(\.id) }
        #expect(Set(products).count == products.count)
        #expect(after.contracts.count == expected.contracts.count)
    }
}
