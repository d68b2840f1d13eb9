#!/usr/bin/env python3
"""A loopback X.224 responder for scripts/release's probe training runs (never a real server).

It answers each X.224 Connection Request as a Windows host that requires NLA does: an RDP_NEG_RSP
selecting CredSSP (HYBRID) when the request offers it, RDP_NEG_FAILURE HYBRID_REQUIRED_BY_SERVER
otherwise ([MS-RDPBCGR] 2.2.1.2); then it reads what follows (the TLS ClientHello) and closes. So a
training probe goes through negotiation and starts TLS, and its AOT cache holds those classes.
Listens on 127.0.0.1 with an ephemeral port, prints the port on the first line of stdout.
"""
import socket
import sys
import threading

HYBRID = 0x2
HYBRID_REQUIRED_BY_SERVER = 5


def answer(request: bytes) -> bytes:
    # RDP_NEG_REQ is the last 8 bytes of the request when present: type 1, flags, length 8, protocols.
    neg = request[-8:] if len(request) >= 19 and request[-8] == 0x01 else None
    requested = int.from_bytes(neg[4:8], "little") if neg else None
    if requested is not None and requested & HYBRID:
        data = bytes([0x02, 0x00, 0x08, 0x00]) + HYBRID.to_bytes(4, "little")
    else:
        data = bytes([0x03, 0x00, 0x08, 0x00]) + HYBRID_REQUIRED_BY_SERVER.to_bytes(4, "little")
    x224 = bytes([6 + len(data), 0xD0, 0x00, 0x00, 0x12, 0x34, 0x00]) + data
    return bytes([0x03, 0x00]) + (4 + len(x224)).to_bytes(2, "big") + x224


def serve(conn: socket.socket) -> None:
    with conn:
        conn.settimeout(5)
        try:
            head = conn.recv(4)
            if len(head) < 4 or head[0] != 0x03:
                return
            length = int.from_bytes(head[2:4], "big")
            if not 7 <= length <= 1024:
                return
            body = b""
            while len(body) < length - 4:
                chunk = conn.recv(length - 4 - len(body))
                if not chunk:
                    return
                body += chunk
            conn.sendall(answer(head + body))
            conn.recv(4096)
        except OSError:
            pass


def main() -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print(server.getsockname()[1], flush=True)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=serve, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
