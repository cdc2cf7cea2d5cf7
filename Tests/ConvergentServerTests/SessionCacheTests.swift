import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
@testable import ConvergentServer
import Foundation
import Testing

@Suite("R-4.2: an open session is not rebuilt on every request")
struct SessionCacheTests {
    /// One agent's work in a session: the steps `bench pipeline` takes, plus a refusal, a removal and reads.
    func work(_ engine: Engine) async throws -> [String] {
        let book = engine.orders, today = engine.today, context = engine.context("agent")
        var answers: [String] = []
        func record(_ view: SessionView) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            answers.append(String(decoding: try encoder.encode(Wire.Session(view)), as: UTF8.self))
        }
        let order = try await book.create(.convergent, header: OrderHeader(soldTo: "CUST-JANE"), on: today, context: context)
        _ = try await book.addLine(toOrder: order.value.id, product: "HOME-CONTRACT", installedContract: nil, action: nil, owner: nil, reason: nil,
                                   expectedVersion: nil, today: today, context: context)
        let opened = try await book.openSession(order: order.value.id, today: today, context: context).view
        try record(opened)
        let id = opened.session.id
        var view = try await book.apply([.add(product: "FIBER-500", contract: "L1", parent: nil, placements: [:]),
                                         .add(product: "TV-BASIC-PACK", contract: "L1", parent: nil, placements: [:])],
                                        toSession: id, expectedVersion: nil, today: today, context: context)
        try record(view)
        await #expect(throws: (any Error).self) {
            _ = try await book.apply([.add(product: "NO-SUCH-PRODUCT", contract: "L1", parent: nil, placements: [:])], toSession: id,
                                     expectedVersion: nil, today: today, context: context)
        }
        view = try await book.apply([.add(product: "VOIP-LINE", contract: "L1", parent: nil, placements: [:])], toSession: id,
                                    expectedVersion: nil, today: today, context: context)
        try record(view)
        let voip = try #require(view.report.elements.first { $0.product == "VOIP-LINE" }).instance
        view = try await book.apply([.setAttribute(instance: voip, name: "phoneNumber", value: "+3225550000")], toSession: id,
                                    expectedVersion: nil, today: today, context: context)
        try record(view)
        let tv = try #require(view.report.elements.first { $0.product == "TV-BASIC-PACK" }).instance
        _ = try await book.instance(tv, inSession: id, today: today)
        view = try await book.apply([.remove(instance: tv), .add(product: "STATIC-IP", contract: "L1", parent: nil, placements: [:])], toSession: id,
                                    expectedVersion: nil, today: today, context: context)
        try record(view)
        // A removed new product leaves the answer at once (not only once the session is read again),
        // and the next new instance takes the number after the highest present.
        #expect(!view.report.elements.contains { $0.product == "TV-BASIC-PACK" || $0.instance == tv })
        let keys = view.report.elements.map(\.instance)
        #expect(keys.count == Set(keys).count, "no key twice")
        try record(try await book.session(id, today: today))
        let finished = try await book.finishSession(id, submit: true, today: today, context: context)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        answers.append(String(decoding: try encoder.encode(finished.value), as: UTF8.self))
        return answers
    }

    @Test("R-4.2: a session kept in memory answers exactly what rebuilding it from the stored document answers, step by step", arguments: TestBackend.available)
    func cachedEqualsRebuilt(backend: TestBackend) async throws {
        let cached = try await TestApp.make(backend)
        let rebuilt = try await TestApp.make(backend, sessionCacheCapacity: 0)
        let a = try await work(cached.engine), b = try await work(rebuilt.engine)
        #expect(a.count == b.count)
        for (step, (x, y)) in zip(a, b).enumerated() { #expect(x == y, "step \(step)") }
        #expect(await cached.engine.sessionCache.hits >= 5)
        #expect(await rebuilt.engine.sessionCache.hits == 0)
        for app in [cached, rebuilt] {
            try await app.engine.store.close()
            try await app.cleanUp()
        }
    }

    @Test("R-4.2, several nodes: a session changed by another node is rebuilt here from the stored version, with both changes", arguments: TestBackend.available)
    func anotherNodeMovesTheVersionOn(backend: TestBackend) async throws {
        let app = try await TestApp.make(backend)
        let other = Engine(store: try await app.openAnother(), clock: app.engine.clock)
        let today = app.engine.today, context = app.engine.context("agent")
        let order = try await app.engine.orders.create(.convergent, header: OrderHeader(soldTo: "CUST-JANE"), on: today, context: context)
        _ = try await app.engine.orders.addLine(toOrder: order.value.id, product: "HOME-CONTRACT", installedContract: nil, action: nil, owner: nil,
                                                reason: nil, expectedVersion: nil, today: today, context: context)
        let id = try await app.engine.orders.openSession(order: order.value.id, today: today, context: context).view.session.id
        _ = try await app.engine.orders.apply([.add(product: "FIBER-500", contract: "L1", parent: nil, placements: [:])], toSession: id,
                                              expectedVersion: nil, today: today, context: context)
        _ = try await other.orders.apply([.add(product: "TV-BASIC-PACK", contract: "L1", parent: nil, placements: [:])], toSession: id,
                                         expectedVersion: nil, today: today, context: context)
        let missesBefore = await app.engine.sessionCache.misses
        let view = try await app.engine.orders.apply([.add(product: "SPORTS-PACK", contract: "L1", parent: nil, placements: [:])], toSession: id,
                                                     expectedVersion: nil, today: today, context: context)
        #expect(await app.engine.sessionCache.misses == missesBefore + 1, "the stale copy was not used")
        let products = Set(view.report.elements.map(\.product))
        #expect(products.isSuperset(of: ["FIBER-500", "TV-BASIC-PACK", "SPORTS-PACK"]))
        #expect(view.version == 4)
        try await other.store.close()
        try await app.engine.store.close()
        try await app.cleanUp()
    }
}
