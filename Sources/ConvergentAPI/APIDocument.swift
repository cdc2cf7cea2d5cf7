import Foundation

/// The API contract, `openapi.yaml`: the one source of the API. swift-openapi-generator makes the
/// wire types of this target from it at build time (`Components.Schemas`); the server serves it
/// as `/openapi.json`; the server tests check every response against it.
public enum APIDocument {
    /// The document's text; nil when the resource cannot be read (a binary copied away from its
    /// resource bundle).
    public static var yaml: String? {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else { return nil }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
