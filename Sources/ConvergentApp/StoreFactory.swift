import Foundation
import ConvergentPostgres
import ConvergentSQLite
import ConvergentStore
import PostgresNIO

public enum StoreFactory {
    /// Makes a store without touching the database: `postgres://…` or `postgresql://…` for
    /// PostgreSQL (a `schema` query parameter picks the schema, `public` by default), anything
    /// else is a SQLite file path. With `lifecycle: .service` a PostgreSQL store's pool is
    /// returned for the caller's service group to run.
    public static func make(_ database: String, sqliteSynchronous: String = "FULL",
                            lifecycle: PostgresStore.ClientLifecycle = .ownTask) throws -> (store: any ConvergentStore, client: PostgresClient?) {
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            let (url, schema) = splitSchema(database)
            let store = try PostgresStore(url: url, schema: schema ?? "public", lifecycle: lifecycle)
            return (store, store.service)
        }
        return (try SQLiteStore(path: database, synchronous: sqliteSynchronous), nil)
    }

    /// Opens and migrates a store whose PostgreSQL pool runs on its own until `close()`
    /// (commands, a second node in tests).
    public static func open(_ database: String, sqliteSynchronous: String = "FULL") async throws -> any ConvergentStore {
        let store = try make(database, sqliteSynchronous: sqliteSynchronous).store
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
