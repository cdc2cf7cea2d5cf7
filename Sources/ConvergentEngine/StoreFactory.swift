import ConvergentPostgres
import ConvergentSQLite
import ConvergentStore

public enum StoreFactory {
    /// Opens and migrates a store: `postgres://…` or `postgresql://…` for PostgreSQL, anything
    /// else is a SQLite file path.
    public static func open(_ database: String, sqliteSynchronous: String = "FULL") async throws -> any ConvergentStore {
        let store: any ConvergentStore
        if database.hasPrefix("postgres://") || database.hasPrefix("postgresql://") {
            store = try PostgresStore(url: database)
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
}
