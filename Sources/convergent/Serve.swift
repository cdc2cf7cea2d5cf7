import ConvergentApp
import ArgumentParser
import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentStore
import Foundation

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the API (and, later, the console) on one database.")

    @Option(help: "Address to listen on (env CONVERGENT_HOST).")
    var host: String = ProcessInfo.processInfo.environment["CONVERGENT_HOST"] ?? "127.0.0.1"

    @Option(help: "Port to listen on (env CONVERGENT_PORT).")
    var port: Int = ProcessInfo.processInfo.environment["CONVERGENT_PORT"].flatMap(Int.init) ?? 8080

    @OptionGroup var db: DatabaseOptions

    @OptionGroup var provisioning: ProvisioningOptions

    @Flag(help: "Do not load the demo catalog and customers into an empty database.")
    var noDemo = false

    @Option(help: "system (the wall clock), or test: an administrator can move it forward with POST /api/v1/clock/advance (env CONVERGENT_CLOCK).")
    var clock: String = ProcessInfo.processInfo.environment["CONVERGENT_CLOCK"] ?? "system"

    @Option(help: "With --clock test: the day the clock starts on, YYYY-MM-DD (default: today).")
    var clockStart: String?

    @Option(help: "Seconds between two rounds of the background job worker; 0 runs none (env CONVERGENT_JOB_INTERVAL).")
    var jobInterval: Double = ProcessInfo.processInfo.environment["CONVERGENT_JOB_INTERVAL"].flatMap(Double.init) ?? 5

    @Option(help: "Seconds a worker's claim on a job lasts: a job whose server died is taken over after it (default 300).")
    var jobClaim: Double = 300

    @Option(help: "Jobs the worker claims at once, 1 to 1000 (default 20); smaller batches spread work over several servers.")
    var jobBatch: Int = 20

    func validate() throws {
        if !(1...1_000).contains(jobBatch) { throw ValidationError("--job-batch is from 1 to 1000") }
        if !(1...86_400).contains(jobClaim) { throw ValidationError("--job-claim is a number of seconds from 1 to 86400") }
        guard ["system", "test"].contains(clock) else { throw ValidationError("--clock is system or test, not '\(clock)'") }
        if let clockStart, Day(clockStart) == nil { throw ValidationError("--clock-start should be a date as YYYY-MM-DD, got '\(clockStart)'") }
        if clockStart != nil, clock != "test" { throw ValidationError("--clock-start goes with --clock test") }
        if !(0...86_400).contains(jobInterval) { throw ValidationError("--job-interval is a number of seconds from 0 to 86400") }
    }

    func run() async throws {
        let chosen: any ConvergentClock = clock == "test" ? TestClock(start: clockStart.flatMap(Day.init).map(\.startDate)) : SystemClock()
        let engine = try await db.engine(clock: chosen, provisioning: try provisioning.setup)
        if clock == "test" { say("Test clock: it is now \(chosen.now()) for the server; move it with POST /api/v1/clock/advance.") }
        if !noDemo, try await engine.loadDemo() {
            say("Loaded the demo catalog (Northwind Telecom 2026.1) and demo customers into \(db.displayName).")
        }
        let token = ProcessInfo.processInfo.environment["CONVERGENT_ADMIN_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if let secret = try await engine.access.bootstrapAdministrator(token: token, context: engine.context("system", reason: "bootstrap")) {
            say("""
            Administrator token (shown once; keep it, or set CONVERGENT_ADMIN_TOKEN):
              \(secret)
            """)
        } else if token == nil {
            say("Administrator token: the one printed at first start (set CONVERGENT_ADMIN_TOKEN to choose one).")
        }
        say("Convergent API on http://\(host):\(port)  (database: \(engine.store.backend), \(db.displayName))")
        do {
            try await runServer(engine: engine, configuration: ServerConfiguration(host: host, port: port, jobInterval: jobInterval,
                                                                         workerName: "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)",
                                                                         provisioningSecret: provisioning.secret, jobClaim: jobClaim, jobBatch: jobBatch))
        } catch {
            try? await engine.store.close()
            throw error
        }
        try await engine.store.close()
    }
}
