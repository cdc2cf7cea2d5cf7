import ConvergentApp
import ArgumentParser
import ConvergentCatalogFiles
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Benchmarks (build with -c release).", subcommands: [Verify.self, Pipeline.self, CatalogImport.self, Scale.self, Commitments.self])

    struct Pipeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Orders through create, session, verify and submit, against the raw header + 20 lines commit rate.",
            discussion: "Use a scratch database: an empty one gets the demo data. The last line printed is JSON: orders_per_s, raw_orders_per_s, ratio."
        )

        @Option(help: "Orders to take through the pipeline.")
        var orders = 200

        @Flag(help: "Carry each order through fulfillment by the provisioning simulator (zero delay): the rate is of completed orders.")
        var fulfill = false

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let result = try await db.withEngine { engine in
                try await engine.loadDemo() // an empty database gets the demo catalog and customers
                return try await PipelineBenchmark.run(engine: engine, orders: orders, fulfill: fulfill)
            }
            print("\(result.orders) orders of \(result.components_per_order) components on \(result.backend)" + (fulfill ? ", fulfilled" : ""))
            if let rate = result.fulfillment_orders_per_s { print("fulfillment alone: \(rate) orders/s") }
            try printJSON(result)
        }
    }

    struct Scale: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load customers with orders and installed contracts, then time what agents do at each size.",
            discussion: """
                Use a scratch database: an empty one gets the demo data. Customers are written directly through the store \
                (copies of one order taken through the pipeline and fulfilled). At each size: p50/p99 of validating a \
                service-management order (COV), the first page of the 360 view and of the installed contracts of a customer \
                with --big-customer contracts, an installed product with its status history, an as-of read of a contract \
                with 50 versions. The last line printed is JSON.
                """
        )

        @Option(help: "Sizes to load and time at, in customers, comma-separated.")
        var customers = "10000,100000"

        @Option(help: "Contracts of the one large customer.")
        var bigCustomer = 3_000

        @Option(help: "Timed calls per operation and size.")
        var iterations = 200

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let sizes = customers.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !sizes.isEmpty, sizes.allSatisfy({ $0 > 0 }) else { throw ValidationError("--customers: sizes such as 10000,100000") }
            let result = try await db.withEngine {
                try await $0.loadDemo() // an empty database gets the demo catalog and customers
                return try await ScaleBenchmark.run(engine: $0, sizes: sizes, bigCustomer: bigCustomer, iterations: iterations) { warn($0) }
            }
            #if DEBUG
            warn("note: a debug build; measure with `swift run -c release convergent bench scale`")
            #endif
            for step in result.steps {
                print("\(step.customers) customers (loaded in \(step.load_s) s, \(step.database_bytes / 1_000_000) MB): "
                      + "COV validate \(step.cov_validate.p50_ms)/\(step.cov_validate.p99_ms) ms, "
                      + "360 \(step.overview_first_page.p50_ms)/\(step.overview_first_page.p99_ms) ms, "
                      + "installed \(step.installed_contracts_first_page.p50_ms)/\(step.installed_contracts_first_page.p99_ms) ms, "
                      + "product \(step.product_with_status_history.p50_ms)/\(step.product_with_status_history.p99_ms) ms, "
                      + "as-of \(step.as_of_read_50_versions.p50_ms)/\(step.as_of_read_50_versions.p99_ms) ms (p50/p99)")
            }
            try printJSON(result)
        }
    }

    struct Commitments: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load commitment contracts (5 % violated by an ended product, 10 % elapsed) and time the daily run (R-9.3).",
            discussion: "Use a scratch database. The last line printed is JSON: contracts, load_s, run_s, checked, violated, expired, peak_rss_mb (with the SQLite file's mapped pages), run_peak_anon_mb (heap and stacks during the run), per_change_us (one core's microseconds per changed commitment: decode, judge, encode, history_entry)."
        )

        @Option(help: "Commitment contracts to load.")
        var contracts = 1_000_000

        @OptionGroup var db: DatabaseOptions

        func validate() throws {
            if contracts < 1 { throw ValidationError("--contracts is a number of contracts above 0") }
        }

        func run() async throws {
            let result = try await db.withEngine { try await CommitmentBenchmark.run(engine: $0, contracts: contracts) { warn($0) } }
            #if DEBUG
            warn("note: a debug build; measure with `swift run -c release convergent bench commitments`")
            #endif
            print("\(result.contracts) commitment contracts on \(result.backend): loaded in \(result.load_s) s; the daily run checked \(result.checked), "
                  + "violated \(result.violated), expired \(result.expired) in \(result.run_s) s; peak memory \(result.peak_rss_mb) MB (\(result.run_peak_anon_mb) MB of it heap and stacks during the run)")
            let steps = result.per_change_us
            print("one change on one core: decode \(steps.decode) µs, judge \(steps.judge) µs, encode \(steps.encode) µs, history entry \(steps.history_entry) µs")
            try printJSON(result)
        }
    }

    struct CatalogImport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "catalog",
            abstract: "Time reading, checking and importing a generated catalog (four commercial levels).",
            discussion: "Use a scratch database. The last line printed is JSON: products, rules, yaml_bytes, validate_s, import_s."
        )

        @Option(help: "Products in the generated catalog (contracts of 181 products each).")
        var products = 50_000

        @Option(help: "Rules in the generated catalog.")
        var rules = 20_000

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let result = try await db.withEngine { try await CatalogBenchmark.run(engine: $0, products: products, rules: rules) }
            #if DEBUG
            warn("note: a debug build; measure with `swift run -c release convergent bench catalog`")
            #endif
            print("\(result.products) products, \(result.rules) rules, \(result.yaml_bytes) bytes of YAML on \(result.backend)")
            try printJSON(result)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Time verifying a configuration, and re-verifying after one add or remove.",
            discussion: "The last line printed is JSON: verify_median_ms, verify_p99_ms, reverify_median_ms, …"
        )

        @Option(help: "Components in the configuration.")
        var components = 10_000

        @Option(help: "Rules in the synthetic catalog (ignored with --catalog).")
        var rules = 10_000

        @Option(help: "A real catalog (file or folder) instead of the synthetic one.")
        var catalog: String?

        @Option(help: "Full verifications to time.")
        var iterations = 30

        @Option(help: "Plays in the synthetic catalog (default: one per 500 rules, at least 20).")
        var plays: Int?

        func run() async throws {
            let configuration: Configuration
            if let catalog {
                let validated = try CatalogCommand.validated(catalog)
                let index = CatalogIndex(validated)
                configuration = try VerifyBenchmark.configuration(components: components, catalog: index, day: Day(Date()))
            } else {
                let index = CatalogIndex(VerifyBenchmark.syntheticCatalog(rules: rules, plays: plays))
                configuration = try VerifyBenchmark.syntheticConfiguration(components: components, catalog: index)
            }
            let result = VerifyBenchmark.run(configuration: configuration, iterations: iterations)
            #if DEBUG
            warn("note: a debug build; measure with `swift run -c release convergent bench verify`")
            #endif
            print("components \(result.components), rules \(result.rules), contracts \(result.contracts), status \(result.status)")
            try printJSON(result)
        }
    }
}
