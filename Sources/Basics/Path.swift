import Glibc

/// File paths as text, the way `NSString`'s path methods treat them (trailing slashes ignored,
/// `/` kept as the root), without Foundation.
package enum Path {
    /// `directory/name`, with one slash between them; `name` alone when `directory` is empty.
    package static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// The path without its last component: `/a/b` → `/a`, `/a` → `/`, `a` → ``.
    package static func directory(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return "" }
        let head = withoutTrailingSlashes(String(trimmed[..<slash]))
        return head.isEmpty ? "/" : head
    }

    /// The last component: `/a/b.yaml` → `b.yaml`, `/a/b/` → `b`, `/` → `/`.
    package static func lastComponent(of path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        let tail = String(trimmed[trimmed.index(after: slash)...])
        return tail.isEmpty ? trimmed : tail
    }

    /// The last component's extension without the dot: `b.yaml` → `yaml`; none for `b` or `.hidden`.
    package static func pathExtension(of path: String) -> String {
        let name = lastComponent(of: path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// The last component without its extension: `/a/b.yaml` → `b`.
    package static func stem(of path: String) -> String {
        let name = lastComponent(of: path)
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// `path` made absolute against `directory` (when relative), with `.` and `..` components
    /// and repeated or trailing slashes taken out by the text alone, as a standardized file URL
    /// gives it; symbolic links are left as they are.
    package static func absolute(_ path: String, in directory: String) -> String {
        let full = path.hasPrefix("/") ? path : join(directory, path)
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        // Joined by hand: the standard library's generic `joined` had the runtime search the
        // binary's conformances at every start.
        var out = ""
        for part in parts {
            out.append("/")
            out.append(contentsOf: part)
        }
        return out.isEmpty ? "/" : out
    }

    /// The working directory of this process.
    package static func currentDirectory() -> String {
        guard let buffer = getcwd(nil, 0) else { return "." }
        defer { free(buffer) }
        return String(decoding: UnsafeRawBufferPointer(start: buffer, count: strlen(buffer)), as: UTF8.self)
    }

    /// True when `path` names a directory (following symbolic links).
    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        var path = Substring(path)
        while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        return String(path)
    }
}
