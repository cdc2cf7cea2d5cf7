import ConvergentAPI
import ConvergentDomain
import Foundation
import HTTPTypes

// Request bodies read into wire types, then into the domain's values: the contract decides what
// a request may hold, the domain what it means.

/// A date of a request (`YYYY-MM-DD`), or a 422 `invalid-value` naming the field.
func requestDay(_ text: String?, field: String) throws -> Day? {
    guard let text else { return nil }
    guard let day = Day(text) else {
        throw Problem(.unprocessableContent, "invalid-value", "field '\(field)': expected a date as YYYY-MM-DD, got '\(text)'", field: field)
    }
    return day
}

extension Wire.BillTo {
    func relationship(field: String = "period") throws -> Customer.BillToRelationship {
        Customer.BillToRelationship(payer: payer, period: Period(start: try requestDay(period.start, field: "\(field).start"),
                                                                  end: try requestDay(period.end, field: "\(field).end")))
    }
}

extension Wire.SiteInformation {
    var site: SiteInformation { SiteInformation(address: address, contact: contact) }
}

extension Wire.CustomerOrderInformation {
    /// `field`: where this information sits in the request ("" for a whole body).
    func information(field: String = "") throws -> CustomerOrderInformation {
        let prefix = field.isEmpty ? "" : field + "."
        func billing(_ b: Wire.BillingInformation?) throws -> BillingInformation? {
            try b.map { b in
                BillingInformation(customer: b.customer, contact: b.contact, address: b.address,
                                   paymentMethod: try b.paymentMethod.map { try sameCase($0) },
                                   creditCard: b.creditCard.map { CreditCard(last4: $0.last4, expires: $0.expires) })
            }
        }
        return CustomerOrderInformation(
            customer: customer, recurringBilling: try billing(recurringBilling), nonrecurringBilling: try billing(nonrecurringBilling),
            shipping: try shipping.map {
                ShippingInformation(customer: $0.customer, contact: $0.contact, address: $0.address,
                                    shipmentDate: try requestDay($0.shipmentDate, field: prefix + "shipping.shipmentDate"))
            },
            site: site.map { SiteInformation(address: $0.address, contact: $0.contact) })
    }
}
