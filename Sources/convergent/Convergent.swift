import ArgumentParser
import Configuration
import ConvergentApp
import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import ConvergentEngine
import ConvergentServer
import ConvergentStore
import Foundation

@main
struct Convergent: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convergent",
        abstract: "Order capture and subscription lifecycle for multilevel product bundles.",
        subcommands: [Serve.self, CatalogCommand.self, OrdersCommand.self, JobsCommand.self, PlansCommand.self, DemoCommand.self, Bench.self, ErrorsCommand.self]
    )
}

/// Prints every problem code the API answers, with its status (`docs/errors.md`).
struct ErrorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "errors", abstract: "List every problem code the API answers, as Markdown (docs/errors.md).")

    func run() { print(ErrorCatalog.markdown, terminator: "") }
}

/// Options shared by commands that open a database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite file path or postgres://user:password@host:port/database (default ./convergent.sqlite; env CONVERGENT_DATABASE).")
    var database: String?

    @Option(name: .long, help: "SQLite synchronous mode: FULL (default, survives power loss) or NORMAL (env CONVERGENT_SQLITE_SYNCHRONOUS).")
    var sqliteSynchronous: String?

    /// The given options, as configuration keys.
    var values: [String: ConfigContent] { given(["database": database, "sqlite.synchronous": sqliteSynchronous]) }

    /// The whole configuration: these options and `more`, then the environment, then the defaults.
    func configuration(_ more: [String: ConfigContent] = [:]) throws -> AppConfiguration {
        do {
            return try AppConfiguration(reader: AppConfiguration.reader(commandLine: values.merging(more) { $1 }))
        } catch {
            throw ValidationError(error.description)
        }
    }

    func validate() throws { _ = try configuration() }

    /// The database for messages: a PostgreSQL URL without its password.
    var displayName: String { (try? configuration().databaseDisplayName) ?? "the database" }

    func engine(clock: any ConvergentClock = SystemClock(), provisioning: ProvisioningSetup = ProvisioningSetup()) async throws -> Engine {
        let configuration = try configuration()
        return Engine(store: try await StoreFactory.open(configuration.database, sqliteSynchronous: configuration.sqliteSynchronous),
                      clock: clock, provisioning: provisioning)
    }

    /// Opens the database, runs `body` with it and closes it, whether `body` succeeds or not.
    func withEngine<T>(provisioning: ProvisioningSetup = ProvisioningSetup(), _ body: (Engine) async throws -> T) async throws -> T {
        let engine = try await engine(provisioning: provisioning)
        let result: T
        do {
            result = try await body(engine)
        } catch {
            try? await engine.store.close()
            throw error
        }
        try await engine.store.close()
        return result
    }
}

/// Prints a benchmark's result as the JSON line scripts read (keys sorted).
func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Prints to standard error.
func warn(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Prints to standard output at once (no buffering), so a log file shows it while the server runs.
func say(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
