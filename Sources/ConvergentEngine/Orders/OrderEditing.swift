import ConvergentDomain
import ConvergentStore
import Foundation

/// The order's edits that are one domain call each: each a use case the API, the console and
/// the CLI call alike — read the order, apply the change, store it with its history entry (who
/// and when from `context`, why from the use case), `expectedVersion` checked as `If-Match`.
extension ChangeContext {
    /// The same actor and time, with this reason.
    func because(_ reason: String) -> ChangeContext { ChangeContext(actor: actor, at: at, reason: reason) }
}

extension OrderBook {
    /// a price adjustment on a line, or on the order when `line` is nil.
    public func addAdjustment(toOrder id: String, line: Int?, type: PriceType, amount: Decimal, currency: String, reason: String,
                              expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context.because("price adjustment: \(reason)")) {
            _ = try $0.addAdjustment(line: line, type: type, amount: amount, currency: currency, reason: reason)
        }
    }

    public func removeAdjustment(_ adjustment: String, fromOrder id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context.because("adjustment \(adjustment) removed")) {
            try $0.removeAdjustment(adjustment)
        }
    }

    /// a bulk order's row.
    public func removeBulkRow(_ row: Int, fromOrder id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context.because("row \(row) removed")) {
            try $0.removeBulkRow(row)
        }
    }

    /// a copy of a line beside it.
    public func cloneLine(_ line: Int, ofOrder id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context) { try $0.cloneLine(line) }
    }

    public func removeLine(_ line: Int, fromOrder id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context.because("line \(line) removed")) {
            try $0.removeLine(line)
        }
    }

    /// the customer (owner) of a line.
    public func setCustomer(_ customer: String, ofLine line: Int, inOrder id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context) { try $0.setCustomer(customer, ofLine: line) }
    }

    /// the agent chooses the commitment a line takes among those its configuration triggers.
    public func chooseCommitment(_ commitment: ProductID, forLine line: Int, inOrder id: String, today: Day, expectedVersion: Int?,
                                 context: ChangeContext) async throws -> Versioned<Order> {
        let catalog = try await catalog(for: try await order(id).value, today: today)
        return try await change(id, expectedVersion: expectedVersion, context: context) { try $0.chooseCommitment(commitment, forLine: line, catalog: catalog) }
    }

    /// the header's product selling date and trial days (each only when given).
    public func setHeader(ofOrder id: String, productSellingDate: Day?, trialDays: Int?, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context) { order in
            if let productSellingDate { try order.setProductSellingDate(productSellingDate) }
            if let trialDays { try order.setTrialDays(trialDays) }
        }
    }

    /// a hold overridden by a user who may, with the reason.
    public func overrideHold(_ code: HoldCode, ofOrder id: String, reason: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context.because("override \(code.rawValue): \(reason)")) {
            try $0.overrideHold(code, by: context.actor, reason: reason, at: context.at)
        }
    }

    /// a related customer taken off the order (with what it owns there, once confirmed).
    public func removeRelatedCustomer(_ customer: String, fromOrder id: String, confirmed: Bool, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context.because("customer \(customer) removed")) {
            try $0.removeRelatedCustomer(customer, confirmed: confirmed)
        }
    }

    public func cancel(_ id: String, expectedVersion: Int?, context: ChangeContext) async throws -> Versioned<Order> {
        try await change(id, expectedVersion: expectedVersion, context: context.because("cancelled")) { try $0.move(to: .cancelled) }
    }
}
