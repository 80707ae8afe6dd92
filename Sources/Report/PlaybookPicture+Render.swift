/// The two spellings of a `PlaybookPicture`: Graphviz DOT and Mermaid flowchart.
extension PlaybookPicture {
    package func render(_ format: Format) -> String {
        switch format {
        case .dot: return dot()
        case .mermaid: return mermaid()
        }
    }

    /// Graphviz DOT (`dot -Tsvg`): clusters for phases, groups, options and includes.
    package func dot() -> String {
        var out = "digraph runbook {\n"
        out += "  label=\(Self.dotQuoted(title)); labelloc=t; fontname=\"Helvetica\";\n"
        out += "  node [fontname=\"Helvetica\", fontsize=10]; edge [fontname=\"Helvetica\", fontsize=9];\n"
        var depth = 1
        var clusters = 0
        for item in items {
            let indent = String(repeating: "  ", count: depth)
            switch item {
            case .open(_, let label):
                clusters += 1
                out += "\(indent)subgraph cluster_\(clusters) {\n"
                out += "\(indent)  label=\(Self.dotQuoted(label)); style=rounded; color=gray60;\n"
                depth += 1
            case .close:
                depth -= 1
                out += String(repeating: "  ", count: depth) + "}\n"
            case .node(let node):
                var attributes = ["label=\(Self.dotQuoted(node.label))"] + Self.dotStyle(node.shape)
                if node.confirm { attributes.append("color=darkorange, penwidth=2") }
                out += "\(indent)\(node.name) [\(attributes.joined(separator: ", "))];\n"
            case .edge: continue
            }
        }
        // Edges after every cluster: an edge written inside a cluster pulls both its nodes into it.
        for case .edge(let edge) in items {
            var attributes: [String] = []
            if let label = edge.label { attributes.append("label=\(Self.dotQuoted(label))") }
            if edge.dashed { attributes.append("style=dashed, color=firebrick") }
            let list = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            out += "  \(edge.from) -> \(edge.to)\(list);\n"
        }
        return out + "}\n"
    }

    /// A Mermaid flowchart (renders on GitHub and GitLab inside ```mermaid blocks).
    package func mermaid() -> String {
        var out = "---\ntitle: \(Self.mermaidText(title))\n---\nflowchart TD\n"
        var depth = 1
        var clusters = 0
        var classes: [String: [String]] = [:]
        for item in items {
            let indent = String(repeating: "  ", count: depth)
            switch item {
            case .open(_, let label):
                clusters += 1
                out += "\(indent)subgraph c\(clusters)[\"\(Self.mermaidText(label))\"]\n"
                depth += 1
            case .close:
                depth -= 1
                out += String(repeating: "  ", count: depth) + "end\n"
            case .node(let node):
                let (open, close) = Self.mermaidShape(node.shape)
                let label = node.label.isEmpty ? " " : Self.mermaidText(node.label)
                out += "\(indent)\(node.name)\(open)\"\(label)\"\(close)\n"
                if node.confirm { classes["confirm", default: []].append(node.name) }
                if node.shape == .compensation { classes["rollback", default: []].append(node.name) }
            case .edge: continue
            }
        }
        for case .edge(let edge) in items {
            let arrow = edge.dashed ? "-.->" : "-->"
            let label = edge.label.map { "|\"\(Self.mermaidText($0))\"|" } ?? ""
            out += "  \(edge.from) \(arrow)\(label) \(edge.to)\n"
        }
        out += "  classDef confirm stroke:#d97706,stroke-width:3px\n"
        out += "  classDef rollback stroke:#b91c1c,stroke-dasharray:4 3\n"
        for name in classes.keys.sorted() {
            out += "  class \(classes[name]!.joined(separator: ",")) \(name)\n"
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
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// Text inside a quoted Mermaid label: characters Mermaid would read as syntax become
    /// entity codes (`#quot;`), line breaks `<br>`.
    static func mermaidText(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "#quot;"
            case "<": out += "#lt;"
            case ">": out += "#gt;"
            case "#": out += "#35;"
            case "|": out += "#124;"
            case "`": out += "#96;"
            case "%": out += "#37;"  // `%%` would start a comment or a directive
            case "\n": out += "<br>"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
