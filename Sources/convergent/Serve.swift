import ArgumentParser
import Configuration
import ConvergentApp
import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentStore
import Foundation
import Logging
import ServiceLifecycle

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the API (and, later, the console) on one database.",
        discussion: "Every option is also an environment variable: --job-interval is CONVERGENT_JOB_INTERVAL. The options win.")

    @Option(help: "Address to listen on (default 127.0.0.1; env CONVERGENT_HOST).")
    var host: String?

    @Option(help: "Port to listen on (default 8080; env CONVERGENT_PORT).")
    var port: String?

    @OptionGroup var db: DatabaseOptions

    @OptionGroup var provisioning: ProvisioningOptions

    @Flag(help: "Do not load the demo catalog and customers into an empty database (env CONVERGENT_DEMO=false).")
    var noDemo = false

    @Option(help: "system (the wall clock), or test: an administrator can move it forward with POST /api/v1/clock/advance (env CONVERGENT_CLOCK).")
    var clock: String?

    @Option(help: "With --clock test: the day the clock starts on, YYYY-MM-DD (default: today).")
    var clockStart: String?

    @Option(help: "Seconds between two rounds of the background job worker; 0 runs none (default 5; env CONVERGENT_JOB_INTERVAL).")
    var jobInterval: String?

    @Option(help: "Seconds a worker's claim on a job lasts: a job whose server died is taken over after it (default 300).")
    var jobClaim: String?

    @Option(help: "Jobs the worker claims at once, 1 to 1000 (default 20); smaller batches spread work over several servers.")
    var jobBatch: String?

    @Option(help: "Seconds this server trusts a token check and the list of catalog versions before reading them again (default 1; 0 reads every time). What another server changes shows within it.")
    var nodeCache: String?

    /// The options given, as configuration keys; the administrator token and the provisioning
    /// secret come from the environment only (a command line is visible to every user of the machine).
    var values: [String: ConfigContent] {
        var values = given(["host": host, "port": port, "clock": clock, "clock.start": clockStart, "job.interval": jobInterval,
                            "job.claim": jobClaim, "job.batch": jobBatch, "node.cache": nodeCache])
        if noDemo { values["demo"] = .string("false") }
        return values.merging(provisioning.values) { $1 }
    }

    func validate() throws { _ = try db.configuration(values) }

    func run() async throws {
        let configuration = try db.configuration(values)
        var logger = Logger(label: "convergent")
        logger.logLevel = .info
        let system = try ConvergentSystem.build(configuration, logger: logger, report: say)
        try await system.serviceGroup().run()
    }
}
