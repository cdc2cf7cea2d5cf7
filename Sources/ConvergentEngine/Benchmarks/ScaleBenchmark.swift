import ConvergentDomain
import ConvergentStore
import Foundation

/// `convergent bench scale`: loads customers with their order and installed contract (copies of
/// one order taken through the real pipeline and fulfilled, written directly through the store),
/// then times what agents do all day, at each size, to show that cost stays flat as data grows:
/// validating a service-management order on an installed contract (COV), the first page of a
/// 360 view and of the installed contracts of a customer with thousands of contracts, an
/// installed product with its status history, and an as-of read of a contract with 50 versions.
public enum ScaleBenchmark {
    public struct Timing: Codable, Sendable {
        public var p50_ms: Double
        public var p99_ms: Double
    }

    public struct Step: Codable, Sendable {
        public var customers: Int
        public var load_s: Double
        public var database_bytes: Int
        public var cov_validate: Timing
        public var overview_first_page: Timing
        public var installed_contracts_first_page: Timing
        public var product_with_status_history: Timing
        public var as_of_read_50_versions: Timing
    }

    public struct Result: Codable, Sendable {
        public var backend: String
        public var big_customer_contracts: Int
        public var iterations: Int
        public var steps: [Step]
        /// Each operation's p50 at the last size over its p50 at the first (target ≤ 1.5).
        public var growth_p50: [String: Double]
        public var worst_p99_ms: Double
    }

    public static func run(engine: Engine, sizes: [Int], bigCustomer: Int = 3_000, iterations: Int = 200,
                           progress: @Sendable (String) -> Void = { _ in }) async throws -> Result {
        let template = try await Template.make(engine: engine)
        let context = ChangeContext(actor: "bench", at: engine.clock.now(), reason: "bench scale")
        var loaded = 0
        var steps: [Step] = []
        var rng = SeededRandom(seed: 7)
        // A customer with thousands of contracts, and one contract with 50 versions.
        try await load(bigCustomer, contractsOf: "SCBIG", template: template, engine: engine, context: context)
        let versioned = try await template.contractWith50Versions(engine: engine, context: context)
        for size in sizes.sorted() where size > loaded {
            let start = ContinuousClock.now
            var next = loaded + 1
            while next <= size {
                let batch = next...min(size, next + 199)
                try await engine.store.commit(try batch.flatMap { try template.writes(customer: $0) }, context: context)
                next = batch.upperBound + 1
                if next % 10_000 == 1 { progress("loaded \(next - 1) customers") }
            }
            let loadTime = seconds(ContinuousClock.now - start)
            loaded = size
            progress("timing at \(size) customers")
            func pick() -> Int { Int(rng.next() % UInt64(loaded)) + 1 }
            // COV: service-management orders on installed contracts, each validated several times.
            var orders: [String] = []
            for _ in 0..<max(1, iterations / 10) {
                let n = pick()
                let order = try await engine.orders.create(.serviceManagement, header: OrderHeader(soldTo: Template.customerID(n)), on: engine.today,
                                                           context: engine.context("bench"))
                _ = try await engine.orders.addLine(toOrder: order.value.id, product: nil, installedContract: Template.contractID(n), action: .change,
                                                   owner: nil, reason: nil, expectedVersion: nil, today: engine.today, context: engine.context("bench"))
                orders.append(order.value.id)
            }
            let cov = try await time(iterations) { i in
                _ = try await engine.orders.validate(orders[i % orders.count], expectedVersion: nil, today: engine.today, context: engine.context("bench"))
            }
            let overview = try await time(iterations) { _ in _ = try await engine.overview(of: "SCBIG") }
            let installed = try await time(iterations) { _ in _ = try await engine.installedBase.contracts(of: "SCBIG", limit: 50) }
            let products = (0..<iterations).map { _ in Template.contractID(pick()) + template.productSuffixes[Int(rng.next() % UInt64(template.productSuffixes.count))] }
            let product = try await time(iterations) { i in _ = try await engine.installedBase.product(products[i], catalog: nil) }
            let instants = (0..<iterations).map { _ in versioned.start.addingTimeInterval(Double(rng.next() % 3_000)) }
            let asOf = try await time(iterations) { i in
                guard try await engine.store.get(InstalledContract.self, id: versioned.id, asOf: instants[i]) != nil else {
                    throw EngineError(.notFound, "no version of \(versioned.id) as of \(instants[i])")
                }
            }
            steps.append(Step(customers: size, load_s: (loadTime * 10).rounded() / 10, database_bytes: try await engine.store.databaseBytes(),
                              cov_validate: cov, overview_first_page: overview, installed_contracts_first_page: installed,
                              product_with_status_history: product, as_of_read_50_versions: asOf))
        }
        var growth: [String: Double] = [:]
        if let first = steps.first, let last = steps.last {
            let pairs: [(String, KeyPath<Step, Timing>)] = [("cov_validate", \.cov_validate), ("overview_first_page", \.overview_first_page),
                                                            ("installed_contracts_first_page", \.installed_contracts_first_page),
                                                            ("product_with_status_history", \.product_with_status_history),
                                                            ("as_of_read_50_versions", \.as_of_read_50_versions)]
            for (name, path) in pairs { growth[name] = (last[keyPath: path].p50_ms / max(first[keyPath: path].p50_ms, 0.001) * 100).rounded() / 100 }
        }
        let worst = steps.flatMap { [$0.cov_validate, $0.overview_first_page, $0.installed_contracts_first_page, $0.product_with_status_history, $0.as_of_read_50_versions] }
            .map(\.p99_ms).max() ?? 0
        return Result(backend: engine.store.backend, big_customer_contracts: bigCustomer, iterations: iterations, steps: steps, growth_p50: growth, worst_p99_ms: worst)
    }

    static func load(_ count: Int, contractsOf customer: String, template: Template, engine: Engine, context: ChangeContext) async throws {
        try await engine.store.commit(try template.customerWrites(customer), context: context)
        var next = 1
        while next <= count {
            let batch = next...min(count, next + 199)
            try await engine.store.commit(try batch.map { try .insert(template.contract(id: "IC-\(customer)-\($0)", customer: customer)) }, context: context)
            next = batch.upperBound + 1
        }
    }

    static func seconds(_ d: Duration) -> Double { d.seconds }

    static func time(_ iterations: Int, _ body: (Int) async throws -> Void) async throws -> Timing {
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        for i in 0..<iterations {
            let start = ContinuousClock.now
            try await body(i)
            samples.append(seconds(ContinuousClock.now - start) * 1000)
        }
        samples.sort()
        func at(_ q: Double) -> Double { (samples[min(samples.count - 1, Int(Double(samples.count) * q))] * 100).rounded() / 100 }
        return Timing(p50_ms: at(0.5), p99_ms: at(0.99))
    }

    /// One order taken through the pipeline and fulfilled; its documents are copied per customer
    /// with the ids changed.
    struct Template {
        var order: [String: Any]
        var orderID: String
        var contract: String
        var contractID: String
        var account: String
        var accountID: String
        /// `.1`, `.2`, … the installed products below the contract.
        var productSuffixes: [String]

        static func customerID(_ n: Int) -> String { "SC\(n)" }
        static func contractID(_ n: Int) -> String { "IC-SC\(n)-1" }

        static func make(engine: Engine) async throws -> Template {
            let id = try await PipelineBenchmark.submitOne(engine: engine).order
            _ = try await JobRunner(engine: engine, worker: "bench").runDue(now: engine.clock.now())
            guard let order = try await engine.store.load(.order, id: id),
                  let object = try JSONSerialization.jsonObject(with: order.data) as? [String: Any] else {
                throw EngineError(.notFound, "the template order \(id) was not stored")
            }
            let contractID = Fulfillment.contractID(order: id, line: 1)
            guard let contract = try await engine.store.load(.installedContract, id: contractID),
                  let account = try await engine.store.all(BillingAccount.self, where: ["owner": "CUST-JANE"], limit: 1).first else {
                throw EngineError(.notFound, "the template order \(id) was not fulfilled")
            }
            let decoded = try JSONDecoder().decode(InstalledContract.self, from: contract.data)
            return Template(order: object, orderID: id, contract: String(decoding: contract.data, as: UTF8.self), contractID: contractID,
                            account: String(decoding: try JSONEncoder().encode(account.value), as: UTF8.self), accountID: account.value.id,
                            productSuffixes: decoded.root.all.map(\.id).filter { $0 != contractID }.map { String($0.dropFirst(contractID.count)) }.sorted())
        }

        func contract(id: String, customer: String) throws -> InstalledContract {
            let text = contract.replacingOccurrences(of: contractID, with: id).replacingOccurrences(of: "\"CUST-JANE\"", with: "\"\(customer)\"")
                .replacingOccurrences(of: accountID, with: "BA-\(customer)")
            return try JSONDecoder().decode(InstalledContract.self, from: Data(text.utf8))
        }

        func customerWrites(_ customer: String) throws -> [Write] {
            let account = try JSONDecoder().decode(BillingAccount.self, from: Data(self.account.replacingOccurrences(of: accountID, with: "BA-\(customer)")
                .replacingOccurrences(of: "\"CUST-JANE\"", with: "\"\(customer)\"").utf8))
            return [try .insert(Customer(id: customer, kind: .person, name: "Scale customer \(customer)")), try .insert(account)]
        }

        /// A customer, its account, its installed contract and the completed order that installed it
        /// (its line naming the contract, so the order is found by contract as COV finds orders).
        func writes(customer n: Int) throws -> [Write] {
            let customer = Self.customerID(n), newOrder = "SO\(n)"
            var object = order
            if var lines = object["lines"] as? [[String: Any]], !lines.isEmpty {
                lines[0]["installedContract"] = Self.contractID(n)
                object["lines"] = lines
            }
            let text = String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
                .replacingOccurrences(of: orderID, with: newOrder).replacingOccurrences(of: "\"CUST-JANE\"", with: "\"\(customer)\"")
            let order = try JSONDecoder().decode(Order.self, from: Data(text.utf8))
            return try customerWrites(customer) + [.insert(contract(id: Self.contractID(n), customer: customer)), .insert(order)]
        }

        /// A contract of its own changed 50 times (one product suspended and resumed, through the
        /// pending statuses), a minute apart.
        func contractWith50Versions(engine: Engine, context: ChangeContext) async throws -> (id: String, start: Date) {
            let id = "IC-SCVERSIONS-1"
            var contract = try self.contract(id: id, customer: "SCBIG")
            try await engine.store.insert(contract, context: context)
            let cycle: [InstalledStatus] = [.pendingSuspension, .suspended, .pendingResumption, .active]
            for version in 2...50 {
                contract.root.components[0].status = cycle[(version - 2) % cycle.count]
                try await engine.store.update(contract, expectedVersion: version - 1,
                                              context: ChangeContext(actor: "bench", at: context.at.addingTimeInterval(Double(version * 60)), reason: "version \(version)"))
            }
            return (id, context.at)
        }
    }
}
