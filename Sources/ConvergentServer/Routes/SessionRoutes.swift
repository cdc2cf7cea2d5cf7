import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Hummingbird

/// Configuration sessions bound to orders (R-4.1 … ).
struct SessionRoutes {
    let engine: Engine

    struct OperationsInput: Decodable, Sendable {
        var operations: [Wire.Operation]
    }

    func register(_ routes: inout Routes, _ api: RouterGroup<AppRequestContext>) {
        let p = "/api/v1"
        routes.add(.post, "/orders/{id}/sessions", api, prefix: p) { _, context in
            let user = try context.require(.manageCustomers)
            let (view, opened) = try await engine.orders.openSession(order: try context.parameter("id"), today: engine.today,
                                                                     context: engine.context(user.id, reason: "session opened"))
            // The order's open session, when it has one, is answered as it is (200) instead of a second one.
            return try JSONIO.response(try Wire.Session(view), status: opened ? .created : .ok, headers: [.location: "/api/v1/sessions/\(view.session.id)"])
        }
        routes.add(.get, "/sessions/{id}", api, prefix: p) { _, context in
            _ = try context.require(.manageCustomers)
            return try JSONIO.response(try Wire.Session(try await engine.orders.session(try context.parameter("id"), today: engine.today)))
        }
        routes.add(.get, "/sessions/{id}/instances/{instance}", api, prefix: p) { _, context in
            let user = try context.require(.manageCustomers)
            return try JSONIO.response(try Wire.InstanceDetail(try await engine.orders.instance(try context.parameter("instance"), inSession: try context.parameter("id"),
                                                                                               today: engine.today, role: user.role)))
        }
        routes.add(.post, "/sessions/{id}/operations", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let operations = try await JSONIO.decode(OperationsInput.self, from: request).operations.enumerated()
                .map { try $1.operation(field: "operations[\($0)]") }
            return try JSONIO.response(try Wire.Session(try await engine.orders.apply(operations, toSession: try context.parameter("id"),
                                                                                     expectedVersion: try request.expectedVersion(), today: engine.today,
                                                                                     role: user.role, context: engine.context(user.id))))
        }
        routes.add(.post, "/sessions/{id}/save", api, prefix: p) { _, context in
            let user = try context.require(.manageCustomers)
            let order = try await engine.orders.finishSession(try context.parameter("id"), submit: false, today: engine.today,
                                                              context: engine.context(user.id, reason: "session saved"))
            return try JSONIO.response(try Wire.Order(try await engine.orderDetail(order)))
        }
        routes.add(.post, "/sessions/{id}/submit", api, prefix: p) { _, context in
            let user = try context.require(.manageCustomers)
            let order = try await engine.orders.finishSession(try context.parameter("id"), submit: true, today: engine.today,
                                                              context: engine.context(user.id, reason: "session submitted"))
            return try JSONIO.response(try Wire.Order(try await engine.orderDetail(order)))
        }
        routes.add(.post, "/sessions/{id}/cancel", api, prefix: p) { _, context in
            let user = try context.require(.manageCustomers)
            return try JSONIO.response(try Wire.ConfigurationSession(try await engine.orders.cancelSession(try context.parameter("id"),
                                                                                                      context: engine.context(user.id, reason: "session cancelled"))))
        }
    }
}
