import ConvergentAPI
import ConvergentDomain
import ConvergentStore
import Foundation

// Customers and billing accounts (R-2.1 …) on the wire.

extension Wire.Customer {
    init(_ customer: Versioned<Customer>) { self.init(customer.value, version: customer.version) }

    init(_ c: Customer, version: Int?) {
        let kind: Wire.CustomerInput.KindPayload = switch c.kind {
        case .person: .person
        case .company: .company
        }
        self.init(value1: Wire.CustomerInput(
            id: c.id, kind: kind, name: c.name, anonymous: c.anonymous, segment: .init(additionalProperties: c.segment),
            attributedAgent: c.attributedAgent, accountsReceivableActive: c.accountsReceivableActive,
            contacts: c.contacts.map { Wire.Contact(id: $0.id, name: $0.name, role: $0.role, email: $0.email, phone: $0.phone) },
            addresses: c.addresses.map {
                Wire.Address(id: $0.id, purpose: $0.purpose, line1: $0.line1, line2: $0.line2, city: $0.city, postalCode: $0.postalCode, country: $0.country)
            },
            billTo: c.billTo.map { Wire.BillTo(payer: $0.payer, period: .init(start: $0.period.start?.description, end: $0.period.end?.description)) }),
            value2: .init(version: version))
    }
}

extension Wire.BillingAccount {
    init(_ account: Versioned<BillingAccount>) { self.init(account.value, version: account.version) }

    init(_ a: BillingAccount, version: Int?) {
        let type: Wire.BillingAccountInput._TypePayload = switch a.type {
        case .individual: .individual
        case .prepaid: .prepaid
        case .sponsored: .sponsored
        case .subordinate: .subordinate
        }
        let mode: Wire.BillingAccountInput.PaymentModePayload = switch a.paymentMode {
        case .prepaid: .prepaid
        case .postpaid: .postpaid
        }
        let status: Wire.BillingAccountInput.StatusPayload = switch a.status {
        case .pending: .pending
        case .active: .active
        case .closed: .closed
        }
        self.init(value1: Wire.BillingAccountInput(id: a.id, contact: a.contact, _type: type, paymentMode: mode, status: status,
                                                   balance: a.balance?.wire, currency: a.currency),
                  value2: .init(owner: a.owner, version: version))
    }
}
