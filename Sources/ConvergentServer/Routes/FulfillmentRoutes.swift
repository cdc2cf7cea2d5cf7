import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird

/// provisioning callbacks (signed, no token), jeopardy and what agents do about
/// it, and installed products with their links and history.
struct FulfillmentRoutes {
    let engine: Engine
    /// The HMAC secret shared with provisioning systems; without it callbacks are refused.
    let callbackSecret: String?

    /// A provisioning system's answer to one send of one message.
    struct CallbackInput: Decodable {
        enum Result: String, Decodable { case completed, failed }
        var message: String
        var attempt: Int
        var status: Result
        var error: String?
        var items: [ProvisioningItemAnswer]?
    }

    func register(_ routes: inout Routes, _ api: RouterGroup<AppRequestContext>) {
        let p = "/api/v1"
        routes.add(.post, p + "/provisioning/callbacks") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let bytes = Array(body.readableBytesView)
            guard let secret = callbackSecret, !secret.isEmpty else {
                throw Problem(.unauthorized, "callbacks-not-configured", "this server takes no provisioning callbacks: set CONVERGENT_PROVISIONING_SECRET")
            }
            guard ProvisioningSignature.isValid(request.headers[values: .init(ProvisioningSignature.header)!].first, body: bytes, secret: secret) else {
                throw Problem(.unauthorized, "invalid-signature", "the \(ProvisioningSignature.header) header is missing or is not the HMAC-SHA256 of the body",
                              field: ProvisioningSignature.header)
            }
            let input = try JSONDecoder().decode(CallbackInput.self, from: Data(bytes))
            let context = engine.context("provisioning", reason: "provisioning answer")
            let outcome = try await engine.retryingConflicts {
                try await engine.fulfiller.answer(input.message, attempt: input.attempt, success: input.status == .completed,
                                                  error: input.error, answers: input.items ?? [], at: engine.clock.now(), context: context)
            }
            return try JSONIO.response(Wire.CallbackOutcome(message: input.message, outcome: outcome))
        }
        routes.add(.post, "/orders/{id}/fulfillment/retry", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let order = try await engine.fulfiller.retry(try context.parameter("id"), expectedVersion: try request.expectedVersion(),
                                                         at: engine.clock.now(), context: engine.context(user.id, reason: "provisioning retried"))
            return try JSONIO.response(try Wire.Order(try await engine.orderDetail(order)))
        }
        routes.add(.post, "/orders/{id}/fulfillment/resume", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let order = try await engine.fulfiller.resume(try context.parameter("id"), expectedVersion: try request.expectedVersion(),
                                                          at: engine.clock.now(), context: engine.context(user.id, reason: "provisioning resumed"))
            return try JSONIO.response(try Wire.Order(try await engine.orderDetail(order)))
        }
        routes.add(.get, "/fulfillment/jeopardy", api, prefix: p) { request, context in
            _ = try context.require(.manageCustomers)
            let limit = try request.limitParameter()
            let page = try await engine.fulfiller.jeopardy(after: request.query("cursor"), limit: limit)
            return try JSONIO.response(Wire.JeopardyPage(page))
        }
        routes.add(.get, "/installed-products/{id}", api, prefix: p) { _, context in
            _ = try context.require(.manageCustomers)
            // Without an active catalog the product is shown without kinds and relations.
            let active = try? await engine.catalogs.active(on: engine.today)
            let catalog = if let active { await engine.catalogs.index(of: active) } else { CatalogIndex?.none }
            return try JSONIO.response(try Wire.InstalledProduct(try await engine.installedBase.product(try context.parameter("id"), catalog: catalog)))
        }
    }
}
