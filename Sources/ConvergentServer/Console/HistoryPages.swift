import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Hummingbird

// The history of any record in the console: who changed it, when, why, and what the
// change did (its JSON Patch operations), a page of versions at a time.

struct HistoryPage: Sendable {
    struct Entry: Sendable {
        var version: Int
        var at: String
        var actor: String
        var event: String
        var reason: String?
        var changes: [String]
    }

    var layout: Layout
    var kind: String
    var record: String
    var entries: [Entry]
    var next: String?
}

extension Console {
    func registerHistory(on router: Router<AppRequestContext>) {
        router.get("/history/:kind/:id") { request, context in
            let kind = context.parameters.get("kind") ?? "", id = context.parameters.get("id") ?? ""
            return await page(request) { agent in
                let user = try Self.require(agent, .manageCustomers)
                let after = try request.formQuery.get("cursor").map { text -> Int in
                    guard let version = Int(text), version >= 0 else {
                        throw Problem(.unprocessableContent, "invalid-parameter", "cursor is the version a page ended with", field: "cursor")
                    }
                    return version
                } ?? 0
                let limit = 25
                let found = try await engine.history(kindNamed: kind, id: id, afterVersion: after, limit: limit + 1, reader: user)
                let items = try found.prefix(limit).map(Wire.HistoryEntry.init)
                let entries = items.map { e in
                    HistoryPage.Entry(version: e.version, at: ISO8601DateFormatter().string(from: e.at), actor: e.actor, event: e.event, reason: e.reason,
                                      changes: (e.change ?? []).map { "\($0.op.rawValue) \($0.path)" })
                }
                let next = found.count > limit ? items.last.map { "/history/\(Self.pathComponent(kind))/\(Self.pathComponent(id))?cursor=\($0.version)" } : nil
                return render("history", HistoryPage(layout: Layout(title: "History of \(kind) \(id)", agent: agent), kind: kind, record: id,
                                                     entries: entries, next: next))
            }
        }
    }
}
