import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes

/// Orders (R-3.1 … ): create, read, list with filters, lines, rows, adjustments, related
/// customers, header, information, validation, holds, submission, release, conversion, cancel;
/// and the operator's setup the orders read (R-10.1 trial periods, R-3.6 reason codes).
extension API {
    func createOrder(_ input: Operations.CreateOrder.Input) async throws -> Operations.CreateOrder.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        var header = OrderHeader(soldTo: body.soldTo, contact: body.contact, relatedCustomers: body.relatedCustomers ?? [],
                                 productSellingDate: try requestDay(body.productSellingDate, field: "productSellingDate"),
                                 source: body.source, subSource: body.subSource, trialDays: body.trialDays)
        header.customerInformation = try body.customerInformation?.enumerated().map { try $1.information(field: "customerInformation[\($0)]") }
        let created = try await view(try await engine.orders.create(try sameCase(body.captureType), header: header, on: engine.today, context: engine.context(user.id)))
        return .created(.init(headers: .init(location: "/api/v1/orders/\(created.id)"), body: .json(created)))
    }

    func listOrders(_ input: Operations.ListOrders.Input) async throws -> Operations.ListOrders.Output {
        _ = try require(.manageCustomers)
        let q = input.query
        let limit = try pageSize(q.limit)
        let found = try await engine.orders.orders(customer: q.customer, status: try enumParameter(q.status, "status", OrderStatus.self),
                                                   captureType: try enumParameter(q.captureType, "captureType", CaptureType.self),
                                                   from: try dayParameter(q.from, "from"), to: try dayParameter(q.to, "to"),
                                                   after: q.cursor, limit: limit + 1)
        let items = try found.prefix(limit).map { try Wire.Order(OrderDetail($0)) }
        return .ok(.init(body: .json(Wire.OrderPage(items: items, nextCursor: found.count > limit ? items.last?.id : nil))))
    }

    func getOrder(_ input: Operations.GetOrder.Input) async throws -> Operations.GetOrder.Output {
        _ = try require(.manageCustomers)
        // Answered from `OrderReadCache` while nothing it shows changes.
        return .ok(.init(body: .json(try await view(try await engine.orders.order(input.path.id)))))
    }

    func addOrderLine(_ input: Operations.AddOrderLine.Input) async throws -> Operations.AddOrderLine.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let changed = try await engine.orders.addLine(toOrder: input.path.id, product: body.product.map { ProductID($0) }, installedContract: body.installedContract,
                                                      installedProduct: body.installedProduct, action: try body.action.map { try sameCase($0) }, owner: body.owner, reason: body.reason,
                                                      expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today, context: engine.context(user.id))
        return .created(.init(body: .json(try await view(changed))))
    }

    func setOrderLineSite(_ input: Operations.SetOrderLineSite.Input) async throws -> Operations.SetOrderLineSite.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try await view(try await engine.orders.setSite(
            body.site, ofLine: try numberParameter(input.path.line, "line"), onOrder: input.path.id,
            expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func setOrderLineBilling(_ input: Operations.SetOrderLineBilling.Input) async throws -> Operations.SetOrderLineBilling.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let changed = try await engine.orders.setBilling(
            body.rows.map { BillingChoice(sequence: $0.sequence, customer: $0.customer, contact: $0.contact, account: $0.account, newAccount: $0.newAccount) },
            ofLine: try numberParameter(input.path.line, "line"), component: body.component, confirmed: body.confirm ?? false, onOrder: input.path.id,
            expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today, context: engine.context(user.id))
        return .ok(.init(body: .json(try await view(changed.order))))
    }

    func markNewBillingAccount(_ input: Operations.MarkNewBillingAccount.Input) async throws -> Operations.MarkNewBillingAccount.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .created(.init(body: .json(try await view(try await engine.orders.markNewAccount(
            customer: body.customer, contact: body.contact, type: try sameCase(body._type), onOrder: input.path.id,
            expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today, context: engine.context(user.id))))))
    }

    func unmarkNewBillingAccount(_ input: Operations.UnmarkNewBillingAccount.Input) async throws -> Operations.UnmarkNewBillingAccount.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try await view(try await engine.orders.unmarkNewAccount(
            input.path.account, onOrder: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func setMigrationBilledTo(_ input: Operations.SetMigrationBilledTo.Input) async throws -> Operations.SetMigrationBilledTo.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try await view(try await engine.orders.setBilledTo(
            body.account, migration: input.path.migration, onOrder: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch),
            today: engine.today, context: engine.context(user.id))))))
    }

    func getSplitBillingSetup(_ input: Operations.GetSplitBillingSetup.Input) async throws -> Operations.GetSplitBillingSetup.Output {
        let (body, etag) = try await setting(Wire.BillingSetup.self)
        return .ok(.init(headers: .init(eTag: etag), body: .json(body)))
    }

    func setSplitBillingSetup(_ input: Operations.SetSplitBillingSetup.Input) async throws -> Operations.SetSplitBillingSetup.Output {
        let body = switch input.body { case let .json(body): body }
        let (answer, etag) = try await setSetting(body, ifMatch: input.headers.ifMatch)
        return .ok(.init(headers: .init(eTag: etag), body: .json(answer)))
    }

    func setOrderInformation(_ input: Operations.SetOrderInformation.Input) async throws -> Operations.SetOrderInformation.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try await view(try await engine.orders.setInformation(
            try body.information(), onOrder: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), day: engine.today,
            context: engine.context(user.id))))))
    }

    func addOrderAdjustment(_ input: Operations.AddOrderAdjustment.Input) async throws -> Operations.AddOrderAdjustment.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .created(.init(body: .json(try await view(try await engine.orders.addAdjustment(
            toOrder: input.path.id, line: body.line, type: try sameCase(body._type), amount: requestAmount(body.amount), currency: body.currency,
            reason: body.reason, expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func removeOrderAdjustment(_ input: Operations.RemoveOrderAdjustment.Input) async throws -> Operations.RemoveOrderAdjustment.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try await view(try await engine.orders.removeAdjustment(
            input.path.adjustment, fromOrder: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func addOrderRow(_ input: Operations.AddOrderRow.Input) async throws -> Operations.AddOrderRow.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .created(.init(body: .json(try await view(try await engine.orders.addBulkRow(
            toOrder: input.path.id, customer: body.customer, contact: body.contact, installedContract: body.installedContract,
            expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func removeOrderRow(_ input: Operations.RemoveOrderRow.Input) async throws -> Operations.RemoveOrderRow.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try await view(try await engine.orders.removeBulkRow(
            try numberParameter(input.path.row, "row"), fromOrder: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch),
            context: engine.context(user.id))))))
    }

    func cloneOrderLine(_ input: Operations.CloneOrderLine.Input) async throws -> Operations.CloneOrderLine.Output {
        let user = try require(.manageCustomers)
        return .created(.init(body: .json(try await view(try await engine.orders.cloneLine(
            try numberParameter(input.path.line, "line"), ofOrder: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch),
            context: engine.context(user.id))))))
    }

    func removeOrderLine(_ input: Operations.RemoveOrderLine.Input) async throws -> Operations.RemoveOrderLine.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try await view(try await engine.orders.removeLine(
            try numberParameter(input.path.line, "line"), fromOrder: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch),
            context: engine.context(user.id))))))
    }

    func setOrderLineCustomer(_ input: Operations.SetOrderLineCustomer.Input) async throws -> Operations.SetOrderLineCustomer.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try await view(try await engine.orders.setCustomer(
            body.customer, ofLine: try numberParameter(input.path.line, "line"), inOrder: input.path.id,
            expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func chooseLineCommitment(_ input: Operations.ChooseLineCommitment.Input) async throws -> Operations.ChooseLineCommitment.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try await view(try await engine.orders.chooseCommitment(
            ProductID(body.commitment), forLine: try numberParameter(input.path.line, "line"), inOrder: input.path.id, today: engine.today,
            expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func setOrderHeader(_ input: Operations.SetOrderHeader.Input) async throws -> Operations.SetOrderHeader.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .ok(.init(body: .json(try await view(try await engine.orders.setHeader(
            ofOrder: input.path.id, productSellingDate: try requestDay(body.productSellingDate, field: "productSellingDate"), trialDays: body.trialDays,
            expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func validateOrder(_ input: Operations.ValidateOrder.Input) async throws -> Operations.ValidateOrder.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try await view(try await engine.orders.validate(
            input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today, context: engine.context(user.id, reason: "validation"))))))
    }

    func overrideOrderHold(_ input: Operations.OverrideOrderHold.Input) async throws -> Operations.OverrideOrderHold.Output {
        let user = try require(.overrideHolds)
        let body = switch input.body { case let .json(body): body }
        guard let code = HoldCode(rawValue: input.path.code) else {
            throw Problem(.notFound, "unknown-hold", "no hold code '\(input.path.code)'", field: "code")
        }
        return .ok(.init(body: .json(try await view(try await engine.orders.overrideHold(
            code, ofOrder: input.path.id, reason: body.reason, expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    func submitOrder(_ input: Operations.SubmitOrder.Input) async throws -> Operations.SubmitOrder.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try await view(try await engine.orders.submit(
            input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), today: engine.today, context: engine.context(user.id, reason: "submission"))))))
    }

    func releaseOrder(_ input: Operations.ReleaseOrder.Input) async throws -> Operations.ReleaseOrder.Output {
        let user = try require(.manageCustomers)
        let asOf = try requestDay(input.body.flatMap { body in switch body { case let .json(body): body.asOf } }, field: "asOf")
        return .ok(.init(body: .json(try await view(try await engine.orders.release(input.path.id, asOf: asOf ?? engine.today,
                                                                                   context: engine.context(user.id, reason: "release"))))))
    }

    func addOrderRelatedCustomer(_ input: Operations.AddOrderRelatedCustomer.Input) async throws -> Operations.AddOrderRelatedCustomer.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        return .created(.init(body: .json(try await view(try await engine.orders.addRelatedCustomer(
            body.customer, toOrder: input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), day: engine.today,
            context: engine.context(user.id))))))
    }

    func removeOrderRelatedCustomer(_ input: Operations.RemoveOrderRelatedCustomer.Input) async throws -> Operations.RemoveOrderRelatedCustomer.Output {
        let user = try require(.manageCustomers)
        let confirmed = input.body.flatMap { body in switch body { case let .json(body): body.confirm } } ?? false
        return .ok(.init(body: .json(try await view(try await engine.orders.removeRelatedCustomer(
            input.path.customer, fromOrder: input.path.id, confirmed: confirmed, expectedVersion: try expectedVersion(input.headers.ifMatch),
            context: engine.context(user.id))))))
    }

    func convertOrder(_ input: Operations.ConvertOrder.Input) async throws -> Operations.ConvertOrder.Output {
        let user = try require(.manageCustomers)
        let body = switch input.body { case let .json(body): body }
        let id = input.path.id
        let order = try await view(try await engine.orders.convert(id, to: try sameCase(body.captureType), today: engine.today,
                                                                   context: engine.context(user.id, reason: "conversion of \(id)")))
        // A quote converted to an order is a new order (201); a change of capture type keeps the order (200).
        return order.id == id ? .ok(.init(body: .json(order)))
            : .created(.init(headers: .init(location: "/api/v1/orders/\(order.id)"), body: .json(order)))
    }

    func cancelOrder(_ input: Operations.CancelOrder.Input) async throws -> Operations.CancelOrder.Output {
        let user = try require(.manageCustomers)
        return .ok(.init(body: .json(try await view(try await engine.orders.cancel(
            input.path.id, expectedVersion: try expectedVersion(input.headers.ifMatch), context: engine.context(user.id))))))
    }

    // MARK: Setup: GET (agents) and PUT (administrators) of one setup record, with its version as the ETag.

    func getTrialPeriodSetup(_ input: Operations.GetTrialPeriodSetup.Input) async throws -> Operations.GetTrialPeriodSetup.Output {
        let (body, etag) = try await setting(Wire.TrialSetup.self)
        return .ok(.init(headers: .init(eTag: etag), body: .json(body)))
    }

    func setTrialPeriodSetup(_ input: Operations.SetTrialPeriodSetup.Input) async throws -> Operations.SetTrialPeriodSetup.Output {
        let body = switch input.body { case let .json(body): body }
        let (answer, etag) = try await setSetting(body, ifMatch: input.headers.ifMatch)
        return .ok(.init(headers: .init(eTag: etag), body: .json(answer)))
    }

    func getReasonCodes(_ input: Operations.GetReasonCodes.Input) async throws -> Operations.GetReasonCodes.Output {
        let (body, etag) = try await setting(Wire.ReasonCodes.self)
        return .ok(.init(headers: .init(eTag: etag), body: .json(body)))
    }

    func setReasonCodes(_ input: Operations.SetReasonCodes.Input) async throws -> Operations.SetReasonCodes.Output {
        let body = switch input.body { case let .json(body): body }
        let (answer, etag) = try await setSetting(body, ifMatch: input.headers.ifMatch)
        return .ok(.init(headers: .init(eTag: etag), body: .json(answer)))
    }

    func setting<W: WireSetting>(_: W.Type) async throws -> (W, String) {
        _ = try require(.manageCustomers)
        return W.answer(try await engine.setting(W.Setting.self))
    }

    func setSetting<W: WireSetting>(_ body: W, ifMatch: String?) async throws -> (W, String) {
        let user = try require(.manageSetup)
        return W.answer(try await engine.setSetting(body.setting, expectedVersion: try expectedVersion(ifMatch),
                                                    context: engine.context(user.id, reason: W.Setting.settingID)))
    }
}
