/// A child order generated from a convergent order, as listed on the parent.
public struct ChildOrderRef: Hashable, Sendable, Codable {
    public var id: String
    public var captureType: CaptureType
    public var customer: String
    public var lines: [Int]
    public var products: [ProductID]

    public init(id: String, captureType: CaptureType, customer: String, lines: [Int], products: [ProductID]) {
        self.id = id
        self.captureType = captureType
        self.customer = customer
        self.lines = lines
        self.products = products
    }
}

/// What submitting an order does, decided from the order alone.
public struct SubmissionPlan: Hashable, Sendable {
    public enum Shape: Hashable, Sendable {
        /// Simple, service-management and bulk orders are submitted as they are.
        case asIs
        /// A convergent order with one new bundle and nothing installed becomes a simple order,
        /// keeping its id; with one installed contract and nothing new, a service-management order.
        case becomes(CaptureType)
        /// Otherwise: a simple order per customer for new products, a service-management order
        /// per installed contract, submitted together.
        case children([Draft])
    }

    public struct Draft: Hashable, Sendable {
        public var captureType: CaptureType
        public var customer: String
        public var installedContract: String?
        public var lines: [OrderLine]
    }

    public var shape: Shape
    /// the latest selling-period start among future elements; nil when none is future.
    public var fulfillBy: Day?

    public init(shape: Shape, fulfillBy: Day?) {
        self.shape = shape
        self.fulfillBy = fulfillBy
    }

    /// Queued when some element is sold only from a later day than the reference date.
    public var isFutureDated: Bool { fulfillBy != nil }

    public static func plan(for context: HoldContext) throws(OrderError) -> SubmissionPlan {
        let order = context.order
        guard order.captureType != .quote else {
            throw OrderError(.notAllowedForCaptureType, "a quote is not submitted; convert it to an order", field: "captureType")
        }
        guard !order.lines.isEmpty else {
            throw OrderError(.nothingToConfigure, "order \(order.id) has no line to submit", field: "lines")
        }
        let fulfillBy = context.latestFutureStart()
        guard order.captureType == .convergent else { return SubmissionPlan(shape: .asIs, fulfillBy: fulfillBy) }
        let new = order.lines.filter(\.isNew)
        let installed = Set(order.lines.compactMap(\.installedContract))
        if new.count == 1, installed.isEmpty { return SubmissionPlan(shape: .becomes(.simple), fulfillBy: fulfillBy) }
        if new.isEmpty, installed.count == 1 { return SubmissionPlan(shape: .becomes(.serviceManagement), fulfillBy: fulfillBy) }
        var drafts: [Draft] = []
        for customer in order.header.customers {
            let lines = new.filter { $0.customer == customer }
            if !lines.isEmpty { drafts.append(Draft(captureType: .simple, customer: customer, installedContract: nil, lines: lines)) }
        }
        for contract in installed.sorted() {
            let lines = order.lines.filter { $0.installedContract == contract }
            drafts.append(Draft(captureType: .serviceManagement, customer: lines[0].customer, installedContract: contract, lines: lines))
        }
        return SubmissionPlan(shape: .children(drafts), fulfillBy: fulfillBy)
    }
}

extension Order {
    /// A child order: the parent's header for one customer — shipping and billing data
    /// go to simple children only, when the header carries them — and the customer's lines.
    public static func child(of parent: Order, draft: SubmissionPlan.Draft, id: String) throws(OrderError) -> Order {
        var header = parent.header
        header.soldTo = draft.customer
        header.relatedCustomers = []
        header.contact = draft.customer == parent.header.soldTo ? parent.header.contact : nil
        var child = try Order(id: id, captureType: draft.captureType, orderDate: parent.orderDate, header: header)
        child.parentID = parent.id
        child.lines = draft.lines
        child.nextLineNumber = (draft.lines.map(\.number).max() ?? 0) + 1
        return child
    }

    /// Submits: a future-dated order is queued with its fulfill-by date; an order
    /// due now is submitted and its lines with it. A blocking hold refuses it.
    public mutating func submit(plan: SubmissionPlan, children: [ChildOrderRef], today: Day) throws(OrderError) {
        if let blocking = holds.first(where: \.isBlocking) {
            throw OrderError(.held, "order \(id) has a hold that is not overridden (\(blocking.code.rawValue)): \(blocking.resolution)", field: "holds")
        }
        if case let .becomes(type) = plan.shape { captureType = type }
        header.fulfillBy = plan.fulfillBy
        if let day = plan.fulfillBy, day > today {
            try move(to: .queued)
            return
        }
        try move(to: .submitted)
        self.children = children
        for i in lines.indices { lines[i].status = try lines[i].status.transition(to: .submitted) }
    }
}
