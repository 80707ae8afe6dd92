// A small HTTP service to break and fix on one machine (examples/demo/README.md).
//
//   demo-service serve              listen on 127.0.0.1:$DEMO_PORT (default 8686) in the foreground
//   demo-service get PATH           request PATH from it and print the body (exit 1 on an error status)
//
// Paths: /health answers "ok" (200) or the fault (500); /break/unhealthy, /break/slow,
// /break/cpu and /break/crash inject a fault (crash ends the process); /fix clears it.
import Foundation
import Glibc

let port = UInt16(ProcessInfo.processInfo.environment["DEMO_PORT"] ?? "") ?? 8686

/// The injected fault, if any.
enum Fault: String {
    case unhealthy, slow, cpu
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("demo-service: \(message)\n".utf8))
    exit(2)
}

func address() -> sockaddr_in {
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    return addr
}

func withAddress<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
    var addr = address()
    return withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
}

func readRequestLine(_ fd: Int32) -> String {
    var bytes: [UInt8] = []
    var byte: UInt8 = 0
    while bytes.count < 8192, read(fd, &byte, 1) == 1 {
        bytes.append(byte)
        if bytes.suffix(4) == [13, 10, 13, 10] { break }
    }
    return String(decoding: bytes, as: UTF8.self).split(separator: "\r\n").first.map(String.init) ?? ""
}

func respond(_ fd: Int32, status: Int, _ body: String) {
    let text =
        "HTTP/1.0 \(status) \(status == 200 ? "OK" : "Error")\r\nContent-Length: \(body.utf8.count)\r\n"
        + "Connection: close\r\n\r\n\(body)"
    _ = text.withCString { write(fd, $0, strlen($0)) }
}

func serve() -> Never {
    signal(SIGPIPE, SIG_IGN)
    // SIGTERM and SIGINT stop the service even when the parent left them blocked or ignored.
    var signals = sigset_t()
    sigemptyset(&signals)
    for number in [SIGTERM, SIGINT, SIGHUP] {
        sigaddset(&signals, number)
        signal(number, SIG_DFL)
    }
    sigprocmask(SIG_UNBLOCK, &signals, nil)
    let server = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var yes: Int32 = 1
    setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    guard withAddress({ bind(server, $0, $1) }) == 0, listen(server, 16) == 0 else {
        fail("cannot listen on 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
    }
    FileHandle.standardOutput.write(Data("demo-service: listening on 127.0.0.1:\(port) (pid \(getpid()))\n".utf8))
    var fault: Fault?
    while true {
        let client = accept(server, nil, nil)
        guard client >= 0 else { continue }
        let path = readRequestLine(client).split(separator: " ").dropFirst().first.map(String.init) ?? "/"
        switch path {
        case "/health":
            switch fault {
            case nil: respond(client, status: 200, "ok\n")
            case .slow?:
                sleep(3)
                respond(client, status: 200, "ok (slow)\n")
            case .cpu?:
                let end = Date().addingTimeInterval(1)
                var x = 0.0
                while Date() < end { x += sin(x) }
                respond(client, status: 200, "ok (hot)\n")
            case .unhealthy?: respond(client, status: 500, "unhealthy\n")
            }
        case "/break/crash":
            respond(client, status: 200, "crashing\n")
            close(client)
            exit(1)
        case let path where path.hasPrefix("/break/"):
            if let next = Fault(rawValue: String(path.dropFirst("/break/".count))) {
                fault = next
                respond(client, status: 200, "fault: \(next.rawValue)\n")
            } else {
                respond(client, status: 404, "unknown fault; use unhealthy, slow, cpu or crash\n")
            }
        case "/fix":
            fault = nil
            respond(client, status: 200, "fixed\n")
        case "/fault":
            respond(client, status: 200, (fault?.rawValue ?? "none") + "\n")
        default:
            respond(client, status: 404, "not found\n")
        }
        close(client)
    }
}

/// `get PATH`: prints the body; exit 0 on 200, 1 on another status, 2 when nothing answers.
/// When nothing listens on a port of the range the kernel picks local ports from, a
/// connection to it can be given that very port as its own and connect to itself (TCP's
/// simultaneous open): it then waits for an answer only it could send.
func isConnectedToItself(_ fd: Int32) -> Bool {
    var local = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &local) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return named == 0 && local.sin_port == port.bigEndian
}

func get(_ path: String) -> Never {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard withAddress({ connect(fd, $0, $1) }) == 0, !isConnectedToItself(fd) else {
        fail("nothing answers on 127.0.0.1:\(port)")
    }
    // A service that accepts but never answers fails the check rather than hanging it.
    var patience = timeval(tv_sec: 10, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, socklen_t(MemoryLayout<timeval>.size))
    let request = "GET \(path) HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n"
    _ = request.withCString { write(fd, $0, strlen($0)) }
    var response: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = read(fd, &buffer, buffer.count)
        if n <= 0 { break }
        response += buffer[0..<n]
    }
    let text = String(decoding: response, as: UTF8.self)
    let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
    if let body = text.range(of: "\r\n\r\n") { print(text[body.upperBound...], terminator: "") }
    exit(status == 200 ? 0 : 1)
}

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "serve": serve()
case "get" where arguments.count == 2: get(arguments.last!)
default: fail("usage: demo-service serve | demo-service get PATH")
}
