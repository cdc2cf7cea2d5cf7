import ConvergentCatalogFiles
import ConvergentAPI
import ConvergentDomain
import ConvergentEngine
import Foundation
import Hummingbird

/// Catalog versions (upload → validate → activate, export, diff) and products with their
/// selling status as of a date (R-1.13, R-11.6).
struct CatalogRoutes {
    let engine: Engine

    func register(_ routes: inout Routes, _ api: RouterGroup<AppRequestContext>) {
        let p = "/api/v1"
        routes.add(.get, "/catalog/versions", api, prefix: p) { _, context in
            _ = try context.require(.readCatalog)
            return try JSONIO.response(try await engine.catalogs.storedVersions().map(Wire.CatalogVersion.init))
        }
        routes.add(.post, "/catalog/validate", api, prefix: p) { request, context in
            _ = try context.require(.readCatalog)
            let validation = CatalogFiles.validate(try await files(of: request))
            return try JSONIO.response(Wire.CatalogValidation(validation))
        }
        routes.add(.post, "/catalog/versions", api, prefix: p) { request, context in
            let user = try context.require(.manageCatalog)
            let files = try await files(of: request)
            let activation = request.query("activate") == "true" ? engine.context(user.id, reason: "catalog activation") : nil
            let body = Wire.CatalogVersion(try await engine.catalogs.upload(files, context: engine.context(user.id, reason: "catalog upload"),
                                                                            activation: activation))
            return try JSONIO.response(body, status: .created, headers: [.location: "/api/v1/catalog/versions/\(body.version ?? "")"])
        }
        routes.add(.get, "/catalog/versions/{version}", api, prefix: p) { _, context in
            _ = try context.require(.readCatalog)
            return try JSONIO.response(Wire.CatalogVersion(try await engine.catalogs.version(try context.parameter("version"))))
        }
        routes.add(.get, "/catalog/versions/{version}/export", api, prefix: p) { request, context in
            _ = try context.require(.readCatalog)
            let version = try context.parameter("version")
            if request.query("format") == "yaml" {
                // One YAML document with every section: the upload endpoint takes it back as it is.
                let text = try await engine.catalogs.export(version, asOneFile: true).first?.text ?? ""
                return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: text)))
            }
            return try JSONIO.response(Wire.CatalogFiles(try await engine.catalogs.export(version)))
        }
        routes.add(.post, "/catalog/versions/{version}/activate", api, prefix: p) { _, context in
            let user = try context.require(.manageCatalog)
            let version = try context.parameter("version")
            return try JSONIO.response(Wire.CatalogVersion(try await engine.catalogs.activate(version, context: engine.context(user.id, reason: "catalog activation"))))
        }
        routes.add(.get, "/catalog/diff", api, prefix: p) { request, context in
            _ = try context.require(.readCatalog)
            guard let from = request.query("from"), let to = request.query("to") else {
                throw Problem(.unprocessableContent, "missing-parameter", "give the two versions to compare: ?from=A&to=B", field: request.query("from") == nil ? "from" : "to")
            }
            return try JSONIO.response(try Wire.CatalogDiff(try await engine.catalogs.diff(from: from, to: to)))
        }
        routes.add(.get, "/catalog/products", api, prefix: p) { request, context in
            _ = try context.require(.readCatalog)
            let kind = try request.query("kind").map { text in
                guard let kind = ProductKind(rawValue: text) else {
                    throw Problem(.unprocessableContent, "invalid-parameter", "kind is one of \(ProductKind.allCases.map(\.rawValue).joined(separator: ", "))", field: "kind")
                }
                return kind
            }
            let (version, day) = try catalogParameters(request)
            return try JSONIO.response(try Wire.ProductList(try await engine.catalogs.products(kind: kind, matching: request.query("q"), version: version, on: day)))
        }
        routes.add(.get, "/catalog/products/{id}", api, prefix: p) { request, context in
            _ = try context.require(.readCatalog)
            let (version, day) = try catalogParameters(request)
            return try JSONIO.response(try Wire.ProductDetail(try await engine.catalogs.product(ProductID(try context.parameter("id")), version: version, on: day)))
        }
        routes.add(.get, "/catalog/bundles/{id}", api, prefix: p) { request, context in
            _ = try context.require(.readCatalog)
            let (version, day) = try catalogParameters(request)
            return try JSONIO.response(try Wire.BundleView(try await engine.catalogs.bundle(ProductID(try context.parameter("id")), version: version, on: day)))
        }
    }

    /// The catalog version asked for (`?version=`, else the one active on the day) and the day
    /// (`?date=`, default: today).
    func catalogParameters(_ request: Request) throws -> (version: String?, day: Day) {
        (request.query("version"), try request.dayParameter("date") ?? engine.today)
    }

    /// A YAML body is one file; a JSON body `{"files": [{"name", "text"}]}` may hold several.
    func files(of request: Request) async throws -> [CatalogFile] {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        if type.hasPrefix("application/json") {
            let body = try await JSONIO.decode(Wire.CatalogFiles.self, from: request, limit: Limits.catalogBodyBytes)
            guard !body.files.isEmpty else { throw Problem(.unprocessableContent, "missing-field", "files is empty", field: "files") }
            return body.catalogFiles
        }
        guard type.isEmpty || type.contains("yaml") || type.hasPrefix("text/plain") else {
            throw Problem(.unsupportedMediaType, "unsupported-media-type", "send the catalog as application/yaml, or as application/json {\"files\": [...]}")
        }
        let buffer = try await JSONIO.body(of: request, limit: Limits.catalogBodyBytes)
        guard buffer.readableBytes > 0 else { throw Problem(.badRequest, "empty-body", "the request needs a YAML catalog in its body") }
        do {
            return [try CatalogFile(name: "upload.yaml", bytes: buffer.readableBytesView)]
        } catch {
            throw EngineError(.catalogInvalid, "the catalog has 1 problem(s)", problems: [error])
        }
    }
}
