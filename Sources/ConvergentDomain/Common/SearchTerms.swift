import Foundation

/// The words a text is found by (R-2.1 search): lower case, accents folded, split at anything
/// that is not a letter or a digit ("Jane.O'Neil@example.com" → jane, o, neil, example, com).
/// A query's words each match the start of a word ("smi" finds "Smith").
public enum SearchTerms {
    /// Longer words are cut (a term is a prefix to match, not a document to store).
    public static let longestTerm = 40

    public static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
            .lowercased()
        return folded.split { !($0.isLetter || $0.isNumber) }.map { String($0.prefix(longestTerm)) }
    }

    /// Whether every word of the query starts some term.
    public static func matches(query: [String], terms: Set<String>) -> Bool {
        query.allSatisfy { word in terms.contains { $0.hasPrefix(word) } }
    }
}

extension Customer {
    /// What a customer is searched by: name, id, contacts (name, e-mail, phone) and addresses
    /// (lines, city, postal code, country). A phone number is also one word of its digits.
    public var searchTerms: Set<String> {
        var texts = [id, name ?? ""]
        for contact in contacts {
            texts += [contact.name, contact.email ?? "", contact.phone ?? ""]
            let digits = (contact.phone ?? "").filter(\.isNumber)
            if digits.count > 1 { texts.append(digits) }
        }
        for address in addresses {
            texts += [address.line1, address.line2 ?? "", address.city, address.postalCode ?? "", address.country]
        }
        return Set(texts.flatMap(SearchTerms.words))
    }
}
