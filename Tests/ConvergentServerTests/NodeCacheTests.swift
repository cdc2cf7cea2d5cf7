import ConvergentApp
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation
import Testing

@Suite("R-2.4, R-15.4 what a node trusts for a while: token checks and the catalog versions")
struct NodeCacheTests {
    /// Three nodes on one database: `a` trusts its checks for a minute (longer than any test
    /// takes, however loaded the machine), `brief` for 50 ms, `b` makes the changes.
    func nodes() async throws -> (a: Engine, brief: Engine, b: Engine) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("nodes-\(UUID().uuidString).sqlite").path
        let clock = FixedClock(Day("2026-11-22")!.startDate)
        let a = Engine(store: try await StoreFactory.open(path), clock: clock, nodeCacheLifetime: .seconds(60))
        try await a.loadDemo()
        _ = try await a.access.bootstrapAdministrator(token: "admin-secret", context: a.context("system"))
        return (a, Engine(store: try await StoreFactory.open(path), clock: clock, nodeCacheLifetime: .milliseconds(50)),
                Engine(store: try await StoreFactory.open(path), clock: clock, nodeCacheLifetime: .seconds(60)))
    }

    func close(_ engines: Engine...) async throws {
        for engine in engines { try await engine.store.close() }
    }

    @Test("R-2.4: a token revoked through this node is refused at once; through another node, once the node cache's lifetime has passed")
    func revocation() async throws {
        let (a, brief, b) = try await nodes()
        let context = a.context("admin")
        let (first, firstSecret) = try await a.access.issueToken(for: "agent", label: "first", context: context)
        let (_, secondSecret) = try await a.access.issueToken(for: "agent", label: "second", context: context)
        #expect(try await a.access.authenticate(firstSecret).id == "agent")
        #expect(try await brief.access.authenticate(firstSecret).id == "agent")
        #expect(try await a.access.authenticate(secondSecret).id == "agent")
        // Revoked through node B: a node keeps its check for its lifetime, then reads again.
        _ = try await b.access.revokeToken(first.id, of: "agent", context: context)
        await #expect(throws: EngineError.self) { try await b.access.authenticate(firstSecret) }
        #expect(try await a.access.authenticate(firstSecret).id == "agent", "within the lifetime node A trusts its check")
        try await Task.sleep(for: .milliseconds(200))
        await #expect(throws: EngineError.self, "past its lifetime the node reads the token again") { try await brief.access.authenticate(firstSecret) }
        // Revoked through node A itself: refused at once.
        let second = try #require(try await a.access.tokens(of: "agent").first { $0.label == "second" })
        _ = try await a.access.revokeToken(second.id, of: "agent", context: context)
        await #expect(throws: EngineError.self) { try await a.access.authenticate(secondSecret) }
        try await close(a, brief, b)
    }

    @Test("R-1.13: a catalog version activated through another node shows once the lifetime has passed; through this node at once")
    func catalogStamp() async throws {
        let (a, brief, b) = try await nodes()
        let before = try await a.catalogs.versionStamp()
        #expect(try await brief.catalogs.versionStamp() == before)
        var catalog = try await a.catalogs.active(on: a.today).catalog
        catalog.header.version = "2026.2"
        _ = try await b.catalogs.store(catalog, context: b.context("admin"))
        #expect(try await b.catalogs.versionStamp() != before, "the node that stored it sees it at once")
        #expect(try await a.catalogs.versionStamp() == before, "within the lifetime node A trusts what it read")
        try await Task.sleep(for: .milliseconds(200))
        let stored = try await brief.catalogs.versionStamp()
        #expect(stored != before && stored.contains("2026.2@1"), "past its lifetime the node reads the list again")
        _ = try await a.catalogs.activate("2026.2", context: a.context("admin"))
        #expect(try await a.catalogs.versionStamp().contains("2026.2@2"), "the node that activated it sees it at once")
        try await close(a, brief, b)
    }

    @Test("An answer read before this node changed what it depends on is never kept after the change")
    func readBeforeChange() {
        let cache = ExpiringCache<String, Int>(lifetime: .seconds(60))
        let generation = cache.generation
        cache.removeAll() // a change through this node, while the answer was being read
        cache.set(1, for: "k", readIn: generation)
        #expect(cache.value(for: "k") == nil)
        cache.set(2, for: "k", readIn: cache.generation)
        #expect(cache.value(for: "k") == 2)
        let off = ExpiringCache<String, Int>(lifetime: .zero)
        off.set(3, for: "k", readIn: off.generation)
        #expect(off.value(for: "k") == nil, "a lifetime of 0 keeps nothing")
    }
}
