import Foundation

/// a billing account, as data. Defaulting, cascading and holds come with split billing.
public struct BillingAccount: Hashable, Sendable, Codable, Identifiable {
    public enum AccountType: String, Hashable, Sendable, Codable, CaseIterable {
        case individual = "Individual", prepaid = "Prepaid", sponsored = "Sponsored", subordinate = "Subordinate"
    }

    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case pending = "Pending", active = "Active", closed = "Closed"

        /// Pending → Active → Closed; Pending → Closed. Nothing reopens.
        public func canMove(to next: Status) -> Bool {
            switch (self, next) {
            case (.pending, .active), (.pending, .closed), (.active, .closed): true
            default: false
            }
        }
    }

    /// The account number.
    public var id: String
    public var owner: String
    public var contact: String?
    public var type: AccountType
    public var paymentMode: PaymentMode
    public var status: Status
    /// Prepaid wallet balance; nil for postpaid accounts.
    public var balance: Decimal?
    public var currency: String?

    public init(id: String, owner: String, contact: String? = nil, type: AccountType, paymentMode: PaymentMode,
                status: Status = .pending, balance: Decimal? = nil, currency: String? = nil) {
        self.id = id
        self.owner = owner
        self.contact = contact
        self.type = type
        self.paymentMode = paymentMode
        self.status = status
        self.balance = balance
        self.currency = currency
    }

    /// consistency: a Prepaid account is paid in advance; only prepaid accounts hold a balance.
    public func validate(owner customer: Customer) throws(PartyError) {
        try PartyError.checkID(id)
        if type == .prepaid, paymentMode != .prepaid {
            throw PartyError(.accountTypeMismatch, "a Prepaid account has payment mode prepaid", field: "paymentMode")
        }
        if let balance {
            if paymentMode != .prepaid { throw PartyError(.balanceOnPostpaid, "only prepaid accounts hold a balance", field: "balance") }
            if balance < 0 { throw PartyError(.negativeBalance, "a prepaid balance cannot be negative", field: "balance") }
        }
        if let contact, !customer.contacts.contains(where: { $0.id == contact }) {
            throw PartyError(.unknownContact, "customer \(customer.id) has no contact '\(contact)'", field: "contact")
        }
    }
}
