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
    /// the prepaid wallet's movements, oldest first (nil: none yet).
    public var wallet: [WalletEntry]?

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

/// one movement of a prepaid wallet: a credit (a top-up) or a debit (what an
/// action costs), with the balance it left, what it was for, who made it and when.
public struct WalletEntry: Hashable, Sendable, Codable {
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case credit, debit
    }

    public var kind: Kind
    public var amount: Decimal
    public var balanceAfter: Decimal
    /// What it was for: a payment reference, or the subscription action that debited it.
    public var reference: String?
    public var at: Date
    public var by: String

    public init(kind: Kind, amount: Decimal, balanceAfter: Decimal, reference: String? = nil, at: Date, by: String) {
        self.kind = kind
        self.amount = amount
        self.balanceAfter = balanceAfter
        self.reference = reference
        self.at = at
        self.by = by
    }
}

extension BillingAccount {
    /// a movement of the prepaid wallet: an amount above 0 (in the account's currency,
    /// when one is given), never taking the balance below 0; recorded with the balance it leaves.
    public mutating func move(wallet kind: WalletEntry.Kind, amount: Decimal, currency: String? = nil, reference: String?, at: Date,
                              by: String) throws(PartyError) {
        guard paymentMode == .prepaid else { throw PartyError(.balanceOnPostpaid, "\(id) is not prepaid: it has no wallet", field: "id") }
        guard amount > 0 else { throw PartyError(.invalidWalletAmount, "the amount must be above 0, not \(amount)", field: "amount") }
        if let currency, let own = self.currency, currency != own {
            throw PartyError(.invalidWalletAmount, "the wallet of \(id) holds \(own), not \(currency)", field: "currency")
        }
        let before = balance ?? 0
        let after = kind == .credit ? before + amount : before - amount
        guard after >= 0 else { throw PartyError(.insufficientBalance, "debiting \(amount) from a wallet holding \(before)", field: "amount") }
        balance = after
        if self.currency == nil { self.currency = currency }
        wallet = (wallet ?? []) + [WalletEntry(kind: kind, amount: amount, balanceAfter: after, reference: reference, at: at, by: by)]
    }
}
