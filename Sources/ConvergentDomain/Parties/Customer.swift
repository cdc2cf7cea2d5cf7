import Foundation

/// a customer, person or company, possibly anonymous (prepaid without identity).
public struct Customer: Hashable, Sendable, Codable, Identifiable {
    public enum Kind: String, Hashable, Sendable, Codable { case person, company }

    public struct Contact: Hashable, Sendable, Codable, Identifiable {
        public var id: String
        public var name: String
        public var role: String?
        public var email: String?
        public var phone: String?
        public init(id: String, name: String, role: String? = nil, email: String? = nil, phone: String? = nil) {
            self.id = id
            self.name = name
            self.role = role
            self.email = email
            self.phone = phone
        }
    }

    public struct Address: Hashable, Sendable, Codable, Identifiable {
        public var id: String
        /// billing, shipping, site, …
        public var purpose: String
        public var line1: String
        public var line2: String?
        public var city: String
        public var postalCode: String?
        public var country: String
        public init(id: String, purpose: String, line1: String, line2: String? = nil, city: String, postalCode: String? = nil, country: String) {
            self.id = id
            self.purpose = purpose
            self.line1 = line1
            self.line2 = line2
            self.city = city
            self.postalCode = postalCode
            self.country = country
        }
    }

    /// `payer` pays for this customer while the relationship is active.
    public struct BillToRelationship: Hashable, Sendable, Codable {
        public var payer: String
        public var period: Period
        public init(payer: String, period: Period) {
            self.payer = payer
            self.period = period
        }
    }

    public var id: String
    public var kind: Kind
    public var name: String?
    public var anonymous: Bool
    /// Segment and other attributes (segment, country, type, …) that eligibility rules read.
    public var segment: [String: String]
    public var attributedAgent: String?
    /// whether the customer's accounts receivable is active.
    public var accountsReceivableActive: Bool
    public var contacts: [Contact]
    public var addresses: [Address]
    public var billTo: [BillToRelationship]

    public init(id: String, kind: Kind, name: String?, anonymous: Bool = false, segment: [String: String] = [:],
                attributedAgent: String? = nil, accountsReceivableActive: Bool = true, contacts: [Contact] = [],
                addresses: [Address] = [], billTo: [BillToRelationship] = []) {
        self.id = id
        self.kind = kind
        self.name = name
        self.anonymous = anonymous
        self.segment = segment
        self.attributedAgent = attributedAgent
        self.accountsReceivableActive = accountsReceivableActive
        self.contacts = contacts
        self.addresses = addresses
        self.billTo = billTo
    }

    /// The customers paying for this one on `day`.
    public func payers(on day: Day) -> [String] {
        billTo.filter { $0.period.contains(day) }.map(\.payer)
    }
}

/// A rule about parties that a request broke; the field names what to fix.
public typealias PartyError = Refusal<PartyErrorCode>

/// The codes of the parties context.
public enum PartyErrorCode: String, RefusalCode {
    case nameRequired = "name-required"
    case anonymousCompany = "anonymous-company"
    case selfBillTo = "bill-to-self"
    case invalidPeriod = "period-ends-before-start"
    case overlappingBillTo = "bill-to-overlap"
    case duplicateContact = "duplicate-contact"
    case unknownContact = "unknown-contact"
    case negativeBalance = "negative-balance"
    case balanceOnPostpaid = "balance-on-postpaid"
    /// A wallet credit or debit that is not an amount above 0 in the wallet's currency.
    case invalidWalletAmount = "invalid-wallet-amount"
    /// A wallet debit larger than the balance.
    case insufficientBalance = "insufficient-balance"
    case accountTypeMismatch = "account-type-mismatch"
    case invalidStatusChange = "invalid-status-change"
    case invalidID = "invalid-id"
    case contactNameRequired = "contact-name-required"
    case incompleteAddress = "incomplete-address"
    case duplicateAddress = "duplicate-address"
}

extension Refusal where Code == PartyErrorCode {
    /// Ids appear in URLs: letters, digits, '-', '_' and '.', at most 64.
    public static func checkID(_ id: String, field: String = "id") throws(PartyError) {
        guard !id.isEmpty, id.count <= 64, id.allSatisfy({ ($0.isLetter || $0.isNumber) && $0.isASCII || "-_.".contains($0) }) else {
            throw PartyError(.invalidID, "'\(id)' is not a valid id: use letters, digits, '-', '_' and '.' (at most 64)", field: field)
        }
    }
}

extension Customer {
    /// Rules of: a named customer has a name; only a person may be anonymous.
    public func validate() throws(PartyError) {
        try PartyError.checkID(id)
        if anonymous {
            if kind == .company { throw PartyError(.anonymousCompany, "only a person can be an anonymous (prepaid) customer", field: "anonymous") }
        } else if (name ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw PartyError(.nameRequired, "a customer who is not anonymous needs a name", field: "name")
        }
        var seen: Set<String> = []
        for (i, contact) in contacts.enumerated() {
            try PartyError.checkID(contact.id, field: "contacts[\(i)].id")
            if !seen.insert(contact.id).inserted {
                throw PartyError(.duplicateContact, "contact id '\(contact.id)' is used twice", field: "contacts[\(i)].id")
            }
            if contact.name.trimmingCharacters(in: .whitespaces).isEmpty {
                throw PartyError(.contactNameRequired, "a contact needs a name", field: "contacts[\(i)].name")
            }
        }
        seen = []
        for (i, address) in addresses.enumerated() {
            try PartyError.checkID(address.id, field: "addresses[\(i)].id")
            if !seen.insert(address.id).inserted {
                throw PartyError(.duplicateAddress, "address id '\(address.id)' is used twice", field: "addresses[\(i)].id")
            }
            for (field, value) in [("purpose", address.purpose), ("line1", address.line1), ("city", address.city), ("country", address.country)]
            where value.trimmingCharacters(in: .whitespaces).isEmpty {
                throw PartyError(.incompleteAddress, "an address needs \(field)", field: "addresses[\(i)].\(field)")
            }
        }
        for (i, relation) in billTo.enumerated() {
            if relation.payer == id { throw PartyError(.selfBillTo, "a customer does not pay for itself through a bill-to relationship", field: "billTo[\(i)].payer") }
            if relation.period.isInverted { throw PartyError(.invalidPeriod, "bill-to period ends before it starts", field: "billTo[\(i)].period") }
        }
    }

    /// Contacts and addresses given without an id get the first free `CT-n` / `AD-n`, the same way
    /// whether they come with the customer or later.
    public mutating func assignMissingIDs() {
        func free(_ prefix: String, _ used: [String]) -> () -> String {
            var taken = Set(used.filter { !$0.isEmpty })
            var n = 0
            return {
                repeat { n += 1 } while taken.contains("\(prefix)\(n)")
                taken.insert("\(prefix)\(n)")
                return "\(prefix)\(n)"
            }
        }
        let contactID = free("CT-", contacts.map(\.id)), addressID = free("AD-", addresses.map(\.id))
        for i in contacts.indices where contacts[i].id.isEmpty { contacts[i].id = contactID() }
        for i in addresses.indices where addresses[i].id.isEmpty { addresses[i].id = addressID() }
    }

    /// adds a bill-to relationship; one payer cannot have two overlapping periods.
    public mutating func addBillTo(_ relation: BillToRelationship) throws(PartyError) {
        if relation.payer == id { throw PartyError(.selfBillTo, "a customer does not pay for itself through a bill-to relationship", field: "payer") }
        if relation.period.isInverted { throw PartyError(.invalidPeriod, "bill-to period ends before it starts", field: "period") }
        for existing in billTo where existing.payer == relation.payer {
            let a = existing.period, b = relation.period
            let overlaps = (a.start ?? Day(daysSinceEpoch: .min / 2)) <= (b.end ?? Day(daysSinceEpoch: .max / 2))
                && (b.start ?? Day(daysSinceEpoch: .min / 2)) <= (a.end ?? Day(daysSinceEpoch: .max / 2))
            if overlaps { throw PartyError(.overlappingBillTo, "\(relation.payer) already pays for \(id) in an overlapping period", field: "period") }
        }
        billTo.append(relation)
    }
}

extension Customer {
    /// The kind eligibility reads: anonymous customers are a kind of their own.
    public var eligibilityKind: String { anonymous ? "anonymous" : kind.rawValue }
}
