import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import ConvergentStore
import Foundation

// Catalog versions on the wire.

extension Wire.CatalogVersion {
    init(_ stored: Versioned<StoredCatalogVersion>) {
        let s = stored.value.summary, c = stored.value.catalog
        let status: Wire.CatalogVersion.StatusPayload = switch s.status {
        case .validated: .validated
        case .active: .active
        }
        self.init(version: s.version, effectiveFrom: s.effectiveFrom.description, status: status, activationSequence: s.activationSequence,
                  name: c.header.name, description: c.header.description, products: c.products.count, rules: c.rules.count,
                  uploadedAt: stored.createdAt, updatedAt: stored.updatedAt, recordVersion: stored.version, migrations: c.migrations.count)
    }
}
