import ConvergentDomain
import ConvergentStore
import Foundation

/// Orders: create with an autonumbered id, read, list, and change through the domain's rules
/// (R-3.1 … ). Sessions, holds and submission build on this.
public struct OrderBook: Sendable {
    let store: any ConvergentStore
    let catalogs: CatalogLibrary
    public var numbering: OrderNumbering = .standard

    /// Creates a draft order: the id is assigned at first save; the customers must exist.
    public func create(_ type: CaptureType, header: OrderHeader, on day: Day, context: ChangeContext) async throws -> Versioned<Order> {
        for (field, customer) in [("soldTo", header.soldTo)] + header.relatedCustomers.map({ ("relatedCustomers", $0) })
            where try await store.get(Customer.self, id: customer) == nil {
            throw EngineError(.invalidRequest, "customer '\(customer)' does not exist", field: field)
        }
        let number = try await store.nextNumber(numbering.sequenceName(for: type))
        let order = try Order(id: numbering.id(for: type, number: number), captureType: type, orderDate: day, header: header)
        return try await store.insert(order, context: context)
    }

    public func order(_ id: String) async throws -> Versioned<Order> {
        guard let found = try await store.get(Order.self, id: id) else { throw EngineError(.notFound, "no order '\(id)'") }
        return found
    }

    /// Orders by sold-to customer, status, capture type and order date range, by id.
    public func orders(customer: String?, status: OrderStatus?, captureType: CaptureType?, from: Day?, to: Day?,
                       after cursor: String?, limit: Int) async throws -> [Versioned<Order>] {
        var filter = RecordFilter()
        filter.equals["sold_to"] = customer
        filter.equals["status"] = status?.rawValue
        filter.equals["capture_type"] = captureType?.rawValue
        filter.atLeast["order_date"] = from?.description
        filter.atMost["order_date"] = to?.description
        return try await store.all(Order.self, filter: filter, after: cursor, limit: limit)
    }

    /// Applies a change through the order's own methods, in one transaction with its history;
    /// a stale version is a conflict, a refused change stores nothing.
    public func change(_ id: String, expectedVersion: Int?, context: ChangeContext,
                       _ body: (inout Order) throws -> Void) async throws -> Versioned<Order> {
        do {
            return try await store.modify(Order.self, id: id, expectedVersion: expectedVersion, context: context, body)
        } catch let error as StoreError where error.code == .notFound {
            throw EngineError(.notFound, "no order '\(id)'")
        }
    }

    /// Runs every hold check of the order's capture type and stores what it found.
    public func validate(_ id: String, expectedVersion: Int?, today: Day, context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await order(id).value
        let catalog = try await catalog(for: current, today: today)
        return try await change(id, expectedVersion: expectedVersion, context: context) { order in
            try order.recordHolds(HoldRegistry.holds(for: HoldContext(order: order, catalog: catalog, today: today)))
        }
    }

    /// The catalog an order's lines use: the one in force on its product selling date, else today.
    public func catalog(for order: Order, today: Day) async throws -> CatalogIndex {
        await catalogs.index(of: try await catalogs.active(on: order.header.productSellingDate ?? today))
    }
}

extension Engine {
    public var orders: OrderBook { OrderBook(store: store, catalogs: catalogs) }
}

extension OrderBook {
    /// a simple or service-management order becomes convergent (same id); a quote
    /// converts to a new simple or convergent order, recorded on both, in one transaction.
    public func convert(_ id: String, to type: CaptureType, today: Day, context: ChangeContext) async throws -> Versioned<Order> {
        let current = try await order(id)
        if current.value.captureType != .quote {
            guard type == .convergent else {
                throw OrderError(.notAllowedForCaptureType, "a \(current.value.captureType.rawValue) order converts to a convergent order only", field: "captureType")
            }
            return try await change(id, expectedVersion: current.version, context: context) { try $0.convertToConvergent() }
        }
        guard current.value.convertedTo == nil else {
            throw OrderError(.alreadyConverted, "quote \(id) was already converted to \(current.value.convertedTo!)", field: "id")
        }
        let catalog = try await catalog(for: current.value, today: today)
        let newID = numbering.id(for: type, number: try await store.nextNumber(numbering.sequenceName(for: type)))
        let order = try Order.converted(from: current.value, id: newID, captureType: type, orderDate: today, catalog: catalog, today: today)
        var quote = current.value
        try quote.markConverted(to: newID)
        let versions = try await store.commit([try .insert(order), try .update(quote, expectedVersion: current.version)], context: context)
        return Versioned(value: order, version: versions[0], createdAt: context.at, updatedAt: context.at)
    }
}
