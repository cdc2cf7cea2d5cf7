import ArgumentParser
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

struct OrdersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "orders", abstract: "Orders.", subcommands: [Release.self])

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Release queued orders due on a date (R-11.4): holds run again; each is submitted or held.")

        @Option(name: .customLong("as-of"), help: "The execution date, YYYY-MM-DD (default: today).")
        var asOf: String?

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let day: Day
            if let asOf {
                guard let parsed = Day(asOf) else {
                    warn("--as-of: '\(asOf)' is not a date as YYYY-MM-DD")
                    throw ExitCode(2)
                }
                day = parsed
            } else {
                day = Day(Date())
            }
            let engine = try await db.engine()
            let results: [(order: String, outcome: Result<Order, OrderError>)]
            do {
                results = try await engine.orders.releaseDue(asOf: day, context: engine.context("cli", reason: "release as of \(day)"))
            } catch {
                try? await engine.store.close()
                throw error
            }
            var released = 0, held = 0
            for result in results {
                switch result.outcome {
                case let .success(order):
                    released += 1
                    print("\(order.id): submitted" + (order.children.isEmpty ? "" : ", children \(order.children.map(\.id).joined(separator: ", "))"))
                case let .failure(error):
                    held += 1
                    print("\(result.order): held — \(error.message)")
                }
            }
            try await engine.store.close()
            print("released \(released), held \(held), as of \(day)")
        }
    }
}
