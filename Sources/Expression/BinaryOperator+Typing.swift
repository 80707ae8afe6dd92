extension BinaryOperator {
    /// The result type for operand types, or why they do not fit; unknown operands are given the benefit of the doubt.
    func resultType(_ l: ValueType, _ r: ValueType) -> Result<ValueType, TypeMismatch> {
        switch self {
        case .or, .and:
            for side in [l, r] where side.isKnown && side != .bool {
                return .failure(
                    TypeMismatch(
                        message: "'\(rawValue)' needs true or false on both sides, got \(side.withArticle)",
                        hint: "compare the value first, e.g. x != null or x == \"yes\""))
            }
            return .success(.bool)
        case .equal, .notEqual:
            guard l.isKnown, r.isKnown, l != .null, r != .null, l != r else { return .success(.bool) }
            return .failure(comparisonMismatch(l, r))
        case .less, .lessEqual, .greater, .greaterEqual:
            guard l.isKnown, r.isKnown else { return .success(.bool) }
            if l == r, l == .number || l == .string { return .success(.bool) }
            return .failure(comparisonMismatch(l, r))
        case .in:
            return membershipType(l, r)
        case .add:
            return additionType(l, r)
        case .subtract, .multiply, .divide, .remainder:
            for side in [l, r] where side.isKnown && side != .number {
                return .failure(
                    TypeMismatch(
                        message: "'\(rawValue)' needs numbers, got \(side.withArticle)",
                        hint: side == .string ? "convert text with number(...)" : nil))
            }
            return .success(.number)
        }
    }

    private func comparisonMismatch(_ l: ValueType, _ r: ValueType) -> TypeMismatch {
        let hint: String? =
            Set([l, r]) == [.string, .number]
            ? "convert the text with number(...), e.g. number(stdout) > 80" : nil
        return TypeMismatch(
            message: "cannot compare \(l.withArticle) with \(r.withArticle) using '\(rawValue)'", hint: hint)
    }

    private func membershipType(_ l: ValueType, _ r: ValueType) -> Result<ValueType, TypeMismatch> {
        switch r {
        case .any, .list: return .success(.bool)
        case .string, .object:
            if l.isKnown, l != .string {
                let what = r == .string ? "a string" : "an object's keys"
                return .failure(
                    TypeMismatch(
                        message: "'in' on \(what) needs a string on the left, got \(l.withArticle)",
                        hint: "convert with string(...)"))
            }
            return .success(.bool)
        default:
            return .failure(
                TypeMismatch(
                    message: "'in' needs a list, a string or an object on the right, got \(r.withArticle)", hint: nil))
        }
    }

    private func additionType(_ l: ValueType, _ r: ValueType) -> Result<ValueType, TypeMismatch> {
        let addable: Set<ValueType> = [.number, .string, .list]
        for side in [l, r] where side.isKnown && !addable.contains(side) {
            return .failure(
                TypeMismatch(
                    message: "'+' cannot add \(side.withArticle)",
                    hint: "'+' adds numbers and joins strings or lists"))
        }
        guard l.isKnown, r.isKnown else { return .success(l.isKnown ? l : r) }
        guard l == r else {
            return .failure(
                TypeMismatch(
                    message: "'+' cannot combine \(l.withArticle) and \(r.withArticle)",
                    hint: "convert with string(...) to join text, or number(...) to add"))
        }
        return .success(l)
    }
}

extension UnaryOperator {
    /// The result type for an operand type, or why it does not fit.
    func resultType(_ t: ValueType) -> Result<ValueType, TypeMismatch> {
        let needed: ValueType = self == .not ? .bool : .number
        guard !t.isKnown || t == needed else {
            let what = self == .not ? "true or false" : "a number"
            return .failure(
                TypeMismatch(
                    message: "'\(rawValue)' needs \(what), got \(t.withArticle)",
                    hint: self == .not ? "compare the value first, e.g. !(x == \"\")" : "convert with number(...)"))
        }
        return .success(needed)
    }
}
