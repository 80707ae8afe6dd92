extension String {
    /// Replaces every occurrence of `target`, comparing Unicode scalars rather than Characters.
    ///
    /// Character comparison would miss a `'` followed by a combining mark (one Character),
    /// letting a quote through unescaped; scalar comparison cannot.
    package func replacingScalars(of target: String, with replacement: String) -> String {
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
