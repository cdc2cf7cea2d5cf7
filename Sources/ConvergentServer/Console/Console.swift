import ConvergentDomain
import ConvergentEngine
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Mustache

/// The agents' console: server-rendered HTML at `/`, served by the same binary as the
/// API and calling the same use cases of the engine. Each page is a query (the engine), a view
/// model (`ConsoleModels.swift`) and a Mustache template (`Templates/`), which escapes everything
/// it prints. It works without JavaScript: every action is a form posted to the server, which
/// answers with a redirect to the page it changed (or that page again, with the refusal).
///
/// Signing in takes an API token; the console keeps it in a cookie (HttpOnly, SameSite=Strict,
/// path `/`), never on the server, and acts as that token's user with that user's permissions.
/// Every form carries a CSRF token derived from the session token (a digest no other site can
/// compute, and no page shows the session token itself).
struct Console: Sendable {
    let engine: Engine
    let templates: MustacheLibrary

    static let cookie = "convergent_console"

    init(engine: Engine) throws {
        self.engine = engine
        templates = try Self.loadTemplates()
    }

    /// The templates, from the target's resources (`Console/Templates/*.mustache`).
    static func loadTemplates() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else { return library }
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) where file.pathExtension == "mustache" {
            try library.register(String(contentsOf: file, encoding: .utf8), named: file.deletingPathExtension().lastPathComponent)
        }
        return library
    }

    // MARK: Signed-in requests

    /// Who a console request acts as, and the CSRF token of that session.
    struct Agent: Sendable {
        var user: User
        var csrf: String
    }

    /// The user of the session cookie; nil without a valid one.
    func agent(_ request: Request) async -> Agent? {
        guard let token = Self.cookieValue(request, Self.cookie), !token.isEmpty,
              let user = try? await engine.access.authenticate(token) else { return nil }
        return Agent(user: user, csrf: Self.csrf(for: token))
    }

    static func csrf(for token: String) -> String { AccessControl.digest("console-csrf:" + token) }

    static func cookieValue(_ request: Request, _ name: String) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)).removingPercentEncoding }
            }
        }
        return nil
    }

    /// A page that needs a signed-in agent: the sign-in page otherwise, coming back here after.
    func page(_ request: Request, _ build: @escaping @Sendable (Agent) async throws -> Response) async -> Response {
        guard let agent = await agent(request) else {
            return Self.redirect("/sign-in?next=" + (request.uri.description.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"))
        }
        do {
            return try await build(agent)
        } catch {
            return self.error(error, agent: agent)
        }
    }

    /// A form post: signed in, with the session's CSRF token; `act` does the change and says
    /// where to go next. A refusal renders `refused` (the page the form was on) with the problem.
    /// `answer` may turn an error that is not a refusal (a question to ask) into the page that asks it.
    func action<Form: Decodable & Sendable>(_ request: Request, _ form: Form.Type, limit: Int = Limits.jsonBodyBytes,
                                            refused: @escaping @Sendable (Agent, Problem) async throws -> Response,
                                            answer: (@Sendable (Agent, any Error) async throws -> Response?)? = nil,
                                            _ act: @escaping @Sendable (Agent, Form) async throws -> String) async -> Response {
        guard let agent = await agent(request) else { return Self.redirect("/sign-in") }
        let text: String
        do {
            let body = try await RequestBody.collect(request, limit: limit)
            text = String(decoding: body.readableBytesView, as: UTF8.self)
            guard Self.sameToken(Self.field("_csrf", in: text), agent.csrf) else {
                return self.error(Problem(.forbidden, "csrf-token-invalid", "this form is out of date or did not come from the console; open the page again"), agent: agent)
            }
        } catch {
            return self.error(error, agent: agent)
        }
        do {
            // A field missing or of the wrong type is refused on the form's page, as any refusal.
            let fields = try Self.decode(Form.self, from: text)
            return Self.redirect(try await act(agent, fields))
        } catch {
            if let answer, let response = try? await answer(agent, error) { return response }
            let problem = Problem.from(error)
            do {
                var response = try await refused(agent, problem)
                response.status = problem.status
                return response
            } catch {
                return self.error(problem, agent: agent)
            }
        }
    }

    /// A form's fields. Hummingbird's decoder does not say which field has the wrong type (its
    /// coding path stops at the form); the field is found as the one without which the form reads.
    static func decode<Form: Decodable>(_ form: Form.Type, from text: String) throws -> Form {
        do {
            return try URLEncodedFormDecoder().decode(Form.self, from: text)
        } catch let error as DecodingError {
            guard case let .typeMismatch(type, context) = error, context.codingPath.isEmpty else { throw error }
            let pairs = text.split(separator: "&")
            for name in Set(pairs.map { String($0.prefix { $0 != "=" }) }) where !name.isEmpty {
                let without = pairs.filter { $0.prefix { $0 != "=" } != name }.joined(separator: "&")
                if (try? URLEncodedFormDecoder().decode(Form.self, from: without)) != nil {
                    let field = name.removingPercentEncoding ?? name
                    throw Problem(.unprocessableContent, "wrong-type", "field '\(field)' should be \(Problem.describe(type))", field: field)
                }
            }
            throw error
        }
    }

    /// The two tokens are equal, compared in constant time (a guess learns nothing from timing).
    static func sameToken(_ given: String?, _ expected: String) -> Bool {
        guard let given else { return false }
        let a = Array(given.utf8), b = Array(expected.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The fields of a GET form, read as forms encode them ('+' is a space): a page's query.
    struct FormQuery: Sendable {
        let text: String
        func get(_ name: String) -> String? { Console.field(name, in: text) }
    }

    /// One field of a form body.
    static func field(_ name: String, in body: String) -> String? {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.first.map(String.init) == name {
                return parts.count > 1 ? String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding : ""
            }
        }
        return nil
    }

    // MARK: Answers

    /// A page: the template rendered with the model, as HTML that is never cached.
    func render(_ template: String, _ model: some Sendable, status: HTTPResponse.Status = .ok) -> Response {
        guard let html = templates.render(model, withTemplate: template) else {
            Logger(label: "convergent.console").error("no console template '\(template)'")
            return Response(status: .internalServerError, headers: Self.headers, body: .init(byteBuffer: ByteBuffer(string: "console template missing")))
        }
        return Response(status: status, headers: Self.headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static let headers: HTTPFields = [
        .contentType: "text/html; charset=utf-8",
        .cacheControl: "no-store",
        .contentSecurityPolicy: "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        .xContentTypeOptions: "nosniff",
        HTTPField.Name("Referrer-Policy")!: "same-origin",
    ]

    static func redirect(_ location: String, cookie: String? = nil) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store"]
        if let cookie { headers[.setCookie] = cookie }
        return Response(status: .seeOther, headers: headers)
    }

    /// An error page with the problem in words (what, why, the code to quote to support).
    func error(_ error: any Error, agent: Agent?) -> Response {
        let problem = Problem.from(error)
        if problem.status == .internalServerError {
            Logger(label: "convergent.console").error("console: \(String(reflecting: error))")
        }
        return render("error", ErrorPage(layout: Layout(title: problem.title, agent: agent), problem: ProblemView(problem)), status: problem.status)
    }
}

extension Request {
    /// The query of a console page, as its GET forms encode it.
    var formQuery: Console.FormQuery { Console.FormQuery(text: uri.query ?? "") }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
}
