import ConvergentPostgres
import ConvergentStore
import Testing

@Suite("R-14 PostgreSQL pool size: nodes × pool must fit the server's max_connections")
struct PostgresConfigurationTests {
    @Test("R-14: a node opens at most 10 connections unless its URL's pool says otherwise; a pool that is not a whole number from 1 to 1000 is refused, naming it")
    func poolSize() throws {
        #expect(try PostgresStore(url: "postgres://u@db.example/convergent", lifecycle: .service).poolSize == 10)
        #expect(try PostgresStore(url: "postgres://u@db.example/convergent?sslmode=disable&pool=3", lifecycle: .service).poolSize == 3)
        for bad in ["0", "1001", "ten", ""] {
            #expect {
                _ = try PostgresStore(url: "postgres://u@db.example/convergent?pool=\(bad)", lifecycle: .service)
            } throws: { error in
                (error as? StoreError)?.code == .invalidConfiguration && "\(error)".contains("pool")
            }
        }
    }
}
