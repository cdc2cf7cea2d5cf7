import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentStore
import Foundation
import HTTPTypes
import Prometheus
import Testing

@Suite("R-14 typed jobs: kinds with parameters and handlers, run concurrently, each on its own, with metrics")
struct JobTests {
    static let start = Day("2026-11-22")!.startDate.addingTimeInterval(36_000)

    @Test("R-14: a job no handler knows, or whose parameters do not decode, fails on its own — retried with backoff — while the other jobs of its batch run; a job written before kinds had parameters (its subject says it all) still runs", arguments: TestBackend.available)
    func failuresStayWithTheirJob(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            try await submitHomeOrder(client, number: 1)
            try await submitHomeOrder(client, number: 2)
            let now = clock.now()
            let context = app.engine.context("test")
            // Each order's fulfillment job carries its parameters; a job as the previous release wrote
            // it (kind and subject only) runs beside COM000002's.
            let written = try await app.engine.store.everything(Job.self, filter: RecordFilter(equals: ["subject": "COM000002"]))
            #expect(written.count == 1 && written.first?.value.parameters == #"{"order":"COM000002"}"#)
            try await app.engine.store.commit([
                try .insert(Job(id: "J-legacy", kind: .fulfillOrder, subject: "COM000002", dueAt: now)),
                try .insert(Job(id: "J-unknown", kind: JobKind(rawValue: "noSuchKind"), subject: "x", dueAt: now)),
                try .insert(Job(id: "J-garbled", kind: .sendProvisioning, subject: "COM000001/NETWORK", dueAt: now, parameters: #"{"message": 7}"#)),
            ], context: context)
            let outcomes = try await JobRunner(engine: app.engine, worker: "test").runDue(now: now)
            let byID = Dictionary(uniqueKeysWithValues: outcomes.map { ($0.job, $0) })
            #expect(byID["J-legacy"]?.status == .done)
            #expect(byID["J-unknown"]?.status == .pending && byID["J-unknown"]?.outcome?.contains("no handler for job kind 'noSuchKind'") == true)
            #expect(byID["J-garbled"]?.status == .pending)
            for id in ["COM000001", "COM000002"] {
                #expect(try await client.call(.get, "/api/v1/orders/\(id)").json["status"] as? String == "completed", "\(id)")
            }
            // Retried with backoff, then failed after the last attempt: visible in the jobs list.
            for minutes in [1, 2, 4, 8] {
                clock.set(clock.now().addingTimeInterval(Double(minutes * 60)))
                _ = try await JobRunner(engine: app.engine, worker: "test").runDue(now: clock.now())
            }
            let failed = try await client.call(.get, "/api/v1/jobs?status=failed").items.compactMap { $0["id"] as? String }
            #expect(Set(failed) == ["J-unknown", "J-garbled"])
            #expect(try await client.call(.get, "/api/v1/jobs?kind=noSuchKind").code == "invalid-parameter")
        }
    }

    @Test("R-14: the jobs of a batch run at the same time (four at once by default), each order completed once", arguments: TestBackend.available)
    func concurrentBatch(backend: TestBackend) async throws {
        let clock = FixedClock(Self.start)
        let app = try await TestApp.make(backend, clock: clock)
        try await app.run { client in
            for number in 1...6 { try await submitHomeOrder(client, number: number) }
            let registry = PrometheusCollectorRegistry()
            let runner = JobRunner(engine: app.engine, worker: "test", observer: PrometheusJobObserver(registry: registry))
            // The subscriptions' daily run (the demo has subscriptions) runs in the same round.
            let all = try await runner.runDue(now: clock.now(), batch: 6)
            #expect(all.filter { $0.kind == .subscriptionDay }.count == 1)
            let outcomes = all.filter { $0.kind != .subscriptionDay }
            #expect(Set(outcomes.map(\.subject)) == Set((1...6).map { String(format: "COM%06d", $0) }) && outcomes.count == 6)
            #expect(outcomes.allSatisfy { $0.status == .done })
            // R-14: the metrics: due at the round's start, none left running, six done, their run times.
            var buffer: [UInt8] = []
            registry.emit(into: &buffer)
            let metrics = String(decoding: buffer, as: UTF8.self)
            #expect(metrics.contains("convergent_jobs_due 7"), "six fulfillments and the daily run")
            #expect(metrics.contains(#"convergent_jobs_running{kind="fulfillOrder"} 0"#))
            #expect(metrics.contains(#"convergent_jobs_ended_total{kind="fulfillOrder",status="done"} 6"#))
            #expect(metrics.contains(#"convergent_job_run_seconds_count{kind="fulfillOrder"} 6"#))
            // Every order completed once, though their jobs ran side by side.
            for number in 1...6 {
                let id = String(format: "COM%06d", number)
                let history = try await client.call(.get, "/api/v1/history/order/\(id)?limit=100").items
                #expect(history.filter { $0["event"] as? String == "order.completed" }.count == 1, "\(id)")
            }
        }
    }
}
