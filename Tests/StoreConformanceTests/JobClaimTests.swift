import ConvergentDomain
import ConvergentStore
import Foundation
import Testing

@Suite("R-14 job claims (SQLite always, PostgreSQL when configured)")
struct JobClaimTests {
    static let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("R-14: each due job is claimed by exactly one of several concurrent workers; jobs not due yet are left", arguments: Backend.available)
    func claimedOnce(backend: Backend) async throws {
        try await backend.withStore { store in
            var writes: [Write] = []
            for i in 1...30 { writes.append(try .insert(Job(id: String(format: "J%03d", i), kind: .releaseQueuedOrder, subject: "O\(i)", dueAt: Self.t0))) }
            for i in 31...35 { writes.append(try .insert(Job(id: String(format: "J%03d", i), kind: .releaseQueuedOrder, subject: "O\(i)", dueAt: Self.t0.addingTimeInterval(86_400)))) }
            try await store.commit(writes, context: context())
            let now = Self.t0.addingTimeInterval(60)
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for worker in 1...4 {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await store.claimDueJobs(now: now, limit: 3, worker: "w\(worker)", until: now.addingTimeInterval(300), context: context("w\(worker)"))
                            if batch.isEmpty { return mine }
                            #expect(batch.allSatisfy { $0.value.claimedBy == "w\(worker)" && $0.value.status == .running })
                            mine += batch.map(\.value.id)
                        }
                    }
                }
                var all: [String] = []
                for try await ids in group { all += ids }
                return all
            }
            #expect(claims.count == 30)
            #expect(Set(claims) == Set((1...30).map { String(format: "J%03d", $0) }))
            // Claimed: not claimed again while the claims last; the claim is in each job's history.
            #expect(try await store.claimDueJobs(now: now.addingTimeInterval(299), limit: 50, worker: "w9", until: now, context: context()).isEmpty)
            let history = try await store.history(.job, id: "J001")
            #expect(history.map(\.version) == [1, 2])
        }
    }

    @Test("R-14: a job whose worker died (its claim ran out) is claimed again; a finished one never", arguments: Backend.available)
    func expiredClaims(backend: Backend) async throws {
        try await backend.withStore { store in
            try await store.commit([try .insert(Job(id: "J1", kind: .releaseQueuedOrder, subject: "O1", dueAt: Self.t0)),
                                    try .insert(Job(id: "J2", kind: .releaseQueuedOrder, subject: "O2", dueAt: Self.t0))], context: context())
            let first = try await store.claimDueJobs(now: Self.t0, limit: 10, worker: "dead", until: Self.t0.addingTimeInterval(300), context: context())
            #expect(first.count == 2)
            var done = try #require(first.first { $0.value.id == "J2" })
            try done.value.finish("ok", at: Self.t0)
            try await store.update(done.value, expectedVersion: done.version, context: context())
            let again = try await store.claimDueJobs(now: Self.t0.addingTimeInterval(301), limit: 10, worker: "alive", until: Self.t0.addingTimeInterval(601), context: context())
            #expect(again.map(\.value.id) == ["J1"])
            #expect(again.first?.value.attempts == 2)
            #expect(again.first?.value.claimedBy == "alive")
        }
    }
}
