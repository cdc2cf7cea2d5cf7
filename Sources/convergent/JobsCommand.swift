import ArgumentParser
import ConvergentApp
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "Background jobs (R-14).", subcommands: [Run.self])

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run every job due by the end of a date, once, as a worker beside any running servers.")

        @Option(name: .customLong("as-of"), help: "Run what is due by the end of this day, YYYY-MM-DD (default: now).")
        var asOf: String?

        @OptionGroup var db: DatabaseOptions

        @OptionGroup var provisioning: ProvisioningOptions

        @Option(help: "Seconds this run's claim on a job lasts before another worker may take it over (default 300).")
        var jobClaim: Double = 300

        func validate() throws {
            if !(1...86_400).contains(jobClaim) { throw ValidationError("--job-claim is a number of seconds from 1 to 86400") }
            if let asOf, Day(asOf) == nil { throw ValidationError("--as-of: '\(asOf)' is not a date as YYYY-MM-DD") }
            _ = try db.configuration(provisioning.values)
        }

        func run() async throws {
            let now = asOf.flatMap(Day.init).map { $0.adding(days: 1).startDate.addingTimeInterval(-0.001) } ?? Date()
            let outcomes = try await db.withEngine(provisioning: try db.configuration(provisioning.values).provisioning) { engine in
                var runner = JobRunner(engine: engine, worker: "cli:\(ProcessInfo.processInfo.processIdentifier)")
                runner.claimFor = jobClaim
                return try await runner.runDue(now: now)
            }
            for o in outcomes { print("\(o.job) \(o.kind.rawValue) \(o.subject): \(o.status.rawValue)" + (o.outcome.map { " — \($0)" } ?? "")) }
            print("ran \(outcomes.count) job(s) due by \(now)")
        }
    }
}
