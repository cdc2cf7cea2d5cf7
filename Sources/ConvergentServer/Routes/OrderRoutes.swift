import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird

/// Orders (R-3.1 … ): create, read, list with filters, lines, header, cancel. Sessions,
/// holds and submission arrive with the rest of the orders issue.
struct OrderRoutes {
    let engine: Engine
    /// Single order reads, encoded, until something they show changes.
    let readCache = OrderReadCache()

    struct CreateInput: Decodable, Sendable {
        var captureType: CaptureType
        var soldTo: String
        var contact: String?
        var relatedCustomers: [String]?
        var productSellingDate: Day?
        var source: String?
        var subSource: String?
        var trialDays: Int?
        var customerInformation: [Wire.CustomerOrderInformation]?
    }

    struct LineInput: Decodable, Sendable {
        var product: ProductID?
        var installedContract: String?
        var action: LineAction?
        var owner: String?
        var reason: String?
    }

    struct AdjustmentInput: Decodable, Sendable {
        var line: Int?
        var type: PriceType
        var amount: Decimal
        var currency: String
        var reason: String
    }

    struct ConfirmInput: Decodable, Sendable {
        var confirm: Bool?
    }

    struct RowInput: Decodable, Sendable {
        var customer: String
        var contact: String?
        var installedContract: String?
    }

    struct CustomerInput: Decodable, Sendable {
        var customer: String
    }

    struct ConvertInput: Decodable, Sendable {
        var captureType: CaptureType
    }

    struct ReleaseInput: Decodable, Sendable {
        var asOf: Day?
    }

    struct OverrideInput: Decodable, Sendable {
        var reason: String
    }

    struct HeaderInput: Decodable, Sendable {
        var productSellingDate: Day?
        var trialDays: Int?
    }

    /// The `kind` query parameter: one of the job kinds the runner has.
    func jobKind(_ request: Request) throws -> JobKind? {
        guard let text = request.query("kind") else { return nil }
        let kinds = JobRegistry.standard(engine).kinds
        guard kinds.contains(JobKind(rawValue: text)) else {
            throw Problem(.unprocessableContent, "invalid-parameter", "kind '\(text)' is not a job kind (\(kinds.map(\.rawValue).joined(separator: ", ")))", field: "kind")
        }
        return JobKind(rawValue: text)
    }

    func register(_ routes: inout Routes, _ api: RouterGroup<AppRequestContext>) {
        let p = "/api/v1"
        routes.add(.post, "/orders", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(CreateInput.self, from: request)
            var header = OrderHeader(soldTo: input.soldTo, contact: input.contact, relatedCustomers: input.relatedCustomers ?? [],
                                     productSellingDate: input.productSellingDate, source: input.source, subSource: input.subSource,
                                     trialDays: input.trialDays)
            header.customerInformation = try input.customerInformation?.enumerated().map { try $1.information(field: "customerInformation[\($0)]") }
            let created = try await engine.orders.create(input.captureType, header: header, on: engine.today, context: engine.context(user.id))
            let body = try await view(created)
            return try JSONIO.response(body, status: .created, headers: [.location: "/api/v1/orders/\(body.id)"])
        }
        routes.add(.get, "/orders", api, prefix: p) { request, context in
            _ = try context.require(.manageCustomers)
            let limit = try request.limitParameter()
            let found = try await engine.orders.orders(customer: request.query("customer"), status: try request.enumParameter("status", OrderStatus.self),
                                                       captureType: try request.enumParameter("captureType", CaptureType.self),
                                                       from: try request.dayParameter("from"), to: try request.dayParameter("to"),
                                                       after: request.query("cursor"), limit: limit + 1)
            let items = try found.prefix(limit).map { try Wire.Order(OrderDetail($0)) }
            return try JSONIO.response(Wire.OrderPage(items: items, nextCursor: found.count > limit ? items.last?.id : nil))
        }
        routes.add(.get, "/orders/{id}", api, prefix: p) { _, context in
            _ = try context.require(.manageCustomers)
            return try await readCache.response(for: try context.parameter("id"), engine: engine) { try await view($0) }
        }
        routes.add(.post, "/orders/{id}/lines", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(LineInput.self, from: request)
            let changed = try await engine.orders.addLine(toOrder: try context.parameter("id"), product: input.product, installedContract: input.installedContract,
                                                          action: input.action, owner: input.owner, reason: input.reason,
                                                          expectedVersion: try request.expectedVersion(), today: engine.today, context: engine.context(user.id))
            return try JSONIO.response(try await view(changed), status: .created)
        }
        routes.add(.post, "/orders/{id}/lines/{line}/site", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let line = try lineNumber(context)
            let input = try await JSONIO.decode(Wire.SiteInformation.self, from: request).site
            return try JSONIO.response(try await view(try await engine.orders.setSite(input, ofLine: line, onOrder: try context.parameter("id"),
                                                                                  expectedVersion: try request.expectedVersion(), context: engine.context(user.id))))
        }
        routes.add(.post, "/orders/{id}/information", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(Wire.CustomerOrderInformation.self, from: request).information()
            return try JSONIO.response(try await view(try await engine.orders.setInformation(input, onOrder: try context.parameter("id"),
                                                                                         expectedVersion: try request.expectedVersion(), day: engine.today,
                                                                                         context: engine.context(user.id))))
        }
        routes.add(.post, "/orders/{id}/adjustments", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(AdjustmentInput.self, from: request)
            return try JSONIO.response(try await view(try await engine.orders.addAdjustment(
                toOrder: try context.parameter("id"), line: input.line, type: input.type, amount: input.amount, currency: input.currency,
                reason: input.reason, expectedVersion: try request.expectedVersion(), context: engine.context(user.id))), status: .created)
        }
        routes.add(.post, "/orders/{id}/adjustments/{adjustment}/remove", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let adjustment = try context.parameter("adjustment")
            return try JSONIO.response(try await view(try await engine.orders.removeAdjustment(
                adjustment, fromOrder: try context.parameter("id"), expectedVersion: try request.expectedVersion(), context: engine.context(user.id))))
        }
        routes.add(.post, "/orders/{id}/rows", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(RowInput.self, from: request)
            return try JSONIO.response(try await view(try await engine.orders.addBulkRow(toOrder: try context.parameter("id"), customer: input.customer,
                                                                                     contact: input.contact, installedContract: input.installedContract,
                                                                                     expectedVersion: try request.expectedVersion(), context: engine.context(user.id))),
                                       status: .created)
        }
        routes.add(.post, "/orders/{id}/rows/{row}/remove", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let text = try context.parameter("row")
            guard let row = Int(text), row > 0 else {
                throw Problem(.unprocessableContent, "invalid-parameter", "row should be a row number, got '\(text)'", field: "row")
            }
            return try JSONIO.response(try await view(try await engine.orders.removeBulkRow(
                row, fromOrder: try context.parameter("id"), expectedVersion: try request.expectedVersion(), context: engine.context(user.id))))
        }
        routes.add(.post, "/orders/{id}/lines/{line}/clone", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let line = try lineNumber(context)
            return try JSONIO.response(try await view(try await engine.orders.cloneLine(
                line, ofOrder: try context.parameter("id"), expectedVersion: try request.expectedVersion(), context: engine.context(user.id))), status: .created)
        }
        routes.add(.post, "/orders/{id}/lines/{line}/remove", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let line = try lineNumber(context)
            return try JSONIO.response(try await view(try await engine.orders.removeLine(
                line, fromOrder: try context.parameter("id"), expectedVersion: try request.expectedVersion(), context: engine.context(user.id))))
        }
        routes.add(.post, "/orders/{id}/lines/{line}/customer", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let line = try lineNumber(context)
            let input = try await JSONIO.decode(CustomerInput.self, from: request)
            return try JSONIO.response(try await view(try await engine.orders.setCustomer(
                input.customer, ofLine: line, inOrder: try context.parameter("id"), expectedVersion: try request.expectedVersion(), context: engine.context(user.id))))
        }
        routes.add(.post, "/orders/{id}/header", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(HeaderInput.self, from: request)
            return try JSONIO.response(try await view(try await engine.orders.setHeader(
                ofOrder: try context.parameter("id"), productSellingDate: input.productSellingDate, trialDays: input.trialDays,
                expectedVersion: try request.expectedVersion(), context: engine.context(user.id))))
        }
        routes.add(.post, "/orders/{id}/validate", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            return try JSONIO.response(try await view(try await engine.orders.validate(try context.parameter("id"), expectedVersion: try request.expectedVersion(),
                                                                                  today: engine.today, context: engine.context(user.id, reason: "validation"))))
        }
        routes.add(.post, "/orders/{id}/holds/{code}/override", api, prefix: p) { request, context in
            let user = try context.require(.overrideHolds)
            let input = try await JSONIO.decode(OverrideInput.self, from: request)
            let text = try context.parameter("code")
            guard let code = HoldCode(rawValue: text) else {
                throw Problem(.notFound, "unknown-hold", "no hold code '\(text)'", field: "code")
            }
            return try JSONIO.response(try await view(try await engine.orders.overrideHold(
                code, ofOrder: try context.parameter("id"), reason: input.reason, expectedVersion: try request.expectedVersion(), context: engine.context(user.id))))
        }
        routes.add(.post, "/orders/{id}/submit", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            return try JSONIO.response(try await view(try await engine.orders.submit(try context.parameter("id"), expectedVersion: try request.expectedVersion(),
                                                                                today: engine.today, context: engine.context(user.id, reason: "submission"))))
        }
        routes.add(.post, "/orders/{id}/release", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = request.headers[.contentType] == nil ? ReleaseInput(asOf: nil) : try await JSONIO.decode(ReleaseInput.self, from: request)
            return try JSONIO.response(try await view(try await engine.orders.release(try context.parameter("id"), asOf: input.asOf ?? engine.today,
                                                                                 context: engine.context(user.id, reason: "release"))))
        }
        routes.add(.get, "/installed-contracts/{id}", api, prefix: p) { request, context in
            _ = try context.require(.manageCustomers)
            let id = try context.parameter("id")
            if let day = try request.dayParameter("asOf") {
                return try JSONIO.response(try Wire.InstalledContract(try await engine.installedBase.contract(id, asOf: day)))
            }
            return try JSONIO.response(try Wire.InstalledContract(try await engine.installedBase.contract(id, field: "id")))
        }
        routes.add(.get, "/customers/{id}/installed-contracts", api, prefix: p) { request, context in
            _ = try context.require(.manageCustomers)
            let id = try context.parameter("id")
            _ = try await engine.parties.customer(id)
            let page = try await engine.installedBase.contracts(of: id, after: request.query("cursor"), limit: try request.limitParameter())
            return try JSONIO.response(try Wire.InstalledContractPage(page))
        }
        routes.add(.get, "/jobs", api, prefix: p) { request, context in
            _ = try context.require(.manageCustomers)
            let limit = try request.limitParameter()
            let found = try await engine.jobs(status: try request.enumParameter("status", JobStatus.self), kind: try jobKind(request),
                                              after: request.query("cursor"), limit: limit + 1)
            let items = found.prefix(limit).map(Wire.Job.init)
            return try JSONIO.response(Wire.JobPage(items: items, nextCursor: found.count > limit ? items.last?.id : nil))
        }
        setting(Wire.TrialSetup.self, at: "/setup/trial-periods", &routes, api)
        setting(Wire.ReasonCodes.self, at: "/setup/reason-codes", &routes, api)
        routes.add(.post, "/orders/{id}/related-customers", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(CustomerInput.self, from: request)
            return try JSONIO.response(try await view(try await engine.orders.addRelatedCustomer(input.customer, toOrder: try context.parameter("id"),
                                                                                             expectedVersion: try request.expectedVersion(), day: engine.today,
                                                                                             context: engine.context(user.id))), status: .created)
        }
        routes.add(.post, "/orders/{id}/related-customers/{customer}/remove", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let customer = try context.parameter("customer")
            let input = request.headers[.contentType] == nil ? ConfirmInput(confirm: false) : try await JSONIO.decode(ConfirmInput.self, from: request)
            return try JSONIO.response(try await view(try await engine.orders.removeRelatedCustomer(
                customer, fromOrder: try context.parameter("id"), confirmed: input.confirm ?? false, expectedVersion: try request.expectedVersion(),
                context: engine.context(user.id))))
        }
        routes.add(.post, "/orders/{id}/convert", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            let input = try await JSONIO.decode(ConvertInput.self, from: request)
            let id = try context.parameter("id")
            let order = try await engine.orders.convert(id, to: input.captureType, today: engine.today, context: engine.context(user.id, reason: "conversion of \(id)"))
            let body = try await view(order)
            return try JSONIO.response(body, status: body.id == id ? .ok : .created, headers: [.location: "/api/v1/orders/\(body.id)"])
        }
        routes.add(.post, "/orders/{id}/cancel", api, prefix: p) { request, context in
            let user = try context.require(.manageCustomers)
            return try JSONIO.response(try await view(try await engine.orders.cancel(
                try context.parameter("id"), expectedVersion: try request.expectedVersion(), context: engine.context(user.id))))
        }
    }

    /// GET (agents) and PUT (administrators) of one setup record.
    func setting<W: WireSetting>(_ type: W.Type, at path: String, _ routes: inout Routes, _ api: RouterGroup<AppRequestContext>) {
        routes.add(.get, path, api, prefix: "/api/v1") { _, context in
            _ = try context.require(.manageCustomers)
            let stored = try await engine.setting(W.Setting.self)
            return try W.response(stored)
        }
        routes.add(.put, path, api, prefix: "/api/v1") { request, context in
            let user = try context.require(.manageCatalog)
            let input = try await JSONIO.decode(W.self, from: request).setting
            let stored = try await engine.setSetting(input, expectedVersion: try request.expectedVersion(),
                                                     context: engine.context(user.id, reason: W.Setting.settingID))
            return try W.response(stored)
        }
    }

    func lineNumber(_ context: AppRequestContext) throws -> Int {
        let text = try context.parameter("line")
        guard let number = Int(text), number > 0 else {
            throw Problem(.unprocessableContent, "invalid-parameter", "line should be a line number, got '\(text)'", field: "line")
        }
        return number
    }
}
