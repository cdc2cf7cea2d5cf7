/// what the header carries per customer of the order — recurring and nonrecurring billing,
/// shipping and installation site — and, per line, the product site. The related-information
/// holds (RADRBL … RSHPDT) read it; simple child orders get their customer's copy.

/// How charges are paid.
public enum PaymentMethod: String, Hashable, Sendable, Codable, CaseIterable {
    case invoice, creditCard, directDebit
}

/// A card on file: only what an agent may see (last four digits) and its expiry month.
public struct CreditCard: Hashable, Sendable, Codable {
    public var last4: String
    /// `YYYY-MM`.
    public var expires: String

    public init(last4: String, expires: String) {
        self.last4 = last4
        self.expires = expires
    }

    /// The card can be charged on `day`: four digits and an expiry month not before `day`'s month.
    public func isUsable(on day: Day) -> Bool {
        guard last4.count == 4, last4.allSatisfy(\.isNumber) else { return false }
        let parts = expires.split(separator: "-")
        guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else { return false }
        let (y, m, _) = day.components
        return (year, month) >= (y, m)
    }
}

/// Who is billed, where, and how (recurring or nonrecurring charges of one customer).
public struct BillingInformation: Hashable, Sendable, Codable {
    /// The bill-to customer: the customer itself or one that pays for it.
    public var customer: String?
    public var contact: String?
    public var address: String?
    public var paymentMethod: PaymentMethod?
    public var creditCard: CreditCard?
    /// the default billing account of the customer's lines (recurring), or the account
    /// paying its one-time charges (nonrecurring, RBTACCNONREC): an existing account…
    public var account: String?
    /// …or a new account the order marks for creation (`NEW-n`).
    public var newAccount: String?

    public init(customer: String? = nil, contact: String? = nil, address: String? = nil, paymentMethod: PaymentMethod? = nil,
                creditCard: CreditCard? = nil, account: String? = nil, newAccount: String? = nil) {
        self.customer = customer
        self.contact = contact
        self.address = address
        self.paymentMethod = paymentMethod
        self.creditCard = creditCard
        self.account = account
        self.newAccount = newAccount
    }
}

/// Where devices are shipped, to whom, and when.
public struct ShippingInformation: Hashable, Sendable, Codable {
    public var customer: String?
    public var contact: String?
    public var address: String?
    public var shipmentDate: Day?

    public init(customer: String? = nil, contact: String? = nil, address: String? = nil, shipmentDate: Day? = nil) {
        self.customer = customer
        self.contact = contact
        self.address = address
        self.shipmentDate = shipmentDate
    }
}

/// An installation site of the line's customer: an address and a contact there.
public struct SiteInformation: Hashable, Sendable, Codable {
    public var address: String?
    public var contact: String?

    public init(address: String? = nil, contact: String? = nil) {
        self.address = address
        self.contact = contact
    }
}

/// the header's information for one customer of the order.
public struct CustomerOrderInformation: Hashable, Sendable, Codable {
    public var customer: String
    public var recurringBilling: BillingInformation?
    public var nonrecurringBilling: BillingInformation?
    public var shipping: ShippingInformation?
    public var site: SiteInformation?

    public init(customer: String, recurringBilling: BillingInformation? = nil, nonrecurringBilling: BillingInformation? = nil,
                shipping: ShippingInformation? = nil, site: SiteInformation? = nil) {
        self.customer = customer
        self.recurringBilling = recurringBilling
        self.nonrecurringBilling = nonrecurringBilling
        self.shipping = shipping
        self.site = site
    }

    /// What an agent would fill in by hand, taken from the customer record: billed to the customer
    /// that pays for it on `day` (else itself) at that payer's billing address (else its first),
    /// shipped to the customer at its shipping address (else site, else first), installed at its
    /// site address; the first contact of each. Whatever the records lack stays empty — and the
    /// related-information holds say so.
    public static func defaults(for customer: Customer, payer: Customer?, on day: Day) -> CustomerOrderInformation {
        func address(_ c: Customer, _ purposes: [String]) -> String? {
            for purpose in purposes { if let a = c.addresses.first(where: { $0.purpose == purpose }) { return a.id } }
            return c.addresses.first?.id
        }
        let billTo = payer ?? customer
        let billing = BillingInformation(customer: billTo.id, contact: billTo.contacts.first?.id, address: address(billTo, ["billing"]),
                                         paymentMethod: .invoice)
        let siteAddress = customer.addresses.first { $0.purpose == "site" }?.id ?? customer.addresses.first?.id
        return CustomerOrderInformation(
            customer: customer.id, recurringBilling: billing, nonrecurringBilling: billing,
            shipping: ShippingInformation(customer: customer.id, contact: customer.contacts.first?.id,
                                          address: address(customer, ["shipping", "site"])),
            site: SiteInformation(address: siteAddress, contact: customer.contacts.first?.id))
    }
}

extension Customer {
    /// The contact and address an order names for this customer exist on its record.
    public func checkReferences(contact: String?, address: String?, field: String) throws(OrderError) {
        let prefix = field.isEmpty ? "" : field + "."
        if let contact, !contacts.contains(where: { $0.id == contact }) {
            throw OrderError(.invalidInformation, "customer \(id) has no contact '\(contact)'", field: prefix + "contact")
        }
        if let address, !addresses.contains(where: { $0.id == address }) {
            throw OrderError(.invalidInformation, "customer \(id) has no address '\(address)'", field: prefix + "address")
        }
    }
}

extension CustomerOrderInformation {
    /// The other customers this information names, with the field naming each.
    public var namedCustomers: [(field: String, customer: String)] {
        [("recurringBilling.customer", recurringBilling?.customer), ("nonrecurringBilling.customer", nonrecurringBilling?.customer),
         ("shipping.customer", shipping?.customer)].compactMap { field, id in id.map { (field, $0) } }
    }

    /// a bill-to customer is the customer itself or one that pays for it on `day`;
    /// every contact and address belongs to the customer it is given for (the bill-to or ship-to
    /// customer, else the order's customer). `customers` holds the customer and those it names.
    public func validate(customers: [String: Customer], on day: Day) throws(OrderError) {
        guard let owner = customers[customer] else {
            throw OrderError(.unknownCustomer, "customer '\(customer)' is not known", field: "customer")
        }
        func check(_ named: String?, contact: String?, address: String?, field: String, payerOnly: Bool) throws(OrderError) {
            let party = named.flatMap { customers[$0] } ?? owner
            if payerOnly, let named, named != owner.id, !owner.payers(on: day).contains(named) {
                throw OrderError(.invalidInformation, "\(named) does not pay for \(owner.id) on \(day) (no active bill-to relationship)", field: field + ".customer")
            }
            try party.checkReferences(contact: contact, address: address, field: field)
        }
        for (field, billing) in [("recurringBilling", recurringBilling), ("nonrecurringBilling", nonrecurringBilling)] {
            guard let billing else { continue }
            try check(billing.customer, contact: billing.contact, address: billing.address, field: field, payerOnly: true)
        }
        if let s = shipping { try check(s.customer, contact: s.contact, address: s.address, field: "shipping", payerOnly: false) }
        if let s = site { try check(nil, contact: s.contact, address: s.address, field: "site", payerOnly: false) }
    }
}

extension Order {
    /// The header's information for one customer of the order (empty when none was given).
    public func information(for customer: String) -> CustomerOrderInformation {
        header.customerInformation?.first { $0.customer == customer } ?? CustomerOrderInformation(customer: customer)
    }

    /// Replaces the header's information for one customer of the order. References to other
    /// customers' contacts and addresses are checked by the caller, who can read them.
    public mutating func setInformation(_ information: CustomerOrderInformation) throws(OrderError) {
        try requireEditable()
        guard header.customers.contains(information.customer) else {
            throw OrderError(.unknownCustomer, "\(information.customer) is neither the sold-to nor a related customer of \(id)", field: "customer")
        }
        var all = header.customerInformation ?? []
        all.removeAll { $0.customer == information.customer }
        all.append(information)
        header.customerInformation = all.sorted { $0.customer < $1.customer }
    }

    /// Sets the product site of a line (R-5.2 RPSITE, RPSITC): where its products are installed.
    public mutating func setSite(_ site: SiteInformation?, ofLine number: Int) throws(OrderError) {
        try requireEditable()
        guard let i = lines.firstIndex(where: { $0.number == number }) else {
            throw OrderError(.unknownLine, "order \(id) has no line \(number)", field: "line")
        }
        lines[i].site = site
    }
}
