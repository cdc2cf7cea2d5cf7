import ConvergentApp
import ArgumentParser
import ConvergentCatalogFiles
import ConvergentDemo
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Validate, import, export and diff catalog files (YAML).",
        subcommands: [Validate.self, Import.self, Export.self, Diff.self]
    )

    /// Reads and checks files; prints `file:line: message` per problem and fails when there is any.
    static func validated(_ path: String) throws -> Catalog {
        let files: [CatalogFile]
        do {
            files = try CatalogFiles.load(path: path)
        } catch {
            warn("\(path): cannot read: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        guard !files.isEmpty else {
            warn("\(path): no .yaml or .yml file")
            throw ExitCode(2)
        }
        let result = CatalogFiles.validate(files)
        for problem in result.problems { warn(problem.description) }
        guard let catalog = result.catalog, result.problems.isEmpty else {
            warn("\(result.problems.count) problem(s); the catalog is not valid")
            throw ExitCode(1)
        }
        return catalog
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check catalog files (a file or a folder of .yaml files) with every integrity check.")

        @Argument(help: "A catalog file or a folder of catalog files.")
        var path: String

        func run() async throws {
            let catalog = try CatalogCommand.validated(path)
            print("valid: catalog \(catalog.header.version), effective \(catalog.header.effectiveFrom), \(catalog.products.count) products, \(catalog.rules.count) rules")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate catalog files and store them as a new version.")

        @Argument(help: "A catalog file or a folder of catalog files.")
        var path: String

        @Flag(help: "Activate the version once stored.")
        var activate = false

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let catalog = try CatalogCommand.validated(path)
            let engine = try await db.engine()
            defer { Task { try? await engine.store.close() } }
            do {
                try await engine.catalogs.store(catalog, context: engine.context("cli", reason: "catalog import"))
                if activate { try await engine.catalogs.activate(catalog.header.version, context: engine.context("cli", reason: "catalog activation")) }
            } catch let error as EngineError {
                warn("\(path): \(error.message)")
                throw ExitCode(1)
            }
            print("imported catalog \(catalog.header.version)\(activate ? " and activated it" : " (not active: use --activate or the API)")")
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a catalog version as YAML files that re-import unchanged.")

        @Option(help: "Folder to write catalog.yaml, products.yaml and rules.yaml into.")
        var output: String

        @Option(help: "The version to export (default: the one active today).")
        var version: String?

        @Flag(help: "Export the demo catalog shipped with the binary (no database needed).")
        var demo = false

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let catalog: Catalog
            if demo {
                catalog = CatalogFiles.validate(DemoCatalog.files).catalog!
            } else {
                let engine = try await db.engine()
                do {
                    catalog = if let version { try await engine.catalogs.version(version).value.catalog } else { try await engine.catalogs.active(on: engine.today).catalog }
                } catch let error as EngineError {
                    try? await engine.store.close()
                    warn(error.message)
                    throw ExitCode(1)
                }
                try await engine.store.close()
            }
            let files = try CatalogFiles.render(catalog)
            try CatalogFiles.write(files, to: output)
            print("wrote catalog \(catalog.header.version) to \(output): \(files.map(\.name).joined(separator: ", "))")
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show what changed between two catalogs (paths, or version ids in the database).")

        @Argument(help: "The older catalog: a file, a folder, or a version id.")
        var from: String

        @Argument(help: "The newer catalog: a file, a folder, or a version id.")
        var to: String

        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            var engine: Engine?
            func load(_ ref: String) async throws -> Catalog {
                if FileManager.default.fileExists(atPath: ref) { return try CatalogCommand.validated(ref) }
                if engine == nil { engine = try await db.engine() }
                do {
                    return try await engine!.catalogs.version(ref).value.catalog
                } catch let error as EngineError {
                    warn("\(ref): not a file or folder, and \(error.message)")
                    throw ExitCode(1)
                }
            }
            let diff = CatalogDiff(from: try await load(from), to: try await load(to))
            try? await engine?.store.close()
            print("catalog \(diff.from) → \(diff.to)")
            for field in diff.headerChanges { print("~ header \(field)") }
            for entry in diff.entries { print(entry.description) }
            if diff.isEmpty { print("no differences") }
        }
    }
}

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Demo data.", subcommands: [Load.self])

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load the demo catalog and customers into an empty database.")
        @OptionGroup var db: DatabaseOptions

        func run() async throws {
            let engine = try await db.engine()
            let loaded = try await engine.loadDemo()
            try await engine.store.close()
            print(loaded ? "demo data loaded into \(db.displayName)" : "\(db.displayName) already holds a catalog or customers; nothing loaded")
        }
    }
}
