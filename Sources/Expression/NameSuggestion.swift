/// Finds the closest known name to a misspelt one, for "did you mean" hints.
enum NameSuggestion {
    /// The candidate within a small edit distance of `name`, preferring the closest; nil when none is close.
    static func closest(to name: String, in candidates: some Sequence<String>) -> String? {
        let target = Array(name.lowercased())
        let limit = max(1, min(3, target.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates.sorted() {
            let lowered = Array(candidate.lowercased())
            // A short known name that starts the misspelt one (`len` for `lenght`) counts as close too.
            let isStem = lowered.count >= 3 && target.starts(with: lowered) && target.count - lowered.count <= 3
            let d = isStem ? limit : distance(target, lowered)
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }

    /// A hint naming the closest candidate, or listing the candidates when there are few.
    static func hint(for name: String, in candidates: some Collection<String>, kind: String) -> String? {
        if let close = closest(to: name, in: candidates) { return "did you mean '\(close)'?" }
        if candidates.isEmpty { return nil }
        let list = candidates.sorted().prefix(10).joined(separator: ", ")
        return "known \(kind): \(list)\(candidates.count > 10 ? ", …" : "")"
    }

    /// Levenshtein distance, counting a swap of neighbours as one edit.
    private static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var row = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    row[j] = min(row[j], previous2[j - 2] + 1)
                }
            }
            previous2 = previous
            previous = row
        }
        return previous[b.count]
    }
}
