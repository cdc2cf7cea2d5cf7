import AsyncHTTPClient
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import Testing

/// A headless Chromium driven through WebDriver (chromedriver, from Debian's `chromium-driver`),
/// spoken to directly over HTTP: open a page, find elements by CSS selector, type, click, read
/// text, take screenshots. One chromedriver process per browser.
final class Browser: @unchecked Sendable {
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    let driver: Process
    let endpoint: String
    let session: String
    let http = HTTPClient(eventLoopGroupProvider: .singleton)

    /// chromedriver and chromium, when this machine has them (`.ci/run` installs them).
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver") && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
    }

    static func start() async throws -> Browser {
        let port = 9_600 + Int.random(in: 0..<2_000)
        let driver = Process()
        driver.executableURL = URL(fileURLWithPath: "/usr/bin/chromedriver")
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        let endpoint = "http://127.0.0.1:\(port)"
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { Task { try? await http.shutdown() } }
        // Up to 30 s: on a loaded two-core machine chromedriver can be slow to listen.
        for _ in 0..<300 {
            if let status = try? await Self.send(http, .GET, endpoint + "/status"), (status["value"] as? [String: Any])?["ready"] as? Bool == true { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        let capabilities: [String: Any] = ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": "/usr/bin/chromium",
                                   "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"]],
        ]]]
        let created = try await Self.send(http, .POST, endpoint + "/session", capabilities)
        guard let session = (created["value"] as? [String: Any])?["sessionId"] as? String else {
            driver.terminate()
            throw BrowserError("chromedriver made no session: \(created)")
        }
        return Browser(driver: driver, endpoint: endpoint, session: session)
    }

    private init(driver: Process, endpoint: String, session: String) {
        self.driver = driver
        self.endpoint = endpoint
        self.session = session
    }

    func close() async {
        _ = try? await Self.send(http, .DELETE, "\(endpoint)/session/\(session)")
        // Not `waitUntilExit`, which spins on Linux: ask, wait a little, then insist.
        driver.terminate()
        for _ in 0..<20 where driver.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if driver.isRunning { kill(driver.processIdentifier, SIGKILL) }
        try? await http.shutdown()
    }

    // MARK: Commands

    /// The ids of the console's configuration elements showing `product` (`<li id="el-…">`), in page order.
    func elements(_ product: String) async throws -> [String] {
        let script = "return Array.from(document.querySelectorAll('a.product')).filter(a => a.textContent === arguments[0]).map(a => a.closest('li').id.slice(3))"
        return try await command(.POST, "execute/sync", ["script": script, "args": [product]]) as? [String] ?? []
    }

    /// Signs in to the console at `base` with `token`.
    func signIn(_ base: String, token: String) async throws {
        try await open(base + "/sign-in")
        try await type(token, into: "#token")
        try await click("form.card button[type=submit]")
    }

    func open(_ url: String) async throws {
        _ = try await command(.POST, "url", ["url": url])
    }

    var url: String {
        get async throws { try await command(.GET, "url") as? String ?? "" }
    }

    var title: String {
        get async throws { try await command(.GET, "title") as? String ?? "" }
    }

    /// The text of the page's body, as a reader sees it.
    var text: String {
        get async throws { try await text(of: "body") }
    }

    func text(of selector: String) async throws -> String {
        try await command(.GET, "element/\(try await element(selector))/text") as? String ?? ""
    }

    /// The text of `selector` once it is `expected` (a click's page may still be loading), or what it was after 5 s.
    func text(of selector: String, becoming expected: String) async throws -> String {
        var last = ""
        for _ in 0..<50 {
            last = (try? await text(of: selector)) ?? ""
            if last == expected { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        return last
    }

    func element(_ selector: String) async throws -> String {
        let found = try await command(.POST, "element", ["using": "css selector", "value": selector])
        guard let id = (found as? [String: Any])?[Self.elementKey] as? String else { throw BrowserError("no element '\(selector)' on \(try await url)") }
        return id
    }

    func count(_ selector: String) async throws -> Int {
        (try await command(.POST, "elements", ["using": "css selector", "value": selector]) as? [Any])?.count ?? 0
    }

    func type(_ text: String, into selector: String) async throws {
        let id = try await element(selector)
        _ = try await command(.POST, "element/\(id)/clear", [:])
        _ = try await command(.POST, "element/\(id)/value", ["text": text])
    }

    /// Sets a field's value as its picker would (what typing into a date field means depends on
    /// the browser's locale).
    func set(_ value: String, of selector: String) async throws {
        let id = try await element(selector)
        _ = try await command(.POST, "execute/sync", ["script": "arguments[0].value = arguments[1]", "args": [[Self.elementKey: id], value]])
    }

    /// Chooses the option with `value` in a `<select>`.
    func choose(_ value: String, in selector: String) async throws {
        _ = try await command(.POST, "element/\(try await element("\(selector) option[value='\(value)']"))/click", [:])
    }

    /// Clicks, and when the click submits a form or follows a link, waits for the next page (the
    /// old page's root element goes stale), at most 5 s.
    func click(_ selector: String) async throws {
        let page = try await element("html")
        _ = try await command(.POST, "element/\(try await element(selector))/click", [:])
        for _ in 0..<50 {
            do {
                _ = try await command(.GET, "element/\(page)/name")
            } catch {
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        _ = try await command(.POST, "execute/sync", ["script": "return document.readyState", "args": []])
    }

    /// A PNG of the window, written to `.build/console-screenshots/<name>.png`.
    @discardableResult
    func screenshot(_ name: String) async throws -> URL {
        let base64 = try await command(.GET, "screenshot") as? String ?? ""
        let folder = ContractChecker.repository.appendingPathComponent(".build/console-screenshots")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(name + ".png")
        try Data(base64Encoded: base64)?.write(to: file)
        return file
    }

    private func command(_ method: HTTPMethod, _ path: String, _ body: [String: Any]? = nil) async throws -> Any? {
        let answer = try await Self.send(http, method, "\(endpoint)/session/\(session)/\(path)", body)
        if let value = answer["value"] as? [String: Any], let error = value["error"] as? String {
            throw BrowserError("\(path): \(error): \(value["message"] as? String ?? "")")
        }
        return answer["value"]
    }

    private static func send(_ http: HTTPClient, _ method: HTTPMethod, _ url: String, _ body: [String: Any]? = nil) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body)))
        }
        let response = try await http.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: 64 << 20)
        return (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
    }
}

struct BrowserError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
