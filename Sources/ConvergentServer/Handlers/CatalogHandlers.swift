import ConvergentAPI
import ConvergentCatalogFiles
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Catalog versions (upload → validate → activate, export, diff) and products with their
/// selling status as of a date (R-1.13, R-11.6).
extension API {
    func listCatalogVersions(_ input: Operations.ListCatalogVersions.Input) async throws -> Operations.ListCatalogVersions.Output {
        _ = try require(.readCatalog)
        return .ok(.init(body: .json(try await engine.catalogs.storedVersions().map(Wire.CatalogVersion.init))))
    }

    func validateCatalog(_ input: Operations.ValidateCatalog.Input) async throws -> Operations.ValidateCatalog.Output {
        _ = try require(.readCatalog)
        let files = switch input.body {
        case let .yaml(body): try await catalogFiles(yaml: body)
        case let .json(body): try catalogFiles(body)
        }
        return .ok(.init(body: .json(Wire.CatalogValidation(CatalogFiles.validate(files)))))
    }

    func createCatalogVersion(_ input: Operations.CreateCatalogVersion.Input) async throws -> Operations.CreateCatalogVersion.Output {
        let user = try require(.manageCatalog)
        let files = switch input.body {
        case let .yaml(body): try await catalogFiles(yaml: body)
        case let .json(body): try catalogFiles(body)
        }
        let activation = input.query.activate == true ? engine.context(user.id, reason: "catalog activation") : nil
        let body = Wire.CatalogVersion(try await engine.catalogs.upload(files, context: engine.context(user.id, reason: "catalog upload"), activation: activation))
        return .created(.init(headers: .init(location: "/api/v1/catalog/versions/\(body.version ?? "")"), body: .json(body)))
    }

    func getCatalogVersion(_ input: Operations.GetCatalogVersion.Input) async throws -> Operations.GetCatalogVersion.Output {
        _ = try require(.readCatalog)
        return .ok(.init(body: .json(Wire.CatalogVersion(try await engine.catalogs.version(input.path.version)))))
    }

    func exportCatalogVersion(_ input: Operations.ExportCatalogVersion.Input) async throws -> Operations.ExportCatalogVersion.Output {
        _ = try require(.readCatalog)
        if input.query.format == "yaml" {
            // One YAML document with every section: the upload endpoint takes it back as it is.
            let text = try await engine.catalogs.export(input.path.version, asOneFile: true).first?.text ?? ""
            return .ok(.init(body: .yaml(HTTPBody(text))))
        }
        return .ok(.init(body: .json(Wire.CatalogFiles(try await engine.catalogs.export(input.path.version)))))
    }

    func activateCatalogVersion(_ input: Operations.ActivateCatalogVersion.Input) async throws -> Operations.ActivateCatalogVersion.Output {
        let user = try require(.manageCatalog)
        return .ok(.init(body: .json(Wire.CatalogVersion(try await engine.catalogs.activate(input.path.version,
                                                                                           context: engine.context(user.id, reason: "catalog activation"))))))
    }

    func getCatalogDiff(_ input: Operations.GetCatalogDiff.Input) async throws -> Operations.GetCatalogDiff.Output {
        _ = try require(.readCatalog)
        guard let from = input.query.from, let to = input.query.to else {
            throw Problem(.unprocessableContent, "missing-parameter", "give the two versions to compare: ?from=A&to=B", field: input.query.from == nil ? "from" : "to")
        }
        return .ok(.init(body: .json(try Wire.CatalogDiff(try await engine.catalogs.diff(from: from, to: to)))))
    }

    func listCatalogProducts(_ input: Operations.ListCatalogProducts.Input) async throws -> Operations.ListCatalogProducts.Output {
        _ = try require(.readCatalog)
        let kind = try input.query.kind.map { text in
            guard let kind = ProductKind(rawValue: text) else {
                throw Problem(.unprocessableContent, "invalid-parameter", "kind is one of \(ProductKind.allCases.map(\.rawValue).joined(separator: ", "))", field: "kind")
            }
            return kind
        }
        let day = try dayParameter(input.query.date, "date") ?? engine.today
        return .ok(.init(body: .json(try Wire.ProductList(try await engine.catalogs.products(kind: kind, matching: input.query.q, version: input.query.version, on: day)))))
    }

    func getCatalogProduct(_ input: Operations.GetCatalogProduct.Input) async throws -> Operations.GetCatalogProduct.Output {
        _ = try require(.readCatalog)
        let day = try dayParameter(input.query.date, "date") ?? engine.today
        return .ok(.init(body: .json(try Wire.ProductDetail(try await engine.catalogs.product(ProductID(input.path.id), version: input.query.version, on: day)))))
    }

    func getCatalogBundle(_ input: Operations.GetCatalogBundle.Input) async throws -> Operations.GetCatalogBundle.Output {
        _ = try require(.readCatalog)
        let day = try dayParameter(input.query.date, "date") ?? engine.today
        return .ok(.init(body: .json(try Wire.BundleView(try await engine.catalogs.bundle(ProductID(input.path.id), version: input.query.version, on: day)))))
    }

    func listSubscriptionTypes(_ input: Operations.ListSubscriptionTypes.Input) async throws -> Operations.ListSubscriptionTypes.Output {
        _ = try require(.readCatalog)
        let day = try dayParameter(input.query.date, "date") ?? engine.today
        let list = try await engine.catalogs.subscriptionTypes(version: input.query.version, on: day, after: input.query.cursor,
                                                               limit: try pageSize(input.query.limit))
        return .ok(.init(body: .json(try Wire.SubscriptionTypeList(list))))
    }

    func getSubscriptionType(_ input: Operations.GetSubscriptionType.Input) async throws -> Operations.GetSubscriptionType.Output {
        _ = try require(.readCatalog)
        let day = try dayParameter(input.query.date, "date") ?? engine.today
        return .ok(.init(body: .json(try Wire.SubscriptionTypeDetail(try await engine.catalogs.subscriptionType(input.path.id, version: input.query.version, on: day)))))
    }

    func getBillingTermScheme(_ input: Operations.GetBillingTermScheme.Input) async throws -> Operations.GetBillingTermScheme.Output {
        _ = try require(.readCatalog)
        let day = try dayParameter(input.query.date, "date") ?? engine.today
        return .ok(.init(body: .json(try Wire.BillingTermSchemeDetail(try await engine.catalogs.billingTermScheme(input.path.id, version: input.query.version, on: day)))))
    }

    /// A JSON body `{"files": [{"name", "text"}]}` may hold several files.
    func catalogFiles(_ body: Wire.CatalogFiles) throws -> [CatalogFile] {
        guard !body.files.isEmpty else { throw Problem(.unprocessableContent, "missing-field", "files is empty", field: "files") }
        return body.catalogFiles
    }

    /// A YAML body is one file.
    func catalogFiles(yaml body: HTTPBody) async throws -> [CatalogFile] {
        [try uploadedCatalogFile(try await [UInt8](collecting: body, upTo: Limits.catalogBodyBytes))]
    }
}

/// A catalog sent as one YAML document (API or console): the file, or `catalog-invalid` with its problem at line.
func uploadedCatalogFile(_ bytes: [UInt8]) throws -> CatalogFile {
    do {
        return try CatalogFile(name: "upload.yaml", bytes: bytes)
    } catch {
        throw EngineError(.catalogInvalid, "the catalog has 1 problem(s)", problems: [error])
    }
}
