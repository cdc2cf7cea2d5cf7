/// a bulk order (or bulk service-management order) is a parent whose lines are a
/// template and whose rows each generate one child order at submission: a simple order per row
/// for a bulk order, a service-management order per row's installed contract for a bulk
/// service-management order. The trial duration cascades to every child.
public struct BulkRow: Hashable, Sendable, Codable {
    public var number: Int
    public var customer: String
    public var contact: String?
    /// Bulk service-management rows: the installed contract the row services.
    public var installedContract: String?

    public init(number: Int, customer: String, contact: String? = nil, installedContract: String? = nil) {
        self.number = number
        self.customer = customer
        self.contact = contact
        self.installedContract = installedContract
    }
}

extension Order {
    public var bulkRows: [BulkRow] { storedBulkRows ?? [] }

    /// Adds a row to a bulk parent. A bulk service-management row names an installed contract
    /// (`installed`, read by the caller) of the row's customer, of the product the template lines
    /// service; each contract appears once.
    @discardableResult
    public mutating func addBulkRow(customer: String, contact: String?, installedContract: String?,
                                    installed: InstalledContract? = nil) throws(OrderError) -> BulkRow {
        try requireEditable()
        guard captureType == .bulk || captureType == .bulkServiceManagement else {
            throw OrderError(.notAllowedForCaptureType, "only bulk orders have rows", field: "captureType")
        }
        if captureType == .bulkServiceManagement {
            guard let installedContract else {
                throw OrderError(.installedContractRequired, "a bulk service-management row names the installed contract it services", field: "installedContract")
            }
            if let installed {
                guard installed.customer == customer else {
                    throw OrderError(.unknownCustomer, "installed contract \(installed.id) belongs to \(installed.customer), not \(customer)", field: "installedContract")
                }
                let products = Set(lines.map(\.product))
                guard products.isEmpty || products.contains(installed.product) else {
                    throw OrderError(.notTopLevel, "installed contract \(installed.id) is a \(installed.product); the order's lines service \(products.map(\.description).sorted().joined(separator: ", "))", field: "installedContract")
                }
            }
            if bulkRows.contains(where: { $0.installedContract == installedContract }) {
                throw OrderError(.duplicateRow, "installed contract \(installedContract) already has a row", field: "installedContract")
            }
        } else if installedContract != nil {
            throw OrderError(.notAllowedForCaptureType, "a bulk order orders new products; rows name no installed contract", field: "installedContract")
        }
        let row = BulkRow(number: (bulkRows.map(\.number).max() ?? 0) + 1, customer: customer, contact: contact, installedContract: installedContract)
        storedBulkRows = bulkRows + [row]
        return row
    }

    public mutating func removeBulkRow(_ number: Int) throws(OrderError) {
        try requireEditable()
        guard bulkRows.contains(where: { $0.number == number }) else {
            throw OrderError(.unknownRow, "order \(id) has no row \(number)", field: "row")
        }
        storedBulkRows = bulkRows.filter { $0.number != number }
    }
}
