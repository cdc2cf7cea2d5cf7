import ConvergentDomain
import ConvergentStore
import Foundation
import Testing

/// R-15.5: history parses stored documents and writes patches with `JSONText`; it must read what
/// Foundation writes, refuse what is not JSON, and write what parses back equal.
@Suite("R-15.5 history JSON: documents parsed and patches written without Foundation's containers")
struct JSONTextTests {
    @Test("R-15.5 JSON text: reads what JSONEncoder writes (escapes, surrogate pairs, numbers) as JSONSerialization does")
    func readsFoundationOutput() throws {
        struct Sample: Codable {
            var text = "quote \" backslash \\ slash / tab \t newline \n bell \u{07} é 😀"
            var int = -42
            var big = Int.max
            var real = 19.99
            var tiny = 0.000001
            var decimal = Decimal(string: "240.50")!
            var flag = true
            var nothing: String? = nil
            var list = [1, 2, 3]
            var nested = ["a": ["b": ["c": [Int]()]]]
        }
        for formatting: JSONEncoder.OutputFormatting in [[.sortedKeys], [.prettyPrinted, .withoutEscapingSlashes]] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = formatting
            let data = try encoder.encode(Sample())
            let parsed = try JSONText.parse(data)
            guard case let .object(members) = parsed else { Issue.record("not an object"); return }
            #expect(members["text"] == .string(Sample().text))
            #expect(members["int"] == .int(-42))
            #expect(members["big"] == .int(Int.max))
            #expect(members["real"] == .double(19.99))
            #expect(members["tiny"] == .double(0.000001))
            #expect(members["decimal"] == .double(240.5))
            #expect(members["flag"] == .bool(true))
            #expect(members["nothing"] == nil)
            #expect(members["list"] == .array([.int(1), .int(2), .int(3)]))
            #expect(members["nested"] == .object(["a": .object(["b": .object(["c": .array([])])])]))
        }
        // Escapes JSONEncoder does not write, and a pair written as escapes.
        #expect(try JSONText.parse(Data(#"["\u00e9\ud83d\ude00\/\b\f\r", 1.5e3, -0, null, false]"#.utf8))
            == .array([.string("é😀/\u{08}\u{0C}\r"), .double(1500), .int(0), .null, .bool(false)]))
    }

    @Test("R-15.5 JSON text: what is not JSON is refused with the byte at fault, never a crash (invalid UTF-8, lone surrogates, deep nesting)")
    func refusesWhatIsNotJSON() throws {
        let bad: [[UInt8]] = [
            Array("".utf8), Array("{".utf8), Array("[1,]".utf8), Array("{\"a\" 1}".utf8), Array("{a:1}".utf8), Array("01".utf8),
            Array("1.".utf8), Array("1e".utf8), Array("tru".utf8), Array("\"open".utf8), Array("\"\\x\"".utf8), Array("\"\\ud83d\"".utf8),
            Array("\"\\ude00\"".utf8), Array("\"\\u12\"".utf8), Array("[1] 2".utf8), Array("\"a\u{01}\"".utf8),
            [0x22, 0xFF, 0xFE, 0x22], [0x22, 0xC3, 0x22], Array(repeating: UInt8(ascii: "["), count: 100_000),
        ]
        for bytes in bad {
            #expect(throws: JSONPatchError.self, "\(String(decoding: bytes.prefix(20), as: UTF8.self))") { try JSONText.parse(Data(bytes)) }
        }
        // Deep, but within the limit, is read.
        let depth = JSONText.maxDepth - 1
        let nested = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        #expect(throws: Never.self) { try JSONText.parse(Data(nested.utf8)) }
    }

    @Test("R-15.5 JSON text: written values parse back equal, and Foundation reads them the same (random documents)")
    func writesWhatParsesBack() throws {
        var random = SeededRandom(seed: 155)
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random) {
            case 0: return .null
            case 1: return .bool(Int.random(in: 0..<2, using: &random) == 0)
            case 2: return .int(Int.random(in: -1_000_000..<1_000_000, using: &random))
            case 3: return .double(Double(Int.random(in: 0..<1_000_000, using: &random)) / 128 + 0.5)
            case 4:
                let alphabet = Array("ab/~\"\\\n\t\u{01}é😀 z")
                return .string(String((0..<Int.random(in: 0..<12, using: &random)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &random)] }))
            case 5: return .array((0..<Int.random(in: 0..<4, using: &random)).map { _ in value(depth + 1) })
            default:
                return .object(Dictionary((0..<Int.random(in: 0..<4, using: &random)).map { i in ("k\(i)/\(Int.random(in: 0..<9, using: &random))", value(depth + 1)) }) { a, _ in a })
            }
        }
        for _ in 0..<500 {
            let original = value(0)
            let text = JSONText.data(original)
            #expect(try JSONText.parse(text) == original)
            // Foundation reads it too (any reader of stored history rows).
            #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: text, options: [.fragmentsAllowed]) }
        }
    }
}
