/// Why an operator or function cannot take values of the given types; shared by checker and evaluator
/// so that a mistake reads the same whether `validate` or a live run finds it.
struct TypeMismatch: Error, Sendable, Hashable {
    var message: String
    var hint: String?
}
