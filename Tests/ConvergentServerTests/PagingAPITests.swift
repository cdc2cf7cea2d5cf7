import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@Suite("Every list and view is paged with a cursor (storage v2)")
struct PagingAPITests {
    /// Walks a list from its first page to its last, following `nextCursor`.
    func walk(_ client: any TestClientProtocol, _ path: String, from start: String? = nil, limit: Int, key: String = "id") async throws -> (ids: [String], pages: Int) {
        var ids: [String] = []
        var cursor = start
        var pages = 0
        repeat {
            let separator = path.contains("?") ? "&" : "?"
            let reply = try await client.call(.get, path + "\(separator)limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""))
            #expect(reply.status == .ok, "\(reply.text.prefix(300))")
            ids += reply.items.compactMap { ($0[key] as? String) ?? ($0[key] as? Int).map(String.init) }
            cursor = reply.json["nextCursor"] as? String
            pages += 1
        } while cursor != nil && pages < 100
        return (ids, pages)
    }

    @Test("R-3.9: a customer with 130 installed contracts: the 360 view answers the first 20 with the cursors of the rest; the installed contracts page through all of them once", arguments: TestBackend.available)
    func customerWithManyContracts(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        let context = app.engine.context("test")
        let contracts = (1...130).map { n in
            InstalledContract(id: String(format: "IC-MANY-%03d", n), customer: "CUST-JANE", root: .init(id: String(format: "IC-MANY-%03d", n), product: "HOME-BUNDLE",
                                                                                                       status: .active))
        }
        for chunk in stride(from: 0, to: contracts.count, by: 25) {
            try await app.engine.store.commit(try contracts[chunk..<min(chunk + 25, contracts.count)].map { try .insert($0) }, context: context)
        }
        try await app.run { client in
            let view = try await client.call(.get, "/api/v1/customers/CUST-JANE/360")
            #expect(view.status == .ok)
            let installed = try #require(view.json["installedContracts"] as? [[String: Any]])
            #expect(installed.count == 20, "a screen's worth by default")
            let next = try #require(view.json["installedContractsNextCursor"] as? String)
            let rest = try await walk(client, "/api/v1/customers/CUST-JANE/installed-contracts", from: next, limit: 40)
            let all = installed.compactMap { $0["id"] as? String } + rest.ids
            #expect(all.count == Set(all).count, "no contract twice")
            #expect(Set(all).isSuperset(of: contracts.map(\.id)))
            #expect(try await client.call(.get, "/api/v1/customers/CUST-JANE/360?limit=5").json["installedContracts"].map { ($0 as? [Any])?.count } == 5)
            let walked = try await walk(client, "/api/v1/customers/CUST-JANE/installed-contracts", limit: 30)
            #expect(walked.pages == 5 && Set(walked.ids).isSuperset(of: contracts.map(\.id)))
            #expect(try await client.call(.get, "/api/v1/customers/CUST-JANE/installed-contracts?limit=0").status == .unprocessableContent)
        }
    }

    @Test("R-15.5: history is paged by version; every entry names its event and, after the first, its change; a bad cursor is a problem, one past the end an empty page", arguments: TestBackend.available)
    func historyPages(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        var customer = try #require(try await app.engine.store.get(Customer.self, id: "CUST-JANE"))
        for n in 1...12 {
            customer.value.name = "Jane \(n)"
            customer = try await app.engine.store.update(customer.value, expectedVersion: customer.version, context: app.engine.context("test"))
        }
        let versions = customer.version
        try await app.run { client in
            let walked = try await walk(client, "/api/v1/history/customer/CUST-JANE", limit: 5, key: "version")
            #expect(walked.ids == (1...versions).map(String.init))
            let page = try await client.call(.get, "/api/v1/history/customer/CUST-JANE?limit=2&cursor=3").items
            #expect(page.map { $0["version"] as? Int } == [4, 5])
            #expect(page.first?["event"] as? String == "customer.updated")
            let change = try #require(page.first?["change"] as? [[String: Any]])
            #expect(change.first?["path"] as? String == "/name")
            #expect(try await client.call(.get, "/api/v1/history/customer/CUST-JANE?cursor=x").status == .unprocessableContent)
            #expect(try await client.call(.get, "/api/v1/history/customer/CUST-JANE?cursor=-1").status == .unprocessableContent)
            // A cursor past any version (the largest number there is) answers an empty page, never a crash.
            let beyond = try await client.call(.get, "/api/v1/history/customer/CUST-JANE?cursor=\(Int.max)")
            #expect(beyond.status == .ok && beyond.items.isEmpty && beyond.json["nextCursor"] == nil)
            #expect(try await client.call(.get, "/api/v1/history/customer/NOBODY").status == .notFound)
        }
    }
}
