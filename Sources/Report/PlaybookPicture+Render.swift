/// The two spellings of a `PlaybookPicture`: Graphviz DOT and Mermaid flowchart.
extension PlaybookPicture {
    package func render(_ format: Format) -> String {
        switch format {
        case .dot: return dot()
        case .mermaid: return mermaid()
        }
    }

    /// The one layout both formats share: clusters nested and indented, nodes in them, then
    /// every edge at the top level (an edge written inside a DOT cluster pulls its nodes into it).
    /// Each format only spells a cluster's opening and closing lines, a node and an edge.
    private func lines(
        open: (_ number: Int, _ label: String) -> [String], close: String, node: (Node) -> String,
        edge: (Edge) -> String
    ) -> String {
        var out = ""
        var depth = 1
        var clusters = 0
        for item in items {
            let indent = String(repeating: "  ", count: depth)
            switch item {
            case .open(let label):
                clusters += 1
                out += open(clusters, label).map { indent + $0 + "\n" }.joined()
                depth += 1
            case .close:
                depth -= 1
                out += String(repeating: "  ", count: depth) + close + "\n"
            case .node(let n): out += indent + node(n) + "\n"
            case .edge: continue
            }
        }
        for case .edge(let e) in items { out += "  " + edge(e) + "\n" }
        return out
    }

    /// Graphviz DOT (`dot -Tsvg`): clusters for phases, groups, options and includes.
    package func dot() -> String {
        var out = "digraph runbook {\n"
        out += "  label=\(Self.dotQuoted(title)); labelloc=t; fontname=\"Helvetica\";\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10]; edge [fontname=\"Helvetica\", fontsize=9];\n"
        out += lines(
            open: { n, label in
                ["subgraph cluster_\(n) {", "  label=\(Self.dotQuoted(label)); style=rounded; color=gray60;"]
            },
            close: "}",
            node: { node in
                var attributes = ["label=\(Self.dotQuoted(node.label))"] + Self.dotStyle(node.shape)
                if node.confirm { attributes.append("color=darkorange, penwidth=2") }
                return "\(node.name) [\(attributes.joined(separator: ", "))];"
            },
            edge: { edge in
                var attributes: [String] = []
                if let label = edge.label { attributes.append("label=\(Self.dotQuoted(label))") }
                if edge.dashed { attributes.append("style=dashed, color=firebrick") }
                let list = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
                return "\(edge.from) -> \(edge.to)\(list);"
            })
        return out + "}\n"
    }

    /// A Mermaid flowchart (renders on GitHub and GitLab inside ```mermaid blocks).
    package func mermaid() -> String {
        var out = "---\ntitle: \(Self.mermaidText(title))\n---\nflowchart TD\n"
        out += lines(
            open: { n, label in ["subgraph c\(n)[\"\(Self.mermaidText(label))\"]"] },
            close: "end",
            node: { node in
                let (open, close) = Self.mermaidShape(node.shape)
                let label = node.label.isEmpty ? " " : Self.mermaidText(node.label)
                return "\(node.name)\(open)\"\(label)\"\(close)"
            },
            edge: { edge in
                let arrow = edge.dashed ? "-.->" : "-->"
                let label = edge.label.map { "|\"\(Self.mermaidText($0))\"|" } ?? ""
                return "\(edge.from) \(arrow)\(label) \(edge.to)"
            })
        out += "  classDef confirm stroke:#d97706,stroke-width:3px\n"
        out += "  classDef rollback stroke:#b91c1c,stroke-dasharray:4 3\n"
        for (name, members) in [
            ("confirm", nodes.filter(\.confirm)), ("rollback", nodes.filter { $0.shape == .compensation }),
        ]
        where !members.isEmpty {
            out += "  class \(members.map(\.name).joined(separator: ",")) \(name)\n"
        }
        return out
    }

    // MARK: spelling

    private static func dotStyle(_ shape: Shape) -> [String] {
        switch shape {
        case .terminal: return ["shape=circle", "width=0.3", "fontsize=8"]
        case .action: return ["shape=box", "style=bold"]
        case .readOnly: return ["shape=box", "style=rounded"]
        case .manual: return ["shape=parallelogram"]
        case .decision: return ["shape=diamond"]
        case .wait: return ["shape=box", "style=\"rounded,dashed\""]
        case .assertion: return ["shape=hexagon"]
        case .compensation: return ["shape=note", "color=firebrick"]
        case .junction: return ["shape=point", "width=0.08"]
        }
    }

    private static func mermaidShape(_ shape: Shape) -> (String, String) {
        switch shape {
        case .terminal: return ("((", "))")
        case .action: return ("[", "]")
        case .readOnly: return ("(", ")")
        case .manual: return ("[/", "/]")
        case .decision: return ("{", "}")
        case .wait: return ("([", "])")
        case .assertion: return ("{{", "}}")
        case .compensation: return (">", "]")
        case .junction: return ("((", "))")  // labelled " ": Mermaid needs some text
        }
    }

    /// A DOT string: quotes and backslashes escaped, line breaks as `\n`.
    static func dotQuoted(_ text: String) -> String {
        "\""
            + escaped(text) { scalar in
                switch scalar {
                case "\"": return "\\\""
                case "\\": return "\\\\"
                case "\n": return "\\n"
                default: return nil
                }
            } + "\""
    }

    /// Text inside a quoted Mermaid label: characters Mermaid would read as syntax become
    /// entity codes (`#quot;`), line breaks `<br>`.
    static func mermaidText(_ text: String) -> String {
        escaped(text) { scalar in
            switch scalar {
            case "\"": return "#quot;"
            case "<": return "#lt;"
            case ">": return "#gt;"
            case "#": return "#35;"
            case "|": return "#124;"
            case "`": return "#96;"
            case "%": return "#37;"  // `%%` would start a comment or a directive
            case "\n": return "<br>"
            default: return nil
            }
        }
    }

    /// `text` with each scalar `replacement` names replaced, and any other control character
    /// (which neither format can show) as a space.
    private static func escaped(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if let replaced = replacement(scalar) {
                out += replaced
            } else if scalar.value < 0x20 || scalar.value == 0x7F {
                out += " "
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
