import ConvergentAPI
import ConvergentCatalogFiles
import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Hummingbird

/// The catalog in the console (R-1.13, R-11.6): its versions, upload (every problem at file and
/// line) and activation for administrators; products with their selling status on a date, a
/// product's components, memberships and rules, and a bundle's tree.
extension Console {
    func registerCatalog(on router: Router<AppRequestContext>) {
        router.get("/catalog") { request, _ in await page(request) { agent in try await catalog(agent, yaml: "", activate: false, problem: nil) } }
        router.post("/catalog/versions") { request, _ in
            // A form-encoded YAML file: up to the catalog uploads' limit. Refused, the page shows
            // the problems and keeps the text sent, to be corrected there.
            await action(request, UploadForm.self, limit: Limits.catalogBodyBytes, refused: { agent, problem in
                try await catalog(agent, yaml: "", activate: false, problem: ProblemView(problem))
            }, answer: { agent, error in
                if let checked = error as? CheckedCatalog {
                    return try await catalog(agent, yaml: checked.yaml, activate: false, problem: nil, notice: checked.summary)
                }
                guard let refused = error as? UploadRefused else { return nil }
                let problem = Problem.from(refused.error)
                var page = try await catalog(agent, yaml: refused.yaml, activate: refused.activate, problem: ProblemView(problem))
                page.status = problem.status
                return page
            }) { agent, form in
                do {
                    let user = try Self.require(agent, .manageCatalog)
                    let file = try uploadedCatalogFile(Array(form.yaml.utf8))
                    if form.check == "true" {
                        // Checked only: nothing stored; the page says it would be accepted, the text kept.
                        let catalog = try engine.catalogs.check([file])
                        throw CheckedCatalog(yaml: form.yaml, summary: "catalog \(catalog.header.version) is valid: \(catalog.products.count) products, \(catalog.rules.count) rules, \(catalog.migrations.count) migration actions — nothing was stored")
                    }
                    let activation = form.activate == "true" ? engine.context(user.id, reason: "catalog activation") : nil
                    _ = try await engine.catalogs.upload([file], context: engine.context(user.id, reason: "catalog upload"), activation: activation)
                    return "/catalog"
                } catch let checked as CheckedCatalog {
                    throw checked
                } catch {
                    throw UploadRefused(error: error, yaml: form.yaml, activate: form.activate == "true")
                }
            }
        }
        // R-1.13: a version as one YAML document (what an upload takes), and what changed between two.
        router.get("/catalog/versions/:version/export") { request, context in
            let version = context.parameters.get("version") ?? ""
            return await page(request) { agent in
                _ = try Self.require(agent, .readCatalog)
                let text = try await engine.catalogs.export(version, asOneFile: true).first?.text ?? ""
                var headers = Self.headers
                headers[.contentType] = "application/yaml; charset=utf-8"
                headers[.contentDisposition] = "attachment; filename=\"catalog-\(version.filter { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }).yaml\""
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
            }
        }
        router.get("/catalog/diff") { request, _ in
            await page(request) { agent in
                _ = try Self.require(agent, .readCatalog)
                let query = request.formQuery
                guard let from = Self.text(query.get("from")), let to = Self.text(query.get("to")) else {
                    throw Problem(.unprocessableContent, "missing-parameter", "choose the two versions to compare (from and to)", field: "from")
                }
                let diff = try await engine.catalogs.diff(from: from, to: to)
                return render("catalog-diff", CatalogDiffPage(layout: Layout(title: "Catalog \(from) → \(to)", agent: agent), from: from, to: to,
                                                              entries: diff.entries.map(\.description)))
            }
        }
        router.post("/catalog/versions/:version/activate") { request, context in
            let version = context.parameters.get("version") ?? ""
            return await action(request, Empty.self, refused: { agent, problem in try await catalog(agent, yaml: "", activate: false, problem: ProblemView(problem)) }) { agent, _ in
                let user = try Self.require(agent, .manageCatalog)
                _ = try await engine.catalogs.activate(version, context: engine.context(user.id, reason: "catalog activation"))
                return "/catalog"
            }
        }
        router.get("/catalog/products") { request, _ in await page(request) { agent in try await products(request, agent) } }
        router.get("/catalog/products/:id") { request, context in
            let id = context.parameters.get("id") ?? ""
            return await page(request) { agent in try await product(id, request, agent) }
        }
    }

    /// An upload refused, with what was sent.
    struct UploadRefused: Error {
        var error: any Error
        var yaml: String
        var activate: Bool
    }

    /// A catalog checked and not stored: not an error, the way the check's answer reaches its page.
    struct CheckedCatalog: Error {
        var yaml: String
        var summary: String
    }

    struct UploadForm: Decodable, Sendable {
        var yaml: String
        var activate: String?
        /// Check only: validate the text, store nothing.
        var check: String?
    }

    func catalog(_ agent: Agent, yaml: String, activate: Bool, problem: ProblemView?, notice: String? = nil) async throws -> Response {
        _ = try Self.require(agent, .readCatalog)
        let versions = try await engine.catalogs.storedVersions().map(Wire.CatalogVersion.init).map { (v: Wire.CatalogVersion) -> VersionRow in
            let status: String = v.status?.rawValue ?? ""
            let products: String = v.products.map { String($0) } ?? ""
            let rules: String = v.rules.map { String($0) } ?? ""
            return VersionRow(version: v.version ?? "", name: v.name ?? "", status: status, effectiveFrom: v.effectiveFrom ?? "",
                              products: products, rules: rules, activatable: status == "validated")
        }
        return render("catalog", CatalogPage(layout: Layout(title: "Catalog", agent: agent), versions: versions, mayManage: agent.user.may(.manageCatalog),
                                             yaml: yaml, activate: activate, problem: problem, notice: notice,
                                             fromVersions: versions.enumerated().map { Option(value: $1.version, label: $1.version, selected: $0 == versions.count - 2) },
                                             toVersions: versions.enumerated().map { Option(value: $1.version, label: $1.version, selected: $0 == versions.count - 1) }),
                      status: problem.map { HTTPResponse.Status(code: $0.status) } ?? .ok)
    }

    func products(_ request: Request, _ agent: Agent) async throws -> Response {
        _ = try Self.require(agent, .readCatalog)
        let query = request.formQuery
        let day = try dayParameter(query.get("date").flatMap { $0.isEmpty ? nil : $0 }, "date") ?? engine.today
        let kind = try query.get("kind").flatMap { $0.isEmpty ? nil : $0 }.map { try Self.choice(ProductKind.self, $0, "kind") }
        let text = query.get("q").flatMap { $0.isEmpty ? nil : $0 }
        let list = try Wire.ProductList(try await engine.catalogs.products(kind: kind, matching: text, version: nil, on: day))
        let items = list.items.map { p in
            ProductRow(id: p.id, name: p.name, kind: p.kind.rawValue, selling: p.selling.status.rawValue, bundle: p.memberOf.isEmpty)
        }
        return render("products", ProductsPage(layout: Layout(title: "Products", agent: agent), catalogVersion: list.catalogVersion, date: list.date, q: text ?? "",
                                               kinds: Option.list(ProductKind.allCases.map(\.rawValue), selected: kind?.rawValue, any: "any kind"), items: items))
    }

    func product(_ id: String, _ request: Request, _ agent: Agent) async throws -> Response {
        _ = try Self.require(agent, .readCatalog)
        let day = try dayParameter(request.formQuery.get("date").flatMap { $0.isEmpty ? nil : $0 }, "date") ?? engine.today
        let detail = try Wire.ProductDetail(try await engine.catalogs.product(ProductID(id), version: nil, on: day))
        let tree = detail.memberOf.isEmpty && !detail.components.isEmpty
            ? BundleRow(try Wire.BundleView(try await engine.catalogs.bundle(ProductID(id), version: nil, on: day)).bundle) : nil
        let p = detail.product
        let page = ProductPage(
            layout: Layout(title: "\(p.name) (\(p.id))", agent: agent), catalogVersion: detail.catalogVersion, date: detail.date, id: p.id, name: p.name,
            kind: p.kind.rawValue, description: p.description, selling: detail.selling.status.rawValue,
            memberOf: detail.memberOf.map { "\($0.parent) (\($0.min)…\($0.max), \($0.selling.status.rawValue))" },
            components: detail.components.map { "\($0.product) \($0.name) (\($0.min)…\($0.max), \($0.selling.status.rawValue))" },
            rules: detail.rules.map { RuleView(id: $0.id, kind: $0.kind.rawValue, severity: $0.severity.rawValue, message: $0.message, active: true) },
            migrations: detail.migrationActions.map(MigrationActionRow.init),
            tree: tree)
        return render("product", page)
    }
}
