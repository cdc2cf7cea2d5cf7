import ConvergentAPI
import ConvergentCatalogFiles
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

extension Wire.CatalogFiles {
    init(_ files: [CatalogFile]) {
        self.init(files: files.map { .init(name: $0.name, text: $0.text) })
    }

    /// The files a JSON upload carries.
    var catalogFiles: [CatalogFile] { files.map { CatalogFile(name: $0.name, text: $0.text) } }
}

extension Wire.CatalogValidation {
    init(_ validation: CatalogFiles.Validation) {
        self.init(valid: validation.isValid, version: validation.catalog?.header.version, problems: validation.problems.map(Wire.ProblemItem.init))
    }
}

extension Wire.ProblemItem {
    init(_ problem: CatalogProblem) {
        self.init(code: problem.code.rawValue, message: problem.message, path: problem.path, file: problem.file, line: problem.line)
    }
}
