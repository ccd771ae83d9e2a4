"""A tiny SMTP server on 127.0.0.1 for the tests (aiosmtpd is not installed, smtpd is gone).

Enough of RFC 5321 for smtplib: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT. `rcpt_reply`
programs the answer to RCPT ("450 …" a temporary refusal, "550 …" a permanent one);
`refuse` the same per recipient address; `data_reply` the answer once the message's data is in
(anything but 250: the message is not kept).
"""

import socketserver
import threading


class SmtpServer:
    def __init__(self):
        self.messages: list[bytes] = []
        self.rcpt_reply = "250 OK"
        self.data_reply = "250 OK queued"
        self.refuse: dict[str, str] = {}  # address → reply to its RCPT
        server = self

        class Handler(socketserver.StreamRequestHandler):
            def reply(self, line: str):
                self.wfile.write(line.encode() + b"\r\n")

            def handle(self):
                self.reply("220 fake-smtp ESMTP")
                while line := self.rfile.readline():
                    command = line.decode(errors="replace").strip().upper()
                    if command.startswith(("EHLO", "HELO")):
                        self.reply("250 fake-smtp")
                    elif command.startswith("RCPT"):
                        address = command.partition("<")[2].partition(">")[0].lower()
                        self.reply(server.refuse.get(address, server.rcpt_reply))
                    elif command == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        data = []
                        while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                            data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                        reply = server.data_reply
                        if reply.startswith("250"):
                            server.messages.append(b"".join(data))
                        self.reply(reply)
                    elif command == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:  # MAIL, RSET, NOOP
                        self.reply("250 OK")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]

    def start(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
