import Foundation
import ConvergentPostgres
import ConvergentSQLite
import ConvergentStore

public enum StoreFactory {
    /// Opens and migrates a store: `postgres://…` or `postgresql://…` for PostgreSQL (a `schema`
    /// query parameter picks the schema, `public` by default), anything else is a SQLite file path.
    public static func open(_ database: String, sqliteSynchronous: String = "FULL") async throws -> any ConvergentStore {
        let store: any ConvergentStore
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            let (url, schema) = splitSchema(database)
            store = try PostgresStore(url: url, schema: schema ?? "public")
        } else {
            store = try SQLiteStore(path: database, synchronous: sqliteSynchronous)
        }
        do {
            try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        return store
    }

    /// The URL without its `schema` query parameter, and that parameter.
    static func splitSchema(_ url: String) -> (url: String, schema: String?) {
        guard var parts = URLComponents(string: url), let items = parts.queryItems,
              let schema = items.first(where: { $0.name == "schema" })?.value else { return (url, nil) }
        let rest = items.filter { $0.name != "schema" }
        parts.queryItems = rest.isEmpty ? nil : rest
        return (parts.string ?? url, schema)
    }
}
