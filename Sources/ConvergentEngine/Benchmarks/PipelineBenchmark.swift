import ConvergentDomain
import ConvergentStore
import Foundation

/// `convergent bench pipeline`: convergent orders of about 20 components taken through the real
/// use cases — create, add a line, open a session, configure, submit the session (verified),
/// submit the order (holds, submission) — and, in the same run on the same database, the raw
/// rate of committing one header plus 20 lines per transaction.
public enum PipelineBenchmark {
    public struct Result: Codable, Sendable {
        public var backend: String
        public var orders: Int
        public var components_per_order: Int
        public var orders_per_s: Double
        public var raw_orders_per_s: Double
        public var ratio: Double
        /// With `--fulfill`: orders are counted once completed, their installed base written.
        public var fulfilled: Bool
        /// With `--fulfill`: the fulfillment part alone, orders per second (jobs and simulator).
        public var fulfillment_orders_per_s: Double?
        /// Database bytes the run added per order (tables, indexes and history; on SQLite the
        /// file's pages), measured before the raw inserts.
        public var bytes_per_order: Int
        /// Write transactions per order (commits, numbers drawn, job claims): each costs at
        /// least one raw commit, so `1 / transactions_per_order` bounds the ratio.
        public var transactions_per_order: Double
    }

    /// The configuration each order gets: a home contract with fibre (and what it brings), TV,
    /// a sports pack, VoIP with its number and a static IP.
    static let operations: [ConfigurationOperation] = [
        .add(product: "FIBER-500", contract: "L1", parent: nil, placements: [:]),
        .add(product: "TV-BASIC-PACK", contract: "L1", parent: nil, placements: [:]),
        .add(product: "SPORTS-PACK", contract: "L1", parent: nil, placements: [:]),
        .add(product: "VOIP-LINE", contract: "L1", parent: nil, placements: [:]),
        .add(product: "STATIC-IP", contract: "L1", parent: nil, placements: [:]),
    ]

    /// With `fulfill`, each order is also fulfilled (R-7.3) by the job runner and the provisioning
    /// simulator of the engine (zero delay by default): the rate is of completed orders.
    public static func run(engine given: Engine, orders count: Int, fulfill: Bool = false) async throws -> Result {
        let counting = CountingStore(given.store)
        let engine = Engine(store: counting, clock: given.clock, provisioning: given.provisioning)
        let bytesBefore = try await engine.store.databaseBytes()
        let start = ContinuousClock.now
        var components = 0
        for _ in 0..<count {
            components = try await submitOne(engine: engine).components
        }
        var fulfillment: Duration?
        if fulfill {
            let fulfillStart = ContinuousClock.now
            _ = try await JobRunner(engine: engine, worker: "bench").runDue(now: engine.clock.now())
            fulfillment = ContinuousClock.now - fulfillStart
            let open = try await engine.store.all(Order.self, where: ["status": OrderStatus.inFulfillment.rawValue], limit: 1)
            precondition(open.isEmpty, "order \(open.first?.value.id ?? "") was not fulfilled")
        }
        let pipeline = ContinuousClock.now - start
        let transactions = counting.writeTransactions
        let bytes = try await engine.store.databaseBytes() - bytesBefore
        let rawStart = ContinuousClock.now
        try await engine.store.benchmarkRawInserts(count: count, lines: 20)
        let raw = ContinuousClock.now - rawStart
        func perSecond(_ d: Duration) -> Double {
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            return (Double(count) / seconds * 10).rounded() / 10
        }
        let ordersPerSecond = perSecond(pipeline), rawPerSecond = perSecond(raw)
        let fulfillmentRate: Double? = if let fulfillment { perSecond(fulfillment) } else { nil }
        return Result(backend: engine.store.backend, orders: count, components_per_order: components, orders_per_s: ordersPerSecond,
                      raw_orders_per_s: rawPerSecond, ratio: (ordersPerSecond / rawPerSecond * 1000).rounded() / 1000, fulfilled: fulfill,
                      fulfillment_orders_per_s: fulfillmentRate, bytes_per_order: bytes / max(count, 1),
                      transactions_per_order: (Double(transactions) / Double(max(count, 1)) * 10).rounded() / 10)
    }

    /// One order through the pipeline, submitted; its id and component count.
    public static func submitOne(engine: Engine) async throws -> (order: String, components: Int) {
        let book = engine.orders
        var components = 0
        do {
            let context = engine.context("bench")
            var order = try await book.create(.convergent, header: OrderHeader(soldTo: "CUST-JANE"), on: engine.today, context: context)
            // The set-top box ships: the agent gives the shipment date (R-5.2 RSHPDT).
            var information = order.value.information(for: "CUST-JANE")
            information.shipping?.shipmentDate = engine.today.adding(days: 3)
            order = try await book.setInformation(information, onOrder: order.value.id, expectedVersion: order.version, day: engine.today, context: context)
            // The line's billing rows default to Jane's account (R-8.2).
            _ = try await book.addLine(toOrder: order.value.id, product: "HOME-CONTRACT", installedContract: nil, action: nil, owner: nil, reason: nil,
                                       expectedVersion: order.version, today: engine.today, context: context)
            let session = try await book.openSession(order: order.value.id, today: engine.today, context: context).view
            var view = try await book.apply(operations, toSession: session.session.id, expectedVersion: session.version, today: engine.today, context: context)
            let voip = view.report.elements.first { $0.product == "VOIP-LINE" }!.instance
            view = try await book.apply([.setAttribute(instance: voip, name: "phoneNumber", value: "+3225550000")], toSession: session.session.id,
                                        expectedVersion: view.version, today: engine.today, context: context)
            components = view.report.elements.count
            _ = try await book.finishSession(session.session.id, submit: true, today: engine.today, context: context)
            let submitted = try await book.submit(order.value.id, expectedVersion: nil, today: engine.today, context: context)
            precondition(submitted.value.status == .submitted, "order \(submitted.value.id) was not submitted")
            return (submitted.value.id, components)
        }
    }
}
