import FoundationEssentials
import Glibc
import RunbookProcess

/// The operator's terminal, opened as `/dev/tty` so prompts work even when stdin is a pipe.
package final class Terminal: Sendable {
    private let fd: Int32
    var descriptor: Int32 { fd }
    /// When set, a question gives up (nil) once the run is interrupted: SIGTERM or SIGHUP must
    /// not wait for an answer that may never come.
    package let interruption: Interruption?

    /// Nil when the process has no controlling terminal.
    /// True when this process has a controlling terminal to ask on.
    package static func isAvailable() -> Bool {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    package init?(interruption: Interruption? = nil) {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.interruption = interruption
    }

    deinit { close(fd) }

    /// Writes a prompt; control characters in it (from a playbook or a value) are shown, not obeyed.
    package func write(_ text: String) {
        var bytes = Array(text.neutralizingControls.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Reads one line (without its newline); nil at end of input or once the run is interrupted.
    package func readLine() -> String? {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            guard waitForInput() else { return nil }
            let n = read(fd, &byte, 1)
            if n < 0 && errno == EINTR { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if n <= 0 { return line.isEmpty ? nil : String(decoding: line, as: UTF8.self) }
            if byte == UInt8(ascii: "\n") { return String(decoding: line, as: UTF8.self) }
            line.append(byte)
        }
    }

    /// Waits until the terminal has input; false when the run is interrupted first.
    private func waitForInput() -> Bool {
        guard let interruption else { return true }
        while !interruption.isInterrupted {
            var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
            if interruption.wakeFD >= 0 {
                fds.append(pollfd(fd: interruption.wakeFD, events: Int16(POLLIN), revents: 0))
            }
            // The wake pipe may have been emptied by a runner: look at the flag at least every 200 ms.
            let ready = poll(&fds, nfds_t(fds.count), 200)
            if ready > 0, fds[0].revents != 0 { return true }
        }
        return false
    }

    /// Asks a question; nil when the terminal closed.
    package func ask(_ question: String) -> String? {
        write(question)
        return readLine()?.trimmingWhitespace
    }

    /// True when this process is in the terminal's foreground process group (not started with `&`).
    package var isForeground: Bool { tcgetpgrp(fd) == getpgrp() }
}

extension Terminal {
    /// Asks for a secret without echoing what is typed.
    package func askSecret(_ question: String) -> String? {
        var saved = termios()
        let fd = self.descriptor
        guard tcgetattr(fd, &saved) == 0 else { return ask(question) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(fd, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(fd, TCSAFLUSH, &saved)
            write("\n")
        }
        return ask(question)
    }
}
