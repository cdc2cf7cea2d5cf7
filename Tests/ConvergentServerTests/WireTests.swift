import ConvergentAPI
@testable import ConvergentServer
import ConvergentStore
import Foundation
import Testing

@Suite("R-15.1 wire types made from the contract")
struct WireTests {
    @Test("R-15.5: a history entry's change goes out as the stored JSON Patch, every kind of JSON value included (null, numbers, lists, objects)")
    func patchValues() throws {
        let stored: [JSONPatchOperation] = [
            .init(op: .replace, path: "/a", value: .null), .init(op: .add, path: "/b", value: .int(3)),
            .init(op: .add, path: "/c", value: .double(1.5)), .init(op: .replace, path: "/d", value: .bool(false)),
            .init(op: .add, path: "/e", value: .array([.string("x"), .null])),
            .init(op: .add, path: "/f", value: .object(["g": .object(["h": .int(1)])])), .init(op: .remove, path: "/i"),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let wire = try stored.map(Wire.JSONPatchOperation.init)
        let sent = try JSONValue.parse(try encoder.encode(wire))
        #expect(sent == (try JSONValue.parse(try encoder.encode(stored))))
    }
}
