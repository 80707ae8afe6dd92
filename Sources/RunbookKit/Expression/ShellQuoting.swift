/// Quotes text as one POSIX sh word that the shell takes literally.
public enum ShellQuoting {
    /// `'text'`, with each `'` written as `'\''`: inside single quotes sh expands nothing, so
    /// no `$`, backtick, `;`, glob or newline in the value can become shell syntax.
    public static func quote(_ text: String) -> String {
        "'" + text.replacingScalars(of: "'", with: #"'\''"#) + "'"
    }
}

extension String {
    /// Replaces every occurrence of `target`, comparing Unicode scalars rather than Characters.
    ///
    /// Character comparison would miss a `'` followed by a combining mark (one Character),
    /// letting a quote through unescaped; scalar comparison cannot.
    func replacingScalars(of target: String, with replacement: String) -> String {
        let needle = Array(target.unicodeScalars)
        guard !needle.isEmpty else { return self }
        let scalars = Array(unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < scalars.count {
            if i + needle.count <= scalars.count, Array(scalars[i..<i + needle.count]) == needle {
                out.append(contentsOf: replacement.unicodeScalars)
                i += needle.count
            } else {
                out.append(scalars[i])
                i += 1
            }
        }
        return String(out)
    }
}

extension ShellQuoting {
    /// Quotes a word only when the shell would change it, for showing an argv readably.
    public static func quoteIfNeeded(_ word: String) -> String {
        isPlainWord(word) || word == SecretMasker.mask ? word : quote(word)
    }

    /// True for a non-empty word that no shell context treats as syntax.
    public static func isPlainWord(_ word: String) -> Bool {
        !word.isEmpty && word.unicodeScalars.allSatisfy(isPlainWordCharacter)
    }

    /// ASCII letters and digits and `-_./=:@%+,`: characters that mean nothing to a shell.
    static func isPlainWordCharacter(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9")
            || "-_./=:@%+,".unicodeScalars.contains(c)
    }
}
