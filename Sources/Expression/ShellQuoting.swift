import RunbookBasics

extension ShellQuoting {
    /// Quotes a word only when the shell would change it, for showing an argv readably.
    package static func quoteIfNeeded(_ word: String) -> String {
        isPlainWord(word) || word == SecretMasker.mask ? word : quote(word)
    }

    /// True for a non-empty word that no shell context treats as syntax.
    package static func isPlainWord(_ word: String) -> Bool {
        !word.isEmpty && word.unicodeScalars.allSatisfy(isPlainWordCharacter)
    }

    /// ASCII letters and digits and `-_./=:@%+,`: characters that mean nothing to a shell.
    static func isPlainWordCharacter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
            || "-_./=:@%+,".unicodeScalars.contains(c)
    }
}
