import ConvergentApp
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import Testing

@Suite("Engine: demo data, bootstrap, storage start-up, benchmark workload")
struct EngineTests {
    func engine() async throws -> (Engine, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString).sqlite").path
        return (Engine(store: try await StoreFactory.open(path), clock: FixedClock(Day("2026-11-22")!.startDate)), path)
    }

    @Test("R-1.13: the demo loads into an empty database only, with its catalog active")
    func demo() async throws {
        let (engine, _) = try await engine()
        #expect(try await engine.loadDemo())
        #expect(try await engine.loadDemo() == false)
        #expect(try await engine.catalogs.active(on: Day("2026-11-22")!).catalog.header.version == "2026.1")
        #expect(try await engine.store.all(Customer.self).count == 5)
        #expect(try await engine.store.history(.customer, id: "CUST-ACME").first?.reason == "demo data")
        try await engine.store.close()
    }

    @Test("R-2.4: the administrator token is generated once, or set from CONVERGENT_ADMIN_TOKEN")
    func bootstrap() async throws {
        let (engine, _) = try await engine()
        let secret = try #require(try await engine.access.bootstrapAdministrator(token: nil, context: engine.context("system")))
        #expect(try await engine.access.authenticate(secret).role == .administrator)
        #expect(try await engine.access.bootstrapAdministrator(token: nil, context: engine.context("system")) == nil) // not again
        _ = try await engine.access.bootstrapAdministrator(token: "chosen", context: engine.context("system"))
        #expect(try await engine.access.authenticate("chosen").id == "admin")
        await #expect(throws: EngineError.self) { try await engine.access.authenticate(secret) } // replaced
        try await engine.store.close()
    }

    @Test("A PostgreSQL URL that cannot be reached fails start-up with a clear error, not a hang")
    func badDatabase() async throws {
        do {
            _ = try await StoreFactory.open("postgres://nobody:x@127.0.0.1:1/none?sslmode=disable")
            Issue.record("opened an unreachable database")
        } catch let error as StoreError {
            #expect(error.code == .unavailable)
        }
        await #expect(throws: StoreError.self) { try await StoreFactory.open("postgres://") }
    }

    @Test("bench pipeline: orders go through create, session, verify and submit; the run reports every figure")
    func pipelineWorkload() async throws {
        let (engine, _) = try await engine()
        try await engine.loadDemo() // as `convergent bench pipeline` does on an empty database
        let result = try await PipelineBenchmark.run(engine: engine, orders: 3)
        #expect(result.components_per_order >= 20)
        #expect(result.orders_per_s > 0 && result.raw_orders_per_s > 0 && result.ratio > 0)
        #expect(try await engine.store.all(Order.self, where: ["status": "submitted"]).count == 3)
        try await engine.store.close()
    }

    @Test("bench commitments: the load gives 5 % violated by an ended product and 10 % elapsed, and the daily run finds exactly those; it times each step of a change")
    func commitmentsWorkload() async throws {
        let (engine, _) = try await engine()
        let result = try await CommitmentBenchmark.run(engine: engine, contracts: 400)
        #expect(result.checked == 60) // only the commitments that change are read
        #expect(result.violated == 20 && result.expired == 40)
        #expect(result.run_s > 0 && result.peak_rss_mb > 0)
        // Each step of a change is timed over the versions the run read and wrote.
        let steps = result.per_change_us
        #expect(steps.decode > 0 && steps.judge > 0 && steps.encode > 0 && steps.history_entry > 0)
        #expect(try await engine.store.all(CommitmentContract.self, where: ["status": "active"]).count == 340)
        try await engine.store.close()
    }

    @Test("bench verify workload: the synthetic catalog is valid and the run reports every figure")
    func benchmarkWorkload() throws {
        let catalog = VerifyBenchmark.syntheticCatalog(rules: 200)
        #expect(CatalogIntegrity.problems(in: catalog).isEmpty)
        let index = CatalogIndex(catalog)
        let configuration = try VerifyBenchmark.syntheticConfiguration(components: 500, catalog: index)
        #expect(configuration.instanceCount >= 500)
        let result = VerifyBenchmark.run(configuration: configuration, iterations: 3)
        #expect(result.rules == 200)
        #expect(result.verify_median_ms > 0)
        #expect(result.reverify_median_ms > 0)
    }
}
