import ConvergentApp
import ArgumentParser
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
        subcommands: [Serve.self, CatalogCommand.self, OrdersCommand.self, JobsCommand.self, DemoCommand.self, Bench.self, ErrorsCommand.self]
    )
}

/// Prints every problem code the API answers, with its status (`docs/errors.md`).
struct ErrorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "errors", abstract: "List every problem code the API answers, as Markdown (docs/errors.md).")

    func run() { print(ErrorCatalog.markdown, terminator: "") }
}

/// Options shared by commands that open a database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite file path or postgres://user:password@host:port/database (env CONVERGENT_DATABASE).")
    var database: String = ProcessInfo.processInfo.environment["CONVERGENT_DATABASE"] ?? "./convergent.sqlite"

    @Option(name: .long, help: "SQLite synchronous mode: FULL (default, survives power loss) or NORMAL.")
    var sqliteSynchronous: String = "FULL"

    /// The database for messages: a PostgreSQL URL without its password.
    var displayName: String {
        guard var url = URLComponents(string: database), url.scheme?.hasPrefix("postgres") == true else { return database }
        if url.password != nil { url.password = "***" }
        return url.string ?? "PostgreSQL"
    }

    func engine(clock: any ConvergentClock = SystemClock(), provisioning: ProvisioningSetup = ProvisioningSetup()) async throws -> Engine {
        Engine(store: try await StoreFactory.open(database, sqliteSynchronous: sqliteSynchronous), clock: clock, provisioning: provisioning)
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
