"""Real TLS and a real proxy on loopback, for the tests of IT's network settings: a force's own certificate
authority, a TLS front for the test HQ signed by it, and a forward proxy that records what passes through."""

from __future__ import annotations

import contextlib
import datetime
import ipaddress
import select
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

LOOPBACK = ipaddress.ip_address("127.0.0.1")


@dataclass
class Authority:
    name: str
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    pem: Path  # the CA certificate, as IT would install it


def authority(folder: Path, name: str) -> Authority:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = folder / f"{name.replace(' ', '-').lower()}.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return Authority(name, cert, key, pem)


def server_certificate(folder: Path, issuer: Authority, host: str = "", from_days: int = -1) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost (or only for `host`) signed by `issuer`, valid from `from_days`
    from now (a future day: what a laptop whose clock is behind sees): (certificate file, key file)."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    starts = now + datetime.timedelta(days=from_days)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
        .issuer_name(issuer.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(starts)
        .not_valid_after(starts + datetime.timedelta(days=31))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(host)] if host else [x509.DNSName("localhost"), x509.IPAddress(LOOPBACK)]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
        .sign(issuer.key, hashes.SHA256())
    )
    stem = folder / f"server-{issuer.name.replace(' ', '-').lower()}-{host or 'loopback'}"
    cert_file, key_file = stem.with_suffix(".crt"), stem.with_suffix(".key")
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM) + issuer.pem.read_bytes())
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_file, key_file


def _pipe(one: socket.socket, two: socket.socket) -> None:
    """Pass bytes both ways until either side closes (or nothing moves for a while)."""
    with one, two:
        while True:
            ready: list[socket.socket] = [s for s in (one, two) if isinstance(s, ssl.SSLSocket) and s.pending()]
            if not ready:
                ready, _, _ = select.select([one, two], [], [], 10)
            if not ready:
                return
            for source in ready:
                try:
                    data = source.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                (two if source is one else one).sendall(data)


def _quietly(handle: Callable[[socket.socket], None], client: socket.socket) -> None:
    """A peer that hangs up mid-exchange is ordinary network life, not a failure of the test's own server."""
    with contextlib.suppress(OSError), client:
        handle(client)


@contextmanager
def _serving(handle: Callable[[socket.socket], None]) -> Iterator[int]:
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            client.settimeout(None)
            threading.Thread(target=_quietly, args=(handle, client), daemon=True).start()

    thread = threading.Thread(target=accept)
    thread.start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        listener.close()


@contextmanager
def held_on_the_way(url: str) -> Iterator[tuple[str, threading.Event]]:
    """A loopback relay to the HQ at `url` that holds every request until the test sets the event it yields:
    HQ then answers as it always does. What a person does while a request is on its way (a slow network, a busy
    HQ) can so be done at a known moment. Yields the relay's address and that event."""
    target = urlsplit(url)
    release = threading.Event()

    def handle(client: socket.socket) -> None:
        release.wait(30)
        _pipe(client, socket.create_connection((target.hostname or "127.0.0.1", target.port or 80)))

    with _serving(handle) as port:
        try:
            yield f"http://127.0.0.1:{port}", release
        finally:
            release.set()  # a request still held goes on, and its relay ends with it


@contextmanager
def tls_front(target_port: int, cert_file: Path, key_file: Path) -> Iterator[str]:
    """HTTPS on loopback in front of a plain-HTTP server, as a force's TLS terminator stands before HQ.
    Yields its https address."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)

    def handle(raw: socket.socket) -> None:
        try:
            secure = context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()  # the laptop would not trust this certificate, and hung up
            return
        _pipe(secure, socket.create_connection(("127.0.0.1", target_port)))

    with _serving(handle) as port:
        yield f"https://127.0.0.1:{port}"


@contextmanager
def forward_proxy() -> Iterator[tuple[str, list[str]]]:
    """An HTTP proxy on loopback, as a force's network has: plain requests in absolute form, and CONNECT
    tunnels for https. Yields its address and the first line of every request it passed on."""
    seen: list[str] = []

    def handle(client: socket.socket) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = client.recv(65536)
            if not chunk:
                client.close()
                return
            head += chunk
        request, _, rest = head.partition(b"\r\n\r\n")
        first, *headers = request.split(b"\r\n")
        method, target, version = first.decode("ascii").split(" ")
        seen.append(f"{method} {target}")
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            upstream = socket.create_connection((host, int(port)))
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            _pipe(client, upstream)
            return
        parts = urlsplit(target)
        upstream = socket.create_connection((parts.hostname or "", parts.port or 80))
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        kept = [h for h in headers if not h.lower().startswith((b"connection:", b"proxy-"))]
        upstream.sendall(b"\r\n".join([f"{method} {path} {version}".encode(), *kept, b"Connection: close"]))
        upstream.sendall(b"\r\n\r\n" + rest)
        _pipe(client, upstream)  # one request a connection: HQ closes after answering

    with _serving(handle) as port:
        yield f"http://127.0.0.1:{port}", seen
