import ConvergentDomain
import ConvergentStore
import Foundation

/// everything about one customer on one page.
public struct CustomerOverview: Sendable, Encodable {
    public struct OrderSummary: Sendable, Encodable {
        public var id: String
        public var orderDate: Day
        public var captureType: CaptureType
        public var status: OrderStatus
        public var products: [ProductID]
        /// Installed contracts the order services.
        public var relatedInstalledProducts: [String]
        public var parentID: String?
    }

    public var customer: Customer
    public var version: Int
    /// Orders the customer is the sold-to of (child orders included), by status.
    public var ordersByStatus: [String: [OrderSummary]]
    /// The customer's installed contracts, each as its tree.
    public var installedContracts: [InstalledContract]
    public var billingAccounts: [BillingAccount]
    /// Commitment contracts arrive with commitments; empty until then.
    public var commitments: [String]
}

extension Engine {
    public func overview(of customerID: String) async throws -> CustomerOverview {
        let customer = try await parties.customer(customerID)
        let orders = try await store.everything(Order.self, filter: RecordFilter(equals: ["sold_to": customerID]))
        let summaries = orders.map { v in
            CustomerOverview.OrderSummary(id: v.value.id, orderDate: v.value.orderDate, captureType: v.value.captureType, status: v.value.status,
                                          products: v.value.lines.map(\.product), relatedInstalledProducts: v.value.lines.compactMap(\.installedContract),
                                          parentID: v.value.parentID)
        }
        return CustomerOverview(customer: customer.value, version: customer.version,
                                ordersByStatus: Dictionary(grouping: summaries, by: \.status.rawValue),
                                installedContracts: try await installedBase.contracts(of: customerID), billingAccounts: try await parties.accounts(ownedBy: customerID).map(\.value), commitments: [])
    }
}
