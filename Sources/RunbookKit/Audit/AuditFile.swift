import Foundation
import Glibc

/// The audit file on disk: created 0600 in a 0700 directory, appended under an exclusive `flock`.
///
/// Each record is one `write` of one line followed by `fsync`, so a crash leaves at most a
/// torn last line, and concurrent runs interleave whole records.
public final class AuditFile {
    public let path: String
    private let fd: Int32
    /// The head after this process's last append; reused while the file has not grown since.
    private var lastTail: AuditTail?

    public init(directory: String) throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        path = (directory as NSString).appendingPathComponent("audit.jsonl")
        fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw AuditError("cannot open the audit file \(path): \(String(cString: strerror(errno)))")
        }
    }

    deinit { close(fd) }

    /// Cuts a torn last line, recording the repair in the chain; returns the bytes dropped (nil when intact).
    public func repair(key: String?) throws -> Int? {
        while flock(fd, LOCK_EX) != 0 { guard errno == EINTR else { throw AuditError("cannot lock \(path)") } }
        defer { flock(fd, LOCK_UN) }
        let head = try AuditTail.read(fd: fd)
        guard let torn = head.tornBytes else { return nil }
        guard ftruncate(fd, off_t(head.validLength)) == 0 else { throw AuditError("cannot repair \(path)") }
        _ = try write(
            ["event": .string("audit.repair"), "dropped_bytes": .int(torn), "run": .string("-")],
            after: head, key: key)
        return torn
    }

    /// Appends one record: locks, reads the chain head, computes seq/prev/hash, writes, fsyncs, unlocks.
    @discardableResult
    public func append(_ fields: [String: JSONValue], key: String?) throws -> (seq: Int, hash: String) {
        while flock(fd, LOCK_EX) != 0 { guard errno == EINTR else { throw AuditError("cannot lock \(path)") } }
        defer { flock(fd, LOCK_UN) }
        var head = try currentTail()
        if let torn = head.tornBytes {
            // A crash left half a line: cut it and say so in the chain, never silently.
            guard ftruncate(fd, off_t(head.validLength)) == 0 else { throw AuditError("cannot repair \(path)") }
            head = try write(
                ["event": .string("audit.repair"), "dropped_bytes": .int(torn), "run": .string("-")],
                after: head, key: key)
        }
        head = try write(fields, after: head, key: key)
        lastTail = head
        return (head.seq, head.hash)
    }

    /// Re-reads the tail only when another writer appended since our last record (checked under the lock).
    private func currentTail() throws -> AuditTail {
        var info = stat()
        if let cached = lastTail, fstat(fd, &info) == 0, Int(info.st_size) == cached.validLength { return cached }
        return try AuditTail.read(fd: fd)
    }

    private func write(_ fields: [String: JSONValue], after head: AuditTail, key: String?) throws -> AuditTail {
        var record = fields
        record["seq"] = .int(head.seq + 1)
        record["time"] = .string(AuditChain.timestamp(Date()))
        record["prev"] = .string(head.hash)
        let hash = AuditChain.hash(of: record, prev: head.hash)
        record["hash"] = .string(hash)
        if let key { record["hmac"] = .string(AuditChain.hmac(of: hash, key: key)) }
        let line = Array((JSONValue.object(record).canonical + "\n").utf8)
        var written = 0
        while written < line.count {
            let n = line[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw AuditError("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += n
        }
        guard fsync(fd) == 0 else { throw AuditError("cannot fsync \(path)") }
        return AuditTail(seq: head.seq + 1, hash: hash, validLength: head.validLength + line.count, tornBytes: nil)
    }
}

/// The last complete record of the file (its seq and hash) and whether a torn line follows it.
struct AuditTail {
    var seq: Int
    var hash: String
    var validLength: Int
    var tornBytes: Int?

    /// Reads backwards from the end; only the last line or two are touched.
    static func read(fd: Int32) throws -> AuditTail {
        let size = Int(lseek(fd, 0, SEEK_END))
        guard size > 0 else { return AuditTail(seq: 0, hash: AuditChain.genesis, validLength: 0, tornBytes: nil) }
        var chunk = 4096
        while true {
            let start = max(0, size - chunk)
            var buffer = [UInt8](repeating: 0, count: size - start)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
            guard n == buffer.count else { throw AuditError("cannot read the audit file") }
            var end = buffer.count
            var torn: Int?
            if buffer.last != UInt8(ascii: "\n") {
                guard let nl = buffer.lastIndex(of: UInt8(ascii: "\n")) else {
                    if start > 0 { chunk *= 4; continue }
                    return AuditTail(seq: 0, hash: AuditChain.genesis, validLength: 0, tornBytes: size)
                }
                torn = buffer.count - (nl + 1)
                end = nl + 1
            }
            let body = buffer[..<(end - 1)]
            let lineStart = (body.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
            if lineStart == 0 && start > 0 { chunk *= 4; continue }
            let line = String(decoding: body[lineStart...], as: UTF8.self)
            guard let record = JSONValue.parse(line), let seq = record["seq"]?.int, let hash = record["hash"]?.string
            else {
                throw AuditError("the last audit record is not valid; run 'runbook audit verify'")
            }
            return AuditTail(seq: seq, hash: hash, validLength: start + end, tornBytes: torn)
        }
    }
}

/// An audit-trail failure; the run stops rather than go on without its record.
public struct AuditError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
